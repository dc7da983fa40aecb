"""Reading a life-event file: typed models check its structure, then checks that need the whole event.

Why two layers: the models (pydantic v2, one per mapping of the file) say what each part is (its keys,
their types, the names it may use: question types, predicates, channels, figures, comparison kinds), so
a broken file fails with its path, ``ecec.yaml: steps[2].questions[0].type: unknown type 'colour'``.
What refers from one part to another (a deadline counting from a date question, an organisation taking
its municipality from a location question, the parameters a deadline names) is checked after, on the
domain types, and named the same way. Everything is checked at start-up and in the tests, so a typo
fails loudly instead of hiding a question.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..comparisons import COMPARISONS, ComparisonOptionsError
from ..figures import FIGURES
from ..names import LocalizedError, parse_localized
from ..parameters import ParameterError, default_parameters
from ..predicates import PREDICATES, condition_names
from ..profile import ACTING_FOR, PREFILL_SOURCES
from ..questions import QUESTION_TYPES, QuestionType
from ..schemas import Problem
from ..schemas.errors import format_path
from ..service_points import SERVICE_KINDS
from ..suggestions import parse_suggest
from .model import (
    ALIGNMENTS,
    CHANNELS,
    DAY_OF_MONTH_UNIT,
    EVENTS_DIR,
    MAP_LAYERS,
    MAX_DECIMALS,
    MAX_MINUTES,
    OFFSET_UNITS,
    PERIOD_UNITS,
    REPEAT_FROM,
    AtHand,
    BeforeYouStart,
    ChecklistItem,
    ComparisonSpec,
    Condition,
    ContinueWith,
    DueRule,
    LifeEvent,
    LifeEventError,
    Option,
    OrganisationRef,
    Question,
    Repeat,
    Step,
)

# --- field types --------------------------------------------------------------------------------------


def _name(info: ValidationInfo) -> str:
    return (info.field_name or "value").rstrip("_")


def _text(value: Any, info: ValidationInfo) -> str:
    """A required text: missing, empty or null is "'label' is required", as a person reads it."""
    if value is None or value == "":
        raise ValueError(f"'{_name(info)}' is required")
    if not isinstance(value, str):
        raise ValueError(f"'{_name(info)}' must be a text, not {value!r}")  # noqa: TRY004 - pydantic reports only ValueError
    return value


def _condition(value: Any) -> Condition:
    """``show_if`` / ``when``: a predicate's name ("not name" negates) or a list of them, all registered."""
    if value is None:
        return None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) and name for name in names):
        raise ValueError("a condition is a predicate's name or a list of them")
    for name in condition_names(value):
        if name not in PREDICATES:
            raise ValueError(f"unknown predicate '{name}'")
    return value if isinstance(value, str) else list(names)


def _option_value(value: Any, info: ValidationInfo) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # `value: 3` is the option "3"
    return _text(value, info)


def _one_of(vocabulary: Any, what: str) -> Any:
    def check(value: Any) -> Any:
        if value is not None and value not in vocabulary:
            raise ValueError(f"unknown {what} '{value}'")
        return value

    return BeforeValidator(check)


Text = Annotated[str, BeforeValidator(_text)]
Cond = Annotated[Any, BeforeValidator(_condition)]


class FileModel(BaseModel):
    """A mapping of an event file: an unknown key is an error (a typo must not be ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# --- the models ---------------------------------------------------------------------------------------


class OptionFile(FileModel):
    value: Annotated[str, BeforeValidator(_option_value)]
    label: Text


def _kind(info: ValidationInfo) -> QuestionType | None:
    """The question's type, when it was valid (the checks that depend on it are skipped otherwise)."""
    name = info.data.get("type")
    return QUESTION_TYPES.get(name) if isinstance(name, str) else None


