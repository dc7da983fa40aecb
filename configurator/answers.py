"""Question types: which form fields each type has and how raw text becomes a typed answer.

Raw answers are the strings a form posts (flat, keyed by field name) so that they
survive round trips through the session, a language switch and an error page
unchanged; typed answers are derived from them each time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from .geo import Place, PlaceResolver, in_finland
from .i18n import N_

QUESTION_TYPES = ("choice", "choices", "yesno", "number", "money", "date", "location", "postal_code")
Raw = Mapping[str, str]
MAX_FIELD_TEXT = 200  # the most a raw field keeps: far above any real answer, and what forms and the API cap at


@dataclass(frozen=True)
class AnswerError(Exception):
    """A validation failure: a msgid with values, attached to the field that should get focus."""

    message: str
    field: str
    values: Mapping[str, Any] = field(default_factory=dict)
    kind: str = "invalid"  # which entry of a question's `errors:` may replace the message


@dataclass(frozen=True)
class LocationAnswer:
    place: Place
    street_address: str | None = None


@dataclass(frozen=True)
class ParseContext:
    today: date
    places: PlaceResolver
    answers: Mapping[str, Any]  # answers parsed so far, for rules that compare with another answer


DEFAULT_ERRORS: dict[str, str] = {
    "required.choice": N_("Select an option"),
    "required.choices": N_("Select at least one option"),
    "required.yesno": N_("Select yes or no"),
    "required.number": N_("Enter a number"),
    "required.money": N_("Enter an amount in euros"),
    "required.date": N_("Enter a date"),
    "required.location": N_("Enter a postal code or choose a point on the map"),
    "required.postal_code": N_("Enter a postal code"),
    "invalid.choice": N_("Select one of the options"),
    "invalid.choices": N_("Select only the options shown"),
    "invalid.yesno": N_("Select yes or no"),
    "invalid.number": N_("Enter a whole number, like 3"),
    "invalid.decimal": N_("Enter a number, like 37.5"),
    "invalid.money": N_("Enter an amount in euros, like 4500 or 4500,50"),
    "invalid.date": N_("Enter a real date, for example 27 3 2025"),
    "invalid.postal_code": N_("Enter a postal code of five digits, like 20100"),
    "unknown.postal_code": N_("Enter a postal code that exists in Finland"),
    "outside.location": N_("Choose a point in Finland"),
    "needs_postal_code.location": N_("Enter the postal code as well: the point on the map does not tell "
                                     "which municipality it is in"),
    "min": N_("Enter a number of at least {min}"),
    "max": N_("Enter a number of at most {max}"),
    "max_answer": N_("Enter a number of at most {max}"),
    "not_before_today": N_("The date must be today or in the future"),
    "not_after_today": N_("The date must be today or in the past"),
    "after": N_("The date must be later than the earlier date you gave"),
    "max_years_before_today": N_("The date must be within the last {years} years"),
    "max_years_after_today": N_("The date must be within {years} years from today"),
}


def raw_text(raw: Raw, name: str) -> str:
    """A raw field's text; anything that is not text (a value kept by an older version, a tampered store) is no
    answer, so a stored value can make a question unanswered but never make a page fail."""
    value = raw.get(name) if isinstance(raw, Mapping) else None
    return value if isinstance(value, str) else ""


def clean_raw(raw: Any) -> dict[str, str]:
    """Only what a form could have posted: text keys with text values of at most MAX_FIELD_TEXT characters.

    Stored answers pass through here when read back, so an answer kept by an older version (or edited by
    hand) is treated as unanswered rather than breaking every page of the journey.
    """
    if not isinstance(raw, Mapping):
        return {}
    return {key: value for key, value in raw.items()
            if isinstance(key, str) and isinstance(value, str) and len(value) <= MAX_FIELD_TEXT}


def _blank(text: object) -> bool:
    return not isinstance(text, str) or not text.strip()


def date_fields(qid: str) -> tuple[str, str, str]:
    return f"{qid}-day", f"{qid}-month", f"{qid}-year"


def location_fields(qid: str) -> tuple[str, str, str, str]:
    return f"{qid}-street_address", f"{qid}-postal_code", f"{qid}-lat", f"{qid}-lon"


def field_names(qid: str, qtype: str) -> tuple[str, ...]:
    """The form fields a question of this type posts."""
    if qtype == "date":
        return date_fields(qid)
    if qtype == "location":
        return location_fields(qid)
    return (qid,)


def is_blank(qid: str, qtype: str, raw: Raw) -> bool:
    return all(_blank(raw.get(name)) for name in field_names(qid, qtype))


def parse_money(text: str) -> Decimal:
    """Accept both Finnish and English notation: '4 500,50', '4500.50', '4500 €'."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]|eur", "", text.strip().lower())
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]{1,2})?", cleaned):  # 4.500,50
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    # ASCII digits only, and at most 12 of them before the point: a trillion euros is past every rule's
    # maximum, and a 200-digit amount would overflow the rules' rounding (a 500, not the field's error).
    if not re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,2})?", cleaned):
        raise ValueError(text)
    return Decimal(cleaned)


