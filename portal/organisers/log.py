"""The change log page and its CSV export: every change an organiser made to what citizens see (issue 15), who
made it, when, what it was and what it became, and through which channel.

A person sees the log of what they may act for today: their units and service points, and the pricing of the
municipalities they may price for (``access``); ``?unit=`` narrows it to one unit (404 for one outside their
scope, as every organiser page). The rows are the audit log's own (``audit.entries_in_scope``); this module only
says them in words. The export keeps the stored values as they are (ISO dates, decimal points, JSON lists), with
stable English column names, so a spreadsheet or another system reads the same file in any language.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask import Response, abort, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from configurator.catalogue import AGE_GROUPS
from configurator.i18n import N_
from configurator.service_points import APPOINTMENT_CHANNELS

from ..extensions import db
from ..forms import whole_number
from ..i18n import eur, format_date, format_time
from ..models import AuditEntry, ServiceLocation
from . import audit, bp
from .access import location_or_404, staff_required

PAGE_SIZE = 50
MAX_PAGE = 1000
EXPORT_ROWS = 10_000  # the newest rows; an organisation's whole history is for the database's own export

ACTIONS = {
    "created": N_("Added"),
    "updated": N_("Changed"),
    "confirmed": N_("Confirmed unchanged"),
    "cancelled": N_("Cancelled"),
    "reopened": N_("Offered again"),
}
CHANNELS = {
    "page": N_("Organiser pages"),
    "csv": N_("CSV import"),
    "api": N_("Write API"),
    "ptv-import": N_("Service catalogue (PTV) import"),
}
FIELDS = {
    ("availability", "free_places"): N_("Free places"),
    ("availability", "queue_weeks"): N_("Queue in weeks"),
    ("availability", "updated_at"): N_("Free places and queue"),
    ("unit_price", "monthly_price"): N_("Monthly price"),
    ("unit_price", "valid_from"): N_("Price valid from"),
    ("municipal_pricing", "valid_from"): N_("Municipal pricing valid from"),
    ("municipal_pricing", "part_time_steps"): N_("Part-time steps"),
    ("municipal_pricing", "voucher_under_3"): N_("Service voucher, under 3"),
    ("municipal_pricing", "voucher_3_and_over"): N_("Service voucher, 3 and over"),
    ("municipal_pricing", "max_surcharge"): N_("Largest surcharge of a voucher unit"),
    ("municipal_pricing", "source"): N_("Source of the pricing decision"),
    ("appointment_slot", "starts_at"): N_("Appointment time"),
    ("appointment_slot", "cancelled_at"): N_("Appointment time"),
    # Handling feedback (portal.feedback.services.handle): every field it logs.
    ("feedback", "category"): N_("Kind of feedback"),
    ("feedback", "published_at"): N_("Feedback comment published in the comparison"),
    ("feedback", "answer"): N_("Answer to feedback"),
    ("feedback", "answered_at"): N_("Feedback answered"),
    ("feedback", "handled_at"): N_("Feedback handled"),
    ("feedback", "reply_email"): N_("E-mail address for the answer to feedback"),
    # The service catalogue (PTV) import (portal.ptv_import: SERVICE_FIELDS, LOCATION_FIELDS).
    ("service_location", "service_id"): N_("Service"),
    ("service_location", "name"): N_("Name in Finnish"),
    ("service_location", "name_sv"): N_("Name in Swedish"),
    ("service_location", "name_en"): N_("Name in English"),
    ("service_location", "street_address"): N_("Street address"),
    ("service_location", "postal_code"): N_("Postal code"),
    ("service_location", "municipality_code"): N_("Municipality code"),
    ("service_location", "latitude"): N_("Latitude"),
    ("service_location", "longitude"): N_("Longitude"),
    ("service_location", "languages"): N_("Languages of service"),
    ("service_location", "opening_hours"): N_("Opening hours"),
    ("service_location", "phone"): N_("Phone number"),
    ("service_location", "email"): N_("E-mail address"),
    ("service_location", "web_url"): N_("Website"),
    ("service_location", "eservice_url"): N_("E-service address"),
    ("service_location", "eservice_accessibility"): N_("Accessibility of the e-service"),
    ("service", "name_fi"): N_("Name in Finnish"),
    ("service", "name_sv"): N_("Name in Swedish"),
    ("service", "name_en"): N_("Name in English"),
    ("service", "service_class"): N_("Service class"),
    ("service", "target_group"): N_("Target group"),
    ("service", "life_event"): N_("Life event"),
}
MONEY_FIELDS = {"monthly_price", "voucher_under_3", "voucher_3_and_over", "max_surcharge"}
MOMENT_FIELDS = {("feedback", "published_at"), ("feedback", "answered_at"), ("feedback", "handled_at")}
LANGUAGE_NAMES = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}
EXPORT_COLUMNS = (
    "at",
    "actor_name",
    "actor_subject",
    "location_id",
    "location_name",
    "municipality_code",
    "object_type",
    "object_id",
    "action",
    "field",
    "old_value",
    "new_value",
    "channel",
    "request_id",
)


@dataclass(frozen=True)
class LogLine:
    """One row of the log as the page says it."""

    entry: AuditEntry
    when: str
    place: str
    what: str
    action: str
    old: str
    new: str
    channel: str


def _field_label(entry: AuditEntry) -> str:
    """ "Free places, under 3 years", "Monthly price" ...; a field the page does not know is shown as stored."""
    name, _, group = (entry.field or "").partition(".")
    label = FIELDS.get((entry.object_type, name))
    if label is None:
        return entry.field or entry.object_type
    if group in AGE_GROUPS:
        return f"{gettext(label)}, {gettext(AGE_GROUPS[group])}"
    return gettext(label)


def _moment(text: str) -> str:
    moment = datetime.fromisoformat(text)
    return gettext("%(date)s at %(time)s", date=format_date(moment.date(), "medium"), time=format_time(moment))


def _value(entry: AuditEntry, text: str | None) -> str:
    """A stored value in the page's words: money in euros, dates as dates, an appointment time with its channel."""
    name = (entry.field or "").partition(".")[0]
    if entry.object_type == "feedback":
        return _feedback_value(name, text)
    if text is None or text == "":
        return "–"
    try:
        if name in MONEY_FIELDS:
            return eur(Decimal(text))
        if entry.object_type == "appointment_slot":
            details = json.loads(text)
            said = _moment(details["starts_at"])
            if details.get("channel") in APPOINTMENT_CHANNELS:
                said += f", {gettext(APPOINTMENT_CHANNELS[details['channel']])}"
            if "reservations_cancelled" in details:
                said += ", " + gettext("reservations cancelled: %(num)s", num=int(details["reservations_cancelled"]))
            return said
        if name in ("valid_from",):
            return format_date(date.fromisoformat(text), "long")
        if name == "updated_at":
            return _moment(text)
        if (entry.object_type, name) == ("service_location", "service_id"):
            return _service_name(int(text))
        if (entry.object_type, name) == ("service_location", "languages"):
            return ", ".join(
                gettext(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code for code in json.loads(text)
            )
    except (ValueError, KeyError, TypeError, InvalidOperation, json.JSONDecodeError):
        pass  # an older or unexpected form: shown as stored
    return text


def _service_name(service_id: int) -> str:
    """A service by its name in the page's language (as the catalogue has it), its number if it is gone."""
    from flask_babel import get_locale

    from ..catalogue_repo import service_names
    from ..models import Service

    service = db.session.get(Service, service_id)
    if service is None:
        return str(service_id)
    locale = get_locale()
    return service_names(service).display(locale.language if locale else None)


def _feedback_value(name: str, text: str | None) -> str:
    """A feedback handling value in words: the kind by its name, moments as dates, the e-mail address never (the
    log keeps only that one was given, and it is deleted after answering)."""
    from .feedback import CATEGORY_LABELS

    if name == "reply_email":
        return gettext("An address was given") if text else gettext("Deleted after answering")
    if text is None or text == "":
        return gettext("Not published") if name == "published_at" else "–"
    if name == "category":
        return gettext(CATEGORY_LABELS[text]) if text in CATEGORY_LABELS else text
    if ("feedback", name) in MOMENT_FIELDS:
        try:
            return _moment(text)
        except ValueError:
            return text
    return text


def lines(entries: Iterable[AuditEntry], places: dict[int, str]) -> list[LogLine]:
    result = []
    for entry in entries:
        if entry.location_id is not None:
            place = places.get(entry.location_id, str(entry.location_id))
        else:
            place = gettext("Municipality %(code)s", code=entry.municipality_code or "–")
        result.append(
            LogLine(
                entry=entry,
                when=_moment(entry.at.isoformat()),
                place=place,
                what=_field_label(entry),
                action=gettext(ACTIONS[entry.action]) if entry.action in ACTIONS else entry.action,
                old=_value(entry, entry.old_value),
                new=_value(entry, entry.new_value),
                channel=gettext(CHANNELS[entry.channel]) if entry.channel in CHANNELS else entry.channel,
            )
        )
    return result


def _scope() -> tuple[list[int], list[str], ServiceLocation | None]:
    """The unit ids and municipality codes whose log the person reads: all of theirs, or the one ``?unit=``."""
    raw = request.args.get("unit", "")
    if raw:
        unit_id = whole_number(raw)
        if unit_id is None:
            abort(404)
        location = location_or_404(db.session, g.actor, unit_id)
        return [location.id], [], location
    return sorted(g.actor.location_ids), sorted(g.actor.municipality_codes), None


def _place_names(location_ids: Iterable[int]) -> dict[int, str]:
    ids = list(set(location_ids))
    if not ids:
        return {}
    rows = db.session.execute(select(ServiceLocation.id, ServiceLocation.name).where(ServiceLocation.id.in_(ids)))
    return {location_id: name for location_id, name in rows}


def _page_number() -> int:
    page = whole_number(request.args.get("page"), max_digits=4)
    return page if page is not None and 1 <= page <= MAX_PAGE else 1


@bp.get("/<any(fi,sv,en):lang_code>/organiser/log")
@staff_required
def log() -> ResponseReturnValue:
    location_ids, codes, unit = _scope()
    page = _page_number()
    entries = audit.entries_in_scope(
        db.session, location_ids, codes, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    more = len(entries) > PAGE_SIZE
    entries = entries[:PAGE_SIZE]
    places = _place_names(e.location_id for e in entries if e.location_id is not None)
    units = _place_names(g.actor.location_ids) if len(g.actor.location_ids) <= 200 else {}
    return render_template(
        "organisers/log.html",
        staff=g.staff,
        unit=unit,
        units=sorted(units.items(), key=lambda item: (item[1], item[0])),
        lines=lines(entries, places),
        page=page,
        more=more,
    )


def export_rows(entries: Iterable[AuditEntry], places: dict[int, str]) -> str:
    """The CSV text: a header of EXPORT_COLUMNS and a row per entry. A value that a spreadsheet would run as a
    formula (``=``, ``+``, ``-``, ``@`` first) gets a leading apostrophe, so opening the file runs nothing."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for entry in entries:
        values = {
            "at": entry.at.isoformat(),
            "location_name": places.get(entry.location_id, "") if entry.location_id is not None else "",
        }
        row = [values[c] if c in values else getattr(entry, c) for c in EXPORT_COLUMNS]
        writer.writerow([_safe_cell(value) for value in row])
    return out.getvalue()


def _safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


@bp.get("/<any(fi,sv,en):lang_code>/organiser/log.csv")
@staff_required
def log_csv() -> ResponseReturnValue:
    location_ids, codes, unit = _scope()
    entries = audit.entries_in_scope(db.session, location_ids, codes, limit=EXPORT_ROWS)
    places = _place_names(e.location_id for e in entries if e.location_id is not None)
    name = f"polku-change-log-{unit.id if unit else 'all'}.csv"
    return Response(
        "\ufeff" + export_rows(entries, places),  # the byte order mark: spreadsheets then read it as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )
