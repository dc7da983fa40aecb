"""The own space (asiointinäkymä): saved plans with progress, messages, my data and consents.

Every object is read through ``owned()``: a plan, share link or message of someone else is a 404.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Mapping

from flask import Blueprint, Response, abort, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from configurator import clock
from configurator.i18n import N_

from ..account import (current_person, has_consent, owned, profile_of, set_consent, sign_in_required)
from ..account_models import CONSENT_PURPOSES, Message, Person, SavedPlan, ShareLink, timestamp
from ..calendar_export import plan_calendar
from ..context import directory, life_events, now, places, today
from ..extensions import db
from ..i18n import add_lang_code, pull_lang_code
from ..messages import shown
from ..security import local_path
from ..sessions import end_sessions_of, rotate
from .. import saved_plans

bp = Blueprint("own", __name__, url_prefix="/<any(fi,sv,en):lang_code>/own")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)
shared_bp = Blueprint("shared", __name__, url_prefix="/<any(fi,sv,en):lang_code>/shared")
shared_bp.url_value_preprocessor(pull_lang_code)
shared_bp.url_defaults(add_lang_code)

CONSENT_TEXTS = {
    "prefill": (N_("Fill in questions from my details"),
                N_("Polku uses your address, household and company details from the identification service "
                   "to fill in questions for you. You can change every answer.")),
    "reminders": (N_("Remind me of deadlines"),
                  N_("Polku puts a message in your own space when a task in your plan is due within two weeks.")),
}


@bp.after_request
def _private(response: Response) -> Response:
    """Own pages hold personal data: not stored by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


@shared_bp.after_request
def _not_indexed(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _views(person: Person) -> list[saved_plans.PlanView]:
    events = life_events()
    return [saved_plans.view(p, events[p.event_id], today(), places(), directory())
            for p in person.plans if p.event_id in events]


def _plan_view(plan_id: int) -> saved_plans.PlanView:
    saved = owned(SavedPlan, plan_id)
    event = life_events().get(saved.event_id)
    if event is None:
        abort(404)
    return saved_plans.view(saved, event, today(), places(), directory())


@bp.get("/")
@sign_in_required
def index() -> ResponseReturnValue:
    person = current_person()
    views = _views(person)
    if saved_plans.send_reminders(person, views, today()):
        db.session.commit()
    unread = [m for m in person.messages if m.read_at is None]
    return render_template("own/index.html", person=person, profile=profile_of(person), plans=views,
                           reservations=person.reservations, unread=len(unread),
                           latest=[shown(m, life_events()) for m in person.messages[:3]],
                           events=life_events())


@bp.route("/welcome", methods=["GET", "POST"])
@sign_in_required
def welcome() -> ResponseReturnValue:
    """On the first sign-in: what the own space keeps, and the consents (none pre-ticked)."""
    person = current_person()
    target = local_path(request.values.get("next")) or url_for(".index")
    if request.method == "POST":
        for purpose in CONSENT_PURPOSES:
            set_consent(person, purpose, request.form.get(purpose) == "yes")
        from ..account import notify

        notify(person, "welcome", link="/own/")
        db.session.commit()
        return redirect(target)
    return render_template("own/welcome.html", person=person, consent_texts=CONSENT_TEXTS, next_url=target)


@bp.get("/plans/<int:plan_id>")
@sign_in_required
def plan(plan_id: int) -> ResponseReturnValue:
    plan_view = _plan_view(plan_id)
    return render_template("own/plan.html", plan=plan_view, event=plan_view.event,
                           shares=plan_view.saved.share_links, saved=request.args.get("saved"))


@bp.post("/plans/<int:plan_id>/progress")
@sign_in_required
def progress(plan_id: int) -> ResponseReturnValue:
    plan_view = _plan_view(plan_id)
    saved_plans.set_progress(plan_view.saved, request.form.getlist("done"),
                             [e.item.id for e in plan_view.checklist], today())
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
        saved.event_id: {"key": saved.acting_for, "name": saved.acting_for_name}}
    if request.form.get("to") == "plan" and plan_view.state.complete:
        return redirect(url_for("journey.plan", event_id=saved.event_id))
    return redirect(url_for("journey.check", event_id=saved.event_id))


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
    from flask_babel import gettext

    plan_view = _plan_view(plan_id)
    body = plan_calendar(gettext(plan_view.event.title), plan_view.checklist, f"polku-plan-{plan_id}",
                         url_for(".plan", plan_id=plan_id, _external=True), plan_view.done)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="polku-{plan_view.event.id}.ics"'})


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
    return render_template("own/data.html", person=person, profile=profile_of(person), consent_texts=CONSENT_TEXTS,
                           consents={p: has_consent(person, p) for p in CONSENT_PURPOSES},
                           saved=request.args.get("saved"), error=request.args.get("error"))


