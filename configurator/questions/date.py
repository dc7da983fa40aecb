"""Date questions: three boxes (day, month, year), as GOV.UK's date pattern asks for a date."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from dateutil.relativedelta import relativedelta

from ..i18n import N_
from .base import AnswerError, ParseContext, QuestionSpec, QuestionType, Raw, raw_text


def date_fields(qid: str) -> tuple[str, str, str]:
    return f"{qid}-day", f"{qid}-month", f"{qid}-year"


def _date_part(text: str) -> int | None:
    """One box of a date: '3', ' 3 ' or '3.' (Finnish writes 3.12.2026, so a day or month often ends in a
    point); ASCII digits only, so '٣' or '³' is the field's error, not a 500 or a silent 3."""
    part = text.strip()
    part = part[:-1].rstrip() if part.endswith(".") else part
    return int(part) if re.fullmatch(r"[0-9]{1,4}", part) else None


class DateType(QuestionType):
    """A calendar date between 1900 and 2200, with rules relative to today or to another date answer."""

    name = "date"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Enter a date"),
        "invalid": N_("Enter a real date, for example 27 3 2025"),
        "not_before_today": N_("The date must be today or in the future"),
        "not_after_today": N_("The date must be today or in the past"),
        "after": N_("The date must be later than the earlier date you gave"),
        "max_years_before_today": N_("The date must be within the last {years} years"),
        "max_years_after_today": N_("The date must be within {years} years from today"),
    }
    rules: ClassVar[tuple[str, ...]] = (
        "not_before_today",
        "not_after_today",
        "after",
        "max_years_before_today",
        "max_years_after_today",
    )
    prefill_shapes = ("iso_date",)

    def field_names(self, qid: str) -> tuple[str, ...]:
        return date_fields(qid)

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> date:
        day_f, month_f, year_f = date_fields(question.id)
        parts = []
        for name in (day_f, month_f, year_f):
            part = _date_part(raw_text(raw, name))
            if part is None:
                raise AnswerError(self.messages["invalid"], name)
            parts.append(part)
        day, month, year = parts
        if year < 1900 or year > 2200:
            raise AnswerError(self.messages["invalid"], year_f)
        try:
            return date(year, month, day)
        except ValueError:
            raise AnswerError(self.messages["invalid"], day_f if 1 <= month <= 12 else month_f) from None

    def check_rules(self, question: QuestionSpec, value: Any, ctx: ParseContext, field: str) -> None:
        rules = question.rules
        if rules.get("not_before_today") and value < ctx.today:
            raise self.error(question, "not_before_today", field)
        if rules.get("not_after_today") and value > ctx.today:
            raise self.error(question, "not_after_today", field)
        years = rules.get("max_years_before_today")
        if years and value < ctx.today - relativedelta(years=years):
            raise self.error(question, "max_years_before_today", field, years=years)
        years = rules.get("max_years_after_today")
        if years and value > ctx.today + relativedelta(years=years):
            raise self.error(question, "max_years_after_today", field, years=years)
        other = ctx.answers.get(rules.get("after", ""))
        if other is not None and value <= other:
            raise self.error(question, "after", field)

    def raw_from_json(self, qid: str, value: Any) -> dict[str, str]:
        """An ISO date ("2027-08-12") into the three boxes; anything else into the day box as it is, so the
        date's own error names it."""
        if value is None:
            return {}
        text = str(value)
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
        day_f, month_f, year_f = date_fields(qid)
        if not match:
            return {day_f: text, month_f: "", year_f: ""}
        return {year_f: match[1], month_f: match[2], day_f: match[3]}
