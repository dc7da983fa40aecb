"""Starting a business: registration fee, VAT and YEL thresholds, start-up grant, company forms.

A founder's first questions are what registering costs, whether VAT and YEL
pension insurance become obligatory at the expected turnover and work income,
what the start-up grant pays and which company form fits. The answers change
with the law on known dates and some future figures are not published yet, so
every figure comes from configurator/parameters/business_start.yaml and every
result carries a breakdown citing it, flagged as an estimate where the figure
for the asked date is not confirmed. Euro amounts are rounded half-up to cents
(the precision of invoices and pension contributions).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from configurator.i18n import N_
from configurator.money import as_percent, round_cents, round_eur
from configurator.parameters import ParameterError, Parameters, ParameterValue, default_parameters
from configurator.rules import (
    BreakdownStep,
    InvalidInput,
    any_estimate,
    join_sources,
    require_decimal,
    require_int,
    step,
)

RULE_PRH = N_("Fees of the Finnish Patent and Registration Office (PRH)")
RULE_COMPANIES = N_("Limited Liability Companies Act 624/2006")
RULE_VAT = N_("Value Added Tax Act 1501/1993")
RULE_YEL = N_("Self-employed Persons' Pensions Act 1272/2006")
RULE_INCOME_TAX = N_("Income Tax Act 1535/1992; Act on the taxation of business income 360/1968")
RULE_START_UP_GRANT = N_("Start-up grant of the employment area")
RULE_ALCOHOL = N_("Alcohol Act 1102/2017")
RULE_SUM = N_("The sum of the costs above")

_P = "business_start."
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)

COMPANY_FORMS: tuple[str, ...] = ("toiminimi", "oy", "ay", "ky")

FORM_NAMES: dict[str, str] = {
    "toiminimi": N_("Sole trader (toiminimi)"),
    "oy": N_("Private limited company (oy)"),
    "ay": N_("General partnership (ay)"),
    "ky": N_("Limited partnership (ky)"),
}

_FEE_LABELS: dict[str, str] = {
    "toiminimi": N_("Start-up notice fee for a sole trader (toiminimi) in the YTJ e-service: {amount} €"),
    "oy": N_(
        "Start-up notice fee for a private limited company (oy) with model articles of "
        "association in the YTJ e-service: {amount} €"
    ),
    "ay": N_("Start-up notice fee for a general partnership (ay) in the YTJ e-service: {amount} €"),
    "ky": N_("Start-up notice fee for a limited partnership (ky) in the YTJ e-service: {amount} €"),
}


# --- results ----------------------------------------------------------------


@dataclass(frozen=True)
class FeeResult:
    """The PRH start-up notice fee for a company form, in euros."""

    company_form: str
    amount: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


@dataclass(frozen=True)
class ThresholdResult:
    """Whether an obligation starts at the given yearly amount, and the threshold used."""

    required: bool
    threshold: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


@dataclass(frozen=True)
class YelResult(ThresholdResult):
    """YEL threshold test plus the yearly contribution estimate when insurance is obligatory.

    ``contribution`` is work income × rate and ``contribution_first_entrepreneur``
    the same with the first-time entrepreneur's discount, both in cents; they
    are None when YEL is not obligatory or no rate is recorded for the date.
    """

    contribution: Decimal | None = None
    contribution_first_entrepreneur: Decimal | None = None
    rate_percent: Decimal | None = None
    deadline_months: int | None = None


@dataclass(frozen=True)
class YelApplicability:
    """Whether the founder's role in the company falls under YEL at all.

    ``applies`` is None when it cannot be decided (a limited company owner
    who did not give a shareholding); ``reason`` explains the answer.
    """

    applies: bool | None
    reason: BreakdownStep


@dataclass(frozen=True)
class StartUpGrantResult:
    """Start-up grant per day and roughly per month, and how long it is granted."""

    daily_amount: Decimal
    monthly_approx: Decimal
    min_months: int
    max_months: int
    period_months: int
    may_start_after_applying: bool
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


@dataclass(frozen=True)
class BusinessStartCosts:
    """The business-start calculator: registration fee, VAT and YEL in one breakdown.

    ``yel_required`` is the threshold test combined with whether YEL applies to
    the founder's role (False when it does not apply; when applicability is
    unknown, the threshold test alone). The detailed results stay available.
    """

    company_form: str
    registration_fee: Decimal
    vat_required: bool
    yel_required: bool | None  # None: no YEL threshold is recorded for the date
    yel_applies: bool | None
    registration: FeeResult
    vat: ThresholdResult
    yel: YelResult | None
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


@dataclass(frozen=True)
class CostPart:
    """One line of the start-up total: what it is (a msgid), its euros, and whether its figure is an estimate."""

    name: str
    amount: Decimal
    estimate: bool


@dataclass(frozen=True)
class StartUpTotal:
    """What starting in this company form costs up to the end of the first year: the one-off fees (the start-up
    notice, a licence to serve alcohol when the business serves it) and the YEL contribution of the first 12
    months, each a part, and their sum.

    ``total`` counts the first-time entrepreneur's YEL discount (most founders start for the first time);
    ``without_discount`` is the total without it (None when there is no YEL contribution). ``yel_missing`` is
    True when YEL is obligatory but no contribution can be estimated for the date: the total leaves it out and
    the breakdown says so. ``estimate`` is True when any part is.
    """

    company_form: str
    parts: tuple[CostPart, ...]
    total: Decimal
    without_discount: Decimal | None
    yel_missing: bool
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


@dataclass(frozen=True)
class CompanyFormFacts:
    """One row of the company-form comparison table.

    Text fields are message ids; their ``{named}`` placeholders are filled from
    ``values`` (percent numbers and euro Decimals). ``minimum_capital`` is None
    for forms that have no share capital.
    """

    form: str
    name: str
    founders: str
    registration_fee: Decimal
    minimum_capital: Decimal | None
    liability: str
    taxation: str
    pension: str
    administration: str
    values: dict[str, Decimal] = field(default_factory=dict)
    source: str = ""
    estimate: bool = False


@dataclass(frozen=True)
class FormRecommendation:
    """Whether a company form fits this founder, with the reasons (message ids) why.

    Placeholders in ``reasons`` are filled from ``values``.
    """

    form: str
    name: str
    fits: bool
    reasons: tuple[str, ...]
    values: dict[str, Decimal] = field(default_factory=dict)


# --- registration fee -------------------------------------------------------


def registration_fee(company_form: str, on: date, params: Parameters | None = None) -> FeeResult:
    """PRH start-up notice fee for ``company_form`` on the date ``on``.

    The fee is due when filing, so it is the one certain cost of starting;
    after 2024 the figure is shown as an estimate because the validity date of
    PRH's later price list is not confirmed.
    """
    params = params or default_parameters()
    form = _company_form(company_form)
    figure = params.at(_P + "registration_fee." + form, on)
    steps = [step(_FEE_LABELS[form], {"amount": figure.value}, figure.value, RULE_PRH, figure)]
    if form == "oy":
        steps.extend(_other_oy_channels(on, params))
    return FeeResult(form, figure.value, tuple(steps), steps[0].estimate)


def _other_oy_channels(on: date, params: Parameters) -> list[BreakdownStep]:
    """PRH's current list also prices guided founding (online) and paper; shown where it has a figure."""
    try:
        guided = params.at(_P + "registration_fee.oy_guided", on)
        paper = params.at(_P + "registration_fee.oy_paper", on)
    except ParameterError:
        return []
    return [
        step(
            N_(
                "With YTJ's guided founding (model articles, online only) {guided} €; a start-up notice on "
                "paper {paper} €"
            ),
            {"guided": guided.value, "paper": paper.value},
            None,
            RULE_PRH,
            guided,
            paper,
        )
    ]


