"""Monthly client fee of municipal early childhood education (ECEC).

Act on early childhood education client fees 1503/2016: the youngest child's
full-time fee is a percentage of the family's income above an income limit,
capped at a maximum; siblings pay a share of it; part-time care pays a share
set by law (at most 20 h/week) or by the municipality (between 20 and 35 h);
a fee below the minimum is not charged. Amounts are rounded half-up to whole
euros at each step, as municipal fee decisions do, so our figures match them.
All figures come from the dated parameters (configurator/parameters/ecec_fee.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from configurator.i18n import N_
from configurator.money import as_percent, round_eur
from configurator.parameters import Parameters, ParameterValue, default_parameters
from configurator.rules import (
    BreakdownStep,
    InvalidInput,
    StepValue,
    any_estimate,
    require_decimal,
    require_int,
    step,
)

RULE_ACT = N_("Act on early childhood education client fees 1503/2016")
RULE_BASE = N_("Act on early childhood education client fees 1503/2016, s.5")
RULE_PART_TIME = N_("Act on early childhood education client fees 1503/2016, s.7")
RULE_MUNICIPAL = N_("Municipal decision on part-time early childhood education fees")

_ONE = Decimal(1)
_ZERO = Decimal(0)
_MAX_HOURS_PER_WEEK = Decimal(168)
_LARGEST_TABULATED_FAMILY = 6


class MissingMunicipalRules(ValueError):
    """Care time between the legal thresholds needs the municipality's own steps.

    The law fixes only "at most 20 h" and "at least 35 h"; inventing a share
    in between would give a wrong fee, so the caller must supply the steps.
    """

    def __init__(self, hours_per_week: Decimal) -> None:
        self.field = "municipal"
        self.hours_per_week = hours_per_week
        self.message = N_(
            "The fee for {hours} h a week depends on the municipality's part-time steps, which are not known."
        )
        self.values = {"hours": hours_per_week}
        super().__init__(self.message.format(hours=hours_per_week))


@dataclass(frozen=True)
class PartTimeStep:
    """Municipal data: ``coefficient`` applies when hours_per_week <= ``max_hours``."""

    max_hours: Decimal
    coefficient: Decimal


@dataclass(frozen=True)
class MunicipalFeeRules:
    """A municipality's part-time fee steps (ascending by ``max_hours``).

    Hours above the last step pay the full fee. ``source`` and ``valid_from``
    cite the municipal decision in the breakdown when known.
    """

    municipality_code: str
    part_time_steps: tuple[PartTimeStep, ...]
    source: str = ""
    valid_from: date | None = None

    def __post_init__(self) -> None:
        previous = _ZERO
        for item in self.part_time_steps:
            if item.max_hours <= previous:
                raise ValueError(f"{self.municipality_code}: part-time steps must ascend by max_hours")
            if not _ZERO < item.coefficient <= _ONE:
                raise ValueError(f"{self.municipality_code}: coefficient must be in (0, 1]")
            previous = item.max_hours

    def step_for(self, hours_per_week: Decimal) -> PartTimeStep | None:
        """The first step covering ``hours_per_week``; None above the last step."""
        for item in self.part_time_steps:
            if hours_per_week <= item.max_hours:
                return item
        return None


@dataclass(frozen=True)
class FeeResult:
    """The child's monthly fee, or its range when income is not given.

    ``monthly_fee`` is None without income; ``minimum``/``maximum`` then span
    0 .. the fee at the maximum, which is what a family that does not report
    income is charged.
    """

    monthly_fee: Decimal | None
    minimum: Decimal
    maximum: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


def part_time_coefficient(
    hours_per_week: Decimal,
    rules: MunicipalFeeRules | None,
    on: date,
    params: Parameters,
) -> tuple[Decimal, BreakdownStep]:
    """Share of the full-time fee for the weekly care time, with its explanation.

    Law (s.7): at most 20 h → at most 60 % (a municipal step is capped at it);
    at least 35 h → 100 %; in between only the municipality's steps decide,
    so without them MissingMunicipalRules is raised.
    """
    full_hours = params.at("ecec_fee.full_time_hours", on)
    low_hours = params.at("ecec_fee.part_time_low_hours", on)
    if hours_per_week >= full_hours.value:
        return _ONE, step(
            N_("Care time {hours} h a week is at least {full_time_hours} h: the full-time fee applies"),
            {"hours": hours_per_week, "full_time_hours": full_hours.value},
            None,
            RULE_PART_TIME,
            full_hours,
        )
    if hours_per_week <= low_hours.value:
        return _low_hours_coefficient(hours_per_week, rules, on, params, low_hours)
    if rules is None:
        raise MissingMunicipalRules(hours_per_week)
    municipal = rules.step_for(hours_per_week)
    if municipal is None:
        return _ONE, _municipal_step(
            N_("Care time {hours} h a week is above the municipality's part-time steps: the full-time fee applies"),
            {"hours": hours_per_week},
            rules,
            full_hours,
        )
    return municipal.coefficient, _municipal_step(
        N_("Care time {hours} h a week: the municipality's step up to {max_hours} h, {share} % of the full-time fee"),
        {"hours": hours_per_week, "max_hours": municipal.max_hours, "share": as_percent(municipal.coefficient)},
        rules,
        full_hours,
    )


def _low_hours_coefficient(
    hours_per_week: Decimal,
    rules: MunicipalFeeRules | None,
    on: date,
    params: Parameters,
    low_hours: ParameterValue,
) -> tuple[Decimal, BreakdownStep]:
    """At most 20 h: the legal cap, or a lower municipal step if there is one."""
    cap = params.at("ecec_fee.part_time_max_20h_share", on)
    municipal = rules.step_for(hours_per_week) if rules is not None else None
    if rules is not None and municipal is not None and municipal.coefficient < cap.value:
        return municipal.coefficient, _municipal_step(
            N_(
                "Care time {hours} h a week: the municipality's step up to {max_hours} h, "
                "{share} % of the full-time fee"
            ),
            {"hours": hours_per_week, "max_hours": municipal.max_hours, "share": as_percent(municipal.coefficient)},
            rules,
            low_hours,
        )
    return cap.value, step(
        N_("Care time {hours} h a week is at most {low_hours} h: at most {share} % of the full-time fee"),
        {"hours": hours_per_week, "low_hours": low_hours.value, "share": as_percent(cap.value)},
        None,
        RULE_PART_TIME,
        low_hours,
        cap,
    )


def _municipal_step(
    label: str,
    values: Mapping[str, StepValue],
    rules: MunicipalFeeRules,
    law: ParameterValue,
) -> BreakdownStep:
    """A step citing the municipality's decision (falls back to the law's dates)."""
    return BreakdownStep(
        label=label,
        values=dict(values),
        amount=None,
        rule=RULE_MUNICIPAL,
        valid_from=rules.valid_from or law.valid_from,
        source=rules.source or f"Municipality {rules.municipality_code}: part-time fee steps",
        estimate=False,
    )


def ecec_fee(
    *,
    family_size: int,
    income: Decimal | None,
    hours_per_week: Decimal,
    child_rank: int,
    municipal: MunicipalFeeRules | None,
    on: date,
    params: Parameters | None = None,
) -> FeeResult:
    """The monthly ECEC fee of one child, with a step-by-step breakdown.

    ``child_rank`` 1 is the youngest child in ECEC (full fee), 2 the next
    (40 %), 3+ further children (20 %). ``income`` is the family's gross
    monthly income; None gives the range 0 .. the fee at the maximum.
    Raises InvalidInput (``field`` names the input) or MissingMunicipalRules.
    """
    params = params or default_parameters()
    family_size, income, hours_per_week, child_rank = _validated(family_size, income, hours_per_week, child_rank)
    steps: list[BreakdownStep] = []
    if income is None:
        base = _unknown_income_step(on, params)
    else:
        limit = _income_limit_step(family_size, on, params)
        steps.append(limit)
        base = _base_fee_step(income, limit, on, params)
    steps.append(base)
    fee = _fee_after_base(base.money(), child_rank, hours_per_week, municipal, on, params, steps)
    if income is None:
        return FeeResult(None, _ZERO, fee, tuple(steps), any_estimate(steps))
    return FeeResult(fee, fee, fee, tuple(steps), any_estimate(steps))


def _fee_after_base(
    base: Decimal,
    child_rank: int,
    hours_per_week: Decimal,
    municipal: MunicipalFeeRules | None,
    on: date,
    params: Parameters,
    steps: list[BreakdownStep],
) -> Decimal:
    """Sibling share, part-time share and minimum fee, appending their steps."""
    if base == _ZERO:
        return _ZERO
    fee = base
    sibling = _sibling_step(base, child_rank, on, params)
    if sibling is not None:
        steps.append(sibling)
        fee = sibling.money()
    coefficient, coefficient_step = part_time_coefficient(hours_per_week, municipal, on, params)
    steps.append(coefficient_step)
    if coefficient != _ONE:
        part_time = _part_time_step(fee, coefficient, coefficient_step)
        steps.append(part_time)
        fee = part_time.money()
    minimum = _minimum_fee_step(fee, on, params)
    if minimum is not None:
        steps.append(minimum)
        fee = _ZERO
    return fee


def _validated(
    family_size: int, income: object, hours_per_week: object, child_rank: int
) -> tuple[int, Decimal | None, Decimal, int]:
    """Check the inputs and name the bad one, so the form can point at it."""
    family_size = require_int(family_size, "family_size", 2)
    child_rank = require_int(child_rank, "child_rank", 1)
    if child_rank > family_size - 1:
        raise InvalidInput(
            "child_rank",
            N_("A family of {family_size} has at most {children} children."),
            family_size=family_size,
            children=family_size - 1,
        )
    amount = None if income is None else require_decimal(income, "income")
    if amount is not None and amount < _ZERO:
        raise InvalidInput("income", N_("Income cannot be negative."))
    hours = require_decimal(hours_per_week, "hours_per_week")
    if not _ZERO < hours <= _MAX_HOURS_PER_WEEK:
        raise InvalidInput(
            "hours_per_week",
            N_("Enter hours a week above 0 and at most {high}."),
            high=_MAX_HOURS_PER_WEEK,
        )
    return family_size, amount, hours, child_rank


def _income_limit_step(family_size: int, on: date, params: Parameters) -> BreakdownStep:
    """Income limit for the family size; families over 6 add a sum per further person."""
    if family_size <= _LARGEST_TABULATED_FAMILY:
        limit = params.at(f"ecec_fee.income_limit.family_{family_size}", on)
        return step(
            N_("Income limit for a family of {family_size}: {limit} €"),
            {"family_size": family_size, "limit": limit.value},
            limit.value,
            RULE_BASE,
            limit,
        )
    limit_6 = params.at(f"ecec_fee.income_limit.family_{_LARGEST_TABULATED_FAMILY}", on)
    per_person = params.at("ecec_fee.per_further_child", on)
    extra = family_size - _LARGEST_TABULATED_FAMILY
    total = limit_6.value + extra * per_person.value
    return step(
        N_(
            "Income limit for a family of {family_size}: {limit_6} € for six persons "
            "+ {extra_persons} × {per_person} € = {limit} €"
        ),
        {
            "family_size": family_size,
            "limit_6": limit_6.value,
            "extra_persons": extra,
            "per_person": per_person.value,
            "limit": total,
        },
        total,
        RULE_BASE,
        limit_6,
        per_person,
    )


def _base_fee_step(income: Decimal, limit: BreakdownStep, on: date, params: Parameters) -> BreakdownStep:
    """The youngest child's full-time fee: percentage × (income − limit), rounded, capped."""
    percentage = params.at("ecec_fee.percentage", on)
    limit_figure = _as_figure(limit)
    limit_amount = limit.money()
    if income <= limit_amount:
        return step(
            N_("Income {income} € does not exceed the income limit {limit} €: no fee"),
            {"income": income, "limit": limit_amount},
            _ZERO,
            RULE_BASE,
            limit_figure,
        )
    raw = percentage.value * (income - limit_amount)
    values: dict[str, StepValue] = {
        "percentage": as_percent(percentage.value),
        "income": income,
        "limit": limit_amount,
        "raw": raw,
    }
    max_fee = params.at("ecec_fee.max_fee", on)
    rounded = round_eur(raw)
    if rounded > max_fee.value:
        return step(
            N_(
                "Base fee: {percentage} % × (income {income} € − income limit {limit} €) "
                "= {raw} €, capped at the maximum fee {max_fee} €"
            ),
            {**values, "max_fee": max_fee.value},
            max_fee.value,
            RULE_BASE,
            percentage,
            limit_figure,
            max_fee,
        )
    return step(
        N_("Base fee: {percentage} % × (income {income} € − income limit {limit} €) = {raw} €, rounded to {fee} €"),
        {**values, "fee": rounded},
        rounded,
        RULE_BASE,
        percentage,
        limit_figure,
    )


