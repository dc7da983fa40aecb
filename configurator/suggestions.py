"""Proactive suggestions: which life events the portal's knowledge of a person points to, and why.

A life-event file may carry a ``suggest:`` block: a list of rules, each naming one small predicate over the
person's profile (what the identification service told the portal), its settings, the sentence that says
why, and which answers the finding fills in::

    suggest:
      - predicate: child_reaches_age
        settings: {age_months: 9, within_months: 12}
        why: "%(child)s will be %(age_months)s months old on %(date)s. ..."
        answers: {start_date: date}

No code names an event: the predicates know profiles, not events, and the event file says which of them
suggests it. Everything is checked when the event is loaded (``parse_suggest``), so a misspelt predicate,
setting, placeholder or question fails at start-up, named by its path.

The portal shows a suggestion only with the person's "suggestions" consent; without it nothing here is called.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta

from .profile import Profile
from .schemas import Problem

# The subject kinds a predicate finds, and the events' ``acting_for`` values whose start page offers them:
# a company event lists the person themselves too (configurator.profile.subjects).
SUBJECT_FITS = {"self": ("self", "company"), "child": ("child",), "company": ("company",)}
FACT_KINDS = ("date", "text", "number")
# What a fact of a kind fills: the question type's prefill shape (configurator.questions, prefill_shapes).
FACT_SHAPES = {"date": "iso_date", "number": "count"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Finding:
    """What a predicate found for one subject: whom (``self``, ``child:<id>``, ``company:<business id>``)
    and the named facts the why sentence and the prefilled answers use."""

    subject: str
    facts: Mapping[str, Any]
    subject_name: str | None = None


Find = Callable[[Profile, date, Mapping[str, int]], list[Finding]]


@dataclass(frozen=True)
class SuggestionPredicate:
    """A predicate an event file may name: its settings (whole numbers, all required), the facts it gives
    (name -> kind) and the kind of subject it finds."""

    find: Find
    settings: tuple[str, ...]
    facts: Mapping[str, str]
    subject: str
    description: str


@dataclass(frozen=True)
class SuggestionRule:
    """One rule of an event file's ``suggest:`` block, checked."""

    predicate: str
    why: str  # a message id; its %(name)s placeholders are the predicate's facts and the settings
    settings: Mapping[str, int] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)  # question id -> fact name


@dataclass(frozen=True)
class Suggestion:
    """A suggested event for one subject, with the facts that say why and the answers it fills in."""

    key: str  # "<event id>:<subject>": what a dismissal keeps
    event_id: str
    subject: str
    subject_name: str | None
    why: str
    facts: Mapping[str, Any]
    answers: Mapping[str, Any]  # question id -> the value in the prefill shape (an ISO date, a count)


# --- the predicates -----------------------------------------------------------------------------------


def _address_changed(profile: Profile, today: date, settings: Mapping[str, int]) -> list[Finding]:
    """The home address in the population register changed within the last ``months`` months (on or after
    the day that many months ago, and not in the future)."""
    since = profile.home.since if profile.home else None
    if since is None or not today - relativedelta(months=settings["months"]) <= since <= today:
        return []
    return [Finding("self", {"since": since})]


def _child_reaches_age(profile: Profile, today: date, settings: Mapping[str, int]) -> list[Finding]:
    """Each child the person is the guardian of who reaches ``age_months`` months after today and at most
    ``within_months`` months from today; ``date`` is the day the child reaches that age."""
    found = []
    for child in profile.children:
        reaches = child.birth_date + relativedelta(months=settings["age_months"])
        if today < reaches <= today + relativedelta(months=settings["within_months"]):
            found.append(Finding(f"child:{child.id}", {"child": child.name, "date": reaches}, child.name))
    return found


def _company_bankrupt(profile: Profile, today: date, settings: Mapping[str, int]) -> list[Finding]:
    """A company the person has a role in is in bankruptcy (the Trade Register's status): their own matter
    (their work and income), one finding naming the first such company."""
    bankrupt = [c for c in profile.companies if c.status == "bankrupt"]
    return [Finding("self", {"company": bankrupt[0].name})] if bankrupt else []


PREDICATES: dict[str, SuggestionPredicate] = {
    "address_changed_recently": SuggestionPredicate(
        _address_changed,
        ("months",),
        {"since": "date"},
        "self",
        "The home address changed within the last `months` months; `since` is the day it changed.",
    ),
    "child_reaches_age": SuggestionPredicate(
        _child_reaches_age,
        ("age_months", "within_months"),
        {"child": "text", "date": "date"},
        "child",
        "A child reaches `age_months` months of age within `within_months` months; `date` is that day.",
    ),
    "company_bankrupt": SuggestionPredicate(
        _company_bankrupt,
        (),
        {"company": "text"},
        "self",
        "A company the person has a role in is in bankruptcy; `company` is its name.",
    ),
}


# --- reading the event file's block -------------------------------------------------------------------


