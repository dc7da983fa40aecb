"""The own space's routes (asiointinäkymä): saved plans with progress, messages, my data and consents.

Every object is read through ``owned()``: a plan, share link or message of someone else is a 404.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from .. import saved_plans
from ..account_models import CONSENT_PURPOSES, Message, Person, SavedPlan, ShareLink, timestamp
from ..context import directory, life_events, now, places, today
from ..extensions import database_gone, db
from ..i18n import add_lang_code, pull_lang_code
from ..identity import current_person, owned, sign_in_required
from ..journey.store import continue_in
from ..metrics.links import channel_links
from ..rate_limits import limited
from ..reservations.services import can_cancel, cancel
from ..security import local_path
from ..sessions import end_sessions_of, rotate
from ..signin.claims import profile_of
from ..signin.client import end_provider_session, portal_url, sign_in_available
from . import calendar_feed
from .calendar_export import plan_calendar, repeat_lines, repeat_text
from .consents import CONSENT_TEXTS, has_consent, set_consent
from .export import export, json_value
from .forms import ConsentForm, DeleteAccountForm, ProgressForm, WelcomeForm
from .messages import notify, shown, unread_count

bp = Blueprint("own", __name__, url_prefix="/<any(fi,sv,en):lang_code>/own")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)
shared_bp = Blueprint("shared", __name__, url_prefix="/<any(fi,sv,en):lang_code>/shared")
shared_bp.url_value_preprocessor(pull_lang_code)
shared_bp.url_defaults(add_lang_code)


# A recurring task's "Every 12 months" on every page that lists tasks (the journey's plan page too).
bp.add_app_template_global(repeat_text)
bp.add_app_template_global(repeat_lines)


@bp.app_context_processor
def header_context() -> dict[str, Any]:
    """What every page's header needs: who is signed in, unread messages, whether sign-in is possible.

    The error page has this header too: when the database went away mid-request (a restart), it is shown without
    the person's name and count rather than not at all (gunicorn would answer a bare 500 without its reference)."""
    try:
        person = current_person()
        unread = unread_count(person)
    except SQLAlchemyError:
        database_gone("the page header could not read the signed-in person")
        person, unread = None, 0
    return {"signed_in": person, "unread_messages": unread, "sign_in_available": sign_in_available()}


@bp.after_request
def _private(response: Response) -> Response:
    """Own pages hold personal data: not stored by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


@shared_bp.after_request
def _not_indexed(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")  # a calendar address sets its own (private)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _views(person: Person) -> list[saved_plans.PlanView]:
    events = life_events()
    return [
        saved_plans.view(p, events[p.event_id], today(), places(), directory())
        for p in person.plans
        if p.event_id in events
    ]


def _plan_view(plan_id: int) -> saved_plans.PlanView:
    saved = owned(SavedPlan, plan_id)
    event = life_events().get(saved.event_id)
    if event is None:
        abort(404)
    return saved_plans.view(saved, event, today(), places(), directory())


@bp.get("/")
@sign_in_required
def index() -> ResponseReturnValue:
    from .suggestions import shown_suggestions  # it adds its routes to this blueprint

    person = current_person()
    views = _views(person)
    if saved_plans.send_reminders(person, views, today()):
        db.session.commit()
    unread = [m for m in person.messages if m.read_at is None]
    return render_template(
        "own/index.html",
        person=person,
        profile=profile_of(person),
        plans=views,
        reservations=person.reservations,
        unread=len(unread),
        latest=[shown(m, life_events()) for m in person.messages[:3]],
        events=life_events(),
        suggestions=shown_suggestions(person),
        dismissed=request.args.get("dismissed"),
    )


@bp.route("/welcome", methods=["GET", "POST"])
@sign_in_required
def welcome() -> ResponseReturnValue:
    """On the first sign-in: what the own space keeps, and the consents (none pre-ticked)."""
    person = current_person()
    form = WelcomeForm()
    target = local_path(form.next.data if form.is_submitted() else request.args.get("next")) or url_for(".index")
    if form.validate_on_submit():
        for purpose, given in form.given().items():
            set_consent(person, purpose, given)
        notify(person, "welcome", link="/own/")
        db.session.commit()
        return redirect(target)
    return render_template("own/welcome.html", person=person, consent_texts=CONSENT_TEXTS, next_url=target)


@bp.get("/plans/<int:plan_id>")
@sign_in_required
def plan(plan_id: int) -> ResponseReturnValue:
    return _plan_page(_plan_view(plan_id))


def _plan_page(plan_view: saved_plans.PlanView, calendar_token: str | None = None) -> str:
    plan_id = plan_view.saved.id
    calendar_url = portal_url(url_for("shared.calendar_feed_view", token=calendar_token)) if calendar_token else None
    return render_template(
        "own/plan.html",
        plan=plan_view,
        event=plan_view.event,
        shares=plan_view.saved.share_links,
        calendar_feeds=plan_view.saved.calendar_feeds,
        calendar_url=calendar_url,
        webcal_url=calendar_feed.webcal(calendar_url) if calendar_url else None,
        saved=request.args.get("saved"),
        go=channel_links(plan_view.event.id, plan_id),  # the tasks' channel links count (portal/metrics/views.py)
        # the events a task goes on in (continue_with), for their titles on the task's button
        continues={
            e.item.id: life_events()[e.item.continue_with.event] for e in plan_view.checklist if e.item.continue_with
        },
    )


@bp.post("/plans/<int:plan_id>/progress")
@sign_in_required
def progress(plan_id: int) -> ResponseReturnValue:
    plan_view = _plan_view(plan_id)
    saved_plans.set_progress(
        plan_view.saved,
        ProgressForm().ticked(),
        [e.item.id for e in plan_view.checklist],
        today(),
        saved_plans.recurring_open(plan_view.checklist),
    )
    db.session.commit()
    return redirect(url_for(".plan", plan_id=plan_id, saved="progress") + "#checklist-title")


@bp.post("/plans/<int:plan_id>/edit")
@sign_in_required
def edit(plan_id: int) -> ResponseReturnValue:
    """Open the saved answers in the journey; every change is written back to this plan."""
    plan_view = _plan_view(plan_id)
    saved = plan_view.saved
    answers = dict(session.get("answers", {}))
    answers[saved.event_id] = dict(saved.answers or {})
    session["answers"] = answers
    session["plan_links"] = dict(session.get("plan_links", {})) | {saved.event_id: saved.id}
    session["acting_for"] = dict(session.get("acting_for", {})) | {
        saved.event_id: {"key": saved.acting_for, "name": saved.acting_for_name}
    }
    if request.form.get("to") == "plan" and plan_view.state.complete:
        return redirect(url_for("journey.plan", event_id=saved.event_id))
    return redirect(url_for("journey.check", event_id=saved.event_id))


@bp.post("/plans/<int:plan_id>/continue/<item_id>")
@sign_in_required
def continue_with(plan_id: int, item_id: str) -> ResponseReturnValue:
    """Start the life event a task of this saved plan goes on in (its ``continue_with``) with the plan's answers,
    as the journey's plan page does (journey/store.continue_in): never its private answers."""
    saved = owned(SavedPlan, plan_id)
    event = life_events().get(saved.event_id)
    if event is None:
        abort(404)
    target = continue_in(event, item_id, dict(saved.answers or {}))
    return redirect(url_for("journey.start", event_id=target.id))


