"""Unemployment benefits (configurator/rules/unemployment.py).

Figures from rules-facts section 2 and its "Corrections and additions, checked 2026-12": basic amount
37.21 €/day, 21.5 days a month; statutory deduction 4.40 % (2023), 3.76 % (2024), 3.54 % (2025),
3.83 % (2026), 2027 not published (the 2026 figure is used as an estimate); the fund uses the
deduction of the year the work condition was met. Earnings part 45 % up to the breakpoint
95 × 37.21 = 3534.95 €/month (164.416279… €/day) and 20 % above, at most 90 % of the daily wage,
never below 37.21; step-down 80 % after 40 and 75 % after 170 paid days (from 2024-09-02); waiting
period 7 weekdays; 300/400/500 days. An entrepreneur's daily wage is the confirmed YEL work income
/ 12 / 21.5 with no statutory deduction (Yrittäjäkassa: 26,000 € → 2,166.67 € → 100.78 €).

No intermediate rounding: the allowance is computed from the unrounded daily wage and rounded
half-up to cents once at the end; the monthly estimate is the rounded daily amount × 21.5,
rounded to cents.
"""

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from configurator.parameters import ParameterError
from configurator.rules import InvalidInput
from configurator.rules import unemployment as rules
from configurator.rules.unemployment import (
    REASON_NO_WAGE,
    REASON_NOT_FUND_MEMBER,
    allowance_timeline,
    earnings_related_allowance,
    entrepreneur_allowance,
    kela_benefit,
    unemployment_allowances,
)

ON = date(2024, 10, 1)  # a Tuesday; deduction 3.76 % verified, step-down in force


def filled(step):
    return step.label.format(**step.values)


# --- earnings-related allowance --------------------------------------------------


def test_wage_below_breakpoint():
    # daily wage = 3000 × 0.9624 / 21.5 = 2887.2 / 21.5 = 134.288372…
    # allowance = 37.21 + 0.45 × (134.288372… − 37.21) = 37.21 + 43.685267… = 80.895267… → 80.90
    # cap 0.9 × 134.288… = 120.86 does not bind; monthly = 80.90 × 21.5 = 1739.35
    result = earnings_related_allowance(D(3000), ON)
    assert result.kind == "earnings_related"
    assert result.daily_wage == D("134.29")
    assert result.daily_allowance == D("80.90")
    assert result.monthly_estimate == D("1739.35")
    assert result.step_down_percent == 100
    assert result.estimate is False


def test_no_intermediate_rounding_of_the_daily_wage():
    # daily wage = 2013 × 0.9624 / 21.5 = 90.107497…
    # unrounded: 37.21 + 0.45 × 52.897497… = 61.013873… → 61.01
    # (rounding the daily wage first, 90.11, would give 61.0150 → 61.02)
    assert earnings_related_allowance(D(2013), ON).daily_allowance == D("61.01")


def test_wage_above_breakpoint():
    # daily wage = 6000 × 0.9624 / 21.5 = 268.576744…; breakpoint 3534.95 / 21.5 = 164.416279…
    # 37.21 + 0.45 × (164.416279… − 37.21) + 0.20 × (268.576744… − 164.416279…)
    # = 37.21 + 57.242826… + 20.832093… = 115.284919… → 115.28; monthly 115.28 × 21.5 = 2478.52
    result = earnings_related_allowance(D(6000), ON)
    assert result.daily_allowance == D("115.28")
    assert result.monthly_estimate == D("2478.52")
    breakpoint_step = next(s for s in result.breakdown if "breakpoint_monthly" in s.values)
    assert breakpoint_step.values["breakpoint_monthly"] == D("3534.95")  # 95 × 37.21
    assert breakpoint_step.values["breakpoint_daily"] == D("164.42")
    above = next(s for s in result.breakdown if "above the breakpoint" in s.label)
    assert above.amount == D("20.83")


