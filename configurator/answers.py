"""Answers by question type name: the entry points for callers that hold a type's name rather than a question
(the API, the tests), and the raw store's hygiene.

The types themselves are classes in configurator.questions (one per ``type:``); what used to be switched on
the name here is a method of the type. This module keeps the names other code imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .questions import (
    DEFAULT_ERRORS,
    MAX_FIELD_TEXT,
    QUESTION_TYPES,
    AnswerError,
    LocationAnswer,
    ParseContext,
    Raw,
    date_fields,
    location_fields,
    parse_int,
    parse_money,
    parse_number,
    parse_postal_code,
    question_type,
    raw_text,
)

__all__ = [
    "DEFAULT_ERRORS",
    "MAX_FIELD_TEXT",
    "QUESTION_TYPES",
    "AnswerError",
    "LocationAnswer",
    "ParseContext",
    "Raw",
    "clean_raw",
    "date_fields",
    "field_names",
    "is_blank",
    "location_fields",
    "parse_int",
    "parse_money",
    "parse_number",
    "parse_postal_code",
    "parse_value",
    "raw_from_json",
    "raw_text",
]


def clean_raw(raw: Any) -> dict[str, str]:
    """Only what a form could have posted: text keys with text values of at most MAX_FIELD_TEXT characters.

    Stored answers pass through here when read back, so an answer kept by an older version (or edited by
    hand) is treated as unanswered rather than breaking every page of the journey.
    """
    if not isinstance(raw, Mapping):
        return {}
    return {
        key: value
        for key, value in raw.items()
        if isinstance(key, str) and isinstance(value, str) and len(value) <= MAX_FIELD_TEXT
    }


def field_names(qid: str, qtype: str) -> tuple[str, ...]:
    """The form fields a question of this type posts."""
    return question_type(qtype).field_names(qid)


def is_blank(qid: str, qtype: str, raw: Raw) -> bool:
    return question_type(qtype).is_blank(qid, raw)


@dataclass(frozen=True)
class _Spec:
    """A question reduced to what parsing reads, for callers that have only its id, type and options."""

    id: str
    option_values: tuple[str, ...] = ()
    rules: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)


def parse_value(
    qid: str, qtype: str, raw: Raw, ctx: ParseContext, options: tuple[str, ...] = (), decimals: int = 0
) -> Any:
    """Turn a question's raw fields into its typed value, raising AnswerError on bad input.

    ``decimals`` is a number question's rule (digits allowed after the decimal comma or point; 0: whole).
    """
    return question_type(qtype).parse(_Spec(qid, tuple(options), {"decimals": decimals} if decimals else {}), raw, ctx)


def raw_from_json(qid: str, qtype: str, value: Any) -> dict[str, str]:
    """Map an API answer (JSON types) onto the same raw fields a form posts, so one parser serves both."""
    return question_type(qtype).raw_from_json(qid, value)