def _as_figure(done: BreakdownStep) -> ParameterValue:
    """Carry an earlier step's provenance into a step built on its amount."""
    return ParameterValue(
        name="",
        value=done.amount if done.amount is not None else _ZERO,
        valid_from=done.valid_from,
        source=done.source,
        estimate=done.estimate,
        asked_period_from=done.valid_from,
    )


def _unknown_income_step(on: date, params: Parameters) -> BreakdownStep:
    """Without income the fee can be anything up to the maximum, which non-reporters pay."""
    max_fee = params.at("ecec_fee.max_fee", on)
    return step(
        N_(
            "Income not given: the fee is between 0 € and the fee computed from the maximum "
            "fee {max_fee} €. A family that does not report its income is charged the maximum."
        ),
        {"max_fee": max_fee.value},
        max_fee.value,
        RULE_ACT,
        max_fee,
    )


def _sibling_step(base: Decimal, child_rank: int, on: date, params: Parameters) -> BreakdownStep | None:
    """Second child: 40 % (capped); further children: 20 %; the youngest: no step."""
    if child_rank == 1:
        return None
    if child_rank == 2:
        share = params.at("ecec_fee.second_child_share", on)
        cap = params.at("ecec_fee.second_child_max", on)
        fee = min(round_eur(share.value * base), cap.value)
        return step(
            N_(
                "Second child: {share} % of the youngest child's full-time fee {base} € = {fee} € (at most {max_fee} €)"
            ),
            {"share": as_percent(share.value), "base": base, "fee": fee, "max_fee": cap.value},
            fee,
            RULE_ACT,
            share,
            cap,
        )
    share = params.at("ecec_fee.further_child_share", on)
    fee = round_eur(share.value * base)
    return step(
        N_("Third or further child: {share} % of the youngest child's full-time fee {base} € = {fee} €"),
        {"share": as_percent(share.value), "base": base, "fee": fee},
        fee,
        RULE_ACT,
        share,
    )


def _part_time_step(fee: Decimal, coefficient: Decimal, coefficient_step: BreakdownStep) -> BreakdownStep:
    """Apply the part-time share and round, as the fee decision does."""
    raw = coefficient * fee
    result = round_eur(raw)
    return BreakdownStep(
        label=N_("Part-time fee: {share} % of {fee} € = {raw} €, rounded to {result} €"),
        values={"share": as_percent(coefficient), "fee": fee, "raw": raw, "result": result},
        amount=result,
        rule=coefficient_step.rule,
        valid_from=coefficient_step.valid_from,
        source=coefficient_step.source,
        estimate=coefficient_step.estimate,
    )


def _minimum_fee_step(fee: Decimal, on: date, params: Parameters) -> BreakdownStep | None:
    """A fee below the minimum is not charged at all (not raised to the minimum)."""
    minimum = params.at("ecec_fee.min_fee", on)
    if not _ZERO < fee < minimum.value:
        return None
    return step(
        N_("The computed fee {fee} € is below the minimum fee {min_fee} €, so no fee is charged"),
        {"fee": fee, "min_fee": minimum.value},
        _ZERO,
        RULE_ACT,
        minimum,
    )
