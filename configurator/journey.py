"""Walking a life event: which steps show, parsing and validating answers, where to go next, and how a
posted step is merged into the newest answers without losing any.

Modelled on GOV.UK Smart Answers: the flow is derived from the data and the
answers each time, so changing one answer never loses the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .geo import PlaceResolver
from .lifeevents import LifeEvent, Question, Step
from .predicates import evaluate
from .questions import MAX_FIELD_TEXT, AnswerError, ParseContext, Raw, raw_text


@dataclass(frozen=True)
class StepResult:
    answers: dict[str, Any]
    errors: tuple[tuple[Question, AnswerError], ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def question_value(question: Question, raw: Raw, ctx: ParseContext) -> Any:
    """The question's typed value from its raw fields, with what its type needs from the question (the options
    of a choice, the decimals a number allows); AnswerError on bad input, before any rule is checked."""
    return question.kind.parse(question, raw, ctx)


def parse_question(question: Question, raw: Raw, ctx: ParseContext) -> Any:
    """The typed answer, None when an optional question is left blank; AnswerError otherwise."""
    kind = question.kind
    first_field = kind.first_field(question.id)
    if kind.is_blank(question.id, raw):
        if question.required:
            raise kind.error(question, "required", first_field)
        return None
    try:
        value = question_value(question, raw, ctx)
    except AnswerError as exc:
        override = question.errors.get(exc.kind)
        raise (replace(exc, message=override) if override else exc) from None
    kind.check_rules(question, value, ctx, first_field)
    return value


def visible_questions(step: Step, answers: Mapping[str, Any], today: date) -> tuple[Question, ...]:
    return tuple(q for q in step.questions if evaluate(q.show_if, answers, today))


def parse_step(step: Step, raw: Raw, earlier: Mapping[str, Any], today: date, places: PlaceResolver) -> StepResult:
    """Validate one step's visible questions; show-if sees answers given earlier in the same step too."""
    answers: dict[str, Any] = dict(earlier)
    errors: list[tuple[Question, AnswerError]] = []
    for question in step.questions:
        if not evaluate(question.show_if, answers, today):
            answers.pop(question.id, None)
            continue
        try:
            answers[question.id] = parse_question(question, raw, ParseContext(today, places, answers))
        except AnswerError as exc:
            answers.pop(question.id, None)
            errors.append((question, exc))
    return StepResult({k: v for k, v in answers.items() if k in {q.id for q in step.questions}}, tuple(errors))


@dataclass(frozen=True)
class Walk:
    """The state of a whole journey derived from raw answers."""

    answers: dict[str, Any]
    steps: tuple[Step, ...]  # visible steps in order
    first_incomplete: Step | None  # the first visible step with a missing or invalid answer

    @property
    def complete(self) -> bool:
        return self.first_incomplete is None

    def position(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps, start=1) if s.id == step_id)

    def next_step(self, step_id: str) -> Step | None:
        index = self.position(step_id)
        return self.steps[index] if index < len(self.steps) else None

    def previous_step(self, step_id: str) -> Step | None:
        index = self.position(step_id)
        return self.steps[index - 2] if index > 1 else None


def walk(event: LifeEvent, raw: Raw, today: date, places: PlaceResolver) -> Walk:
    """Parse every visible step in order; later steps can depend on earlier answers."""
    answers: dict[str, Any] = {}
    steps: list[Step] = []
    first_incomplete: Step | None = None
    for step in event.steps:
        if not evaluate(step.show_if, answers, today):
            continue
        steps.append(step)
        result = parse_step(step, raw, answers, today, places)
        answers.update(result.answers)
        if not result.ok and first_incomplete is None:
            first_incomplete = step
    return Walk(answers, tuple(steps), first_incomplete)


# --- The same answer, and merging answers without losing any ---------------------------------------------


def question_raw(question: Question, raw: Raw) -> dict[str, str]:
    """The question's own raw fields that hold something (blank fields are no answer)."""
    return {name: raw_text(raw, name) for name in question.kind.field_names(question.id) if raw_text(raw, name).strip()}


def parses(question: Question, raw: Raw, today: date, places: PlaceResolver) -> bool:
    try:
        question_value(question, raw, ParseContext(today, places, {}))
    except AnswerError:
        return False
    return True


def same_answer(question: Question, a: Raw, b: Raw, today: date, places: PlaceResolver) -> bool:
    """Whether two sets of raw fields give the question the same answer: the same text, or the same value
    ("09" and "9" are the same month, "50 000" and "50000" the same amount). Blank is the same only as blank."""
    mine, theirs = question_raw(question, a), question_raw(question, b)
    if {k: v.strip() for k, v in mine.items()} == {k: v.strip() for k, v in theirs.items()}:
        return True
    if not mine or not theirs:
        return False
    ctx = ParseContext(today, places, {})
    try:
        return bool(question_value(question, mine, ctx) == question_value(question, theirs, ctx))
    except AnswerError:
        return False


CHOICE_KINDS = ("window", "sign_in")


@dataclass(frozen=True)
class Choice:
    """Two answers to one question, of which the person keeps one: nothing is mixed, nothing silently lost.

    ``window``: the answer was changed in another window (or on another device) after this page was shown;
    ``saved`` is the newest kept answer, ``other`` what this page sent. ``sign_in``: the person typed ``other``
    before signing in, and ``saved`` is what their details or their saved plan say.
    """

    kind: str
    saved: dict[str, str]
    other: dict[str, str]


