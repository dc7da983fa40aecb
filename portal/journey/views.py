"""The journey's pages: start, one page per step, check your answers, the plan, its calendar file, the live
preview and starting again.

Each step posts only its own fields with a version of what the page showed, and is merged into the newest
answers (configurator.journey.read_submission): an older window never writes over newer answers unseen.
Where the answers are kept is ``store``; the results page's helpers are ``results``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from configurator.answers import MAX_FIELD_TEXT, AnswerError, ParseContext
from configurator.checklist import build_checklist, text_values
from configurator.i18n import N_
from configurator.journey import (
    VERSION_FIELD,
    Choice,
    Walk,
    parse_step,
    question_raw,
    question_value,
    read_submission,
    step_version,
    visible_questions,
)
from configurator.lifeevents import LifeEvent, Question, Step
from configurator.plan import filters_from_query, make_plan
from configurator.profile import PREFILL_SOURCES, subject_by_key, subjects

from .. import saved_plans
from ..context import directory, life_event_or_404, places, sources, today
from ..i18n import add_lang_code, pull_lang_code
from ..identity import current_person
from ..metrics import counting
from ..metrics.links import channel_links
from ..own.calendar_export import plan_calendar
from ..own.consents import has_consent
from ..signin.claims import profile_of
from .coverage import outside_area, outside_notice
from .lookups import journey_directory
from .preview import preview_for
from .store import (
    answers_store,
    continue_in,
    current_walk,
    forget_pending,
    linked_plan,
    open_plan,
    open_step,
    pending_choices,
    prefill_labels,
    raw_answers,
    same,
    save_raw_answers,
    session_map,
    subject_for,
)

bp = Blueprint("journey", __name__, url_prefix="/<any(fi,sv,en):lang_code>/events")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)


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
    return ChoiceView(
        choice.kind,
        (_option(question, "saved", saved_label, choice.saved), _option(question, "other", other_label, choice.other)),
        CHOICE_HINTS.get(choice.kind),
    )


def _render_step(
    event: LifeEvent,
    state: Walk,
    step: Step,
    raw: dict[str, str],
    errors: tuple = (),
    choices: dict[str, Choice] | None = None,
) -> str:
    """The step page. ``choices`` are questions shown as a choice between two answers (changed in another
    window); an answer typed before signing in that differs from the plan's is offered the same way."""
    shown = _shown_questions(state, step, raw)
    choices = dict(choices or {})
    pending = pending_choices(event.id)
    for question in shown:
        typed = pending.get(question.id)
        if typed is None or question.id in choices:
            continue
        if same(question, typed, raw):
            forget_pending(event.id, {question.id})  # the same answer now: nothing to choose
        else:
            choices[question.id] = Choice("sign_in", question_raw(question, raw), typed)
    located = {q.id for q in shown if q.kind.is_place}
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in step.questions}}
    here = outside_area(event, parse_step(step, raw, earlier, today(), places()).answers, located) if located else None
    previous = state.previous_step(step.id)
    back = (
        url_for(".check", event_id=event.id)
        if request.args.get("change")
        else url_for(".step", event_id=event.id, step_id=previous.id)
        if previous
        else url_for(".start", event_id=event.id)
    )
    return render_template(
        "journey/step.html",
        event=event,
        step=step,
        questions=shown,
        raw=raw,
        errors=errors,
        position=state.position(step.id),
        total=len(state.steps),
        back_url=back,
        changing=bool(request.args.get("change")),
        preview=preview_for(event, state),
        prefilled=prefill_labels(event, raw),
        prefill_sources=PREFILL_SOURCES,
        linked=linked_plan(event.id),
        hint_values=text_values(event, today()),
        choices={qid: _choice_view(event, event.question(qid), c) for qid, c in choices.items()},
        changed_elsewhere=any(e.kind == "conflict" for _, e in errors),
        version_field=VERSION_FIELD,
        version=step_version(shown, raw, answers_store(event.id)),
        coverage=places().coverage() if located else None,
        outside=here[1] if here else None,
        notice=outside_notice(event, state),
    )


@bp.get("/<event_id>/")
def start(event_id: str) -> ResponseReturnValue:
    event = life_event_or_404(event_id)
    state = current_walk(event)
    person = current_person()
    choices = subjects(profile_of(person), event.acting_for) if person else ()
    counting.start_page_opened(event_id)
    return render_template(
        "journey/start.html",
        event=event,
        has_answers=bool(raw_answers(event_id)),
        coverage=places().coverage(),
        first_step=state.steps[0],
        resume_step=open_step(event, state),
        person=person,
        subjects=choices,
        error=request.args.get("error"),
        saved={p.acting_for: p for p in person.plans if p.event_id == event.id} if person else {},
        prefill_consent=has_consent(person, "prefill"),
        typed_before_sign_in=bool(person and linked_plan(event_id) is None and raw_answers(event_id)),
    )


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
    open_plan(event, subject, typed)
    return redirect(_continue_url(event))


