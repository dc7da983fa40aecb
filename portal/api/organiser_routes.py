"""The organisers' write API (issue 15): what the organiser pages do, for an organiser's own system, with a client
credentials token (``oauth``). The writes go through the same services as the pages
(``portal.organisers.changes``): the same validation, versions, scope and audit log, with the channel "api".

- a unit or service point outside the client's organisations: 403 (the token is valid, the object is not its);
  one that does not exist: 404;
- ``Idempotency-Key``: a write sent again with a key this client used before changes nothing and answers the
  object as it is now (``Idempotent-Replayed: true``); the key is kept in the audit log with the change;
- a change from an old version: 409 (read again, decide again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from flask import Response, g, request
from flask_babel import gettext
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from configurator import clock
from configurator.i18n import N_

from ..context import today
from ..extensions import db
from ..forms import whole_number
from ..models import AppointmentSlot, ServiceLocation, UnitPrice
from ..organisers import audit, changes
from ..rate_limits import limited
from . import bp
from . import organiser_models as om
from .models import FieldProblem
from .oauth import client_required, token_response
from .organiser_models import NO_SUCH, NOT_YOURS, STALE
from .problems import ApiProblem, refused, translate, validation_problems
from .routes import json_body, json_response, localized
from .types import Money

B = TypeVar("B", bound=BaseModel)
MAX_KEY = 64
NOT_ECEC = N_("{id} is no early childhood education unit.")
BAD_KEY = N_("Use an Idempotency-Key of 1 to {max} visible ASCII characters.")
BAD_VERSION = N_("Give the version of the time as a whole number (?version=).")


@bp.post("/oauth/token")
@limited("api")
def token() -> Response:
    """OAuth 2.0 token endpoint: grant_type=client_credentials, the client's id and secret by HTTP Basic (or in
    the form), optional scope. Answers RFC 6749 JSON (errors too: that is what OAuth clients read)."""
    return token_response()


def body(model: type[B]) -> B:
    try:
        return model.model_validate(json_body())
    except ValidationError as error:
        raise ApiProblem(400, validation_problems(error.errors(), model)) from None


def place(location_id: int, *, ecec: bool) -> ServiceLocation:
    """The unit or service point, if the client may act for it (403), if it exists (404)."""
    location = db.session.get(ServiceLocation, location_id)
    if location is None:
        raise refused(404, "location_id", NO_SUCH, id=location_id)
    if not g.actor.may_act_for(location_id):
        raise refused(403, "location_id", NOT_YOURS)
    if ecec and location.ecec_unit is None:
        raise refused(404, "location_id", NOT_ECEC, id=location_id)
    return location


def request_id() -> str | None:
    """The audit log's request id of an Idempotency-Key: the client's own, so two clients' keys never meet."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not (0 < len(key) <= MAX_KEY and key.isascii() and key.isprintable() and " " not in key):
        raise refused(400, "Idempotency-Key", BAD_KEY, max=MAX_KEY)
    return f"idem:{g.api_client.client_id}:{key}"


def replayed(request_key: str | None) -> bool:
    return request_key is not None and audit.seen_request(db.session, g.actor, request_key)


def changed(call: Callable[[], Any]) -> Any:
    """Run a write service, its refusals as problem details."""
    try:
        return call()
    except changes.InvalidChange as error:
        problems = [FieldProblem(field=e.field, detail=gettext(e.message) % dict(e.params)) for e in error.errors]
        raise ApiProblem(400, problems) from None
    except changes.StaleEdit:
        raise ApiProblem(409, [], detail=translate(STALE)) from None
    except changes.NotFound:
        raise refused(403, "location_id", NOT_YOURS) from None


def answered(body_model: BaseModel, replay: bool, status: int = 200) -> Response:
    response = json_response(body_model, status=200 if replay else status)
    if replay:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Cache-Control"] = "no-store"
    return response


# --- availability -----------------------------------------------------------------------------------------------


def unit_availability(unit_id: int) -> om.UnitAvailability:
    state = changes.availability_state(db.session, unit_id)
    return om.UnitAvailability(
        unit_id=unit_id,
        version=state.version,
        age_groups=[
            om.AgeGroupAvailability(
                age_group=row.age_group,
                free_places=row.free_places,
                queue_weeks=row.queue_weeks,
                updated_at=clock.iso(row.updated_at),
            )
            for row in state.rows
        ],
    )


@bp.get("/units/<int:unit_id>/availability")
@localized
@client_required("availability")
def get_availability(unit_id: int) -> Response:
    place(unit_id, ecec=True)
    return answered(unit_availability(unit_id), False)


@bp.put("/units/<int:unit_id>/availability")
@limited("organiser_api")
@localized
@client_required("availability")
def put_availability(unit_id: int) -> Response:
    place(unit_id, ecec=True)
    update = body(om.AvailabilityUpdate)
    key = request_id()
    if replayed(key):
        return answered(unit_availability(unit_id), True)
    groups = update.age_groups
    changed(
        lambda: changes.update_availability(
            db.session,
            g.actor,
            unit_id,
            {group: places.free_places for group, places in groups.items()},
            {group: places.queue_weeks for group, places in groups.items()},
            update.version,
            channel="api",
            request_id=key,
        )
    )
    return answered(unit_availability(unit_id), False)