def test_cap_at_90_percent_of_daily_wage():
    # daily wage = 960 × 0.9624 / 21.5 = 42.972279…
    # formula 37.21 + 0.45 × 5.762279… = 39.803026…; cap 0.9 × 42.972279… = 38.675051… → 38.68
    result = earnings_related_allowance(D(960), ON)
    assert result.daily_allowance == D("38.68")
    assert result.monthly_estimate == D("831.62")  # 38.68 × 21.5
    assert any("90 %" in filled(s) for s in result.breakdown)


@pytest.mark.parametrize("wage", [D(0), D(500), D("1000.50")])
def test_never_below_basic_amount(wage):
    # 500: daily wage 22.38, no earnings part, cap 0.9 × 22.38 = 20.14 < 37.21 → 37.21
    # 1000.50: daily wage 44.79, formula 40.62, cap 40.31 (≥ 37.21) → cap applies, not the floor
    result = earnings_related_allowance(wage, ON)
    assert result.daily_allowance >= D("37.21")
    if wage <= 500:
        assert result.daily_allowance == D("37.21")
        assert result.monthly_estimate == D("800.02")  # 37.21 × 21.5 = 800.015


@pytest.mark.parametrize(
    "paid_days, daily, percent",
    [
        (0, "80.90", 100),
        (39, "80.90", 100),  # the 40th paid day is still full
        (40, "64.72", 80),  # 0.80 × 80.895267… = 64.716214… → 64.72
        (169, "64.72", 80),
        (170, "60.67", 75),  # 0.75 × 80.895267… = 60.671451… → 60.67
        (499, "60.67", 75),
    ],
)
def test_step_down_by_paid_days(paid_days, daily, percent):
    result = earnings_related_allowance(D(3000), ON, paid_days=paid_days)
    assert result.daily_allowance == D(daily)
    assert result.step_down_percent == percent


def test_step_down_never_below_basic_amount():
    # daily wage = 1200 × 0.9624 / 21.5 = 53.715349…; 37.21 + 0.45 × 16.505349… = 44.637407…
    # full: 44.64; after 40 days 0.8 × 44.637… = 35.71 < 37.21 → 37.21
    assert earnings_related_allowance(D(1200), ON).daily_allowance == D("44.64")
    stepped = earnings_related_allowance(D(1200), ON, paid_days=40)
    assert stepped.daily_allowance == D("37.21")
    assert "basic amount" in filled(stepped.breakdown[-2])


def test_no_step_down_before_2024_09_02():
    result = earnings_related_allowance(D(3000), date(2024, 9, 1), paid_days=200)
    assert result.daily_allowance == D("80.90")
    assert result.step_down_percent == 100
    assert earnings_related_allowance(D(3000), date(2024, 9, 2), paid_days=200).daily_allowance == D("60.67")


# --- the statutory deduction of each year ------------------------------------------------------


@pytest.mark.parametrize(
    "on, percent, daily_wage, daily, monthly",
    [
        # 2024: 3000 × (1 − 0.0376) / 21.5 = 2887.20 / 21.5 = 134.288372…;
        #       37.21 + 0.45 × (134.288372… − 37.21) = 80.895267… → 80.90; 80.90 × 21.5 = 1739.35
        (date(2024, 10, 1), "3.76", "134.29", "80.90", "1739.35"),
        # 2025: 3000 × (1 − 0.0354) / 21.5 = 2893.80 / 21.5 = 134.595349…;
        #       37.21 + 0.45 × (134.595349… − 37.21) = 37.21 + 43.823407… = 81.033407… → 81.03;
        #       81.03 × 21.5 = 1742.145 → 1742.15
        (date(2025, 3, 3), "3.54", "134.60", "81.03", "1742.15"),
        # 2026: 3000 × (1 − 0.0383) / 21.5 = 2885.10 / 21.5 = 134.190698…;
        #       37.21 + 0.45 × (134.190698… − 37.21) = 37.21 + 43.641314… = 80.851314… → 80.85;
        #       80.85 × 21.5 = 1738.275 → 1738.28
        (date(2026, 6, 1), "3.83", "134.19", "80.85", "1738.28"),
    ],
)
def test_statutory_deduction_of_each_year(on, percent, daily_wage, daily, monthly):
    result = earnings_related_allowance(D(3000), on)
    assert result.daily_wage == D(daily_wage)
    assert result.daily_allowance == D(daily)
    assert result.monthly_estimate == D(monthly)
    assert result.estimate is False  # 2024, 2025 and 2026 are all published
    deduction_step = result.breakdown[0]
    assert deduction_step.values["deduction"] == D(percent)
    assert deduction_step.values["year"] == str(on.year)
    assert deduction_step.valid_from == date(on.year, 1, 1)
    assert deduction_step.estimate is False