VERSION_FIELD = "answers_version"


def answer_version(question: Question, raw: Raw, store: str) -> str:
    """A short fingerprint of the kept answer to one question in one store (a saved plan, or the session):
    a page carries it for each question it shows, so a later post can tell whether the answer changed since."""
    values = [raw_text(raw, name).strip() for name in question.kind.field_names(question.id)]
    return hashlib.sha256(json.dumps([store, question.id, values]).encode()).hexdigest()[:12]


def step_version(questions: Iterable[Question], raw: Raw, store: str) -> str:
    """The hidden version field of a step page: ``qid=fingerprint`` for each question shown."""
    return "|".join(f"{q.id}={answer_version(q, raw, store)}" for q in questions)


def read_versions(text: str | None) -> dict[str, str] | None:
    """The fingerprints a posted page carried; None when the post has no version field at all."""
    if text is None:
        return None
    pairs = (part.split("=", 1) for part in text.split("|") if "=" in part)
    return {qid: fingerprint for qid, fingerprint in pairs}


@dataclass(frozen=True)
class Submission:
    """What a posted step does to the kept answers."""

    changes: dict[str, str | None]  # raw fields to set; None removes one
    shown: frozenset[str]  # questions that were on the posted page
    answered: frozenset[str]  # questions this post answered (their choices are made)
    conflicts: dict[str, Choice] = field(default_factory=dict)  # changed elsewhere since the page was shown
    unchosen: dict[str, Choice] = field(default_factory=dict)  # a choice offered and not made

    def apply(self, raw: Raw) -> dict[str, str]:
        merged = dict(raw)
        for name, value in self.changes.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        return merged


def _posted(form: Mapping[str, list[str]], name: str) -> str:
    return ",".join(form.get(name, []))[:MAX_FIELD_TEXT]


def _offered(question: Question, form: Mapping[str, list[str]]) -> Choice | None:
    """The choice between two answers the posted page offered for this question, if it offered one."""
    kind = _posted(form, f"{question.id}-choice-kind")
    if kind not in CHOICE_KINDS:
        return None
    names = question.kind.field_names(question.id)
    return Choice(
        kind,
        {n: _posted(form, f"saved-{n}") for n in names if _posted(form, f"saved-{n}")},
        {n: _posted(form, f"other-{n}") for n in names if _posted(form, f"other-{n}")},
    )


def read_submission(
    step: Step, stored: Raw, form: Mapping[str, list[str]], store: str, same: Callable[[Question, Raw, Raw], bool]
) -> Submission:
    """Merge a posted step into the newest kept answers (``stored``), question by question.

    Only this step's questions are touched, so a page of another step sent from an older window changes
    nothing else. A question whose kept answer changed since the page was shown (its fingerprint differs)
    and that now differs from what the page sent is a conflict: nothing is applied to it and both answers go
    back to the person. A post without a version field (a client that is not one of our pages) is applied
    as it is, the step's fields replaced by those posted.
    """
    versions = read_versions(form[VERSION_FIELD][0] if form.get(VERSION_FIELD) else None)
    names = [name for q in step.questions for name in q.kind.field_names(q.id)]
    if versions is None:
        changes: dict[str, str | None] = {name: None for name in names}
        changes.update({name: _posted(form, name) for name in names if name in form})
        posted = frozenset(q.id for q in step.questions if any(n in form for n in q.kind.field_names(q.id)))
        return Submission(changes, posted, posted)
    changes = {}
    conflicts: dict[str, Choice] = {}
    unchosen: dict[str, Choice] = {}
    answered: set[str] = set()
    for question in step.questions:
        if question.id not in versions:
            continue  # not on the page that was sent: left as it is
        fields = question.kind.field_names(question.id)
        offered = _offered(question, form)
        if offered is not None:
            pick = _posted(form, f"{question.id}-choice")
            if pick not in ("saved", "other"):
                unchosen[question.id] = offered
                continue
            sent = offered.saved if pick == "saved" else offered.other
        else:
            sent = {name: _posted(form, name) for name in fields if name in form}
        kept = question_raw(question, stored)
        if answer_version(question, stored, store) != versions[question.id] and not same(question, sent, kept):
            conflicts[question.id] = Choice("window", kept, question_raw(question, sent))
            continue
        changes.update({name: sent.get(name) for name in fields})
        answered.add(question.id)
    return Submission(
        changes, frozenset(versions) & {q.id for q in step.questions}, frozenset(answered), conflicts, unchosen
    )


def merge_typed(
    questions: Iterable[Question], base: Raw, typed: Raw, today: date, places: PlaceResolver
) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Answers typed before signing in, merged into a plan's answers (``base``: the person's details, or
    their saved plan): a typed answer fills a question the base leaves open; where both answer a question
    differently, the base's answer is kept whole and the typed one is returned as a choice for the person
    (question id -> its raw fields), never mixed field by field. A typed answer that is no valid answer
    (half a date) does not compete with a valid one."""
    merged = dict(base)
    choices: dict[str, dict[str, str]] = {}
    for question in questions:
        mine = question_raw(question, typed)
        if not mine:
            continue
        theirs = question_raw(question, base)
        if not theirs:
            for name in question.kind.field_names(question.id):
                merged.pop(name, None)
            merged.update(mine)
        elif not same_answer(question, mine, theirs, today, places) and parses(question, mine, today, places):
            choices[question.id] = mine
    return merged, choices
