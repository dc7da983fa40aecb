"""The index's one pass over the units near home and work (issue 17, the results page's speed) gives what two
lookups and the comparison's own distances gave: the same units, in the same order, with the same kilometres to
the last bit."""

from __future__ import annotations

import random
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import delete

from configurator.geo import distance_km
from portal.catalogue_repo import SqlEcecCatalogue
from portal.demo.generator import generate_catalogue
from portal.extensions import db
from portal.models import UnitPrice
from tests.conftest import build_app

ON = date(2027, 8, 12)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Its own database: 3,000 generated units besides the demo's (the shared one keeps its counts)."""
    app = build_app(f"sqlite:///{tmp_path_factory.mktemp('near') / 'near.db'}")
    with app.app_context():
        generate_catalogue(db.session, 3000, seed=3)
        db.session.commit()
    return app


def _two_lookups(catalogue: SqlEcecCatalogue, home, work, km: float):
    """The definition before the one pass: units_within() of home, then of work for the units not yet found,
    each unit's distances from distance_km."""
    found = {u.id: u for u in catalogue.units_within(*home, km)}
    if work is not None:
        found.update({u.id: u for u in catalogue.units_within(*work, km)})
    return [
        (
            u,
            distance_km(*home, u.latitude, u.longitude),
            None if work is None else distance_km(*work, u.latitude, u.longitude),
        )
        for u in found.values()
    ]


def test_one_pass_finds_what_two_lookups_find_in_the_same_order_with_the_same_distances(big: Flask) -> None:
    rng = random.Random(17)
    with big.app_context():
        catalogue = SqlEcecCatalogue(db.session, ON)
        points = [(60.4518, 22.2666), (60.45, 22.30), (60.39, 22.10), (60.53, 22.37), (69.9, 27.0)]
        points += [(60.45 + rng.uniform(-0.2, 0.2), 22.27 + rng.uniform(-0.4, 0.4)) for _ in range(6)]
        pairs = [(home, work) for home in points[:6] for work in (None, *points[4:8])]
        seen = 0
        for home, work in pairs:
            for km in (10.0, 3.0):
                expected = _two_lookups(catalogue, home, work, km)
                got = catalogue.units_near(home, work, km)
                assert [(u.id, d_home, d_work) for u, d_home, d_work in got] == [
                    (u.id, d_home, d_work) for u, d_home, d_work in expected
                ]
                assert [u for u, _, _ in got] == [u for u, _, _ in expected]  # priced for the day, as units_within
                seen += len(got)
        assert seen > 1000  # the points lie among the generated units, so this compared many


def test_units_near_both_points_come_once_and_far_work_adds_its_own(big: Flask) -> None:
    with big.app_context():
        catalogue = SqlEcecCatalogue(db.session, ON)
        home = (60.4518, 22.2666)
        alone = catalogue.units_near(home, None, 10.0)
        same = catalogue.units_near(home, home, 10.0)
        assert [u.id for u, _, _ in same] == [u.id for u, _, _ in alone] and alone
        assert all(d_home == d_work for _, d_home, d_work in same)
        far = catalogue.units_near(home, (69.9, 27.0), 10.0)  # a workplace in Lapland: no units there
        assert [u.id for u, _, _ in far] == [u.id for u, _, _ in alone]
        assert len({u.id for u, _, _ in catalogue.units_near(home, (60.39, 22.10), 10.0)}) == len(
            catalogue.units_near(home, (60.39, 22.10), 10.0)
        )


def test_units_near_are_priced_for_the_day_as_the_database_prices_them(big: Flask) -> None:
    """A price that starts later (an organiser's announced rise) counts only from its day; before it the older
    price does, as the database query says."""
    home = (60.4518, 22.2666)
    with big.app_context():
        voucher = next(
            u for u, _, _ in SqlEcecCatalogue(db.session, ON).units_near(home, None, 10.0) if u.monthly_price
        )
        rise = date(2027, 10, 1)
        db.session.add(UnitPrice(location_id=voucher.id, valid_from=rise, monthly_price=voucher.monthly_price + 50))
        db.session.commit()
        try:
            for day, expected in ((ON, voucher.monthly_price), (rise, voucher.monthly_price + 50)):
                catalogue = SqlEcecCatalogue(db.session, day)
                near = {u.id: u for u, _, _ in catalogue.units_near(home, None, 10.0)}
                direct = {u.id: u for u in catalogue.units_within_uncached(*home, 10.0)}
                assert near[voucher.id].monthly_price == direct[voucher.id].monthly_price == expected
                assert {i: u.monthly_price for i, u in near.items()} == {i: u.monthly_price for i, u in direct.items()}
        finally:
            db.session.execute(
                delete(UnitPrice).where(UnitPrice.location_id == voucher.id, UnitPrice.valid_from == rise)
            )
            db.session.commit()