@bp.post("/consents")
@sign_in_required
def consents() -> ResponseReturnValue:
    person = current_person()
    purpose = request.form.get("purpose", "")
    if purpose not in CONSENT_PURPOSES or request.form.get("given") not in ("yes", "no"):
        abort(400)
    set_consent(person, purpose, request.form["given"] == "yes")
    db.session.commit()
    return redirect(url_for(".my_data", saved="consents") + "#consents-title")


@bp.get("/data.json")
@sign_in_required
def download() -> ResponseReturnValue:
    body = json.dumps(export(current_person()), ensure_ascii=False, indent=2, default=json_value)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="polku-my-data.json"'})


@bp.post("/delete-account")
@sign_in_required
def delete_account() -> ResponseReturnValue:
    """Delete the account and everything kept about the person; held places are given back first."""
    if request.form.get("confirm") != "yes":
        return redirect(url_for(".my_data", error="confirm") + "#delete-title")
    from ..reservations import can_cancel, cancel

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
    from ..signin.client import end_provider_session, portal_url

    # signed out at the provider too, or its single sign-on session would sign the person straight in again
    return end_provider_session(id_token, lang, portal_url(url_for("pages.home", lang_code=lang, deleted="account")))


def json_value(value: Any) -> Any:
    """A value ``json`` cannot write itself: a date-time with its Helsinki offset (stored values are naive
    Helsinki wall time, which a reader elsewhere could not place), a plain date as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return clock.iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def message_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """A message's values for the download: an appointment's ``starts_at`` (kept as naive Helsinki wall time
    text, which the message page formats) with its offset."""
    shown = dict(values)
    if isinstance(shown.get("starts_at"), str):
        shown["starts_at"] = clock.iso(datetime.fromisoformat(shown["starts_at"]))
    return shown


def export(person: Person) -> dict[str, Any]:
    """Everything the portal keeps about the person, in one document (GDPR Art. 15 and 20);
    date-times carry their Helsinki offset (``json_value``)."""
    return {
        "format": "polku-my-data/1",
        "exported_at": clock.iso(timestamp()),
        "person": {"name": person.name, "issuer": person.issuer, "subject": person.subject,
                   "created_at": person.created_at, "last_signed_in_at": person.last_signed_in_at,
                   "claims": person.claims},
        "consents": [{"purpose": c.purpose, "given_at": c.given_at, "withdrawn_at": c.withdrawn_at}
                     for c in person.consents],
        "plans": [{"id": p.id, "life_event": p.event_id, "acting_for": p.acting_for,
                   "acting_for_name": p.acting_for_name, "answers": p.answers, "created_at": p.created_at,
                   "updated_at": p.updated_at,
                   "tasks_done": [{"task": t.task_id, "done_on": t.done_on} for t in p.progress],
                   "share_links": [{"created_at": s.created_at} for s in p.share_links]}
                  for p in person.plans],
        "reservations": [{"id": r.id, "kind": r.kind, "place": r.location.name, "location_id": r.location_id,
                          "starts_at": r.slot.starts_at if r.slot else None, "starts_on": r.starts_on,
                          "age_group": r.age_group, "acting_for": r.acting_for, "phone": r.phone, "status": r.status,
                          "created_at": r.created_at, "cancelled_at": r.cancelled_at}
                         for r in person.reservations],
        "messages": [{"kind": m.kind, "values": message_values(m.values or {}), "created_at": m.created_at,
                      "read_at": m.read_at}
                     for m in person.messages],
        "feedback": [{"kind": f.kind, "life_event": f.event_id, "location_id": f.location_id, "rating": f.rating,
                      "effort": f.effort, "comment": f.comment, "created_at": f.created_at}
                     for f in person.feedback],
    }


@shared_bp.get("/<token>")
def shared(token: str) -> ResponseReturnValue:
    """A shared plan: the tasks and their deadlines only, nothing about the person or their answers."""
    link = db.session.scalar(select(ShareLink).where(ShareLink.token == token))
    if link is None:
        abort(404)
    event = life_events().get(link.plan.event_id)
    if event is None:
        abort(404)
    plan_view = saved_plans.view(link.plan, event, today(), places(), directory())
    return render_template("own/shared.html", plan=plan_view, event=event)


__all__ = ["bp", "export", "shared_bp"]
