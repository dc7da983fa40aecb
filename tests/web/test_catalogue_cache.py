"""The in-memory catalogue index answers like the database and never outlives a committed change."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.catalogue_cache import CACHE, KEEP_CHANGES, STATE, bump_revision, current_revision, current_revisions
from portal.catalogue_repo import SqlEcecCatalogue
from portal.extensions import db
from portal.models import Availability, ServiceLocation, UnitPrice
from tests.conftest import build_app


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
        counts = (CACHE.rebuilds, CACHE.refreshes, CACHE.partial_refreshes)
        row = db.session.scalars(select(Availability).where(Availability.location_id == unit.id)).first()
        row.free_places += 3
        db.session.commit()
        assert current_revisions(db.session) == (locations_before, revision_before + 1)

        again = _unit_near_turku(catalogue, unit.id)
        assert again.availability[row.age_group].free_places == unit.availability[row.age_group].free_places + 3
        # no rebuild, no reload of every unit: only the changed unit's figures were read
        assert (CACHE.rebuilds, CACHE.refreshes, CACHE.partial_refreshes) == (counts[0], counts[1], counts[2] + 1)
        assert _unit_near_turku(catalogue, neighbour.id) is neighbour  # untouched records are shared, not copied
        assert CACHE.partial_refreshes == counts[2] + 1  # nothing changed since: no work

        row.free_places -= 3
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit
        assert CACHE.rebuilds == counts[0]


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


def test_a_location_change_reads_that_unit_again_without_rebuilding_the_index(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        locations_before, revision_before = current_revisions(db.session)
        rebuilds, partial = CACHE.rebuilds, CACHE.partial_rebuilds
        location = db.session.get(ServiceLocation, unit.id)
        location.name = unit.name + " (renamed)"
        db.session.commit()
        assert current_revisions(db.session) == (locations_before + 1, revision_before + 1)
        assert _unit_near_turku(catalogue, unit.id).name == unit.name + " (renamed)"
        assert (CACHE.rebuilds, CACHE.partial_rebuilds) == (rebuilds, partial + 1)
        location.name = unit.name
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit


POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_app(request: pytest.FixtureRequest, app: Flask) -> Flask:
    """The shared SQLite app, and a PostgreSQL one when ``make test`` started the database (its own triggers)."""
    if request.param == "sqlite":
        return app
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    return build_app(POSTGRES_URL)


def test_a_unit_that_moves_is_found_at_its_new_place_only(any_app) -> None:
    with any_app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        rebuilds = CACHE.rebuilds
        location = db.session.get(ServiceLocation, unit.id)
        location.latitude, location.longitude = 65.0121, 25.4651  # to Oulu, hundreds of kilometres north
        db.session.commit()
        assert unit.id not in {u.id for u in catalogue.units_within(60.4518, 22.2666, 10)}
        moved = {u.id: u for u in catalogue.units_within(65.0121, 25.4651, 1)}[unit.id]
        assert (moved.latitude, moved.longitude) == (65.0121, 25.4651)
        assert {u.id: u for u in catalogue.units_within(65.0121, 25.4651, 1)} == {
            u.id: u for u in catalogue.units_within_uncached(65.0121, 25.4651, 1)
        }
        location.latitude, location.longitude = unit.latitude, unit.longitude
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit
        assert unit.id not in {u.id for u in catalogue.units_within(65.0121, 25.4651, 1)}
        assert CACHE.rebuilds == rebuilds


def test_a_new_unit_appears_and_a_removed_one_goes(any_app) -> None:
    from portal.models import EcecUnit

    with any_app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        some = db.session.get(ServiceLocation, catalogue.units_within(60.4518, 22.2666, 10)[0].id)
        rebuilds = CACHE.rebuilds
        location = ServiceLocation(
            service_id=some.service_id,
            name="Päiväkoti Testi",
            street_address="Testikatu 1",
            postal_code=some.postal_code,
            municipality_code=some.municipality_code,
            latitude=60.4600,
            longitude=22.2700,
            languages="fi",
        )
        db.session.add(location)
        db.session.flush()
        unit = EcecUnit(location_id=location.id, care_type="day_care_centre", provider_type="municipal", capacity=40)
        db.session.add(unit)
        db.session.commit()
        found = {u.id: u for u in catalogue.units_within(60.4518, 22.2666, 10)}
        assert found[location.id].name == "Päiväkoti Testi" and found[location.id].availability == {}
        db.session.delete(unit)
        db.session.delete(location)
        db.session.commit()
        assert location.id not in {u.id for u in catalogue.units_within(60.4518, 22.2666, 10)}
        assert CACHE.rebuilds == rebuilds


def test_a_location_change_past_the_kept_log_rebuilds_the_index(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        rebuilds = CACHE.rebuilds
        db.session.execute(
            update(STATE)
            .where(STATE.c.id == 1)
            .values(revision=STATE.c.revision + KEEP_CHANGES + 1, locations_revision=STATE.c.locations_revision + 1)
        )
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit
        assert CACHE.rebuilds == rebuilds + 1


def test_bump_revision_marks_figures_only_unless_told_locations(app) -> None:
    with app.app_context():
        locations, revision = current_revisions(db.session)
        bump_revision(db.session)
        assert current_revisions(db.session) == (locations, revision + 1)
        bump_revision(db.session, locations=True)
        assert current_revisions(db.session) == (locations + 1, revision + 2)
        db.session.rollback()
        assert current_revisions(db.session) == (locations, revision)


def test_a_core_update_of_availability_is_logged_by_the_trigger_and_seen(any_app) -> None:
    """Reservations change free places with Core UPDATEs (no ORM object): the database's trigger logs the unit."""
    with any_app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[-1]
        group = next(iter(unit.availability))
        table = Availability.__table__
        rebuilds, partial = CACHE.rebuilds, CACHE.partial_refreshes
        bump_revision(db.session)  # as reservations do, first
        db.session.execute(
            update(table)
            .where(table.c.location_id == unit.id, table.c.age_group == group)
            .values(free_places=table.c.free_places + 5)
        )
        db.session.commit()
        again = _unit_near_turku(catalogue, unit.id)
        assert again.availability[group].free_places == unit.availability[group].free_places + 5
        assert (CACHE.rebuilds, CACHE.partial_refreshes) == (rebuilds, partial + 1)
        bump_revision(db.session)
        db.session.execute(
            update(table)
            .where(table.c.location_id == unit.id, table.c.age_group == group)
            .values(free_places=table.c.free_places - 5)
        )
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit


