"""The catalogue lookups of one journey page, each read once: postal areas, their municipalities and the
municipal contacts of the checklist.

Why: a results page parses every answer again (``store.current_walk``) and builds the checklist; with the
plain adapters (``portal.catalogue_repo``) each place question read its postal code twice (once to check that it
exists, once for the area) and its municipality once more, and the checklist read the same municipality once per
task, each a separate ORM load (the loaded rows are not kept, so the identity map does not help): ten queries
where one tells the same. Here the postal codes the answers give are read together, each with its municipality
(names and contact, joined), in one Core statement; a checklist's municipality is then already known.

What is read is kept on the request (``flask.g``) and nowhere else: the next page reads the catalogue again, so a
changed postal area or contact shows at once, as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from configurator.checklist import Contact
from configurator.geo import Name, Place
from configurator.lifeevents import LifeEvent

from ..catalogue_repo import SqlDirectory, SqlPlaces
from ..context import directory
from ..extensions import db
from ..models import Municipality, PostalCode

_MUNICIPALITY = aliased(Municipality)
_MUNICIPAL_COLUMNS = (
    _MUNICIPALITY.name_fi.label("municipality_fi"),
    _MUNICIPALITY.name_sv.label("municipality_sv"),
    _MUNICIPALITY.ecec_phone,
    _MUNICIPALITY.ecec_email,
    _MUNICIPALITY.ecec_eservice_url,
)
# Postal areas with their municipality (outer join: a code whose municipality is not in the table still names its
# area, as SqlPlaces does). Built once: SQLAlchemy compiles each once per process (and per number of codes).
_AREAS = (
    select(
        PostalCode.code,
        PostalCode.municipality_code,
        PostalCode.name_fi,
        PostalCode.name_sv,
        PostalCode.latitude,
        PostalCode.longitude,
        *_MUNICIPAL_COLUMNS,
    )
    .outerjoin(_MUNICIPALITY, _MUNICIPALITY.code == PostalCode.municipality_code)
    .where(PostalCode.code.in_(bindparam("codes", expanding=True)))
)
_MUNICIPALITY_ROW = select(*_MUNICIPAL_COLUMNS).where(_MUNICIPALITY.code == bindparam("code"))
# What parse_postal_code takes as a postal code (configurator/questions/place.py): five ASCII digits, spaces removed.
_POSTAL_CODE = re.compile(r"[0-9]{5}")


@dataclass(frozen=True)
class MunicipalRow:
    """A municipality's names and ECEC contact as the table keeps them."""

    name_fi: str
    name_sv: str
    phone: str | None
    email: str | None
    eservice_url: str | None


class PageLookups:
    """What one request read of postal areas and municipalities (None: there is no such code)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.areas: dict[str, Place | None] = {}
        self.municipalities: dict[str, MunicipalRow | None] = {}

    def read_areas(self, codes: Iterable[str]) -> None:
        """Read these postal areas (those not read yet), with their municipalities, in one statement."""
        wanted = sorted({code for code in codes if code not in self.areas})
        if not wanted:
            return
        found = self.session.connection().execute(_AREAS, {"codes": wanted}).all()
        self.areas.update(dict.fromkeys(wanted))
        for row in found:
            municipality = _municipal_row(row)
            self.municipalities[row.municipality_code] = municipality
            self.areas[row.code] = Place(
                row.latitude,
                row.longitude,
                row.municipality_code,
                row.code,
                area=Name(row.name_fi, row.name_sv),
                municipality=Name(municipality.name_fi, municipality.name_sv) if municipality else None,
            )

    def municipality(self, code: str) -> MunicipalRow | None:
        if code not in self.municipalities:
            row = self.session.connection().execute(_MUNICIPALITY_ROW, {"code": code}).first()
            self.municipalities[code] = _municipal_row(row) if row is not None else None
        return self.municipalities[code]


def _municipal_row(row: Any) -> MunicipalRow | None:
    if row.municipality_fi is None:  # the outer join found none (name_fi is never NULL in the table)
        return None
    return MunicipalRow(row.municipality_fi, row.municipality_sv, row.ecec_phone, row.ecec_email, row.ecec_eservice_url)


class PagePlaces(SqlPlaces):
    """SqlPlaces over one request's lookups; ``expected`` are the postal codes the answers give, read together
    with the first one asked for."""

    def __init__(self, lookups: PageLookups, expected: Iterable[str] = ()) -> None:
        super().__init__(lookups.session)
        self.lookups = lookups
        self.expected = tuple(expected)

    def by_postal_code(self, postal_code: str) -> Place | None:
        if postal_code not in self.lookups.areas:
            self.lookups.read_areas((postal_code, *self.expected))
        return self.lookups.areas[postal_code]

    def postal_code_exists(self, postal_code: str) -> bool:
        return self.by_postal_code(postal_code) is not None


class PageDirectory(SqlDirectory):
    """SqlDirectory over one request's lookups: a municipality the answers named is not read again."""

    def __init__(self, lookups: PageLookups, locale: str) -> None:
        super().__init__(lookups.session, locale)
        self.lookups = lookups
        self._services: dict[tuple[str, str], Contact | None] = {}

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        """As SqlDirectory.municipality_contact."""
        row = self.lookups.municipality(municipality_code)
        if row is None:
            return None
        name = Name(row.name_fi, row.name_sv).display(self.locale)
        return Contact(name=name, phone=row.phone, email=row.email, **self._urls(row.eservice_url))

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        key = (kind, municipality_code)
        if key not in self._services:
            self._services[key] = super().service_contact(kind, municipality_code)
        return self._services[key]


def page_lookups() -> PageLookups:
    """This request's lookups (made on first use)."""
    if "page_lookups" not in g:
        g.page_lookups = PageLookups(db.session)
    return g.page_lookups


def postal_codes_given(event: LifeEvent, raw: Mapping[str, Any]) -> list[str]:
    """The postal codes the raw answers give to the event's postal-code and place questions (as parsing will
    read them), so that they are read together."""
    found = []
    for question in event.questions():
        if question.kind.name in ("postal_code", "location"):
            text = raw.get(question.kind.first_field(question.id))
            code = text.strip().replace(" ", "") if isinstance(text, str) else ""
            if _POSTAL_CODE.fullmatch(code):
                found.append(code)
    return found


def journey_places(event: LifeEvent | None = None, raw: Mapping[str, Any] | None = None) -> PagePlaces:
    """The postal areas for a walk of these answers."""
    expected = postal_codes_given(event, raw) if event is not None and raw is not None else ()
    return PagePlaces(page_lookups(), expected)


def journey_directory() -> PageDirectory:
    """The contacts of one page's checklist, in the page's language."""
    return PageDirectory(page_lookups(), directory().locale)
