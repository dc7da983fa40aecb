"""Life events as data: the structure of an event file and the loader that validates it.

A life event is a YAML file in configurator/events/. Its strings are English
message ids that the web layer translates; its conditions are names of predicates
in configurator.predicates. Everything a file refers to is checked here, at
start-up and in tests, so a typo fails loudly instead of hiding a question.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

import yaml

from .answers import QUESTION_TYPES
from .i18n import N_
from .names import Localized, LocalizedError, parse_localized
from .predicates import PREDICATES, condition_names
from .service_points import SERVICE_KINDS

EVENTS_DIR = Path(__file__).parent / "events"
CHANNELS = {
    "eservice": N_("E-service"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "in_person": N_("In person"),
    "chat": N_("Chat"),
    "video": N_("Video call"),
    "web": N_("Website"),
}
MAP_LAYERS = ("ecec_units",)
DATE_RULES = ("not_before_today", "not_after_today", "after", "max_years_before_today", "max_years_after_today")
NUMBER_RULES = ("min", "max", "max_answer")
MAX_DECIMALS = 2  # a number question may allow up to this many digits after the decimal comma or point
OFFSET_UNITS = ("days", "weeks", "months", "years")
ALIGNMENTS = ("end_of_month", "start_of_month")
Condition = str | list[str] | None
EVENT_KEYS = frozenset({"id", "title", "summary", "start_label", "codes", "comparisons", "organisations", "steps",
                        "checklist", "acting_for", "parameters", "values", "before_you_start"})
ORGANISATION_KEYS = frozenset({"id", "name", "municipality_of", "service_kind", "url", "phone"})
BEFORE_YOU_START_KEYS = frozenset({"minutes", "at_hand"})
MAX_MINUTES = 60  # a start page promising more than an hour would be a form, not a journey
DUE_KEYS = frozenset({"from", "offset", "before", "after", "align", "when", "explanation"})
# Units of parameters that can move a deadline, and the relativedelta keyword each becomes.
PERIOD_UNITS = {"days": "days", "weeks": "weeks", "months": "months", "years": "years"}


class LifeEventError(ValueError):
    """A life-event file refers to something that does not exist or has the wrong shape."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str | None = None
    required: bool = True
    options: tuple[Option, ...] = ()
    show_if: Condition = None
    rules: Mapping[str, Any] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    input_width: int | None = None
    autocomplete: str | None = None
    map_layer: str | None = None  # a location question's map picker may show these places for orientation
    prefill: str | None = None  # a source in configurator.profile.PREFILL_SOURCES ("ask only once")
    private: bool = False  # kept in the browser session only, never in a saved plan

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    show_if: Condition = None


@dataclass(frozen=True)
class DueRule:
    """A deadline relative to an answer: from a date answer (or today), shifted, optionally aligned.

    A legal time limit is never written here: ``period`` names the dated parameter that holds it
    (``before:`` or ``after:`` in the file, ``sign`` -1 or +1), so the figure in force on the anchor
    date moves the deadline. ``offset`` is only for practical lead times that no law sets.
    """

    anchor: str
    offset: Mapping[str, int] = field(default_factory=dict)
    align: str | None = None
    when: Condition = None
    explanation: str | None = None
    period: str | None = None  # a parameter in configurator/parameters with a time unit
    sign: int = 1


@dataclass(frozen=True)
class OrganisationRef:
    """Who is responsible: a fixed organisation, or the municipality of a location answer, or the
    service of a kind (``service_kind``) that serves that municipality, e.g. its food control authority."""

    id: str
    name: str | None = None
    municipality_of: str | None = None
    service_kind: str | None = None
    url: Localized | None = None  # the site's address in each language it has a version in
    phone: str | None = None


@dataclass(frozen=True)
class AtHand:
    """Something a person should have at hand before answering, and why (optional)."""

    label: str
    hint: str | None = None