def _company_form(value: object) -> str:
    """The company form id, or InvalidInput naming the field."""
    form = value.strip().lower() if isinstance(value, str) else ""
    if form not in COMPANY_FORMS:
        raise InvalidInput(
            "company_form",
            N_(
                "Choose a company form: sole trader (toiminimi), private limited company (oy), "
                "general partnership (ay) or limited partnership (ky)."
            ),
        )
    return form


# --- VAT --------------------------------------------------------------------


def vat_required(
    turnover: Decimal,
    on: date,
    params: Parameters | None = None,
    *,
    previous_year_turnover: Decimal | None = None,
) -> ThresholdResult:
    """Is the business liable for VAT at this yearly turnover?

    Liability comes only when the calendar year's turnover exceeds the
    threshold; at or below it registering is voluntary. From 2025 the
    previous calendar year counts too (a business that went over it last year
    is liable this year), and the liability starts at the moment the
    threshold is exceeded, not from the start of the year.
    """
    params = params or default_parameters()
    amount = _non_negative(turnover, "turnover", N_("Turnover cannot be negative."))
    previous = (
        None
        if previous_year_turnover is None
        else _non_negative(previous_year_turnover, "previous_year_turnover", N_("Turnover cannot be negative."))
    )
    threshold = params.at(_P + "vat.registration_threshold", on)
    both_years = params.at(_P + "vat.counts_previous_year", on)
    over_previous = bool(both_years.value) and previous is not None and previous > threshold.value
    required = amount > threshold.value or over_previous
    values: dict[str, Decimal | int | str] = {"turnover": amount, "threshold": threshold.value}
    if amount > threshold.value:
        label = N_(
            "Yearly turnover {turnover} € is more than the VAT registration threshold of "
            "{threshold} €: registering for VAT is obligatory"
        )
    elif over_previous:
        values["previous"] = previous  # type: ignore[assignment]
        label = N_(
            "Last year's turnover {previous} € was more than the VAT registration threshold of {threshold} €: "
            "you are liable for VAT this year too"
        )
    else:
        label = N_(
            "Yearly turnover {turnover} € is not more than the VAT registration threshold of "
            "{threshold} €: registering for VAT is voluntary"
        )
    steps = [step(label, values, None, RULE_VAT, threshold)]
    if both_years.value:
        steps.append(
            step(
                N_(
                    "You are liable for VAT when your turnover exceeds {threshold} € in the current or the previous "
                    "calendar year; the liability starts when the threshold is exceeded"
                ),
                {"threshold": threshold.value},
                None,
                RULE_VAT,
                threshold,
                both_years,
            )
        )
    if required:
        rate = params.at(_P + "vat.general_rate", on)
        steps.append(
            step(
                N_(
                    "Add VAT at the general rate of {rate} % to your sales (some goods and services have reduced rates)"
                ),
                {"rate": as_percent(rate.value)},
                None,
                RULE_VAT,
                rate,
            )
        )
    return ThresholdResult(required, threshold.value, tuple(steps), any_estimate(steps))


