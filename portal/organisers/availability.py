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

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from configurator.catalogue import AGE_GROUPS
from configurator.i18n import N_

from ..extensions import db
from ..forms import FormError, whole_number
from ..models import EcecUnit, ServiceLocation
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
    return whole_number(request.form.get("version"))


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


# ---------- all my units in one table ----------

ALL_SAVED = "all-saved"
ALL_CONFIRMED = "all-confirmed"


def unit_field(kind: str, unit_id: int, age_group: str) -> str:
    """A number of one unit on the page of all units: ``free_places-1001-under_3``."""
    return f"{kind}-{unit_id}-{age_group}"


@dataclass
class UnitRows:
    """One unit of the table: its name, stored numbers (with their version) and the values the form shows."""

    location: Any
    state: changes.AvailabilityState
    values: dict[str, str]


def _my_units() -> list[UnitRows]:
    ids = sorted(g.actor.location_ids)
    if not ids:
        return []
    locations = db.session.scalars(
        select(ServiceLocation)
        .join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
        .where(ServiceLocation.id.in_(ids))
        .order_by(ServiceLocation.name, ServiceLocation.id)
    ).all()
    units = []
    for location in locations:
        state = changes.availability_state(db.session, location.id)
        if state.rows:
            units.append(UnitRows(location, state, _all_values(state, location.id)))
    return units


def _all_page(units: list[UnitRows], errors: list[FormError], status: int = 200) -> ResponseReturnValue:
    done = request.args.get("done")
    return (
        render_template(
            "organisers/availability_all.html",
            staff=g.staff,
            units=units,
            errors=[(_field_question(units, error.field), error) for error in errors],
            error_for={error.field: error for error in errors},
            unit_field=unit_field,
            max_chars=MAX_FIELD_CHARS,
            done=done if done in (ALL_SAVED, ALL_CONFIRMED) and not errors else None,
            saved=request.args.get("units", "") if done == ALL_SAVED else "",
        ),
        status,
    )


def _field_question(units: list[UnitRows], field: str) -> SimpleNamespace | None:
    """What the error summary names when two fields have the same message: "Päiväkoti Kurjenpesä, Under 3 years,
    Free places" (the journey's summary names its question the same way)."""
    for unit in units:
        for row in unit.state.rows:
            for kind, label in (("free_places", FREE_PLACES), ("queue_weeks", QUEUE_WEEKS)):
                if unit_field(kind, unit.location.id, row.age_group) == field:
                    group = gettext(AGE_GROUPS.get(row.age_group, row.age_group))
                    return SimpleNamespace(label=f"{unit.location.name}, {group}, {gettext(label)}")
    return None


FREE_PLACES = N_("Free places")
QUEUE_WEEKS = N_("Queue in weeks")


def _sent_version(unit_id: int) -> int | None:
    return whole_number(request.form.get(f"version-{unit_id}"))


@bp.route("/<any(fi,sv,en):lang_code>/organiser/availability", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def availability_all() -> ResponseReturnValue:
    """Free places and queue of all my units in one form: a manager's weekly round in one save. Only the units
    whose numbers changed are written, all together or none (``changes.all_or_nothing``): a bad number or a unit
    changed meanwhile anywhere saves nothing, and every problem is shown next to its field."""
    units = _my_units()
    if request.method == "GET":
        return _all_page(units, [])
    for unit in units:
        for name in unit.values:
            unit.values[name] = request.form.get(name, "")[: MAX_FIELD_CHARS + 1].strip()
    errors: list[FormError] = []
    wanted = []
    for unit in units:
        stored = _all_values(unit.state, unit.location.id)
        too_long = [name for name, value in unit.values.items() if len(value) > MAX_FIELD_CHARS]
        errors += [FormError(name, gettext(changes.MESSAGES["whole_number"])) for name in too_long]
        version = _sent_version(unit.location.id)
        if too_long or unit.values == stored:
            continue
        if version is None:
            return _all_page(_my_units(), [], status=400)
        wanted.append((unit, version))
    if errors:
        return _all_page(units, errors, status=400)
    try:
        with changes.all_or_nothing(db.session) as batch:
            for unit, version in wanted:
                groups = [row.age_group for row in unit.state.rows]
                uid = unit.location.id
                try:
                    changes.update_availability(
                        batch,
                        g.actor,
                        uid,
                        {group: unit.values[unit_field("free_places", uid, group)] for group in groups},
                        {group: unit.values[unit_field("queue_weeks", uid, group)] for group in groups},
                        version,
                    )
                except changes.InvalidChange as error:
                    errors += [
                        FormError(_unit_error_field(e.field, uid), gettext(e.message) % dict(e.params))
                        for e in error.errors
                    ]
            if errors:
                raise _Refused()
    except _Refused:
        return _all_page(units, errors, status=400)
    except changes.StaleEdit as error:
        return _all_stale(units, error)
    except changes.NotFound:
        abort(404)
    return redirect(url_for("organisers.availability_all", done=ALL_SAVED, units=len(wanted)))


class _Refused(Exception):
    """Some unit's numbers were refused: nothing of the table is saved."""


def _unit_error_field(service_field: str, unit_id: int) -> str:
    """The form field of a service's error on one unit: ``free_places.under_3`` -> ``free_places-1001-under_3``."""
    kind, _, group = service_field.partition(".")
    return unit_field(kind, unit_id, group)


def _all_values(state: changes.AvailabilityState, unit_id: int) -> dict[str, str]:
    values = {}
    for row in state.rows:
        values[unit_field("free_places", unit_id, row.age_group)] = str(row.free_places)
        values[unit_field("queue_weeks", unit_id, row.age_group)] = str(row.queue_weeks)
    return values


ALL_STALE = N_(
    "The numbers of %(unit)s were changed after you opened this page (by someone else or by a reservation). Nothing "
    "was saved. Its current numbers are shown below: check them and save again."
)


def _all_stale(units: list[UnitRows], error: changes.StaleEdit) -> ResponseReturnValue:
    """Nothing saved: the changed unit with its current numbers and version, the others as typed."""
    current = error.current
    message = None
    for unit in units:
        if unit.location.id == current.unit_id:
            unit.state = current
            unit.values = _all_values(current, current.unit_id)
            first = unit_field("free_places", current.unit_id, current.rows[0].age_group) if current.rows else "units"
            message = FormError(first, gettext(ALL_STALE, unit=unit.location.name))
    return _all_page(units, [message] if message else [], status=409)


@bp.post("/<any(fi,sv,en):lang_code>/organiser/availability/confirm")
@staff_required
@limited("organiser_edit")
def confirm_all_availability() -> ResponseReturnValue:
    """ "The numbers of all my units are unchanged", in one click: each unit confirmed from the version the page
    showed, all together or none (a unit changed meanwhile: the table with its current numbers)."""
    units = _my_units()
    try:
        with changes.all_or_nothing(db.session) as batch:
            for unit in units:
                version = _sent_version(unit.location.id)
                if version is None:
                    raise _Refused()
                changes.confirm_availability_unchanged(batch, g.actor, unit.location.id, version)
    except _Refused:
        return _all_page(units, [], status=400)
    except changes.StaleEdit as error:
        return _all_stale(units, error)
    return redirect(url_for("organisers.availability_all", done=ALL_CONFIRMED))
