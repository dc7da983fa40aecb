"""The ECEC comparison from columns (configurator/comparisons/ecec_columns.py, issue 17) shows what the plain
definition shows: the same counts, the same rows in the same order on every page, the same side-by-side rows.

The plain definition is the comparison over a catalogue that only answers units_within() (exact distances, an
entry for every unit in reach, sorted); the columnar one is the same index (portal/catalogue_cache.py, built here
in memory) also answering units_near_columns(). Random catalogues with ties on purpose (units at one point, equal
names, equal prices), units at the reach's exact distance and half a hundred metres off a rounding boundary
(x.x5 km), prices that start later, and numpy's kilometres nudged by a few ulps (as its sin and arcsin may differ
from math's): the exact formula must decide wherever those bits could change what is shown."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configurator.answers import LocationAnswer
from configurator.catalogue import Availability, EcecUnitRecord, OpeningHours
from configurator.comparisons import Experiences, ecec_columns
from configurator.comparisons.ecec import SORTS, Filters, build_ecec_comparison
from configurator.geo import EARTH_RADIUS_KM, Place, distance_km
from portal.catalogue_cache import _cell_of, _Index

from .test_ecec_comparison import PRICING, UPDATED, answers

ON = date(2027, 1, 7)
HOME = (60.4518, 22.2666)
WORK = (60.3900, 22.1000)
ROUND_THE_CLOCK = (OpeningHours("mo-su", "00:00", "24:00"),)


def north_of(point: tuple[float, float], km: float) -> tuple[float, float]:
    """A point ``km`` due north (to about 1e-12 km): on a boundary of the reach or of the rounding."""
    return (point[0] + math.degrees(km / EARTH_RADIUS_KM), point[1])


def index_of(units: list[EcecUnitRecord], prices: dict[int, list[tuple[date, Decimal]]]) -> _Index:
    cells: dict[tuple[int, int], list[EcecUnitRecord]] = defaultdict(list)
    places = {}
    for u in units:
        key = _cell_of(u)
        places[u.id] = (key, len(cells[key]))
        cells[key].append(u)
    return _Index(1, 1, dict(cells), places, prices)


class Plain:
    """The index as a catalogue that only answers units_within(): the comparison's plain definition."""

    def __init__(self, index: _Index) -> None:
        self.index = index

    def units_within(self, lat: float, lon: float, radius_km: float) -> list[EcecUnitRecord]:
        return self.index.within(lat, lon, radius_km, ON)

    def municipal_pricing(self, code: str, on: date):
        return PRICING if code == "853" else None


class Columnar(Plain):
    def units_near_columns(self, home, work, radius_km: float) -> ecec_columns.Near:
        return self.index.near_columns(home, work, radius_km, ON)


SPOTS = st.tuples(st.floats(60.38, 60.52), st.floats(22.08, 22.45))
BOUNDARIES = st.sampled_from([0.05, 0.15, 1.25, 2.35, 4.45, 9.95, 10.0, 3.0, 2.0])


@st.composite
def catalogues(draw: st.DrawFn) -> tuple[list[EcecUnitRecord], dict[int, list[tuple[date, Decimal]]]]:
    spots = draw(st.lists(SPOTS, min_size=1, max_size=8))
    spots += [north_of(draw(st.sampled_from([HOME, WORK])), draw(BOUNDARIES)) for _ in range(draw(st.integers(0, 4)))]
    units, prices = [], {}
    for uid in range(1, draw(st.integers(1, 70)) + 1):
        lat, lon = draw(st.sampled_from(spots))
        provider = draw(st.sampled_from(["municipal", "purchased", "private_voucher"]))
        price = draw(st.sampled_from([None, Decimal(1150), Decimal(1300)])) if provider == "private_voucher" else None
        shift = draw(st.booleans())
        availability = {
            group: Availability(draw(st.integers(0, 2)), draw(st.sampled_from([0, 4, 999])), UPDATED, "director")
            for group in ("under_3", "3_and_over")
            if draw(st.booleans())
        }
        units.append(
            EcecUnitRecord(
                id=uid,
                name=draw(st.sampled_from(["Sama", "sama", "Aalto", f"Unit {uid}"])),
                name_sv=None,
                street_address="Katu 1",
                postal_code="20100",
                municipality_code="853",
                latitude=lat,
                longitude=lon,
                languages=draw(st.sampled_from([("fi",), ("sv",), ("fi", "sv"), ("en",)])),
                care_type=draw(st.sampled_from(["day_care_centre", "family_day_care", "group_family_day_care"])),
                provider_type=provider,
                shift_care=shift,
                serves_under_3=draw(st.booleans()),
                serves_3_and_over=draw(st.booleans()),
                opening_hours=ROUND_THE_CLOCK if shift and draw(st.booleans()) else (),
                availability=availability,
                monthly_price=price,
            )
        )
        if provider == "private_voucher" and draw(st.booleans()):  # a history: the newest may start later
            starts = sorted({ON + timedelta(days=draw(st.integers(-400, 60))) for _ in range(draw(st.integers(1, 3)))})
            prices[uid] = [(start, Decimal(draw(st.sampled_from([1150, 1250, 1300])))) for start in starts]
    return units, prices