# Spaces a person or a phone keyboard may put between thousands: space, no-break and narrow no-break space.
_NUMBER_SPACES = re.compile(r"[ \u00a0\u202f]")


def parse_int(text: str) -> int:
    """A whole number, '3' or '1 000'; ASCII digits only (\\d would take other scripts' digits too)."""
    cleaned = _NUMBER_SPACES.sub("", text.strip())
    if not re.fullmatch(r"-?[0-9]{1,6}", cleaned):
        raise ValueError(text)
    return int(cleaned)


def parse_number(text: str, decimals: int = 0) -> int | Decimal:
    """A count, or where the question allows ``decimals`` digits after the decimal comma or point a decimal:
    '37,5' as Finnish and Swedish write it and '37.5' as English does are the same 37.5 hours.

    A question without ``decimals`` keeps whole numbers (an int); with it the answer is a Decimal, whole or not.
    """
    if not decimals:
        return parse_int(text)
    cleaned = _NUMBER_SPACES.sub("", text.strip())
    if not re.fullmatch(rf"-?[0-9]{{1,6}}([.,][0-9]{{1,{decimals}}})?", cleaned):
        raise ValueError(text)
    return Decimal(cleaned.replace(",", "."))


def parse_postal_code(text: str, field_name: str, places: PlaceResolver) -> str:
    code = text.strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{5}", code):  # ASCII: \d would let '٢٠١٠٠' through to the lookup
        raise AnswerError(DEFAULT_ERRORS["invalid.postal_code"], field_name)
    if not places.postal_code_exists(code):
        raise AnswerError(DEFAULT_ERRORS["unknown.postal_code"], field_name, kind="unknown")
    return code


def _date_part(text: str) -> int | None:
    """One box of a date: '3', ' 3 ' or '3.' (Finnish writes 3.12.2026, so a day or month often ends in a
    point); ASCII digits only, so '٣' or '³' is the field's error, not a 500 or a silent 3."""
    part = text.strip()
    part = part[:-1].rstrip() if part.endswith(".") else part
    return int(part) if re.fullmatch(r"[0-9]{1,4}", part) else None


def _parse_date(qid: str, raw: Raw) -> date:
    day_f, month_f, year_f = date_fields(qid)
    parts = []
    for name in (day_f, month_f, year_f):
        part = _date_part(raw_text(raw, name))
        if part is None:
            raise AnswerError(DEFAULT_ERRORS["invalid.date"], name)
        parts.append(part)
    day, month, year = parts
    if year < 1900 or year > 2200:
        raise AnswerError(DEFAULT_ERRORS["invalid.date"], year_f)
    try:
        return date(year, month, day)
    except ValueError:
        raise AnswerError(DEFAULT_ERRORS["invalid.date"], day_f if 1 <= month <= 12 else month_f) from None


# A map point's coordinate as the map picker writes it: plain decimal degrees in ASCII digits (float() would
# also take '٦٠', '1e309', 'nan' and 'inf').
_COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,15})?")


def _parse_point(lat_text: str, lon_text: str, field_name: str) -> tuple[float, float]:
    if not (_COORDINATE.fullmatch(lat_text) and _COORDINATE.fullmatch(lon_text)):
        raise AnswerError(DEFAULT_ERRORS["outside.location"], field_name, kind="outside")
    lat, lon = float(lat_text), float(lon_text)
    if not in_finland(lat, lon):
        raise AnswerError(DEFAULT_ERRORS["outside.location"], field_name, kind="outside")
    return lat, lon


