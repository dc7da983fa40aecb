"""The life-event journey: start page, one page per step, check your answers, and the plan.

Answers are the raw strings the forms posted, per life event, so a language switch, a Back link or an
error page never loses them. Anonymous, the browser session keeps them; signed in with a plan linked,
the saved plan in the database does (the session keeps only the private answers). Each step posts only
its own fields with a version of what the page showed, and is merged into the newest answers
(configurator.journey.read_submission): an older window never writes over newer answers unseen.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from babel.lists import format_list
from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext
from flask.typing import ResponseReturnValue

from configurator.answers import MAX_FIELD_TEXT, AnswerError, LocationAnswer, ParseContext, clean_raw
from configurator.catalogue import ACCESSIBILITY_FACTS, AGE_GROUPS, CARE_TYPES, LANGUAGES, PROVIDER_TYPES, REPORTER_ROLES
from configurator.i18n import N_
from configurator.journey import (
    VERSION_FIELD, Choice, Walk, merge_typed, parse_step, question_raw, question_value, read_submission, same_answer,
    step_version, visible_questions, walk,
)
from configurator.lifeevents import CHANNELS, LifeEvent, Question, Step
from configurator.checklist import text_values
from configurator.comparisons.ecec import mismatch_text
from configurator.geo import OUTSIDE, CoverageGap, coverage_gap
from configurator.plan import filters_from_query, make_plan
from configurator.service_points import APPOINTMENT_CHANNELS, CHARGES, FEE_UNITS, SERVICE_KINDS

from configurator.profile import PREFILL_SOURCES, Subject, prefill, prefilled_from, subject_by_key, subjects

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


def _session_map(key: str) -> dict[str, Any]:
    """A per-journey table kept in the session (answers, plan links, whom the journey is for); anything else
    there (kept by an older version, or tampered with) reads as empty, so no page of a journey fails on it."""
    kept = session.get(key)
    return dict(kept) if isinstance(kept, dict) else {}


def _keep_in_session(event_id: str, raw: dict[str, str]) -> None:
    answers = _session_map("answers")
    answers[event_id] = raw
    session["answers"] = answers
    session.permanent = True


def raw_answers(event_id: str) -> dict[str, str]:
    """The newest answers of this journey, as the raw strings the forms posted.

    With a saved plan linked (signed in), the plan in the database is the store, so two windows or devices
    of the same person read the same newest answers; the session holds only the private answers, which are
    never stored. Otherwise the browser session holds them all.
    """
    kept = clean_raw(_session_map("answers").get(event_id))
    linked = linked_plan(event_id)
    if linked is None:
        return kept
    private = life_event_or_404(event_id).private_fields()
    return clean_raw(linked.answers) | {k: v for k, v in kept.items() if k in private}


def save_raw_answers(event_id: str, raw: dict[str, str]) -> None:
    """Keep these as the journey's answers: in the linked saved plan (the private ones in the session
    only), or in the session when no plan is linked."""
    linked = linked_plan(event_id)
    if linked is None:
        _keep_in_session(event_id, raw)
        return
    event = life_event_or_404(event_id)
    private = event.private_fields()
    _keep_in_session(event_id, {k: v for k, v in raw.items() if k in private})
    saved_plans.update(current_person(), linked, event, raw, today(), places())
    db.session.commit()


def linked_plan(event_id: str) -> SavedPlan | None:
    """The signed-in person's saved plan this journey writes to, if any (never someone else's)."""
    person = current_person()
    plan_id = _session_map("plan_links").get(event_id)
    if person is None or not isinstance(plan_id, int) or isinstance(plan_id, bool):
        return None
    found = db.session.get(SavedPlan, plan_id)
    return found if found is not None and found.person_id == person.id else None


def answers_store(event_id: str) -> str:
    """Which store the answers are kept in, as step pages name it in their version field: a page shown for
    one plan (Eeli's) and sent after the journey moved to another (Helmi's) changes nothing unseen."""
    linked = linked_plan(event_id)
    return f"plan-{linked.id}" if linked is not None else "session"


def subject_for(event_id: str) -> Subject:
    """Whose matter this journey is (chosen on the start page); oneself when nothing was chosen."""
    chosen = _session_map("acting_for").get(event_id)
    chosen = chosen if isinstance(chosen, dict) else {}
    key, name = chosen.get("key"), chosen.get("name")
    return Subject(key if isinstance(key, str) else "self", name if isinstance(name, str) else None)


def _same(question: Question, a: Any, b: Any) -> bool:
    return same_answer(question, a, b, today(), places())


def prefill_labels(event: LifeEvent, raw: dict[str, str]) -> dict[str, str]:
    """Question id -> prefill source, for the answers that are exactly what the person's details say (for
    the subject of the linked plan, or the one chosen); worked out each time, so never a stale label."""
    person = current_person()
    if person is None or not has_consent(person, "prefill"):
        return {}
    profile = profile_of(person)
    linked = linked_plan(event.id)
    subject = subject_by_key(profile, event.acting_for, linked.acting_for if linked else subject_for(event.id).key)
    return prefilled_from(event.questions(), raw, profile, subject, _same) if subject else {}


def pending_choices(event_id: str) -> dict[str, dict[str, str]]:
    """Answers typed before signing in that differ from the linked plan's (question id -> raw fields): the
    person chooses between the two on the step. Kept in the session per plan: they came from this browser."""
    linked = linked_plan(event_id)
    if linked is None:
        return {}
    pending = _session_map("typed_before_sign_in").get(str(linked.id))
    if not isinstance(pending, dict):
        return {}
    return {qid: clean_raw(raw) for qid, raw in pending.items() if isinstance(qid, str) and clean_raw(raw)}


def _set_pending(plan_id: int, pending: dict[str, dict[str, str]]) -> None:
    kept = {k: v for k, v in _session_map("typed_before_sign_in").items() if k != str(plan_id)}
    session["typed_before_sign_in"] = kept | ({str(plan_id): pending} if pending else {})


def _forget_pending(event_id: str, question_ids: Any) -> None:
    pending = pending_choices(event_id)
    if pending and any(qid in pending for qid in question_ids):
        _set_pending(linked_plan(event_id).id, {k: v for k, v in pending.items() if k not in question_ids})


def current_walk(event: LifeEvent, raw: dict[str, str] | None = None) -> Walk:
    return walk(event, raw if raw is not None else raw_answers(event.id), today(), places())


def deciding_places(event: LifeEvent) -> tuple[str, ...]:
    """The location questions that decide the person's municipality: the ones an organisation takes its
    municipality from (``municipality_of``) and the ones a comparison measures from (``near``)."""
    named = [org.municipality_of for org in event.organisations.values() if org.municipality_of]
    named += [spec.options["near"] for spec in event.comparisons if spec.options.get("near")]
    return tuple(dict.fromkeys(named))


def outside_area(event: LifeEvent, answers: dict[str, Any],
                 question_ids: Collection[str] | None = None) -> tuple[str, CoverageGap] | None:
    """The first answered place (of ``question_ids``, default all) that decides the municipality and lies outside
    the municipalities the catalogue covers, with its gap; None when there is none."""
    coverage = places().coverage()
    for qid in deciding_places(event):
        location = answers.get(qid)
        if (question_ids is None or qid in question_ids) and isinstance(location, LocationAnswer):
            gap = coverage_gap(location.place, coverage)
            if gap is not None and gap.reason == OUTSIDE:
                return qid, gap
    return None


def outside_notice(event: LifeEvent, state: Walk) -> CoverageGap | None:
    """The one-time notice after a step gave a place outside the catalogue's area (``?outside=<question>``)."""
    asked = request.args.get("outside")
    found = outside_area(event, state.answers, {asked}) if asked else None
    return found[1] if found else None


