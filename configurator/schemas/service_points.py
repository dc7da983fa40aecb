"""The model of the demo service points (portal/demo/service_points.yaml): organisations, services with
their kind, fee and area, the points with opening and phone hours, and how their appointment slots are
generated; with the checks that need the whole file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import StrictBool, field_validator, model_validator

from ..service_points import APPOINTMENT_CHANNELS
from .errors import Problem, raise_problems, validate_file
from .places import OrganisationKind, PlaceEntry, duplicates, unknown
from .types import (
    Charge,
    EuroAmount,
    FeeUnit,
    FileModel,
    Link,
    MunicipalityCode,
    NonEmpty,
    NonNegativeInt,
    OpeningHoursList,
    PositiveInt,
    ServiceKind,
    Text,
    TimeOfDay,
)

# Health care is run by the wellbeing services counties, not the municipalities.
ServicePointOrganisationKind = OrganisationKind | Literal["wellbeing_services_county"]
SERVICE_POINT_IDS = range(2001, 3000)  # ECEC demo units use 1001..1999, synthetic ones 1_000_000 and up
DEFAULT_WEEKS = 4


class ServicePointOrganisation(FileModel):
    """An authority or association; no business ID in the demo (upserted by name)."""

    key: Text
    name: Text
    name_sv: Text | None = None  # its official Swedish and English names, where it has them
    name_en: Text | None = None
    kind: ServicePointOrganisationKind
    municipality_code: MunicipalityCode | None = None
    phone: Text | None = None
    email: Text | None = None
    web_url: Link = None


class ServicePointService(FileModel):
    """A service of a kind, its fee and the municipalities it is responsible for (``serves``)."""

    key: Text
    organisation: Text
    kind: ServiceKind
    name_fi: Text
    name_sv: Text
    name_en: Text
    service_class: Text
    target_group: Text
    life_event: Text | None = None
    charge: Charge
    fee_eur: EuroAmount | None = None
    fee_unit: FeeUnit | None = None
    serves: Annotated[list[MunicipalityCode], NonEmpty]

    @model_validator(mode="after")
    def _fee_goes_with_charge(self) -> ServicePointService:
        if self.charge == "free" and (self.fee_eur is not None or self.fee_unit is not None):
            raise ValueError("a free service has no fee_eur or fee_unit")
        if (self.fee_eur is None) != (self.fee_unit is None):
            raise ValueError("fee_eur and fee_unit go together")
        return self


def _channels(value: Any) -> Any:
    if not isinstance(value, list) or not value or not set(value) <= set(APPOINTMENT_CHANNELS):
        raise ValueError(f"appointment channels must be a non-empty list of {sorted(APPOINTMENT_CHANNELS)}")
    return value


class Appointments(FileModel):
    """How the loader generates a point's slots: every weekday from today for ``weeks`` weeks, one slot per
    time, channels in rotation, booked by the fixed pattern of ``booked_first_days`` and ``booked_every``."""

    channels: list[str]
    times: Annotated[list[TimeOfDay], NonEmpty]
    duration_minutes: PositiveInt
    capacity: PositiveInt
    weeks: PositiveInt = DEFAULT_WEEKS
    booked_first_days: NonNegativeInt = 0
    booked_every: NonNegativeInt = 0
    fully_booked: StrictBool = False

    _check_channels = field_validator("channels", mode="before")(_channels)

    @field_validator("times")
    @classmethod
    def _ascending(cls, times: list[str]) -> list[str]:
        if "24:00" in times or times != sorted(set(times)):
            raise ValueError("appointment times must be ascending, distinct HH:MM values before 24:00")
        return times


class ServicePointEntry(PlaceEntry):
    """A place where a service is given, with its phone hours and appointments."""

    id: int
    service: Text
    phone_hours: OpeningHoursList | None = None
    appointments: Appointments | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_in_range(cls, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool) or value not in SERVICE_POINT_IDS:
            raise ValueError(
                f"id must be an integer in {SERVICE_POINT_IDS.start}..{SERVICE_POINT_IDS.stop - 1}, got {value!r}"
            )
        return value


class ServicePointsFile(FileModel):
    """The whole file. ``hours_presets`` only holds YAML anchors the points refer to."""

    municipalities: Annotated[list[MunicipalityCode], NonEmpty]
    organisations: Annotated[list[ServicePointOrganisation], NonEmpty]
    services: Annotated[list[ServicePointService], NonEmpty]
    hours_presets: dict[str, Any] | None = None
    points: Annotated[list[ServicePointEntry], NonEmpty]


def check_service_points(data: Any, file: str | Path) -> ServicePointsFile:
    """The validated file; DataFileError naming every problem of the model, else of the whole file."""
    points = validate_file(ServicePointsFile, data, file)
    raise_problems(file, _whole_file_problems(points))
    return points


def _whole_file_problems(f: ServicePointsFile) -> list[Problem]:
    codes = set(f.municipalities)
    org_keys = {o.key for o in f.organisations}
    service_keys = [s.key for s in f.services]
    problems = duplicates(
        ((f"organisations[{i}].key", o.key) for i, o in enumerate(f.organisations)), "organisation key"
    )
    problems += duplicates(
        ((f"organisations[{i}].name", o.name) for i, o in enumerate(f.organisations)), "organisation name"
    )
    problems += duplicates(((f"services[{i}].key", s.key) for i, s in enumerate(f.services)), "service key")
    problems += duplicates(
        ((f"services[{i}]", (s.organisation, s.name_fi)) for i, s in enumerate(f.services)),
        "service (organisation, name_fi)",
    )
    for i, s in enumerate(f.services):
        problems += unknown(f"services[{i}].organisation", s.organisation, org_keys, "organisation")
        if not set(s.serves) <= codes or len(set(s.serves)) != len(s.serves):
            problems.append(
                Problem(
                    f"services[{i}].serves", f"serves {s.serves} must be distinct codes listed under municipalities"
                )
            )
    problems += duplicates(((f"points[{i}].id", p.id) for i, p in enumerate(f.points)), "service point id")
    for i, p in enumerate(f.points):
        problems += unknown(f"points[{i}].service", p.service, service_keys, "service")
        if p.municipality not in codes:
            problems.append(
                Problem(
                    f"points[{i}].municipality", f"municipality {p.municipality} is not listed under municipalities"
                )
            )
    unused = sorted(set(service_keys) - {p.service for p in f.points})
    if unused:
        problems.append(Problem("services", f"services without a point: {', '.join(unused)}"))
    return problems
