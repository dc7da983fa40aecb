"""Figures a checklist item can show: named, computed from the answers and the dated parameters.

A checklist item in a life-event file lists `figures: [registration_fee]`; the loader checks the
names against this registry. A figure returns breakdown steps, so the plan shows the amount with
its rule, validity date and source, the same way as every other calculation. A figure whose
answers are missing returns nothing.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Mapping

from .rules import BreakdownStep
from .rules import business_start as business

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
