"""Kela child home care allowance. Figures from rules-facts ("Corrections and additions, checked
2026-12"): 377.68 € for one child under 3; 113.07 € per other child under 3 and 72.66 € per other
child 3..school age; care supplement up to 202.12 €, full up to a monthly family income of 1160 €
(2 persons, then reduced by 11.5 % of the excess), 1430 € (3 persons, 9.4 %) and 1700 € (4 or more,
7.9 %); flexible care allowance 269.24 € (at most 22.5 h a week) / 179.49 € (at most 30 h); partial
care allowance 108.15 €. All frozen at the 2023 level through 2027."""

from datetime import date
from decimal import Decimal as D

import pytest

from configurator.parameters import ParameterError
from configurator.rules import InvalidInput
from configurator.rules.home_care import (
    flexible_care_allowance,
    flexible_care_amounts,
    home_care_allowance,
    partial_care_allowance,
)

BORN = date(2024, 5, 10)
ON = date(2025, 6, 1)


def allowance(**kwargs):
    args = {"child_birth_date": BORN, "on": ON, "family_size": 3, "income": None}
    args.update(kwargs)
    return home_care_allowance(**args)


def test_base_allowance_only_when_income_is_not_given():
    result = allowance()
    assert result.eligible is True
    assert result.monthly == D("377.68")
    assert result.supplement is None
    assert result.supplement_max == D("202.12")
    assert "Kela decides" in result.breakdown[-1].label
    assert result.estimate is False


@pytest.mark.parametrize(
    "family_size, income, supplement, monthly",
    [
        # family of 2: 202.12 − 0.115 × (1500 − 1160) = 202.12 − 39.10 = 163.02; + 377.68 = 540.70
        (2, D(1500), D("163.02"), D("540.70")),
        # family of 3: 202.12 − 0.094 × (1600 − 1430) = 202.12 − 15.98 = 186.14; + 377.68 = 563.82
        (3, D(1600), D("186.14"), D("563.82")),
        # family of 4: 202.12 − 0.079 × (2000 − 1700) = 202.12 − 23.70 = 178.42; + 377.68 = 556.10
        (4, D(2000), D("178.42"), D("556.10")),
        # family of 6 is counted as 4 (two adults, two children under school age): the same 178.42
        (6, D(2000), D("178.42"), D("556.10")),
    ],
)
def test_supplement_by_family_size(family_size, income, supplement, monthly):
    result = allowance(family_size=family_size, income=income)
    assert result.supplement == supplement
    assert result.monthly == monthly
    assert result.estimate is False


@pytest.mark.parametrize("family_size, limit", [(2, D(1160)), (3, D(1430)), (4, D(1700)), (5, D(1700))])
def test_full_supplement_up_to_each_limit(family_size, limit):
    # at the limit: the full 202.12; one euro above: 202.12 − rate × 1, to the cent
    at_limit = allowance(family_size=family_size, income=limit)
    assert at_limit.supplement == D("202.12")
    assert at_limit.monthly == D("579.80")  # 377.68 + 202.12
    assert allowance(family_size=family_size, income=limit + 1).supplement < D("202.12")


def test_supplement_rounded_to_cents():
    # 202.12 − 0.115 × (1500.55 − 1160) = 202.12 − 39.16325 = 162.95675 → 162.96
    assert allowance(family_size=2, income=D("1500.55")).supplement == D("162.96")


def test_supplement_never_negative():
    # 202.12 − 0.115 × (4000 − 1160) = 202.12 − 326.6 < 0 → 0
    result = allowance(family_size=2, income=D(4000))
    assert result.supplement == D("0.00")
    assert result.monthly == D("377.68")


def test_siblings_add_their_amounts():
    # 377.68 + 113.07 + 72.66 = 563.41
    result = allowance(family_size=4, other_children_under_3=1, other_children_under_school_age=1)
    assert result.monthly == D("563.41")
    sibling_steps = [item for item in result.breakdown if "Other children" in item.label]
    assert len(sibling_steps) == 2
    assert not any(item.estimate for item in sibling_steps)
    # 377.68 + 2 × 72.66 = 523.00
    assert allowance(family_size=4, other_children_under_school_age=2).monthly == D("523.00")


@pytest.mark.parametrize(
    "hours, amount",
    [
        (D(20), D("269.24")),
        (D("22.5"), D("269.24")),  # at most 22.5 h: the higher amount
        (D(23), D("179.49")),
        (D(30), D("179.49")),  # over 22.5 and at most 30 h: the lower amount
        (D("30.5"), D(0)),  # more than 30 h: none
    ],
)
def test_flexible_care_allowance_by_working_hours(hours, amount):
    result = flexible_care_allowance(weekly_hours=hours, on=ON)
    assert result.monthly == amount
    assert result.estimate is False


def test_flexible_care_allowance_rejects_negative_hours():
    with pytest.raises(InvalidInput) as error:
        flexible_care_allowance(weekly_hours=D(-1), on=ON)
    assert error.value.field == "weekly_hours"


def test_partial_care_allowance():
    result = partial_care_allowance(date(2026, 9, 1))
    assert result.amount == D("108.15")
    assert result.estimate is False
    assert partial_care_allowance(date(2028, 1, 1)).estimate is True


def test_base_step_is_verified_not_estimate():
    base = allowance().breakdown[0]
    assert base.amount == D("377.68")
    assert base.estimate is False


def test_not_eligible_from_third_birthday():
    result = allowance(on=date(2027, 5, 10))  # turns 3 that day
    assert result.eligible is False
    assert result.monthly == D(0)
    assert len(result.breakdown) == 1
    assert result.breakdown[0].values["third_birthday"] == "2027-05-10"
    assert "under 3" in result.breakdown[0].label.format(**result.breakdown[0].values)
    # the day before: still under 3
    assert allowance(on=date(2027, 5, 9)).eligible is True


def test_after_2027_figures_are_estimates():
    # 2027-12-31 still has the frozen, confirmed figure; from 2028 it is the last known one, flagged
    assert allowance(child_birth_date=date(2026, 6, 1), on=date(2027, 12, 31)).breakdown[0].estimate is False
    result = allowance(child_birth_date=date(2026, 6, 1), on=date(2028, 3, 1))
    assert result.monthly == D("377.68")
    assert result.breakdown[0].estimate is True


def test_before_first_period_raises():
    with pytest.raises(ParameterError):
        allowance(child_birth_date=date(2022, 1, 1), on=date(2022, 6, 1))


def test_breakdown_labels_are_fillable():
    result = allowance(family_size=4, other_children_under_3=1, other_children_under_school_age=1)
    for item in result.breakdown:
        assert item.label.format(**item.values)
        assert item.rule and item.source


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"child_birth_date": date(2025, 7, 1)}, "child_birth_date"),
        ({"family_size": 1}, "family_size"),
        ({"family_size": 2, "other_children_under_3": 1}, "family_size"),
        ({"income": D(-1)}, "income"),
        ({"other_children_under_3": -1}, "other_children_under_3"),
        ({"other_children_under_school_age": -1}, "other_children_under_school_age"),
    ],
)
def test_invalid_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as error:
        allowance(**kwargs)
    assert error.value.field == field


def test_flexible_care_amounts_for_a_plan_name_both_limits():
    # 269.24 € at most 22.5 h a week, 179.49 € at most 30 h (Kela, frozen through 2027)
    steps = flexible_care_amounts(date(2027, 3, 1))
    assert [(s.amount, s.values["hours"]) for s in steps] == [(D("269.24"), D("22.5")), (D("179.49"), D(30))]
