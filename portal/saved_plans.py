"""Saved plans in the own space: keeping answers, progress and reminders.

The answers to an event's private questions (a long-term illness for a care plan) are kept in the plan only
while the person's "keep_private" consent is in force (``private_answers``; withdrawing it empties them, see
``own.consents.set_consent``); without it they live in the browser session only and go with sign-out.

A saved plan stores the raw answers; while a signed-in person's journey is linked to it, it is the
store of that journey's answers (the session keeps only the private ones), so two windows or devices of
the same person read and merge into the same newest answers. Its checklist is derived again each time,
so a change of answers or of the rules shows at once, and ticks stay with task ids.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import update as sql_update

from configurator.checklist import ChecklistEntry, Directory, build_checklist
from configurator.journey import Walk, walk
from configurator.lifeevents import LifeEvent
from configurator.predicates import evaluate
from configurator.profile import Subject

from .account_models import Person, SavedPlan, ShareLink, TaskProgress, timestamp
from .extensions import db
from .own.consents import has_consent
from .own.messages import notify, reminder_key, reminders_due

PLAN_STATES = ("in_progress", "ready", "done")


def storable(event: LifeEvent, raw: Mapping[str, str]) -> dict[str, str]:
    """The answers a saved plan may keep: everything but the fields of private questions."""
    private = event.private_fields()
    return {key: value for key, value in raw.items() if key not in private}


def private_part(person: Person | None, event: LifeEvent, raw: Mapping[str, str]) -> dict[str, str] | None:
    """The private answers a plan may keep: those of the event's private questions, and only with the person's
    "keep_private" consent (None without it, or when there are none)."""
    if not has_consent(person, "keep_private"):
        return None
    private = event.private_fields()
    return {key: value for key, value in raw.items() if key in private} or None


def plan_answers(saved: SavedPlan, private: bool = True) -> dict[str, str]:
    """All a plan keeps as raw answers: its answers and, unless ``private`` is False (a shared plan, which must
    not reveal a care plan's tasks), the private answers kept with consent."""
    return dict(saved.answers or {}) | (dict(saved.private_answers or {}) if private else {})


def task_ids(event: LifeEvent, answers: Mapping[str, Any], today: date) -> list[str]:
    """The checklist's task ids for these answers (no contacts looked up: cheap enough for every save)."""
    return [item.id for item in event.checklist if evaluate(item.show_if, answers, today)]


@dataclass(frozen=True)
class PlanView:
    """A saved plan as the own space shows it: its walk, checklist and progress."""

    saved: SavedPlan
    event: LifeEvent
    state: Walk
    checklist: list[ChecklistEntry]
    done: dict[str, date]

    @property
    def done_count(self) -> int:
        return sum(1 for e in self.checklist if e.item.id in self.done)

    @property
    def status(self) -> str:
        if not self.state.complete:
            return "in_progress"
        return "done" if self.checklist and self.done_count == len(self.checklist) else "ready"

    @property
    def next_deadline(self) -> ChecklistEntry | None:
        open_ = [e for e in self.checklist if e.due and e.item.id not in self.done]
        return min(open_, key=lambda e: e.due, default=None)


def view(
    saved: SavedPlan, event: LifeEvent, today: date, places: Any, directory: Directory, private: bool = True
) -> PlanView:
    """The plan as the own space shows it; ``private=False`` leaves the kept private answers out (shared pages)."""
    state = walk(event, plan_answers(saved, private), today, places)
    ticked = saved.done_tasks()
    checklist = build_checklist(event, state.answers, today, directory, ticked) if state.complete else []
    checklist.sort(key=lambda e: (e.due is None, e.due or today))
    # A recurring task's tick is the day it was last done: the task is open again until no date is left.
    again = recurring_open(checklist)
    return PlanView(saved, event, state, checklist, {k: v for k, v in ticked.items() if k not in again})


def recurring_open(checklist: Iterable[ChecklistEntry]) -> set[str]:
    """The recurring tasks that come back (not ended): a tick moves them on instead of closing them."""
    return {e.item.id for e in checklist if e.recurrence is not None and not e.recurrence.ended}


def find(person: Person, event_id: str, subject_key: str) -> SavedPlan | None:
    return next((p for p in person.plans if p.event_id == event_id and p.acting_for == subject_key), None)


def lock(saved: SavedPlan) -> None:
    """Hold the plan's row until the transaction ends and read its newest answers, so that two posts from two
    windows or devices merge one after the other instead of one writing over the other.

    A no-op UPDATE takes the lock on both databases: PostgreSQL locks the row (a second post waits, then reads
    what the first committed: READ COMMITTED), SQLite takes its write lock (the driver defers BEGIN until a
    write, so a SELECT ... FOR UPDATE, which SQLite does not have, would not do it)."""
    db.session.execute(
        sql_update(SavedPlan)
        .where(SavedPlan.id == saved.id)
        .values(updated_at=SavedPlan.updated_at)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(saved)


def create(person: Person, event: LifeEvent, raw: Mapping[str, str], subject: Subject) -> SavedPlan:
    """A new plan for this event and subject (not committed); the person gets a message that it is saved."""
    now = timestamp()
    saved = SavedPlan(
        event_id=event.id,
        acting_for=subject.key,
        acting_for_name=subject.name,
        answers=storable(event, raw),
        private_answers=private_part(person, event, raw),
        created_at=now,
        updated_at=now,
    )
    person.plans.append(saved)
    db.session.flush()
    notify(person, "plan_saved", {"event": event.id}, link=f"/own/plans/{saved.id}")
    return saved


def update(
    person: Person, saved: SavedPlan, event: LifeEvent, raw: Mapping[str, str], today: date, places: Any
) -> SavedPlan:
    """Keep these answers as the plan's (the private ones only with the "keep_private" consent); tell the person
    which tasks came or went."""
    answers = storable(event, raw)
    private = private_part(person, event, raw)
    if private != saved.private_answers:
        saved.private_answers, saved.updated_at = private, timestamp()
    if answers == (saved.answers or {}):
        return saved
    before = walk(event, saved.answers or {}, today, places)
    after = walk(event, answers, today, places)
    saved.answers, saved.updated_at = answers, timestamp()  # a new dict: the JSON column sees the change
    if before.complete and after.complete:
        old, new = task_ids(event, before.answers, today), task_ids(event, after.answers, today)
        added, removed = [t for t in new if t not in old], [t for t in old if t not in new]
        if added or removed:
            notify(
                person,
                "plan_changed",
                {"event": event.id, "added": added, "removed": removed},
                link=f"/own/plans/{saved.id}",
            )
    return saved


def save(
    person: Person, event: LifeEvent, raw: Mapping[str, str], subject: Subject, today: date, places: Any
) -> SavedPlan:
    """Create or update the person's plan for this event and subject; tell them what changed."""
    saved = find(person, event.id, subject.key)
    if saved is None:
        return create(person, event, raw, subject)
    return update(person, saved, event, raw, today, places)


def set_progress(
    saved: SavedPlan, done_ids: Iterable[str], shown_ids: Iterable[str], today: date, recurring: Iterable[str] = ()
) -> None:
    """Tick and untick the tasks shown on the page; ticks of tasks not shown now are kept as they are.

    A ``recurring`` task (open again, its box shown empty) ticked records today as the day it was last done;
    left empty, its last day stays (an empty box means "not again yet", not "never done").
    """
    done_ids, shown_ids = set(done_ids), set(shown_ids)
    existing = {p.task_id: p for p in saved.progress}
    again = set(recurring)
    for task_id in shown_ids:
        if task_id in again:
            if task_id in done_ids and task_id in existing:
                existing[task_id].done_on = today
            elif task_id in done_ids:
                saved.progress.append(TaskProgress(task_id=task_id, done_on=today))
        elif task_id in done_ids and task_id not in existing:
            saved.progress.append(TaskProgress(task_id=task_id, done_on=today))
        elif task_id not in done_ids and task_id in existing:
            saved.progress.remove(existing[task_id])


def send_reminders(person: Person, views: Iterable[PlanView], today: date) -> int:
    """A message for each open task due within the reminder window, once per task and date,
    only with the person's consent to reminders."""
    if not has_consent(person, "reminders"):
        return 0
    sent = 0
    for plan in views:
        for entry in reminders_due([e for e in plan.checklist if e.item.id not in plan.done], today):
            if notify(
                person,
                "deadline_coming",
                {"event": plan.event.id, "task": entry.item.id, "due": entry.due.isoformat()},
                link=f"/own/plans/{plan.saved.id}#task-{entry.item.id}",
                dedupe_key=reminder_key(plan.saved.id, entry.item.id, entry.due),
            ):
                sent += 1
    return sent


def new_share_link(saved: SavedPlan) -> ShareLink:
    link = ShareLink(token=secrets.token_urlsafe(24), created_at=timestamp())
    saved.share_links.append(link)
    return link
