"""The in-memory catalogue index answers like the database and never outlives a committed change."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.catalogue_cache import current_revision
from portal.catalogue_repo import SqlEcecCatalogue
from portal.extensions import db
from portal.models import Availability


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
