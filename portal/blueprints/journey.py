"""The life-event journey: start page, one page per step, check your answers, and the plan.

Answers live in the session as the raw strings the forms posted, per life event,
so a language switch, a Back link or an error page never loses them.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask.typing import ResponseReturnValue

from configurator.answers import field_names
from configurator.catalogue import ACCESSIBILITY_FACTS, AGE_GROUPS, CARE_TYPES, LANGUAGES, PROVIDER_TYPES, REPORTER_ROLES
from configurator.i18n import N_
from configurator.journey import Walk, parse_step, visible_questions, walk
from configurator.lifeevents import CHANNELS, LifeEvent, Step
from configurator.checklist import text_values
from configurator.plan import filters_from_query, make_plan
from configurator.service_points import APPOINTMENT_CHANNELS, CHARGES, FEE_UNITS, SERVICE_KINDS

from configurator.profile import PREFILL_SOURCES, Subject, prefill, subject_by_key, subjects

from .. import saved_plans
from ..account import current_person, has_consent, profile_of
from ..account_models import SavedPlan
from ..context import directory, life_event_or_404, places, sources, today
from ..extensions import db
from ..i18n import add_lang_code, map_labels, pull_lang_code
from ..preview import preview_for

PAGE_SIZE = 20
bp = Blueprint("journey", __name__, url_prefix="/<any(fi,sv,en):lang_code>/events")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)


def raw_answers(event_id: str) -> dict[str, str]:
    return dict(session.get("answers", {}).get(event_id, {}))


def save_raw_answers(event_id: str, raw: dict[str, str]) -> None:
    answers = dict(session.get("answers", {}))
    answers[event_id] = raw
    session["answers"] = answers
    session.permanent = True
    linked = linked_plan(event_id)
    if linked is not None:  # a signed-in person's saved plan follows every change
        saved_plans.save(current_person(), life_event_or_404(event_id), raw, subject_for(event_id), today(), places())
        db.session.commit()


def linked_plan(event_id: str) -> SavedPlan | None:
    """The signed-in person's saved plan this journey writes to, if any (never someone else's)."""
    person = current_person()
    plan_id = session.get("plan_links", {}).get(event_id)
    if person is None or plan_id is None:
        return None
    found = db.session.get(SavedPlan, plan_id)
    return found if found is not None and found.person_id == person.id else None


def subject_for(event_id: str) -> Subject:
    """Whose matter this journey is (chosen on the start page); oneself when nothing was chosen."""
    chosen = session.get("acting_for", {}).get(event_id) or {}
    return Subject(chosen.get("key", "self"), chosen.get("name"))


def prefilled_questions(event_id: str) -> dict[str, str]:
    return dict(session.get("prefilled", {}).get(event_id, {}))


def current_walk(event: LifeEvent, raw: dict[str, str] | None = None) -> Walk:
    return walk(event, raw if raw is not None else raw_answers(event.id), today(), places())


def _step_fields(step: Step) -> list[str]:
    return [name for q in step.questions for name in field_names(q.id, q.type)]


def _after_step_url(event: LifeEvent, state: Walk, step: Step, changing: bool) -> str:
    if changing and state.complete:
        return url_for(".check", event_id=event.id)
    following = state.next_step(step.id)
    if following is None:
        return url_for(".check", event_id=event.id)
    return url_for(".step", event_id=event.id, step_id=following.id, change=1 if changing else None)


def _shown_questions(state: Walk, step: Step, raw: dict[str, str]) -> tuple:
    """The step's questions as the page shows them for these raw answers (show-if evaluated)."""
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in step.questions}}
    return visible_questions(step, {**earlier, **parse_step(step, raw, earlier, today(), places()).answers}, today())