FILTERS = st.builds(
    Filters,
    care_types=st.frozensets(st.sampled_from(["day_care_centre", "family_day_care"]), max_size=1),
    languages=st.one_of(st.none(), st.frozensets(st.sampled_from(["fi", "sv", "en"]), max_size=2)),
    providers=st.frozensets(st.sampled_from(["municipal", "private_voucher"]), max_size=1),
    max_km=st.one_of(st.none(), st.sampled_from([0.5, 2.0, 2.35, 4.4, 9.95])),
    only_with_room=st.booleans(),
    sort=st.sampled_from(SORTS),
    shift_care=st.one_of(st.none(), st.booleans()),
    show_all=st.booleans(),
    min_rating=st.one_of(st.none(), st.just(Decimal(4))),
)


def experiences(ids):
    return {i: Experiences(Decimal(str(3 + (i % 5) / 2)), 5 + i % 3) for i in ids if i % 3 == 0}


def assert_same(units, prices, filters: Filters, given_answers: dict, options: dict) -> None:
    index = index_of(units, prices)
    plain = build_ecec_comparison(options, given_answers, ON, Plain(index), filters, experiences=experiences)
    fast = build_ecec_comparison(options, given_answers, ON, Columnar(index), filters, experiences=experiences)
    assert (fast.in_reach, fast.with_room, fast.not_matching) == (plain.in_reach, plain.with_room, plain.not_matching)
    assert (len(fast.rows), len(fast.others), len(fast.listed)) == (
        len(plain.rows),
        len(plain.others),
        len(plain.listed),
    )
    for start in (0, 20, max(len(plain.rows) - 3, 0)):  # pages read in this order, as a page and a later page
        assert fast.listed[start : start + 20] == plain.listed[start : start + 20]
        assert fast.rows[start : start + 20] == plain.rows[start : start + 20]
    ids = [u.id for u in units]
    assert fast.picked([ids[-1], 999_999, ids[0]]) == plain.picked([ids[-1], 999_999, ids[0]])
    assert list(fast.rows) == list(plain.rows) and list(fast.others) == list(plain.others)
    assert list(fast.listed) == list(plain.listed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    catalogue=catalogues(),
    filters=FILTERS,
    work=st.sampled_from([WORK, HOME, None]),
    older=st.booleans(),
    reach=st.sampled_from([10.0, 2.0, None]),
)
def test_columns_show_what_the_plain_definition_shows(catalogue, filters, work, older, reach) -> None:
    units, prices = catalogue
    if reach is None:  # the reach at a unit's exact distance from home: on the boundary
        reach = distance_km(*HOME, units[0].latitude, units[0].longitude)
    given_answers = answers(
        work=None if work is None else LocationAnswer(Place(*work, "853", "20660")),
        child_birth_date=date(2023, 3, 15) if older else date(2025, 3, 15),
    )
    assert_same(units, prices, filters, given_answers, {"reach_km": reach})


@pytest.fixture
def nudged(monkeypatch: pytest.MonkeyPatch):
    """numpy's kilometres a few ulps off, up or down by unit (what another sin/arcsin implementation may give)."""
    haversine = ecec_columns._haversine

    def off(point, floats):
        exact = haversine(point, floats)
        up = np.nextafter(np.nextafter(exact, np.inf), np.inf)
        down = np.nextafter(np.nextafter(exact, -np.inf), -np.inf)
        return np.where(np.arange(len(exact)) % 2 == 0, up, down)

    monkeypatch.setattr(ecec_columns, "_haversine", off)


def test_boundaries_are_decided_by_the_exact_formula_when_numpy_is_off_by_ulps(nudged) -> None:
    units = []
    for uid, km in enumerate([0.05, 0.15, 1.25, 2.35, 4.45, 9.95, 10.0, 3.0, 2.0, 0.05, 1.25, 10.0], start=1):
        lat, lon = north_of(HOME if uid % 3 else WORK, km)
        units.append(
            EcecUnitRecord(
                uid, "Sama", None, "Katu 1", "20100", "853", lat, lon, ("fi",), "day_care_centre", "municipal",
                False, True, True,
            )
        )  # fmt: skip
    distances = [distance_km(*HOME, u.latitude, u.longitude) for u in units]
    assert any(abs(d * 10 - math.floor(d * 10) - 0.5) < 1e-9 for d in distances)  # on a rounding boundary indeed
    for sort in ("distance", "cost", "availability"):
        for max_km in (None, 1.2, 1.3, 2.4):
            for reach in (10.0, distances[6], distances[3]):
                filters = Filters(sort=sort, max_km=max_km)
                assert_same(units, {}, filters, answers(), {"reach_km": reach})
                assert_same(units, {}, filters, answers(work=None), {"reach_km": reach})