@dataclass(frozen=True)
class BeforeYouStart:
    """What the event's start page says: about how long answering takes and what to have at hand."""

    minutes: int
    at_hand: tuple[AtHand, ...]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    title: str
    why: str
    responsible: str
    channel: str
    due: tuple[DueRule, ...] = ()
    show_if: Condition = None
    how: str | None = None
    figures: tuple[str, ...] = ()  # names in configurator.figures.FIGURES


@dataclass(frozen=True)
class ComparisonSpec:
    kind: str
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LifeEvent:
    id: str
    title: str
    summary: str
    codes: Mapping[str, str]
    steps: tuple[Step, ...]
    checklist: tuple[ChecklistItem, ...]
    organisations: Mapping[str, OrganisationRef]
    comparisons: tuple[ComparisonSpec, ...]
    start_label: str
    acting_for: str = "self"  # whose matter: "self", "child" (a guardian acts) or "company" (a mandate)
    parameters: tuple[str, ...] = ()  # the parameter files (configurator/parameters/<name>.yaml) its rules use
    values: Mapping[str, str] = field(default_factory=dict)  # {placeholder: parameter} for the texts' {braces}
    before_you_start: BeforeYouStart | None = None

    @property
    def comparison(self) -> ComparisonSpec | None:
        """The first comparison: the one the running estimate beside the questions shows."""
        return self.comparisons[0] if self.comparisons else None

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for step in self.steps for q in step.questions)

    def private_fields(self) -> frozenset[str]:
        """Raw form fields of the questions that stay in the browser session (never stored)."""
        from .answers import field_names

        return frozenset(name for q in self.questions() if q.private for name in field_names(q.id, q.type))

    def question(self, qid: str) -> Question:
        for q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(qid)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data or data[key] in (None, ""):
        raise LifeEventError(f"{where}: '{key}' is required")
    return data[key]


def _check_condition(condition: Condition, where: str) -> Condition:
    for name in condition_names(condition):
        if name not in PREDICATES:
            raise LifeEventError(f"{where}: unknown predicate '{name}'")
    return condition


def _question(data: Mapping[str, Any], where: str) -> Question:
    qid = _require(data, "id", where)
    where = f"{where} question '{qid}'"
    qtype = _require(data, "type", where)
    if qtype not in QUESTION_TYPES:
        raise LifeEventError(f"{where}: unknown type '{qtype}'")
    options = tuple(Option(str(_require(o, "value", where)), _require(o, "label", where)) for o in data.get("options", []))
    if qtype in ("choice", "choices") and len(options) < 2:
        raise LifeEventError(f"{where}: a choice needs at least two options")
    if len({o.value for o in options}) != len(options) or any("," in o.value for o in options):
        raise LifeEventError(f"{where}: option values must be unique and contain no commas")
    rules = dict(data.get("rules", {}))
    allowed = DATE_RULES if qtype == "date" else NUMBER_RULES if qtype in ("number", "money") else ()
    allowed += ("decimals",) if qtype == "number" else ()  # hours like 37,5; counts stay whole (no rule)
    for rule in rules:
        if rule not in allowed:
            raise LifeEventError(f"{where}: rule '{rule}' does not apply to type '{qtype}'")
    decimals = rules.get("decimals", 0)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise LifeEventError(f"{where}: 'decimals' must be a whole number from 0 to {MAX_DECIMALS}")
    return Question(
        id=qid, type=qtype, label=_require(data, "label", where), hint=data.get("hint"),
        required=bool(data.get("required", True)), options=options,
        show_if=_check_condition(data.get("show_if"), where), rules=rules,
        errors=dict(data.get("errors", {})), input_width=data.get("input_width"),
        autocomplete=data.get("autocomplete"), map_layer=_map_layer(data, qtype, where),
        prefill=_prefill(data, qtype, where), private=bool(data.get("private", False)),
    )


def _prefill(data: Mapping[str, Any], qtype: str, where: str) -> str | None:
    from .profile import PREFILL_SOURCES

    name = data.get("prefill")
    if name is not None and (name not in PREFILL_SOURCES or qtype not in PREFILL_SOURCES[name].types):
        raise LifeEventError(f"{where}: prefill must be a source in configurator.profile.PREFILL_SOURCES "
                             f"that fills a '{qtype}' question, not '{name}'")
    return name


