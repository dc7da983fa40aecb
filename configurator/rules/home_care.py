"""Kela child home care allowance, the stay-at-home alternative to municipal ECEC.

Shown next to the ECEC fee so a family can compare. Every amount is Kela's
published figure (frozen at the 2023 level through 2027); after that they are
estimates. The income-tested care supplement has an income limit and a
reduction rate per family size; Kela counts at most two adults and two
children under school age, so families of 4 or more share the family-of-4
figures. Flexible care allowance, for a parent who works shorter hours while
the child is under 3, is computed here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from configurator.i18n import N_
from configurator.money import as_percent, round_cents
from configurator.parameters import Parameters, ParameterValue, default_parameters
from configurator.rules import (
    BreakdownStep,
    InvalidInput,
    any_estimate,
    require_decimal,
    require_int,
    step,
)

RULE_ACT = N_("Act on child home care and private day care allowances 1128/1996")

_ZERO = Decimal(0)
_SMALLEST_FAMILY = 2
_P = "kela_home_care."


@dataclass(frozen=True)
class AllowanceResult:
    """Monthly home care allowance for the child.

    ``monthly`` is the care allowance plus the sibling amounts plus the care
    supplement when it could be computed (cents). ``supplement`` is None when
    the income is not given; the family may then get up to ``supplement_max`` more.
    """

    monthly: Decimal
    supplement: Decimal | None
    supplement_max: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool
    eligible: bool


def home_care_allowance(
    *,
    child_birth_date: date,
    on: date,
    family_size: int,
    income: Decimal | None,
    other_children_under_3: int = 0,
    other_children_under_school_age: int = 0,
    params: Parameters | None = None,
) -> AllowanceResult:
    """Kela child home care allowance for a month starting ``on``.

    Paid only while the child is under 3 on ``on``. ``other_children_under_3``
    and ``other_children_under_school_age`` count the other children cared
    for at home (the latter: aged 3 or over, not yet at school). ``income`` is
    the family's gross monthly income, None if not given.
    """
    params = params or default_parameters()
    income = _validated(
        child_birth_date, on, family_size, income, other_children_under_3, other_children_under_school_age
    )
    supplement_max = params.at(_P + "care_supplement.max", on)
    age_limit = params.at(_P + "age_limit_years", on)
    third_birthday = child_birth_date + relativedelta(years=int(age_limit.value))
    if on >= third_birthday:
        return _not_eligible(third_birthday, age_limit, supplement_max.value)
    steps = _allowance_steps(on, params, other_children_under_3, other_children_under_school_age)
    supplement_step = _supplement_step(family_size, income, on, params)
    steps.append(supplement_step)
    supplement = supplement_step.amount
    total = sum((item.amount for item in steps if item.amount is not None), _ZERO)
    return AllowanceResult(
        monthly=round_cents(total),
        supplement=supplement,
        supplement_max=supplement_max.value,
        breakdown=tuple(steps),
        estimate=any_estimate(item for item in steps if item.amount is not None),
        eligible=True,
    )


def _validated(
    birth: date, on: date, family_size: int, income: object, under_3: int, under_school: int
) -> Decimal | None:
    """Check inputs, naming the bad field so the form can point at it."""
    if birth > on:
        raise InvalidInput("child_birth_date", N_("The child's date of birth cannot be after the date asked."))
    require_int(family_size, "family_size", 2)
    require_int(under_3, "other_children_under_3", 0)
    require_int(under_school, "other_children_under_school_age", 0)
    if family_size < 2 + under_3 + under_school:
        raise InvalidInput(
            "family_size",
            N_("The family must count at least one parent, this child and the other children."),
        )
    if income is None:
        return None
    amount = require_decimal(income, "income")
    if amount < _ZERO:
        raise InvalidInput("income", N_("Income cannot be negative."))
    return amount


def _not_eligible(third_birthday: date, age_limit: ParameterValue, supplement_max: Decimal) -> AllowanceResult:
    """The child is past the age limit: no allowance, and the breakdown says why.

    ``third_birthday`` is an ISO date string in the step values.
    """
    reason = step(
        N_(
            "The child turned {age_limit} on {third_birthday}: child home care allowance is paid "
            "only for a child under {age_limit}"
        ),
        {"age_limit": int(age_limit.value), "third_birthday": third_birthday.isoformat()},
        _ZERO,
        RULE_ACT,
        age_limit,
    )
    return AllowanceResult(_ZERO, _ZERO, supplement_max, (reason,), reason.estimate, False)


def _allowance_steps(on: date, params: Parameters, under_3: int, under_school: int) -> list[BreakdownStep]:
    """Care allowance for this child, the conditions, and the siblings' amounts."""
    base = params.at(_P + "care_allowance.first_child_under_3", on)
    steps = [
        step(N_("Care allowance for a child under 3: {amount} €"), {"amount": base.value}, base.value, RULE_ACT, base),
        step(
            N_(
                "Paid once parental allowance has ended (the child is over about 6 months) "
                "and only while the child has no municipal early childhood education place"
            ),
            {},
            None,
            RULE_ACT,
            base,
        ),
    ]
    siblings = (
        (
            under_3,
            "care_allowance.other_child_under_3",
            N_("Other children under 3 ({count}): {count} × {amount} € = {total} €"),
        ),
        (
            under_school,
            "care_allowance.other_child_under_school_age",
            N_("Other children aged 3 or over and under school age ({count}): {count} × {amount} € = {total} €"),
        ),
    )
    for count, name, label in siblings:
        if count:
            figure = params.at(_P + name, on)
            total = count * figure.value
            steps.append(step(label, {"count": count, "amount": figure.value, "total": total}, total, RULE_ACT, figure))
    return steps