def _render_step(event: LifeEvent, state: Walk, step: Step, raw: dict[str, str], errors: tuple = ()) -> str:
    shown = _shown_questions(state, step, raw)
    previous = state.previous_step(step.id)
    back = (url_for(".check", event_id=event.id) if request.args.get("change")
            else url_for(".step", event_id=event.id, step_id=previous.id) if previous
            else url_for(".start", event_id=event.id))
    return render_template(
        "journey/step.html", event=event, step=step, questions=shown, raw=raw, errors=errors,
        position=state.position(step.id), total=len(state.steps), back_url=back,
        changing=bool(request.args.get("change")), preview=preview_for(event, state),
        prefilled=prefilled_questions(event.id), prefill_sources=PREFILL_SOURCES, linked=linked_plan(event.id),
        hint_values=text_values(event, today()),
    )


@bp.get("/<event_id>/")
def start(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    state = current_walk(event)
    person = current_person()
    choices = subjects(profile_of(person), event.acting_for) if person else ()
    return render_template("journey/start.html", event=event, has_answers=bool(raw_answers(event_id)),
                           first_step=state.steps[0], resume_step=state.first_incomplete, person=person,
                           subjects=choices, error=request.args.get("error"),
                           saved={p.acting_for: p for p in person.plans if p.event_id == event.id} if person else {},
                           prefill_consent=has_consent(person, "prefill"))


@bp.post("/<event_id>/begin")
def begin(event_id: str) -> ResponseReturnValue:
    """A signed-in person starts or resumes the plan of one subject (themselves, a child, a company).

    A saved plan for the subject is resumed as it is; otherwise the questions the profile answers
    are filled in (with the prefill consent) and the journey opens at the first step still open.
    """
    event = life_event_or_404(event_id)
    person = current_person()
    if person is None:
        return redirect(url_for(".start", event_id=event_id))
    profile = profile_of(person)
    subject = subject_by_key(profile, event.acting_for, request.form.get("acting_for", "self"))
    if subject is None:
        return redirect(url_for(".start", event_id=event_id, error="acting_for") + "#acting_for")
    session["acting_for"] = dict(session.get("acting_for", {})) | {event_id: {"key": subject.key, "name": subject.name}}
    existing = saved_plans.find(person, event_id, subject.key)
    filled: dict[str, str] = {}
    if existing is not None:
        raw = dict(existing.answers or {})
    else:
        raw = {} if request.form.get("fresh") else raw_answers(event_id)
        if has_consent(person, "prefill"):
            known, filled = prefill(event.questions(), profile, subject)
            raw = known | {k: v for k, v in raw.items() if v}  # what the person typed wins
        existing = saved_plans.save(person, event, raw, subject, today(), places())
        db.session.commit()
    session["plan_links"] = dict(session.get("plan_links", {})) | {event_id: existing.id}
    session["prefilled"] = dict(session.get("prefilled", {})) | {event_id: filled}
    answers = dict(session.get("answers", {}))
    answers[event_id] = raw
    session["answers"] = answers
    state = current_walk(event, raw)
    if state.complete:
        return redirect(url_for(".check", event_id=event_id))
    return redirect(url_for(".step", event_id=event_id, step_id=state.first_incomplete.id))


@bp.post("/<event_id>/save")
def save(event_id: str) -> ResponseReturnValue:
    """Keep an answered plan in the own space (after signing in mid-journey)."""
    event = life_event_or_404(event_id)
    person = current_person()
    if person is None:
        return redirect(url_for("auth.sign_in", next=url_for(".plan", event_id=event_id)))
    saved = saved_plans.save(person, event, raw_answers(event_id), subject_for(event_id), today(), places())
    db.session.commit()
    session["plan_links"] = dict(session.get("plan_links", {})) | {event_id: saved.id}
    return redirect(url_for("own.plan", plan_id=saved.id, saved="plan"))


@bp.route("/<event_id>/steps/<step_id>", methods=["GET", "POST"])
def step(event_id: str, step_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    raw = raw_answers(event_id)
    state = current_walk(event, raw)
    current = next((s for s in state.steps if s.id == step_id), None)
    if current is None:
        try:
            event.step(step_id)
        except KeyError:
            abort(404)
        return redirect(url_for(".check", event_id=event_id))
    if request.method == "GET":
        return _render_step(event, state, current, raw)
    seen = {q.id for q in _shown_questions(state, current, raw)}  # the page the user just submitted
    for name in _step_fields(current):
        raw.pop(name, None)
    raw.update({name: ",".join(request.form.getlist(name))[:200] for name in _step_fields(current)
                if name in request.form})
    save_raw_answers(event_id, raw)
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in current.questions}}
    result = parse_step(current, raw, earlier, today(), places())
    state = current_walk(event, raw)
    if not result.ok:
        # A question revealed by this answer (show-if) is asked now, not reported as an error.
        return _render_step(event, state, current, raw, tuple((q, e) for q, e in result.errors if q.id in seen))
    return redirect(_after_step_url(event, state, current, bool(request.args.get("change"))))


