"""The ECEC comparison's cheaper build (issue 17 item 4) gives what the plain definitions give: the same kilometres
as distance_km, the same reasons per unit, and lists in the order of sorting each list on its own."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from configurator.catalogue import MunicipalPricing
from configurator.comparisons.ecec import SORTS, Filters, _distance_from, _passes, _sort_key
from configurator.geo import Point, distance_km

from .test_ecec_comparison import PRICING, UPDATED, Availability, build, unit


def test_distance_from_a_point_is_distance_km_to_the_last_bit() -> None:
    rng = random.Random(17)
    homes = [Point(60.4518, 22.2666), Point(69.9, 27.0), Point(59.8, 19.9), Point(0.0, 0.0)]
    for home in homes:
        from_home = _distance_from(home)
        for _ in range(2000):
            lat, lon = home.latitude + rng.uniform(-0.3, 0.3), home.longitude + rng.uniform(-0.6, 0.6)
            assert from_home(lat, lon) == distance_km(home.latitude, home.longitude, lat, lon)
        assert from_home(home.latitude, home.longitude) == 0.0


# Ties on purpose: units at the same point (same distance), with the same name, price and queue, so the order of
# equal keys shows whether one sort of all rows keeps the order that sorting each list on its own gave.
TIED = [
    unit(10, 60.4530, 22.2700, name="Sama"),
    unit(11, 60.4530, 22.2700, name="Sama", languages=("sv",)),
    unit(12, 60.4530, 22.2700, name="Sama", provider_type="private_voucher", monthly_price=Decimal(1300)),
    unit(13, 60.4600, 22.2800, name="Aalto", serves_under_3=False),
    unit(14, 60.4600, 22.2800, name="aalto", provider_type="private_voucher", monthly_price=Decimal(1300)),
    unit(15, 60.4600, 22.2800, name="Beta", shift_care=True),
    unit(
        16,
        60.4700,
        22.3000,
        name="Sama",
        availability={"under_3": Availability(0, 6, UPDATED, "director")},
        languages=("fi", "sv"),
    ),
    unit(17, 60.4700, 22.3000, name="Gamma", provider_type="private_voucher", monthly_price=None),
]


class TiedCatalogue:
    def units_within(self, lat: float, lon: float, radius_km: float):
        return [u for u in TIED if distance_km(lat, lon, u.latitude, u.longitude) <= radius_km]

    def municipal_pricing(self, code: str, on: date) -> MunicipalPricing | None:
        return PRICING if code == "853" else None


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"only_with_room": True},
        {"providers": frozenset({"private_voucher"})},
        {"max_km": 1.0, "show_all": True},
    ],
)
def test_lists_keep_the_order_of_sorting_each_list(sort: str, filters: dict, monkeypatch) -> None:
    import tests.unit.test_ecec_comparison as base

    monkeypatch.setattr(base, "Catalogue", TiedCatalogue)
    chosen = Filters(sort=sort, **filters)
    result = build(chosen)
    order = _sort_key(sort)
    every = result.candidates
    assert sorted(every, key=order) == list(every)
    # the definitions the build had before (issue 17): each list filtered, then sorted on its own
    by_unit = {u.id: i for i, u in enumerate(TIED)}
    unsorted = sorted(every, key=lambda r: by_unit[r.unit.id])  # the catalogue's order, as the build saw them
    assert list(result.rows) == sorted((r for r in unsorted if r.matches and _passes(r, chosen)), key=order)
    assert list(result.others) == sorted((r for r in unsorted if not r.matches and _passes(r, chosen)), key=order)
    assert result.in_reach == sum(r.matches for r in every)


def test_reasons_are_worked_out_per_unit_as_before(monkeypatch) -> None:
    import tests.unit.test_ecec_comparison as base

    monkeypatch.setattr(base, "Catalogue", TiedCatalogue)
    result = build(Filters(show_all=True))
    assert {r.unit.id for r in result.candidates} == {u.id for u in TIED}
    assert {r.unit.id: r.mismatches for r in result.others} == {11: ("language",), 13: ("age_group",)}
    for row in result.candidates:
        assert row.mismatches == result.needs.mismatches(row.unit)