# --- YEL --------------------------------------------------------------------


def yel_required(
    work_income: Decimal,
    on: date,
    params: Parameters | None = None,
    *,
    age: int | None = None,
) -> YelResult:
    """Is YEL pension insurance obligatory at this yearly work income, and roughly what does it cost?

    YEL is obligatory for a self-employed person aged 18 to 68 whose work lasts
    at least 4 months and whose work income is at least the yearly minimum.
    The contribution (income × the rate for the founder's age, and with the
    first-time entrepreneur's discount) is an estimate to plan with; the
    pension provider confirms it. Without ``age`` the general rate is used and
    the breakdown names the other. Whether YEL applies to the founder's role
    at all is ``yel_applies``.
    """
    params = params or default_parameters()
    income = _non_negative(work_income, "work_income", N_("Work income cannot be negative."))
    if age is not None:
        age = require_int(age, "age", 0)
    threshold = params.at(_P + "yel.min_work_income", on)
    values: dict[str, Decimal | int | str] = {"income": income, "threshold": threshold.value}
    outside_ages = _outside_yel_ages(age, on, params)
    if outside_ages is not None:
        return YelResult(False, threshold.value, (outside_ages,), outside_ages.estimate)
    if income < threshold.value:
        below = step(
            N_(
                "Work income {income} € a year is below the YEL minimum of {threshold} €: YEL "
                "insurance is not obligatory"
            ),
            values,
            None,
            RULE_YEL,
            threshold,
        )
        return YelResult(False, threshold.value, (below,), below.estimate)
    deadline = params.at(_P + "yel.deadline_months", on)
    duration = params.at(_P + "yel.min_duration_months", on)
    months = int(deadline.value)
    steps = [
        step(
            N_(
                "Work income {income} € a year is at least the YEL minimum of {threshold} €: YEL "
                "insurance is obligatory when your business work lasts at least {duration} months"
            ),
            {**values, "duration": int(duration.value)},
            None,
            RULE_YEL,
            threshold,
            duration,
        ),
        step(
            N_("Take out YEL insurance within {months} months of starting the business"),
            {"months": months},
            None,
            RULE_YEL,
            deadline,
        ),
    ]
    try:
        rate = _yel_rate(age, on, params, steps)
    except ParameterError:
        steps.append(
            step(
                N_(
                    "The YEL contribution rate for this year is not recorded here; your pension "
                    "provider tells you the contribution"
                ),
                {},
                None,
                RULE_YEL,
                threshold,
            )
        )
        return YelResult(True, threshold.value, tuple(steps), any_estimate(steps), deadline_months=months)
    contribution, discounted, contribution_steps = _contribution_steps(income, rate, on, params)
    steps.extend(contribution_steps)
    return YelResult(
        True,
        threshold.value,
        tuple(steps),
        any_estimate(steps),
        contribution=contribution,
        contribution_first_entrepreneur=discounted,
        rate_percent=as_percent(rate.value),
        deadline_months=months,
    )