@bp.post("/plans/<int:plan_id>/delete")
@sign_in_required
def delete_plan(plan_id: int) -> ResponseReturnValue:
    saved = owned(SavedPlan, plan_id)
    links = dict(session.get("plan_links", {}))
    if links.get(saved.event_id) == saved.id:
        links.pop(saved.event_id)
        session["plan_links"] = links
    db.session.delete(saved)
    db.session.commit()
    return redirect(url_for(".index", deleted="plan"))


@bp.get("/plans/<int:plan_id>/calendar.ics")
@sign_in_required
def calendar(plan_id: int) -> ResponseReturnValue:
    plan_view = _plan_view(plan_id)
    body = plan_calendar(
        gettext(plan_view.event.title),
        plan_view.checklist,
        f"polku-plan-{plan_id}",
        url_for(".plan", plan_id=plan_id, _external=True),
        plan_view.done,
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="polku-{plan_view.event.id}.ics"'},
    )


@bp.get("/plans/<int:plan_id>/print")
@sign_in_required
def print_plan(plan_id: int) -> ResponseReturnValue:
    plan_view = _plan_view(plan_id)
    return render_template("own/print.html", plan=plan_view, event=plan_view.event, printed_on=today())


@bp.post("/plans/<int:plan_id>/share")
@sign_in_required
def share(plan_id: int) -> ResponseReturnValue:
    saved = owned(SavedPlan, plan_id)
    saved_plans.new_share_link(saved)
    db.session.commit()
    return redirect(url_for(".plan", plan_id=plan_id, saved="share") + "#share-title")


@bp.post("/plans/<int:plan_id>/share/<token>/delete")
@sign_in_required
def unshare(plan_id: int, token: str) -> ResponseReturnValue:
    saved = owned(SavedPlan, plan_id)
    link = db.session.get(ShareLink, token)
    if link is None or link.plan_id != saved.id:
        abort(404)
    db.session.delete(link)
    db.session.commit()
    return redirect(url_for(".plan", plan_id=plan_id, saved="unshare") + "#share-title")


@bp.route("/plans/<int:plan_id>/calendar-address", methods=["GET", "POST"])
@sign_in_required
def calendar_address(plan_id: int) -> ResponseReturnValue:
    """Make the plan's calendar address (stopping an earlier one) and show it on the plan page, this once: the
    token is kept nowhere, so the answer is the page itself, not a redirect to it. A GET (that page's language
    switcher, a reload by address) goes to the plan page: the address is not shown again."""
    if request.method == "GET":
        owned(SavedPlan, plan_id)
        return redirect(url_for(".plan", plan_id=plan_id) + "#calendar-title")
    plan_view = _plan_view(plan_id)
    token = calendar_feed.new_address(plan_view.saved)
    db.session.commit()
    return _plan_page(plan_view, calendar_token=token)


