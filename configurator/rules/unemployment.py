"""Unemployment benefits for the "becoming unemployed" life event.

Two benefits are shown side by side so a jobseeker sees what membership of an
unemployment fund is worth: Kela's flat benefit (basic unemployment allowance
or labour market subsidy, and from 2026-05-01 the general support "yleistuki")
and the earnings-related daily allowance a fund pays its members
(Unemployment Security Act 1290/2002). All figures come from the dated
parameters in configurator/parameters/unemployment.yaml.

Earnings-related formula, as the fund computes it:

* daily wage = monthly wage × (1 − statutory deduction) / days per month (21.5);
* allowance = basic amount + 45 % × (daily wage − basic amount) up to the
  breakpoint, + 20 % of the daily wage above the breakpoint. The breakpoint is
  not stored: it is derived here as breakpoint_multiplier × basic amount
  (95 × 37.21 = 3534.95 € a month), divided by 21.5 for the daily figure, so it
  follows the basic amount as the law does;
* at most 90 % of the daily wage, never less than the basic amount;
* step-down by paid days (80 % once 40 days are paid, 75 % once 170 are),
  never below the basic amount.

Rounding: no intermediate rounding. The daily allowance is computed with the
unrounded daily wage and rounded half-up to cents only at the end, as Kela and
the funds pay to the cent; the monthly estimate is that rounded daily amount
× 21.5, rounded to cents. Breakdown values are shown rounded to cents, so the
pieces may differ from the total by a cent.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from configurator.i18n import N_
from configurator.legal_calendar import last_day_of_time_limit
from configurator.money import as_percent, round_cents
from configurator.parameters import ParameterError, Parameters, ParameterValue, default_parameters
from configurator.rules import (
    BreakdownStep,
    InvalidInput,
    any_estimate,
    require_decimal,
    require_int,
    step,
)

RULE_ACT = N_("Unemployment Security Act 1290/2002")
RULE_GENERAL_SUPPORT = N_("General support (yleistuki), Kela")

KIND_EARNINGS_RELATED = "earnings_related"
KIND_BASIC_ALLOWANCE = "basic_allowance"
KIND_GENERAL_SUPPORT = "general_support"

REASON_NOT_FUND_MEMBER = N_("The earnings-related allowance is paid only to members of an unemployment fund.")
REASON_NO_WAGE = N_("Enter the monthly wage to compute the earnings-related allowance.")

_P = "unemployment."
_ZERO = Decimal(0)
_ONE = Decimal(1)
_FULL_PERCENT = Decimal(100)
_WEEKDAYS_PER_WEEK = 5  # calendar fact: Monday to Friday


@dataclass(frozen=True)
class AllowanceResult:
    """One daily benefit and its monthly estimate.

    ``kind`` is "earnings_related", "basic_allowance" (Kela basic unemployment
    allowance or labour market subsidy) or "general_support" (yleistuki).
    ``daily_allowance`` and ``monthly_estimate`` are euros to the cent;
    ``daily_wage`` is the earnings-related daily wage to the cent (None for
    Kela's flat benefit); ``step_down_percent`` is the share paid after the
    step-down as a percent number (100 when none applies).
    """

    kind: str
    daily_allowance: Decimal
    monthly_estimate: Decimal
    daily_wage: Decimal | None
    step_down_percent: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


@dataclass(frozen=True)
class UnemploymentAllowances:
    """Earnings-related allowance and Kela's benefit side by side.

    ``earnings_related`` is None when it cannot be computed, and then
    ``earnings_related_reason`` (an English msgid without placeholders) says why.
    """

    earnings_related: AllowanceResult | None
    earnings_related_reason: str | None
    kela: AllowanceResult
    estimate: bool


@dataclass(frozen=True)
class TimelinePeriod:
    """Paid days ``first_paid_day``..``last_paid_day`` (1-based, inclusive).

    ``start`` and ``end`` are the calendar dates of those paid days (weekdays).
    """

    first_paid_day: int
    last_paid_day: int
    start: date
    end: date
    daily_allowance: Decimal
    monthly_estimate: Decimal
    step_down_percent: Decimal
    kind: str


@dataclass(frozen=True)
class AllowanceTimeline:
    """How the benefit develops from the first day of unemployment.

    The waiting period (``waiting_weekdays`` weekdays from
    ``waiting_period_start`` to ``waiting_period_end``) is unpaid; paid day 1
    is ``first_paid_date``; ``periods`` run up to ``max_paid_days``.
    """

    kind: str
    first_day_of_unemployment: date
    waiting_weekdays: int
    waiting_period_start: date
    waiting_period_end: date
    first_paid_date: date
    max_paid_days: int
    periods: tuple[TimelinePeriod, ...]
    application_deadline: date
    earnings_related_reason: str | None
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


# --- public functions ---------------------------------------------------------


def earnings_related_allowance(
    monthly_wage: Decimal,
    on: date,
    paid_days: int = 0,
    params: Parameters | None = None,
    *,
    work_condition_year: int | None = None,
) -> AllowanceResult:
    """Earnings-related daily allowance for the next paid day after ``paid_days``.

    ``monthly_wage`` is the gross monthly wage before unemployment; ``on`` (the
    first day of unemployment) picks the basic amount and whether the step-down
    is in force. The fund applies the statutory deduction of the year in which
    the work condition was met; when ``work_condition_year`` is not known the
    year of ``on`` is used, and the breakdown says so. The law ties the
    step-down to a work condition met on or after 2024-09-02; ``on`` stands in
    for that date here.
    """
    params = params or default_parameters()
    wage = _validated_wage(monthly_wage)
    paid = _validated_paid_days(paid_days, on, params)
    year = _validated_year(work_condition_year, on)
    if work_condition_year is not None:
        try:
            params.at(_P + "earnings_related.statutory_deduction", date(year, 1, 1))
        except ParameterError:
            raise InvalidInput(
                "work_condition_year", N_("No statutory deduction is recorded for {year}."), year=str(year)
            ) from None
    figures = _EarningsFigures.at(on, params, deduction_on=date(year, 1, 1))
    daily_wage = wage * (_ONE - figures.deduction.value) / figures.days.value
    if work_condition_year is None:
        deduction_label = N_(
            "Daily wage: {monthly_wage} € × (100 % − {deduction} %) / {days_per_month} = "
            "{daily_wage} €. The statutory deduction ({deduction} %) is that of {year}, the year of "
            "your first day without work; the fund uses the year your work condition was met."
        )
    else:
        deduction_label = N_(
            "Daily wage: {monthly_wage} € × (100 % − {deduction} %) / {days_per_month} = "
            "{daily_wage} €. The statutory deduction ({deduction} %) is that of {year}, the year "
            "your work condition was met."
        )
    wage_step = step(
        deduction_label,
        {
            "monthly_wage": wage,
            "deduction": as_percent(figures.deduction.value),
            "year": str(year),
            "days_per_month": figures.days.value,
            "daily_wage": round_cents(daily_wage),
        },
        round_cents(daily_wage),
        RULE_ACT,
        figures.deduction,
        figures.days,
    )
    return _allowance(daily_wage, wage_step, paid, on, params, figures)


def entrepreneur_allowance(
    yearly_work_income: Decimal,
    on: date,
    paid_days: int = 0,
    params: Parameters | None = None,
) -> AllowanceResult:
    """Earnings-related allowance of an entrepreneur whose business ended, from the confirmed YEL income.

    An entrepreneurs' fund computes the daily wage from the work income in the
    person's YEL insurance: yearly income / 12 / 21.5, with no statutory
    deduction (entrepreneurs pay no employee contributions). The rest of the
    formula is the employees' one. Yrittäjäkassa's example: 26,000 € a year →
    2,166.67 € a month → 100.78 € a day.
    """
    params = params or default_parameters()
    income = require_decimal(yearly_work_income, "yel_income")
    if income < _ZERO:
        raise InvalidInput("yel_income", N_("The YEL work income cannot be negative."))
    paid = _validated_paid_days(paid_days, on, params)
    figures = _EarningsFigures.at(on, params)
    months = params.at(_P + "entrepreneur.months_per_year", on)
    monthly = income / months.value
    daily_wage = monthly / figures.days.value
    wage_step = step(
        N_(
            "Daily wage from your confirmed YEL work income: {income} € / {months} = {monthly} € a month, "
            "/ {days_per_month} = {daily_wage} € (no statutory deduction for entrepreneurs)"
        ),
        {
            "income": income,
            "months": int(months.value),
            "monthly": round_cents(monthly),
            "days_per_month": figures.days.value,
            "daily_wage": round_cents(daily_wage),
        },
        round_cents(daily_wage),
        RULE_ACT,
        months,
        figures.days,
    )
    return _allowance(daily_wage, wage_step, paid, on, params, figures)


def _allowance(
    daily_wage: Decimal, wage_step: BreakdownStep, paid: int, on: date, params: Parameters, figures: _EarningsFigures
) -> AllowanceResult:
    """The earnings-related formula from a daily wage: basic part, earnings part, cap, step-down."""
    steps = [
        wage_step,
        step(N_("Basic part: {basic} €"), {"basic": figures.basic.value}, figures.basic.value, RULE_ACT, figures.basic),
    ]
    formula = figures.basic.value + _earnings_part(daily_wage, figures, steps)
    allowance = _capped(formula, daily_wage, figures, steps)
    allowance, factor = _stepped_down(allowance, paid, on, params, figures.basic, steps)
    daily = round_cents(allowance)
    monthly = round_cents(daily * figures.days.value)
    steps.append(
        _total_step(
            N_(
                "Earnings-related allowance {daily} € a day (rounded to the cent); about {monthly} € "
                "a month ({days_per_month} paid days × {daily} €)"
            ),
            daily,
            monthly,
            figures.days,
        )
    )
    return AllowanceResult(
        kind=KIND_EARNINGS_RELATED,
        daily_allowance=daily,
        monthly_estimate=monthly,
        daily_wage=round_cents(daily_wage),
        step_down_percent=as_percent(factor),
        breakdown=tuple(steps),
        estimate=any_estimate(steps),
    )


def kela_benefit(
    on: date,
    monthly_wage: Decimal | None = None,
    paid_days: int = 0,
    params: Parameters | None = None,
) -> AllowanceResult:
    """Kela's flat benefit for someone without earnings-related cover.

    Before the general support comes into force this is the basic
    unemployment allowance or labour market subsidy (same daily amount), from
    then on the general support. ``monthly_wage`` is the wage before
    unemployment: it does not change Kela's flat amount (only wages earned
    while unemployed would, and they are taken as 0), but it is validated so a
    bad value is reported the same way as for the earnings-related side.
    ``paid_days`` is only checked not to be negative: the labour market
    subsidy has no maximum duration.
    """
    params = params or default_parameters()
    if monthly_wage is not None:
        _validated_wage(monthly_wage)
    require_int(paid_days, "paid_days", 0)
    in_force = params.at(_P + "general_support.in_force", on)
    days = params.at(_P + "days_per_month", on)
    if in_force.value:
        kind = KIND_GENERAL_SUPPORT
        amount = params.at(_P + "general_support.daily_amount", on)
        steps = [
            step(
                N_("General support (yleistuki): {amount} € a day, paid for weekdays (Monday to Friday)"),
                {"amount": amount.value},
                amount.value,
                RULE_GENERAL_SUPPORT,
                amount,
                in_force,
            ),
            _general_support_income_step(on, params),
        ]
    else:
        kind = KIND_BASIC_ALLOWANCE
        amount = params.at(_P + "basic_daily_amount", on)
        steps = [
            step(
                N_(
                    "Basic unemployment allowance or labour market subsidy: {amount} € a day, "
                    "paid for weekdays (Monday to Friday)"
                ),
                {"amount": amount.value},
                amount.value,
                RULE_ACT,
                amount,
            ),
        ]
    daily = round_cents(amount.value)
    monthly = round_cents(daily * days.value)
    steps.append(
        _total_step(
            N_("About {monthly} € a month ({days_per_month} paid days × {daily} €)"),
            daily,
            monthly,
            days,
        )
    )
    return AllowanceResult(
        kind=kind,
        daily_allowance=daily,
        monthly_estimate=monthly,
        daily_wage=None,
        step_down_percent=_FULL_PERCENT,
        breakdown=tuple(steps),
        estimate=any_estimate(item for item in steps if item.amount is not None),
    )


def unemployment_allowances(
    monthly_wage: Decimal | None,
    fund_member: bool,
    on: date,
    paid_days: int = 0,
    params: Parameters | None = None,
    *,
    yel_income: Decimal | None = None,
    work_condition_year: int | None = None,
) -> UnemploymentAllowances:
    """Both benefits for the calculator (GET /api/v2/calculators/unemployment-allowance).

    The earnings-related allowance is computed only for a fund member with a
    wage, or, for an entrepreneur whose business ended, with the confirmed YEL
    work income (``yel_income``, a year); otherwise it is None with the reason,
    and Kela's benefit is still shown. ``paid_days`` is checked against the
    longest maximum duration in every case, so the form reports the same
    errors whatever the membership.
    """
    params = params or default_parameters()
    wage = None if monthly_wage is None else _validated_wage(monthly_wage)
    _validated_paid_days(paid_days, on, params)
    kela = kela_benefit(on, wage, paid_days, params)
    earnings: AllowanceResult | None = None
    reason: str | None = None
    if not fund_member:
        reason = REASON_NOT_FUND_MEMBER
    elif yel_income is not None:
        earnings = entrepreneur_allowance(yel_income, on, paid_days, params)
    elif wage is None:
        reason = REASON_NO_WAGE
    else:
        earnings = earnings_related_allowance(wage, on, paid_days, params, work_condition_year=work_condition_year)
    return UnemploymentAllowances(
        earnings_related=earnings,
        earnings_related_reason=reason,
        kela=kela,
        estimate=kela.estimate or (earnings is not None and earnings.estimate),
    )


def allowance_timeline(
    monthly_wage: Decimal | None,
    on: date,
    fund_member: bool,
    work_history_years: Decimal | int,
    age: int | None,
    params: Parameters | None = None,
    *,
    senior_work_history: bool = False,
    yel_income: Decimal | None = None,
    work_condition_year: int | None = None,
) -> AllowanceTimeline:
    """Waiting period, step-downs and the end of the benefit, with calendar dates.

    ``on`` is the first day of unemployment (registered as a jobseeker that
    day). ``senior_work_history`` says the person has the senior work years in
    the senior window (5 years in the last 20); with ``age`` at or over the
    senior age (58) the maximum is the senior one (500 days).

    Dates count weekdays only (the benefit is paid Monday to Friday); public
    holidays are ignored, so a real payment calendar may shift by a few days.
    Amounts use the figures in force on the first day of unemployment: later
    index changes, or the general support replacing Kela's basic allowance
    during the timeline, are not projected.
    """
    params = params or default_parameters()
    wage = None if monthly_wage is None else _validated_wage(monthly_wage)
    history = _validated_work_history(work_history_years)
    if age is not None:
        require_int(age, "age", 0)
    max_days, duration_step = _max_duration(on, history, age, senior_work_history, params)
    waiting = params.at(_P + "waiting_period_weekdays", on)
    waiting_days = int(waiting.value)
    waiting_start = _nth_weekday(on, 1)
    waiting_end = _nth_weekday(on, waiting_days)
    first_paid = _nth_weekday(on, waiting_days + 1)
    steps = [
        duration_step,
        step(
            N_(
                "Waiting period of {days} weekdays without benefit, {start} to {end}; the first "
                "paid day is {first_paid_day}"
            ),
            {
                "days": waiting_days,
                "start": waiting_start.isoformat(),
                "end": waiting_end.isoformat(),
                "first_paid_day": first_paid.isoformat(),
            },
            None,
            RULE_ACT,
            waiting,
        ),
    ]
    reason = None
    if fund_member and (wage is not None or yel_income is not None):
        kind = KIND_EARNINGS_RELATED

        def compute(paid_before: int) -> AllowanceResult:
            if yel_income is not None:
                return entrepreneur_allowance(yel_income, on, paid_before, params)
            assert wage is not None  # the condition above: a wage when there is no YEL income
            return earnings_related_allowance(wage, on, paid_before, params, work_condition_year=work_condition_year)

        periods, amount_steps = _earnings_periods(compute, on, max_days, waiting_days, params)
    else:
        reason = REASON_NO_WAGE if fund_member else REASON_NOT_FUND_MEMBER
        kela = kela_benefit(on, params=params)
        kind = kela.kind
        periods = (_period(1, max_days, on, waiting_days, kela),)
        amount_steps = list(kela.breakdown)
    steps.extend(amount_steps)
    months = params.at(_P + "application_deadline_months", on)
    deadline = last_day_of_time_limit(on + relativedelta(months=int(months.value)))
    steps.append(
        step(
            N_("Apply within {months} months of the first day of unemployment, by {deadline}"),
            {"months": int(months.value), "deadline": deadline.isoformat()},
            None,
            RULE_ACT,
            months,
        )
    )
    return AllowanceTimeline(
        kind=kind,
        first_day_of_unemployment=on,
        waiting_weekdays=waiting_days,
        waiting_period_start=waiting_start,
        waiting_period_end=waiting_end,
        first_paid_date=first_paid,
        max_paid_days=max_days,
        periods=periods,
        application_deadline=deadline,
        earnings_related_reason=reason,
        breakdown=tuple(steps),
        estimate=any_estimate(item for item in amount_steps if item.amount is not None),
    )


# --- earnings-related pieces ----------------------------------------------------


@dataclass(frozen=True)
class _EarningsFigures:
    """The figures of the earnings-related formula for one date."""

    deduction: ParameterValue
    days: ParameterValue
    basic: ParameterValue
    lower_rate: ParameterValue
    upper_rate: ParameterValue
    multiplier: ParameterValue
    cap: ParameterValue

    @classmethod
    def at(cls, on: date, params: Parameters, deduction_on: date | None = None) -> _EarningsFigures:
        def get(name: str) -> ParameterValue:
            return params.at(_P + name, on)

        return cls(
            deduction=params.at(_P + "earnings_related.statutory_deduction", deduction_on or on),
            days=get("days_per_month"),
            basic=get("basic_daily_amount"),
            lower_rate=get("earnings_related.lower_rate"),
            upper_rate=get("earnings_related.upper_rate"),
            multiplier=get("earnings_related.breakpoint_multiplier"),
            cap=get("earnings_related.max_share_of_daily_wage"),
        )


def _earnings_part(daily_wage: Decimal, f: _EarningsFigures, steps: list[BreakdownStep]) -> Decimal:
    """45 % of the daily wage between the basic amount and the breakpoint, 20 % above it."""
    basic = f.basic.value
    if daily_wage <= basic:
        steps.append(
            step(
                N_("The daily wage {daily_wage} € is not above the basic part {basic} €: no earnings part"),
                {"daily_wage": round_cents(daily_wage), "basic": basic},
                _ZERO,
                RULE_ACT,
                f.basic,
            )
        )
        return _ZERO
    breakpoint_monthly = f.multiplier.value * basic
    breakpoint_daily = breakpoint_monthly / f.days.value
    if daily_wage <= breakpoint_daily:
        lower = f.lower_rate.value * (daily_wage - basic)
        steps.append(
            step(
                N_("Earnings part: {rate} % × (daily wage {daily_wage} € − basic part {basic} €) = {amount} €"),
                {
                    "rate": as_percent(f.lower_rate.value),
                    "daily_wage": round_cents(daily_wage),
                    "basic": basic,
                    "amount": round_cents(lower),
                },
                round_cents(lower),
                RULE_ACT,
                f.lower_rate,
                f.basic,
            )
        )
        return lower
    lower = f.lower_rate.value * (breakpoint_daily - basic)
    upper = f.upper_rate.value * (daily_wage - breakpoint_daily)
    steps.append(
        step(
            N_(
                "Earnings part up to the breakpoint ({multiplier} × {basic} € = {breakpoint_monthly} € "
                "a month, {breakpoint_daily} € a day): {rate} % × ({breakpoint_daily} € − {basic} €) "
                "= {amount} €"
            ),
            {
                "multiplier": int(f.multiplier.value),
                "basic": basic,
                "breakpoint_monthly": round_cents(breakpoint_monthly),
                "breakpoint_daily": round_cents(breakpoint_daily),
                "rate": as_percent(f.lower_rate.value),
                "amount": round_cents(lower),
            },
            round_cents(lower),
            RULE_ACT,
            f.lower_rate,
            f.multiplier,
            f.basic,
            f.days,
        )
    )
    steps.append(
        step(
            N_(
                "Earnings part above the breakpoint: {rate} % × (daily wage {daily_wage} € − "
                "{breakpoint_daily} €) = {amount} €"
            ),
            {
                "rate": as_percent(f.upper_rate.value),
                "daily_wage": round_cents(daily_wage),
                "breakpoint_daily": round_cents(breakpoint_daily),
                "amount": round_cents(upper),
            },
            round_cents(upper),
            RULE_ACT,
            f.upper_rate,
            f.multiplier,
            f.basic,
            f.days,
        )
    )
    return lower + upper


def _capped(formula: Decimal, daily_wage: Decimal, f: _EarningsFigures, steps: list[BreakdownStep]) -> Decimal:
    """At most 90 % of the daily wage, but the cap never takes it below the basic amount."""
    cap = f.cap.value * daily_wage
    if formula <= cap:
        return formula
    steps.append(
        step(
            N_("At most {cap_rate} % of the daily wage {daily_wage} €: {amount} €"),
            {"cap_rate": as_percent(f.cap.value), "daily_wage": round_cents(daily_wage), "amount": round_cents(cap)},
            round_cents(cap),
            RULE_ACT,
            f.cap,
        )
    )
    if cap >= f.basic.value:
        return cap
    steps.append(_basic_floor_step(f.basic))
    return f.basic.value


def _stepped_down(
    allowance: Decimal,
    paid_days: int,
    on: date,
    params: Parameters,
    basic: ParameterValue,
    steps: list[BreakdownStep],
) -> tuple[Decimal, Decimal]:
    """Apply the step-down for ``paid_days`` already paid; returns (allowance, factor)."""
    in_force = params.at(_P + "step_down.in_force", on)
    if not in_force.value:
        return allowance, _ONE
    first_days = params.at(_P + "step_down.first_paid_days", on)
    first_factor = params.at(_P + "step_down.first_factor", on)
    second_days = params.at(_P + "step_down.second_paid_days", on)
    second_factor = params.at(_P + "step_down.second_factor", on)
    if paid_days < first_days.value:
        steps.append(
            step(
                N_(
                    "Full amount until {first_days} days are paid; then {first_factor} %, and "
                    "{second_factor} % once {second_days} days are paid, never less than the basic amount"
                ),
                {
                    "first_days": int(first_days.value),
                    "first_factor": as_percent(first_factor.value),
                    "second_days": int(second_days.value),
                    "second_factor": as_percent(second_factor.value),
                },
                None,
                RULE_ACT,
                in_force,
                first_days,
                first_factor,
                second_days,
                second_factor,
            )
        )
        return allowance, _ONE
    if paid_days < second_days.value:
        days, factor = first_days, first_factor
    else:
        days, factor = second_days, second_factor
    stepped = allowance * factor.value
    steps.append(
        step(
            N_("After {threshold} paid days ({paid_days} paid so far): {factor} % × {before} € = {amount} €"),
            {
                "paid_days": paid_days,
                "threshold": int(days.value),
                "factor": as_percent(factor.value),
                "before": round_cents(allowance),
                "amount": round_cents(stepped),
            },
            round_cents(stepped),
            RULE_ACT,
            in_force,
            days,
            factor,
        )
    )
    if stepped < basic.value:
        steps.append(_basic_floor_step(basic))
        stepped = basic.value
    return stepped, factor.value


def _basic_floor_step(basic: ParameterValue) -> BreakdownStep:
    return step(N_("Never less than the basic amount: {basic} €"), {"basic": basic.value}, basic.value, RULE_ACT, basic)


def _total_step(label: str, daily: Decimal, monthly: Decimal, days: ParameterValue) -> BreakdownStep:
    return step(label, {"daily": daily, "monthly": monthly, "days_per_month": days.value}, daily, RULE_ACT, days)


def _general_support_income_step(on: date, params: Parameters) -> BreakdownStep:
    """Explain, without computing, how income while unemployed reduces general support."""
    wage_rate = params.at(_P + "general_support.wage_deduction_rate", on)
    protected = params.at(_P + "general_support.protected_other_income", on)
    other_rate = params.at(_P + "general_support.other_income_deduction_rate", on)
    return step(
        N_(
            "Wages earned while receiving general support reduce it by {wage_rate} % of the gross "
            "wage; other income over {protected} € a month reduces it by {other_rate} % of the excess"
        ),
        {
            "wage_rate": as_percent(wage_rate.value),
            "protected": protected.value,
            "other_rate": as_percent(other_rate.value),
        },
        None,
        RULE_GENERAL_SUPPORT,
        wage_rate,
        protected,
        other_rate,
    )


# --- timeline pieces ------------------------------------------------------------


def _max_duration(
    on: date, history: Decimal, age: int | None, senior_history: bool, params: Parameters
) -> tuple[int, BreakdownStep]:
    """Maximum paid days by work history, or the senior maximum."""
    limit = params.at(_P + "max_duration.work_history_limit_years", on)
    min_age = params.at(_P + "max_duration.senior_min_age", on)
    if senior_history and age is not None and age >= min_age.value:
        days = params.at(_P + "max_duration.senior_days", on)
        work_years = params.at(_P + "max_duration.senior_work_years", on)
        window = params.at(_P + "max_duration.senior_window_years", on)
        return int(days.value), step(
            N_(
                "At most {max_days} paid days: work condition met at {age} (at least {min_age}) "
                "with {work_years} years of work in the last {window_years} years"
            ),
            {
                "max_days": int(days.value),
                "age": age,
                "min_age": int(min_age.value),
                "work_years": int(work_years.value),
                "window_years": int(window.value),
            },
            None,
            RULE_ACT,
            days,
            min_age,
            work_years,
            window,
        )
    if history > limit.value:
        days = params.at(_P + "max_duration.long_days", on)
        label = N_("At most {max_days} paid days: work history of {years} years is more than {limit} years")
    else:
        days = params.at(_P + "max_duration.short_days", on)
        label = N_("At most {max_days} paid days: work history of {years} years is at most {limit} years")
    return int(days.value), step(
        label,
        {"max_days": int(days.value), "years": history, "limit": limit.value},
        None,
        RULE_ACT,
        days,
        limit,
    )


def _earnings_periods(
    compute: Callable[[int], AllowanceResult], on: date, max_days: int, waiting_days: int, params: Parameters
) -> tuple[tuple[TimelinePeriod, ...], list[BreakdownStep]]:
    """One period per step-down level; the first period's breakdown explains the amount."""
    starts = [0]
    if params.at(_P + "step_down.in_force", on).value:
        for name in ("step_down.first_paid_days", "step_down.second_paid_days"):
            threshold = int(params.at(_P + name, on).value)
            if threshold < max_days:
                starts.append(threshold)
    ends = starts[1:] + [max_days]
    periods = []
    first: tuple[BreakdownStep, ...] = ()
    amount_steps: list[BreakdownStep] = []
    for paid_before, last in zip(starts, ends):
        result = compute(paid_before)
        periods.append(_period(paid_before + 1, last, on, waiting_days, result))
        if not first:
            first = result.breakdown
            amount_steps.extend(first)
        else:
            # Same computation up to the step-down: keep only what differs
            # (the step-down, a basic-amount floor after it, the new total).
            amount_steps.extend(result.breakdown[_common_prefix(first, result.breakdown) :])
    return tuple(periods), amount_steps