class QuestionFile(FileModel):
    id: Text
    type: Annotated[str, _one_of(QUESTION_TYPES, "type")]
    label: Text
    hint: str | None = None
    required: StrictBool = True
    options: tuple[OptionFile, ...] = ()
    show_if: Cond = None
    rules: dict[str, Any] = Field(default_factory=dict)
    errors: dict[str, str] = Field(default_factory=dict)
    input_width: StrictInt | None = None
    autocomplete: str | None = None
    map_layer: str | None = None  # a location question's map picker may show these places for orientation
    prefill: str | None = None  # a source in configurator.profile.PREFILL_SOURCES ("ask only once")
    private: StrictBool = False  # kept in the browser session only, never in a saved plan

    @field_validator("options")
    @classmethod
    def _options(cls, options: tuple[OptionFile, ...], info: ValidationInfo) -> tuple[OptionFile, ...]:
        kind = _kind(info)
        if kind is not None and len(options) < kind.min_options:
            raise ValueError("a choice needs at least two options")
        values = [option.value for option in options]
        if len(set(values)) != len(values) or any("," in value for value in values):
            raise ValueError("option values must be unique and contain no commas")
        return options

    @field_validator("rules")
    @classmethod
    def _rules(cls, rules: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        kind = _kind(info)
        for rule in rules:
            if kind is not None and rule not in kind.rules:
                raise ValueError(f"rule '{rule}' does not apply to type '{kind.name}'")
        decimals = rules.get("decimals", 0)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
            raise ValueError(f"'decimals' must be a whole number from 0 to {MAX_DECIMALS}")
        return rules

    @field_validator("errors")
    @classmethod
    def _errors(cls, errors: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        kind = _kind(info)
        unknown = sorted(set(errors) - kind.error_kinds) if kind is not None else []
        if kind is not None and unknown:
            raise ValueError(
                f"no error of kind {unknown} on a '{kind.name}' question; it has {sorted(kind.error_kinds)}"
            )
        return errors

    @field_validator("map_layer")
    @classmethod
    def _map_layer(cls, layer: str | None, info: ValidationInfo) -> str | None:
        kind = _kind(info)
        if layer is not None and (kind is None or not kind.is_place or layer not in MAP_LAYERS):
            raise ValueError(f"map_layer must be one of {MAP_LAYERS} on a location question")
        return layer

    @field_validator("prefill")
    @classmethod
    def _prefill(cls, name: str | None, info: ValidationInfo) -> str | None:
        kind = _kind(info)
        if (
            name is not None
            and kind is not None
            and (name not in PREFILL_SOURCES or PREFILL_SOURCES[name].gives not in kind.prefill_shapes)
        ):
            raise ValueError(
                f"prefill must be a source in configurator.profile.PREFILL_SOURCES "
                f"that fills a '{kind.name}' question, not '{name}'"
            )
        return name


class StepFile(FileModel):
    id: Text
    title: Text
    questions: Annotated[tuple[QuestionFile, ...], Field(min_length=1)]
    intro: str | None = None
    show_if: Cond = None


def _offset(value: Any) -> Any:
    if not isinstance(value, Mapping):
        raise ValueError(f"bad offset {value!r}: a mapping of {list(OFFSET_UNITS)} to whole numbers")  # noqa: TRY004
    for unit, amount in value.items():
        if unit not in OFFSET_UNITS or isinstance(amount, bool) or not isinstance(amount, int):
            raise ValueError(f"bad offset {unit}: {amount}")
    return value


def _every(value: Any) -> Any:
    """A recurring task's practical interval: exactly one unit of OFFSET_UNITS and a positive whole number."""
    if not isinstance(value, Mapping) or len(value) != 1:
        raise ValueError(f"bad interval {value!r}: one of {list(OFFSET_UNITS)} and a whole number, like {{months: 12}}")  # noqa: TRY004
    ((unit, amount),) = value.items()
    if unit not in OFFSET_UNITS or isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValueError(f"bad interval {unit}: {amount}; one of {list(OFFSET_UNITS)} and a whole number from 1")
    return value


def _times(value: Any) -> Any:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError("'times' must be a whole number from 1")
    return value


class RepeatFile(FileModel):
    """A recurring task: ``every`` (a practical interval) or ``period`` (a legal one, a parameter), from the day
    it was ticked (``count_from: done``) or on a fixed schedule (``count_from: due``), ``until`` a date answer
    or for ``times`` occurrences."""

    every: Annotated[dict[str, int] | None, BeforeValidator(_every)] = None
    period: str | None = None
    count_from: Annotated[str, _one_of(REPEAT_FROM, "count_from")]
    until: str | None = None
    times: Annotated[int | None, BeforeValidator(_times)] = None

    @model_validator(mode="after")
    def _one_interval(self) -> RepeatFile:
        if (self.every is None) == (self.period is None):
            raise ValueError("a recurring task repeats either 'every' an interval or by a legal 'period', one of them")
        if self.until is not None and self.times is not None:
            raise ValueError("a recurring task ends either 'until' a date or after 'times' occurrences, not both")
        if self.times is not None and self.count_from != "due":
            raise ValueError("'times' needs a fixed schedule ('count_from: due')")
        return self


class DueFile(FileModel):
    """A deadline: from a date answer (or today), ``before:``/``after:`` a legal period, or a practical offset."""

    from_: Annotated[str, BeforeValidator(_text)] = Field(alias="from")
    offset: Annotated[dict[str, int], BeforeValidator(_offset)] = Field(default_factory=dict)
    before: str | None = None
    after: str | None = None
    align: Annotated[str | None, _one_of(ALIGNMENTS, "align")] = None
    when: Cond = None
    explanation: str | None = None
    day_of_month: str | None = None  # a parameter in unit "day-of-month": the deadline falls on that day
    repeat: RepeatFile | None = None  # when this rule applies, the task repeats so (instead of the item's repeat)

    @model_validator(mode="after")
    def _one_period(self) -> DueFile:
        if self.before is not None and self.after is not None:
            raise ValueError("a deadline is either 'before' or 'after' a legal period, not both")
        if self.day_of_month is not None and self.align is not None:
            raise ValueError("a deadline is either aligned or set to a day of the month, not both")
        return self


class ContinueFile(FileModel):
    """``continue_with``: another life event's id and ``answers``, its question ids mapped to this event's."""

    event: Text
    answers: Annotated[dict[str, str], Field(min_length=1)]


class ItemFile(FileModel):
    id: Text
    title: Text
    why: Text
    responsible: Text
    channel: Annotated[str, _one_of(CHANNELS, "channel")]
    due: tuple[DueFile, ...] = ()
    show_if: Cond = None
    how: str | None = None
    figures: tuple[Annotated[str, _one_of(FIGURES, "figure")], ...] = ()
    repeat: RepeatFile | None = None
    continue_with: ContinueFile | None = None

    @model_validator(mode="after")
    def _first_date(self) -> ItemFile:
        if (self.repeat is not None or any(d.repeat for d in self.due)) and not self.due:
            raise ValueError("a recurring task needs a first due date ('due')")
        return self


def _url(value: Any) -> Any:
    try:
        return parse_localized(value, "", url=True)
    except LocalizedError as error:
        raise ValueError(str(error).removeprefix(": ")) from None


class OrganisationFile(FileModel):
    id: Text
    name: str | None = None
    municipality_of: str | None = None
    service_kind: str | None = None
    url: Annotated[Any, BeforeValidator(_url)] = None  # the site's address in each language it has a version in
    phone: str | None = None


class ComparisonFile(BaseModel):
    """A comparison kind and its options (the kind checks them against the event's questions, later)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: Annotated[str, _one_of(COMPARISONS, "comparison kind")]


class AtHandFile(FileModel):
    label: Text
    hint: str | None = None


def _at_hand(items: Any) -> Any:
    if not isinstance(items, list) or not items:
        raise ValueError("'at_hand' must list at least one thing to have at hand")
    if not all(isinstance(item, Mapping) and not set(item) - {"label", "hint"} for item in items):
        raise ValueError("each 'at_hand' item is a mapping of 'label' and an optional 'hint'")
    return items


def _minutes(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        raise ValueError(f"'minutes' must be a whole number from 1 to {MAX_MINUTES}")
    return value


class BeforeYouStartFile(FileModel):
    """The start page's promise: whole minutes (1 to MAX_MINUTES) and at least one thing to have at hand."""

    minutes: Annotated[int, BeforeValidator(_minutes)]
    at_hand: Annotated[tuple[AtHandFile, ...], BeforeValidator(_at_hand)]

    @model_validator(mode="before")
    @classmethod
    def _mapping(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or set(data) - {"minutes", "at_hand"}:
            raise ValueError("expected a mapping of ['at_hand', 'minutes']")
        return data


class EventFile(FileModel):
    """A whole life-event file (configurator/events/<id>.yaml)."""

    id: Text
    title: Text
    summary: Text
    start_label: Text = "Start now"
    codes: dict[str, str] = Field(default_factory=dict)
    acting_for: Annotated[str, _one_of(ACTING_FOR, "acting_for")] = "self"
    parameters: tuple[str, ...] = ()  # the parameter files (configurator/parameters/<name>.yaml) its rules use
    values: dict[str, str] = Field(default_factory=dict)  # {placeholder: parameter} for the texts' {braces}
    before_you_start: BeforeYouStartFile | None = None
    comparisons: tuple[ComparisonFile, ...] = ()
    organisations: tuple[OrganisationFile, ...] = ()
    steps: Annotated[tuple[StepFile, ...], Field(min_length=1)]
    checklist: tuple[ItemFile, ...] = ()
    # Rules that suggest the event from what the portal knows of a person: checked by
    # configurator.suggestions.parse_suggest, which needs the questions (parse_life_event).
    suggest: Any = None


# --- errors -------------------------------------------------------------------------------------------


def _problems(error: ValidationError) -> list[Problem]:
    """Pydantic's errors as problems, with a validator's own sentence instead of "Value error, ...", and a
    missing key said as the loader always said it ("'label' is required")."""
    found = []
    for detail in error.errors(include_url=False):
        kind, loc = detail["type"], detail["loc"]
        if kind == "missing":
            problem = f"'{loc[-1]}' is required"
        elif kind == "extra_forbidden":
            problem = f"unknown key '{loc[-1]}'"
        elif kind == "value_error" and (detail.get("ctx") or {}).get("error") is not None:
            problem = str(detail["ctx"]["error"])
        else:
            problem = f"{detail['msg']}, not {detail['input']!r}"[:200]
        found.append(Problem(format_path(loc), problem))
    return found


# --- building the domain types and checking references -------------------------------------------------


def _due(due: DueFile) -> DueRule:
    return DueRule(
        anchor=due.from_,
        offset=dict(due.offset),
        align=due.align,
        when=due.when,
        explanation=due.explanation,
        period=due.before or due.after,
        sign=-1 if due.before is not None else 1,
        day_of_month=due.day_of_month,
        repeat=_repeat(due.repeat),
    )


def _repeat(repeat: RepeatFile | None) -> Repeat | None:
    if repeat is None:
        return None
    return Repeat(
        every=dict(repeat.every or {}),
        period=repeat.period,
        count_from=repeat.count_from,
        until=repeat.until,
        times=repeat.times,
    )


def _event(model: EventFile) -> LifeEvent:
    """The domain types from a file that passed its models."""
    return LifeEvent(
        id=model.id,
        title=model.title,
        summary=model.summary,
        codes=dict(model.codes),
        steps=tuple(
            Step(
                id=s.id,
                title=s.title,
                intro=s.intro,
                show_if=s.show_if,
                questions=tuple(
                    Question(
                        id=q.id,
                        type=q.type,
                        label=q.label,
                        hint=q.hint,
                        required=q.required,
                        options=tuple(Option(o.value, o.label) for o in q.options),
                        show_if=q.show_if,
                        rules=dict(q.rules),
                        errors=dict(q.errors),
                        input_width=q.input_width,
                        autocomplete=q.autocomplete,
                        map_layer=q.map_layer,
                        prefill=q.prefill,
                        private=q.private,
                    )
                    for q in s.questions
                ),
            )
            for s in model.steps
        ),
        checklist=tuple(
            ChecklistItem(
                id=i.id,
                title=i.title,
                why=i.why,
                responsible=i.responsible,
                channel=i.channel,
                due=tuple(_due(d) for d in i.due),
                show_if=i.show_if,
                how=i.how,
                figures=i.figures,
                repeat=_repeat(i.repeat),
                continue_with=ContinueWith(i.continue_with.event, dict(i.continue_with.answers))
                if i.continue_with
                else None,
            )
            for i in model.checklist
        ),
        organisations={
            o.id: OrganisationRef(
                id=o.id,
                name=o.name,
                municipality_of=o.municipality_of,
                service_kind=o.service_kind,
                url=o.url,
                phone=o.phone,
            )
            for o in model.organisations
        },
        comparisons=tuple(ComparisonSpec(kind=c.kind, options=dict(c.model_extra or {})) for c in model.comparisons),
        start_label=model.start_label,
        acting_for=model.acting_for,
        parameters=model.parameters,
        values=dict(model.values),
        before_you_start=BeforeYouStart(
            model.before_you_start.minutes,
            tuple(AtHand(label=a.label, hint=a.hint) for a in model.before_you_start.at_hand),
        )
        if model.before_you_start
        else None,
    )


def _references(event: LifeEvent) -> Iterator[Problem]:
    """(path, problem) for each reference between parts of the file that leads nowhere or to the wrong kind."""
    where: dict[str, str] = {}
    questions: dict[str, Question] = {}
    for i, step in enumerate(event.steps):
        for j, question in enumerate(step.questions):
            path = f"steps[{i}].questions[{j}]"
            if question.id in questions:
                yield Problem(
                    f"{path}.id", f"question ids must be unique: '{question.id}' is also at {where[question.id]}"
                )
            questions.setdefault(question.id, question)
            where.setdefault(question.id, path)
    for qid, question in questions.items():
        bound = question.rules.get("max_answer")
        target = bound.get("question") if isinstance(bound, dict) else None
        if bound is not None and (
            not isinstance(target, str) or target not in questions or questions[target].type != "number"
        ):
            yield Problem(f"{where[qid]}.rules.max_answer", "'max_answer' must name a number question")
        other = question.rules.get("after")
        if other is not None and (other not in questions or questions[other].type != "date"):
            yield Problem(f"{where[qid]}.rules.after", "'after' must name a date question")
    seen: set[str] = set()
    for k, org in enumerate(event.organisations.values()):
        if org.municipality_of and (
            org.municipality_of not in questions or not questions[org.municipality_of].kind.is_place
        ):
            yield Problem(f"organisations[{k}].municipality_of", f"no location question '{org.municipality_of}'")
        if org.service_kind is not None and (org.service_kind not in SERVICE_KINDS or not org.municipality_of):
            yield Problem(
                f"organisations[{k}].service_kind",
                f"service_kind must be one of {sorted(SERVICE_KINDS)} and needs municipality_of",
            )
    for k, spec in enumerate(event.comparisons):
        if spec.kind in seen:
            yield Problem(f"comparisons[{k}].kind", "a comparison kind may appear only once")
        seen.add(spec.kind)
        check = COMPARISONS[spec.kind].check_options
        if check is not None:
            try:
                check(spec.options, questions)
            except ComparisonOptionsError as error:
                yield Problem(f"comparisons[{k}]", f"comparison '{spec.kind}': {error}")
    for k, item in enumerate(event.checklist):
        if item.responsible not in event.organisations:
            yield Problem(f"checklist[{k}].responsible", f"unknown organisation '{item.responsible}'")
        for m, rule in enumerate(item.due):
            if rule.anchor != "today" and (rule.anchor not in questions or questions[rule.anchor].type != "date"):
                yield Problem(f"checklist[{k}].due[{m}].from", "the due date must count from a date question or today")
        for target, source in (item.continue_with.answers if item.continue_with else {}).items():
            if source not in questions:
                yield Problem(f"checklist[{k}].continue_with.answers.{target}", f"no question '{source}' to carry")
            elif questions[source].private:
                yield Problem(
                    f"checklist[{k}].continue_with.answers.{target}",
                    f"'{source}' is private: it stays in this browser session and is never carried to another plan",
                )
        repeats = [("repeat", item.repeat)] + [(f"due[{m}].repeat", rule.repeat) for m, rule in enumerate(item.due)]
        for where_, repeat in repeats:
            until = repeat.until if repeat else None
            if until is not None and (until not in questions or questions[until].type != "date"):
                yield Problem(f"checklist[{k}].{where_}.until", f"'until' must name a date question, not '{until}'")


def _parameters(event: LifeEvent) -> Iterator[Problem]:
    """Every figure an event names exists in a parameter file it declares, and no deadline restates one.

    A literal offset equal to a time limit of those files (4 months, 2 weeks ...) would be a second
    copy of a legal figure that stays behind when the law changes, so it is refused here. A recurring
    task's practical interval (``repeat.every``) is not compared: a check-up every 12 months has nothing
    to do with a legal 12 months of the same area, and a legal interval is written as ``repeat.period``.
    """
    params = default_parameters()
    known = {name.split(".", 1)[0] for name in params.names()}
    for k, area in enumerate(event.parameters):
        if area not in known:
            yield Problem(f"parameters[{k}]", f"unknown parameter file '{area}' in 'parameters'")
    named = [(f"values.{key}", name, False) for key, name in event.values.items()]
    named += [
        (f"checklist[{k}].due[{m}].{'before' if rule.sign < 0 else 'after'}", rule.period, True)
        for k, item in enumerate(event.checklist)
        for m, rule in enumerate(item.due)
        if rule.period
    ]
    named += [
        (f"checklist[{k}].repeat.period", item.repeat.period, True)
        for k, item in enumerate(event.checklist)
        if item.repeat and item.repeat.period
    ]
    named += [
        (f"checklist[{k}].due[{m}].repeat.period", rule.repeat.period, True)
        for k, item in enumerate(event.checklist)
        for m, rule in enumerate(item.due)
        if rule.repeat and rule.repeat.period
    ]
    days = [
        (f"checklist[{k}].due[{m}].day_of_month", rule.day_of_month)
        for k, item in enumerate(event.checklist)
        for m, rule in enumerate(item.due)
        if rule.day_of_month
    ]
    named += [(path, name, False) for path, name in days]
    for path, name, period in named:
        if name.split(".", 1)[0] not in event.parameters:
            yield Problem(path, f"'{name}' is not in a parameter file listed in 'parameters'")
            continue
        try:
            unit = params.unit(name)
        except ParameterError as error:
            yield Problem(path, str(error))
            continue
        if period and unit not in PERIOD_UNITS:
            yield Problem(path, f"'{name}' is in {unit}, not a time unit {sorted(PERIOD_UNITS)}")
        if (path, name) in days and unit != DAY_OF_MONTH_UNIT:
            yield Problem(path, f"'{name}' is in {unit}, not '{DAY_OF_MONTH_UNIT}'")
    # The months of a due date on a legal day of the month ("the 12th of the second month after") count to a
    # day of a payment schedule, not a time limit that practical advice could restate: not compared.
    schedules = {rule.period for item in event.checklist for rule in item.due if rule.day_of_month and rule.period}
    limits = _time_limits(params, event.parameters, schedules)
    for k, item in enumerate(event.checklist):
        for m, rule in enumerate(item.due):
            restated = limits.get(_span(rule.offset)) if rule.offset else None
            if restated:
                yield Problem(
                    f"checklist[{k}].due[{m}].offset",
                    f"offset {dict(rule.offset)} restates the legal figure '{restated}'; "
                    f"write 'before: {restated}' or 'after: {restated}'",
                )


def _span(offset: Mapping[str, int]) -> tuple[str, int]:
    """An offset as a comparable length: whole months (months, years) or days (days, weeks), sign dropped."""
    months = abs(offset.get("months", 0) + 12 * offset.get("years", 0))
    days = abs(offset.get("days", 0) + 7 * offset.get("weeks", 0))
    return ("months", months) if months and not days else ("days", days) if days and not months else ("mixed", 0)


def _time_limits(params: Any, areas: tuple[str, ...], skip: set[str]) -> dict[tuple[str, int], str]:
    """Every value any time-limit parameter of ``areas`` (but those in ``skip``) has had, as a span, mapped to its
    name."""
    limits: dict[tuple[str, int], str] = {}
    for name in params.names():
        unit = params.unit(name)
        if name.split(".", 1)[0] not in areas or unit not in PERIOD_UNITS or name in skip:
            continue
        for value in params.known_values(name):
            if value == int(value) and value:
                limits.setdefault(_span({PERIOD_UNITS[unit]: int(value)}), name)
    return limits


# --- loading ------------------------------------------------------------------------------------------


def parse_life_event(data: Any, where: str = "life event") -> LifeEvent:
    """Build and validate a LifeEvent from the mapping in a data file (``where``: the file's name)."""
    try:
        model = EventFile.model_validate(data)
    except ValidationError as error:
        raise LifeEventError(where, _problems(error)) from None
    event = _event(model)
    problems = list(_references(event)) or list(_parameters(event))
    rules, suggest_problems = parse_suggest(model.suggest, {q.id: q for q in event.questions()}, event.acting_for)
    problems += suggest_problems
    if problems:
        raise LifeEventError(where, problems)
    return replace(event, suggestions=rules) if rules else event


def load_life_events(directory: Path = EVENTS_DIR) -> dict[str, LifeEvent]:
    """Load every *.yaml life event in the directory, failing on the first invalid file."""
    events: dict[str, LifeEvent] = {}
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            event = parse_life_event(yaml.safe_load(handle), where=path.name)
        if event.id in events:
            raise LifeEventError(path.name, [Problem("id", f"duplicate life event id '{event.id}'")])
        events[event.id] = event
    for event in events.values():
        problems = list(_continuations(event, events))
        if problems:
            raise LifeEventError(f"{event.id}.yaml", problems)
    return events


def _continuations(event: LifeEvent, events: Mapping[str, LifeEvent]) -> Iterator[Problem]:
    """Each ``continue_with`` names another loaded event and carries answers between questions of the same type,
    so the carried raw fields parse there as they did here (checked once every file is read)."""
    for k, item in enumerate(event.checklist):
        link = item.continue_with
        if link is None:
            continue
        target = events.get(link.event)
        if target is None or target.id == event.id:
            yield Problem(f"checklist[{k}].continue_with.event", f"no other life event '{link.event}'")
            continue
        for qid, source in link.answers.items():
            path = f"checklist[{k}].continue_with.answers.{qid}"
            try:
                there = target.question(qid)
            except KeyError:
                yield Problem(path, f"no question '{qid}' in life event '{target.id}'")
                continue
            here = event.question(source).type
            if there.type != here:
                yield Problem(path, f"'{qid}' is a {there.type} question there, '{source}' a {here} question here")


@lru_cache(maxsize=1)
def default_life_events() -> dict[str, LifeEvent]:
    return load_life_events()
