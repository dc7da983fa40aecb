"""Fee and benefit rules: pure functions from inputs and dated parameters to results.

Every result carries a breakdown of steps so the portal can show the family
exactly how an amount was reached, which legal figure was used and whether
that figure is an estimate. Labels are English message ids (marked with N_)
with ``{named}`` placeholders; the web layer translates the label and fills in
the numbers formatted for the user's locale.

Value conventions for ``BreakdownStep.values``: euro amounts are Decimals and
the label writes the "€" sign; percentages are percent numbers (10.7, not
0.107) and the label writes the "%" sign; hours are Decimals with "h" in the
label; counts are ints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from configurator.i18n import N_
from configurator.money import to_decimal
from configurator.parameters import ParameterValue

StepValue = Decimal | int | str
"""A value a step's label names: euros and hours as Decimal, counts as int, dates as ISO text."""


@dataclass(frozen=True)
class BreakdownStep:
    """One explained step of a calculation, with the figure's provenance."""

    label: str
    values: dict[str, StepValue]
    amount: Decimal | None
    rule: str
    valid_from: date
    source: str
    estimate: bool

    def money(self) -> Decimal:
        """The amount of a step that computes one; a computing step without it is a bug, not an input error."""
        if self.amount is None:
            raise ValueError(f"the step {self.label!r} has no amount")
        return self.amount


class InvalidInput(ValueError):
    """Bad user input; ``field`` names the input so the form can mark it.

    ``message`` is an English msgid with ``{named}`` placeholders filled from
    ``values`` after translation.
    """

    def __init__(self, field: str, message: str, **values: object) -> None:
        super().__init__(f"{field}: {message.format(**values)}")
        self.field = field
        self.message = message
        self.values = values


def step(
    label: str,
    values: Mapping[str, StepValue],
    amount: Decimal | None,
    rule: str,
    *figures: ParameterValue,
) -> BreakdownStep:
    """Build a step whose provenance comes from the parameter figures it used.

    With several figures the step is dated by the newest period, cites every
    distinct source and is an estimate if any figure is.
    """
    if not figures:
        raise ValueError("a breakdown step needs at least one figure for its provenance")
    return BreakdownStep(
        label=label,
        values=dict(values),
        amount=amount,
        rule=rule,
        valid_from=max(figure.valid_from for figure in figures),
        source=join_sources(figure.source for figure in figures),
        estimate=any(figure.estimate for figure in figures),
    )


def join_sources(sources: Iterable[str]) -> str:
    """Distinct sources in first-seen order, joined with "; " (already joined lists are split first)."""
    parts = (part.strip() for source in sources if source for part in source.split(";"))
    return "; ".join(dict.fromkeys(part for part in parts if part))


def any_estimate(steps: Iterable[BreakdownStep]) -> bool:
    """True when any step used an estimated figure."""
    return any(item.estimate for item in steps)


def require_int(value: object, field: str, minimum: int) -> int:
    """Validate a whole-number input (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, N_("Enter a whole number."))
    if value < minimum:
        raise InvalidInput(field, N_("Enter a number of at least {minimum}."), minimum=minimum)
    return value


def require_decimal(value: object, field: str) -> Decimal:
    """Convert a numeric input to Decimal or raise InvalidInput for ``field``."""
    try:
        return to_decimal(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidInput(field, N_("Enter a number.")) from None
