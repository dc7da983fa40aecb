"""The development provider's test people (people.yaml): loaded and validated at start-up, and their claims
per scope. The claim names and shapes are the contract the portal's sign-in maps:

- ``profile``: ``name``, ``given_name``, ``family_name``, ``birthdate`` (YYYY-MM-DD), ``locale``
- ``address``: ``address`` = {street_address, postal_code, locality, country}; ``workplace`` the same, or absent
- ``household``: ``household`` = {spouse: {name} | None, children: [{id, given_name, birthdate, guardian}]}
- ``company``: ``company_roles`` = [{business_id, name, company_form, role, mandate, status}] ([] when none)
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "people.yaml"

LANGUAGES = ("fi", "sv", "en")
COMPANY_FORMS = ("toiminimi", "oy", "osk", "ay", "ky")
ROLES = ("owner", "board_member", "ceo")
STATUSES = ("active", "bankrupt")
ADDRESS_KEYS = ("street_address", "postal_code", "locality", "country")
SCOPE_CLAIMS = {
    "profile": ("name", "given_name", "family_name", "birthdate", "locale"),
    "address": ("address", "workplace"),
    "household": ("household",),
    "company": ("company_roles",),
}
SUB_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CHILD_ID_PATTERN = re.compile(r"^child-[0-9a-f-]{8,}$")
BUSINESS_ID_PATTERN = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


class PeopleError(ValueError):
    """people.yaml does not keep the claims contract."""


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a Finnish business id (Y-tunnus) for its seven digits; None when no digit is valid
    (the remainder 1 is never given out)."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def valid_business_id(value: str) -> bool:
    match = BUSINESS_ID_PATTERN.match(value)
    return bool(match) and business_id_check_digit(match.group(1)) == int(match.group(2))


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

    def claims(self, scopes: list[str] | tuple[str, ...] | set[str]) -> dict[str, Any]:
        """``sub`` and the claims of the granted scopes (deep copies: callers may change them)."""
        everything = {
            "name": self.name, "given_name": self.given_name, "family_name": self.family_name,
            "birthdate": self.birthdate, "locale": self.locale, "address": self.address,
            "workplace": self.workplace, "household": self.household, "company_roles": self.company_roles,
        }
        claims: dict[str, Any] = {"sub": self.sub}
        for scope in scopes:
            for claim in SCOPE_CLAIMS.get(scope, ()):
                if everything[claim] is not None:  # no workplace: the claim is absent
                    claims[claim] = copy.deepcopy(everything[claim])
        return claims


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise PeopleError(f"{where}: {message}")


def _date(value: Any, where: str) -> str:
    _require(isinstance(value, str), where, "a date is a quoted YYYY-MM-DD string")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise PeopleError(f"{where}: {value!r} is not a YYYY-MM-DD date") from None
    _require(len(value) == 10, where, f"{value!r} is not a YYYY-MM-DD date")
    return value


def _text(value: Any, where: str) -> str:
    _require(isinstance(value, str) and value.strip() != "", where, "a non-empty text is required")
    return value


def _address(value: Any, where: str) -> dict[str, str]:
    _require(isinstance(value, dict) and set(value) == set(ADDRESS_KEYS), where,
             f"an address has exactly the keys {', '.join(ADDRESS_KEYS)}")
    for key in ADDRESS_KEYS:
        _text(value[key], f"{where}.{key}")
    _require(re.fullmatch(r"\d{5}", value["postal_code"]) is not None, where,
             "postal_code is five digits in quotes")
    _require(value["country"] == "FI", where, "country is FI")
    return {key: value[key] for key in ADDRESS_KEYS}


def _household(value: Any, where: str) -> dict[str, Any]:
    _require(isinstance(value, dict) and set(value) == {"spouse", "children"}, where,
             "a household has exactly the keys spouse and children")
    spouse = value["spouse"]
    if spouse is not None:
        _require(isinstance(spouse, dict) and set(spouse) == {"name"}, f"{where}.spouse",
                 "the spouse is null or {name}")
        _text(spouse["name"], f"{where}.spouse.name")
    children = value["children"]
    _require(isinstance(children, list), f"{where}.children", "children is a list")
    result = []
    for i, child in enumerate(children):
        at = f"{where}.children[{i}]"
        _require(isinstance(child, dict) and set(child) == {"id", "given_name", "birthdate", "guardian"}, at,
                 "a child has exactly the keys id, given_name, birthdate and guardian")
        _require(isinstance(child["id"], str) and CHILD_ID_PATTERN.match(child["id"]) is not None, at,
                 "the id is 'child-' and a random-looking suffix")
        _require(isinstance(child["guardian"], bool), at, "guardian is true or false")
        result.append({"id": child["id"], "given_name": _text(child["given_name"], at),
                       "birthdate": _date(child["birthdate"], at), "guardian": child["guardian"]})
    return {"spouse": None if spouse is None else {"name": spouse["name"]}, "children": result}


def _company_roles(value: Any, where: str) -> list[dict[str, Any]]:
    _require(isinstance(value, list), where, "company_roles is a list ([] when none)")
    roles = []
    for i, role in enumerate(value):
        at = f"{where}[{i}]"
        keys = {"business_id", "name", "company_form", "role", "mandate", "status"}
        _require(isinstance(role, dict) and set(role) == keys, at, f"a company role has exactly the keys {sorted(keys)}")
        _require(isinstance(role["business_id"], str) and valid_business_id(role["business_id"]), at,
                 f"{role['business_id']!r} is not a business id with a valid check digit")
        _require(role["company_form"] in COMPANY_FORMS, at, f"company_form is one of {COMPANY_FORMS}")
        _require(role["role"] in ROLES, at, f"role is one of {ROLES}")
        _require(role["status"] in STATUSES, at, f"status is one of {STATUSES}")
        _require(isinstance(role["mandate"], bool), at, "mandate is true or false")
        roles.append({"business_id": role["business_id"], "name": _text(role["name"], at),
                      "company_form": role["company_form"], "role": role["role"],
                      "mandate": role["mandate"], "status": role["status"]})
    return roles


def parse_person(data: Any, where: str) -> Person:
    keys = {"sub", "given_name", "family_name", "birthdate", "locale", "description", "address", "workplace",
            "household", "company_roles"}
    _require(isinstance(data, dict), where, "a person is a mapping")
    _require(set(data) == keys, where, f"unexpected or missing keys: {sorted(set(data) ^ keys)}")
    _require(isinstance(data["sub"], str) and SUB_PATTERN.match(data["sub"]) is not None, where,
             "sub is a fixed, random-looking UUID string")
    _require(data["locale"] in LANGUAGES, where, f"locale is one of {LANGUAGES}")
    descriptions = data["description"]
    _require(isinstance(descriptions, dict) and set(descriptions) == set(LANGUAGES), f"{where}.description",
             "a description in fi, sv and en")
    return Person(
        sub=data["sub"],
        given_name=_text(data["given_name"], f"{where}.given_name"),
        family_name=_text(data["family_name"], f"{where}.family_name"),
        birthdate=_date(data["birthdate"], f"{where}.birthdate"),
        locale=data["locale"],
        descriptions={lang: _text(descriptions[lang], f"{where}.description.{lang}") for lang in LANGUAGES},
        address=_address(data["address"], f"{where}.address"),
        workplace=None if data["workplace"] is None else _address(data["workplace"], f"{where}.workplace"),
        household=_household(data["household"], f"{where}.household"),
        company_roles=_company_roles(data["company_roles"], f"{where}.company_roles"),
    )


def load_people(path: Path = DEFAULT_PATH) -> dict[str, Person]:
    """The test people by sub, in file order; a PeopleError names what breaks the contract."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    _require(isinstance(data, dict) and isinstance(data.get("people"), list) and data["people"], str(path),
             "a non-empty list under 'people'")
    people: dict[str, Person] = {}
    for i, item in enumerate(data["people"]):
        person = parse_person(item, f"{path}: people[{i}]")
        _require(person.sub not in people, f"{path}: people[{i}]", f"sub {person.sub} is used twice")
        people[person.sub] = person
    return people
