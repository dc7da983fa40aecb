"""Figures a checklist item can show: named, computed from the answers and the dated parameters.

A checklist item in a life-event file lists `figures: [registration_fee]`; the loader checks the
names against this registry. A figure returns breakdown steps, so the plan shows the amount with
its rule, validity date and source, the same way as every other calculation. A figure whose
answers are missing returns nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from .i18n import N_, NP_
from .money import as_percent
from .parameters import ParameterError, default_parameters
from .rules import BreakdownStep, step, unemployment
from .rules import business_start as business
from .rules.ecec_application import application_timing
from .rules.home_care import flexible_care_amounts

Answers = Mapping[str, Any]
Figure = Callable[[Answers, date], tuple[BreakdownStep, ...]]
FIGURES: dict[str, Figure] = {}


def figure(func: Figure) -> Figure:
    FIGURES[func.__name__] = func
    return func


def _start(answers: Answers, today: date) -> date:
    return answers.get("start_date") or today


def chosen_or_fitting_forms(answers: Answers, today: date) -> tuple[str, ...]:
    """The chosen company form, or every form that fits when the founder asked for help."""
    chosen = answers.get("company_form")
    if chosen in business.COMPANY_FORMS:
        return (chosen,)
    fitting = business.recommend_company_forms(
        partners=answers.get("partners") == "partners", on=_start(answers, today)
    )
    return tuple(r.form for r in fitting if r.fits)


@figure
def registration_fee(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    on = _start(answers, today)
    return tuple(
        step
        for form in chosen_or_fitting_forms(answers, today)
        for step in business.registration_fee(form, on).breakdown
    )


@figure
def vat_threshold(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    turnover = answers.get("turnover")
    return () if turnover is None else business.vat_required(turnover, _start(answers, today)).breakdown


@figure
def yel_contribution(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    income = answers.get("work_income")
    if income is None:
        return ()
    return business.yel_required(income, _start(answers, today), age=answers.get("age")).breakdown


@figure
def alcohol_licence_fee(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    return business.alcohol_licence_fee(_start(answers, today))


@figure
def start_up_grant(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    return business.start_up_grant(_start(answers, today)).breakdown


def _first_day(answers: Answers, today: date) -> date:
    return answers.get("first_day") or today


@figure
def earnings_related_allowance(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    wage = answers.get("monthly_wage")
    if wage is None:
        return ()
    return unemployment.earnings_related_allowance(wage, _first_day(answers, today)).breakdown


@figure
def kela_benefit(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    return unemployment.kela_benefit(_first_day(answers, today)).breakdown


@figure
def waiting_period(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """The unpaid weekdays at the start, with their dates (they depend on the first day of unemployment)."""
    first = _first_day(answers, today)
    timeline = unemployment.allowance_timeline(None, first, False, answers.get("work_years") or 0, answers.get("age"))
    weekdays = default_parameters().at("unemployment.waiting_period_weekdays", first)
    return (
        step(
            N_(
                "Waiting period of {days} weekdays without benefit, {start} to {end}; the first "
                "paid day is {first_paid_day}"
            ),
            {
                "days": timeline.waiting_weekdays,
                "start": timeline.waiting_period_start.isoformat(),
                "end": timeline.waiting_period_end.isoformat(),
                "first_paid_day": timeline.first_paid_date.isoformat(),
            },
            None,
            unemployment.RULE_ACT,
            weekdays,
        ),
    )


@figure
def entrepreneur_allowance(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """From the confirmed YEL work income, without the statutory deduction."""
    income = answers.get("yel_income")
    if income is None:
        return ()
    return unemployment.entrepreneur_allowance(income, _first_day(answers, today)).breakdown


@figure
def resignation_period(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """The days without benefit after resigning without a valid reason, with their dates."""
    first = _first_day(answers, today)
    days = default_parameters().at("unemployment.sanction.resignation_days", first)
    end = first + timedelta(days=int(days.value) - 1)
    return (
        step(
            N_("Without a valid reason: no benefit for {days} days, {start} to {end}"),
            {"days": int(days.value), "start": first.isoformat(), "end": end.isoformat()},
            None,
            unemployment.RULE_ACT,
            days,
        ),
    )


@figure
def job_applications(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """The job search obligation for the person's situation, and what an omission costs."""
    params = default_parameters()
    first = _first_day(answers, today)
    reason = answers.get("reason")
    count = params.at("unemployment.job_search.applications_per_month", first)
    if reason == "hours_reduced":
        part_count = params.at("unemployment.job_search.part_time_applications", first)
        months = params.at("unemployment.job_search.part_time_review_period_months", first)
        wage_rate = params.at("unemployment.adjusted_allowance.wage_deduction_rate", first)
        steps = [
            step(
                NP_(
                    "Working part-time or partly laid off: in principle {count} job application every {months} months",
                    "Working part-time or partly laid off: in principle {count} job applications every {months} months",
                    "count",
                ),
                {"count": int(part_count.value), "months": int(months.value)},
                None,
                unemployment.RULE_ACT,
                part_count,
                months,
            ),
            step(
                N_(
                    "While you work part-time, {rate} % of your gross wages reduce the allowance; the allowance and "
                    "the wages together never exceed the wage the allowance is based on"
                ),
                {"rate": as_percent(wage_rate.value)},
                None,
                unemployment.RULE_ACT,
                wage_rate,
            ),
        ]
    elif reason == "laid_off":
        after = params.at("unemployment.job_search.laid_off_after_months", first)
        steps = [
            step(
                N_(
                    "Temporarily laid off: no job search obligation for the first {months} months of lay-off; "
                    "after that in principle {count} job applications a month"
                ),
                {"months": int(after.value), "count": int(count.value)},
                None,
                unemployment.RULE_ACT,
                after,
                count,
            )
        ]
    else:
        steps = [
            step(
                N_("In principle {count} job applications a month, as agreed in your employment plan"),
                {"count": int(count.value)},
                None,
                unemployment.RULE_ACT,
                count,
            )
        ]
    return tuple(steps) + _omission_steps(first)


