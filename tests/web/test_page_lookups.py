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
from portal.context import life_events
from portal.extensions import db
from portal.journey.lookups import (
    PageDirectory,
    PageLookups,
    PagePlaces,
    journey_directory,
    journey_places,
    postal_codes_given,
)
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


def page_places(*expected: str) -> PagePlaces:
    return PagePlaces(PageLookups(db.session), expected)


@pytest.mark.parametrize("code", ["20100", "20520", "00100", "00000"])
def test_a_postal_area_is_what_sql_places_says(database: None, code: str) -> None:
    assert page_places().by_postal_code(code) == SqlPlaces(db.session).by_postal_code(code)
    assert page_places().postal_code_exists(code) is SqlPlaces(db.session).postal_code_exists(code)
    assert page_places("20100", "00000").by_postal_code(code) == SqlPlaces(db.session).by_postal_code(code)


def test_every_postal_area_is_what_sql_places_says(database: None) -> None:
    codes = db.session.scalars(select(PostalCode.code)).all()
    assert len(codes) > 3000
    places = page_places(*codes[:500])  # read together in one statement: the same places
    plain = SqlPlaces(db.session)
    assert [places.by_postal_code(c) for c in codes] == [plain.by_postal_code(c) for c in codes]


def test_the_areas_written_out(database: None) -> None:
    places = page_places()
    turku = Name("Turku", "Åbo")
    assert places.by_postal_code("20100") == Place(60.451, 22.256, "853", "20100", area=turku, municipality=turku)
    helsinki = Name("Helsinki", "Helsingfors")
    assert places.by_postal_code("00100") == Place(None, None, "091", "00100", area=helsinki, municipality=helsinki)
    assert places.by_postal_code("00000") is None
    assert places.postal_code_exists("00000") is False


def test_an_area_whose_municipality_is_not_known_is_still_named(database: None) -> None:
    db.session.add(PostalCode(code="99998", municipality_code="999", name_fi="Testilä", name_sv="Testby"))
    db.session.flush()
    found = page_places().by_postal_code("99998")
    assert found == Place(None, None, "999", "99998", area=Name("Testilä", "Testby"), municipality=None)
    assert found == SqlPlaces(db.session).by_postal_code("99998")
    assert PageDirectory(PageLookups(db.session), "fi").municipality_contact("999", "ecec") is None


def test_the_answers_postal_codes_are_read_together_and_once(queries: list[str]) -> None:
    """Checking that a code exists and reading its area, for both codes the answers give, is one query; the
    municipality's contact for the checklist is then known too."""
    lookups = PageLookups(db.session)
    places = PagePlaces(lookups, ("20100", "20520"))
    queries.clear()
    assert places.postal_code_exists("20100")
    assert places.by_postal_code("20100") is not None
    assert places.by_postal_code("20520") is not None
    assert len(queries) == 1
    contact = PageDirectory(lookups, "fi").municipality_contact("853", "ecec")
    assert contact == SqlDirectory(db.session, "fi").municipality_contact("853", "ecec")
    assert len(queries) == 2  # the plain directory's own read
    places.by_postal_code("00100")
    assert len(queries) == 3


def test_one_request_reads_an_area_once_and_the_next_request_again(app: Flask) -> None:
    """Kept on the request (flask.g) only: a new request reads the catalogue as it is now."""
    seen: list[str] = []

    def note(*args: object) -> None:
        seen.append(str(args[2]))

    for _ in range(2):
        with app.test_request_context("/fi/events/ecec/plan"):
            event.listen(db.engine, "before_cursor_execute", note)
            try:
                seen.clear()
                assert journey_places().by_postal_code("20100") is not None
                assert journey_places().postal_code_exists("20100")
                assert journey_directory().municipality_contact("853", "ecec") is not None
                assert len(seen) == 1
            finally:
                event.remove(db.engine, "before_cursor_execute", note)


def test_the_postal_codes_the_answers_give(app: Flask) -> None:
    with app.app_context():
        ecec = life_events()["ecec"]
        raw = {"home-postal_code": " 20 100 ", "work-postal_code": "2052", "home-lat": "60.4", "income": "20100"}
        assert postal_codes_given(ecec, raw) == ["20100"]
        assert postal_codes_given(ecec, {"home-postal_code": "20100", "work-postal_code": "20520"}) == [
            "20100",
            "20520",
        ]
        assert postal_codes_given(ecec, {}) == []


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_a_municipal_contact_is_what_sql_directory_says_and_read_once(queries: list[str], locale: str) -> None:
    page = PageDirectory(PageLookups(db.session), locale)
    plain = SqlDirectory(db.session, locale)
    queries.clear()
    first = page.municipality_contact("853", "ecec")
    assert first is not None and first == plain.municipality_contact("853", "ecec")
    assert len(queries) == 2  # one each
    assert page.municipality_contact("853", "ecec") == first
    assert page.municipality_contact("000", "ecec") is None is plain.municipality_contact("000", "ecec")
    assert len(queries) == 4


def test_a_service_contact_is_what_sql_directory_says_and_read_once(queries: list[str]) -> None:
    page, plain = PageDirectory(PageLookups(db.session), "fi"), SqlDirectory(db.session, "fi")
    queries.clear()
    first = page.service_contact("business_advice", "853")
    assert first == plain.service_contact("business_advice", "853")
    assert len(queries) == 2
    assert page.service_contact("business_advice", "853") == first
    assert len(queries) == 2


@pytest.mark.parametrize("locale", ["fi", "sv", "en"])
def test_every_municipal_contact_is_what_sql_directory_says(database: None, locale: str) -> None:
    codes = db.session.scalars(select(Municipality.code)).all()
    assert len(codes) > 300
    page, plain = PageDirectory(PageLookups(db.session), locale), SqlDirectory(db.session, locale)
    assert [page.municipality_contact(c, "ecec") for c in codes] == [
        plain.municipality_contact(c, "ecec") for c in codes
    ]
    with_all = [c for c in codes if (found := page.municipality_contact(c, "ecec")) and found.phone and found.url]
    assert with_all, "some municipality has a phone and an e-service address"
    # read through the postal areas: the same contacts
    areas = PageLookups(db.session)
    areas.read_areas(db.session.scalars(select(PostalCode.code)).all())
    through_areas = PageDirectory(areas, locale)
    named = sorted({p.municipality_code for p in areas.areas.values() if p is not None})
    assert [through_areas.municipality_contact(c, "ecec") for c in named] == [
        plain.municipality_contact(c, "ecec") for c in named
    ]
