"""The availability page: a unit's free places per age group and its queue in weeks, changed or confirmed
unchanged in one click. The numbers are written by ``changes.update_availability`` and
``changes.confirm_availability_unchanged`` (validation, scope, version, audit); this module only turns the form
into their arguments and their refusals into the GOV.UK error pattern:

The services' messages are English message ids with ``%(name)s`` values; they are translated here, so the
templates' ``t()`` (which fills ``{name}``) shows them as they are.

- bad input: the error summary and a message next to each field, what was typed kept, nothing saved (400);
- a stale page (someone, or a citizen's reservation, changed the numbers after it was opened): the current
  numbers in the fields and a message saying so, nothing saved (409);
- saved: the unit page with a notice, so reloading it does not send the form again.
"""

from __future__ import annotations

from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from configurator.i18n import N_

from ..extensions import db
from ..forms import FormError
from ..rate_limits import limited
from . import bp, changes
from .access import location_or_404, staff_required

MAX_FIELD_CHARS = 12  # a number of places or weeks; longer text is not one (and is not kept)


def field_id(kind: str, age_group: str) -> str:
    """The form field (and element id) of one number: ``free_places-under_3``, ``queue_weeks-3_and_over``."""
    return f"{kind}-{age_group}"


def _typed(state: changes.AvailabilityState) -> dict[str, str]:
    """The stored numbers as the form shows them."""
    values = {}
    for row in state.rows:
        values[field_id("free_places", row.age_group)] = str(row.free_places)
        values[field_id("queue_weeks", row.age_group)] = str(row.queue_weeks)
    return values


def _page(
    location: Any,
    state: changes.AvailabilityState,
    values: dict[str, str],
    errors: list[FormError],
    status: int = 200,
    stale: bool = False,
) -> ResponseReturnValue:
    return (
        render_template(
            "organisers/availability.html",
            staff=g.staff,
            location=location,
            state=state,
            values=values,
            errors=[(None, error) for error in errors],
            error_for={error.field: error for error in errors},
            stale=stale,
            field_id=field_id,
            max_chars=MAX_FIELD_CHARS,
        ),
        status,
    )


def _version() -> int | None:
    raw = request.form.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else None


STALE = N_(
    "The numbers were changed after you opened this page (by someone else or by a reservation). "
    "The current numbers are shown below: check them and save again."
)


def _stale(location: Any, error: changes.StaleEdit) -> ResponseReturnValue:
    """Nothing saved: the current numbers in the fields, and the message linked to the first of them."""
    first = field_id("free_places", error.current.rows[0].age_group) if error.current.rows else "availability"
    message = FormError(first, gettext(STALE))
    return _page(location, error.current, _typed(error.current), [message], status=409, stale=True)


@bp.route("/<any(fi,sv,en):lang_code>/organiser/units/<int:location_id>/availability", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def availability(location_id: int) -> ResponseReturnValue:
    location = location_or_404(db.session, g.actor, location_id)
    if location.ecec_unit is None:
        return redirect(url_for("organisers.unit", location_id=location.id))
    state = changes.availability_state(db.session, location.id)
    if request.method == "GET":
        return _page(location, state, _typed(state), [])
    groups = [row.age_group for row in state.rows]
    values = {name: request.form.get(name, "")[: MAX_FIELD_CHARS + 1].strip() for name in _typed(state)}
    version = _version()
    if version is None:
        return _page(location, state, _typed(state), [], status=400)
    too_long = [name for name, value in values.items() if len(value) > MAX_FIELD_CHARS]
    if too_long:
        errors = [FormError(name, gettext(changes.MESSAGES["whole_number"])) for name in too_long]
        return _page(location, state, values, errors, status=400)
    try:
        changes.update_availability(
            db.session,
            g.actor,
            location.id,
            {group: values[field_id("free_places", group)] for group in groups},
            {group: values[field_id("queue_weeks", group)] for group in groups},
            version,
        )
    except changes.NotFound:
        return redirect(url_for("organisers.unit", location_id=location.id))
    except changes.InvalidChange as error:
        found = [FormError(e.field.replace(".", "-"), gettext(e.message) % dict(e.params)) for e in error.errors]
        return _page(location, state, values, found, status=400)
    except changes.StaleEdit as error:
        return _stale(location, error)
    return redirect(url_for("organisers.unit", location_id=location.id, done="availability-saved"))


@bp.post("/<any(fi,sv,en):lang_code>/organiser/units/<int:location_id>/availability/confirm")
@staff_required
@limited("organiser_edit")
def confirm_availability(location_id: int) -> ResponseReturnValue:
    location = location_or_404(db.session, g.actor, location_id)
    version = _version()
    if location.ecec_unit is None or version is None:
        return redirect(url_for("organisers.availability", location_id=location.id))
    try:
        changes.confirm_availability_unchanged(db.session, g.actor, location.id, version)
    except changes.StaleEdit as error:
        return _stale(location, error)
    except changes.NotFound:
        return redirect(url_for("organisers.unit", location_id=location.id))
    return redirect(url_for("organisers.unit", location_id=location.id, done="availability-confirmed"))
