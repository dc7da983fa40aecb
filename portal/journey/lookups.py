"""The catalogue lookups of one journey page, each read once: postal areas and municipal contacts.

Why: a results page parses every answer again (``store.current_walk``) and builds the checklist; with the
plain adapters (``portal.catalogue_repo``) each place question read its postal code twice (once to check that it
exists, once for the area) and its municipality once more, and the checklist read the same municipality once per
task, each a separate ORM load (the loaded rows are not kept, so the identity map does not help): ten queries
where three tell the same. Here a postal area is one Core statement with its municipality's names (joined), and
each answer is remembered for the life of the object, which is one page's work (``journey_places``,
``journey_directory`` make one per call): nothing is kept between requests, so a changed catalogue is read on the
next page as before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from configurator.checklist import Contact
from configurator.geo import Name, Place

from ..catalogue_repo import SqlDirectory, SqlPlaces
from ..context import directory
from ..extensions import db
from ..models import Municipality, PostalCode

_MUNICIPALITY = aliased(Municipality)
# One postal area with its municipality's names (outer join: a code whose municipality is not in the table
# still names its area, as SqlPlaces does). Built once: SQLAlchemy compiles it once per process.
_AREA = (
    select(
        PostalCode.code,
        PostalCode.municipality_code,
        PostalCode.name_fi,
        PostalCode.name_sv,
        PostalCode.latitude,
        PostalCode.longitude,
        _MUNICIPALITY.name_fi.label("municipality_fi"),
        _MUNICIPALITY.name_sv.label("municipality_sv"),
    )
    .outerjoin(_MUNICIPALITY, _MUNICIPALITY.code == PostalCode.municipality_code)
    .where(PostalCode.code == bindparam("code"))
)
_MUNICIPAL_CONTACT = select(
    Municipality.name_fi,
    Municipality.name_sv,
    Municipality.ecec_phone,
    Municipality.ecec_email,
    Municipality.ecec_eservice_url,
).where(Municipality.code == bindparam("code"))


class PagePlaces(SqlPlaces):
    """SqlPlaces for one page: a postal area read with its municipality in one statement, and once."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._areas: dict[str, Place | None] = {}

    def by_postal_code(self, postal_code: str) -> Place | None:
        if postal_code not in self._areas:
            self._areas[postal_code] = self._read_area(postal_code)
        return self._areas[postal_code]

    def postal_code_exists(self, postal_code: str) -> bool:
        return self.by_postal_code(postal_code) is not None

    def _read_area(self, postal_code: str) -> Place | None:
        row = self.session.connection().execute(_AREA, {"code": postal_code}).first()
        if row is None:
            return None
        named = row.municipality_fi is not None
        return Place(
            row.latitude,
            row.longitude,
            row.municipality_code,
            row.code,
            area=Name(row.name_fi, row.name_sv),
            municipality=Name(row.municipality_fi, row.municipality_sv) if named else None,
        )


class PageDirectory(SqlDirectory):
    """SqlDirectory for one page: each contact read once (a checklist names the same municipality per task), a
    municipality's with one Core statement."""

    def __init__(self, session: Session, locale: str) -> None:
        super().__init__(session, locale)
        self._found: dict[tuple[Any, ...], Contact | None] = {}

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        key = ("municipality", municipality_code, service)
        if key not in self._found:
            self._found[key] = self._read_municipal_contact(municipality_code)
        return self._found[key]

    def _read_municipal_contact(self, municipality_code: str) -> Contact | None:
        """As SqlDirectory.municipality_contact, with one Core statement built once (not an ORM load)."""
        row = self.session.connection().execute(_MUNICIPAL_CONTACT, {"code": municipality_code}).first()
        if row is None:
            return None
        name = Name(row.name_fi, row.name_sv).display(self.locale)
        return Contact(name=name, phone=row.ecec_phone, email=row.ecec_email, **self._urls(row.ecec_eservice_url))

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        key = ("service", kind, municipality_code)
        if key not in self._found:
            self._found[key] = super().service_contact(kind, municipality_code)
        return self._found[key]


def journey_places() -> PagePlaces:
    """The postal areas of one page's work (a walk of the answers, a step's parse)."""
    return PagePlaces(db.session)


def journey_directory() -> PageDirectory:
    """The contacts of one page's checklist, in the page's language."""
    plain = directory()
    return PageDirectory(plain.session, plain.locale)