@bp.post("/<event_id>/save")
def save(event_id: str) -> ResponseReturnValue:
    """Keep an answered plan in the own space (after signing in mid-journey)."""
    event = life_event_or_404(event_id)
    person = current_person()
    if person is None:
        return redirect(url_for("auth.sign_in", next=url_for(".plan", event_id=event_id)))
    saved = linked_plan(event_id) or open_plan(event, subject_for(event_id), raw_answers(event_id))
    if open_step(event, current_walk(event)) is not None:
        return redirect(_continue_url(event))
    counting.plan_saved(event_id)
    return redirect(url_for("own.plan", plan_id=saved.id, saved="plan"))


@bp.post("/<event_id>/continue/<item_id>")
def continue_with(event_id: str, item_id: str) -> ResponseReturnValue:
    """Start the life event a task goes on in (its ``continue_with``) with the answers this journey has for it
    (store.continue_in); the other event's start page then offers to continue."""
    event = life_event_or_404(event_id)
    target = continue_in(event, item_id, raw_answers(event_id))
    return redirect(url_for(".start", event_id=target.id))


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
        counting.step_opened(event_id, step_id, first=current.id == event.steps[0].id)
        return _render_step(event, state, current, raw)
    form = request.form.to_dict(flat=False)
    submission = read_submission(current, raw, form, answers_store(event_id), same)
    # The questions on the page the user just submitted (a post without a version: as the answers show them).
    seen = submission.shown if VERSION_FIELD in form else {q.id for q in _shown_questions(state, current, raw)}
    raw = submission.apply(raw)
    save_raw_answers(event_id, raw)  # also what is not valid yet: a language switch or Back keeps it
    forget_pending(event_id, submission.answered)
    earlier = {k: v for k, v in state.answers.items() if k not in {q.id for q in current.questions}}
    result = parse_step(current, raw, earlier, today(), places())
    state = current_walk(event, raw)
    choices = submission.conflicts | submission.unchosen
    problems = {q.id: e for q, e in result.errors if q.id in seen and q.id not in choices}
    problems |= {qid: AnswerError(CHOOSE_ONE, f"{qid}-choice", kind="choose") for qid in submission.unchosen}
    problems |= {qid: AnswerError(CHANGED_ELSEWHERE, f"{qid}-choice", kind="conflict") for qid in submission.conflicts}
    errors = tuple((q, problems[q.id]) for q in current.questions if q.id in problems)
    still_to_choose = any(
        qid in pending_choices(event_id) for qid in (q.id for q in _shown_questions(state, current, raw))
    )
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
    return render_template(
        "journey/check.html",
        event=event,
        state=state,
        rows=_check_rows(event, state, pending),
        preview=preview_for(event, state),
        prefilled=prefill_labels(event, raw),
        prefill_sources=PREFILL_SOURCES,
        linked=linked_plan(event_id),
        open_step=open_step(event, state),
        notice=outside_notice(event, state),
    )


def _check_rows(event: LifeEvent, state: Walk, pending: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for step in state.steps:
        for question in visible_questions(step, state.answers, today()):
            rows.append(
                {
                    "step": step,
                    "question": question,
                    "value": state.answers.get(question.id),
                    "answered": question.id in state.answers,
                    "choose": question.id in pending,
                }
            )
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
    result = make_plan(
        event, state.answers, today(), sources(state.answers.get("start_date", today())), journey_directory(), filters
    )
    checklist = sorted(result.checklist, key=lambda e: (e.due is None, e.due or today()))
    # the events a task goes on in (continue_with), for their titles on the task's button
    continues = {e.item.id: life_event_or_404(e.item.continue_with.event) for e in checklist if e.item.continue_with}
    linked = linked_plan(event_id)
    counting.plan_shown(event_id)
    if linked is not None:  # signed in, the journey's answers are its saved plan in the own space
        counting.plan_saved(event_id)
    return render_template(
        "journey/plan.html",
        event=event,
        plan=result,
        state=state,
        checklist=checklist,
        person=current_person(),
        linked=linked,
        go=channel_links(event_id),
        continues=continues,
    )


@bp.get("/<event_id>/calendar.ics")
def calendar(event_id: str) -> ResponseReturnValue:
    """The deadlines of the plan in this browser session, as a calendar file (no sign-in needed)."""
    event = life_event_or_404(event_id)
    state = current_walk(event)
    if not state.complete:
        return redirect(url_for(".plan", event_id=event_id))
    entries = build_checklist(event, state.answers, today(), directory())
    if "calendar_id" not in session:  # stable UIDs per browser session: importing again updates, not duplicates
        session["calendar_id"] = secrets.token_hex(8)
    body = plan_calendar(gettext(event.title), entries, f"polku-{event_id}-{session['calendar_id']}")
    return Response(
        body, mimetype="text/calendar", headers={"Content-Disposition": f'attachment; filename="polku-{event_id}.ics"'}
    )


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
        session[key] = {k: v for k, v in session_map(key).items() if k != event_id}
    save_raw_answers(event_id, {})
    counting.journey_restarted(event_id)
    return redirect(url_for(".start", event_id=event_id))
