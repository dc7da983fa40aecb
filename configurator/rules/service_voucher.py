"""Family's co-payment for private day care bought with a municipal service voucher.

The municipality sets the voucher value (full-time, by the child's age group)
and may allow the provider a surcharge. The family pays the provider's price
minus the voucher, but never more than the municipal ECEC fee for the same
child plus the allowed surcharge, so choosing a private provider with a
voucher costs at most that much more than a municipal place. Voucher values
are municipal data, so they arrive as VoucherRules with their own source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from configurator.i18n import N_
from configurator.money import as_percent, round_eur
from configurator.rules import BreakdownStep, InvalidInput, StepValue, require_decimal, require_int
from configurator.rules.ecec_fee import FeeResult

RULE_VOUCHER = N_("Municipal service voucher rules for early childhood education")

_ZERO = Decimal(0)
_ONE = Decimal(1)
_AGE_LIMIT = 3


@dataclass(frozen=True)
class VoucherRules:
    """One municipality's voucher values (EUR/month, full-time) and allowed surcharge."""

    municipality_code: str
    value_under_3: Decimal
    value_3_and_over: Decimal
    max_surcharge: Decimal
    valid_from: date
    source: str


@dataclass(frozen=True)
class CopaymentResult:
    """What the family pays the provider per month; a range when the fee is a range."""

    monthly: Decimal | None
    minimum: Decimal
    maximum: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool


def voucher_copayment(
    *,
    provider_price: Decimal,
    child_age_years: int,
    voucher: VoucherRules,
    fee: FeeResult,
    coefficient: Decimal,
) -> CopaymentResult:
    """The family's monthly co-payment with a service voucher.

    ``provider_price`` is the provider's full-time monthly price; it and the
    voucher are scaled by the same part-time ``coefficient`` (from
    part_time_coefficient) and rounded. ``fee`` is the municipal fee of this
    child at the same hours; a fee range gives a co-payment range.
    copay = max(0, min(price − voucher, fee + allowed surcharge)).
    """
    price = _non_negative(provider_price, "provider_price")
    age = require_int(child_age_years, "child_age_years", 0)
    coefficient = _coefficient(coefficient)
    steps = [_voucher_step(age, voucher)]
    value = steps[0].money()
    if coefficient != _ONE:
        steps.append(
            _scaled_step(N_("Part-time voucher: {share} % of {full} € = {result} €"), value, coefficient, voucher)
        )
        steps.append(
            _scaled_step(
                N_("Part-time provider price: {share} % of {full} € = {result} €"), price, coefficient, voucher
            )
        )
        value, price = steps[-2].money(), steps[-1].money()
    difference = max(_ZERO, price - value)
    steps.append(_difference_step(price, value, difference, voucher))
    cap_step, low, high = _cap_step(difference, fee, voucher)
    steps.append(cap_step)
    estimate = fee.estimate or any(item.estimate for item in steps)
    monthly = high if fee.monthly_fee is not None else None
    return CopaymentResult(monthly, low, high, tuple(steps), estimate)


def _non_negative(value: object, field: str) -> Decimal:
    amount = require_decimal(value, field)
    if amount < _ZERO:
        raise InvalidInput(field, N_("Enter an amount of at least 0."))
    return amount


def _coefficient(value: object) -> Decimal:
    coefficient = require_decimal(value, "coefficient")
    if not _ZERO < coefficient <= _ONE:
        raise InvalidInput("coefficient", N_("The part-time share must be above 0 and at most 100 %."))
    return coefficient


def _voucher_step(age: int, voucher: VoucherRules) -> BreakdownStep:
    """The full-time voucher value for the child's age group."""
    if age < _AGE_LIMIT:
        label = N_("Service voucher for a child under 3: {voucher} € a month full-time")
        value = voucher.value_under_3
    else:
        label = N_("Service voucher for a child aged 3 or over: {voucher} € a month full-time")
        value = voucher.value_3_and_over
    return _voucher_rule_step(label, {"voucher": value}, value, voucher)


def _scaled_step(label: str, full: Decimal, coefficient: Decimal, voucher: VoucherRules) -> BreakdownStep:
    """Scale a full-time amount by the part-time share, rounded like the fee."""
    result = round_eur(coefficient * full)
    values = {"share": as_percent(coefficient), "full": full, "result": result}
    return _voucher_rule_step(label, values, result, voucher)


def _difference_step(price: Decimal, value: Decimal, difference: Decimal, voucher: VoucherRules) -> BreakdownStep:
    if difference == _ZERO:
        label = N_("The voucher {voucher} € covers the provider's price {price} €: nothing to pay")
    else:
        label = N_("Provider's price {price} € minus the voucher {voucher} € = {difference} €")
    values = {"price": price, "voucher": value, "difference": difference}
    return _voucher_rule_step(label, values, difference, voucher)


def _cap_step(difference: Decimal, fee: FeeResult, voucher: VoucherRules) -> tuple[BreakdownStep, Decimal, Decimal]:
    """Cap at the municipal fee plus the allowed surcharge (a range for a fee range)."""
    surcharge = voucher.max_surcharge
    low = max(_ZERO, min(difference, fee.minimum + surcharge))
    high = max(_ZERO, min(difference, fee.maximum + surcharge))
    if fee.monthly_fee is not None:
        label = N_(
            "The co-payment is at most the municipal fee {fee} € plus the provider "
            "surcharge the municipality allows {surcharge} € = {cap} €: you pay {copay} €"
        )
        values = {"fee": fee.monthly_fee, "surcharge": surcharge, "cap": fee.monthly_fee + surcharge, "copay": high}
    else:
        label = N_(
            "The co-payment is at most the municipal fee ({fee_min} € to {fee_max} €) plus "
            "the provider surcharge the municipality allows {surcharge} €: "
            "you pay {copay_min} € to {copay_max} €"
        )
        values = {
            "fee_min": fee.minimum,
            "fee_max": fee.maximum,
            "surcharge": surcharge,
            "copay_min": low,
            "copay_max": high,
        }
    built = _voucher_rule_step(label, values, high, voucher)
    return replace(built, estimate=fee.estimate), low, high


def _voucher_rule_step(
    label: str, values: Mapping[str, StepValue], amount: Decimal, voucher: VoucherRules
) -> BreakdownStep:
    """A step citing the municipality's voucher decision."""
    return BreakdownStep(
        label=label,
        values=dict(values),
        amount=amount,
        rule=RULE_VOUCHER,
        valid_from=voucher.valid_from,
        source=voucher.source,
        estimate=False,
    )
