"""Question types as classes, registered once: one class per ``type:`` a life-event file may give a question.

``QUESTION_TYPES`` maps each type's name to its instance; ``configurator.lifeevents.Question.type`` stays the
name (the files and the API use it) and ``Question.kind`` is the instance. Everything that differs between
types (form fields, parsing, rules, the template, the summary text, prefill) is a method or attribute of its
class, so nothing else switches on the name.
"""

from __future__ import annotations

from collections.abc import Mapping

from .base import (
    MAX_FIELD_TEXT,
    AnswerError,
    ParseContext,
    QuestionSpec,
    QuestionType,
    Raw,
    blank,
    raw_text,
)
from .choice import ChoicesType, ChoiceType, YesNoType
from .date import DateType, date_fields
from .number import MoneyType, NumberType, parse_int, parse_money, parse_number
from .place import (
    LocationAnswer,
    LocationType,
    PostalCodeType,
    location_fields,
    parse_postal_code,
)

QUESTION_TYPES: Mapping[str, QuestionType] = {
    kind.name: kind
    for kind in (
        ChoiceType(),
        ChoicesType(),
        YesNoType(),
        NumberType(),
        MoneyType(),
        DateType(),
        LocationType(),
        PostalCodeType(),
    )
}

# Every type's default messages as "<kind>.<type>" (e.g. "invalid.date"): the flat table tests and the
# translations read.
DEFAULT_ERRORS: Mapping[str, str] = {
    f"{kind}.{name}": message for name, qtype in QUESTION_TYPES.items() for kind, message in qtype.messages.items()
}


def question_type(name: str) -> QuestionType:
    """The registered type of this name; KeyError for an unknown one (the loader refuses those first)."""
    return QUESTION_TYPES[name]


__all__ = [
    "DEFAULT_ERRORS",
    "MAX_FIELD_TEXT",
    "QUESTION_TYPES",
    "AnswerError",
    "ChoiceType",
    "ChoicesType",
    "DateType",
    "LocationAnswer",
    "LocationType",
    "MoneyType",
    "NumberType",
    "ParseContext",
    "PostalCodeType",
    "QuestionSpec",
    "QuestionType",
    "Raw",
    "YesNoType",
    "blank",
    "date_fields",
    "location_fields",
    "parse_int",
    "parse_money",
    "parse_number",
    "parse_postal_code",
    "question_type",
    "raw_text",
]
