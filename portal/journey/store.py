"""Where a journey's answers are kept, and whose matter the journey is.

Answers are the raw strings the forms posted, per life event, so a language switch, a Back link or an
error page never loses them. Anonymous, the browser session keeps them; signed in with a plan linked,
the saved plan in the database does (the session keeps the private answers; the plan keeps them too only
with the person's "keep_private" consent, so a care plan survives signing out). Answers typed before signing
in that differ from the plan's wait in the session as choices for the person.
"""

from __future__ import annotations

from typing import Any

from flask import abort, session
from sqlalchemy.exc import IntegrityError

from configurator.answers import clean_raw
from configurator.journey import Walk, merge_typed, same_answer, visible_questions, walk
from configurator.lifeevents import LifeEvent, Question, Step
from configurator.profile import Subject, prefill, prefilled_from, subject_by_key

from .. import saved_plans
from ..account_models import SavedPlan
from ..context import life_event_or_404, places, today
from ..extensions import db
from ..identity import current_person
from ..own.consents import has_consent
from ..signin.claims import profile_of
from .lookups import journey_places


def session_map(key: str) -> dict[str, Any]:
    """A per-journey table kept in the session (answers, plan links, whom the journey is for); anything else
    there (kept by an older version, or tampered with) reads as empty, so no page of a journey fails on it."""
    kept = session.get(key)
    return dict(kept) if isinstance(kept, dict) else {}


def keep_in_session(event_id: str, raw: dict[str, str]) -> None:
    answers = session_map("answers")
    answers[event_id] = raw
    session["answers"] = answers
    session.permanent = True


def raw_answers(event_id: str) -> dict[str, str]:
    """The newest answers of this journey, as the raw strings the forms posted.

    With a saved plan linked (signed in), the plan in the database is the store, so two windows or devices
    of the same person read the same newest answers; the session holds the private answers, and the plan too
    with the "keep_private" consent (then the plan's are the newest, as its other answers are). Otherwise the
    browser session holds them all.
    """
    kept = clean_raw(session_map("answers").get(event_id))
    linked = linked_plan(event_id)
    if linked is None:
        return kept
    private = life_event_or_404(event_id).private_fields()
    in_session = {k: v for k, v in kept.items() if k in private}
    in_plan = clean_raw(linked.private_answers) if has_consent(current_person(), "keep_private") else {}
    return clean_raw(linked.answers) | in_session | {k: v for k, v in in_plan.items() if k in private}


def save_raw_answers(event_id: str, raw: dict[str, str]) -> None:
    """Keep these as the journey's answers: in the linked saved plan (the private ones in the session
    only), or in the session when no plan is linked."""
    linked = linked_plan(event_id)
    if linked is None:
        keep_in_session(event_id, raw)
        return
    event = life_event_or_404(event_id)
    private = event.private_fields()
    keep_in_session(event_id, {k: v for k, v in raw.items() if k in private})
    saved_plans.update(current_person(), linked, event, raw, today(), places())
    db.session.commit()


def linked_plan(event_id: str) -> SavedPlan | None:
    """The signed-in person's saved plan this journey writes to, if any (never someone else's)."""
    person = current_person()
    plan_id = session_map("plan_links").get(event_id)
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
    chosen = session_map("acting_for").get(event_id)
    chosen = chosen if isinstance(chosen, dict) else {}
    key, name = chosen.get("key"), chosen.get("name")
    return Subject(key if isinstance(key, str) else "self", name if isinstance(name, str) else None)


def same(question: Question, a: Any, b: Any) -> bool:
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
    return prefilled_from(event.questions(), raw, profile, subject, same) if subject else {}


def pending_choices(event_id: str) -> dict[str, dict[str, str]]:
    """Answers typed before signing in that differ from the linked plan's (question id -> raw fields): the
    person chooses between the two on the step. Kept in the session per plan: they came from this browser."""
    linked = linked_plan(event_id)
    if linked is None:
        return {}
    pending = session_map("typed_before_sign_in").get(str(linked.id))
    if not isinstance(pending, dict):
        return {}
    return {qid: clean_raw(raw) for qid, raw in pending.items() if isinstance(qid, str) and clean_raw(raw)}