def test_2027_deduction_is_the_2026_figure_as_an_estimate():
    # 2027 is not published: 3.83 % of 2026 is used (80.85, derivation above) and flagged
    result = earnings_related_allowance(D(3000), date(2027, 2, 1))
    assert result.daily_allowance == D("80.85")
    assert result.estimate is True
    deduction_step = result.breakdown[0]
    assert deduction_step.values["deduction"] == D("3.83")
    assert deduction_step.valid_from == date(2026, 1, 1)
    assert deduction_step.estimate is True
    assert result.breakdown[1].estimate is False  # the basic amount 37.21 is known through 2027


def test_default_year_is_the_first_day_and_the_breakdown_says_so():
    result = earnings_related_allowance(D(3000), date(2026, 6, 1))
    first = result.breakdown[0]
    assert first.values["year"] == "2026"
    assert "the year of your first day without work" in first.label
    assert "the fund uses the year your work condition was met" in first.label
    assert "3.83" in filled(first) and "2026" in filled(first)


def test_explicit_work_condition_year_picks_that_years_deduction():
    # unemployed on 1.6.2026, work condition met in 2025: 3.54 % → 81.03 (not 2026's 80.85)
    result = earnings_related_allowance(D(3000), date(2026, 6, 1), work_condition_year=2025)
    assert result.daily_allowance == D("81.03")
    assert result.daily_wage == D("134.60")
    first = result.breakdown[0]
    assert first.values == {
        "monthly_wage": D(3000),
        "deduction": D("3.54"),
        "year": "2025",
        "days_per_month": D("21.5"),
        "daily_wage": D("134.60"),
    }
    assert "the year your work condition was met" in first.label
    assert "first day without work" not in first.label
    # the same year as the first day gives the same figure as the default, only the text differs
    same = earnings_related_allowance(D(3000), date(2026, 6, 1), work_condition_year=2026)
    assert same.daily_allowance == D("80.85")


def test_work_condition_met_in_2023_uses_4_40_percent():
    # 3000 × (1 − 0.0440) / 21.5 = 2868 / 21.5 = 133.395349…;
    # 37.21 + 0.45 × (133.395349… − 37.21) = 37.21 + 43.283407… = 80.493407… → 80.49
    result = earnings_related_allowance(D(3000), ON, work_condition_year=2023)
    assert result.daily_allowance == D("80.49")
    assert result.breakdown[0].values["deduction"] == D("4.40")
    assert result.estimate is False


def test_a_published_work_condition_year_makes_2027_no_estimate():
    # unemployed in 2027, work condition met in 2026: the 2026 deduction is published → 80.85, no estimate
    result = earnings_related_allowance(D(3000), date(2027, 2, 1), work_condition_year=2026)
    assert result.daily_allowance == D("80.85")
    assert result.estimate is False


def test_work_condition_year_after_the_first_day_is_refused():
    with pytest.raises(InvalidInput) as error:
        earnings_related_allowance(D(3000), date(2026, 6, 1), work_condition_year=2027)
    assert error.value.field == "work_condition_year"
    assert error.value.values == {"year": "2026"}  # shown as a year, not "2,026"


def test_before_the_formula_rates_are_recorded_raises():
    # 2023 has a deduction (4.40 %), but the rates of the formula are recorded from 2024-01-01
    with pytest.raises(ParameterError):
        earnings_related_allowance(D(3000), date(2023, 6, 1))