def _outside_yel_ages(age: int | None, on: date, params: Parameters) -> BreakdownStep | None:
    """A step saying YEL is not obligatory at this age, or None when the age is covered (or not given)."""
    if age is None:
        return None
    youngest = params.at(_P + "yel.min_age", on)
    oldest = params.at(_P + "yel.max_age", on)
    if youngest.value <= age <= oldest.value:
        return None
    return step(
        N_("At {age} YEL insurance is not obligatory: it covers entrepreneurs aged {min_age} to {max_age}"),
        {"age": age, "min_age": int(youngest.value), "max_age": int(oldest.value)},
        None,
        RULE_YEL,
        youngest,
        oldest,
    )


def _yel_rate(age: int | None, on: date, params: Parameters, steps: list[BreakdownStep]) -> ParameterValue:
    """The contribution rate for the founder's age (ages 53-62 paid more until 2025)."""
    general = params.at(_P + "yel.contribution_rate", on)
    older = params.at(_P + "yel.older_contribution_rate", on)
    low = params.at(_P + "yel.older_rate_min_age", on)
    high = params.at(_P + "yel.older_rate_max_age", on)
    if general.value == older.value:
        return general
    ages = {"min_age": int(low.value), "max_age": int(high.value)}
    if age is not None and low.value <= age <= high.value:
        steps.append(
            step(
                N_("At {age} you pay the contribution rate of ages {min_age} to {max_age}: {rate} %"),
                {"age": age, **ages, "rate": as_percent(older.value)},
                None,
                RULE_YEL,
                older,
                low,
                high,
            )
        )
        return older
    if age is None:
        steps.append(
            step(
                N_(
                    "Entrepreneurs aged {min_age} to {max_age} pay a contribution rate of {rate} %; give "
                    "your age to see whether it applies to you"
                ),
                {**ages, "rate": as_percent(older.value)},
                None,
                RULE_YEL,
                older,
                low,
                high,
            )
        )
    return general


def _contribution_steps(
    income: Decimal, rate: ParameterValue, on: date, params: Parameters
) -> tuple[Decimal, Decimal, list[BreakdownStep]]:
    """Yearly contribution, and with the discount, each from the unrounded product, to the cent."""
    discount = params.at(_P + "yel.first_entrepreneur_discount", on)
    discount_months = params.at(_P + "yel.first_entrepreneur_discount_months", on)
    contribution = round_cents(income * rate.value)
    discounted = round_cents(income * rate.value * (_ONE - discount.value))
    steps = [
        step(
            N_("Estimated yearly YEL contribution: {income} € × {rate} % = {contribution} €"),
            {"income": income, "rate": as_percent(rate.value), "contribution": contribution},
            contribution,
            RULE_YEL,
            rate,
        ),
        step(
            N_(
                "As a first-time entrepreneur you get a {discount} % discount for the first {months} "
                "months: {income} € × {rate} % × (100 % − {discount} %) = {discounted} €"
            ),
            {
                "income": income,
                "rate": as_percent(rate.value),
                "discount": as_percent(discount.value),
                "months": int(discount_months.value),
                "discounted": discounted,
            },
            discounted,
            RULE_YEL,
            rate,
            discount,
            discount_months,
        ),
    ]
    return contribution, discounted, steps


def yel_applies(
    company_form: str,
    ownership_share_percent: Decimal | None,
    on: date,
    params: Parameters | None = None,
    *,
    family_share_percent: Decimal | None = None,
    silent_partner: bool = False,
) -> YelApplicability:
    """Does the founder's role fall under YEL (rather than TyEL or no insurance)?

    Sole traders, general partners and the general partners of a limited
    partnership are YEL entrepreneurs. A limited company owner is one when, as
    managing director or board member, they hold more than the YEL share alone
    or together with family members in the same household.
    ``family_share_percent`` is that combined share (None: the family holds no
    shares); ``silent_partner`` is only meaningful for a limited partnership.
    """
    params = params or default_parameters()
    form = _company_form(company_form)
    alone = params.at(_P + "yel.oy_owner_share_alone", on)
    if form == "toiminimi":
        return YelApplicability(True, step(N_("A sole trader is insured under YEL"), {}, None, RULE_YEL, alone))
    if form == "ay":
        return YelApplicability(
            True, step(N_("The partners of a general partnership are insured under YEL"), {}, None, RULE_YEL, alone)
        )
    if form == "ky":
        if silent_partner:
            return YelApplicability(
                False,
                step(
                    N_("A silent partner of a limited partnership is not insured under YEL"), {}, None, RULE_YEL, alone
                ),
            )
        return YelApplicability(
            True, step(N_("A general partner of a limited partnership is insured under YEL"), {}, None, RULE_YEL, alone)
        )
    return _oy_owner_applies(ownership_share_percent, family_share_percent, alone, on, params)


