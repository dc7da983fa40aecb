"""Feedback routes: a quick rating after a journey or a used service, and a longer form.

The quick form posts from another page (the plan, a reservation) and returns there with
``?feedback=thanks#feedback``, which the partial ``feedback/_quick.html`` reads; on an error it
shows its own page with the error summary and the answers kept.
"""

from __future__ import annotations

import re

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from configurator.i18n import N_

from ..context import life_events
from ..forms import FormError
from ..i18n import add_lang_code, fast_gettext, pull_lang_code, request_locale_key
from ..models import ServiceLocation
from ..rate_limits import limited
from ..security import local_path
from .forms import COMMENT_MAX, LongForm, QuickForm, ReportForm
from .services import (
    EMAIL_MAX,
    Subject,
    find_location,
    location_name,
    long_comment,
    long_subject,
    safe_next,
    store,
    subject_from,
    thanks_url,
)

bp = Blueprint("feedback", __name__, url_prefix="/<any(fi,sv,en):lang_code>/feedback")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)

QUICK_PREFIX = "feedback"  # the id prefix of the quick form on its own page
LONG_PREFIX = "long"
ANCHOR = re.compile(r"[a-z][a-z0-9-]{0,39}")


@bp.app_template_global()
def feedback_comment_max() -> int:
    """The longest comment the forms take, for their hints (the partial is rendered on other pages)."""
    return COMMENT_MAX


_CSRF_SLOT = "polku-quick-feedback-csrf-slot"
QUICK_FORMS_KEPT = 256  # languages x events x the forms' parameters; emptied when full


@bp.app_template_global()
def quick_feedback_form(prefix: str, heading_level: int, event_id: str, next_url: str, signed_in: object) -> Markup:
    """The quick form after a journey as feedback/_quick.html shows it before anything is sent (no thanks, answers
    or errors), returning to ``next_url`` (the plan's address): feedback/_quick_form.html rendered once per
    language and these parameters in each app, and the page's own CSRF token put in its place. It is the same
    for every visitor; rendered on every plan page it was a twentieth of the page's rendering (a dozen macros
    and radio buttons). ``signed_in`` only decides whether the note about a signed-in person's feedback is
    shown."""
    key = (request_locale_key(), request.script_root, prefix, heading_level, event_id, next_url, bool(signed_in))
    forms = current_app.extensions.setdefault("polku_quick_feedback_forms", {})
    html = forms.get(key)
    if html is None:
        if len(forms) >= QUICK_FORMS_KEPT:
            forms.clear()
        html = forms[key] = current_app.jinja_env.get_template("feedback/_quick_form.html").render(
            p=prefix,
            h=heading_level,
            fkind="journey",
            event_id=event_id,
            location_id=None,
            fvalues={},
            ferrors={},
            fnext=next_url,
            heading_class="heading-l" if heading_level <= 2 else "heading-m",
            thanked=False,
            signed_in=bool(signed_in),
            csrf_token=lambda: _CSRF_SLOT,
        )
    return Markup(html.replace(_CSRF_SLOT, generate_csrf(), 1))


def _render_quick(
    subject: Subject | None, values: dict[str, str], errors: list[FormError], status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "feedback/quick.html",
        subject=subject,
        errors=[(None, e) for e in errors],
        feedback_errors={e.field: e for e in errors},
        feedback_values=values,
        kind=subject.kind if subject else None,
        event_id=subject.event_id if subject else None,
        location_id=subject.location_id if subject else None,
        next_url=safe_next(values.get("next")),
        heading_level=1,
        id_prefix=QUICK_PREFIX,
        event=life_events().get(subject.event_id) if subject and subject.event_id else None,
        location_label=location_name(subject.location) if subject and subject.location else None,
    ), status


@bp.route("/quick", methods=["GET", "POST"])
@limited("feedback")  # posts only: a budget per address and per signed-in person
def quick() -> ResponseReturnValue:
    """The quick form: posted from the partial; shown on its own page for errors (or when linked to)."""
    form = QuickForm() if request.method == "POST" else QuickForm(formdata=request.args)
    values = form.raw(QuickForm.FIELDS)
    subject = subject_from(values)
    if request.method == "GET":
        if subject is None:
            return redirect(url_for(".form"))
        return _render_quick(subject, values, [])
    if subject is None:  # a tampered form, or a service location removed since the page was shown
        return _render_quick(
            None, values, [FormError(f"{QUICK_PREFIX}-about", N_("We could not find what this feedback is about"))], 400
        )
    if not form.validate():
        return _render_quick(subject, values, form.problems(f"{QUICK_PREFIX}-"))
    store(subject, form.rating.data, form.effort.data, form.comment.data)
    anchor = form.anchor.data or ""
    return redirect(thanks_url(safe_next(values["next"]), anchor if ANCHOR.fullmatch(anchor) else QUICK_PREFIX))


def _about_options(location: ServiceLocation | None) -> list[tuple[str, str]]:
    """(value, label) for the long form's first question; a service only when the page was opened for one."""
    options = [("general", gettext("Polku in general"))]
    options += [(f"event-{event.id}", fast_gettext(event.title)) for event in life_events().values()]
    if location is not None:
        options.append(("service", location_name(location)))
    return options