def _map_layer(data: Mapping[str, Any], qtype: str, where: str) -> str | None:
    layer = data.get("map_layer")
    if layer is not None and (qtype != "location" or layer not in MAP_LAYERS):
        raise LifeEventError(f"{where}: map_layer must be one of {MAP_LAYERS} on a location question")
    return layer


def _due(data: Mapping[str, Any], where: str) -> DueRule:
    unknown = set(data) - DUE_KEYS
    if unknown:
        raise LifeEventError(f"{where}: unknown due key(s) {sorted(unknown)}")
    offset = dict(data.get("offset", {}))
    for unit, amount in offset.items():
        if unit not in OFFSET_UNITS or not isinstance(amount, int):
            raise LifeEventError(f"{where}: bad offset {unit}: {amount}")
    align = data.get("align")
    if align is not None and align not in ALIGNMENTS:
        raise LifeEventError(f"{where}: unknown align '{align}'")
    if "before" in data and "after" in data:
        raise LifeEventError(f"{where}: a deadline is either 'before' or 'after' a legal period, not both")
    period = data.get("before", data.get("after"))
    return DueRule(anchor=_require(data, "from", where), offset=offset, align=align,
                   when=_check_condition(data.get("when"), where), explanation=data.get("explanation"),
                   period=period, sign=-1 if "before" in data else 1)


def _item(data: Mapping[str, Any], where: str) -> ChecklistItem:
    from .figures import FIGURES

    iid = _require(data, "id", where)
    where = f"{where} checklist item '{iid}'"
    channel = _require(data, "channel", where)
    if channel not in CHANNELS:
        raise LifeEventError(f"{where}: unknown channel '{channel}'")
    figures = tuple(data.get("figures", []))
    for name in figures:
        if name not in FIGURES:
            raise LifeEventError(f"{where}: unknown figure '{name}'")
    return ChecklistItem(
        id=iid, title=_require(data, "title", where), why=_require(data, "why", where),
        responsible=_require(data, "responsible", where), channel=channel,
        due=tuple(_due(d, where) for d in data.get("due", [])),
        show_if=_check_condition(data.get("show_if"), where), how=data.get("how"), figures=figures,
    )


def _cross_check(event: LifeEvent, where: str) -> None:
    """References between parts of the file: anchors, 'after' rules, organisations, uniqueness."""
    from .comparisons import COMPARISONS, ComparisonOptionsError

    questions = {q.id: q for q in event.questions()}
    if len(questions) != len(event.questions()):
        raise LifeEventError(f"{where}: question ids must be unique")
    for q in questions.values():
        bound = q.rules.get("max_answer")
        if bound is not None and (not isinstance(bound, dict) or questions.get(bound.get("question")) is None
                                  or questions[bound["question"]].type != "number"):
            raise LifeEventError(f"{where} question '{q.id}': 'max_answer' must name a number question")
        other = q.rules.get("after")
        if other is not None and (other not in questions or questions[other].type != "date"):
            raise LifeEventError(f"{where} question '{q.id}': 'after' must name a date question")
    for org in event.organisations.values():
        if org.municipality_of and (org.municipality_of not in questions
                                    or questions[org.municipality_of].type != "location"):
            raise LifeEventError(f"{where} organisation '{org.id}': no location question '{org.municipality_of}'")
        if org.service_kind is not None and (org.service_kind not in SERVICE_KINDS or not org.municipality_of):
            raise LifeEventError(f"{where} organisation '{org.id}': service_kind must be one of "
                                 f"{sorted(SERVICE_KINDS)} and needs municipality_of")
    for spec in event.comparisons:
        check = COMPARISONS[spec.kind].check_options
        if check is not None:
            try:
                check(spec.options, questions)
            except ComparisonOptionsError as error:
                raise LifeEventError(f"{where} comparison '{spec.kind}': {error}") from None
    for item in event.checklist:
        if item.responsible not in event.organisations:
            raise LifeEventError(f"{where} checklist item '{item.id}': unknown organisation '{item.responsible}'")
        for rule in item.due:
            if rule.anchor != "today" and (rule.anchor not in questions or questions[rule.anchor].type != "date"):
                raise LifeEventError(f"{where} checklist item '{item.id}': due date must count from a date question or today")
    _check_parameters(event, where)


