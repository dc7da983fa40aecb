"""The prices page: a unit's full-time monthly price from a date on, the current one and those coming. The price is
written by ``changes.set_unit_price`` (validation, scope, version, audit); this module only turns the form into its
arguments and its refusals into the GOV.UK error pattern, as the availability page does:

- a new date sends no version; changing the price of a date that has one (the "Change" link of an entry) sends that
  entry's version, and only while the date in the form is still that entry's date;
- bad input (no date, a past date, a price that is no amount or negative): the error summary and a message next to
  the field, what was typed kept, nothing saved (400);
- a stale page (the entry of that date was made or changed after the page was opened): the current price of the
  date in the form and a message saying so, nothing saved (409);
- saved: the unit page with a notice.

The price is read in Finnish or English notation ("1 234,50", "1234.50", "1 234,50 €") by the journey's own
``parse_money``; the date is the date pattern's three boxes, read as a date question's are.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from configurator.answers import AnswerError, ParseContext, date_fields, parse_money, parse_value
from configurator.i18n import N_

from ..context import today
from ..extensions import db
from ..forms import FormError, whole_number
from ..models import UnitPrice
from ..rate_limits import limited
from . import bp, changes
from .access import location_or_404, staff_required

PRICE_FIELD = "monthly_price"
DATE_FIELD = "valid_from"
MAX_PRICE_CHARS = 20  # "99 999 999,99 €" and some spaces; longer text is no price (and is not kept)
MAX_DATE_PART_CHARS = 6

STALE = N_(
    "The price for this date was set or changed after you opened this page. "
    "The current price is shown below: check it and save again."
)
EXISTS = N_("This date already has a price, shown below. Change it if you like and save again.")
# A text parse_money refused: set_unit_price cannot read it either and answers with its own "price_format" message
# (a Decimal would take "1e3" or "NaN", which are no prices a person types).
UNREADABLE = "not an amount"


def _entries(location_id: int) -> list[UnitPrice]:
    return list(
        db.session.scalars(
            select(UnitPrice).where(UnitPrice.location_id == location_id).order_by(UnitPrice.valid_from)
        ).all()
    )


def _money_text(amount: Decimal) -> str:
    """A stored price as the form shows it: Finnish and Swedish with a decimal comma, English with a point."""
    text = f"{amount:.2f}"
    return text if g.get("lang_code", "en") == "en" else text.replace(".", ",")


def _date_values(day: date | None) -> dict[str, str]:
    if day is None:
        return {}
    day_f, month_f, year_f = date_fields(DATE_FIELD)
    return {day_f: str(day.day), month_f: str(day.month), year_f: str(day.year)}


def _entry_values(entry: Any) -> dict[str, str]:
    """The form's values for an entry (a UnitPrice or a changes.PriceEntry): its date, price and version."""
    return {
        **_date_values(entry.valid_from),
        PRICE_FIELD: _money_text(Decimal(entry.monthly_price)),
        "version": str(entry.version),
        "version_date": entry.valid_from.isoformat(),
    }


def _page(
    location: Any,
    values: dict[str, str],
    errors: list[FormError],
    error_for: dict[str, FormError] | None = None,
    status: int = 200,
    stale: bool = False,
) -> ResponseReturnValue:
    day = today()
    entries = _entries(location.id)
    current = max((p for p in entries if p.valid_from <= day), key=lambda p: p.valid_from, default=None)
    coming = [p for p in entries if p.valid_from > day]
    return (
        render_template(
            "organisers/prices.html",
            staff=g.staff,
            location=location,
            current=current,
            coming=coming,
            today=day,
            values=values,
            errors=[(None, error) for error in errors],
            error_for=error_for if error_for is not None else {error.field: error for error in errors},
            stale=stale,
            date_field=DATE_FIELD,
            price_field=PRICE_FIELD,
        ),
        status,
    )