def test_an_index_further_behind_than_the_kept_log_reloads_every_units_figures(app) -> None:
    with app.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2027, 8, 12))
        unit = catalogue.units_within(60.4518, 22.2666, 10)[0]
        rebuilds, refreshes = CACHE.rebuilds, CACHE.refreshes
        # as if KEEP_CHANGES revisions had passed (and their log had been pruned) since the index was read
        db.session.execute(update(STATE).where(STATE.c.id == 1).values(revision=STATE.c.revision + KEEP_CHANGES + 1))
        db.session.commit()
        assert _unit_near_turku(catalogue, unit.id) == unit
        assert (CACHE.rebuilds, CACHE.refreshes) == (rebuilds, refreshes + 1)


def test_bump_revision_prunes_the_change_log(app) -> None:
    from portal.catalogue_cache import CHANGES, PRUNE_EVERY

    with app.app_context():
        revision = current_revision(db.session)
        db.session.execute(CHANGES.insert().values(revision=revision - KEEP_CHANGES, location_id=1))
        db.session.execute(CHANGES.insert().values(revision=revision, location_id=2))
        steps = PRUNE_EVERY - revision % PRUNE_EVERY  # up to the next multiple of PRUNE_EVERY
        db.session.execute(update(STATE).where(STATE.c.id == 1).values(revision=STATE.c.revision + steps - 1))
        bump_revision(db.session)
        kept = set(db.session.scalars(select(CHANGES.c.location_id).where(CHANGES.c.location_id.in_((1, 2)))))
        assert kept == {2}  # the entry KEEP_CHANGES revisions old is gone, the new one stays
        db.session.rollback()


CHILD = """
import json, sys
from datetime import date
from portal import create_app
from portal.catalogue_cache import CACHE
from portal.catalogue_repo import SqlEcecCatalogue
from portal.extensions import db
from tests.conftest import _config

app = create_app(_config(sys.argv[1], {}))
for line in sys.stdin:
    with app.app_context():
        units = SqlEcecCatalogue(db.session, date(2027, 8, 12)).units_within(60.4518, 22.2666, 10)
        unit = {u.id: u for u in units}[int(line)]
        free = {group: a.free_places for group, a in unit.availability.items()}
        print(json.dumps({"free": free, "rebuilds": CACHE.rebuilds, "partial": CACHE.partial_refreshes}), flush=True)
"""


def test_another_process_sees_a_committed_change_without_rebuilding(app) -> None:
    """Two processes on one database (issue 17: a reservation in one worker must show in every worker, and must
    not make them rebuild their index)."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, app.config["SQLALCHEMY_DATABASE_URI"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
    )
    try:
        with app.app_context():
            unit = SqlEcecCatalogue(db.session, date(2027, 8, 12)).units_within(60.4518, 22.2666, 10)[0]
            group = next(iter(unit.availability))

            def ask() -> dict:
                child.stdin.write(f"{unit.id}\n")
                child.stdin.flush()
                return json.loads(child.stdout.readline())

            first = ask()
            assert first["free"][group] == unit.availability[group].free_places and first["rebuilds"] == 1
            row = db.session.scalars(
                select(Availability).where(Availability.location_id == unit.id, Availability.age_group == group)
            ).one()
            row.free_places += 2
            db.session.commit()
            second = ask()
            assert second["free"][group] == unit.availability[group].free_places + 2
            assert (second["rebuilds"], second["partial"]) == (1, first["partial"] + 1)
            row.free_places -= 2
            db.session.commit()
            assert ask()["free"][group] == unit.availability[group].free_places
    finally:
        child.stdin.close()
        child.wait(timeout=30)


def test_a_warmed_up_worker_answers_its_first_search_without_building(tmp_path) -> None:
    """gunicorn.conf.py's post_worker_init warms each worker up: the first citizen's search finds the index built."""
    fresh = build_app(f"sqlite:///{tmp_path / 'warm.db'}")
    with fresh.app_context():
        catalogue = SqlEcecCatalogue(db.session, date(2026, 11, 22))
        before = CACHE.rebuilds
        catalogue.warm_up()
        assert CACHE.rebuilds == before + 1  # a new database: its index is built now
        catalogue.units_within(60.4518, 22.2666, 5)  # Turku
        assert CACHE.rebuilds == before + 1
