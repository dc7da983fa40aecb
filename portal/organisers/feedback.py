"""The organisers' feedback pages (issue 16, item 5): the feedback about the units and service points a staff
person may act for, and one item to mark, publish to the comparison (or take back), answer, or close.

Who sees what is ``portal.feedback.services`` (``visible_to``, ``feedback_for``): a unit's feedback for the staff who
may act for it, the feedback about no unit (journeys, Polku in general, errors reported in a plan's tasks) for the
catalogue administrators. Everything else is 404, as every organiser page. Every change goes through
``services.handle`` (scope, validation, audit log, commit); this module only turns the forms into its arguments and
its refusals into the GOV.UK error pattern. The front page's open items come from ``open_items`` (a context
processor for ``organisers.index``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from sqlalchemy import func, select

from configurator.i18n import N_

from ..account_models import FEEDBACK_CATEGORIES, Feedback
from ..context import life_events, today
from ..extensions import db
from ..feedback import services
from ..forms import FormError, whole_number
from ..i18n import fast_gettext
from ..mail import MailError
from ..models import ServiceLocation
from ..rate_limits import limited
from . import bp
from .access import staff_required

PAGE_SIZE = 50
MAX_PAGE = 1000
OPEN_SHOWN = 10  # open items listed on the front page (the count says how many there are in all)
STATUSES = ("open", "handled", "all")
CATEGORY_LABELS = {
    "praise": N_("Praise"),
    "problem": N_("Problem"),
    "idea": N_("Idea"),
    "data_error": N_("Data error"),
}
KIND_LABELS = {
    "journey": N_("A life event's plan"),
    "service": N_("A service"),
    "general": N_("Polku in general"),
    "report": N_("Error reported in the information"),
}
LANGUAGES = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}
DONE = {
    "mark": N_("The feedback is marked."),
    "publish": N_("The comment is published in the comparison."),
    "unpublish": N_("The comment is no longer published."),
    "answer": N_("The answer is sent."),
    "handled": N_("The feedback is marked handled."),
    "reopen": N_("The feedback is open again."),
}


def _is_admin() -> bool:
    return "catalogue_admin" in set(g.staff.get("roles") or ())


def age_text(created: date, day: date) -> str:
    """How old an item is, in words: "today", "1 day", "3 days"."""
    days = max((day - created).days, 0)
    return gettext("today") if days == 0 else ngettext("%(num)s day", "%(num)s days", days)


@dataclass(frozen=True)
class Item:
    """One piece of feedback as the pages say it."""

    row: Feedback
    about: str
    age: str
    kind: str
    category: str | None
    language: str


def _about(row: Feedback, places: dict[int, str]) -> str:
    if row.location_id is not None:
        return places.get(row.location_id, str(row.location_id))
    event = life_events().get(row.event_id or "")
    if event is not None:
        title = fast_gettext(event.title)
        task = next((item for item in event.checklist if item.id == row.task_id), None)
        return f"{title}: {fast_gettext(task.title)}" if task is not None else title
    return gettext("Polku in general")


def _items(rows: list[Feedback]) -> list[Item]:
    ids = {row.location_id for row in rows if row.location_id is not None}
    places = (
        {
            location_id: name
            for location_id, name in db.session.execute(
                select(ServiceLocation.id, ServiceLocation.name).where(ServiceLocation.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    day = today()
    return [
        Item(
            row=row,
            about=_about(row, places),
            age=age_text(row.created_at.date(), day),
            kind=gettext(KIND_LABELS.get(row.kind, row.kind)),
            category=gettext(CATEGORY_LABELS[row.category]) if row.category in CATEGORY_LABELS else None,
            language=gettext(LANGUAGES.get(row.language, row.language)),
        )
        for row in rows
    ]


def open_items(limit: int = OPEN_SHOWN) -> tuple[list[Item], int]:
    """The person's open items (``handled_at`` IS NULL), oldest first, and how many there are in all."""
    where = (services.visible_to(g.actor.location_ids, _is_admin()), Feedback.handled_at.is_(None))
    count = db.session.scalar(select(func.count(Feedback.id)).where(*where)) or 0
    rows = db.session.scalars(select(Feedback).where(*where).order_by(Feedback.created_at, Feedback.id).limit(limit))
    return _items(list(rows)), count


