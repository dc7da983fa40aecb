"""The development provider's test people (people.yaml): loaded and validated at start-up, and their claims
per scope. The claim names and shapes are the contract the portal's sign-in maps:

- ``profile``: ``name``, ``given_name``, ``family_name``, ``birthdate`` (YYYY-MM-DD), ``locale``
- ``address``: ``address`` = {street_address, postal_code, locality, country, since?}; ``workplace`` the same
  (without ``since``), or absent. ``since`` is the day the person moved in (YYYY-MM-DD); people.yaml writes it
  ``N days ago``, resolved against today when the claims are given, so the demo's "recent move" stays recent.
- ``household``: ``household`` = {spouse: {name} | None, children: [{id, given_name, birthdate, guardian}]}
- ``company``: ``company_roles`` = [{business_id, name, company_form, role, mandate, status}] ([] when none)
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, StrictBool

from configurator.schemas import DataFileError, Problem, load_yaml, validate_file
from configurator.schemas.types import (
    BusinessId,
    FileModel,
    NonEmpty,
    PostalCode,
    Text,
    business_id_check_digit,
    valid_business_id,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "people.yaml"

Language = Literal["fi", "sv", "en"]
CompanyForm = Literal["toiminimi", "oy", "osk", "ay", "ky"]
Role = Literal["owner", "board_member", "ceo"]
Status = Literal["active", "bankrupt"]
LANGUAGES: tuple[str, ...] = get_args(Language)
COMPANY_FORMS: tuple[str, ...] = get_args(CompanyForm)
ROLES: tuple[str, ...] = get_args(Role)
STATUSES: tuple[str, ...] = get_args(Status)
ADDRESS_KEYS = ("street_address", "postal_code", "locality", "country")
SCOPE_CLAIMS = {
    "profile": ("name", "given_name", "family_name", "birthdate", "locale"),
    "address": ("address", "workplace"),
    "household": ("household",),
    "company": ("company_roles",),
}
SUB_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CHILD_ID_PATTERN = re.compile(r"^child-[0-9a-f-]{8,}$")
DAYS_AGO_PATTERN = re.compile(r"^(\d{1,4}) days? ago$")

__all__ = ["DEFAULT_PATH", "PeopleError", "Person", "business_id_check_digit", "load_people", "valid_business_id"]


class PeopleError(DataFileError):
    """people.yaml does not keep the claims contract: one ``<file>: <path>: <problem>`` line per problem."""


def _date_text(value: Any) -> str:
    """A birth date stays the claim's text, but must be a real date written YYYY-MM-DD."""
    if not isinstance(value, str):
        raise ValueError("a date is a quoted YYYY-MM-DD string")  # noqa: TRY004 - pydantic reports ValueErrors
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a YYYY-MM-DD date") from None
    if len(value) != 10:
        raise ValueError(f"{value!r} is not a YYYY-MM-DD date")
    return value


def _pattern(pattern: re.Pattern[str], what: str) -> BeforeValidator:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"{what}, got {value!r}")
        return value

    return BeforeValidator(check)


DateText = Annotated[str, BeforeValidator(_date_text)]


def _since_text(value: Any) -> str:
    """When the person moved in: ``N days ago`` (kept true as the calendar moves) or a YYYY-MM-DD date."""
    if isinstance(value, str) and DAYS_AGO_PATTERN.match(value):
        return value
    try:
        return _date_text(value)
    except ValueError:
        raise ValueError(f"since is 'N days ago' or a quoted YYYY-MM-DD date, got {value!r}") from None


def resolve_since(value: str, today: date) -> str:
    """The ``since`` claim: ``N days ago`` counted back from today, a date as it is."""
    match = DAYS_AGO_PATTERN.match(value)
    return (today - timedelta(days=int(match.group(1)))).isoformat() if match else value


def _today() -> date:
    """The portal's today (POLKU_TODAY in demos and tests) inside a request, Helsinki's today otherwise."""
    from flask import has_app_context

    if has_app_context():
        from ..context import today

        return today()
    from configurator import clock

    return clock.today()


class AddressModel(FileModel):
    street_address: Text
    postal_code: PostalCode
    locality: Text
    country: Literal["FI"]


class HomeAddressModel(AddressModel):
    since: Annotated[str, BeforeValidator(_since_text)] | None = None


class SpouseModel(FileModel):
    name: Text


class ChildModel(FileModel):
    id: Annotated[str, _pattern(CHILD_ID_PATTERN, "the id is 'child-' and a random-looking suffix")]
    given_name: Text
    birthdate: DateText
    guardian: StrictBool


class HouseholdModel(FileModel):
    spouse: SpouseModel | None
    children: list[ChildModel]


class CompanyRoleModel(FileModel):
    business_id: BusinessId
    name: Text
    company_form: CompanyForm
    role: Role
    mandate: StrictBool
    status: Status


class DescriptionModel(FileModel):
    """The chooser page's line about the person, in every language; never a claim."""

    fi: Text
    sv: Text
    en: Text


class PersonModel(FileModel):
    """One test person; every key is required (null where the person has none, [] for no company roles)."""

    sub: Annotated[str, _pattern(SUB_PATTERN, "sub is a fixed, random-looking UUID string")]
    given_name: Text
    family_name: Text
    birthdate: DateText
    locale: Language
    description: DescriptionModel
    address: HomeAddressModel
    workplace: AddressModel | None
    household: HouseholdModel
    company_roles: list[CompanyRoleModel]


class PeopleFile(FileModel):
    people: Annotated[list[PersonModel], NonEmpty]


@dataclass(frozen=True)
class Person:
    sub: str
    given_name: str
    family_name: str
    birthdate: str
    locale: str
    descriptions: dict[str, str]
    address: dict[str, str]
    workplace: dict[str, str] | None
    household: dict[str, Any]
    company_roles: list[dict[str, Any]]

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions["en"]

    def claims(self, scopes: list[str] | tuple[str, ...] | set[str], today: date | None = None) -> dict[str, Any]:
        """``sub`` and the claims of the granted scopes (deep copies: callers may change them); an address's
        ``since`` written ``N days ago`` is counted back from ``today`` (the portal's today by default)."""
        address = {key: value for key, value in self.address.items() if value is not None}
        if "since" in address:
            address["since"] = resolve_since(address["since"], today or _today())
        everything = {
            "name": self.name,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birthdate": self.birthdate,
            "locale": self.locale,
            "address": address,
            "workplace": self.workplace,
            "household": self.household,
            "company_roles": self.company_roles,
        }
        claims: dict[str, Any] = {"sub": self.sub}
        for scope in scopes:
            for claim in SCOPE_CLAIMS.get(scope, ()):
                if everything[claim] is not None:  # no workplace: the claim is absent
                    claims[claim] = copy.deepcopy(everything[claim])
        return claims


def _person(model: PersonModel) -> Person:
    data = model.model_dump()
    return Person(
        sub=model.sub,
        given_name=model.given_name,
        family_name=model.family_name,
        birthdate=model.birthdate,
        locale=model.locale,
        descriptions=data["description"],
        address=data["address"],
        workplace=data["workplace"],
        household=data["household"],
        company_roles=data["company_roles"],
    )


def load_people(path: Path = DEFAULT_PATH) -> dict[str, Person]:
    """The test people by sub, in file order; a PeopleError names the file, the path and every problem."""
    try:
        people_file = validate_file(PeopleFile, load_yaml(Path(path)), path)
    except DataFileError as error:
        raise PeopleError(error.file, error.problems) from None
    people: dict[str, Person] = {}
    for i, model in enumerate(people_file.people):
        if model.sub in people:
            raise PeopleError(path, [Problem(f"people[{i}].sub", f"sub {model.sub} is used twice")])
        people[model.sub] = _person(model)
    return people
