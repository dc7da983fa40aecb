"""CSV export and import of free places and prices (issue 15): an organiser exports their units' numbers, edits
them in a spreadsheet and imports the file back.

The import is in two steps. Sending the file only reads it: every row is checked (columns, numbers, the unit
being one of the person's, the version the file was exported at) and the preview lists every change (was ->
becomes) and every row error; nothing is saved. The changes are kept in the person's server-side session (at
most ``MAX_ROWS``), and "Save all changes" applies them all in one database transaction, or none: the write
services of ``changes`` run for each unit in a savepoint of one outer transaction (their commits only release the
savepoint), with every check of theirs (scope, validation, versions), and the outer transaction is committed only
when every one of them succeeded. Audit channel "csv".

The files keep stable English column names and plain values (ISO dates, decimal points), UTF-8 with a byte order
mark; a cell a spreadsheet would run as a formula is written harmless (``log._safe_cell``). A comma or a semicolon
separates the columns (a Finnish spreadsheet saves semicolons).
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Response, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from configurator.catalogue import AGE_GROUPS
from configurator.i18n import N_

from ..context import today
from ..extensions import db
from ..forms import FormError
from ..i18n import eur
from ..models import EcecUnit, ServiceLocation, UnitPrice
from ..rate_limits import limited
from . import bp, changes
from .access import staff_required
from .log import _safe_cell

KINDS = ("availability", "prices")
COLUMNS = {
    "availability": ("unit_id", "unit_name", "age_group", "free_places", "queue_weeks", "version"),
    "prices": ("unit_id", "unit_name", "valid_from", "monthly_price", "version"),
}
OPTIONAL = {"unit_name"}  # shown to the person editing the file; not read back
MAX_ROWS = 2000  # far more than an organisation's units and age groups; the request limit bounds the bytes too
MAX_TEXT_CHARS = 60_000
KEPT = "csv_import"  # the session key of the kept preview

NO_FILE = N_("Choose a CSV file, or paste its rows.")
NOT_TEXT = N_("The file is not a CSV file saved as UTF-8 text. Save it as CSV (UTF-8) and try again.")
EMPTY = N_("The file has no rows below its header.")
TOO_MANY = N_("The file has more than %(max)s rows. Import at most %(max)s rows at a time.")
MISSING_COLUMNS = N_("The file has no column %(columns)s. Export the file again and keep its first row.")
UNKNOWN_COLUMNS = N_("The file has columns this import does not know: %(columns)s.")
KIND_MISSING = N_("Choose what the file contains.")
NOT_YOURS = N_("Row %(row)s: unit %(unit)s is not one of your units.")
ROW_ERROR = N_("Row %(row)s: %(message)s")
BAD_UNIT = N_("Enter the unit's id as a whole number.")
BAD_VERSION = N_("The version column must be the whole number of the export. Export the file again.")
BAD_DATE = N_("Enter the date as year-month-day, for example 2027-08-01.")
UNKNOWN_GROUP = N_("The age group must be one of: %(groups)s.")
TWICE = N_("This row repeats row %(first)s.")
VERSIONS_DIFFER = N_("The rows of one unit have different versions. Export the file again.")
STALE_ROW = N_(
    "The numbers of this unit were changed after the file was exported (by someone else or by a reservation). "
    "Export the file again."
)
STALE_AT_SAVE = N_("Nothing was saved: row %(row)s could not be saved. %(message)s")
NOTHING_KEPT = N_("There is no import to save. Send the file again.")
FIELD_LABELS = {
    "free_places": N_("Free places"),
    "queue_weeks": N_("Queue in weeks"),
    "monthly_price": N_("Monthly price"),
}


@dataclass(frozen=True)
class Change:
    """One value a row changes, as the preview shows it."""

    row: int
    unit: str
    what: str
    old: str
    new: str


# ---------- export ----------


def _units(location_ids: Iterable[int]) -> list[tuple[int, str]]:
    """The person's ECEC units, by name."""
    ids = list(location_ids)
    if not ids:
        return []
    rows = db.session.execute(
        select(ServiceLocation.id, ServiceLocation.name)
        .join(EcecUnit, EcecUnit.location_id == ServiceLocation.id)
        .where(ServiceLocation.id.in_(ids))
        .order_by(ServiceLocation.name, ServiceLocation.id)
    )
    return [(unit_id, name) for unit_id, name in rows]