def _parse_location(qid: str, raw: Raw, ctx: ParseContext) -> LocationAnswer:
    """A postal code, a map point, or both (the street address is kept as given, never geocoded).

    The postal code decides the municipality (every Finnish code names one, with or without a known
    centroid); a map point alone takes the municipality of the nearest postal area with a centroid. A
    point far from every known centroid needs the postal code: the point is kept and only the postal
    code is asked for. A postal code without a centroid gives a place without a point: valid, and the
    comparisons that measure distances say they need a point.
    """
    street_f, postal_f, lat_f, lon_f = location_fields(qid)
    street = raw_text(raw, street_f).strip() or None
    lat_text, lon_text = raw_text(raw, lat_f).strip(), raw_text(raw, lon_f).strip()
    point = _parse_point(lat_text, lon_text, postal_f) if lat_text and lon_text else None
    postal_text = raw_text(raw, postal_f).strip()
    if postal_text or point is None:
        area = ctx.places.by_postal_code(parse_postal_code(postal_text, postal_f, ctx.places))
    else:
        area = ctx.places.nearest(*point)
    if area is None:
        raise AnswerError(DEFAULT_ERRORS["needs_postal_code.location"], postal_f, kind="needs_postal_code")
    if point is None:
        return LocationAnswer(area, street)
    return LocationAnswer(replace(area, latitude=point[0], longitude=point[1], precise=True), street)


def parse_value(qid: str, qtype: str, raw: Raw, ctx: ParseContext, options: tuple[str, ...] = (),
                decimals: int = 0) -> Any:
    """Turn a question's raw fields into its typed value, raising AnswerError on bad input.

    ``decimals`` is a number question's rule (digits allowed after the decimal comma or point; 0: whole).
    """
    if qtype == "date":
        return _parse_date(qid, raw)
    if qtype == "location":
        return _parse_location(qid, raw, ctx)
    text = raw_text(raw, qid).strip()
    if qtype == "choice":
        if text not in options:
            raise AnswerError(DEFAULT_ERRORS["invalid.choice"], qid)
        return text
    if qtype == "choices":
        chosen = {part.strip() for part in text.split(",") if part.strip()}
        if not chosen or not chosen <= set(options):
            raise AnswerError(DEFAULT_ERRORS["invalid.choices"], qid)
        return tuple(value for value in options if value in chosen)
    if qtype == "yesno":
        if text not in ("yes", "no"):
            raise AnswerError(DEFAULT_ERRORS["invalid.yesno"], qid)
        return text == "yes"
    if qtype == "postal_code":
        return parse_postal_code(text, qid, ctx.places)
    if qtype == "number":
        try:
            return parse_number(text, decimals)
        except ValueError:
            raise AnswerError(DEFAULT_ERRORS["invalid.decimal" if decimals else "invalid.number"], qid) from None
    try:
        return parse_money(text)
    except (ValueError, InvalidOperation):
        raise AnswerError(DEFAULT_ERRORS[f"invalid.{qtype}"], qid) from None


def raw_from_json(qid: str, qtype: str, value: Any) -> dict[str, str]:
    """Map an API answer (JSON types) onto the same raw fields a form posts, so one parser serves both."""
    if value is None:
        return {}
    if qtype == "date":
        text = str(value)
        match = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
        day_f, month_f, year_f = date_fields(qid)
        if not match:
            return {day_f: text, month_f: "", year_f: ""}
        return {year_f: match[1], month_f: match[2], day_f: match[3]}
    if qtype == "location":
        street_f, postal_f, lat_f, lon_f = location_fields(qid)
        if not isinstance(value, Mapping):
            return {postal_f: str(value)}
        mapping = {street_f: "street_address", postal_f: "postal_code", lat_f: "lat", lon_f: "lon"}
        return {name: str(value[key]) for name, key in mapping.items() if value.get(key) is not None}
    if qtype == "yesno" and isinstance(value, bool):
        return {qid: "yes" if value else "no"}
    if qtype == "choices" and isinstance(value, (list, tuple)):
        return {qid: ",".join(str(v) for v in value)}
    return {qid: str(value)}
