"""Questions answered by picking: one option, several options, or yes/no."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..i18n import N_
from .base import AnswerError, ParseContext, QuestionSpec, QuestionType, Raw, raw_text


class ChoiceType(QuestionType):
    """One of the question's options (radios)."""

    name = "choice"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Select an option"),
        "invalid": N_("Select one of the options"),
    }
    min_options = 2
    prefill_shapes = ("option",)

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> str:
        text = raw_text(raw, question.id).strip()
        if text not in question.option_values:
            raise AnswerError(self.messages["invalid"], question.id)
        return text


class ChoicesType(QuestionType):
    """Any number of the question's options (checkboxes), posted as one comma-separated field; the answer
    keeps the options' order."""

    name = "choices"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Select at least one option"),
        "invalid": N_("Select only the options shown"),
    }
    min_options = 2

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> tuple[str, ...]:
        text = raw_text(raw, question.id).strip()
        chosen = {part.strip() for part in text.split(",") if part.strip()}
        if not chosen or not chosen <= set(question.option_values):
            raise AnswerError(self.messages["invalid"], question.id)
        return tuple(value for value in question.option_values if value in chosen)

    def raw_from_json(self, qid: str, value: Any) -> dict[str, str]:
        if isinstance(value, (list, tuple)):
            return {qid: ",".join(str(v) for v in value)}
        return super().raw_from_json(qid, value)


class YesNoType(QuestionType):
    """Yes or no (two inline radios); the answer is a bool."""

    name = "yesno"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Select yes or no"),
        "invalid": N_("Select yes or no"),
    }

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> bool:
        text = raw_text(raw, question.id).strip()
        if text not in ("yes", "no"):
            raise AnswerError(self.messages["invalid"], question.id)
        return text == "yes"

    def raw_from_json(self, qid: str, value: Any) -> dict[str, str]:
        if isinstance(value, bool):
            return {qid: "yes" if value else "no"}
        return super().raw_from_json(qid, value)
