"""Walking a life event: which steps show, parsing and validating answers, where to go next.

Modelled on GOV.UK Smart Answers: the flow is derived from the data and the
answers each time, so changing one answer never loses the others.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Mapping

from dateutil.relativedelta import relativedelta

from .answers import DEFAULT_ERRORS, AnswerError, ParseContext, Raw, is_blank, parse_value
from .geo import PlaceResolver
from .lifeevents import LifeEvent, Question, Step
from .predicates import evaluate


@dataclass(frozen=True)
class StepResult:
    answers: dict[str, Any]
    errors: tuple[tuple[Question, AnswerError], ...]

    @property
    def ok(self) -> bool:
        return not self.errors


def _error(question: Question, kind: str, field: str, **values: Any) -> AnswerError:
    message = question.errors.get(kind) or DEFAULT_ERRORS.get(f"{kind}.{question.type}") or DEFAULT_ERRORS[kind]
    return AnswerError(message, field, values, kind)


def _check_rules(question: Question, value: Any, ctx: ParseContext, field: str) -> None:
    rules = question.rules
    if question.type in ("number", "money"):
        if "min" in rules and value < rules["min"]:
            raise _error(question, "min", field, min=rules["min"], max=rules.get("max"))
        if "max" in rules and value > rules["max"]:
            raise _error(question, "max", field, min=rules.get("min"), max=rules["max"])
        bound = rules.get("max_answer")
        other = ctx.answers.get(bound["question"]) if bound else None
        if other is not None and value > other + bound.get("offset", 0):
            raise _error(question, "max_answer", field, max=other + bound.get("offset", 0))
    if question.type != "date":
        return
    if rules.get("not_before_today") and value < ctx.today:
        raise _error(question, "not_before_today", field)
    if rules.get("not_after_today") and value > ctx.today:
        raise _error(question, "not_after_today", field)
    years = rules.get("max_years_before_today")
    if years and value < ctx.today - relativedelta(years=years):
        raise _error(question, "max_years_before_today", field, years=years)
    years = rules.get("max_years_after_today")
    if years and value > ctx.today + relativedelta(years=years):
        raise _error(question, "max_years_after_today", field, years=years)
    other = ctx.answers.get(rules.get("after", ""))
    if other is not None and value <= other:
        raise _error(question, "after", field)


def parse_question(question: Question, raw: Raw, ctx: ParseContext) -> Any:
    """The typed answer, None when an optional question is left blank; AnswerError otherwise."""
    first_field = f"{question.id}-day" if question.type == "date" else (
        f"{question.id}-postal_code" if question.type == "location" else question.id)
    if is_blank(question.id, question.type, raw):
        if question.required:
            raise _error(question, "required", first_field)
        return None
    try:
        value = parse_value(question.id, question.type, raw, ctx, question.option_values)
    except AnswerError as exc:
        override = question.errors.get(exc.kind)
        raise (replace(exc, message=override) if override else exc) from None
    _check_rules(question, value, ctx, first_field)
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
    steps: tuple[Step, ...]          # visible steps in order
    first_incomplete: Step | None    # the first visible step with a missing or invalid answer

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