# --- prices -----------------------------------------------------------------------------------------------------


def unit_prices(unit_id: int) -> om.UnitPrices:
    rows = db.session.scalars(
        select(UnitPrice).where(UnitPrice.location_id == unit_id).order_by(UnitPrice.valid_from)
    ).all()
    return om.UnitPrices(
        unit_id=unit_id,
        prices=[
            om.UnitPriceEntry(valid_from=r.valid_from, monthly_price=Money.of(r.monthly_price), version=r.version)
            for r in rows
        ],
    )


@bp.get("/units/<int:unit_id>/prices")
@localized
@client_required("prices")
def get_prices(unit_id: int) -> Response:
    place(unit_id, ecec=True)
    return answered(unit_prices(unit_id), False)


@bp.put("/units/<int:unit_id>/prices")
@limited("organiser_api")
@localized
@client_required("prices")
def put_price(unit_id: int) -> Response:
    place(unit_id, ecec=True)
    update = body(om.PriceUpdate)
    key = request_id()
    if replayed(key):
        return answered(unit_prices(unit_id), True)
    changed(
        lambda: changes.set_unit_price(
            db.session,
            g.actor,
            unit_id,
            update.monthly_price.amount,
            update.valid_from,
            update.version,
            channel="api",
            request_id=key,
        )
    )
    return answered(unit_prices(unit_id), False)


# --- appointment times --------------------------------------------------------------------------------------------


def appointment_times(location_id: int) -> om.AppointmentTimes:
    rows = db.session.scalars(
        select(AppointmentSlot)
        .where(
            AppointmentSlot.location_id == location_id,
            AppointmentSlot.starts_at >= datetime.combine(today(), datetime.min.time()),
        )
        .order_by(AppointmentSlot.starts_at, AppointmentSlot.id)
        .limit(1000)
    ).all()
    return om.AppointmentTimes(
        location_id=location_id,
        times=[
            om.AppointmentTime(
                id=r.id,
                starts_at=clock.iso(r.starts_at),
                channel=r.channel,
                capacity=r.capacity,
                booked=r.booked,
                cancelled=r.cancelled_at is not None,
                version=r.version,
            )
            for r in rows
        ],
    )


@bp.get("/service-points/<int:location_id>/appointment-times")
@localized
@client_required("appointment-times")
def get_times(location_id: int) -> Response:
    place(location_id, ecec=False)
    return answered(appointment_times(location_id), False)


@bp.post("/service-points/<int:location_id>/appointment-times")
@limited("organiser_api")
@localized
@client_required("appointment-times")
def post_times(location_id: int) -> Response:
    """Times added from a weekly schedule. Sent again (with or without its key), it adds nothing: the times are
    there already (``already_there``)."""
    place(location_id, ecec=False)
    schedule = body(om.ScheduleRequest)
    key = request_id()
    added = changed(
        lambda: changes.add_appointment_times(
            db.session,
            g.actor,
            location_id,
            changes.WeeklySchedule(
                weekdays=frozenset(schedule.weekdays),
                times=tuple(schedule.times),
                length_minutes=schedule.length_minutes,
                first_day=schedule.first_day,
                last_day=schedule.last_day,
                channel=schedule.channel,
                capacity=schedule.capacity,
            ),
            closed_days=schedule.closed_days,
            skip_public_holidays=schedule.skip_public_holidays,
            channel="api",
            request_id=key,
        )
    )
    result = om.AddedTimes(
        created=list(added.created), already_there=added.already_there, closed_days=list(added.closed_days)
    )
    return answered(result, False, status=201 if added.created else 200)


@bp.delete("/service-points/<int:location_id>/appointment-times/<int:slot_id>")
@limited("organiser_api")
@localized
@client_required("appointment-times")
def delete_time(location_id: int, slot_id: int) -> Response:
    """Cancel one time (``?version=`` as read) with its reservations; each person gets a message."""
    place(location_id, ecec=False)
    version = whole_number(request.args.get("version"), max_digits=9)
    if version is None:
        raise refused(400, "version", BAD_VERSION)
    key = request_id()
    if replayed(key):
        return answered(om.CancelledTime(id=slot_id, reservations_cancelled=0), True)
    slot = db.session.get(AppointmentSlot, slot_id)
    if slot is None or slot.location_id != location_id:
        raise refused(404, "slot_id", NO_SUCH, id=slot_id)
    done = changed(
        lambda: changes.cancel_appointment_times(
            db.session, g.actor, location_id, {slot_id: version}, channel="api", request_id=key
        )
    )
    return answered(om.CancelledTime(id=slot_id, reservations_cancelled=len(done.reservation_ids)), False)