def _check_parameters(event: LifeEvent, where: str) -> None:
    """Every figure an event names exists in a parameter file it declares, and no deadline restates one.

    A literal offset equal to a time limit of those files (4 months, 2 weeks ...) would be a second
    copy of a legal figure that stays behind when the law changes, so it is refused here.
    """
    from .parameters import ParameterError, default_parameters

    params = default_parameters()
    known = {name.split(".", 1)[0] for name in params.names()}
    for area in event.parameters:
        if area not in known:
            raise LifeEventError(f"{where}: unknown parameter file '{area}' in 'parameters'")
    named = [(f"value '{key}'", name) for key, name in event.values.items()]
    named += [(f"checklist item '{item.id}'", rule.period) for item in event.checklist for rule in item.due if rule.period]
    for what, name in named:
        if name.split(".", 1)[0] not in event.parameters:
            raise LifeEventError(f"{where} {what}: '{name}' is not in a parameter file listed in 'parameters'")
        try:
            unit = params.unit(name)
        except ParameterError as error:
            raise LifeEventError(f"{where} {what}: {error}") from None
        if what.startswith("checklist") and unit not in PERIOD_UNITS:
            raise LifeEventError(f"{where} {what}: '{name}' is in {unit}, not a time unit {sorted(PERIOD_UNITS)}")
    limits = _time_limits(params, event.parameters)
    for item in event.checklist:
        for rule in item.due:
            restated = limits.get(_span(rule.offset)) if rule.offset else None
            if restated:
                raise LifeEventError(f"{where} checklist item '{item.id}': offset {dict(rule.offset)} restates the "
                                     f"legal figure '{restated}'; write 'before: {restated}' or 'after: {restated}'")


def _span(offset: Mapping[str, int]) -> tuple[str, int]:
    """An offset as a comparable length: whole months (months, years) or days (days, weeks), sign dropped."""
    months = abs(offset.get("months", 0) + 12 * offset.get("years", 0))
    days = abs(offset.get("days", 0) + 7 * offset.get("weeks", 0))
    return ("months", months) if months and not days else ("days", days) if days and not months else ("mixed", 0)


def _time_limits(params: Any, areas: tuple[str, ...]) -> dict[tuple[str, int], str]:
    """Every value any time-limit parameter of ``areas`` has had, as a span, mapped to its name."""
    limits: dict[tuple[str, int], str] = {}
    for name in params.names():
        unit = params.unit(name)
        if name.split(".", 1)[0] not in areas or unit not in PERIOD_UNITS:
            continue
        for value in params.known_values(name):
            if value == int(value) and value:
                limits.setdefault(_span({PERIOD_UNITS[unit]: int(value)}), name)
    return limits


def _comparison(spec: Any, where: str) -> ComparisonSpec:
    from .comparisons import COMPARISONS  # late import: comparisons import this module's types

    if not isinstance(spec, Mapping) or spec.get("kind") not in COMPARISONS:
        raise LifeEventError(f"{where}: unknown comparison {spec!r}")
    return ComparisonSpec(kind=spec["kind"], options={k: v for k, v in spec.items() if k != "kind"})


