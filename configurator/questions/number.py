"""Questions answered with a number: a count or hours (``number``) and an amount in euros (``money``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from ..i18n import N_
from .base import AnswerError, ParseContext, QuestionSpec, QuestionType, Raw, raw_text


def parse_money(text: str) -> Decimal:
    """Accept both Finnish and English notation: '4 500,50', '4500.50', '4500 €'."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]|eur", "", text.strip().lower())
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?", cleaned):  # 4.500,50
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    # ASCII digits only, and at most 12 of them before the point: a trillion euros is past every rule's
    # maximum, and a 200-digit amount would overflow the rules' rounding (a 500, not the field's error).
    if not re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,2})?", cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


# Spaces a person or a phone keyboard may put between thousands: space, no-break and narrow no-break space.
_NUMBER_SPACES = re.compile(r"[ \u00a0\u202f]")


def parse_int(text: str) -> int:
    """A whole number, '3' or '1 000'; ASCII digits only (\\d would take other scripts' digits too)."""
    cleaned = _NUMBER_SPACES.sub("", text.strip())
    if not re.fullmatch(r"-?[0-9]{1,6}", cleaned):
        raise ValueError(text)
    return int(cleaned)


def parse_number(text: str, decimals: int = 0) -> int | Decimal:
    """A count, or where the question allows ``decimals`` digits after the decimal comma or point a decimal:
    '37,5' as Finnish and Swedish write it and '37.5' as English does are the same 37.5 hours.

    A question without ``decimals`` keeps whole numbers (an int); with it the answer is a Decimal, whole or not.
    """
    if not decimals:
        return parse_int(text)
    cleaned = _NUMBER_SPACES.sub("", text.strip())
    if not re.fullmatch(rf"-?[0-9]{{1,6}}([.,][0-9]{{1,{decimals}}})?", cleaned):
        raise ValueError(text)
    return Decimal(cleaned.replace(",", "."))


BOUND_MESSAGES: Mapping[str, str] = {
    "min": N_("Enter a number of at least {min}"),
    "max": N_("Enter a number of at most {max}"),
    "max_answer": N_("Enter a number of at most {max}"),
}


class _Bounded(QuestionType):
    """A value with optional bounds: ``min``, ``max``, and ``max_answer`` (at most another number answer,
    plus an optional ``offset``)."""

    rules: ClassVar[tuple[str, ...]] = ("min", "max", "max_answer")

    def check_rules(self, question: QuestionSpec, value: Any, ctx: ParseContext, field: str) -> None:
        rules = question.rules
        if "min" in rules and value < rules["min"]:
            raise self.error(question, "min", field, min=rules["min"], max=rules.get("max"))
        if "max" in rules and value > rules["max"]:
            raise self.error(question, "max", field, min=rules.get("min"), max=rules["max"])
        bound = rules.get("max_answer")
        other = ctx.answers.get(bound["question"]) if bound else None
        if bound and other is not None and value > other + bound.get("offset", 0):
            raise self.error(question, "max_answer", field, max=other + bound.get("offset", 0))


class NumberType(_Bounded):
    """A whole number, or with the ``decimals`` rule (1 or 2) a decimal such as 37,5 hours."""

    name = "number"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Enter a number"),
        "invalid": N_("Enter a whole number, like 3"),
        "invalid_decimal": N_("Enter a number, like 37.5"),
        **BOUND_MESSAGES,
    }
    rules = _Bounded.rules + ("decimals",)  # hours like 37,5; counts stay whole (no rule)
    prefill_shapes = ("count",)

    @property
    def error_kinds(self) -> frozenset[str]:
        return super().error_kinds - {"invalid_decimal"}  # a number's parse error is "invalid", whole or not

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> int | Decimal:
        decimals = int(question.rules.get("decimals", 0))
        try:
            return parse_number(raw_text(raw, question.id).strip(), decimals)
        except ValueError:
            raise AnswerError(self.messages["invalid_decimal" if decimals else "invalid"], question.id) from None


class MoneyType(_Bounded):
    """An amount in euros with at most two decimals, in Finnish or English notation."""

    name = "money"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Enter an amount in euros"),
        "invalid": N_("Enter an amount in euros, like 4500 or 4500,50"),
        **BOUND_MESSAGES,
    }

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> Decimal:
        try:
            return parse_money(raw_text(raw, question.id).strip())
        except (ValueError, InvalidOperation):
            raise AnswerError(self.messages["invalid"], question.id) from None