def _oy_owner_applies(
    share: object, family_share: object, alone: ParameterValue, on: date, params: Parameters
) -> YelApplicability:
    """Limited company owner: YEL only above the ownership limits, otherwise TyEL as an employee."""
    family = params.at(_P + "yel.oy_owner_share_with_family", on)
    values: dict[str, Decimal | int | str] = {"alone": as_percent(alone.value), "family": as_percent(family.value)}
    if share is None:
        return YelApplicability(
            None,
            step(
                N_(
                    "A shareholder of a limited company is insured under YEL only as managing director or "
                    "board member holding over {alone} % alone or over {family} % together with family; "
                    "enter your shareholding to check"
                ),
                values,
                None,
                RULE_YEL,
                alone,
                family,
            ),
        )
    own = _percent(share, "ownership_share_percent")
    combined = own if family_share is None else _percent(family_share, "family_share_percent")
    if combined < own:
        raise InvalidInput(
            "family_share_percent", N_("The share held with your family cannot be smaller than your own share.")
        )
    values.update(share=own, family_share=combined)
    if own > alone.value * _HUNDRED:
        label = N_("You hold {share} %, over {alone} %: as managing director or board member you are insured under YEL")
        applies = True
    elif combined > family.value * _HUNDRED:
        label = N_(
            "Together with your family you hold {family_share} %, over {family} %: as managing "
            "director or board member you are insured under YEL"
        )
        applies = True
    else:
        label = N_(
            "You hold {share} % ({family_share} % with your family), not over {alone} % alone or "
            "{family} % with family: if you work for the company you are insured as an employee "
            "(TyEL), not under YEL"
        )
        applies = False
    return YelApplicability(applies, step(label, values, None, RULE_YEL, alone, family))


# --- start-up grant ---------------------------------------------------------


def start_up_grant(on: date, params: Parameters | None = None) -> StartUpGrantResult:
    """Start-up grant per day, roughly per month, its duration and when the business may start.

    The monthly figure is daily × average paid days a month, rounded to whole
    euros because it is only a planning figure (paid days vary by month).
    """
    params = params or default_parameters()
    daily = params.at(_P + "start_up_grant.daily_amount", on)
    days = params.at(_P + "start_up_grant.paid_days_per_month", on)
    shortest = params.at(_P + "start_up_grant.min_months", on)
    longest = params.at(_P + "start_up_grant.max_months", on)
    period = params.at(_P + "start_up_grant.period_months", on)
    after_applying = params.at(_P + "start_up_grant.may_start_after_applying", on)
    monthly = round_eur(daily.value * days.value)
    may_start = after_applying.value == _ONE
    if may_start:
        start_label = N_(
            "Apply before you start the business; once you have applied you may start before "
            "the decision, at your own risk"
        )
    else:
        start_label = N_("Apply for the grant and get the decision before you start the business")
    steps = [
        step(N_("Start-up grant: {daily} € a day"), {"daily": daily.value}, daily.value, RULE_START_UP_GRANT, daily),
        step(
            N_("About {daily} € × {days} days = {monthly} € a month"),
            {"daily": daily.value, "days": days.value, "monthly": monthly},
            monthly,
            RULE_START_UP_GRANT,
            daily,
            days,
        ),
        step(
            N_("Granted for {min_months} to {max_months} months, in periods of {period_months} months"),
            {"min_months": int(shortest.value), "max_months": int(longest.value), "period_months": int(period.value)},
            None,
            RULE_START_UP_GRANT,
            shortest,
            longest,
            period,
        ),
        step(start_label, {}, None, RULE_START_UP_GRANT, after_applying),
    ]
    return StartUpGrantResult(
        daily_amount=daily.value,
        monthly_approx=monthly,
        min_months=int(shortest.value),
        max_months=int(longest.value),
        period_months=int(period.value),
        may_start_after_applying=may_start,
        breakdown=tuple(steps),
        estimate=any_estimate(steps),
    )


# --- alcohol licence ---------------------------------------------------------


def alcohol_licence_fee(on: date, params: Parameters | None = None) -> tuple[BreakdownStep, ...]:
    """The processing fee of a licence to serve alcohol; after 2024 the 2024 tariff is an estimate.

    The licensing authority changed on 2026-01-01 (the Finnish Supervisory Agency) and its fees
    for 2025-2026 are not confirmed, so the figure carries the "estimate" badge then.
    """
    params = params or default_parameters()
    fee = params.at(_P + "alcohol_serving_licence.fee", on)
    reduced = params.at(_P + "alcohol_serving_licence.reduced_fee", on)
    return (
        step(
            N_(
                "Processing fee of a licence to serve alcohol: {fee} € ({reduced} € in certain cases, for "
                "example a change of licence holder)"
            ),
            {"fee": fee.value, "reduced": reduced.value},
            fee.value,
            RULE_ALCOHOL,
            fee,
            reduced,
        ),
    )