def open_step(event: LifeEvent, state: Walk) -> Step | None:
    """The first step that needs the person: an answer missing or invalid, or a choice to make between an
    answer typed before signing in and the plan's."""
    pending = pending_choices(event.id)
    for step in state.steps:
        if step is state.first_incomplete:
            return step
        if pending and any(q.id in pending for q in visible_questions(step, state.answers, today())):
            return step
    return None


def _after_step_url(event: LifeEvent, state: Walk, step: Step, changing: bool) -> str:
    """The next step, or the check page. A place outside the catalogue's area given on this step is said once,
    plainly, on that next page (``outside``): the journey goes on, with and without JavaScript alike."""
    found = outside_area(event, state.answers, {q.id for q in step.questions})
    outside = found[0] if found else None
    if changing and state.complete:
        return url_for(".check", event_id=event.id, outside=outside)
    following = state.next_step(step.id)
    if following is None:
        return url_for(".check", event_id=event.id, outside=outside)
    return url_for(".step", event_id=event.id, step_id=following.id, change=1 if changing else None, outside=outside)


def _shown_questions(state: Walk, step: Step, raw: dict[str, str]) -> tuple:
    """The step's questions as the page shows them for these raw answers (show-if evaluated)."""
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in step.questions}}
    return visible_questions(step, {**earlier, **parse_step(step, raw, earlier, today(), places()).answers}, today())