def test_tenths_are_pythons_rounding() -> None:
    units = [
        EcecUnitRecord(
            uid, "A", None, "Katu 1", "20100", "853", *north_of(HOME, km), ("fi",), "day_care_centre", "municipal",
            False, True, True,
        )
        for uid, km in enumerate([0.05, 0.25, 0.35, 1.45, 2.55, 9.95, 0.0, 7.3], start=1)
    ]  # fmt: skip
    near = index_of(units, {}).near_columns(HOME, None, 10.0, ON)
    expected = [round(round(distance_km(*HOME, u.latitude, u.longitude), 1) * 10) for u in near.units]
    assert near.tenths.tolist() == expected and len(expected) == 8


def test_first_positions_keep_every_tie_of_the_last_place() -> None:
    tenths = np.array([5, 3, 3, 9, 3, 1, 3], dtype=np.int64)
    assert ecec_columns.first_positions([tenths], 2).tolist() == [1, 2, 4, 5, 6]  # 1, then every 3
    assert ecec_columns.first_positions([tenths], 1).tolist() == [5]
    assert ecec_columns.first_positions([tenths], 7).tolist() == list(range(7))
    room = np.array([1, 0, 1, 0, 1, 0, 1], dtype=np.int64)  # primary key last
    assert ecec_columns.first_positions([tenths, room], 2).tolist() == [1, 5]  # room 0 first: 1 km, then 3 km
    assert ecec_columns.first_positions([tenths, room], 4).tolist() == [1, 2, 3, 4, 5, 6]  # room 1 at 3 km: all three
    huge = room * 2**61  # too wide to combine into one integer: sorted by np.lexsort instead, the same positions
    assert ecec_columns._combined([tenths, huge]) is None
    assert ecec_columns.first_positions([tenths, huge], 2).tolist() == [1, 5]
    assert ecec_columns.first_positions([tenths, huge], 4).tolist() == [1, 2, 3, 4, 5, 6]


def _unit(uid: int, point: tuple[float, float], **kw) -> EcecUnitRecord:
    base = dict(
        id=uid, name=f"Unit {uid}", name_sv=None, street_address="Katu 1", postal_code="20100",
        municipality_code="853", latitude=point[0], longitude=point[1], languages=("fi",),
        care_type="day_care_centre", provider_type="private_voucher", shift_care=False, serves_under_3=True,
        serves_3_and_over=True, availability={"under_3": Availability(0, 4, UPDATED, "director")},
    )  # fmt: skip
    base.update(kw)
    return EcecUnitRecord(**base)


def _free(near: ecec_columns.Near) -> dict[int, int]:
    return dict(zip(near.ints[:, ecec_columns.ID].tolist(), near.ints[:, ecec_columns.FREE_UNDER_3].tolist()))


def test_columns_follow_the_index_as_it_catches_up() -> None:
    """A reservation (with_figures) or a moved unit (with_units) changes the columns of its cell only; the other
    cells' columns are the previous index's, and a later price counts only from its day."""
    near_home, far = _unit(1, north_of(HOME, 0.5)), _unit(2, north_of(HOME, 8.0))
    index = index_of([near_home, far], {1: [(ON, Decimal(1150))]})
    before = index.near_columns(HOME, None, 10.0, ON)
    assert _free(before) == {1: 0, 2: 0} and set(index.columns) == {_cell_of(near_home), _cell_of(far)}

    figures = {1: {"under_3": Availability(3, 0, UPDATED, "director")}}
    prices = {1: [(ON, Decimal(1150)), (ON + timedelta(days=30), Decimal(1300))]}
    later = index.with_figures(2, figures, prices, changed={1})
    assert list(later.columns) == [_cell_of(far)]  # the changed cell's columns are made again when read
    assert later.columns[_cell_of(far)] is index.columns[_cell_of(far)]  # the other cell's, shared
    after = later.near_columns(HOME, None, 10.0, ON)
    assert _free(after) == {1: 3, 2: 0} and _free(index.near_columns(HOME, None, 10.0, ON)) == {1: 0, 2: 0}
    assert [ecec_columns.PRICES.values[c] for c in after.price_codes().tolist()[:1]] == [Decimal(1150)]
    rise = later.near_columns(HOME, None, 10.0, ON + timedelta(days=30))
    assert [ecec_columns.PRICES.values[c] for c in rise.price_codes().tolist()[:1]] == [Decimal(1300)]

    moved = _unit(2, north_of(HOME, 12.0))  # out of reach
    last = later.with_units(1, 3, {2: moved}, {2}, prices)
    assert [u.id for u in last.near_columns(HOME, None, 10.0, ON).units] == [1]
    assert [u.id for u in later.near_columns(HOME, None, 10.0, ON).units] == [1, 2]