# --- combined calculator ----------------------------------------------------


def business_start_costs(
    company_form: str,
    turnover: Decimal,
    work_income: Decimal,
    on: date,
    params: Parameters | None = None,
    *,
    ownership_share_percent: Decimal | None = None,
    family_share_percent: Decimal | None = None,
    silent_partner: bool = False,
    age: int | None = None,
    previous_year_turnover: Decimal | None = None,
) -> BusinessStartCosts:
    """Registration fee, VAT obligation and YEL obligation for one founder, in one breakdown.

    Backs the business-start calculator. The YEL threshold steps are left out
    of the combined breakdown when YEL does not apply to the founder's role.
    """
    params = params or default_parameters()
    fee = registration_fee(company_form, on, params)
    vat = vat_required(turnover, on, params, previous_year_turnover=previous_year_turnover)
    try:
        yel: YelResult | None = yel_required(work_income, on, params, age=age)
    except ParameterError:  # no YEL threshold recorded for the date: say so rather than guess
        yel = None
    applicability = yel_applies(
        fee.company_form,
        ownership_share_percent,
        on,
        params,
        family_share_percent=family_share_percent,
        silent_partner=silent_partner,
    )
    steps = [*fee.breakdown, *vat.breakdown, applicability.reason]
    if applicability.applies is not False and yel is not None:
        steps.extend(yel.breakdown)
    if yel is None:
        yel_obligatory: bool | None = False if applicability.applies is False else None
    else:
        yel_obligatory = yel.required and applicability.applies is not False
    return BusinessStartCosts(
        company_form=fee.company_form,
        registration_fee=fee.amount,
        vat_required=vat.required,
        yel_required=yel_obligatory,
        yel_applies=applicability.applies,
        registration=fee,
        vat=vat,
        yel=yel,
        breakdown=tuple(steps),
        estimate=any_estimate(steps),
    )


# --- start-up total ---------------------------------------------------------

_MONTHS_IN_YEAR = 12


def start_up_total(
    costs: BusinessStartCosts, on: date, params: Parameters | None = None, *, serves_alcohol: bool = False
) -> StartUpTotal:
    """The one-off costs of starting and the first year's YEL contribution for ``costs``' company form, and
    their total, with a breakdown that cites every figure.

    The YEL part is the yearly contribution of the work income with the first-time entrepreneur's discount for
    the months of the first year it lasts (all 12 while the discount lasts 48 months); with no obligatory YEL
    it is 0 €. Food premises registration and inspections are charged by the municipality by the hour, so they
    have no figure here.
    """
    params = params or default_parameters()
    fee_step = costs.registration.breakdown[0]
    parts = [CostPart(N_("Registration fee"), costs.registration_fee, fee_step.estimate)]
    steps = [fee_step]
    if serves_alcohol:
        alcohol = alcohol_licence_fee(on, params)[0]
        parts.append(CostPart(N_("Licence to serve alcohol"), alcohol.amount or _ZERO, alcohol.estimate))
        steps.append(alcohol)
    yel_part, without, yel_steps, yel_missing = _first_year_yel(costs, on, params)
    if yel_part is not None:
        parts.append(yel_part)
    steps.extend(yel_steps)
    total = sum((part.amount for part in parts), _ZERO)
    full_total = None if without is None else total - yel_part.amount + without  # type: ignore[union-attr]
    estimate = any(part.estimate for part in parts) or yel_missing
    summed = BreakdownStep(
        label=N_("The start and the first year in total: {total} €"),
        values={"total": total},
        amount=total,
        rule=RULE_SUM,
        valid_from=max(s.valid_from for s in steps),
        source=join_sources(s.source for s in steps),
        estimate=estimate,
    )
    steps.append(summed)
    return StartUpTotal(costs.company_form, tuple(parts), total, full_total, yel_missing, tuple(steps), estimate)