@dataclass(frozen=True)
class ChoiceOption:
    """One of two answers offered on a step: ``key`` is the radio's value, ``label`` a msgid with %(answer)s."""

    key: str
    label: str
    raw: dict[str, str]
    value: Any
    readable: bool  # False: the raw text is shown as it is (it is no valid answer)

    @property
    def text(self) -> str:
        return ", ".join(v for v in self.raw.values() if v)


@dataclass(frozen=True)
class ChoiceView:
    kind: str
    options: tuple[ChoiceOption, ...]
    hint: str | None


CHOICE_TEXTS = {
    "window": (N_("Keep %(answer)s (saved in another window)"), N_("Use %(answer)s (entered in this window)")),
    "sign_in": (N_("Use %(answer)s (saved in your plan)"), N_("Keep %(answer)s (entered before you signed in)")),
}
CHOICE_HINTS = {"sign_in": N_("You gave a different answer before you signed in. Choose which one to use.")}
CHANGED_ELSEWHERE = N_("Changed in another window: choose which answer to keep")
CHOOSE_ONE = N_("Select which answer to use")


def _option(question: Question, key: str, label: str, raw: dict[str, str]) -> ChoiceOption:
    if not raw:
        return ChoiceOption(key, label, raw, None, True)
    try:
        value = question_value(question, raw, ParseContext(today(), places(), {}))
    except AnswerError:
        return ChoiceOption(key, label, raw, None, False)
    return ChoiceOption(key, label, raw, value, True)


def _choice_view(event: LifeEvent, question: Question, choice: Choice) -> ChoiceView:
    saved_label, other_label = CHOICE_TEXTS[choice.kind]
    if choice.kind == "sign_in" and question.id in prefill_labels(event, choice.saved):
        saved_label = PREFILL_SOURCES[question.prefill].choice_label  # "Use 21200 (from the population register)"
    return ChoiceView(choice.kind, (_option(question, "saved", saved_label, choice.saved),
                                    _option(question, "other", other_label, choice.other)),
                      CHOICE_HINTS.get(choice.kind))


def _render_step(event: LifeEvent, state: Walk, step: Step, raw: dict[str, str], errors: tuple = (),
                 choices: dict[str, Choice] | None = None) -> str:
    """The step page. ``choices`` are questions shown as a choice between two answers (changed in another
    window); an answer typed before signing in that differs from the plan's is offered the same way."""
    shown = _shown_questions(state, step, raw)
    choices = dict(choices or {})
    pending = pending_choices(event.id)
    for question in shown:
        typed = pending.get(question.id)
        if typed is None or question.id in choices:
            continue
        if _same(question, typed, raw):
            _forget_pending(event.id, {question.id})  # the same answer now: nothing to choose
        else:
            choices[question.id] = Choice("sign_in", question_raw(question, raw), typed)
    located = {q.id for q in shown if q.kind.is_place}
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in step.questions}}
    here = outside_area(event, parse_step(step, raw, earlier, today(), places()).answers, located) if located else None
    previous = state.previous_step(step.id)
    back = (url_for(".check", event_id=event.id) if request.args.get("change")
            else url_for(".step", event_id=event.id, step_id=previous.id) if previous
            else url_for(".start", event_id=event.id))
    return render_template(
        "journey/step.html", event=event, step=step, questions=shown, raw=raw, errors=errors,
        position=state.position(step.id), total=len(state.steps), back_url=back,
        changing=bool(request.args.get("change")), preview=preview_for(event, state),
        prefilled=prefill_labels(event, raw), prefill_sources=PREFILL_SOURCES, linked=linked_plan(event.id),
        hint_values=text_values(event, today()),
        choices={qid: _choice_view(event, event.question(qid), c) for qid, c in choices.items()},
        changed_elsewhere=any(e.kind == "conflict" for _, e in errors),
        version_field=VERSION_FIELD, version=step_version(shown, raw, answers_store(event.id)),
        coverage=places().coverage() if located else None, outside=here[1] if here else None,
        notice=outside_notice(event, state),
    )


