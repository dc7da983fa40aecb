"""Kela child home care allowance. Figures from rules-facts: 377.68 € for one
child under 3 (verified); about 113 € per other child under 3 and about 73 €
per other child 3..school age (unconfirmed); care supplement up to about 202 €,
family of 2: full up to 1160 €/month, reduced by 11.5 % of the excess."""

from datetime import date
from decimal import Decimal as D

import pytest

from configurator.parameters import ParameterError
from configurator.rules import InvalidInput
from configurator.rules.home_care import home_care_allowance

BORN = date(2024, 5, 10)
ON = date(2025, 6, 1)


def allowance(**kwargs):
    args = {"child_birth_date": BORN, "on": ON, "family_size": 3, "income": None}
    args.update(kwargs)
    return home_care_allowance(**args)


def test_base_allowance_only_when_supplement_cannot_be_computed():
    result = allowance()
    assert result.eligible is True
    assert result.monthly == D("377.68")
    assert result.supplement is None
    assert result.supplement_max == D(202)
    # the supplement step says "up to about 202, Kela decides": that step is an
    # estimate, the amount paid (377.68, verified) is not
    assert "Kela decides" in result.breakdown[-1].label
    assert result.breakdown[-1].estimate is True
    assert result.estimate is False


def test_family_of_2_supplement_reduced_by_income():
    # 202 − 0.115 × (1500 − 1160) = 202 − 39.10 = 162.90; 377.68 + 162.90 = 540.58
    result = allowance(family_size=2, income=D(1500))
    assert result.supplement == D("162.90")
    assert result.monthly == D("540.58")
    assert result.estimate is True


def test_family_of_2_supplement_rounded_to_cents():
    # 202 − 0.115 × (1500.55 − 1160) = 202 − 39.16325 = 162.83675 → 162.84
    assert allowance(family_size=2, income=D("1500.55")).supplement == D("162.84")


def test_family_of_2_full_supplement_at_or_below_limit():
    # income 1000 ≤ 1160 → 202; 377.68 + 202 = 579.68
    result = allowance(family_size=2, income=D(1000))
    assert result.supplement == D(202)
    assert result.monthly == D("579.68")


def test_family_of_2_supplement_never_negative():
    # 202 − 0.115 × (4000 − 1160) = 202 − 326.6 < 0 → 0
    result = allowance(family_size=2, income=D(4000))
    assert result.supplement == D("0.00")
    assert result.monthly == D("377.68")


def test_other_family_sizes_get_no_invented_income_limit():
    result = allowance(family_size=4, income=D(1500))
    assert result.supplement is None
    assert result.monthly == D("377.68")
    assert "not known" in result.breakdown[-1].label


def test_siblings_add_approximate_amounts_as_estimates():
    # 377.68 + 113 + 73 = 563.68
    result = allowance(family_size=4, other_children_under_3=1, other_children_under_school_age=1)
    assert result.monthly == D("563.68")
    sibling_steps = [item for item in result.breakdown if "Other children" in item.label]
    assert len(sibling_steps) == 2
    assert all(item.estimate for item in sibling_steps)
    # 2 × 73 = 146
    two = allowance(family_size=4, other_children_under_school_age=2)
    assert two.monthly == D("523.68")


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
