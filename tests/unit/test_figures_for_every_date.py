"""Every calculator and every event's figures answer for any date people plan for (2024-2027), with the
figure in force on that date and its source; before the first recorded figure they refuse to guess.

Dates: the 1st of every month, plus the days around each change (1.8.2024, 1.1.2025,
1.1.2026, 1.3.2026, 1.5.2026, 1.8.2026, 1.1.2027). Which results are estimates is derived from the
parameter files by hand: in 2024-2026 every figure used here is published; in 2027 the statutory
deduction, the YEL minimum and rate are not, so those results carry the "estimate" badge.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from configurator.checklist import due_date, text_values
from configurator.lifeevents import default_life_events
from configurator.parameters import ParameterError, default_parameters
from configurator.rules.business_start import COMPANY_FORMS, business_start_costs
from configurator.rules.ecec_application import application_timing
from configurator.rules.ecec_fee import ecec_fee
from configurator.rules.home_care import flexible_care_allowance, home_care_allowance
from configurator.rules.unemployment import allowance_timeline, entrepreneur_allowance, unemployment_allowances

CHANGES = [
    date(2024, 8, 1),
    date(2025, 1, 1),
    date(2026, 1, 1),
    date(2026, 3, 1),
    date(2026, 5, 1),
    date(2026, 8, 1),
    date(2027, 1, 1),
]
DATES = sorted(
    {date(y, m, 1) for y in range(2024, 2028) for m in range(1, 13)}
    | set(CHANGES)
    | {c - timedelta(days=1) for c in CHANGES}
    | {date(2027, 12, 31)}
)


def _in_force(steps, on: date) -> None:
    for item in steps:
        assert item.source.strip(), item.label
        assert item.valid_from <= on, (item.label, item.valid_from, on)


@pytest.mark.parametrize("on", DATES, ids=str)
def test_every_calculator_answers_with_the_figure_in_force(on: date) -> None:
    fee = ecec_fee(family_size=3, income=Decimal(6000), hours_per_week=Decimal(40), child_rank=1, municipal=None, on=on)
    _in_force(fee.breakdown, on)
    assert fee.estimate is False  # every ECEC figure of 2024-2027 is published

    care = home_care_allowance(child_birth_date=on - timedelta(days=400), on=on, family_size=3, income=Decimal(1600))
    _in_force(care.breakdown, on)
    assert care.estimate is False  # frozen Kela amounts, confirmed through 2027
    _in_force(flexible_care_allowance(weekly_hours=Decimal(25), on=on).breakdown, on)

    both = unemployment_allowances(Decimal(3000), True, on)
    _in_force(both.earnings_related.breakdown + both.kela.breakdown, on)
    assert both.earnings_related.estimate is (on.year == 2027)  # the 2027 statutory deduction is unknown
    entrepreneur = entrepreneur_allowance(Decimal(26000), on)
    _in_force(entrepreneur.breakdown, on)
    assert entrepreneur.estimate is False  # no statutory deduction: only frozen Kela figures
    timeline = allowance_timeline(Decimal(3000), on, True, 5, 40)
    _in_force(timeline.breakdown, on)

    for form in COMPANY_FORMS:
        costs = business_start_costs(form, Decimal(30000), Decimal(24000), on, age=55)
        _in_force(costs.breakdown, on)
        assert costs.yel is not None and costs.yel.contribution is not None  # a rate for every year
        assert costs.yel.estimate is (on.year == 2027)

    _in_force(application_timing(on + timedelta(days=200), False, on).breakdown, on)


@pytest.mark.parametrize("on", DATES, ids=str)
def test_every_event_figure_and_deadline_resolves(on: date) -> None:
    for event in default_life_events().values():
        values = text_values(event, on)
        assert set(values) == set(event.values)
        for item in event.checklist:
            for rule in item.due:
                if rule.period:
                    assert due_date(rule, {rule.anchor: on}, on) is not None


def test_before_the_first_figure_there_is_no_guess() -> None:
    with pytest.raises(ParameterError):
        ecec_fee(
            family_size=3,
            income=Decimal(6000),
            hours_per_week=Decimal(40),
            child_rank=1,
            municipal=None,
            on=date(2023, 2, 28),
        )
    with pytest.raises(ParameterError):
        business_start_costs("oy", Decimal(30000), Decimal(24000), date(2023, 12, 31))
    with pytest.raises(ParameterError):
        unemployment_allowances(Decimal(3000), True, date(2022, 12, 31))


def test_every_time_limit_parameter_covers_2024_to_2027() -> None:
    params = default_parameters()
    for name in params.names():
        if params.unit(name) in ("days", "weeks", "months") and not name.startswith("unemployment.sanction."):
            for on in (date(2024, 1, 1), date(2027, 12, 31)):
                assert params.at(name, on).value > 0, name
