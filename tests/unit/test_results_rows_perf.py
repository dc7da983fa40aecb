"""The ECEC comparison builds only the rows that are read (issue 17, the results page's speed), and what it shows
is what the plain definition gives: every unit in reach as a row, filtered, then sorted. Hundreds of units with
ties on purpose (the same point, the same name, the same price), so pages are picked from a partly sorted list
and equal keys must keep the catalogue's order."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from configurator.comparisons import Experiences
from configurator.comparisons.ecec import (
    SORTS,
    EcecRow,
    Filters,
    Needs,
    _CostModel,
    _passes,
    _sort_key,
    age_group_on,
    build_ecec_comparison,
)
from configurator.geo import distance_km

from .test_ecec_comparison import HOME, PRICING, TODAY, UPDATED, Availability, answers, unit

REACH = 10.0


def _units() -> list:
    rng = random.Random(2027)
    spots = [(60.4518 + rng.uniform(-0.12, 0.12), 22.2666 + rng.uniform(-0.25, 0.1)) for _ in range(60)]
    units = []
    for uid in range(1, 401):
        lat, lon = rng.choice(spots)  # many units at one point: equal distances
        voucher = rng.random() < 0.4
        units.append(
            unit(
                uid,
                lat,
                lon,
                name=rng.choice(["Sama", "sama", "Aalto", "Beta", f"Unit {uid}"]),
                languages=rng.choice([("fi",), ("sv",), ("fi", "sv"), ("en",)]),
                care_type=rng.choice(["day_care_centre", "family_day_care"]),
                provider_type="private_voucher" if voucher else "municipal",
                monthly_price=Decimal(rng.choice([1150, 1300, 1450])) if voucher and rng.random() < 0.9 else None,
                shift_care=rng.random() < 0.1,
                serves_under_3=rng.random() < 0.8,
                availability={
                    "under_3": Availability(rng.choice([0, 0, 1, 3]), rng.choice([0, 2, 6]), UPDATED, "director"),
                    "3_and_over": Availability(rng.choice([0, 2]), 4, UPDATED, "director"),
                },
            )
        )
    return units


UNITS = _units()
RATED = {u.id: Experiences(Decimal(str(3 + (u.id % 5) / 2)), 5 + u.id % 3) for u in UNITS if u.id % 4 == 0}


class Catalogue:
    def units_within(self, lat: float, lon: float, radius_km: float):
        return [u for u in UNITS if distance_km(lat, lon, u.latitude, u.longitude) <= radius_km]

    def municipal_pricing(self, code: str, on):
        return PRICING if code == "853" else None


class Lookups:
    """Others' experiences, recording which units each look-up asked for."""

    def __init__(self) -> None:
        self.asked: list[list[int]] = []

    def __call__(self, ids):
        self.asked.append(list(ids))
        return {i: RATED[i] for i in ids if i in RATED}


def _plain(given: dict, filters: Filters) -> tuple[list[EcecRow], list[EcecRow]]:
    """The definition: a row for every unit in reach, those that pass the filters, sorted (stable)."""
    group = age_group_on(given["child_birth_date"], given["start_date"])
    needs = Needs.of(given, filters, group)
    costs = _CostModel(given, given["start_date"], PRICING)
    home, work = given["home"].place, given["work"].place
    # in the catalogue's order: the units near home as it gives them, then those near work only (equal keys keep it)
    in_reach = {u.id: u for u in Catalogue().units_within(home.latitude, home.longitude, REACH)}
    in_reach.update({u.id: u for u in Catalogue().units_within(work.latitude, work.longitude, REACH)})
    rows = []
    for u in in_reach.values():
        d_home = distance_km(home.latitude, home.longitude, u.latitude, u.longitude)
        d_work = distance_km(work.latitude, work.longitude, u.latitude, u.longitude)
        availability = u.availability.get(group) if u.serves(group) else None
        has_room = bool(availability and availability.free_places > 0)
        rows.append(
            EcecRow(
                u,
                round(d_home, 1),
                round(d_work, 1),
                availability,
                has_room,
                *costs.cost(u),
                needs.mismatches(u),
                RATED.get(u.id),
            )
        )
    key = _sort_key(filters.sort)
    shown = sorted((r for r in rows if r.matches and _passes(r, filters)), key=key)
    others = sorted((r for r in rows if not r.matches and _passes(r, filters)), key=key)
    return shown, others


FILTERS = [
    {},
    {"only_with_room": True},
    {"providers": frozenset({"private_voucher"})},
    {"max_km": 3.0, "show_all": True},
    {"min_rating": Decimal(4)},
    {"languages": frozenset({"sv"}), "show_all": True},
]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("chosen", FILTERS)
def test_pages_are_the_plain_definitions_pages(sort: str, chosen: dict) -> None:
    filters = Filters(sort=sort, **chosen)
    given = answers()
    result = build_ecec_comparison({}, given, TODAY, Catalogue(), filters, experiences=Lookups())
    shown, others = _plain(given, filters)
    assert len(shown) > 40 or chosen  # enough rows for several pages without filters
    assert len(result.rows) == len(shown) and len(result.others) == len(others)
    assert result.in_reach == len(_plain(given, Filters(sort=sort, languages=filters.languages))[0])
    listed = shown + others if filters.show_all else shown
    for start in (0, 20, 40, len(listed) - 5):
        assert result.listed[max(start, 0) : start + 20] == tuple(listed[max(start, 0) : start + 20])
    if shown:
        assert result.rows[0] == shown[0] and result.rows[-1] == shown[-1]
    assert list(result.rows) == shown and list(result.others) == others


def test_only_the_rows_read_are_looked_up_unless_the_rating_orders_them() -> None:
    lookups = Lookups()
    result = build_ecec_comparison({}, answers(), TODAY, Catalogue(), Filters(), experiences=lookups)
    assert lookups.asked == []  # counting and the preview need no one's ratings
    assert result.in_reach > 100
    page = result.rows[0:20]
    assert lookups.asked == [[row.unit.id for row in page]]
    assert result.rows[0:20] == page and len(lookups.asked) == 1  # each row is built once
    assert result.picked([page[3].unit.id, 999_999, page[1].unit.id]) == (page[3], page[1])
    assert len(lookups.asked) == 1

    rating = Lookups()
    result = build_ecec_comparison({}, answers(), TODAY, Catalogue(), Filters(sort="rating"), experiences=rating)
    assert len(rating.asked) == 1 and len(rating.asked[0]) == result.in_reach + result.not_matching
    result.rows[0:20]
    assert len(rating.asked) == 1  # the averages of every unit in reach were already there


def test_without_a_home_point_nothing_is_listed_or_looked_up() -> None:
    lookups = Lookups()
    gone = answers(home=HOME.__class__(HOME.place.__class__(None, None, "853", "20100")))
    result = build_ecec_comparison({}, gone, TODAY, Catalogue(), Filters(), experiences=lookups)
    assert (len(result.rows), result.in_reach, tuple(result.rows[0:20]), lookups.asked) == (0, 0, (), [])
