"""Raising the counters, and remembering in the server-side session what one journey has already counted.

Why one UPSERT per event (``INSERT ... ON CONFLICT (day, event, step, language, measure) DO UPDATE SET count =
count + 1``): two processes counting the same step at once must both be counted, and a read-then-write would
lose one of them. The statement is atomic on SQLite and PostgreSQL alike (the dialect's own ``insert``, as
``portal/rate_limits.py`` does). Only the Helsinki date is kept (``portal.context.today``), never the time of
day, so a row cannot be matched with a visit in a server log.

What a journey has counted is kept in Flask's session, which lives on the server (``portal/sessions.py``): no
cookie of its own, nothing in the browser, and it ends with the session. Per life event the session holds
``{"started": bool, "reached": [step ids], "plan": bool, "saved": bool, "again": bool}``:

- ``started``: the journey's first step opened in a journey not yet counted as started;
- ``reached``: a step page opened (GET), once per step per journey: reloading or going Back does not count again;
- ``plan``: the plan page shown, once per journey; ``saved``: the plan kept in the own space, once per journey;
- a journey that reached the plan and is opened again from its start page (``again``), or started again with
  "Start again", is a new journey: its first step counts a new start and every step is reached again. Going on
  from the start page to a later step (its "Continue" link) is the same journey, so the mark is dropped.

A journey counts in the language of the page each step was opened in (a language switch midway counts the
later steps in the new language). A counter that cannot be written is logged and the page is shown anyway:
measuring never stops anyone's journey.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, session
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from ..context import today
from ..extensions import db
from .models import CHANNELS, JOURNEY_MEASURES, ChannelCount, JourneyCount

SESSION_KEY = "journey_counted"


def _language() -> str:
    return str(getattr(g, "lang_code", None) or "fi")[:2]


def _upsert(table: Table, values: dict[str, Any], keys: tuple[str, ...]) -> None:
    """One atomic ``INSERT ... ON CONFLICT (keys) DO UPDATE SET count = count + 1``, committed at once.

    It runs in the request's database session: a connection of its own would wait on SQLite for the write
    lock the request may hold. The views call it when they have nothing else unsaved."""
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[k] for k in keys], set_={"count": table.c["count"] + 1}
    )
    try:
        db.session.execute(statement)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("could not raise a usage counter", exc_info=True)


def count_journey(event_id: str, measure: str, step: str = "") -> None:
    """Raise today's counter of ``measure`` (at ``step``) for this life event in the page's language."""
    if measure not in JOURNEY_MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    table = JourneyCount.__table__
    values = {"day": today(), "event_id": event_id, "step": step, "language": _language(), "measure": measure}
    _upsert(table, values, ("day", "event_id", "step", "language", "measure"))  # type: ignore[arg-type]


def count_channel(event_id: str, task_id: str, channel: str) -> None:
    """Raise today's counter of a task's link to ``channel`` followed, in the page's language."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    table = ChannelCount.__table__
    values = {"day": today(), "event_id": event_id, "task_id": task_id, "channel": channel, "language": _language()}
    _upsert(table, values, ("day", "event_id", "task_id", "channel", "language"))  # type: ignore[arg-type]


# --- what this journey has counted (kept in the server-side session) -------------------------------------


def _record(event_id: str) -> dict[str, Any]:
    kept = session.get(SESSION_KEY)
    kept = kept if isinstance(kept, dict) else {}
    record = kept.get(event_id)
    record = record if isinstance(record, dict) else {}
    reached = record.get("reached")
    return {
        "started": record.get("started") is True,
        "reached": [s for s in reached if isinstance(s, str)] if isinstance(reached, list) else [],
        "plan": record.get("plan") is True,
        "saved": record.get("saved") is True,
        "again": record.get("again") is True,
    }


def _keep(event_id: str, record: dict[str, Any] | None) -> None:
    kept = session.get(SESSION_KEY)
    kept = dict(kept) if isinstance(kept, dict) else {}
    if record is None:
        kept.pop(event_id, None)
    else:
        kept[event_id] = record
    session[SESSION_KEY] = kept


def start_page_opened(event_id: str) -> None:
    """The start page: a journey that reached its plan and is started from here again is a new journey."""
    record = _record(event_id)
    if record["plan"] and not record["again"]:
        record["again"] = True
        _keep(event_id, record)


def journey_restarted(event_id: str) -> None:
    """ "Start again": what the journey counted is forgotten, so its next first step is a new start."""
    if isinstance(session.get(SESSION_KEY), dict) and event_id in session[SESSION_KEY]:
        _keep(event_id, None)


def step_opened(event_id: str, step_id: str, first: bool) -> None:
    """A step page shown (GET): ``reached`` once per step per journey, and ``started`` at the first step of a
    journey not yet counted as started (or one begun again from the start page after its plan)."""
    record = _record(event_id)
    changed = False
    if first and record["again"]:
        record = {"started": False, "reached": [], "plan": False, "saved": False, "again": False}
    elif record["again"]:  # went on with the same journey from the start page ("Continue"): not a new one
        record["again"], changed = False, True
    if first and not record["started"]:
        record["started"] = changed = True
        count_journey(event_id, "started")
    if step_id not in record["reached"]:
        record["reached"] = [*record["reached"], step_id]
        changed = True
        count_journey(event_id, "reached", step_id)
    if changed:
        _keep(event_id, record)


def plan_shown(event_id: str) -> None:
    """The plan page shown: once per journey (filtering the comparison or reloading does not count again)."""
    record = _record(event_id)
    if not record["plan"]:
        record["plan"] = True
        count_journey(event_id, "plan")
        _keep(event_id, record)


def plan_saved(event_id: str) -> None:
    """The plan kept in the own space: once per journey."""
    record = _record(event_id)
    if not record["saved"]:
        record["saved"] = True
        count_journey(event_id, "saved")
        _keep(event_id, record)