@bp.get("/<event_id>/")
def start(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    state = current_walk(event)
    person = current_person()
    choices = subjects(profile_of(person), event.acting_for) if person else ()
    return render_template("journey/start.html", event=event, has_answers=bool(raw_answers(event_id)),
                           coverage=places().coverage(),
                           first_step=state.steps[0], resume_step=open_step(event, state), person=person,
                           subjects=choices, error=request.args.get("error"),
                           saved={p.acting_for: p for p in person.plans if p.event_id == event.id} if person else {},
                           prefill_consent=has_consent(person, "prefill"),
                           typed_before_sign_in=bool(person and linked_plan(event_id) is None and raw_answers(event_id)))


def _open_plan(event: LifeEvent, subject: Subject, typed: dict[str, str]) -> SavedPlan:
    """Link this journey to the signed-in person's plan for the subject and make it the store of the answers.

    A saved plan is resumed as it is; a new one starts from the subject's details (with the prefill consent)
    and nothing else: never from answers given for another child or company. Answers typed before signing
    in (``typed``) fill the questions still open; where one differs from the plan's answer, the plan's is
    kept whole and the person chooses between the two on the step (nothing is mixed, nothing dropped).
    """
    person = current_person()
    existing = saved_plans.find(person, event.id, subject.key)
    if existing is not None:
        base = dict(existing.answers or {})
    elif has_consent(person, "prefill"):
        base = prefill(event.questions(), profile_of(person), subject)[0]
    else:
        base = {}
    merged, typed_choices = merge_typed(event.questions(), base, typed, today(), places())
    if existing is None:
        existing = saved_plans.create(person, event, merged, subject)
    else:
        saved_plans.update(person, existing, event, merged, today(), places())
    db.session.commit()
    session["acting_for"] = _session_map("acting_for") | {event.id: {"key": subject.key, "name": subject.name}}
    session["plan_links"] = _session_map("plan_links") | {event.id: existing.id}
    private = event.private_fields()
    _keep_in_session(event.id, {k: v for k, v in merged.items() if k in private})
    earlier = _session_map("typed_before_sign_in").get(str(existing.id))  # choices not made yet stay
    _set_pending(existing.id, (earlier if isinstance(earlier, dict) else {}) | typed_choices)
    return existing


def _continue_url(event: LifeEvent) -> str:
    following = open_step(event, current_walk(event))
    if following is None:
        return url_for(".check", event_id=event.id)
    return url_for(".step", event_id=event.id, step_id=following.id)


@bp.post("/<event_id>/begin")
def begin(event_id: str) -> ResponseReturnValue:
    """A signed-in person starts or resumes the plan of one subject (themselves, a child, a company).

    The journey opens at the first step that needs the person: an open question, or an answer typed before
    signing in that differs from the plan's or from the person's details.
    """
    event = life_event_or_404(event_id)
    person = current_person()
    if person is None:
        return redirect(url_for(".start", event_id=event_id))
    subject = subject_by_key(profile_of(person), event.acting_for, request.form.get("acting_for", "self"))
    if subject is None:
        return redirect(url_for(".start", event_id=event_id, error="acting_for") + "#acting_for")
    previous = linked_plan(event_id)
    if request.form.get("fresh"):
        typed: dict[str, str] = {}
    elif previous is None:  # answers not yet anyone's plan: typed before signing in
        typed = raw_answers(event_id)
    elif previous.acting_for == subject.key:  # the same plan again: its private answers stay in the session
        private = event.private_fields()
        typed = {k: v for k, v in raw_answers(event_id).items() if k in private}
    else:  # another child or company: nothing given for the previous one comes along
        typed = {}
    _open_plan(event, subject, typed)
    return redirect(_continue_url(event))


@bp.post("/<event_id>/save")
def save(event_id: str) -> ResponseReturnValue:
    """Keep an answered plan in the own space (after signing in mid-journey)."""
    event = life_event_or_404(event_id)
    person = current_person()
    if person is None:
        return redirect(url_for("auth.sign_in", next=url_for(".plan", event_id=event_id)))
    saved = linked_plan(event_id) or _open_plan(event, subject_for(event_id), raw_answers(event_id))
    if open_step(event, current_walk(event)) is not None:
        return redirect(_continue_url(event))
    return redirect(url_for("own.plan", plan_id=saved.id, saved="plan"))


@bp.route("/<event_id>/steps/<step_id>", methods=["GET", "POST"])
def step(event_id: str, step_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    linked = linked_plan(event_id)
    if request.method == "POST" and linked is not None:
        saved_plans.lock(linked)  # merge into the newest answers, one post after the other
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
    form = request.form.to_dict(flat=False)
    submission = read_submission(current, raw, form, answers_store(event_id), _same)
    # The questions on the page the user just submitted (a post without a version: as the answers show them).
    seen = submission.shown if VERSION_FIELD in form else {q.id for q in _shown_questions(state, current, raw)}
    raw = submission.apply(raw)
    save_raw_answers(event_id, raw)  # also what is not valid yet: a language switch or Back keeps it
    _forget_pending(event_id, submission.answered)
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in current.questions}}
    result = parse_step(current, raw, earlier, today(), places())
    state = current_walk(event, raw)
    choices = submission.conflicts | submission.unchosen
    problems = {q.id: e for q, e in result.errors if q.id in seen and q.id not in choices}
    problems |= {qid: AnswerError(CHOOSE_ONE, f"{qid}-choice", kind="choose") for qid in submission.unchosen}
    problems |= {qid: AnswerError(CHANGED_ELSEWHERE, f"{qid}-choice", kind="conflict") for qid in submission.conflicts}
    errors = tuple((q, problems[q.id]) for q in current.questions if q.id in problems)
    still_to_choose = any(qid in pending_choices(event_id) for qid in
                          (q.id for q in _shown_questions(state, current, raw)))
    if not result.ok or choices or still_to_choose:
        # A question revealed by this answer (show-if) is asked now, not reported as an error.
        return _render_step(event, state, current, raw, errors, choices)
    return redirect(_after_step_url(event, state, current, bool(request.args.get("change"))))


