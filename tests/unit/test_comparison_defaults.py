"""The answers set the ECEC comparison's defaults (issue 12, item 2), over an in-memory catalogue.

A family that chose Finnish-language care and no shift care, with a child under 3 on the start date, is
told how many units suit the child: Swedish-only, English-only, round-the-clock shift care and 3+ units are
not counted, are listed apart with each reason, and come back when the person changes the filters.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from configurator.answers import LocationAnswer
from configurator.catalogue import Availability, EcecUnitRecord, MunicipalPricing, OpeningHours
from configurator.comparisons.ecec import (
    MISMATCH_AGE_GROUP,
    MISMATCH_LANGUAGE,
    MISMATCH_NO_SHIFT_CARE,
    MISMATCH_SHIFT_CARE_ONLY,
    Filters,
    Needs,
    build_ecec_comparison,
    mismatch_text,
)
from configurator.geo import Place

TODAY = date(2026, 11, 22)
HOME = LocationAnswer(Place(60.4518, 22.2666, "853", "20100"))
PRICING = MunicipalPricing(
    "853",
    date(2024, 8, 1),
    ((Decimal(20), Decimal("0.60")), (Decimal(35), Decimal("0.80"))),
    Decimal(1519),
    Decimal(949),
    Decimal(100),
    "test pricing",
)
UPDATED = datetime(2026, 11, 16, 8, 0)
DAY = (OpeningHours("mo-fr", "06:30", "17:00"),)
ROUND_THE_CLOCK = (OpeningHours("mo-su", "00:00", "24:00"),)
EXTENDED = (OpeningHours("mo-fr", "05:30", "22:00"), OpeningHours("sa-su", "07:00", "20:00"))
ROOM = {
    "under_3": Availability(2, 0, UPDATED, "unit_director"),
    "3_and_over": Availability(1, 0, UPDATED, "unit_director"),
}


def unit(uid: int, km_east: float, **kw) -> EcecUnitRecord:
    """A unit ``km_east`` km east of home (0.01° of longitude is about 0.55 km at 60.45° N)."""
    base = dict(
        id=uid,
        name=f"Unit {uid}",
        name_sv=None,
        street_address="Katu 1",
        postal_code="20100",
        municipality_code="853",
        latitude=60.4518,
        longitude=22.2666 + km_east / 55.0,
        languages=("fi",),
        care_type="day_care_centre",
        provider_type="municipal",
        shift_care=False,
        serves_under_3=True,
        serves_3_and_over=True,
        opening_hours=DAY,
        availability=ROOM,
    )
    return EcecUnitRecord(**{**base, **kw})


UNITS = [
    unit(1, 0.5),  # suits
    unit(2, 1.0, languages=("sv",)),  # Swedish only
    unit(3, 1.5, languages=("en",), provider_type="private_voucher", monthly_price=Decimal(1500)),  # English only
    unit(4, 2.0, shift_care=True, opening_hours=ROUND_THE_CLOCK),  # a vuoropäiväkoti
    unit(
        5, 2.5, shift_care=True, opening_hours=EXTENDED, provider_type="private_voucher", monthly_price=Decimal(1400)
    ),  # long hours: takes anyone
    unit(6, 3.0, languages=("fi", "en"), availability={"under_3": Availability(0, 4, UPDATED, "unit_director")}),
    unit(7, 3.5, serves_under_3=False, availability={"3_and_over": ROOM["3_and_over"]}),  # only 3+
    unit(8, 4.0, languages=("sv", "en")),  # neither is Finnish
    unit(9, 30.0),  # out of reach
]


class Catalogue:
    def units_within(self, lat: float, lon: float, radius_km: float) -> list[EcecUnitRecord]:
        from configurator.geo import distance_km

        return [u for u in UNITS if distance_km(lat, lon, u.latitude, u.longitude) <= radius_km]

    def municipal_pricing(self, code: str, on: date) -> MunicipalPricing | None:
        return PRICING


def answers(**changes):
    base = {
        "child_birth_date": date(2025, 3, 15),
        "start_date": date(2027, 8, 12),
        "hours_per_week": 30,
        "care_language": "fi",
        "shift_care": False,
        "sudden_need": False,
        "home": HOME,
        "family_size": 3,
        "income": Decimal(6000),
        "other_children_in_ecec": 0,
        "consider_private": True,
    }
    return {**base, **changes}


def build(filters: Filters | None = None, **changes):
    return build_ecec_comparison({"reach_km": 10}, answers(**changes), TODAY, Catalogue(), filters)


def reasons(cmp) -> dict[int, tuple[str, ...]]:
    return {row.unit.id: row.mismatches for row in cmp.others}


def test_finnish_day_care_counts_only_the_units_that_suit_the_child() -> None:
    cmp = build()
    # Child born 15.3.2025 is 2 on 12.8.2027: under 3. Units 1, 5 (long hours, takes anyone) and 6 (fi, en) suit.
    assert [r.unit.id for r in cmp.rows] == [1, 5, 6]
    assert cmp.in_reach == 3 and cmp.with_room == 2  # 6 is full
    assert cmp.not_matching == 5  # 2, 3, 4, 7, 8; 9 is beyond 10 km and not counted at all
    assert reasons(cmp) == {
        2: (MISMATCH_LANGUAGE,),
        3: (MISMATCH_LANGUAGE,),
        4: (MISMATCH_SHIFT_CARE_ONLY,),
        7: (MISMATCH_AGE_GROUP,),
        8: (MISMATCH_LANGUAGE,),
    }
    assert all(row.matches for row in cmp.rows) and not any(row.matches for row in cmp.others)


def test_the_others_are_listed_only_when_asked_for() -> None:
    assert [r.unit.id for r in build().listed] == [1, 5, 6]
    shown_all = build(Filters(show_all=True))
    assert [r.unit.id for r in shown_all.listed] == [1, 5, 6, 2, 3, 4, 7, 8]  # suiting first, each group by distance
    assert shown_all.in_reach == 3  # showing them does not count them


def test_shift_care_need_turns_the_reasons_around() -> None:
    cmp = build(shift_care=True)
    assert [r.unit.id for r in cmp.rows] == [4, 5]
    assert reasons(cmp)[1] == (MISMATCH_NO_SHIFT_CARE,)
    assert reasons(cmp)[2] == (MISMATCH_LANGUAGE, MISMATCH_NO_SHIFT_CARE)


def test_the_age_group_on_the_start_date_decides() -> None:
    older = build(start_date=date(2028, 8, 14))  # 3 years 5 months old then
    assert older.age_group == "3_and_over" and 7 in [r.unit.id for r in older.rows]
    assert 7 not in reasons(older)


def test_swedish_language_answer_suits_swedish_units() -> None:
    cmp = build(care_language="sv")
    assert [r.unit.id for r in cmp.rows] == [2, 8]
    assert reasons(cmp)[1] == (MISMATCH_LANGUAGE,)


def test_filters_from_the_form_replace_the_answers() -> None:
    # The form was sent with Swedish ticked (Finnish unticked) and shift care ticked.
    filters = Filters.from_query({"filtered": ["1"], "language": ["sv"], "shift": ["1"]})
    assert filters.languages == frozenset({"sv"}) and filters.shift_care is True
    cmp = build(filters)
    assert cmp.needs == Needs(frozenset({"sv"}), True, "under_3")
    assert [r.unit.id for r in cmp.rows] == []
    # Nothing ticked in the form: any language, no shift care need.
    anything = build(Filters.from_query({"filtered": ["1"]}))
    assert [r.unit.id for r in anything.rows] == [1, 2, 3, 5, 6, 8]


def test_without_the_form_the_answers_decide() -> None:
    filters = Filters.from_query({"sort": ["cost"], "room": ["1"]})
    assert filters.languages is None and filters.shift_care is None and not filters.show_all
    assert build(filters).needs == Needs(frozenset({"fi"}), False, "under_3")
    assert Filters.from_query({"show": ["all"]}).show_all


def test_narrowing_filters_apply_to_both_groups() -> None:
    cmp = build(Filters(only_with_room=True, max_km=2.0, show_all=True))
    assert [r.unit.id for r in cmp.rows] == [1]  # 5 is beyond 2 km, 6 has no room
    assert [r.unit.id for r in cmp.others] == [2, 3, 4]
    assert cmp.in_reach == 3 and cmp.not_matching == 5  # the counts are before the narrowing filters


def test_picked_units_for_the_side_by_side_view() -> None:
    cmp = build()
    assert [r.unit.id for r in cmp.picked([6, 2, 6, 999, 1, 5])] == [6, 2, 1]  # known, once each, three at most
    assert cmp.picked([]) == ()


def test_round_the_clock_shift_care_is_shift_care_only() -> None:
    assert UNITS[3].shift_care_only and not UNITS[4].shift_care_only and not UNITS[0].shift_care_only


@pytest.mark.parametrize(
    "code, languages, group, text",
    [
        ("language", ("sv",), "under_3", "Care in Swedish only"),
        ("language", ("en",), "under_3", "Care in English only"),
        ("language", ("fi",), "under_3", "Care in Finnish only"),
        ("language", ("sv", "en"), "under_3", "Care is not in the language you chose"),
        ("no_shift_care", ("fi",), "under_3", "No shift care"),
        ("shift_care_only", ("fi",), "under_3", "Only for children who need shift care"),
        ("age_group", ("fi",), "under_3", "Only for children aged 3 or over"),
        ("age_group", ("fi",), "3_and_over", "Only for children under 3"),
        ("<script>", ("fi",), "under_3", None),
    ],
)
def test_mismatch_texts(code: str, languages: tuple[str, ...], group: str, text: str | None) -> None:
    assert mismatch_text(code, languages, group) == text