@bp.get("/<event_id>/check")
def check(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    state = current_walk(event)
    if not raw_answers(event_id):
        return redirect(url_for(".start", event_id=event_id))
    return render_template("journey/check.html", event=event, state=state,
                           rows=_check_rows(event, state), preview=preview_for(event, state),
                           prefilled=prefilled_questions(event_id), prefill_sources=PREFILL_SOURCES,
                           linked=linked_plan(event_id))


def _check_rows(event: LifeEvent, state: Walk) -> list[dict[str, Any]]:
    rows = []
    for step in state.steps:
        for question in visible_questions(step, state.answers, today()):
            rows.append({"step": step, "question": question, "value": state.answers.get(question.id),
                         "answered": question.id in state.answers})
    return rows


@bp.get("/<event_id>/plan")
def plan(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    state = current_walk(event)
    if not state.complete:
        if not raw_answers(event_id):
            return redirect(url_for(".start", event_id=event_id))
        return redirect(url_for(".step", event_id=event_id, step_id=state.first_incomplete.id))
    filters = filters_from_query(event, request.args.to_dict(flat=False))
    result = make_plan(event, state.answers, today(), sources(state.answers.get("start_date", today())),
                       directory(), filters)
    checklist = sorted(result.checklist, key=lambda e: (e.due is None, e.due or today()))
    return render_template("journey/plan.html", event=event, plan=result, state=state, checklist=checklist,
                           person=current_person(), linked=linked_plan(event_id))


@bp.get("/<event_id>/calendar.ics")
def calendar(event_id: str) -> ResponseReturnValue:
    """The deadlines of the plan in this browser session, as a calendar file (no sign-in needed)."""
    from flask import Response
    from flask_babel import gettext

    from configurator.checklist import build_checklist
    from ..calendar_export import plan_calendar

    event = life_event_or_404(event_id)
    state = current_walk(event)
    if not state.complete:
        return redirect(url_for(".plan", event_id=event_id))
    entries = build_checklist(event, state.answers, today(), directory())
    if "calendar_id" not in session:  # stable UIDs per browser session: importing again updates, not duplicates
        import secrets

        session["calendar_id"] = secrets.token_hex(8)
    body = plan_calendar(gettext(event.title), entries, f"polku-{event_id}-{session['calendar_id']}")
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="polku-{event_id}.ics"'})


@dataclass(frozen=True)
class Page:
    """One page of the comparison table: a citizen compares a few units at a time, not hundreds."""

    rows: tuple
    number: int
    count: int
    size: int = PAGE_SIZE

    @classmethod
    def of(cls, rows: tuple, requested: str) -> "Page":
        count = max(1, -(-len(rows) // PAGE_SIZE))
        number = min(max(int(requested), 1), count) if requested.isdigit() else 1
        return cls(rows[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], number, count)

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1


def page_url(number: int) -> str:
    args = request.args.to_dict(flat=False)
    args["page"] = [str(number)]
    return url_for(".plan", event_id=request.view_args["event_id"], **args) + "#results-count"


def paginate(rows: tuple) -> Page:
    return Page.of(rows, request.args.get("page", "1"))


POINT_LABELS = {"home": N_("Your home"), "work": N_("Your workplace"), "premises": N_("Your business premises")}


def map_data(markers: list[dict[str, Any]], answers: dict[str, Any], keys: tuple[str, ...],
             labels: dict[str, str] | None = None) -> dict[str, Any]:
    """What an optional map shows: the same places as its table, and the user's own points (``keys``)."""
    points = []
    for key in keys:
        location = answers.get(key)
        if location is not None:
            points.append({"lat": location.place.latitude, "lon": location.place.longitude,
                           "label": gettext(POINT_LABELS[key])})
    return {"points": points, "units": markers, "tiles": current_app.config.get("MAP_TILE_URL", ""),
            "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION", ""), "labels": map_labels() | (labels or {})}


def ecec_markers(rows: tuple) -> list[dict[str, Any]]:
    lang = g.get("lang_code", "fi")
    return [{"id": r.unit.id, "lat": r.unit.latitude, "lon": r.unit.longitude,
             "name": r.unit.display_name(lang), "room": r.has_room} for r in rows]


def service_markers(rows: tuple) -> list[dict[str, Any]]:
    """Service points; "room" means a free appointment, and the table rows are #service-<id>."""
    lang = g.get("lang_code", "fi")
    return [{"id": f"service-{r.point.id}", "lat": r.point.latitude, "lon": r.point.longitude,
             "name": r.point.display_name(lang), "room": r.point.next_free_appointment is not None} for r in rows]


SERVICE_MAP_LABELS = {"freePlaces": N_("Free appointment times"), "noRoom": N_("No free appointment times")}


def sort_url(sort: str) -> str:
    args = request.args.to_dict(flat=False)
    args["sort"] = [sort]
    args.pop("page", None)
    return url_for(".plan", event_id=request.view_args["event_id"], **args) + "#compare-title"


@bp.app_context_processor
def labels() -> dict[str, Any]:
    """The domain's label tables, translated once per request (the results table uses them on every row)."""
    def translated(table: dict[str, str]) -> dict[str, str]:
        return {key: gettext(label) for key, label in table.items()}

    names = SimpleNamespace(
        care_types=translated(CARE_TYPES), provider_types=translated(PROVIDER_TYPES),
        languages=translated(LANGUAGES), age_groups=translated(AGE_GROUPS),
        accessibility_facts=translated(ACCESSIBILITY_FACTS), channels=translated(CHANNELS),
        reporter_roles=translated(REPORTER_ROLES),
        service_kinds=translated(SERVICE_KINDS), charges=translated(CHARGES), fee_units=FEE_UNITS,
        appointment_channels=translated(APPOINTMENT_CHANNELS),
        fact_values={None: gettext("not known"), True: gettext("yes"), False: gettext("no")},
    )
    return {
        "names": names, "sort_url": sort_url, "page_url": page_url, "paginate": paginate, "map_data": map_data,
        "ecec_markers": ecec_markers, "service_markers": service_markers,
        "service_map_labels": {key: gettext(label) for key, label in SERVICE_MAP_LABELS.items()},
        "sorts": [(key, gettext(label)) for key, label in SORT_LABELS.items()],
        "sort_labels": {key: gettext(label) for key, label in SORT_LABELS.items()},
    }


SORT_LABELS = {"distance": N_("distance"), "cost": N_("cost"), "availability": N_("free places"), "name": N_("name")}


@bp.post("/<event_id>/preview")
def live_preview(event_id: str) -> ResponseReturnValue:
    """The result summary for answers being typed (JavaScript enhancement); nothing is saved."""
    event = life_event_or_404(event_id)
    raw = raw_answers(event_id)
    raw.update({name: ",".join(request.form.getlist(name))[:200] for name in request.form if name != "csrf_token"})
    return render_template("journey/_preview.html", event=event, preview=preview_for(event, current_walk(event, raw)))


@bp.post("/<event_id>/restart")
def restart(event_id: str) -> ResponseReturnValue:
    """Start again: the session's answers go; a saved plan stays in the own space, unlinked."""
    life_event_or_404(event_id)
    for key in ("plan_links", "prefilled", "acting_for"):
        session[key] = {k: v for k, v in session.get(key, {}).items() if k != event_id}
    save_raw_answers(event_id, {})
    return redirect(url_for(".start", event_id=event_id))
