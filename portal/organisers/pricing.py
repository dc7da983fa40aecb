"""The municipality's ECEC pricing page, for the staff who may price for the municipality (``actor.may_price_for``:
the municipality's ECEC service manager, the catalogue administrator): the part-time steps, the service voucher
values and the surcharge a voucher unit may charge, from a date on. Written by ``changes.set_municipal_pricing``
(validation, scope, version, audit); this module turns the form into its arguments and its refusals into the GOV.UK
error pattern, as the prices page does (portal/organisers/prices.py: dates, versions, 400, 409). Saved: this page
again with a notice (the entry is listed there).

The form starts from the values in force (a new decision usually changes a few of them); the steps are rows of
hours a week and a share of the full-time price in per cent ("60" for a coefficient of 0.60), empty rows ignored.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from configurator.answers import date_fields, parse_money

from ..context import today
from ..extensions import db
from ..forms import FormError, whole_number
from ..models import MunicipalEcecPricing, Municipality
from ..rate_limits import limited
from . import bp, changes
from .access import staff_required
from .prices import DATE_FIELD, EXISTS, MAX_DATE_PART_CHARS, STALE, UNREADABLE, _date_values, _read_date

MONEY_FIELDS = ("voucher_under_3", "voucher_3_and_over", "max_surcharge")
SOURCE_FIELD = "source"
STEPS_FIELD = "part_time_steps"
STEP_ROWS = 6  # rows of the steps table; municipalities use 3 to 5 steps
MAX_MONEY_CHARS = 20
MAX_SOURCE_CHARS = 300
MAX_STEP_CHARS = 8
LINKS_SHOWN = 10  # the front page links every municipality of a manager; an administrator's, those with pricing
_HOURS = re.compile(r"[0-9]{1,3}")
_SHARE = re.compile(r"[0-9]{1,3}([.,][0-9]{1,2})?")


def step_field(row: int, part: str) -> str:
    """``step-0-max_hours``, ``step-0-share``."""
    return f"step-{row}-{part}"


def _money_text(amount: Decimal) -> str:
    text = f"{amount:.2f}"
    return text if g.get("lang_code", "en") == "en" else text.replace(".", ",")


def _share_text(coefficient: str) -> str:
    """A stored coefficient ("0.60") as the per cent the form shows ("60"; "72,5" in Finnish)."""
    share = (Decimal(coefficient) * 100).normalize()
    text = f"{share:f}"
    return text if g.get("lang_code", "en") == "en" else text.replace(".", ",")


def _entry_values(entry: Any, *, with_date: bool) -> dict[str, str]:
    """The form's values of an entry (the model or a changes.PricingEntry); with its date and version when the
    entry itself is edited, else (the form of a new date started from the values in force) without."""
    values = {name: _money_text(Decimal(getattr(entry, name))) for name in MONEY_FIELDS}
    values[SOURCE_FIELD] = entry.source
    for row, step in enumerate(list(entry.part_time_steps)[:STEP_ROWS]):
        values[step_field(row, "max_hours")] = str(step.get("max_hours", ""))
        values[step_field(row, "share")] = _share_text(str(step.get("coefficient", "0")))
    if with_date:
        values.update(_date_values(entry.valid_from))
        values["version"] = str(entry.version)
        values["version_date"] = entry.valid_from.isoformat()
    return values


def _entries(code: str) -> list[MunicipalEcecPricing]:
    return list(
        db.session.scalars(
            select(MunicipalEcecPricing)
            .where(MunicipalEcecPricing.municipality_code == code)
            .order_by(MunicipalEcecPricing.valid_from)
        ).all()
    )


def _current(entries: list[MunicipalEcecPricing], day: date) -> MunicipalEcecPricing | None:
    return max((e for e in entries if e.valid_from <= day), key=lambda e: e.valid_from, default=None)


def municipality_name(municipality: Municipality) -> str:
    return municipality.name_sv if g.get("lang_code") == "sv" else municipality.name_fi


def _page(
    municipality: Municipality,
    values: dict[str, str],
    errors: list[FormError],
    error_for: dict[str, FormError] | None = None,
    status: int = 200,
    done: bool = False,
) -> ResponseReturnValue:
    day = today()
    entries = _entries(municipality.code)
    current = _current(entries, day)
    return (
        render_template(
            "organisers/pricing.html",
            staff=g.staff,
            municipality=municipality,
            municipality_name=municipality_name(municipality),
            current=current,
            coming=[e for e in entries if e.valid_from > day],
            today=day,
            values=values,
            errors=[(None, error) for error in errors],
            error_for=error_for if error_for is not None else {error.field: error for error in errors},
            done=done,
            date_field=DATE_FIELD,
            money_fields=MONEY_FIELDS,
            source_field=SOURCE_FIELD,
            steps_field=STEPS_FIELD,
            step_rows=range(STEP_ROWS),
            step_field=step_field,
            share_text=_share_text,
        ),
        status,
    )


def _municipality_or_404(code: str) -> Municipality:
    if not (code.isascii() and code.isdigit()) or not g.actor.may_price_for(code):
        abort(404)
    municipality = db.session.get(Municipality, code)
    if municipality is None:
        abort(404)
    return municipality


def _start_values(code: str) -> dict[str, str]:
    """GET: ?edit=YYYY-MM-DD (today or later) fills in that date's entry (or the date alone); otherwise the values
    in force, for a new date."""
    day = today()
    entries = _entries(code)
    try:
        edit = date.fromisoformat(request.args.get("edit", "")[:10])
    except ValueError:
        edit = None
    if edit is not None and edit >= day:
        entry = next((e for e in entries if e.valid_from == edit), None)
        if entry is not None:
            return _entry_values(entry, with_date=True)
        current = _current(entries, day)
        return {**(_entry_values(current, with_date=False) if current else {}), **_date_values(edit)}
    current = _current(entries, day)
    return _entry_values(current, with_date=False) if current else {}


def _money(text: str) -> Decimal | str | None:
    if not text:
        return None
    if len(text) > MAX_MONEY_CHARS:
        return UNREADABLE
    try:
        return parse_money(text)
    except ValueError:
        return UNREADABLE


def _steps(values: dict[str, str]) -> list[dict[str, str]]:
    """The filled-in rows as the service's steps; a row that is not two numbers is passed on as one the service
    refuses ("steps_invalid"), so the message is its own."""
    steps = []
    for row in range(STEP_ROWS):
        hours = values.get(step_field(row, "max_hours"), "")
        share = values.get(step_field(row, "share"), "").replace(" ", "").rstrip("%").strip()
        if not hours and not share:
            continue
        if not (_HOURS.fullmatch(hours) and _SHARE.fullmatch(share)):
            steps.append({"max_hours": UNREADABLE, "coefficient": UNREADABLE})
            continue
        coefficient = (Decimal(share.replace(",", ".")) / 100).quantize(Decimal("0.0001")).normalize()
        steps.append({"max_hours": hours, "coefficient": f"{coefficient:f}"})
    return steps


@bp.route("/<any(fi,sv,en):lang_code>/organiser/pricing/<string(length=3):municipality_code>", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def pricing(municipality_code: str) -> ResponseReturnValue:
    municipality = _municipality_or_404(municipality_code)
    if request.method == "GET":
        return _page(municipality, _start_values(municipality.code), [], done=request.args.get("done") == "saved")
    names = [*date_fields(DATE_FIELD)]
    values = {name: request.form.get(name, "")[:MAX_DATE_PART_CHARS].strip() for name in names}
    for name in MONEY_FIELDS:
        values[name] = request.form.get(name, "")[: MAX_MONEY_CHARS + 1].strip()
    values[SOURCE_FIELD] = request.form.get(SOURCE_FIELD, "")[:MAX_SOURCE_CHARS].strip()
    for row in range(STEP_ROWS):
        for part in ("max_hours", "share"):
            values[step_field(row, part)] = request.form.get(step_field(row, part), "")[:MAX_STEP_CHARS].strip()
    values["version"] = request.form.get("version", "")[:13]
    values["version_date"] = request.form.get("version_date", "")[:10]
    day, date_error = _read_date(values)
    version_raw = values["version"]
    version = whole_number(version_raw) if day is not None and values["version_date"] == day.isoformat() else None
    try:
        changes.set_municipal_pricing(
            db.session,
            g.actor,
            municipality.code,
            day,
            part_time_steps=_steps(values),
            voucher_under_3=_money(values["voucher_under_3"]),
            voucher_3_and_over=_money(values["voucher_3_and_over"]),
            max_surcharge=_money(values["max_surcharge"]),
            source=values[SOURCE_FIELD],
            expected_version=version,
        )
    except changes.NotFound:
        abort(404)
    except changes.InvalidChange as error:
        return _invalid(municipality, values, error.errors, date_error)
    except changes.StaleEdit as error:
        current = error.current
        shown = (
            _entry_values(current, with_date=True)
            if current is not None
            else {**values, "version": "", "version_date": ""}
        )
        message = FormError(MONEY_FIELDS[0], gettext(EXISTS if current is not None and version is None else STALE))
        return _page(municipality, shown, [message], status=409)
    return redirect(url_for("organisers.pricing", municipality_code=municipality.code, done="saved"))


def _invalid(
    municipality: Municipality,
    values: dict[str, str],
    found: tuple[changes.FieldError, ...],
    date_error: FormError | None,
) -> ResponseReturnValue:
    """Each message keyed by its field for the message next to it; the date's and the steps' link to their first
    box."""
    errors: list[FormError] = []
    error_for: dict[str, FormError] = {}
    for problem in found:
        text = gettext(problem.message) % dict(problem.params)
        if problem.field == DATE_FIELD:
            message = date_error or FormError(f"{DATE_FIELD}-day", text)
        elif problem.field == STEPS_FIELD:
            message = FormError(step_field(0, "max_hours"), text)
        else:
            message = FormError(problem.field, text)
        errors.append(message)
        error_for[problem.field] = message
    return _page(municipality, values, errors, error_for, status=400)


@bp.context_processor
def _front_page_pricing_links() -> dict[str, Any]:
    """``pricing_links`` for the organiser front page (portal/organisers/views.py renders it): the municipalities
    whose pricing the person may set, as (code, name). A manager's own municipality always; an administrator's
    (every municipality of Finland) only those that have pricing entries."""
    if request.endpoint != "organisers.index" or not getattr(g, "actor", None) or not g.actor.municipality_codes:
        return {}
    codes = set(g.actor.municipality_codes)
    if len(codes) > LINKS_SHOWN:
        codes &= set(db.session.scalars(select(MunicipalEcecPricing.municipality_code).distinct()))
    rows = db.session.scalars(select(Municipality).where(Municipality.code.in_(sorted(codes)))).all()
    links = sorted((municipality_name(row), row.code) for row in rows)[:LINKS_SHOWN]
    return {"pricing_links": [(code, name) for name, code in links]}