def _edit_values(location_id: int) -> dict[str, str]:
    """GET ?edit=YYYY-MM-DD (today or later): the form filled in with that date's entry, to change its price, or
    with the date alone when it has none yet (a link to "set the price from 1 January")."""
    raw = request.args.get("edit", "")[:10]
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return {}
    if day < today():
        return {}
    entry = db.session.scalar(
        select(UnitPrice).where(UnitPrice.location_id == location_id, UnitPrice.valid_from == day)
    )
    return _entry_values(entry) if entry is not None else _date_values(day)


def _read_date(values: dict[str, str]) -> tuple[date | None, FormError | None]:
    """The date boxes as a date; None with no error when all three are empty (the service says it is missing)."""
    if not any(values.get(name) for name in date_fields(DATE_FIELD)):
        return None, None
    try:
        day = parse_value(DATE_FIELD, "date", values, ParseContext(today=today(), places=None, answers={}))
    except AnswerError as error:
        return None, FormError(error.field, error.message, error.values)
    return day, None


def _version(values: dict[str, str], day: date | None) -> int | None:
    """The entry's version, sent only while the form's date is still the date of the entry it was opened for."""
    raw = values.get("version", "")
    if day is None or values.get("version_date") != day.isoformat():
        return None
    return whole_number(raw)


@bp.route("/<any(fi,sv,en):lang_code>/organiser/units/<int:location_id>/prices", methods=["GET", "POST"])
@staff_required
@limited("organiser_edit")
def prices(location_id: int) -> ResponseReturnValue:
    location = location_or_404(db.session, g.actor, location_id)
    if location.ecec_unit is None:
        return redirect(url_for("organisers.unit", location_id=location.id))
    if request.method == "GET":
        return _page(location, _edit_values(location.id), [])
    values = {name: request.form.get(name, "")[:MAX_DATE_PART_CHARS].strip() for name in date_fields(DATE_FIELD)}
    values[PRICE_FIELD] = request.form.get(PRICE_FIELD, "")[: MAX_PRICE_CHARS + 1].strip()
    values["version"] = request.form.get("version", "")[:13]
    values["version_date"] = request.form.get("version_date", "")[:10]
    day, date_error = _read_date(values)
    price_text = values[PRICE_FIELD]
    if len(price_text) > MAX_PRICE_CHARS:
        values[PRICE_FIELD] = ""
        price: Decimal | str | None = UNREADABLE
    elif not price_text:
        price = None
    else:
        try:
            price = parse_money(price_text)
        except ValueError:
            price = UNREADABLE
    try:
        changes.set_unit_price(db.session, g.actor, location.id, price, day, _version(values, day))
    except changes.NotFound:
        return redirect(url_for("organisers.unit", location_id=location.id))
    except changes.InvalidChange as error:
        return _invalid(location, values, error.errors, date_error)
    except changes.StaleEdit as error:
        return _stale(location, values, error)
    return redirect(url_for("organisers.unit", location_id=location.id, done="price-saved"))


def _invalid(
    location: Any, values: dict[str, str], found: tuple[changes.FieldError, ...], date_error: FormError | None
) -> ResponseReturnValue:
    """The service's field errors, the date's own parse error in place of its "missing" one; the date's error
    links to its first box (the fieldset's message is keyed by the date's name)."""
    errors: list[FormError] = []
    error_for: dict[str, FormError] = {}
    for problem in found:
        if problem.field == DATE_FIELD:
            message = date_error or FormError(f"{DATE_FIELD}-day", gettext(problem.message) % dict(problem.params))
        else:
            message = FormError(problem.field, gettext(problem.message) % dict(problem.params))
        errors.append(message)
        error_for[problem.field] = message
    return _page(location, values, errors, error_for, status=400)


def _stale(location: Any, values: dict[str, str], error: changes.StaleEdit) -> ResponseReturnValue:
    """Nothing saved: the date's current price (and its version) in the form, the message linked to the price."""
    current = error.current
    shown = _entry_values(current) if current is not None else {**values, "version": "", "version_date": ""}
    sent_version = _version(values, current.valid_from if current is not None else None)
    message = FormError(PRICE_FIELD, gettext(EXISTS if current is not None and sent_version is None else STALE))
    return _page(location, shown, [message], status=409, stale=True)