def parse_life_event(data: Mapping[str, Any], where: str = "life event") -> LifeEvent:
    """Build and validate a LifeEvent from the mapping in a data file."""
    eid = _require(data, "id", where)
    where = f"{where} '{eid}'"
    unknown = set(data) - EVENT_KEYS
    if unknown:
        raise LifeEventError(f"{where}: unknown key(s) {sorted(unknown)}")
    steps = tuple(
        Step(id=_require(s, "id", where), title=_require(s, "title", where),
             questions=tuple(_question(q, f"{where} step '{s['id']}'") for q in _require(s, "questions", where)),
             intro=s.get("intro"), show_if=_check_condition(s.get("show_if"), where))
        for s in _require(data, "steps", where)
    )
    organisations = {o["id"]: _organisation(o, where) for o in data.get("organisations", [])}
    comparisons = tuple(_comparison(spec, where) for spec in data.get("comparisons", []))
    if len({c.kind for c in comparisons}) != len(comparisons):
        raise LifeEventError(f"{where}: a comparison kind may appear only once")
    event = LifeEvent(
        id=eid, title=_require(data, "title", where), summary=_require(data, "summary", where),
        codes=dict(data.get("codes", {})), steps=steps,
        checklist=tuple(_item(i, where) for i in data.get("checklist", [])),
        organisations=organisations, comparisons=comparisons,
        start_label=data.get("start_label", "Start now"), acting_for=_acting_for(data, where),
        parameters=tuple(data.get("parameters", [])), values=dict(data.get("values", {})),
        before_you_start=_before_you_start(data.get("before_you_start"), where),
    )
    _cross_check(event, where)
    return event


def _organisation(data: Mapping[str, Any], where: str) -> OrganisationRef:
    oid = _require(data, "id", where)
    where = f"{where} organisation '{oid}'"
    unknown = set(data) - ORGANISATION_KEYS
    if unknown:
        raise LifeEventError(f"{where}: unknown key(s) {sorted(unknown)}")
    try:
        url = parse_localized(data.get("url"), f"{where} url", url=True)
    except LocalizedError as error:
        raise LifeEventError(str(error)) from None
    return OrganisationRef(id=oid, name=data.get("name"), municipality_of=data.get("municipality_of"),
                           service_kind=data.get("service_kind"), url=url, phone=data.get("phone"))


def _before_you_start(data: Any, where: str) -> BeforeYouStart | None:
    """The start page's promise: whole minutes (1 to MAX_MINUTES) and at least one thing to have at hand."""
    if data is None:
        return None
    where = f"{where} before_you_start"
    if not isinstance(data, Mapping) or set(data) - BEFORE_YOU_START_KEYS:
        raise LifeEventError(f"{where}: expected a mapping of {sorted(BEFORE_YOU_START_KEYS)}")
    minutes = data.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise LifeEventError(f"{where}: 'minutes' must be a whole number from 1 to {MAX_MINUTES}")
    items = data.get("at_hand")
    if not isinstance(items, list) or not items:
        raise LifeEventError(f"{where}: 'at_hand' must list at least one thing to have at hand")
    at_hand = []
    for item in items:
        if not isinstance(item, Mapping) or set(item) - {"label", "hint"}:
            raise LifeEventError(f"{where}: each 'at_hand' item is a mapping of 'label' and an optional 'hint'")
        at_hand.append(AtHand(label=_require(item, "label", where), hint=item.get("hint")))
    return BeforeYouStart(minutes=minutes, at_hand=tuple(at_hand))


def _acting_for(data: Mapping[str, Any], where: str) -> str:
    from .profile import ACTING_FOR

    value = data.get("acting_for", "self")
    if value not in ACTING_FOR:
        raise LifeEventError(f"{where}: acting_for must be one of {ACTING_FOR}")
    return value


def load_life_events(directory: Path = EVENTS_DIR) -> dict[str, LifeEvent]:
    """Load every *.yaml life event in the directory, failing on the first invalid reference."""
    events: dict[str, LifeEvent] = {}
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            event = parse_life_event(yaml.safe_load(handle), where=path.name)
        if event.id in events:
            raise LifeEventError(f"{path.name}: duplicate life event id '{event.id}'")
        events[event.id] = event
    return events


@lru_cache(maxsize=1)
def default_life_events() -> dict[str, LifeEvent]:
    return load_life_events()