def _first_year_yel(
    costs: BusinessStartCosts, on: date, params: Parameters
) -> tuple[CostPart | None, Decimal | None, list[BreakdownStep], bool]:
    """The first 12 months of YEL: the part (None when it cannot be estimated), the amount without the
    first-time discount, the steps, and whether an obligatory contribution is missing."""
    name = N_("YEL contribution for the first year")
    yel = costs.yel
    if not costs.yel_required or yel is None:
        if costs.yel_required is None:  # no YEL threshold recorded for the date: unknown, never a guess
            return None, None, [], True
        threshold = params.at(_P + "yel.min_work_income", on)
        note = step(
            N_("No YEL contribution in the total: YEL insurance is not obligatory for you"),
            {},
            _ZERO,
            RULE_YEL,
            threshold,
        )
        return CostPart(name, _ZERO, note.estimate), None, [note], False
    if yel.contribution is None or yel.contribution_first_entrepreneur is None:
        threshold = params.at(_P + "yel.min_work_income", on)
        note = step(
            N_(
                "The YEL contribution is not in the total: its rate for this year is not recorded here; "
                "your pension provider tells you the contribution"
            ),
            {},
            None,
            RULE_YEL,
            threshold,
        )
        return None, None, [note], True
    discount = params.at(_P + "yel.first_entrepreneur_discount", on)
    months = min(_MONTHS_IN_YEAR, int(params.at(_P + "yel.first_entrepreneur_discount_months", on).value))
    first_year = round_cents(
        (yel.contribution_first_entrepreneur * months + yel.contribution * (_MONTHS_IN_YEAR - months)) / _MONTHS_IN_YEAR
    )
    if months == _MONTHS_IN_YEAR:
        label = N_(
            "YEL contribution for the first 12 months, with the first-time entrepreneur's discount of "
            "{discount} %: {amount} €"
        )
    else:
        label = N_(
            "YEL contribution for the first 12 months, {months} of them with the first-time "
            "entrepreneur's discount of {discount} %: {amount} €"
        )
    # The step of the discounted contribution cites the rate, the discount and how long it lasts.
    discounted = next(s for s in yel.breakdown if s.amount == yel.contribution_first_entrepreneur)
    part_step = replace(
        discounted,
        label=label,
        amount=first_year,
        values={"discount": as_percent(discount.value), "months": months, "amount": first_year},
        estimate=yel.estimate or discounted.estimate,
    )
    return CostPart(name, first_year, part_step.estimate), yel.contribution, [part_step], False


# --- company forms ----------------------------------------------------------


_FACT_TEXTS: dict[str, dict[str, str]] = {
    "toiminimi": {
        "founders": N_("One person"),
        "liability": N_("Unlimited personal liability for all the business's debts"),
        "taxation": N_(
            "The profit is taxed as the owner's business income, split into capital income and earned income"
        ),
        "pension": N_("YEL insurance for the owner"),
        "administration": N_("Low: the owner decides alone"),
    },
    "oy": {
        "founders": N_("One or more"),
        "liability": N_("Shareholders are liable only up to the capital they invested"),
        "taxation": N_(
            "The company pays corporate income tax of {corporate_tax_rate} % on its profit; "
            "owners are taxed on their salary and dividends"
        ),
        "pension": N_(
            "YEL for a managing director or board member holding over {yel_share_alone} % alone "
            "or over {yel_share_family} % with family; otherwise TyEL as an employee"
        ),
        "administration": N_(
            "High: board, shareholders' meetings and financial statements filed with the Trade Register"
        ),
    },
    "ay": {
        "founders": N_("Two or more partners"),
        "liability": N_("Every partner is personally liable for all the company's debts"),
        "taxation": N_(
            "The profit is divided between the partners and taxed as their business income, "
            "split into capital income and earned income"
        ),
        "pension": N_("YEL insurance for every partner"),
        "administration": N_("Moderate: a partnership agreement between the partners"),
    },
    "ky": {
        "founders": N_("Two or more: at least one general partner and one silent partner"),
        "liability": N_(
            "General partners are personally liable for all debts; silent partners only up "
            "to their capital contribution"
        ),
        "taxation": N_(
            "The profit is divided between the partners and taxed as their business income, "
            "split into capital income and earned income"
        ),
        "pension": N_("YEL insurance for the general partners; silent partners are not insured under YEL"),
        "administration": N_("Moderate: a partnership agreement between the partners"),
    },
}


def company_form_facts(on: date, params: Parameters | None = None) -> list[CompanyFormFacts]:
    """The comparison table of toiminimi, oy, ay and ky on the date ``on``.

    Kept as data so the page and the API show the same facts, with the
    figures (fee, minimum capital, tax rate, YEL shares) read from parameters.
    """
    params = params or default_parameters()
    capital = params.at(_P + "oy_minimum_share_capital", on)
    tax = params.at(_P + "corporate_income_tax_rate", on)
    alone = params.at(_P + "yel.oy_owner_share_alone", on)
    family = params.at(_P + "yel.oy_owner_share_with_family", on)
    rows = []
    for form in COMPANY_FORMS:
        fee = params.at(_P + "registration_fee." + form, on)
        figures: list[ParameterValue] = [fee]
        values: dict[str, Decimal] = {}
        if form == "oy":
            figures += [capital, tax, alone, family]
            values = {
                "corporate_tax_rate": as_percent(tax.value),
                "yel_share_alone": as_percent(alone.value),
                "yel_share_family": as_percent(family.value),
                "minimum_capital": capital.value,
            }
        texts = _FACT_TEXTS[form]
        rows.append(
            CompanyFormFacts(
                form=form,
                name=FORM_NAMES[form],
                founders=texts["founders"],
                registration_fee=fee.value,
                minimum_capital=capital.value if form == "oy" else None,
                liability=texts["liability"],
                taxation=texts["taxation"],
                pension=texts["pension"],
                administration=texts["administration"],
                values=values,
                source=join_sources(figure.source for figure in figures),
                estimate=any(figure.estimate for figure in figures),
            )
        )
    return rows