def parse_suggest(
    data: Any, questions: Mapping[str, Any], acting_for: str
) -> tuple[tuple[SuggestionRule, ...], list[Problem]]:
    """The rules of a ``suggest:`` block and every problem in it (paths from ``suggest``).

    ``questions`` maps the event's question ids to its questions (their type's prefill shapes decide what a
    fact may fill); ``acting_for`` is the event's, which must offer the subject the predicate finds.
    """
    if data is None:
        return (), []
    if not isinstance(data, list):
        return (), [Problem("suggest", "a list of rules, each with 'predicate' and 'why'")]
    rules: list[SuggestionRule] = []
    problems: list[Problem] = []
    for i, item in enumerate(data):
        path = f"suggest[{i}]"
        found = _rule(item, path, questions, acting_for)
        if isinstance(found, SuggestionRule):
            rules.append(found)
        else:
            problems.extend(found)
    return tuple(rules), problems


def _rule(item: Any, path: str, questions: Mapping[str, Any], acting_for: str) -> SuggestionRule | list[Problem]:
    if not isinstance(item, Mapping):
        return [Problem(path, "a rule is a mapping of 'predicate', 'settings', 'why' and 'answers'")]
    problems = [
        Problem(f"{path}.{key}", f"unknown key '{key}'")
        for key in item
        if key not in ("predicate", "settings", "why", "answers")
    ]
    name = item.get("predicate")
    predicate = PREDICATES.get(name) if isinstance(name, str) else None
    if predicate is None:
        problems.append(
            Problem(f"{path}.predicate", f"unknown suggestion predicate {name!r}; one of {sorted(PREDICATES)}")
        )
        return problems
    if acting_for not in SUBJECT_FITS[predicate.subject]:
        problems.append(
            Problem(
                f"{path}.predicate",
                f"'{name}' finds a {predicate.subject}, which an event acting for '{acting_for}' does not offer",
            )
        )
    settings = item.get("settings") or {}
    if not isinstance(settings, Mapping):
        settings = {}
        problems.append(Problem(f"{path}.settings", "a mapping of setting names to whole numbers"))
    for key in sorted(set(predicate.settings) - set(settings)):
        problems.append(Problem(f"{path}.settings", f"'{name}' needs the setting '{key}'"))
    for key, value in settings.items():
        if key not in predicate.settings:
            problems.append(
                Problem(f"{path}.settings.{key}", f"'{name}' has no setting '{key}'; it has {list(predicate.settings)}")
            )
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.append(Problem(f"{path}.settings.{key}", f"a whole number of 1 or more, not {value!r}"))
    why = item.get("why")
    if not isinstance(why, str) or not why.strip():
        problems.append(Problem(f"{path}.why", "'why' is required: the sentence that says why the event is suggested"))
    else:
        known = set(predicate.facts) | set(predicate.settings)
        for placeholder in PLACEHOLDER.findall(why):
            if placeholder not in known:
                problems.append(
                    Problem(f"{path}.why", f"no fact or setting '{placeholder}'; '{name}' gives {sorted(known)}")
                )
    answers = item.get("answers") or {}
    if not isinstance(answers, Mapping):
        answers = {}
        problems.append(Problem(f"{path}.answers", "a mapping of question ids to the predicate's facts"))
    for qid, fact in answers.items():
        question = questions.get(qid)
        shape = FACT_SHAPES.get(predicate.facts.get(fact, ""))
        if question is None:
            problems.append(Problem(f"{path}.answers.{qid}", f"no question '{qid}'"))
        elif fact not in predicate.facts:
            problems.append(
                Problem(f"{path}.answers.{qid}", f"'{name}' gives no fact '{fact}'; it gives {sorted(predicate.facts)}")
            )
        elif shape is None or shape not in question.kind.prefill_shapes:
            problems.append(
                Problem(f"{path}.answers.{qid}", f"the fact '{fact}' cannot fill a '{question.type}' question")
            )
    if problems or not isinstance(name, str) or not isinstance(why, str):
        return problems
    return SuggestionRule(name, why, dict(settings), dict(answers))


# --- finding the suggestions --------------------------------------------------------------------------


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def suggestions_for(
    events: Iterable[Any], profile: Profile, today: date, dismissed: Iterable[str] = ()
) -> list[Suggestion]:
    """Every suggestion of the events' rules for this profile, in the events' order, except those dismissed.

    One suggestion per event and subject (the first rule that finds it): a key is dismissed for good.
    """
    dismissed = set(dismissed)
    shown: dict[str, Suggestion] = {}
    for event in events:
        for rule in getattr(event, "suggestions", ()):
            predicate = PREDICATES[rule.predicate]
            for finding in predicate.find(profile, today, rule.settings):
                key = f"{event.id}:{finding.subject}"
                if key in dismissed or key in shown:
                    continue
                shown[key] = Suggestion(
                    key=key,
                    event_id=event.id,
                    subject=finding.subject,
                    subject_name=finding.subject_name,
                    why=rule.why,
                    facts=dict(rule.settings) | dict(finding.facts),
                    answers={qid: _json(finding.facts[fact]) for qid, fact in rule.answers.items()},
                )
    return list(shown.values())


__all__ = [
    "PREDICATES",
    "Finding",
    "Suggestion",
    "SuggestionPredicate",
    "SuggestionRule",
    "parse_suggest",
    "suggestions_for",
]
