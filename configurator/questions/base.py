"""What every question type shares: raw fields, the answer error, the parse context and the base class.

Raw answers are the strings a form posts (flat, keyed by field name) so that they survive round trips
through the session, a language switch and an error page unchanged; typed answers are derived from them
each time, by the question's type (one class per type, as GOV.UK Smart Answers has one per question type).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Protocol

from ..geo import PlaceResolver

Raw = Mapping[str, str]
MAX_FIELD_TEXT = 200  # the most a raw field keeps: far above any real answer, and what forms and the API cap at


@dataclass(frozen=True)
class AnswerError(Exception):
    """A validation failure: a msgid with values, attached to the field that should get focus."""

    message: str
    field: str
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    kind: str = "invalid"  # which entry of a question's `errors:` may replace the message


@dataclass(frozen=True)
class ParseContext:
    today: date
    places: PlaceResolver
    answers: Mapping[str, Any]  # answers parsed so far, for rules that compare with another answer


class QuestionSpec(Protocol):
    """What a type reads from a question (configurator.lifeevents.Question has it; so can a test's stand-in)."""

    @property
    def id(self) -> str: ...

    @property
    def option_values(self) -> tuple[str, ...]: ...

    @property
    def rules(self) -> Mapping[str, Any]: ...

    @property
    def errors(self) -> Mapping[str, str]: ...


def raw_text(raw: Raw, name: str) -> str:
    """A raw field's text; anything that is not text (a value kept by an older version, a tampered store) is no
    answer, so a stored value can make a question unanswered but never make a page fail."""
    value = raw.get(name) if isinstance(raw, Mapping) else None
    return value if isinstance(value, str) else ""


def blank(text: object) -> bool:
    return not isinstance(text, str) or not text.strip()


class QuestionType:
    """One kind of question: its form fields, how raw text becomes its typed value, the rules it takes, the
    template that renders it, and the prefill values that fit it.

    Subclasses set ``name`` (the ``type:`` of a life-event file) and override what differs; the registry in
    configurator.questions holds one instance of each, so a new type is one class and one template.
    """

    name: ClassVar[str]
    # Default messages by error kind ("required", "invalid", a rule's name ...); a question's `errors:` may
    # replace any of them.
    messages: ClassVar[Mapping[str, str]] = {}
    rules: ClassVar[tuple[str, ...]] = ()  # the names a question of this type may give under `rules:`
    min_options: ClassVar[int] = 0  # a choice needs at least two options to choose from
    # The shapes of prefill values (configurator.profile.PrefillSource.gives) this type can be filled from.
    prefill_shapes: ClassVar[tuple[str, ...]] = ()
    is_place: ClassVar[bool] = False  # its answer is a place: coverage notes and the map picker apply

    @property
    def error_kinds(self) -> frozenset[str]:
        """The kinds a question's ``errors:`` may give its own message for: what parsing and the rules raise."""
        return frozenset(self.messages) | {"invalid"}

    @property
    def template(self) -> str:
        """The template with this type's ``input`` and ``answer`` macros (templates/questions/<name>.html)."""
        return f"questions/{self.name}.html"

    def field_names(self, qid: str) -> tuple[str, ...]:
        """The form fields a question of this type posts."""
        return (qid,)

    def first_field(self, qid: str) -> str:
        """The field that gets focus when the answer is missing."""
        return self.field_names(qid)[0]

    def is_blank(self, qid: str, raw: Raw) -> bool:
        return all(blank(raw.get(name)) for name in self.field_names(qid))

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> Any:
        """The typed value from the question's raw fields; AnswerError on bad input, before any rule."""
        raise NotImplementedError

    def check_rules(self, question: QuestionSpec, value: Any, ctx: ParseContext, field: str) -> None:
        """Raise AnswerError when a parsed value breaks one of the question's ``rules``; most types have none."""

    def raw_from_json(self, qid: str, value: Any) -> dict[str, str]:
        """Map an API answer (JSON types) onto the raw fields a form posts, so one parser serves both."""
        if value is None:
            return {}
        return {qid: str(value)}

    def error(self, question: QuestionSpec, kind: str, field: str, **values: Any) -> AnswerError:
        """An error of ``kind`` with the question's own message for it, else this type's default."""
        return AnswerError(question.errors.get(kind) or self.messages[kind], field, values, kind)

    def __repr__(self) -> str:
        return f"<question type {self.name}>"