def recommend_company_forms(
    *,
    partners: bool,
    on: date,
    turnover: Decimal | None = None,
    wants_limited_liability: bool = False,
    employees: bool = False,
    risky_activity: bool = False,
    params: Parameters | None = None,
) -> list[FormRecommendation]:
    """Which company forms fit this founder, and why, in the order toiminimi, oy, ay, ky.

    Deliberately simple: the number of founders decides which forms are
    possible, and an explicit wish for limited liability rules out the forms
    with personal liability. Employees or a risky line of business (serving
    alcohol, food) only add a reason pointing at the limited company, since
    the choice stays the founder's. A turnover above the VAT threshold adds a
    note for every form rather than favouring one: VAT applies to all.
    """
    params = params or default_parameters()
    capital = params.at(_P + "oy_minimum_share_capital", on)
    values: dict[str, Decimal] = {"minimum_capital": capital.value}
    vat_note: tuple[str, ...] = ()
    if turnover is not None:
        vat = vat_required(turnover, on, params)
        if vat.required:
            values["vat_threshold"] = vat.threshold
            vat_note = (
                N_(
                    "Your turnover is over the VAT registration threshold of {vat_threshold} €: you "
                    "register for VAT whichever form you choose"
                ),
            )
    liability_risk = employees or risky_activity
    risk_note = (
        N_(
            "Employees or a risky line of business such as serving alcohol or food mean you are "
            "personally liable for what may go wrong; a limited company limits that liability"
        ),
    )

    recommendations = []
    for form in COMPANY_FORMS:
        if form == "oy":
            reasons = [
                N_(
                    "A limited company can be founded alone or with partners; the minimum share "
                    "capital is {minimum_capital} €"
                ),
                N_("Shareholders are liable only up to the capital they invested"),
                N_("More administration: board, shareholders' meetings and financial statements"),
            ]
            fits = True
        else:
            fits, reasons = _personal_liability_form(form, partners, wants_limited_liability)
            if liability_risk:
                reasons += risk_note
        reasons += vat_note
        recommendations.append(FormRecommendation(form, FORM_NAMES[form], fits, tuple(reasons), dict(values)))
    return recommendations


def _personal_liability_form(form: str, partners: bool, wants_limited_liability: bool) -> tuple[bool, list[str]]:
    """Sole trader and partnerships: possible by number of founders, ruled out by a wish for limited liability."""
    if form == "toiminimi":
        fits = not partners
        reasons = [
            N_("You are starting alone: a sole trader is the simplest form to set up and run")
            if fits
            else N_("A sole trader has only one owner; with partners choose another form")
        ]
    elif form == "ay":
        fits = partners
        reasons = [
            N_(
                "With partners who all work in the business and share full liability, a general "
                "partnership is simple to set up"
            )
            if fits
            else N_("A general partnership needs at least two partners")
        ]
    else:
        fits = partners
        reasons = [
            N_(
                "A limited partnership suits partners of whom some only invest money: silent partners "
                "are liable only up to their investment, general partners fully"
            )
            if fits
            else N_("A limited partnership needs at least two partners: a general partner and a silent partner")
        ]
    if wants_limited_liability:
        fits = False
        reasons.append(N_("You want limited liability, but here at least one owner is personally liable for all debts"))
    return fits, reasons


# --- input checks -----------------------------------------------------------


def _non_negative(value: object, field_name: str, message: str) -> Decimal:
    """A yearly euro amount, zero or more; InvalidInput names the field."""
    amount = require_decimal(value, field_name)
    if amount < _ZERO:
        raise InvalidInput(field_name, message)
    return amount


def _percent(value: object, field_name: str) -> Decimal:
    """A shareholding in percent, 0 to 100."""
    share = require_decimal(value, field_name)
    if not _ZERO <= share <= _HUNDRED:
        raise InvalidInput(field_name, N_("Enter a share from 0 to 100."))
    return share