def _supplement_step(family_size: int, income: Decimal | None, on: date, params: Parameters) -> BreakdownStep:
    """Income-tested supplement: the full amount up to the family's limit, then reduced."""
    maximum = params.at(_P + "care_supplement.max", on)
    if income is None:
        return step(
            N_("Care supplement: up to {max} € a month depending on the family's income; Kela decides"),
            {"max": maximum.value},
            None,
            RULE_ACT,
            maximum,
        )
    largest = params.at(_P + "care_supplement.max_counted_family_size", on)
    counted = min(family_size, int(largest.value))
    limit = params.at(_P + f"care_supplement.income_limit.family_{counted}", on)
    values: dict[str, Decimal | int | str] = {
        "income": income,
        "limit": limit.value,
        "max": maximum.value,
        "family_size": counted,
    }
    if income <= limit.value:
        return step(
            N_(
                "Care supplement: income {income} € is at most {limit} € (the limit for a family of {family_size}), "
                "so the full supplement of {max} €"
            ),
            values,
            maximum.value,
            RULE_ACT,
            maximum,
            limit,
            largest,
        )
    rate = params.at(_P + f"care_supplement.reduction_rate.family_{counted}", on)
    supplement = round_cents(max(_ZERO, maximum.value - rate.value * (income - limit.value)))
    return step(
        N_(
            "Care supplement: {max} € − {rate} % × (income {income} € − {limit} €, the limit for a family of "
            "{family_size}) = {supplement} €"
        ),
        {**values, "rate": as_percent(rate.value), "supplement": supplement},
        supplement,
        RULE_ACT,
        maximum,
        limit,
        rate,
        largest,
    )


@dataclass(frozen=True)
class FlexibleCareResult:
    """Flexible care allowance a month for the parent's weekly working hours (0 above the upper limit)."""

    monthly: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


def flexible_care_allowance(*, weekly_hours: Decimal, on: date, params: Parameters | None = None) -> FlexibleCareResult:
    """Kela's flexible care allowance for a parent of a child under 3 who works shorter hours.

    At most 22.5 hours a week: the higher amount; over that and at most 30: the lower; more: none.
    """
    params = params or default_parameters()
    hours = require_decimal(weekly_hours, "weekly_hours")
    if hours < _ZERO:
        raise InvalidInput("weekly_hours", N_("Working hours cannot be negative."))
    short_hours = params.at(_P + "flexible_care_allowance.short_hours", on)
    long_hours = params.at(_P + "flexible_care_allowance.long_hours", on)
    if hours <= short_hours.value:
        amount = params.at(_P + "flexible_care_allowance.short_hours_amount", on)
        label = N_("Flexible care allowance: you work {hours} h a week, at most {limit} h: {amount} € a month")
        limit = short_hours
    elif hours <= long_hours.value:
        amount = params.at(_P + "flexible_care_allowance.long_hours_amount", on)
        label = N_("Flexible care allowance: you work {hours} h a week, at most {limit} h: {amount} € a month")
        limit = long_hours
    else:
        item = step(
            N_("Flexible care allowance: you work {hours} h a week, more than {limit} h: none"),
            {"hours": hours, "limit": long_hours.value},
            _ZERO,
            RULE_ACT,
            long_hours,
        )
        return FlexibleCareResult(_ZERO, (item,), item.estimate)
    item = step(
        label, {"hours": hours, "limit": limit.value, "amount": amount.value}, amount.value, RULE_ACT, amount, limit
    )
    return FlexibleCareResult(amount.value, (item,), item.estimate)


def flexible_care_amounts(on: date, params: Parameters | None = None) -> tuple[BreakdownStep, ...]:
    """Both amounts with their limits of working hours, for a plan that does not know the parent's hours."""
    params = params or default_parameters()
    steps = []
    for tier in ("short", "long"):
        hours = params.at(_P + f"flexible_care_allowance.{tier}_hours", on)
        amount = params.at(_P + f"flexible_care_allowance.{tier}_hours_amount", on)
        steps.append(
            step(
                N_("Flexible care allowance: {amount} € a month when you work at most {hours} h a week"),
                {"amount": amount.value, "hours": hours.value},
                amount.value,
                RULE_ACT,
                amount,
                hours,
            )
        )
    return tuple(steps)


def partial_care_allowance(on: date, params: Parameters | None = None) -> BreakdownStep:
    """Partial care allowance a month, for a parent working at most 30 h a week for a child in school years 1-2."""
    params = params or default_parameters()
    amount = params.at(_P + "partial_care_allowance.amount", on)
    hours = params.at(_P + "flexible_care_allowance.long_hours", on)
    return step(
        N_(
            "Partial care allowance: {amount} € a month when you work at most {hours} h a week because of "
            "a child in the first or second school year"
        ),
        {"amount": amount.value, "hours": hours.value},
        amount.value,
        RULE_ACT,
        amount,
        hours,
    )