def test_wage_given_as_string_or_int_is_accepted():
    assert earnings_related_allowance("3000", ON).daily_allowance == D("80.90")
    assert earnings_related_allowance(3000, ON).daily_allowance == D("80.90")


# --- Kela --------------------------------------------------------------------------


def test_kela_basic_allowance_before_general_support():
    result = kela_benefit(date(2026, 4, 30))
    assert result.kind == "basic_allowance"
    assert result.daily_allowance == D("37.21")
    assert result.monthly_estimate == D("800.02")  # 37.21 × 21.5 = 800.015 → 800.02
    assert result.daily_wage is None
    assert result.estimate is False


def test_kela_general_support_from_2026_05_01():
    result = kela_benefit(date(2026, 5, 1), monthly_wage=D(3000))
    assert result.kind == "general_support"
    assert result.daily_allowance == D("37.21")
    assert result.monthly_estimate == D("800.02")
    income_note = next(s for s in result.breakdown if "other income" in s.label)
    assert income_note.values == {"wage_rate": D(50), "protected": D(311), "other_rate": D(50)}
    assert income_note.amount is None


def test_kela_after_the_freeze_is_an_estimate():
    result = kela_benefit(date(2028, 2, 1))
    assert result.daily_allowance == D("37.21")
    assert result.estimate is True


# --- side by side --------------------------------------------------------------------


def test_fund_member_gets_both():
    both = unemployment_allowances(D(3000), True, ON, paid_days=40)
    assert both.earnings_related.daily_allowance == D("64.72")
    assert both.earnings_related_reason is None
    assert both.kela.daily_allowance == D("37.21")
    assert both.kela.kind == "basic_allowance"
    assert both.estimate is False


def test_non_member_gets_kela_only_with_reason():
    both = unemployment_allowances(D(3000), False, ON)
    assert both.earnings_related is None
    assert both.earnings_related_reason == REASON_NOT_FUND_MEMBER
    assert both.kela.daily_allowance == D("37.21")


def test_member_without_wage_gets_reason():
    both = unemployment_allowances(None, True, date(2026, 5, 1))
    assert both.earnings_related is None
    assert both.earnings_related_reason == REASON_NO_WAGE
    assert both.kela.kind == "general_support"


def test_side_by_side_estimate_follows_the_deduction():
    assert unemployment_allowances(D(3000), True, date(2025, 3, 3)).estimate is False  # 3.54 % published
    assert unemployment_allowances(D(3000), True, date(2027, 2, 1)).estimate is True  # 2027 not published
    assert unemployment_allowances(D(3000), False, date(2027, 2, 1)).estimate is False  # Kela known through 2027


def test_side_by_side_passes_the_work_condition_year_on():
    both = unemployment_allowances(D(3000), True, date(2026, 6, 1), work_condition_year=2025)
    assert both.earnings_related.daily_allowance == D("81.03")  # 2025's 3.54 % (derivation above)


# --- timeline --------------------------------------------------------------------------


def test_timeline_earnings_related_300_days_with_dates():
    timeline = allowance_timeline(D(3000), ON, True, 3, 40)
    assert timeline.kind == "earnings_related"
    assert timeline.max_paid_days == 300  # work history 3 years is "at most 3"
    # waiting period: Tue 1.10, Wed 2, Thu 3, Fri 4, Mon 7, Tue 8, Wed 9 → first paid Thu 10.10
    assert timeline.waiting_weekdays == 7
    assert timeline.waiting_period_start == date(2024, 10, 1)
    assert timeline.waiting_period_end == date(2024, 10, 9)
    assert timeline.first_paid_date == date(2024, 10, 10)
    # 1.10.2024 + 3 months = 1.1.2025, New Year's Day → Thursday 2.1.2025 (Act 150/1930)
    assert timeline.application_deadline == date(2025, 1, 2)
    spans = [(p.first_paid_day, p.last_paid_day, p.daily_allowance, p.step_down_percent) for p in timeline.periods]
    assert spans == [
        (1, 40, D("80.90"), 100),
        (41, 170, D("64.72"), 80),
        (171, 300, D("60.67"), 75),
    ]
    first, second, third = timeline.periods
    # paid day 40 = weekday no. 47 from 1.10: 46 = 9 weeks + 1 → Tue 3.12 + 1 = Wed 4.12
    assert (first.start, first.end) == (date(2024, 10, 10), date(2024, 12, 4))
    assert second.start == date(2024, 12, 5)
    assert second.monthly_estimate == D("1391.48")  # 64.72 × 21.5
    # paid day 300 = weekday no. 307: 306 = 61 weeks + 1 → Tue 2.12.2025 + 1 = Wed 3.12.2025
    assert third.end == date(2025, 12, 3)
    assert timeline.estimate is False
    assert timeline.earnings_related_reason is None