@bp.context_processor
def _front_page_open_feedback() -> dict[str, Any]:
    """``open_feedback`` and ``open_feedback_count`` for the organiser front page."""
    if request.endpoint != "organisers.index" or not getattr(g, "actor", None):
        return {}
    items, count = open_items()
    return {"open_feedback": items, "open_feedback_count": count}


@bp.context_processor
def _menu_links() -> dict[str, Any]:
    """``staff_menu``: whether the organisers' menu links to the feedback and the dashboard. The same condition as
    the front page's "Open feedback" section: a signed-in staff person (``g.actor``); what each page then shows is
    scoped by their units, so every staff person may open both."""
    return {"staff_menu": getattr(g, "actor", None) is not None}


def _choice(name: str, allowed: tuple[str, ...], default: str | None) -> str | None:
    raw = request.args.get(name, "")
    return raw if raw in allowed else default


@bp.get("/<any(fi,sv,en):lang_code>/organiser/feedback")
@staff_required
def feedback() -> ResponseReturnValue:
    """The feedback about the person's units, newest first, 50 a page; filters: open or handled, category."""
    status = _choice("status", STATUSES, "open")
    category = _choice("category", FEEDBACK_CATEGORIES, None)
    page = whole_number(request.args.get("page"), max_digits=4)
    page = page if page is not None and 1 <= page <= MAX_PAGE else 1
    where = [services.visible_to(g.actor.location_ids, _is_admin())]
    if status == "open":
        where.append(Feedback.handled_at.is_(None))
    elif status == "handled":
        where.append(Feedback.handled_at.is_not(None))
    if category:
        where.append(Feedback.category == category)
    rows = list(
        db.session.scalars(
            select(Feedback)
            .where(*where)
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return render_template(
        "organisers/feedback.html",
        staff=g.staff,
        items=_items(rows[:PAGE_SIZE]),
        more=len(rows) > PAGE_SIZE,
        page=page,
        status=status,
        category=category,
        categories=[(key, gettext(label)) for key, label in CATEGORY_LABELS.items()],
    )


def _item_page(
    row: Feedback, errors: list[FormError], values: dict[str, str], status: int = 200, done: str | None = None
) -> ResponseReturnValue:
    return (
        render_template(
            "organisers/feedback_item.html",
            staff=g.staff,
            item=_items([row])[0],
            errors=[(None, error) for error in errors],
            error_for={error.field: error for error in errors},
            values=values,
            categories=[(key, gettext(label)) for key, label in CATEGORY_LABELS.items()],
            done=gettext(DONE[done]) if done in DONE else None,
            answer_max=services.ANSWER_MAX,
            can_answer=row.person_id is not None or bool(row.reply_email),
        ),
        status,
    )


def _row_or_404(feedback_id: int) -> Feedback:
    try:
        return services.feedback_for(g.actor.location_ids, _is_admin(), feedback_id)
    except services.HandlingNotFound:
        abort(404)


@bp.get("/<any(fi,sv,en):lang_code>/organiser/feedback/<int:feedback_id>")
@staff_required
def feedback_item(feedback_id: int) -> ResponseReturnValue:
    row = _row_or_404(feedback_id)
    return _item_page(row, [], {"category": row.category or ""}, done=request.args.get("done"))


@bp.post("/<any(fi,sv,en):lang_code>/organiser/feedback/<int:feedback_id>")
@staff_required
@limited("organiser_edit")
def handle_feedback(feedback_id: int) -> ResponseReturnValue:
    """One action of the item page's forms (``action``: mark, publish, unpublish, answer, handled, reopen)."""
    row = _row_or_404(feedback_id)
    action = request.form.get("action", "")
    values = {
        "category": request.form.get("category", "")[:20],
        "answer": request.form.get("answer", "")[: services.ANSWER_MAX + 1000],
    }
    try:
        services.handle(
            g.actor,
            _is_admin(),
            feedback_id,
            action,
            category=values["category"] or None,
            answer=request.form.get("answer"),
        )
    except services.HandlingNotFound:
        abort(404)
    except services.HandlingError as problem:
        field = {"category": "category", "answer": "answer"}.get(problem.field, "actions")
        error = FormError(field, gettext(problem.message) % problem.params if problem.params else problem.message)
        return _item_page(row, [error], values, status=400)
    except MailError:
        error = FormError("answer", N_("The e-mail could not be sent. Try again later."))
        return _item_page(row, [error], values, status=503)
    return redirect(url_for("organisers.feedback_item", feedback_id=feedback_id, done=action) + "#done")
