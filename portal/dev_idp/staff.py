"""The development provider's staff test people (staff.yaml): the organisers of issue 15, validated at start-up
like people.yaml. Their claims (scope ``polku_staff``) are the contract portal/signin/claims.py maps:
``polku_roles``, ``polku_organisations`` (business ids), ``polku_units`` (service_location ids)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from configurator.schemas import DataFileError, Problem, load_yaml, validate_file
from configurator.schemas.types import BusinessId, FileModel, NonEmpty, Text

from .people import SUB_PATTERN, DescriptionModel, Language, PeopleError, _pattern

DEFAULT_STAFF_PATH = Path(__file__).resolve().parent / "staff.yaml"
STAFF_SCOPE = "polku_staff"
Role = Literal[
    "ecec_service_manager", "unit_director", "private_provider", "business_advice_coordinator", "catalogue_admin"
]


class StaffModel(FileModel):
    sub: Annotated[str, _pattern(SUB_PATTERN, "sub is a fixed, random-looking UUID string")]
    given_name: Text
    family_name: Text
    locale: Language
    roles: Annotated[list[Role], NonEmpty]
    organisations: list[BusinessId]
    units: list[Annotated[int, "service_location id"]]
    description: DescriptionModel


class StaffFile(FileModel):
    staff: Annotated[list[StaffModel], NonEmpty]


@dataclass(frozen=True)
class StaffPerson:
    """A staff test person; offered on the chooser only for the polku_staff scope."""

    sub: str
    given_name: str
    family_name: str
    locale: str
    roles: tuple[str, ...]
    organisations: tuple[str, ...]
    units: tuple[int, ...]
    descriptions: dict[str, str]
    staff = True

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["en"]

    def claims(self, scopes: list[str] | tuple[str, ...] | set[str]) -> dict[str, Any]:
        claims: dict[str, Any] = {"sub": self.sub}
        if "profile" in scopes:
            claims |= {
                "name": self.name,
                "given_name": self.given_name,
                "family_name": self.family_name,
                "locale": self.locale,
            }
        if STAFF_SCOPE in scopes:
            claims |= {
                "polku_roles": list(self.roles),
                "polku_organisations": list(self.organisations),
                "polku_units": list(self.units),
            }
        return claims


def load_staff(path: Path = DEFAULT_STAFF_PATH) -> dict[str, StaffPerson]:
    """The staff test people by sub, in file order; a PeopleError names the file, the path and every problem."""
    try:
        staff_file = validate_file(StaffFile, load_yaml(Path(path)), path)
    except DataFileError as error:
        raise PeopleError(error.file, error.problems) from None
    staff: dict[str, StaffPerson] = {}
    for i, model in enumerate(staff_file.staff):
        if model.sub in staff:
            raise PeopleError(path, [Problem(f"staff[{i}].sub", f"sub {model.sub} is used twice")])
        staff[model.sub] = StaffPerson(
            sub=model.sub,
            given_name=model.given_name,
            family_name=model.family_name,
            locale=model.locale,
            roles=tuple(model.roles),
            organisations=tuple(model.organisations),
            units=tuple(model.units),
            descriptions=model.description.model_dump(),
        )
    return staff