def test_timeline_400_days_for_longer_work_history():
    timeline = allowance_timeline(D(3000), ON, True, D("3.5"), 40)
    assert timeline.max_paid_days == 400
    assert timeline.periods[-1].last_paid_day == 400


@pytest.mark.parametrize(
    "age, senior, history, expected",
    [
        (58, True, 10, 500),
        (57, True, 10, 400),
        (60, False, 10, 400),
        (None, True, 2, 300),
    ],
)
def test_timeline_senior_maximum(age, senior, history, expected):
    timeline = allowance_timeline(D(3000), ON, True, history, age, senior_work_history=senior)
    assert timeline.max_paid_days == expected
    assert timeline.breakdown[0].values["max_days"] == expected


def test_timeline_starting_on_a_weekend():
    # Sat 5.10.2024: waiting Mon 7 … Tue 15 (7 weekdays), first paid day Wed 16.10
    timeline = allowance_timeline(D(3000), date(2024, 10, 5), True, 5, 40)
    assert timeline.waiting_period_start == date(2024, 10, 7)
    assert timeline.waiting_period_end == date(2024, 10, 15)
    assert timeline.first_paid_date == date(2024, 10, 16)
    assert timeline.periods[0].start == date(2024, 10, 16)


def test_timeline_non_member_is_kela_flat():
    timeline = allowance_timeline(D(3000), ON, False, 2, 30)
    assert timeline.kind == "basic_allowance"
    assert timeline.earnings_related_reason == REASON_NOT_FUND_MEMBER
    assert len(timeline.periods) == 1
    only = timeline.periods[0]
    assert (only.first_paid_day, only.last_paid_day, only.daily_allowance) == (1, 300, D("37.21"))


def test_timeline_breakdown_explains_each_step_down():
    timeline = allowance_timeline(D(3000), ON, True, 5, 40)
    texts = [filled(s) for s in timeline.breakdown]
    assert any("80 % × 80.90 € = 64.72 €" in text for text in texts)
    assert any("75 % × 80.90 € = 60.67 €" in text for text in texts)
    # the daily wage is explained once, not per period
    assert sum("Daily wage" in text for text in texts) == 1


def test_timeline_estimate_only_where_the_deduction_is_unknown():
    assert allowance_timeline(D(3000), date(2025, 2, 3), True, 5, 40).estimate is False
    assert allowance_timeline(D(3000), date(2027, 2, 1), True, 5, 40).estimate is True
    assert allowance_timeline(D(3000), date(2027, 2, 1), True, 5, 40, work_condition_year=2026).estimate is False


# --- an entrepreneur whose business ended ---------------------------------------------------------------
# Yrittäjäkassa's example, 26,000 € a year of confirmed YEL work income, no statutory deduction:
# 26000 / 12 = 2166.666… a month; / 21.5 = 100.775194… a day (→ 100.78, the fund's figure);
# 37.21 + 0.45 × (100.775194… − 37.21) = 37.21 + 0.45 × 63.565194… = 37.21 + 28.604337… = 65.814337… → 65.81;
# the 90 % cap 0.9 × 100.775… = 90.70 does not bind; a month 65.81 × 21.5 = 1414.915 → 1414.92;
# after 40 paid days 0.80 × 65.814337… = 52.651470… → 52.65 (× 21.5 = 1131.975 → 1131.98);
# after 170 paid days 0.75 × 65.814337… = 49.360753… → 49.36 (× 21.5 = 1061.24).