@bp.get("/<event_id>/check")
def check(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    raw = raw_answers(event_id)
    state = current_walk(event, raw)
    if not raw:
        return redirect(url_for(".start", event_id=event_id))
    pending = pending_choices(event_id)
    return render_template("journey/check.html", event=event, state=state,
                           rows=_check_rows(event, state, pending), preview=preview_for(event, state),
                           prefilled=prefill_labels(event, raw), prefill_sources=PREFILL_SOURCES,
                           linked=linked_plan(event_id), open_step=open_step(event, state),
                           notice=outside_notice(event, state))


def _check_rows(event: LifeEvent, state: Walk, pending: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for step in state.steps:
        for question in visible_questions(step, state.answers, today()):
            rows.append({"step": step, "question": question, "value": state.answers.get(question.id),
                         "answered": question.id in state.answers, "choose": question.id in pending})
    return rows


@bp.get("/<event_id>/plan")
def plan(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    state = current_walk(event)
    waiting = open_step(event, state)  # an open question, or a choice between two answers still to make
    if waiting is not None:
        if not raw_answers(event_id):
            return redirect(url_for(".start", event_id=event_id))
        return redirect(url_for(".step", event_id=event_id, step_id=waiting.id))
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
        # ASCII digits: str.isdigit() also says yes to '²', which int() refuses (a 500, not page 1)
        number = min(max(int(requested), 1), count) if re.fullmatch(r"[0-9]{1,6}", requested) else 1
        return cls(rows[(number - 1) * PAGE_SIZE:number * PAGE_SIZE], number, count)

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1


def plan_url(fragment: str = "", **changes: str | list[str] | None) -> str:
    """This plan page with some query parameters changed (None drops one): the filters and choices stay."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value if isinstance(value, list) else [value]
    return url_for(".plan", event_id=request.view_args["event_id"], **args) + fragment


def page_url(number: int) -> str:
    return plan_url("#results-count", page=str(number))


def query_fields(*leave_out: str) -> list[tuple[str, str]]:
    """The page's query as hidden fields, so the "Compare chosen" form keeps the filters, sort and page."""
    return [(name, value) for name, values in request.args.lists() if name not in leave_out for value in values]


def compare_ids(name: str = "compare") -> list[str]:
    """The options chosen for the side-by-side view (?compare=12&compare=15), in the order given."""
    return list(dict.fromkeys(v for v in request.args.getlist(name) if v and len(v) <= 40))


def compared_units() -> list[int]:
    return [int(v) for v in compare_ids() if re.fullmatch(r"[0-9]{1,12}", v)]


def distance_choices(reach_km: float) -> list[float]:
    """The "Distance at most" options: a few short walks and the comparison's reach (the default)."""
    return sorted({km for km in (1.0, 2.0, 3.0, 5.0) if km < reach_km} | {reach_km})


def mismatch_reason(code: str, unit_languages: Any, age_group: str) -> str | None:
    """Why a unit does not suit the child, translated (the plan's cards, the API and the reservation page)."""
    languages = unit_languages.split(",") if isinstance(unit_languages, str) else tuple(unit_languages)
    msgid = mismatch_text(code, languages, age_group)
    return gettext(msgid) if msgid else None


def reserve_place_url(row: Any) -> str:
    """The reservation page of a unit; for a unit that does not suit the child the link says why (the codes of
    EcecRow.mismatches), and that page asks to confirm."""
    return url_for("reservations.new_place", unit=row.unit.id, mismatch=list(row.mismatches) or None)


def paginate(rows: tuple) -> Page:
    return Page.of(rows, request.args.get("page", "1"))


POINT_LABELS = {"home": N_("Your home"), "work": N_("Your workplace"), "premises": N_("Your business premises")}


def map_data(markers: list[dict[str, Any]], answers: dict[str, Any], keys: tuple[str, ...],
             labels: dict[str, str] | None = None) -> dict[str, Any]:
    """What an optional map shows: the same places as its table, and the user's own points (``keys``; a place
    without a point is left off). ``kind`` gives each point its own marker shape (home, work, premises)."""
    points = []
    for key in keys:
        location = answers.get(key)
        if location is not None and location.place.point is not None:
            points.append({"lat": location.place.latitude, "lon": location.place.longitude,
                           "label": gettext(POINT_LABELS[key]), "kind": key})
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
    return plan_url("#compare-title", sort=sort, page=None)


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
        "ecec_markers": ecec_markers, "service_markers": service_markers, "plan_url": plan_url,
        "query_fields": query_fields, "compare_ids": compare_ids, "compared_units": compared_units,
        "distance_choices": distance_choices, "mismatch_reason": mismatch_reason,
        "reserve_place_url": reserve_place_url, "name_list": name_list,
        "service_map_labels": {key: gettext(label) for key, label in SERVICE_MAP_LABELS.items()},
        "sorts": [(key, gettext(label)) for key, label in SORT_LABELS.items()],
        "sort_labels": {key: gettext(label) for key, label in SORT_LABELS.items()},
    }


def name_list(names: list[str]) -> str:
    """Names joined as the page's language lists them: "Kaarina, Lieto ja Turku", "Kaarina, Lieto and Turku"."""
    return format_list(list(names), locale=str(get_locale() or "fi")) if names else ""


SORT_LABELS = {"distance": N_("distance"), "cost": N_("cost"), "availability": N_("free places"), "name": N_("name")}


@bp.post("/<event_id>/preview")
def live_preview(event_id: str) -> ResponseReturnValue:
    """The result summary for answers being typed (JavaScript enhancement); nothing is saved."""
    event = life_event_or_404(event_id)
    raw = raw_answers(event_id)
    fields = {name for question in event.questions() for name in question.kind.field_names(question.id)}
    raw.update({name: ",".join(request.form.getlist(name))[:MAX_FIELD_TEXT] for name in request.form if name in fields})
    return render_template("journey/_preview.html", event=event, preview=preview_for(event, current_walk(event, raw)))


@bp.post("/<event_id>/restart")
def restart(event_id: str) -> ResponseReturnValue:
    """Start again: the session's answers go; a saved plan stays in the own space, unlinked."""
    life_event_or_404(event_id)
    for key in ("plan_links", "acting_for"):
        session[key] = {k: v for k, v in _session_map(key).items() if k != event_id}
    save_raw_answers(event_id, {})
    return redirect(url_for(".start", event_id=event_id))
