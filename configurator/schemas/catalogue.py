"""The model of the demo ECEC catalogue (portal/demo/turku_region.yaml): municipalities, organisations,
services, municipal pricing and the units, with the checks that need the whole file.

``check_catalogue`` is what the loader calls before it touches the database: a bad file must not leave
half a catalogue behind, and every problem is named at once.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StrictBool

from .errors import Problem, raise_problems, validate_file
from .places import OrganisationKind, PlaceEntry, duplicates, unknown
from .types import (
    AgeGroup,
    BusinessId,
    CareType,
    DecimalText,
    EuroAmount,
    FileModel,
    IsoDate,
    IsoDateTime,
    Link,
    MunicipalityCode,
    NonEmpty,
    NonNegativeInt,
    PositiveInt,
    ProviderType,
    ReporterRole,
    Text,
)

# National codes of the ECEC life event (reference/ptv/ptv_codes.csv), the default of every service.
ECEC_SERVICE_CLASS = "P3.4"
ECEC_TARGET_GROUP = "KR1.2"
ECEC_LIFE_EVENT = "KE1"
FULL_TIME_HOURS = Decimal(35)
PART_TIME_LOW_HOURS, PART_TIME_LOW_MAX = Decimal(20), Decimal("0.60")  # Act 1503/2016 s.7

__all__ = ["AgeGroup", "EcecCatalogueFile", "UnitEntry", "check_catalogue"]


class MunicipalityEntry(FileModel):
    """A municipality of the demo region with its ECEC contacts (where applications are made)."""

    code: MunicipalityCode
    name_fi: Text
    name_sv: Text
    ecec_eservice_url: Link = None
    ecec_phone: Text | None = None
    ecec_email: Text | None = None


class OrganisationEntry(FileModel):
    """Who provides services: a municipality, a company, an association or the state."""

    key: Text
    business_id: BusinessId
    name: Text
    kind: OrganisationKind
    municipality_code: MunicipalityCode | None = None
    phone: Text | None = None
    email: Text | None = None
    web_url: Link = None


class EcecServiceEntry(FileModel):
    """An organisation's ECEC service, with the national codes of the life event by default."""

    key: Text
    organisation: Text
    name_fi: Text
    name_sv: Text
    name_en: Text
    service_class: Text = ECEC_SERVICE_CLASS
    target_group: Text = ECEC_TARGET_GROUP
    life_event: Text = ECEC_LIFE_EVENT


class PartTimeStep(FileModel):
    """Up to ``max_hours`` a week the fee is ``coefficient`` times the full-time fee."""

    max_hours: DecimalText
    coefficient: DecimalText


class PricingEntry(FileModel):
    """A municipality's own ECEC fee decisions from ``valid_from``: part-time steps and voucher values."""

    municipality: MunicipalityCode
    valid_from: IsoDate
    part_time_steps: Annotated[list[PartTimeStep], NonEmpty]
    voucher_under_3: EuroAmount
    voucher_3_and_over: EuroAmount
    max_surcharge: EuroAmount
    source: Text


class AgeGroupAvailability(FileModel):
    free_places: NonNegativeInt
    queue_weeks: NonNegativeInt = 0


class UnitAvailability(FileModel):
    """Free places and queue per age group, as reported at ``updated_at`` by a role (``updated_by``)."""

    updated_at: IsoDateTime
    updated_by: ReporterRole
    under_3: AgeGroupAvailability | None = None
    three_and_over: AgeGroupAvailability | None = Field(None, alias="3_and_over")

    def by_group(self) -> dict[str, AgeGroupAvailability | None]:
        return {"under_3": self.under_3, "3_and_over": self.three_and_over}


class UnitEntry(PlaceEntry):
    """An ECEC unit: a place with its care and provider type, age groups, capacity, availability and,
    for a private unit with a service voucher, its monthly price."""

    id: PositiveInt
    service: Text
    care_type: CareType
    provider_type: ProviderType
    shift_care: StrictBool = False
    serves_under_3: StrictBool = True
    serves_3_and_over: StrictBool = True
    capacity: PositiveInt
    availability: UnitAvailability
    monthly_price: EuroAmount | None = None
    price_valid_from: IsoDate | None = None

    def serves(self) -> dict[str, bool]:
        return {"under_3": self.serves_under_3, "3_and_over": self.serves_3_and_over}


class EcecCatalogueFile(FileModel):
    """The whole file. ``opening_hours_presets`` only holds YAML anchors the units refer to."""

    municipalities: Annotated[list[MunicipalityEntry], NonEmpty]
    organisations: Annotated[list[OrganisationEntry], NonEmpty]
    services: Annotated[list[EcecServiceEntry], NonEmpty]
    pricing: tuple[PricingEntry, ...] = ()
    opening_hours_presets: dict[str, Any] | None = None
    units: Annotated[list[UnitEntry], NonEmpty]