def _csv(kind: str, rows: Iterable[Iterable[object]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return Response(
        "\ufeff" + out.getvalue(),  # the byte order mark: spreadsheets then read it as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="polku-{kind}.csv"', "Cache-Control": "no-store"},
    )


def availability_rows(unit_ids: Iterable[int]) -> list[tuple[object, ...]]:
    rows = []
    for unit_id, name in _units(unit_ids):
        state = changes.availability_state(db.session, unit_id)
        for row in state.rows:
            rows.append((unit_id, name, row.age_group, row.free_places, row.queue_weeks, state.version))
    return rows


def price_rows(unit_ids: Iterable[int]) -> list[tuple[object, ...]]:
    units = dict(_units(unit_ids))
    if not units:
        return []
    prices = db.session.execute(
        select(UnitPrice).where(UnitPrice.location_id.in_(list(units))).order_by(UnitPrice.valid_from)
    ).scalars()
    found = sorted(prices, key=lambda p: (units[p.location_id], p.location_id, p.valid_from))
    return [
        (
            p.location_id,
            units[p.location_id],
            p.valid_from.isoformat(),
            format(Decimal(p.monthly_price), "f"),
            p.version,
        )
        for p in found
    ]


@bp.get("/<any(fi,sv,en):lang_code>/organiser/export/availability.csv")
@staff_required
def export_availability() -> ResponseReturnValue:
    return _csv("availability", availability_rows(g.actor.location_ids))


@bp.get("/<any(fi,sv,en):lang_code>/organiser/export/prices.csv")
@staff_required
def export_prices() -> ResponseReturnValue:
    return _csv("prices", price_rows(g.actor.location_ids))


# ---------- reading a file ----------


class FileProblem(Exception):
    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def text(self) -> str:
        return gettext(self.message) % self.params if self.params else gettext(self.message)


def read_table(text: str, kind: str) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (row number as a spreadsheet shows it, {column: value}); ``FileProblem`` for a
    file that is no table of the kind's columns."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        table = [row for row in reader]
    except csv.Error as error:
        raise FileProblem(NOT_TEXT) from error
    numbered = [(number, row) for number, row in enumerate(table, start=1) if any(cell.strip() for cell in row)]
    if not numbered:
        raise FileProblem(EMPTY)
    header = [cell.strip().lower() for cell in numbered[0][1]]
    wanted = COLUMNS[kind]
    missing = [c for c in wanted if c not in header and c not in OPTIONAL]
    if missing:
        raise FileProblem(MISSING_COLUMNS, columns=", ".join(missing))
    unknown = [c for c in header if c not in wanted]
    if unknown:
        raise FileProblem(UNKNOWN_COLUMNS, columns=", ".join(c or '""' for c in unknown[:10]))
    body = numbered[1:]
    if not body:
        raise FileProblem(EMPTY)
    if len(body) > MAX_ROWS:
        raise FileProblem(TOO_MANY, max=MAX_ROWS)
    return [
        (number, {c: (row[i].strip() if i < len(row) else "") for i, c in enumerate(header)}) for number, row in body
    ]


def _whole(text: str) -> int | None:
    raw = text.strip()
    if raw.lstrip("-").isascii() and raw.lstrip("-").isdigit() and len(raw) <= 12:
        return int(raw)
    return None


def _message(key: str, **params: Any) -> str:
    return gettext(changes.MESSAGES[key]) % params if params else gettext(changes.MESSAGES[key])


def _row_error(row: int, message: str) -> str:
    return gettext(ROW_ERROR) % {"row": row, "message": message}


def _unit_of(row: int, raw: str, units: dict[int, str], errors: list[str]) -> int | None:
    unit_id = _whole(raw)
    if unit_id is None:
        errors.append(_row_error(row, gettext(BAD_UNIT)))
        return None
    if unit_id not in units:
        errors.append(gettext(NOT_YOURS) % {"row": row, "unit": unit_id})
        return None
    return unit_id


@dataclass
class Preview:
    kind: str
    changes: list[Change]
    errors: list[str]
    work: list[dict[str, Any]]  # what saving does: one item per service call, with the row numbers it came from
    rows: int


def preview_availability(table: list[tuple[int, dict[str, str]]]) -> Preview:
    units = dict(_units(g.actor.location_ids))
    errors: list[str] = []
    found: dict[int, dict[str, Any]] = {}  # unit -> {"version", "rows": {group: (row, places, queue)}}
    for row, cells in table:
        unit_id = _unit_of(row, cells.get("unit_id", ""), units, errors)
        if unit_id is None:
            continue
        group = cells.get("age_group", "")
        problems = []
        if group not in AGE_GROUPS:
            problems.append(gettext(UNKNOWN_GROUP) % {"groups": ", ".join(AGE_GROUPS)})
        places, queue = _whole(cells.get("free_places", "")), _whole(cells.get("queue_weeks", ""))
        if places is None:
            problems.append(f"{gettext(FIELD_LABELS['free_places'])}: {_message('whole_number')}")
        elif places < 0:
            problems.append(_message("free_places_negative"))
        elif places > changes.FREE_PLACES_MAX:
            problems.append(_message("free_places_too_many", max=changes.FREE_PLACES_MAX))
        if queue is None:
            problems.append(f"{gettext(FIELD_LABELS['queue_weeks'])}: {_message('whole_number')}")
        elif not 0 <= queue <= changes.QUEUE_WEEKS_MAX:
            problems.append(_message("queue_out_of_bounds", max=changes.QUEUE_WEEKS_MAX))
        version = _whole(cells.get("version", ""))
        if version is None:
            problems.append(gettext(BAD_VERSION))
        unit = found.setdefault(unit_id, {"version": version, "rows": {}})
        if version is not None and unit["version"] is not None and unit["version"] != version:
            problems.append(gettext(VERSIONS_DIFFER))
        if group in unit["rows"]:
            problems.append(gettext(TWICE) % {"first": unit["rows"][group][0]})
        if problems:
            errors.extend(_row_error(row, problem) for problem in problems)
            continue
        unit["rows"][group] = (row, places, queue)
    shown: list[Change] = []
    work: list[dict[str, Any]] = []
    for unit_id, unit in found.items():
        if not unit["rows"]:
            continue
        state = changes.availability_state(db.session, unit_id)
        stored = state.by_group()
        first_row = min(r for r, _, _ in unit["rows"].values())
        if unit["version"] != state.version:
            errors.append(_row_error(first_row, gettext(STALE_ROW)))
            continue
        unit_changes = []
        for group, (row, places, queue) in sorted(unit["rows"].items(), key=lambda item: item[1][0]):
            if group not in stored:
                errors.append(_row_error(row, _message("age_group_not_served")))
                continue
            for name, old, new in (
                ("free_places", stored[group].free_places, places),
                ("queue_weeks", stored[group].queue_weeks, queue),
            ):
                if old != new:
                    what = f"{gettext(FIELD_LABELS[name])}, {gettext(AGE_GROUPS[group])}"
                    unit_changes.append(Change(row, units[unit_id], what, str(old), str(new)))
        if unit_changes:
            shown.extend(unit_changes)
            work.append(
                {
                    "unit": unit_id,
                    "row": first_row,
                    "version": state.version,
                    "places": {group: p for group, (_, p, _) in unit["rows"].items() if group in stored},
                    "queues": {group: q for group, (_, _, q) in unit["rows"].items() if group in stored},
                }
            )
    return Preview("availability", sorted(shown, key=lambda c: c.row), errors, work, len(table))


def preview_prices(table: list[tuple[int, dict[str, str]]]) -> Preview:
    units = dict(_units(g.actor.location_ids))
    day = today()
    errors: list[str] = []
    shown: list[Change] = []
    work: list[dict[str, Any]] = []
    seen: dict[tuple[int, date], int] = {}
    for row, cells in table:
        unit_id = _unit_of(row, cells.get("unit_id", ""), units, errors)
        if unit_id is None:
            continue
        problems = []
        try:
            start: date | None = date.fromisoformat(cells.get("valid_from", ""))
        except ValueError:
            start = None
            problems.append(gettext(BAD_DATE))
        raw_price = cells.get("monthly_price", "")
        price: Decimal | None = None
        try:
            price = Decimal(raw_price.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except InvalidOperation:
            pass
        if not raw_price:
            problems.append(_message("price_missing"))
        elif price is None or not price.is_finite() or price != price.quantize(Decimal("0.01")):
            problems.append(_message("price_format", max=str(changes.PRICE_MAX)))
            price = None
        elif price > changes.PRICE_MAX:
            problems.append(_message("price_format", max=str(changes.PRICE_MAX)))
        elif price < 0:
            problems.append(_message("price_negative"))
        raw_version = cells.get("version", "")
        version = _whole(raw_version) if raw_version else None
        if raw_version and version is None:
            problems.append(gettext(BAD_VERSION))
        if start is not None and (unit_id, start) in seen:
            problems.append(gettext(TWICE) % {"first": seen[(unit_id, start)]})
        if problems or start is None or price is None:
            errors.extend(_row_error(row, problem) for problem in problems)
            continue
        seen[(unit_id, start)] = row
        stored = db.session.execute(
            select(UnitPrice).where(UnitPrice.location_id == unit_id, UnitPrice.valid_from == start)
        ).scalar_one_or_none()
        old = Decimal(stored.monthly_price) if stored is not None else None
        if stored is not None and version != stored.version:
            errors.append(_row_error(row, gettext(STALE_ROW)))
            continue
        if stored is None and version is not None:
            errors.append(_row_error(row, gettext(STALE_ROW)))
            continue
        if old is not None and old == price:
            continue  # unchanged (the price history is exported too)
        if start < day:
            errors.append(_row_error(row, _message("valid_from_past")))
            continue
        what = f"{gettext(FIELD_LABELS['monthly_price'])}, {start.isoformat()}"
        shown.append(Change(row, units[unit_id], what, eur(old) if old is not None else "–", eur(price)))
        work.append(
            {"unit": unit_id, "row": row, "version": version, "valid_from": start.isoformat(), "price": str(price)}
        )
    return Preview("prices", shown, errors, work, len(table))


# ---------- saving ----------


def apply(preview_kind: str, work: list[dict[str, Any]], token: str) -> int:
    """Apply every kept change in one transaction (``changes.all_or_nothing``: each service call in a savepoint,
    the whole committed after the last one). Any refusal (``ChangeError``) rolls everything back and is raised
    with ``row`` set to the row it came from."""
    done = 0
    with changes.all_or_nothing(db.session) as inner:
        for item in work:
            try:
                if preview_kind == "availability":
                    changes.update_availability(
                        inner,
                        g.actor,
                        item["unit"],
                        item["places"],
                        item["queues"],
                        item["version"],
                        channel="csv",
                        request_id=f"csv-{token}",
                    )
                else:
                    changes.set_unit_price(
                        inner,
                        g.actor,
                        item["unit"],
                        item["price"],
                        date.fromisoformat(item["valid_from"]),
                        item["version"],
                        channel="csv",
                        request_id=f"csv-{token}",
                    )
                done += 1
            except changes.ChangeError as error:
                error.row = item["row"]  # type: ignore[attr-defined]
                raise
    return done


# ---------- pages ----------


def _import_page(
    errors: list[FormError], kind: str | None = None, status: int = 200, saved: int | None = None
) -> ResponseReturnValue:
    return (
        render_template(
            "organisers/csv_import.html",
            staff=g.staff,
            errors=[(None, error) for error in errors],
            error_for={error.field: error for error in errors},
            kind=kind,
            saved=saved,
            max_rows=MAX_ROWS,
            max_kib=current_app.config["MAX_CONTENT_LENGTH"] // 1024,
        ),
        status,
    )


def _preview_page(kept: dict[str, Any], status: int = 200, failure: str | None = None) -> ResponseReturnValue:
    errors = list(kept["errors"])
    summary = [(None, FormError("row-errors", failure or errors[0]))] if (failure or errors) else []
    return (
        render_template(
            "organisers/csv_preview.html",
            staff=g.staff,
            kind=kept["kind"],
            changes=[Change(*c) for c in kept["changes"]],
            row_errors=errors,
            failure=failure,
            errors=summary,
            count=len(kept["changes"]),
            rows=kept["rows"],
            token=kept["token"],
        ),
        status,
    )


def _uploaded_text() -> str | None:
    """The sent file's text (or the pasted rows); None when neither was sent. ``FileProblem`` for no text."""
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        data = upload.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem(NOT_TEXT) from error
    pasted = request.form.get("rows", "")
    if pasted.strip():
        if len(pasted) > MAX_TEXT_CHARS:
            raise FileProblem(TOO_MANY, max=MAX_ROWS)
        return pasted.lstrip("\ufeff")
    return None


@bp.route("/<any(fi,sv,en):lang_code>/organiser/import", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def csv_import() -> ResponseReturnValue:
    if request.method == "GET":
        saved = session.pop("csv_import_saved", None)
        return _import_page([], saved=saved if isinstance(saved, int) else None)
    kind = request.form.get("kind", "")
    errors: list[FormError] = []
    if kind not in KINDS:
        errors.append(FormError("kind", gettext(KIND_MISSING)))
    try:
        text = _uploaded_text()
        if text is None:
            errors.append(FormError("file", gettext(NO_FILE)))
        elif not errors:
            table = read_table(text, kind)
    except FileProblem as problem:
        errors.append(FormError("file", problem.text()))
    if errors:
        return _import_page(errors, kind if kind in KINDS else None, status=400)
    preview = preview_availability(table) if kind == "availability" else preview_prices(table)
    kept = {
        "kind": kind,
        "token": secrets.token_urlsafe(16),
        "changes": [[c.row, c.unit, c.what, c.old, c.new] for c in preview.changes],
        "errors": preview.errors[: MAX_ROWS * 2],
        "work": preview.work if not preview.errors else [],
        "rows": preview.rows,
    }
    session[KEPT] = kept
    return _preview_page(kept, status=400 if preview.errors else 200)


@bp.get("/<any(fi,sv,en):lang_code>/organiser/import/preview")
@staff_required
def csv_preview() -> ResponseReturnValue:
    kept = session.get(KEPT)
    if not isinstance(kept, dict):
        return redirect(url_for("organisers.csv_import"))
    return _preview_page(kept, status=400 if kept["errors"] else 200)


@bp.post("/<any(fi,sv,en):lang_code>/organiser/import/save")
@staff_required
@limited("organiser_edit")
def csv_save() -> ResponseReturnValue:
    kept = session.get(KEPT)
    if not isinstance(kept, dict) or kept.get("token") != request.form.get("token") or kept["errors"]:
        return _import_page([FormError("file", gettext(NOTHING_KEPT))], status=409)
    try:
        done = apply(kept["kind"], kept["work"], kept["token"])
    except changes.ChangeError as error:
        if isinstance(error, changes.InvalidChange):
            message = "; ".join(gettext(e.message) % dict(e.params) for e in error.errors)
        elif isinstance(error, changes.NotFound):
            message = gettext(NOT_YOURS) % {"row": error.row, "unit": error.args[0] if error.args else ""}  # type: ignore[attr-defined]
        else:
            message = gettext(STALE_ROW)
        session.pop(KEPT, None)
        failure = gettext(STALE_AT_SAVE) % {"row": error.row, "message": message}  # type: ignore[attr-defined]
        return _preview_page({**kept, "errors": []}, status=409, failure=failure)
    session.pop(KEPT, None)
    session["csv_import_saved"] = len(kept["changes"]) if done else 0
    return redirect(url_for("organisers.csv_import"))