def _omission_steps(first: date) -> tuple[BreakdownStep, ...]:
    """What an omission costs; only from the date these sanctions are in force (2026-03-01)."""
    params = default_parameters()
    try:
        days = params.at("unemployment.sanction.first_omission_days", first)
        weeks = params.at("unemployment.sanction.second_omission_work_weeks", first)
        window = params.at("unemployment.sanction.omission_window_months", first)
    except ParameterError:
        return ()
    return (
        step(
            N_(
                "If you do not apply as agreed: the first time no benefit for {days} days; a second time within "
                "{months} months, no benefit until you have worked for {weeks} weeks"
            ),
            {"days": int(days.value), "months": int(window.value), "weeks": int(weeks.value)},
            None,
            unemployment.RULE_ACT,
            days,
            window,
            weeks,
        ),
    )


@figure
def housing_allowance(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """How much of the housing costs the allowance covers (the cost tables are Kela's)."""
    first = _first_day(answers, today)
    params = default_parameters()
    try:
        share = params.at("kela_housing_allowance.share_of_costs", first)
    except ParameterError:
        return ()
    back = params.at("kela_housing_allowance.backdating_months", first)
    return (
        step(
            N_(
                "Kela pays {share} % of your acceptable housing costs above a basic deductible; the highest "
                "acceptable costs depend on your municipality and household"
            ),
            {"share": as_percent(share.value)},
            None,
            RULE_HOUSING,
            share,
        ),
        step(
            NP_(
                "It can be granted for up to {months} month before the month your application arrives",
                "It can be granted for up to {months} months before the month your application arrives",
                "months",
            ),
            {"months": int(back.value)},
            None,
            RULE_HOUSING,
            back,
        ),
    )


RULE_HOUSING = N_("Act on general housing allowance 938/2014")


@figure
def ecec_application_timing(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """The deadline to apply, or, when it has passed, the earliest start the municipality must meet."""
    start = answers.get("start_date")
    if start is None:
        return ()
    return application_timing(start, answers.get("sudden_need") is True, today).breakdown


@figure
def flexible_care_allowance(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    """Both amounts, for the two limits of working hours (the event does not ask the parent's hours)."""
    return flexible_care_amounts(answers.get("start_date") or today)
