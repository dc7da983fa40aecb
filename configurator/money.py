"""Money and percentage helpers shared by the rules.

Municipal fee decisions round euro amounts half-up to whole euros at each
step (base fee, sibling share, part-time coefficient); doing the same here
keeps our figures identical to the decisions families receive. Kela pays
allowances to the cent, so cents rounding lives here too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_EURO = Decimal("1")
_CENT = Decimal("0.01")


def round_eur(x: Decimal) -> Decimal:
    """Round half-up to whole euros, the way ECEC fee decisions round."""
    return Decimal(x).quantize(_EURO, rounding=ROUND_HALF_UP)


def round_cents(x: Decimal) -> Decimal:
    """Round half-up to cents, the precision Kela pays allowances in."""
    return Decimal(x).quantize(_CENT, rounding=ROUND_HALF_UP)


def as_percent(ratio: Decimal) -> Decimal:
    """Turn a ratio (0.107) into a percent number (10.7) for breakdown texts.

    Breakdown labels carry the "%" sign themselves, so the web layer only has
    to format a plain number for the locale. The result never uses exponent
    notation (Decimal.normalize would turn 60 into 6E+1).
    """
    percent = Decimal(ratio) * 100
    if percent == percent.to_integral_value():
        return percent.quantize(_EURO)
    return percent.normalize()


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Convert user or YAML input to Decimal without binary float error.

    Floats go through str() so 0.1 becomes Decimal("0.1"), not
    0.1000000000000000055...; raises ValueError for non-numbers and
    non-finite values so callers can report the bad field.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, float):
        value = str(value)
    try:
        result = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result
