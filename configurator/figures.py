"""Figures a checklist item can show: named, computed from the answers and the dated parameters.

A checklist item in a life-event file lists `figures: [registration_fee]`; the loader checks the
names against this registry. A figure returns breakdown steps, so the plan shows the amount with
its rule, validity date and source, the same way as every other calculation. A figure whose
answers are missing returns nothing.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

from .i18n import N_
from .rules import BreakdownStep
from .parameters import default_parameters
from .rules import business_start as business
from .rules import step
from .rules import unemployment

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
    fitting = business.recommend_company_forms(partners=answers.get("partners") == "partners",
                                               on=_start(answers, today))
    return tuple(r.form for r in fitting if r.fits)


@figure
def registration_fee(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    on = _start(answers, today)
    return tuple(step for form in chosen_or_fitting_forms(answers, today)
                 for step in business.registration_fee(form, on).breakdown)


@figure
def vat_threshold(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    turnover = answers.get("turnover")
    return () if turnover is None else business.vat_required(turnover, _start(answers, today)).breakdown


@figure
def yel_contribution(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    income = answers.get("work_income")
    return () if income is None else business.yel_required(income, _start(answers, today)).breakdown


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
    return (step(N_("Waiting period of {days} weekdays without benefit, {start} to {end}; the first "
                    "paid day is {first_paid_day}"),
                 {"days": timeline.waiting_weekdays, "start": timeline.waiting_period_start.isoformat(),
                  "end": timeline.waiting_period_end.isoformat(), "first_paid_day": timeline.first_paid_date.isoformat()},
                 None, unemployment.RULE_ACT, weekdays),)


@figure
def job_applications(answers: Answers, today: date) -> tuple[BreakdownStep, ...]:
    figure_value = default_parameters().at("unemployment.job_search.applications_per_month",
                                           _first_day(answers, today))
    return (step(N_("In principle {count} job applications a month, as agreed in your employment plan"),
                 {"count": int(figure_value.value)}, None, unemployment.RULE_ACT, figure_value),)