def _common_prefix(a: tuple[BreakdownStep, ...], b: tuple[BreakdownStep, ...]) -> int:
    count = 0
    for left, right in zip(a, b):
        if left != right:
            break
        count += 1
    return count


def _period(first: int, last: int, on: date, waiting_days: int, result: AllowanceResult) -> TimelinePeriod:
    return TimelinePeriod(
        first_paid_day=first,
        last_paid_day=last,
        start=_nth_weekday(on, waiting_days + first),
        end=_nth_weekday(on, waiting_days + last),
        daily_allowance=result.daily_allowance,
        monthly_estimate=result.monthly_estimate,
        step_down_percent=result.step_down_percent,
        kind=result.kind,
    )


def _nth_weekday(start: date, n: int) -> date:
    """The ``n``-th weekday (1-based) counting from ``start`` inclusive; holidays ignored."""
    day = start
    while day.weekday() >= calendar.SATURDAY:
        day += timedelta(days=1)
    weeks, rest = divmod(n - 1, _WEEKDAYS_PER_WEEK)
    day += timedelta(weeks=weeks)
    for _ in range(rest):
        day += timedelta(days=1)
        while day.weekday() >= calendar.SATURDAY:
            day += timedelta(days=1)
    return day


# --- validation -------------------------------------------------------------------