def test_yrittajakassa_example():
    result = entrepreneur_allowance(D(26000), date(2026, 12, 1))
    assert result.kind == "earnings_related"
    assert result.daily_wage == D("100.78")
    assert result.daily_allowance == D("65.81")
    assert result.monthly_estimate == D("1414.92")
    assert result.estimate is False
    wage_step = result.breakdown[0]
    assert wage_step.values == {
        "income": D(26000),
        "months": 12,
        "monthly": D("2166.67"),
        "days_per_month": D("21.5"),
        "daily_wage": D("100.78"),
    }
    assert "no statutory deduction" in wage_step.label
    assert not any("deduction" in s.values for s in result.breakdown)


def test_entrepreneur_has_no_deduction_unlike_an_employee_with_the_same_income():
    # as a wage of 2166.67 a month in 2026: 2166.67 × 0.9617 / 21.5 = 96.915… a day, not 100.78
    employee = earnings_related_allowance(D("2166.67"), date(2026, 12, 1))
    assert employee.daily_wage == D("96.92")
    assert entrepreneur_allowance(D(26000), date(2026, 12, 1)).daily_wage == D("100.78")


def test_entrepreneur_allowance_does_not_depend_on_the_deduction_year():
    # same 65.81 in 2024, 2025, 2026 and 2027, and no estimate in 2027: the deduction is not used
    for on in (date(2024, 10, 1), date(2025, 3, 3), date(2026, 6, 1), date(2027, 2, 1)):
        result = entrepreneur_allowance(D(26000), on)
        assert (result.daily_allowance, result.estimate) == (D("65.81"), False), on


@pytest.mark.parametrize("paid_days, daily, percent", [(39, "65.81", 100), (40, "52.65", 80), (170, "49.36", 75)])
def test_entrepreneur_step_down(paid_days, daily, percent):
    result = entrepreneur_allowance(D(26000), date(2026, 12, 1), paid_days)
    assert (result.daily_allowance, result.step_down_percent) == (D(daily), percent)


def test_entrepreneur_low_income_gets_the_basic_amount():
    # 8000 / 12 / 21.5 = 31.007751…: not above 37.21, no earnings part; the cap 27.91 < 37.21 → 37.21
    assert entrepreneur_allowance(D(8000), date(2026, 12, 1)).daily_allowance == D("37.21")


def test_side_by_side_with_the_yel_income():
    both = unemployment_allowances(None, True, date(2026, 12, 1), yel_income=D(26000))
    assert both.earnings_related.daily_allowance == D("65.81")
    assert both.earnings_related_reason is None
    assert both.kela.kind == "general_support"
    not_member = unemployment_allowances(None, False, date(2026, 12, 1), yel_income=D(26000))
    assert not_member.earnings_related is None and not_member.earnings_related_reason == REASON_NOT_FUND_MEMBER


def test_entrepreneur_timeline():
    timeline = allowance_timeline(None, date(2026, 12, 1), True, 12, 35, yel_income=D(26000))
    assert timeline.kind == "earnings_related" and timeline.max_paid_days == 400
    assert [(p.first_paid_day, p.last_paid_day, p.daily_allowance, p.monthly_estimate) for p in timeline.periods] == [
        (1, 40, D("65.81"), D("1414.92")),
        (41, 170, D("52.65"), D("1131.98")),
        (171, 400, D("49.36"), D("1061.24")),
    ]
    assert sum("YEL work income" in s.label for s in timeline.breakdown) == 1


@pytest.mark.parametrize("value", [D(-1), "abc"])
def test_entrepreneur_income_must_be_a_non_negative_amount(value):
    with pytest.raises(InvalidInput) as error:
        entrepreneur_allowance(value, date(2026, 12, 1))
    assert error.value.field == "yel_income"