def set_pending(plan_id: int, pending: dict[str, dict[str, str]]) -> None:
    kept = {k: v for k, v in session_map("typed_before_sign_in").items() if k != str(plan_id)}
    session["typed_before_sign_in"] = kept | ({str(plan_id): pending} if pending else {})


def forget_pending(event_id: str, question_ids: Any) -> None:
    pending = pending_choices(event_id)
    if pending and any(qid in pending for qid in question_ids):
        set_pending(linked_plan(event_id).id, {k: v for k, v in pending.items() if k not in question_ids})


def current_walk(event: LifeEvent, raw: dict[str, str] | None = None) -> Walk:
    """Every answer parsed again from the raw answers (so a changed catalogue or date is seen at once), with the
    postal areas they give read together, once a request (``journey_places``)."""
    raw = raw if raw is not None else raw_answers(event.id)
    return walk(event, raw, today(), journey_places(event, raw))


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


def open_plan(event: LifeEvent, subject: Subject, typed: dict[str, str], *, _again: bool = False) -> SavedPlan:
    """Link this journey to the signed-in person's plan for the subject and make it the store of the answers.

    A saved plan is resumed as it is; a new one starts from the subject's details (with the prefill consent)
    and nothing else: never from answers given for another child or company. Answers typed before signing
    in (``typed``) fill the questions still open; where one differs from the plan's answer, the plan's is
    kept whole and the person chooses between the two on the step (nothing is mixed, nothing dropped).
    """
    person = current_person()
    existing = saved_plans.find(person, event.id, subject.key)
    if existing is not None:
        base = saved_plans.plan_answers(existing, private=has_consent(person, "keep_private"))
    elif has_consent(person, "prefill"):
        base = prefill(event.questions(), profile_of(person), subject)[0]
    else:
        base = {}
    merged, typed_choices = merge_typed(event.questions(), base, typed, today(), places())
    if existing is None:
        try:
            with db.session.begin_nested():
                existing = saved_plans.create(person, event, merged, subject)
        except IntegrityError:
            # The same person's other browser saved this subject's first plan a moment ago (one plan per person,
            # event and subject): resume that plan, with these typed answers offered as choices, not a 500.
            db.session.expire(person, ["plans"])
            if _again:
                raise
            return open_plan(event, subject, typed, _again=True)
    else:
        saved_plans.update(person, existing, event, merged, today(), places())
    db.session.commit()
    session["acting_for"] = session_map("acting_for") | {event.id: {"key": subject.key, "name": subject.name}}
    session["plan_links"] = session_map("plan_links") | {event.id: existing.id}
    private = event.private_fields()
    keep_in_session(event.id, {k: v for k, v in merged.items() if k in private})
    earlier = session_map("typed_before_sign_in").get(str(existing.id))  # choices not made yet stay
    set_pending(existing.id, (earlier if isinstance(earlier, dict) else {}) | typed_choices)
    return existing


def continue_in(event: LifeEvent, item_id: str, given: dict[str, str]) -> LifeEvent:
    """Carry the answers ``given`` to ``event`` into the journey of the life event its task ``item_id`` goes on in
    (the task's ``continue_with``), and return that event; 404 for a task without one.

    Only the questions still unanswered there are filled: the raw fields are copied between questions of the same
    type (the loader checked it), so they parse there as here, nothing the person gave there is overwritten, and a
    private answer is never carried. The journey's plan page and the own space's saved plan both start it here."""
    item = next((i for i in event.checklist if i.id == item_id and i.continue_with is not None), None)
    if item is None or item.continue_with is None:
        abort(404)
    target = life_event_or_404(item.continue_with.event)
    there = raw_answers(target.id)
    carried = dict(there)
    for qid, source in item.continue_with.answers.items():
        question = target.question(qid)
        if not question.kind.is_blank(qid, there):
            continue
        own = event.question(source)
        for name, own_name in zip(question.kind.field_names(qid), own.kind.field_names(source), strict=True):
            if given.get(own_name):
                carried[name] = given[own_name]
    if carried != there:
        save_raw_answers(target.id, carried)
    return target
