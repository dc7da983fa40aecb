"""Life events as data: the domain types the rest of the code reads (a LifeEvent of steps, questions and a
checklist), built by the loader (configurator.lifeevents.loader) from a checked event file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import N_
from ..names import Localized
from ..questions import QUESTION_TYPES, QuestionType
from ..schemas import DataFileError

EVENTS_DIR = Path(__file__).parent.parent / "events"
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
MAX_DECIMALS = 2  # a number question may allow up to this many digits after the decimal comma or point
OFFSET_UNITS = ("days", "weeks", "months", "years")
ALIGNMENTS = ("end_of_month", "start_of_month")
Condition = str | list[str] | None
MAX_MINUTES = 60  # a start page promising more than an hour would be a form, not a journey
# Units of parameters that can move a deadline, and the relativedelta keyword each becomes.
PERIOD_UNITS = {"days": "days", "weeks": "weeks", "months": "months", "years": "years"}
# A recurring task's next date counts from the day it was last ticked done ("done": a check-up a year after the
# last one) or keeps a fixed schedule from its first due date ("due": a VAT return every month, however late).
REPEAT_FROM = ("done", "due")
# The unit of a parameter that names a day of the month a deadline falls on (the 12th for a VAT return).
DAY_OF_MONTH_UNIT = "day-of-month"


class LifeEventError(DataFileError):
    """A life-event file has the wrong shape or refers to something that does not exist: one line
    ``<file>: <path>: <problem>`` per problem (``ecec.yaml: steps[2].questions[0].type: unknown type 'colour'``),
    in the format of every data file's errors (configurator.schemas)."""

    @property
    def path(self) -> str:
        return self.problems[0].path if self.problems else ""

    @property
    def problem(self) -> str:
        return self.problems[0].message if self.problems else ""


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

    @property
    def kind(self) -> QuestionType:
        """The question's type as its class (configurator.questions): fields, parsing, rules, template."""
        return QUESTION_TYPES[self.type]


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
    day_of_month: str | None = None  # a parameter (unit "day-of-month") the deadline's day is set to
    repeat: Repeat | None = None  # this rule's own repeat, instead of the item's (a situation's own interval)


@dataclass(frozen=True)
class Repeat:
    """A task that comes back: after its first due date (the item's ``due``), again every interval.

    The interval is either a practical one (``every``: one unit, {"months": 12}) or a legal one (``period``: a
    dated parameter with a time unit, in force on the day the interval starts), never both. ``count_from``
    (REPEAT_FROM) says whether the next date counts from the day the task was ticked or keeps the schedule of
    its first due date. ``until`` names a date answer after which it no longer comes back; ``times`` caps a fixed
    schedule's occurrences (an iCalendar COUNT). Data, so that no code names the task that repeats.
    """

    every: Mapping[str, int] = field(default_factory=dict)
    period: str | None = None
    count_from: str = "done"
    until: str | None = None
    times: int | None = None


@dataclass(frozen=True)
class ContinueWith:
    """A task that goes on in another life event: the plan page offers to start ``event`` with the answers this
    journey already has, ``answers`` mapping that event's question ids to this event's (the same question type).

    Only questions still unanswered there are filled, and a private answer is never carried (the loader refuses
    it), so starting the other journey never overwrites what the person gave there nor moves what they kept to
    this browser session. Data, so that no code names the two events.
    """

    event: str
    answers: Mapping[str, str] = field(default_factory=dict)


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
    repeat: Repeat | None = None  # a recurring task: it shows again, not done, with its next date
    continue_with: ContinueWith | None = None  # the task goes on in another life event, with these answers


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
    # The suggest: block's rules (configurator.suggestions.SuggestionRule): when the own space suggests the event.
    suggestions: tuple[Any, ...] = ()

    @property
    def comparison(self) -> ComparisonSpec | None:
        """The first comparison: the one the running estimate beside the questions shows."""
        return self.comparisons[0] if self.comparisons else None

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for step in self.steps for q in step.questions)

    def private_fields(self) -> frozenset[str]:
        """Raw form fields of the questions that stay in the browser session (never stored)."""
        return frozenset(name for q in self.questions() if q.private for name in q.kind.field_names(q.id))

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