# --- the application deadline of the timeline ------------------------------------------------------------


def test_timeline_application_deadline_on_a_weekday():
    # 1.12.2026 + 3 months = Mon 1.3.2027, a weekday: no shift (the checklist says the same)
    assert allowance_timeline(None, date(2026, 12, 1), False, 12, 35).application_deadline == date(2027, 3, 1)


def test_timeline_application_deadline_moves_off_holidays_like_the_checklist():
    # Sat 26.12.2026 + 3 months = Fri 26.3.2027, Good Friday; Sat 27, Easter Sunday 28, Easter Monday 29
    # → Tue 30.3.2027 (what the checklist's apply_for_kela_benefit shows for the same first day)
    timeline = allowance_timeline(None, date(2026, 12, 26), False, 12, 35)
    assert timeline.application_deadline == date(2027, 3, 30)


# --- validation and labels ----------------------------------------------------------------


@pytest.mark.parametrize(
    "call, field",
    [
        (lambda: earnings_related_allowance(D(-1), ON), "monthly_wage"),
        (lambda: earnings_related_allowance("abc", ON), "monthly_wage"),
        (lambda: earnings_related_allowance(D(3000), ON, paid_days=-1), "paid_days"),
        (lambda: earnings_related_allowance(D(3000), ON, paid_days=500), "paid_days"),
        (lambda: earnings_related_allowance(D(3000), ON, paid_days=D(3)), "paid_days"),
        (lambda: kela_benefit(ON, monthly_wage=D(-5)), "monthly_wage"),
        (lambda: kela_benefit(ON, paid_days=-1), "paid_days"),
        (lambda: unemployment_allowances(D(-1), False, ON), "monthly_wage"),
        (lambda: unemployment_allowances(D(3000), False, ON, paid_days=600), "paid_days"),
        (lambda: allowance_timeline(D(3000), ON, True, -1, 40), "work_history_years"),
        (lambda: allowance_timeline(D(3000), ON, True, 5, -1), "age"),
        (lambda: allowance_timeline(D(-3000), ON, True, 5, 40), "monthly_wage"),
    ],
)
def test_invalid_input_names_the_field(call, field):
    with pytest.raises(InvalidInput) as error:
        call()
    assert error.value.field == field


def test_paid_days_limit_message_names_the_maximum():
    with pytest.raises(InvalidInput) as error:
        earnings_related_allowance(D(3000), ON, paid_days=500)
    assert error.value.values == {"max_days": 500}
    assert earnings_related_allowance(D(3000), ON, paid_days=499).daily_allowance == D("60.67")


def test_breakdown_labels_are_fillable_and_cited():
    results = [
        earnings_related_allowance(D(6000), ON, paid_days=40),
        earnings_related_allowance(D(500), ON),
        earnings_related_allowance(D(3000), date(2026, 6, 1), work_condition_year=2025),
        entrepreneur_allowance(D(26000), date(2026, 12, 1), paid_days=170),
        kela_benefit(date(2026, 5, 1)),
    ]
    timeline = allowance_timeline(D(3000), ON, True, 5, 58, senior_work_history=True)
    for item in [s for r in results for s in r.breakdown] + list(timeline.breakdown):
        assert "{" not in filled(item)
        assert item.rule and item.source


def test_no_legal_figures_as_literals_in_the_rules():
    code = Path(rules.__file__).read_text(encoding="utf-8")
    code = re.sub(r'"""[\s\S]*?"""', "", code)  # docstrings may quote the figures
    code = re.sub(r"#.*", "", code)
    for figure in (
        "37.21",
        "21.5",
        "0.0376",
        "3.76",
        "0.0354",
        "3.54",
        "0.0383",
        "3.83",
        "0.044",
        "4.40",
        "0.45",
        "0.20",
        "0.9",
        "3534",
        "95",
        "0.8",
        "0.75",
        "300",
        "400",
        "500",
        "170",
        "58",
        "311",
        "26000",
        "26 000",
    ):
        assert figure not in code, figure