@bp.post("/plans/<int:plan_id>/calendar-address/stop")
@sign_in_required
def stop_calendar_address(plan_id: int) -> ResponseReturnValue:
    saved = owned(SavedPlan, plan_id)
    calendar_feed.stop(saved)
    db.session.commit()
    return redirect(url_for(".plan", plan_id=plan_id, saved="calendar-stopped") + "#calendar-title")


@bp.get("/messages")
@sign_in_required
def messages() -> ResponseReturnValue:
    person = current_person()
    listed = [shown(m, life_events()) for m in person.messages]
    page = render_template("own/messages.html", messages=listed)
    read_at = timestamp()
    for message in person.messages:
        message.read_at = message.read_at or read_at
    db.session.commit()
    return page


@bp.get("/messages/<int:message_id>")
@sign_in_required
def message(message_id: int) -> ResponseReturnValue:
    found = owned(Message, message_id)
    found.read_at = found.read_at or timestamp()
    db.session.commit()
    if found.link:
        return redirect(f"/{g.get('lang_code', 'fi')}{found.link}")
    return redirect(url_for(".messages"))


@bp.get("/data")
@sign_in_required
def my_data() -> ResponseReturnValue:
    person = current_person()
    return render_template(
        "own/data.html",
        person=person,
        profile=profile_of(person),
        consent_texts=CONSENT_TEXTS,
        consents={p: has_consent(person, p) for p in CONSENT_PURPOSES},
        saved=request.args.get("saved"),
        error=request.args.get("error"),
    )


@bp.post("/consents")
@sign_in_required
def consents() -> ResponseReturnValue:
    form = ConsentForm()
    if not form.validate():  # the buttons' hidden fields: anything else was not sent by the page
        abort(400)
    set_consent(current_person(), form.purpose.data, form.given.data == "yes")
    db.session.commit()
    return redirect(url_for(".my_data", saved="consents") + "#consents-title")


@bp.get("/data.json")
@sign_in_required
def download() -> ResponseReturnValue:
    body = json.dumps(export(current_person()), ensure_ascii=False, indent=2, default=json_value)
    return Response(
        body, mimetype="application/json", headers={"Content-Disposition": 'attachment; filename="polku-my-data.json"'}
    )


@bp.post("/delete-account")
@sign_in_required
def delete_account() -> ResponseReturnValue:
    """Delete the account and everything kept about the person; held places are given back first."""
    if not DeleteAccountForm().validate():  # My data shows the error (error=confirm) after the redirect
        return redirect(url_for(".my_data", error="confirm") + "#delete-title")
    person = current_person()
    moment = now()
    for reservation in list(person.reservations):
        if can_cancel(reservation, moment):  # a past appointment is not given back; its record still goes
            cancel(db.session, reservation, now=moment)
    end_sessions_of(person.id)  # every device: an old cookie must not open anything, least of all a new account
    db.session.delete(db.session.get(Person, person.id))
    db.session.commit()
    lang = g.get("lang_code", "fi")
    id_token = session.get("id_token")
    session.clear()
    rotate(session)
    # signed out at the provider too, or its single sign-on session would sign the person straight in again
    return end_provider_session(id_token, lang, portal_url(url_for("pages.home", lang_code=lang, deleted="account")))


@shared_bp.get("/<token>")
def shared(token: str) -> ResponseReturnValue:
    """A shared plan: the tasks and their deadlines only, nothing about the person or their answers."""
    link = db.session.scalar(select(ShareLink).where(ShareLink.token == token))
    if link is None:
        abort(404)
    event = life_events().get(link.plan.event_id)
    if event is None:
        abort(404)
    # without the private answers kept with consent: a shared plan must not show a care plan's tasks
    plan_view = saved_plans.view(link.plan, event, today(), places(), directory(), private=False)
    return render_template("own/shared.html", plan=plan_view, event=event)


@shared_bp.get("/calendar/<token>.ics")
@limited("calendar_feed")
def calendar_feed_view(token: str) -> ResponseReturnValue:
    """A plan's calendar address, which calendar applications poll: no sign-in and no session (nothing here reads
    or writes one), 404 for an unknown or stopped address; the tasks without the private answers, in the
    address's language (portal/own/calendar_feed.py)."""
    feed = calendar_feed.find(token)
    event = life_events().get(feed.plan.event_id) if feed is not None else None
    if feed is None or event is None:
        abort(404)
    plan_view = saved_plans.view(feed.plan, event, today(), places(), directory(), private=False)
    body = plan_calendar(
        gettext(event.title),
        plan_view.checklist,
        f"polku-plan-{feed.plan_id}",
        portal_url(url_for("own.plan", plan_id=feed.plan_id)),
        plan_view.done,
        refresh=True,
    )
    feed.last_read_at = timestamp()
    db.session.commit()
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Cache-Control": f"private, max-age={calendar_feed.MAX_AGE_SECONDS}",
            "Content-Disposition": f'inline; filename="polku-{event.id}.ics"',
        },
    )


__all__ = ["bp", "export", "shared_bp"]
