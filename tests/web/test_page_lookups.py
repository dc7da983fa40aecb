"""One page's catalogue lookups (portal/journey/lookups.py) give what the plain adapters give, with fewer queries.

The demo database: 20100 and 20520 are Turku (853) with centroids, 00100 is Helsinki (091) without one; 00000 is
no postal code. A postal code whose municipality is not in the municipality table is added in the test's own
transaction (rolled back): its area is named, its municipality is not, as with SqlPlaces.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, select

from configurator.geo import Name, Place
from portal.catalogue_repo import SqlDirectory, SqlPlaces
from portal.extensions import db
from portal.journey.lookups import PageDirectory, PagePlaces
from portal.models import Municipality, PostalCode


@pytest.fixture()
def database(app: Flask) -> Iterator[None]:
    with app.test_request_context("/fi/events/ecec/plan"):
        yield
        db.session.rollback()


@pytest.fixture()
def queries(database: None) -> Iterator[list[str]]:
    """The SQL statements run from when the list is cleared."""
    seen: list[str] = []

    def note(*args: object) -> None:
        seen.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", note)
    yield seen
    event.remove(db.engine, "before_cursor_execute", note)


@pytest.mark.parametrize("code", ["20100", "20520", "00100", "00000"])
def test_a_postal_area_is_what_sql_places_says(database: None, code: str) -> None:
    assert PagePlaces(db.session).by_postal_code(code) == SqlPlaces(db.session).by_postal_code(code)
    assert PagePlaces(db.session).postal_code_exists(code) is SqlPlaces(db.session).postal_code_exists(code)


def test_the_areas_written_out(database: None) -> None:
    places = PagePlaces(db.session)
    turku = Name("Turku", "Åbo")
    assert places.by_postal_code("20100") == Place(60.451, 22.256, "853", "20100", area=turku, municipality=turku)
    helsinki = Name("Helsinki", "Helsingfors")
    assert places.by_postal_code("00100") == Place(None, None, "091", "00100", area=helsinki, municipality=helsinki)
    assert places.by_postal_code("00000") is None
    assert places.postal_code_exists("00000") is False


def test_an_area_whose_municipality_is_not_known_is_still_named(database: None) -> None:
    db.session.add(PostalCode(code="99998", municipality_code="999", name_fi="Testilä", name_sv="Testby"))
    db.session.flush()
    found = PagePlaces(db.session).by_postal_code("99998")
    assert found == Place(None, None, "999", "99998", area=Name("Testilä", "Testby"), municipality=None)
    assert found == SqlPlaces(db.session).by_postal_code("99998")


def test_a_place_question_reads_its_area_once(queries: list[str]) -> None:
    """Checking that the code exists and reading its area is one query; the same code again is none."""
    places = PagePlaces(db.session)
    seen = queries
    seen.clear()
    assert places.postal_code_exists("20100")
    assert places.by_postal_code("20100") is not None
    assert places.by_postal_code("20100") is not None
    assert len(seen) == 1
    places.by_postal_code("20520")
    assert len(seen) == 2


def test_another_page_reads_the_area_again(queries: list[str]) -> None:
    """Nothing is kept between pages: a new object reads the catalogue as it is now."""
    PagePlaces(db.session).by_postal_code("20100")
    seen = queries
    seen.clear()
    PagePlaces(db.session).by_postal_code("20100")
    assert len(seen) == 1


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_a_municipal_contact_is_what_sql_directory_says_and_read_once(queries: list[str], locale: str) -> None:
    page = PageDirectory(db.session, locale)
    plain = SqlDirectory(db.session, locale)
    seen = queries
    seen.clear()
    first = page.municipality_contact("853", "ecec")
    assert first is not None and first == plain.municipality_contact("853", "ecec")
    assert len(seen) == 2  # one each
    assert page.municipality_contact("853", "ecec") == first
    assert page.municipality_contact("000", "ecec") is None is plain.municipality_contact("000", "ecec")
    assert len(seen) == 4


def test_a_service_contact_is_what_sql_directory_says_and_read_once(queries: list[str]) -> None:
    page, plain = PageDirectory(db.session, "fi"), SqlDirectory(db.session, "fi")
    seen = queries
    seen.clear()
    first = page.service_contact("business_advice", "853")
    assert first == plain.service_contact("business_advice", "853")
    assert len(seen) == 2
    assert page.service_contact("business_advice", "853") == first
    assert len(seen) == 2


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_every_municipal_contact_is_what_sql_directory_says(database: None, locale: str) -> None:
    codes = db.session.scalars(select(Municipality.code)).all()
    assert len(codes) > 300
    page, plain = PageDirectory(db.session, locale), SqlDirectory(db.session, locale)
    assert [page.municipality_contact(c, "ecec") for c in codes] == [
        plain.municipality_contact(c, "ecec") for c in codes
    ]
    with_all = [c for c in codes if (found := page.municipality_contact(c, "ecec")) and found.phone and found.url]
    assert with_all, "some municipality has a phone and an e-service address"
