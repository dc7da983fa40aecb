"""The in-memory catalogue index answers like the database and never outlives a committed change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from portal.catalogue_cache import CACHE, bump_revision, current_revision, current_revisions
from portal.catalogue_repo import SqlEcecCatalogue
from portal.extensions import db
from portal.models import Availability, ServiceLocation, UnitPrice


def test_index_matches_the_database_query(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        for lat, lon, km in ((60.4518, 22.2666, 10), (60.45, 22.0, 3), (60.53, 22.37, 5)):
            cached = {u.id: u for u in catalogue.units_within(lat, lon, km)}
            direct = {u.id: u for u in catalogue.units_within_uncached(lat, lon, km)}
            assert cached == direct and cached


def test_committed_availability_change_is_seen_at_once(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        before = current_revision(db.session)
        row = db.session.scalars(select(Availability).where(Availability.location_id == unit.id)).first()
        row.free_places += 7
        db.session.commit()
        assert current_revision(db.session) == before + 1
        again = {u.id: u for u in catalogue.units_within(60.4518, 22.2666, 10)}[unit.id]
        assert again.availability[row.age_group].free_places == unit.availability[row.age_group].free_places + 7
        row.free_places -= 7
        db.session.commit()


def _unit_near_turku(catalogue: SqlEcecCatalogue, unit_id: int):
    return {u.id: u for u in catalogue.units_within(60.4518, 22.2666, 10)}[unit_id]


def test_an_availability_change_is_seen_on_the_next_request_without_rebuilding_the_index(app) -> None:
    """A reservation or an organiser's report changes figures only: the grid stays, the figures are refreshed."""
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        neighbour = catalogue.units_within(60.4518, 22.2666, 10)[1]
        locations_before, revision_before = current_revisions(db.session)
        rebuilds, refreshes = CACHE.rebuilds, CACHE.refreshes
        row = db.session.scalars(select(Availability).where(Availability.location_id == unit.id)).first()
        row.free_places += 3
        db.session.commit()
        assert current_revisions(db.session) == (locations_before, revision_before + 1)

        again = _unit_near_turku(catalogue, unit.id)
        assert again.availability[row.age_group].free_places == unit.availability[row.age_group].free_places + 3
        assert (CACHE.rebuilds, CACHE.refreshes) == (rebuilds, refreshes + 1)
        assert _unit_near_turku(catalogue, neighbour.id) is neighbour  # untouched records are shared, not copied
        assert (CACHE.rebuilds, CACHE.refreshes) == (rebuilds, refreshes + 1)  # nothing changed since: no work

        row.free_places -= 3
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit
        assert CACHE.rebuilds == rebuilds


def test_a_price_change_is_seen_without_rebuilding_the_index(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        price = db.session.scalars(select(UnitPrice).order_by(UnitPrice.valid_from.desc())).first()
        assert price is not None and price.valid_from <= date(2027, 8, 12)
        location = db.session.get(ServiceLocation, price.location_id)
        near = SqlEcecCatalogue(db.session, date(2027, 8, 12)).units_within(location.latitude, location.longitude, 1)
        before = {u.id: u for u in near}[location.id].monthly_price
        rebuilds = CACHE.rebuilds
        price.monthly_price = before + Decimal("12.50")
        db.session.commit()
        found = {u.id: u for u in catalogue.units_within(location.latitude, location.longitude, 1)}[location.id]
        assert found.monthly_price == before + Decimal("12.50") and CACHE.rebuilds == rebuilds
        price.monthly_price = before
        db.session.commit()


def test_a_location_change_rebuilds_the_index(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        locations_before, revision_before = current_revisions(db.session)
        rebuilds = CACHE.rebuilds
        location = db.session.get(ServiceLocation, unit.id)
        location.name = unit.name + " (renamed)"
        db.session.commit()
        assert current_revisions(db.session) == (locations_before + 1, revision_before + 1)
        assert _unit_near_turku(catalogue, unit.id).name == unit.name + " (renamed)"
        assert CACHE.rebuilds == rebuilds + 1
        location.name = unit.name
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit


def test_bump_revision_marks_figures_only_unless_told_locations(app) -> None:
    with app.app_context():
        locations, revision = current_revisions(db.session)
        bump_revision(db.session)
        assert current_revisions(db.session) == (locations, revision + 1)
        bump_revision(db.session, locations=True)
        assert current_revisions(db.session) == (locations + 1, revision + 2)
        db.session.rollback()
        assert current_revisions(db.session) == (locations, revision)
