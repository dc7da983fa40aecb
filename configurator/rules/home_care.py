"""Kela child home care allowance, the stay-at-home alternative to municipal ECEC.

Shown next to the ECEC fee so a family can compare. Only the care allowance
for the first child under 3 is a verified figure; sibling amounts and the
income-tested care supplement are approximate, so they are flagged as
estimates. The supplement's income limit is known only for a family of 2:
for other sizes we say "up to about N €, Kela decides" rather than invent one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from configurator.i18n import N_
from configurator.money import as_percent, round_cents
from configurator.parameters import ParameterValue, Parameters, default_parameters
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
_SUPPLEMENT_KNOWN_FAMILY_SIZE = 2
_P = "kela_home_care."


@dataclass(frozen=True)
class AllowanceResult:
    """Monthly home care allowance for the child.

    ``monthly`` is the care allowance plus the sibling amounts plus the care
    supplement when it could be computed (cents). ``supplement`` is None when
    Kela's income test cannot be done here (income unknown or family size
    other than 2); the family may then get up to ``supplement_max`` more.
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
    income = _validated(child_birth_date, on, family_size, income,
                        other_children_under_3, other_children_under_school_age)
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


def _not_eligible(
    third_birthday: date, age_limit: ParameterValue, supplement_max: Decimal
) -> AllowanceResult:
    """The child is past the age limit: no allowance, and the breakdown says why.

    ``third_birthday`` is an ISO date string in the step values.
    """
    reason = step(
        N_("The child turned {age_limit} on {third_birthday}: child home care allowance is paid "
           "only for a child under {age_limit}"),
        {"age_limit": int(age_limit.value), "third_birthday": third_birthday.isoformat()},
        _ZERO, RULE_ACT, age_limit,
    )
    return AllowanceResult(_ZERO, _ZERO, supplement_max, (reason,), reason.estimate, False)


def _allowance_steps(
    on: date, params: Parameters, under_3: int, under_school: int
) -> list[BreakdownStep]:
    """Care allowance for this child, the conditions, and the siblings' amounts."""
    base = params.at(_P + "care_allowance.first_child_under_3", on)
    steps = [
        step(N_("Care allowance for a child under 3: {amount} €"),
             {"amount": base.value}, base.value, RULE_ACT, base),
        step(N_("Paid once parental allowance has ended (the child is over about 6 months) "
                "and only while the child has no municipal early childhood education place"),
             {}, None, RULE_ACT, base),
    ]
    siblings = (
        (under_3, "care_allowance.other_child_under_3",
         N_("Other children under 3 ({count}): {count} × about {amount} € = {total} €")),
        (under_school, "care_allowance.other_child_under_school_age",
         N_("Other children aged 3 or over and under school age ({count}): "
            "{count} × about {amount} € = {total} €")),
    )
    for count, name, label in siblings:
        if count:
            figure = params.at(_P + name, on)
            total = count * figure.value
            steps.append(step(label, {"count": count, "amount": figure.value, "total": total},
                              total, RULE_ACT, figure))
    return steps


def _supplement_step(
    family_size: int, income: Decimal | None, on: date, params: Parameters
) -> BreakdownStep:
    """Income-tested supplement; computed only where Kela's income limit is known."""
    maximum = params.at(_P + "care_supplement.max", on)
    if income is None:
        return step(
            N_("Care supplement: up to about {max} € a month depending on the family's income; "
               "Kela decides"),
            {"max": maximum.value}, None, RULE_ACT, maximum,
        )
    if family_size != _SUPPLEMENT_KNOWN_FAMILY_SIZE:
        return step(
            N_("Care supplement: up to about {max} € a month; the income limit for a family of "
               "{family_size} is not known here, Kela decides"),
            {"max": maximum.value, "family_size": family_size}, None, RULE_ACT, maximum,
        )
    return _family_of_two_supplement(income, on, params, maximum)


def _family_of_two_supplement(
    income: Decimal, on: date, params: Parameters, maximum: ParameterValue
) -> BreakdownStep:
    """max(0, max − rate × (income − limit)), to the cent."""
    limit = params.at(_P + "care_supplement.income_limit.family_2", on)
    if income <= limit.value:
        return step(
            N_("Care supplement: income {income} € is at most {limit} €, so the full supplement "
               "of about {max} €"),
            {"income": income, "limit": limit.value, "max": maximum.value},
            maximum.value, RULE_ACT, maximum, limit,
        )
    rate = params.at(_P + "care_supplement.reduction_rate", on)
    supplement = round_cents(max(_ZERO, maximum.value - rate.value * (income - limit.value)))
    return step(
        N_("Care supplement: about {max} € − {rate} % × (income {income} € − {limit} €) = {supplement} €"),
        {"max": maximum.value, "rate": as_percent(rate.value), "income": income,
         "limit": limit.value, "supplement": supplement},
        supplement, RULE_ACT, maximum, limit, rate,
    )