def _validated_wage(monthly_wage: object) -> Decimal:
    wage = require_decimal(monthly_wage, "monthly_wage")
    if wage < _ZERO:
        raise InvalidInput("monthly_wage", N_("The monthly wage cannot be negative."))
    return wage


def _validated_paid_days(paid_days: object, on: date, params: Parameters) -> int:
    """Days already paid: 0 up to (not including) the longest maximum duration."""
    paid = require_int(paid_days, "paid_days", 0)
    longest = max(
        int(params.at(_P + f"max_duration.{name}", on).value) for name in ("short_days", "long_days", "senior_days")
    )
    if paid >= longest:
        raise InvalidInput(
            "paid_days",
            N_(
                "The allowance is paid for at most {max_days} days: enter the days already paid, fewer than {max_days}."
            ),
            max_days=longest,
        )
    return paid


def _validated_year(year: object, on: date) -> int:
    """The year the work condition was met: not after the first day of unemployment; default its year."""
    if year is None:
        return on.year
    value = require_int(year, "work_condition_year", 1)
    if value > on.year:
        raise InvalidInput(
            "work_condition_year",
            N_("The work condition must have been met before your unemployment started: enter {year} or earlier."),
            year=str(on.year),
        )
    return value


def _validated_work_history(years: object) -> Decimal:
    history = require_decimal(years, "work_history_years")
    if history < _ZERO:
        raise InvalidInput("work_history_years", N_("The work history cannot be negative."))
    return history
