"""Suggested life events in the own space (issue 18): shown only with the person's "suggestions" consent,
each with the sentence that says why, a button that starts the event with what the portal knows filled in,
and "Do not suggest this again", which is kept for good (``DismissedSuggestion``).

What is suggested and why comes from the event files' ``suggest:`` blocks through
``configurator.suggestions``; nothing here names an event. Without the consent nothing is worked out at all.
A suggestion is addressed by its key (``<event id>:<subject>``), and only a key suggested to the signed-in
person right now can be started or dismissed: anyone else's, or a made-up one, is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date, gettext

from configurator.profile import subject_by_key
from configurator.suggestions import Suggestion, suggestions_for

from ..account_models import DismissedSuggestion, Person
from ..context import life_events, today
from ..extensions import db
from ..identity import current_person, sign_in_required
from ..signin.claims import profile_of
from .consents import has_consent
from .views import bp


@dataclass(frozen=True)
class ShownSuggestion:
    """A suggestion with its why sentence in the page's language."""

    suggestion: Suggestion
    why: str

    @property
    def key(self) -> str:
        return self.suggestion.key


def current_suggestions(person: Person | None) -> list[Suggestion]:
    """The suggestions for the person now, without those dismissed and those the person already has a plan for
    (the event for the same subject: it is in "Your plans"); none, and nothing read, without consent."""
    if person is None or not has_consent(person, "suggestions"):
        return []
    dismissed = [d.key for d in person.dismissed_suggestions]
    found = suggestions_for(life_events().values(), profile_of(person), today(), dismissed)
    planned = {(p.event_id, p.acting_for) for p in person.plans}
    return [s for s in found if (s.event_id, s.subject) not in planned]


def _shown_fact(value: Any) -> Any:
    return format_date(value, format="long") if isinstance(value, date) else value


def shown_suggestions(person: Person | None) -> list[ShownSuggestion]:
    """The own space front page's suggestions, each with its why in the page's language."""
    return [
        ShownSuggestion(s, gettext(s.why, **{name: _shown_fact(value) for name, value in s.facts.items()}))
        for s in current_suggestions(person)
    ]


def _suggested(key: str) -> tuple[Person, Suggestion]:
    person = current_person()
    found = next((s for s in current_suggestions(person) if s.key == key), None)
    if person is None or found is None:
        abort(404)
    return person, found


@bp.post("/suggestions/<key>/dismiss")
@sign_in_required
def dismiss_suggestion(key: str) -> ResponseReturnValue:
    """Do not suggest this again: kept for good (until the account is deleted)."""
    person, found = _suggested(key)
    db.session.add(DismissedSuggestion(person_id=person.id, key=found.key))
    db.session.commit()
    return redirect(url_for(".index", dismissed="suggestion") + "#suggestions-title")


@bp.post("/suggestions/<key>/start")
@sign_in_required
def start_suggestion(key: str) -> ResponseReturnValue:
    """Start (or resume) the suggested event's plan for its subject, with the finding's answers filled in as if
    typed (an existing plan's different answer is kept, and the person chooses on the step)."""
    from ..journey.store import current_walk, open_plan, open_step  # the journey imports the own space

    person, found = _suggested(key)
    event = life_events()[found.event_id]
    subject = subject_by_key(profile_of(person), event.acting_for, found.subject)
    if subject is None:
        abort(404)
    typed: dict[str, str] = {}
    for qid, value in found.answers.items():
        typed |= event.question(qid).kind.raw_from_json(qid, value)
    open_plan(event, subject, typed)
    following = open_step(event, current_walk(event))
    if following is None:
        return redirect(url_for("journey.check", event_id=event.id))
    return redirect(url_for("journey.step", event_id=event.id, step_id=following.id))


__all__ = ["ShownSuggestion", "current_suggestions", "shown_suggestions"]
