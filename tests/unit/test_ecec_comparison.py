"""The ECEC comparison over an in-memory catalogue: reach, age group, room, cost, filters and sorting."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from configurator.answers import LocationAnswer
from configurator.catalogue import Availability, EcecUnitRecord, MunicipalPricing
from configurator.comparisons.ecec import Filters, build_ecec_comparison
from configurator.geo import Place

TODAY = date(2026, 11, 22)
HOME = LocationAnswer(Place(60.4518, 22.2666, "853", "20100"))
WORK = LocationAnswer(Place(60.3900, 22.1000, "853", "20660"))  # about 11 km south-west of home
PRICING = MunicipalPricing(
    "853",
    date(2024, 8, 1),
    (
        (Decimal(20), Decimal("0.60")),
        (Decimal(25), Decimal("0.70")),
        (Decimal(30), Decimal("0.80")),
        (Decimal(34), Decimal("0.90")),
    ),
    Decimal(1519),
    Decimal(949),
    Decimal(100),
    "test pricing",
)
UPDATED = datetime(2026, 11, 16, 8, 0)


def unit(uid: int, lat: float, lon: float, **kw) -> EcecUnitRecord:
    base = dict(
        id=uid,
        name=f"Unit {uid}",
        name_sv=None,
        street_address="Katu 1",
        postal_code="20100",
        municipality_code="853",
        latitude=lat,
        longitude=lon,
        languages=("fi",),
        care_type="day_care_centre",
        provider_type="municipal",
        shift_care=False,
        serves_under_3=True,
        serves_3_and_over=True,
        availability={
            "under_3": Availability(2, 0, UPDATED, "director"),
            "3_and_over": Availability(0, 6, UPDATED, "director"),
        },
    )
    base.update(kw)
    return EcecUnitRecord(**base)


UNITS = [
    unit(1, 60.4530, 22.2700),  # ~0.2 km from home
    unit(2, 60.4700, 22.3000, languages=("sv",)),  # ~2.6 km
    unit(3, 60.4000, 22.1100, provider_type="private_voucher", monthly_price=Decimal(1300)),  # near work only
    unit(4, 60.6500, 22.9000),  # far from both
    unit(5, 60.4520, 22.2680, serves_under_3=False),  # does not serve under-3s
    unit(
        6,
        60.4560,
        22.2800,
        care_type="family_day_care",
        shift_care=True,
        availability={"under_3": Availability(0, 12, UPDATED, "director")},
    ),
]


class Catalogue:
    def units_within(self, lat: float, lon: float, radius_km: float):
        from configurator.geo import distance_km

        return [u for u in UNITS if distance_km(lat, lon, u.latitude, u.longitude) <= radius_km]

    def municipal_pricing(self, code: str, on: date):
        return PRICING if code == "853" else None


def answers(**changes):
    base = {
        "child_birth_date": date(2025, 3, 15),
        "start_date": date(2027, 1, 7),
        "hours_per_week": 40,
        "care_language": "fi",
        "shift_care": False,
        "sudden_need": False,
        "home": HOME,
        "work": WORK,
        "family_size": 3,
        "income": Decimal(6000),
        "other_children_in_ecec": 0,
        "consider_private": True,
    }
    base.update(changes)
    return base


def build(filters: Filters | None = None, **changes):
    return build_ecec_comparison({"reach_km": 10}, answers(**changes), TODAY, Catalogue(), filters)


def test_units_within_reach_of_home_or_work_serving_the_age_group() -> None:
    result = build()
    # by nearest distance; 4 too far; 2 (Swedish only) and 5 (only 3+) do not suit a Finnish-speaking toddler
    assert [r.unit.id for r in result.rows] == [1, 6, 3]
    assert result.age_group == "under_3" and result.in_reach == 3 and result.with_room == 2
    assert [(r.unit.id, r.mismatches) for r in result.others] == [(5, ("age_group",)), (2, ("language",))]
    near_work = next(r for r in result.rows if r.unit.id == 3)
    assert near_work.distance_home_km > 10 and near_work.distance_work_km < 2


def test_without_work_location_only_home_counts() -> None:
    assert 3 not in [r.unit.id for r in build(work=None).rows]


def test_client_fee_is_the_same_for_municipal_units_and_uses_the_rules() -> None:
    # Start 2026-06-01 is in the 2024-08-01 period: 10.7 % x (6000 - 5245) = 80.785 -> 81 EUR, full time.
    result = build(start_date=date(2026, 6, 1))
    municipal = [r.cost.monthly for r in result.rows if r.unit.provider_type == "municipal"]
    assert set(municipal) == {Decimal(81)} and not result.municipal_fee.estimate


def test_voucher_copayment_for_private_unit() -> None:
    # Full time, child under 3: price 1300 - voucher 1519 < 0 -> the family pays 0.
    row = next(r for r in build().rows if r.unit.id == 3)
    assert row.cost.kind == "voucher_copayment" and row.cost.monthly == Decimal(0)


def test_without_income_the_cost_is_a_range_up_to_the_maximum() -> None:
    fee = build(income=None, start_date=date(2026, 6, 1)).municipal_fee
    assert fee.monthly_fee is None and fee.minimum == 0 and fee.maximum == Decimal(311)
    assert build(income=None).municipal_fee.maximum == Decimal(335)  # maximum fee from 2026-08-01


def test_start_in_the_2026_period_uses_the_limits_of_1_8_2026() -> None:
    # family of 3, 6000 €: 0.107 × (6000 − 5635) = 39.055 → 39 (Ministry notice 1028/2025, confirmed)
    fee = build(start_date=date(2027, 8, 12)).municipal_fee
    assert not fee.estimate and fee.maximum == Decimal(39)


def test_start_after_the_next_index_revision_is_an_estimate() -> None:
    # 1.8.2028 figures are not published: the 1.8.2026 ones are used and flagged
    fee = build(start_date=date(2028, 8, 14)).municipal_fee
    assert fee.estimate and fee.maximum == Decimal(39)


def test_child_turning_three_before_start_uses_older_age_group() -> None:
    result = build(start_date=date(2028, 4, 1))
    assert result.age_group == "3_and_over" and 5 in [r.unit.id for r in result.rows]


def test_shift_care_need_keeps_only_shift_care_units() -> None:
    assert [r.unit.id for r in build(shift_care=True).rows] == [6]


def test_filters_and_sorting() -> None:
    assert [r.unit.id for r in build(Filters(languages=frozenset({"sv"}))).rows] == [2]
    assert [r.unit.id for r in build(Filters(only_with_room=True)).rows] == [1, 3]
    assert [r.unit.id for r in build(Filters(care_types=frozenset({"family_day_care"}))).rows] == [6]
    assert [r.unit.id for r in build(Filters(max_km=1.0)).rows] == [1, 6]
    by_cost = [r.unit.id for r in build(Filters(sort="cost")).rows]
    assert by_cost[0] == 3  # the 0 EUR voucher unit first
    assert [r.unit.id for r in build(Filters(sort="availability")).rows][-1] == 6  # no room last


def test_filters_from_query_ignore_unknown_values() -> None:
    filters = Filters.from_query({"language": ["sv", "klingon"], "sort": ["price!"], "max_km": ["abc"], "room": ["1"]})
    assert filters == Filters(languages=frozenset({"sv"}), only_with_room=True)


def test_home_care_alternative_only_for_children_under_three() -> None:
    assert build().home_care is not None and build().home_care.monthly >= Decimal("377.68")
    assert build(start_date=date(2028, 4, 1)).home_care is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2", 2.0),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("0.1", 0.5),
        ("250", 100.0),
        ("٣", None),
        ("³", None),
        ("nan", None),
        ("inf", None),
        ("1e9", None),
        ("", None),
    ],
)
def test_the_distance_filter_reads_ascii_digits_only(text: str, expected) -> None:
    """The "distance at most" box of the filters: a comma or a point, within 0.5–100 km; float() would have
    taken another script's digit, 'nan' or '1e9'."""
    assert Filters.from_query({"max_km": [text]}).max_km == expected