def check_catalogue(data: Any, file: str | Path) -> EcecCatalogueFile:
    """The validated catalogue; DataFileError naming every problem of the model, else of the whole file."""
    catalogue = validate_file(EcecCatalogueFile, data, file)
    raise_problems(file, _whole_file_problems(catalogue))
    return catalogue


def _whole_file_problems(c: EcecCatalogueFile) -> list[Problem]:
    codes = {m.code for m in c.municipalities}
    org_keys = {o.key for o in c.organisations}
    service_keys = {s.key for s in c.services}
    problems = duplicates(
        ((f"municipalities[{i}].code", m.code) for i, m in enumerate(c.municipalities)), "municipality code"
    )
    problems += duplicates(
        ((f"organisations[{i}].key", o.key) for i, o in enumerate(c.organisations)), "organisation key"
    )
    problems += duplicates(
        ((f"organisations[{i}].business_id", o.business_id) for i, o in enumerate(c.organisations)),
        "organisation business_id",
    )
    for i, o in enumerate(c.organisations):
        if o.kind == "municipality" and o.municipality_code not in codes:
            problems.append(
                Problem(
                    f"organisations[{i}].municipality_code",
                    "a municipality organisation needs a municipality_code listed under municipalities",
                )
            )
    problems += duplicates(((f"services[{i}].key", s.key) for i, s in enumerate(c.services)), "service key")
    for i, s in enumerate(c.services):
        problems += unknown(f"services[{i}].organisation", s.organisation, org_keys, "organisation")
    problems += duplicates(
        ((f"pricing[{i}]", (p.municipality, p.valid_from)) for i, p in enumerate(c.pricing)),
        "pricing (municipality, valid_from)",
    )
    for i, p in enumerate(c.pricing):
        if p.municipality not in codes:
            problems.append(
                Problem(f"pricing[{i}].municipality", "the municipality is not listed under municipalities")
            )
        problems += part_time_step_problems(p.part_time_steps, f"pricing[{i}].part_time_steps")
    problems += duplicates(((f"units[{i}].id", u.id) for i, u in enumerate(c.units)), "unit id")
    for i, u in enumerate(c.units):
        problems += _unit_problems(u, f"units[{i}]", codes, service_keys)
    return problems


def part_time_step_problems(steps: list[PartTimeStep], path: str) -> list[Problem]:
    """Steps ascend by max_hours (under 35 h; 35 h or more is the full fee), their coefficients do not
    decrease and lie in (0, 1); a step of at most 20 hours may not exceed 0.60 (Act 1503/2016 s.7)."""
    problems = []
    previous_hours, previous_coefficient = Decimal(0), Decimal(0)
    for i, step in enumerate(steps):
        at = f"{path}[{i}]"
        if not (0 < step.max_hours < FULL_TIME_HOURS) or step.max_hours <= previous_hours:
            problems.append(
                Problem(f"{at}.max_hours", f"part-time step max_hours {step.max_hours} must ascend and stay below 35")
            )
        if not (0 < step.coefficient < 1) or step.coefficient < previous_coefficient:
            problems.append(
                Problem(
                    f"{at}.coefficient", f"part-time coefficient {step.coefficient} must be in (0, 1) and not decrease"
                )
            )
        if step.max_hours <= PART_TIME_LOW_HOURS and step.coefficient > PART_TIME_LOW_MAX:
            problems.append(
                Problem(
                    f"{at}.coefficient",
                    f"at most 20 h/week may cost at most 60 % of the full fee, got {step.coefficient}",
                )
            )
        previous_hours, previous_coefficient = step.max_hours, step.coefficient
    return problems


def _unit_problems(u: UnitEntry, at: str, codes: set[str], service_keys: set[str]) -> list[Problem]:
    problems = []
    if u.municipality not in codes:
        problems.append(
            Problem(f"{at}.municipality", f"municipality {u.municipality} is not listed under municipalities")
        )
    problems += unknown(f"{at}.service", u.service, service_keys, "service")
    serves = u.serves()
    if not any(serves.values()):
        problems.append(Problem(at, "the unit serves no age group"))
    for group, row in u.availability.by_group().items():
        where = f"{at}.availability.{group}"
        if row is None and serves[group]:
            problems.append(Problem(where, f"availability for age group {group} is missing"))
        elif row is not None and not serves[group]:
            problems.append(Problem(where, f"availability given for age group {group} that the unit does not serve"))
        elif row is not None and row.free_places > u.capacity:
            problems.append(
                Problem(f"{where}.free_places", f"free_places {row.free_places} exceeds capacity {u.capacity}")
            )
    if u.provider_type == "private_voucher":
        if u.monthly_price is None:
            problems.append(Problem(f"{at}.monthly_price", "a private_voucher unit needs monthly_price"))
        if u.price_valid_from is None:
            problems.append(Problem(f"{at}.price_valid_from", "a private_voucher unit needs price_valid_from"))
    elif u.monthly_price is not None:
        problems.append(
            Problem(
                f"{at}.monthly_price",
                f"only private_voucher units have a monthly_price ({u.provider_type} units charge the municipal fee)",
            )
        )
    return problems