@bp.route("/", methods=["GET", "POST"])
@limited("feedback")  # posts only: a budget per address and per signed-in person
def form() -> ResponseReturnValue:
    """The longer form: what it is about, rating, Customer Effort, what worked and what to improve."""
    form = LongForm() if request.method == "POST" else LongForm(formdata=request.args)
    location = find_location(form.location.raw_data[0] if form.location.raw_data else None)
    values = form.raw(LongForm.FIELDS)
    if request.method == "GET" and not values["about"]:
        event = request.args.get("event", "")
        values["about"] = "service" if location is not None else f"event-{event}" if event in life_events() else ""
    errors: list[FormError] = []
    if request.method == "POST":
        form.found_location = location
        if form.validate():
            store(
                long_subject(form.about.data, location),
                form.rating.data,
                form.effort.data,
                long_comment(form.worked.data, form.improve.data),
                recommend=form.recommend.data,
                reply_email=form.reply_email.data,
            )
            return redirect(url_for(".thanks"))
        errors = form.problems(f"{LONG_PREFIX}-")
    return render_template(
        "feedback/form.html",
        errors=[(None, e) for e in errors],
        error_for={e.field: e for e in errors},
        values=values,
        location=location,
        about_options=_about_options(location),
        recommend_options=[(str(n), str(n)) for n in range(11)],
        prefix=LONG_PREFIX,
        email_max=EMAIL_MAX,
    )


REPORT_PREFIX = "report"
_TASK_SLOT = "polku-task-slot"
_PLAIN_ID = re.compile(r"[A-Za-z0-9_.-]+")  # written as they are in a query: no escaping to redo


@bp.app_template_global()
def task_report_url(event_id: str, task_id: str) -> str:
    """The "Report an error in this information" link of a checklist task, back to this page: what
    ``url_for('feedback.report', event=event_id, task=task_id, next=request.path)`` gives, with url_for called
    once per request and event and each task's id put in its place (a plan lists up to a dozen tasks)."""
    if not _PLAIN_ID.fullmatch(task_id):
        return url_for("feedback.report", event=event_id, task=task_id, next=request.path)
    built = g.setdefault("_polku_task_report_urls", {})
    base = built.get(event_id)
    if base is None:
        base = built[event_id] = url_for("feedback.report", event=event_id, task=_TASK_SLOT, next=request.path)
    return base.replace(f"task={_TASK_SLOT}", f"task={task_id}", 1)


def _report_subject(values: dict[str, str]) -> tuple[Subject, ServiceLocation | None, str | None, str | None] | None:
    """What a report is about: a unit or service point (``location``), or a task (``event``, ``task``) of a life
    event's checklist; None when it names neither (or one that does not exist)."""
    location = find_location(values.get("location"))
    if location is not None:
        return Subject("report", location=location), location, None, None
    event = life_events().get(values.get("event", ""))
    task_id = values.get("task", "")
    if event is not None and any(item.id == task_id for item in event.checklist):
        return Subject("report", event_id=event.id), None, event.id, task_id
    return None


@bp.route("/report", methods=["GET", "POST"])
@limited("feedback")  # posts only: a budget per address and per signed-in person
def report() -> ResponseReturnValue:
    """ "Report an error in this information", linked from every unit and service point of the comparisons and from
    every task of the plan. It goes to the organiser who owns the unit, or for a task to the catalogue
    administrators (``services.report_owner``), and shows on their front page as an open item."""
    form = ReportForm() if request.method == "POST" else ReportForm(formdata=request.args)
    values = form.raw(ReportForm.FIELDS)
    found = _report_subject(values)
    if found is None:
        return render_template("feedback/report.html", subject=None, errors=[], error_for={}, values=values), 404
    subject, location, event_id, task_id = found
    errors: list[FormError] = []
    if request.method == "POST":
        if form.validate():
            store(subject, None, None, form.comment.data, reply_email=form.reply_email.data, task_id=task_id)
            return redirect(url_for(".thanks", next=safe_next(values.get("next"))))
        errors = form.problems(f"{REPORT_PREFIX}-")
    event = life_events().get(event_id) if event_id else None
    task = next((item for item in event.checklist if item.id == task_id), None) if event else None
    return render_template(
        "feedback/report.html",
        subject=subject,
        location_label=location_name(location) if location is not None else None,
        event=event,
        task=task,
        errors=[(None, e) for e in errors],
        error_for={e.field: e for e in errors},
        values=values,
        next_url=safe_next(values.get("next")),
        prefix=REPORT_PREFIX,
        email_max=EMAIL_MAX,
    ), 400 if errors else 200


@bp.get("/thanks")
def thanks() -> ResponseReturnValue:
    """The thanks page; ``?next=`` (a local path) adds a link back to where a report was sent from."""
    back = local_path(request.args.get("next"))
    return render_template("feedback/thanks.html", back=back)
