"""Open JSON API, version 1 (described by /api/v1/openapi.json).

The API is a second front door to the same domain as the HTML journey: JSON
answers are mapped onto the raw fields a form posts (configurator.answers.raw_from_json)
and validated by configurator.journey, so one rule set serves both, and the plan
comes from the same make_plan. Every user-facing string is translated into the
requested language (?lang=, else Accept-Language, else Finnish); codes stay codes.
"""
from __future__ import annotations

import json
import math
import re
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any, Callable, Iterable, Mapping

from flask import Blueprint, Response, current_app, g, request, url_for
from flask_babel import force_locale, gettext
from werkzeug.exceptions import HTTPException

from configurator import clock
from configurator.answers import MAX_FIELD_TEXT, AnswerError, parse_money, raw_from_json
from configurator.catalogue import AGE_GROUPS, CARE_TYPES, LANGUAGES, PROVIDER_TYPES, REPORTER_ROLES, EcecUnitRecord
from configurator.checklist import ChecklistEntry, text_values
from configurator.comparisons.company_forms import CompanyFormComparison
from configurator.comparisons.ecec import SORTS, EcecComparison, EcecRow, Filters, municipal_fee_rules
from configurator.comparisons.income import IncomeComparison
from configurator.comparisons.services import ServiceComparison, ServiceRow
from configurator.geo import FINLAND_BBOX, CoverageGap, distance_km, in_finland
from configurator.i18n import N_
from configurator.journey import Walk, parse_step, walk
from configurator.lifeevents import CHANNELS, Condition, LifeEvent, Question, Step
from configurator.parameters import ParameterError, default_parameters
from configurator.plan import Plan, make_plan
from configurator.rules import BreakdownStep, InvalidInput
from configurator.rules.ecec_fee import FeeResult, MissingMunicipalRules, MunicipalFeeRules, ecec_fee, part_time_coefficient
from configurator.rules.business_start import COMPANY_FORMS, BusinessStartCosts, business_start_costs
from configurator.rules.home_care import AllowanceResult
from configurator.rules.unemployment import AllowanceResult as UnemploymentAllowance
from configurator.rules.unemployment import AllowanceTimeline, unemployment_allowances
from configurator.service_points import SERVICE_KINDS

from ..context import catalogue, directory, life_events, places, sources, today
from ..i18n import translate_with
from ..rate_limits import limited
from .journey import mismatch_reason
from ..openapi import MAX_ANSWERS, MAX_UNITS, RADIUS_DEFAULT, RADIUS_MAX, RADIUS_MIN, openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_TEXT = MAX_FIELD_TEXT  # the same cap the HTML forms put on a raw field
MAX_ECHO = 60            # at most this much of a name the client sent is repeated in an error
MAX_INCOME = Decimal(10_000_000)  # far above any fee cap; keeps Decimal rounding within its precision
MAX_YEARLY = Decimal(1_000_000_000)  # yearly turnover or income; keeps Decimal rounding within its precision
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits: \d also takes '٢٠٢٥'
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)  # the years the date questions take
FILTER_CHOICES = {"care_type": CARE_TYPES, "language": LANGUAGES, "provider": PROVIDER_TYPES}
DECIMAL_NUMBER = re.compile(r"-?[0-9]{1,6}([.,][0-9]{1,10})?")  # plain decimals only: no exponents, NaN or Infinity
# radius_km of /ecec-units: minimum, default and maximum (the OpenAPI document states the same figures)
UNITS_RADIUS_KM = tuple(Decimal(str(km)) for km in (RADIUS_MIN, RADIUS_DEFAULT, RADIUS_MAX))


# --- errors, language and JSON plumbing ------------------------------------------------------------


class ApiError(Exception):
    """A request the API refuses: the HTTP status, the input to blame and a msgid with values."""

    def __init__(self, status: int, field: str | None, message: str, **values: Any) -> None:
        super().__init__(f"{field}: {message}")
        self.status = status
        self.field = field
        self.message = message
        self.values = values

    def response(self) -> Response:
        return json_response({"error": {"field": self.field, "message": translate(self.message, self.values)}},
                             self.status)


def translate(msgid: str, values: Mapping[str, Any] | None = None) -> str:
    """Translate a domain msgid and fill its placeholders; None values are dropped (babel cannot format them)."""
    return translate_with(msgid, {k: v for k, v in (values or {}).items() if v is not None})


def json_response(body: Any, status: int = 200) -> Response:
    """JSON in the document's own key order (jsonify would sort keys), UTF-8 unescaped."""
    return current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                      mimetype="application/json")


def requested_language() -> str:
    """?lang= when given (and supported), else the best Accept-Language match, else the default (fi)."""
    supported = tuple(current_app.config["LANGUAGES"])
    lang = request.args.get("lang")
    if lang is None:
        return request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if lang not in supported:
        raise ApiError(400, "lang", N_("Unknown language {lang}. Use one of: {supported}."),
                       lang=lang[:20], supported=", ".join(supported))
    return lang


def localized(view: Callable[..., Response]) -> Callable[..., Response]:
    """Run a view in the requested language, turning ApiError into its JSON response in that language."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            lang = requested_language()
        except ApiError as exc:
            return exc.response()
        g.lang_code = lang  # the directory and unit names follow it too
        with force_locale(lang):
            try:
                response = view(*args, **kwargs)
            except ApiError as exc:
                response = exc.response()
        response.headers["Content-Language"] = lang
        return response

    return wrapper


@bp.after_request
def _no_store_plans(response: Response) -> Response:
    """A plan is built from personal answers: no cache may keep it (errors included, they echo answers)."""
    if request.endpoint == "api.plan":
        response.headers["Cache-Control"] = "no-store"
    return response


def _http_error(exc: HTTPException) -> Response:
    """Errors raised outside our own checks still answer in JSON, never the HTML error pages."""
    return json_response({"error": {"field": None, "message": exc.description}}, exc.code or 500)


bp.register_error_handler(HTTPException, _http_error)
for _code in (400, 404, 405, 500):  # code handlers of the app would win over a class handler
    bp.register_error_handler(_code, _http_error)
# 413 is portal.limits' handler: the body is refused before this blueprint's views run, in JSON under /api.


def number(value: Decimal | int | float | None) -> int | float | None:
    """Decimals as JSON numbers: whole amounts as integers, others as floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def date_time(value: datetime | None) -> str | None:
    """A date-time as ISO 8601 with its Helsinki offset (stored ones are naive Helsinki wall time): without
    the offset a client in another zone would read 09:00 as its own 09:00."""
    return clock.iso(value) if value is not None else None


def plain(value: Any) -> Any:
    """Any domain value as JSON-native data (Decimal → number, date → YYYY-MM-DD, date-time → ISO 8601 with
    the Helsinki offset, sets sorted)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (Decimal, int, float)):
        return number(value)
    if isinstance(value, datetime):
        return date_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def optional_text(msgid: str | None) -> str | None:
    return gettext(msgid) if msgid else None


def breakdown_json(steps: Iterable[BreakdownStep]) -> list[dict[str, Any]]:
    """Each step as text for people and as msgid + values for programs, with the figure's provenance."""
    return [{"text": translate(s.label, s.values), "label": s.label, "values": plain(s.values),
             "amount": number(s.amount), "rule": gettext(s.rule), "valid_from": s.valid_from.isoformat(),
             "source": s.source, "estimate": s.estimate} for s in steps]


def fee_json(fee: FeeResult | None) -> dict[str, Any] | None:
    if fee is None:
        return None
    return {"monthly_fee": number(fee.monthly_fee), "minimum": number(fee.minimum), "maximum": number(fee.maximum),
            "estimate": fee.estimate, "breakdown": breakdown_json(fee.breakdown)}


# --- life events ---------------------------------------------------------------------------------------


def event_or_404(event_id: str) -> LifeEvent:
    event = life_events().get(event_id)
    if event is None:
        raise ApiError(404, "life_event", N_("There is no life event {id}."), id=event_id[:60])
    return event


def conditions(condition: Condition) -> list[str] | None:
    """A show-if condition as a list of predicate names (all must hold; 'not x' negates), or null."""
    if condition is None:
        return None
    return [condition] if isinstance(condition, str) else list(condition)


def question_json(question: Question, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` are the event's figures that its hints name in {braces}."""
    return {"id": question.id, "type": question.type, "required": question.required,
            "label": gettext(question.label), "hint": translate(question.hint, values) if question.hint else None,
            "options": [{"value": o.value, "label": gettext(o.label)} for o in question.options],
            "show_if": conditions(question.show_if), "rules": plain(question.rules)}


def step_json(step: Step, values: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": step.id, "title": gettext(step.title), "intro": optional_text(step.intro),
            "show_if": conditions(step.show_if), "questions": [question_json(q, values) for q in step.questions]}


def event_summary_json(event: LifeEvent) -> dict[str, Any]:
    return {"id": event.id, "title": gettext(event.title), "summary": gettext(event.summary),
            "codes": dict(event.codes),
            "links": {"self": url_for(".life_event", event_id=event.id),
                      "plan": url_for(".plan", event_id=event.id)}}


@bp.get("/life-events")
@localized
def life_event_list() -> Response:
    return json_response({"life_events": [event_summary_json(e) for e in life_events().values()]})


@bp.get("/life-events/<event_id>")
@localized
def life_event(event_id: str) -> Response:
    event = event_or_404(event_id)
    return json_response({**event_summary_json(event), "steps": [step_json(s, text_values(event, today())) for s in event.steps]})


# --- the plan -------------------------------------------------------------------------------------------


def json_body() -> dict[str, Any]:
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # '[[[[…' nested deeper than the parser's stack: malformed, not a server error
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "body", N_("Send a JSON object with the answers (Content-Type: application/json)."))
    return body


def iso_date(value: Any, field: str, default: date) -> date:
    """A YYYY-MM-DD date from 1900 to 2200, or the default when absent: the rules count years and months from
    it, and year 9999 plus five years is no date (a 500, not the parameter's error)."""
    if value is None or value == "":
        return default
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and FIRST_DAY <= parsed <= LAST_DAY:
            return parsed
    raise ApiError(400, field, N_("Enter a date as YYYY-MM-DD, like 2027-08-12."))


def filter_list(data: Mapping[str, Any], name: str) -> list[str]:
    """A list of the filter's option values; anything else (an object in the list, a list longer than the
    options) is the filter's error, never compared as it is."""
    values = data.get(name, [])
    values = [values] if isinstance(values, str) else values
    allowed = FILTER_CHOICES[name]
    if (not isinstance(values, list) or len(values) > len(allowed)
            or any(not isinstance(v, str) or v not in allowed for v in values)):
        raise ApiError(400, f"filters.{name}", N_("Use a list of these values: {allowed}."),
                       allowed=", ".join(allowed))
    return values


def filters_from_json(data: Any) -> Filters:
    """The HTML filter form's choices from JSON; unlike the form, bad values are errors here, not ignored.

    As on the page, ``language`` and ``shift_care`` left out mean "as the answers say" (care_language,
    shift_care); given, they replace the answers in deciding which units suit the child.
    """
    if data is None:
        return Filters()
    if not isinstance(data, dict):
        raise ApiError(400, "filters", N_("Give the filters as an object."))
    query = {name: filter_list(data, name) for name in FILTER_CHOICES if name in data}
    max_km, room, sort = data.get("max_km"), data.get("room", False), data.get("sort", "distance")
    shift_care = data.get("shift_care")
    if max_km is not None:
        if isinstance(max_km, bool) or not isinstance(max_km, (int, float)) or not 0 < max_km <= 100:
            raise ApiError(400, "filters.max_km", N_("Enter a distance in kilometres above 0 and at most 100."))
        query["max_km"] = [str(max_km)]
    for name, value in (("room", room), ("shift_care", shift_care)):
        if value is not None and not isinstance(value, bool):
            raise ApiError(400, f"filters.{name}", N_("Use true or false."))
    if shift_care is not None:
        query["shift"] = ["1"] if shift_care else []
    if sort not in SORTS:
        raise ApiError(400, "filters.sort", N_("Use a list of these values: {allowed}."), allowed=", ".join(SORTS))
    return Filters.from_query({**query, "room": ["1"] if room else [], "sort": [sort]})


TEXT_ANSWER = N_("Give this answer as text of at most {max} characters.")
ANSWER_TYPES: dict[str, str] = {
    "choice": TEXT_ANSWER, "date": N_("Give the date as text, YYYY-MM-DD."), "postal_code": TEXT_ANSWER,
    "number": N_("Give a number, or the number as text."), "money": N_("Give an amount in euros as a number or as text."),
    "yesno": N_("Use true or false."), "choices": N_("Give a list of the option values, at most {max}."),
    "location": N_("Give the place as an object with postal_code, street_address, lat and lon."),
}
LOCATION_KEYS = {"postal_code": "text", "street_address": "text", "lat": "number", "lon": "number"}


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _number(value: Any) -> bool:
    """A JSON number the parsers can read as text (not true/false, NaN or Infinity, which Python's JSON takes)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _location(value: Any) -> bool:
    if _text(value):
        return True  # a postal code on its own
    return isinstance(value, dict) and all(
        key in LOCATION_KEYS and (item is None or _text(item) or (LOCATION_KEYS[key] == "number" and _number(item)))
        for key, item in value.items())


def well_typed(question: Question, value: Any) -> bool:
    """Whether a JSON answer has a type the question takes (its content is checked by the journey's rules)."""
    kind = question.type
    if kind in ("number", "money"):
        return _text(value) or _number(value)
    if kind == "yesno":
        return isinstance(value, bool) or _text(value)
    if kind == "choices":
        return _text(value) or (isinstance(value, list) and len(value) <= len(question.options)
                                and all(_text(v) for v in value))
    if kind == "location":
        return _location(value)
    return _text(value)


def answer_type_error(question: Question, step_id: str) -> dict[str, Any]:
    """A wrong type named by its question, in the format of the journey's answer errors."""
    message = translate(ANSWER_TYPES[question.type], {"max": len(question.options) if question.type == "choices"
                                                      else MAX_TEXT})
    return {"field": question.id, "input": question.id, "step": step_id, "message": message}


def raw_answers(event: LifeEvent, answers: Any) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The raw form fields for the JSON answers, and an error for each answer to no question or of a type its
    question does not take. Nothing the client sent is repeated at length: the response stays small."""
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ApiError(400, "answers", N_("Give the answers as an object keyed by question id."))
    if len(answers) > MAX_ANSWERS:
        raise ApiError(400, "answers", N_("Give at most {max} answers."), max=MAX_ANSWERS)
    questions = {q.id: (q, step.id) for step in event.steps for q in step.questions}
    raw: dict[str, str] = {}
    problems = []
    for qid, value in answers.items():
        question, step_id = questions.get(qid, (None, None))
        if question is None:
            problems.append({"field": qid[:MAX_ECHO], "input": qid[:MAX_ECHO], "step": None,
                             "message": translate(N_("There is no question {id} in this life event."),
                                                  {"id": qid[:MAX_ECHO]})})
        elif value is not None and not well_typed(question, value):
            problems.append(answer_type_error(question, step_id))
        else:
            raw.update({k: v[:MAX_TEXT] for k, v in raw_from_json(qid, question.type, value).items()})
    return raw, problems


def answer_error_json(step: Step, question: Question, error: AnswerError) -> dict[str, Any]:
    return {"field": question.id, "input": error.field, "step": step.id, "message": translate(error.message, error.values)}


def answer_errors(state: Walk, raw: Mapping[str, str], on: date) -> list[dict[str, Any]]:
    """Every visible step's errors, each step checked as the HTML step page checks it."""
    resolver = places()
    errors = []
    for step in state.steps:
        ids = {q.id for q in step.questions}
        earlier = {k: v for k, v in state.answers.items() if k not in ids}
        result = parse_step(step, raw, earlier, on, resolver)
        errors += [answer_error_json(step, q, e) for q, e in result.errors]
    return errors


def checklist_entry_json(entry: ChecklistEntry) -> dict[str, Any]:
    item, contact = entry.item, entry.contact
    return {
        "id": item.id, "title": gettext(item.title),
        "due": entry.due.isoformat() if entry.due else None, "overdue": entry.overdue,
        "due_explanation": translate(entry.due_rule.explanation, entry.values)
        if entry.due_rule and entry.due_rule.explanation else None,
        "responsible": {"name": optional_text(contact.name_msgid) or contact.name, "organisation": contact.name,
                        "url": contact.url, "phone": contact.phone, "email": contact.email},
        "channel": item.channel, "channel_label": gettext(CHANNELS[item.channel]),
        "why": translate(item.why, entry.values), "how": translate(item.how, entry.values) if item.how else None,
        "figures": breakdown_json(entry.figures),
    }


def home_care_json(allowance: AllowanceResult | None) -> dict[str, Any] | None:
    if allowance is None:
        return None
    return {"monthly": number(allowance.monthly), "supplement": number(allowance.supplement),
            "supplement_max": number(allowance.supplement_max), "estimate": allowance.estimate,
            "breakdown": breakdown_json(allowance.breakdown)}


def reporter_label(role: str) -> str:
    """Who reported the availability, as a translated role (an unknown role is shown as given, as the page does)."""
    return gettext(REPORTER_ROLES[role]) if role in REPORTER_ROLES else role


def unit_row_json(row: EcecRow) -> dict[str, Any]:
    unit, availability, cost = row.unit, row.availability, row.cost
    return {
        "id": unit.id, "name": unit.display_name(g.get("lang_code", "fi")),
        "care_type": unit.care_type, "care_type_label": gettext(CARE_TYPES[unit.care_type]),
        "provider_type": unit.provider_type, "provider_type_label": gettext(PROVIDER_TYPES[unit.provider_type]),
        "languages": list(unit.languages),
        "distance_home_km": row.distance_home_km, "distance_work_km": row.distance_work_km,
        "free_places": availability.free_places if availability else None,
        "queue_weeks": availability.queue_weeks if availability else None,
        "availability_updated_at": date_time(availability.updated_at) if availability else None,
        "availability_updated_by": availability.updated_by if availability else None,
        "availability_updated_by_label": reporter_label(availability.updated_by) if availability else None,
        "has_room": row.has_room,
        "cost": None if cost is None else {
            "kind": cost.kind, "monthly": number(cost.monthly), "minimum": number(cost.minimum),
            "maximum": number(cost.maximum), "estimate": cost.estimate, "breakdown": breakdown_json(cost.breakdown)},
        "cost_problem": optional_text(row.cost_problem),
        "shift_care": unit.shift_care,
        "opening_hours": [{"days": h.days, "opens": h.opens, "closes": h.closes} for h in unit.opening_hours],
        "accessibility": dict(unit.accessibility),
        "address": unit.street_address, "postal_code": unit.postal_code, "municipality_code": unit.municipality_code,
        "lat": unit.latitude, "lon": unit.longitude,
        "contact": {"phone": unit.phone, "email": unit.email, "web_url": unit.web_url, "eservice_url": unit.eservice_url},
        "is_demo": unit.is_demo,
    }


def ecec_row_json(row: EcecRow, age_group: str) -> dict[str, Any]:
    """A unit with whether it suits the child and, when not, why (the same reasons the plan page shows)."""
    return {**unit_row_json(row), "matches": row.matches, "mismatches": [
        {"code": code, "text": mismatch_reason(code, row.unit.languages, age_group)} for code in row.mismatches]}


def coverage_gap_json(gap: CoverageGap | None) -> dict[str, Any] | None:
    """Why a comparison lists no distances: the place's municipality is outside the catalogue's area
    (``outside``) or the place has no point (``no_point``), with the municipalities it covers."""
    if gap is None:
        return None
    lang = g.get("lang_code", "fi")
    return {"reason": gap.reason, "municipality_code": gap.place.municipality_code,
            "municipality": gap.place.municipality_name(lang), "postal_code": gap.place.postal_code,
            "covered_municipalities": gap.covered_names(lang)}


def ecec_comparison_json(cmp: EcecComparison) -> dict[str, Any]:
    f, needs = cmp.filters, cmp.needs
    return {
        "coverage_gap": coverage_gap_json(cmp.gap),
        "age_group": cmp.age_group, "age_group_label": gettext(AGE_GROUPS[cmp.age_group]),
        "start": cmp.start.isoformat(), "reach_km": cmp.reach_km, "in_reach": cmp.in_reach,
        "with_room": cmp.with_room, "shown": len(cmp.rows), "not_matching": cmp.not_matching,
        "filters": {"care_type": sorted(f.care_types), "language": sorted(needs.languages),
                    "shift_care": needs.shift_care, "provider": sorted(f.providers), "max_km": f.max_km,
                    "room": f.only_with_room, "sort": f.sort},
        "municipal_fee": fee_json(cmp.municipal_fee), "home_care": home_care_json(cmp.home_care),
        "problems": [gettext(p) for p in cmp.problems],
        "rows": [ecec_row_json(r, cmp.age_group) for r in cmp.rows],
        "other_rows": [ecec_row_json(r, cmp.age_group) for r in cmp.others],
    }


def company_forms_json(cmp: CompanyFormComparison) -> dict[str, Any]:
    costs = cmp.costs
    return {
        "start": cmp.start.isoformat(), "chosen": cmp.chosen, "estimate": cmp.estimate,
        "forms": [{
            "form": row.facts.form, "name": gettext(row.facts.name), "chosen": row.chosen,
            "fits": row.recommendation.fits,
            "reasons": [translate(reason, row.recommendation.values) for reason in row.recommendation.reasons],
            "founders": translate(row.facts.founders, row.facts.values),
            "registration_fee": number(row.facts.registration_fee), "minimum_capital": number(row.facts.minimum_capital),
            "liability": translate(row.facts.liability, row.facts.values),
            "taxation": translate(row.facts.taxation, row.facts.values),
            "pension": translate(row.facts.pension, row.facts.values),
            "administration": translate(row.facts.administration, row.facts.values),
            "source": row.facts.source, "estimate": row.facts.estimate,
        } for row in cmp.rows],
        "costs": None if costs is None else business_costs_json(costs),
    }


def business_costs_json(costs: BusinessStartCosts) -> dict[str, Any]:
    return {"company_form": costs.company_form, "registration_fee": number(costs.registration_fee),
            "vat_required": costs.vat_required, "yel_required": costs.yel_required, "yel_applies": costs.yel_applies,
            "vat_threshold": number(costs.vat.threshold),
            "yel_threshold": number(costs.yel.threshold) if costs.yel else None,
            "yel_contribution": number(costs.yel.contribution) if costs.yel else None,
            "yel_contribution_first_entrepreneur": number(costs.yel.contribution_first_entrepreneur) if costs.yel else None,
            "estimate": costs.estimate, "currency": "EUR", "breakdown": breakdown_json(costs.breakdown)}


def hours_json(hours: Iterable[Any]) -> list[dict[str, str]]:
    return [{"days": h.days, "opens": h.opens, "closes": h.closes} for h in hours]


def service_point_json(row: ServiceRow) -> dict[str, Any]:
    point, lang = row.point, g.get("lang_code", "fi")
    return {
        "id": point.id, "kind": point.kind, "kind_label": gettext(SERVICE_KINDS[point.kind]),
        "name": point.display_name(lang), "service": point.service_display_name(lang),
        "organisation": point.organisation, "distance_km": row.distance_km,
        "next_free_appointment": date_time(point.next_free_appointment),
        "appointment_channels": list(point.appointment_channels),
        "opening_hours": hours_json(point.opening_hours), "phone_hours": hours_json(point.phone_hours),
        "languages": list(point.languages), "charge": point.charge, "fee": number(point.fee), "fee_unit": point.fee_unit,
        "accessibility": dict(point.accessibility), "address": point.street_address,
        "postal_code": point.postal_code, "municipality_code": point.municipality_code,
        "lat": point.latitude, "lon": point.longitude,
        "contact": {"phone": point.phone, "email": point.email, "web_url": point.web_url,
                    "eservice_url": point.eservice_url},
        "is_demo": point.is_demo,
    }


def services_json(cmp: ServiceComparison) -> dict[str, Any]:
    return {"near": cmp.near, "kinds": list(cmp.kinds), "missing_kinds": list(cmp.missing_kinds),
            "coverage_gap": coverage_gap_json(cmp.gap), "rows": [service_point_json(row) for row in cmp.rows]}


def allowance_json(allowance: UnemploymentAllowance | None) -> dict[str, Any] | None:
    if allowance is None:
        return None
    return {"kind": allowance.kind, "daily_allowance": f"{allowance.daily_allowance:.2f}",
            "monthly_estimate": f"{allowance.monthly_estimate:.2f}",
            "daily_wage": None if allowance.daily_wage is None else f"{allowance.daily_wage:.2f}",
            "step_down_percent": number(allowance.step_down_percent), "estimate": allowance.estimate,
            "currency": "EUR", "breakdown": breakdown_json(allowance.breakdown)}


def timeline_json(timeline: AllowanceTimeline) -> dict[str, Any]:
    return {
        "kind": timeline.kind, "waiting_weekdays": timeline.waiting_weekdays,
        "waiting_period_start": timeline.waiting_period_start.isoformat(),
        "waiting_period_end": timeline.waiting_period_end.isoformat(),
        "first_paid_date": timeline.first_paid_date.isoformat(), "max_paid_days": timeline.max_paid_days,
        "application_deadline": timeline.application_deadline.isoformat(),
        "periods": [{"first_paid_day": p.first_paid_day, "last_paid_day": p.last_paid_day, "start": p.start.isoformat(),
                     "end": p.end.isoformat(), "daily_allowance": f"{p.daily_allowance:.2f}",
                     "monthly_estimate": f"{p.monthly_estimate:.2f}", "step_down_percent": number(p.step_down_percent)}
                    for p in timeline.periods],
        "estimate": timeline.estimate, "breakdown": breakdown_json(timeline.breakdown),
    }


def income_json(cmp: IncomeComparison) -> dict[str, Any]:
    return {"first_day": cmp.first_day.isoformat(), "estimate": cmp.estimate,
            "note": translate(cmp.note, cmp.note_values) if cmp.note else None,
            "options": [{"kind": o.kind, "applies": o.applies, "allowance": allowance_json(o.allowance),
                         "timeline": timeline_json(o.timeline)} for o in cmp.options]}


COMPARISON_JSON: dict[str, Callable[[Any], dict[str, Any]]] = {
    "ecec_units": ecec_comparison_json, "company_forms": company_forms_json, "nearby_services": services_json,
    "unemployment_income": income_json}


def plan_json(result: Plan) -> dict[str, Any]:
    """The plan as the HTML plan page shows it: checklist by due date (undated last), then the comparisons.

    ``comparison`` is the first comparison, as before there could be several.
    """
    entries = sorted(result.checklist, key=lambda e: (e.due is None, e.due or result.today))
    comparisons = [{"kind": c.kind, **COMPARISON_JSON[c.kind](c.result)} for c in result.comparisons]
    return {"life_event": result.event.id, "today": result.today.isoformat(),
            "checklist": [checklist_entry_json(e) for e in entries],
            "comparison": comparisons[0] if comparisons else None, "comparisons": comparisons}


def build_plan(event: LifeEvent, state: Walk, on: date, filters: Filters) -> Plan:
    """make_plan as the HTML plan page calls it; figures not known for the start date are an answer error."""
    start = state.answers.get("start_date", on)
    try:
        return make_plan(event, state.answers, on, sources(start), directory(), {"ecec_units": filters})
    except ParameterError:
        raise ApiError(400, "start_date", N_("The fee and allowance figures are not known for this start date.")) from None


@bp.post("/life-events/<event_id>/plan")
@limited("api")  # plans and calculators share one budget per client address
@localized
def plan(event_id: str) -> Response:
    """Validate the answers with the journey's own rules and return the checklist and the comparison."""
    event = event_or_404(event_id)
    body = json_body()
    on = iso_date(body.get("today"), "today", today())
    filters = filters_from_json(body.get("filters"))
    raw, errors = raw_answers(event, body.get("answers"))
    state = walk(event, raw, on, places())
    if not state.complete:
        named = {e["field"] for e in errors}  # an answer of the wrong type is not also "missing"
        errors += [e for e in answer_errors(state, raw, on) if e["field"] not in named]
    if errors:
        return json_response({"errors": errors}, 400)
    return json_response(plan_json(build_plan(event, state, on, filters)))


# --- the ECEC fee calculator --------------------------------------------------------------------------


def required_arg(name: str) -> str:
    text = request.args.get(name, "").strip()
    if not text:
        raise ApiError(400, name, N_("This parameter is required."))
    return text


def int_arg(name: str, default: int | None = None) -> int:
    if default is not None and not request.args.get(name, "").strip():
        return default
    text = required_arg(name)
    if not re.fullmatch(r"-?[0-9]{1,6}", text):  # ASCII: int() would also read '١٢'
        raise ApiError(400, name, N_("Enter a whole number."))
    return int(text)


def income_arg(name: str = "income") -> Decimal:
    """Euros as the form takes them ('4500', '4500.50', '4 500,50'); the rule itself rejects negatives."""
    try:
        amount = parse_money(required_arg(name))
    except ValueError:
        raise ApiError(400, name, N_("Enter an amount in euros, like 4500 or 4500.50.")) from None
    if amount > MAX_INCOME:
        raise ApiError(400, name, N_("Enter a monthly income of at most {max} €."), max=MAX_INCOME)
    return amount


def hours_arg(name: str = "hours_per_week") -> Decimal:
    text = required_arg(name)
    if not re.fullmatch(r"-?[0-9]{1,6}([.,][0-9]{1,2})?", text):
        raise ApiError(400, name, N_("Enter the hours a week as a number, like 30."))
    return Decimal(text.replace(",", "."))


def municipality_arg(name: str = "municipality") -> str | None:
    text = request.args.get(name, "").strip()
    if text and not re.fullmatch(r"[0-9]{3}", text):
        raise ApiError(400, name, N_("Enter a municipality code of three digits, like 853."))
    return text or None


def municipal_rules(code: str | None, on: date) -> MunicipalFeeRules | None:
    """The municipality's part-time steps from the catalogue, as the comparison passes them."""
    return municipal_fee_rules(catalogue(on).municipal_pricing(code, on)) if code else None


def missing_steps_error(code: str | None, hours: Decimal) -> ApiError:
    if code is None:
        return ApiError(400, "municipality", N_("The fee for {hours} h a week depends on the municipality's "
                                                "part-time steps: give the municipality code."), hours=hours)
    return ApiError(400, "municipality", N_("The catalogue has no part-time fee steps for municipality {code}."),
                    code=code)


def computed_fee(family_size: int, income: Decimal, hours: Decimal, rank: int, code: str | None,
                 on: date) -> FeeResult:
    """The fee, with the rule's own input errors named after the query parameters (they share names).

    The part-time coefficient is checked separately because ecec_fee stops early at a zero
    base fee, and whether the municipality is needed should depend on the hours only.
    """
    try:
        rules = municipal_rules(code, on)
        fee = ecec_fee(family_size=family_size, income=income, hours_per_week=hours, child_rank=rank,
                       municipal=rules, on=on)
        part_time_coefficient(hours, rules, on, default_parameters())
    except InvalidInput as exc:
        raise ApiError(400, exc.field, exc.message, **exc.values) from None
    except MissingMunicipalRules:
        raise missing_steps_error(code, hours) from None
    except ParameterError:
        raise ApiError(400, "on", N_("The fee rules are not known for {on}."), on=on) from None
    return fee


@bp.get("/calculators/ecec-fee")
@limited("api")  # plans and calculators share one budget per client address
@localized
def ecec_fee_calculator() -> Response:
    """One child's monthly ECEC client fee with the step-by-step breakdown the plan page shows."""
    family_size, income = int_arg("family_size"), income_arg()
    hours, rank = hours_arg(), int_arg("child_rank", default=1)
    code = municipality_arg()
    on = iso_date(request.args.get("on"), "on", today())
    fee = computed_fee(family_size, income, hours, rank, code, on)
    return json_response({
        "monthly_fee": number(fee.monthly_fee), "minimum": number(fee.minimum), "maximum": number(fee.maximum),
        "estimate": fee.estimate, "currency": "EUR", "on": on.isoformat(), "municipality": code,
        "inputs": {"family_size": family_size, "income": number(income), "hours_per_week": number(hours),
                   "child_rank": rank},
        "breakdown": breakdown_json(fee.breakdown),
    })


# --- the business start-up costs calculator -------------------------------------------------------------


def yearly_euros_arg(name: str) -> Decimal:
    """Euros a year, as the forms take them ('45000', '45 000,50')."""
    try:
        amount = parse_money(required_arg(name))
    except ValueError:
        raise ApiError(400, name, N_("Enter an amount in euros, like 45000 or 45000.50.")) from None
    if amount > MAX_YEARLY:
        raise ApiError(400, name, N_("Enter an amount of at most {max} €."), max=MAX_YEARLY)
    return amount


@bp.get("/calculators/business-start-costs")
@limited("api")  # plans and calculators share one budget per client address
@localized
def business_start_costs_calculator() -> Response:
    """The start-up notice fee, and whether VAT registration and YEL insurance are obligatory, on a date."""
    form = required_arg("company_form")
    if form not in COMPANY_FORMS:
        raise ApiError(400, "company_form", N_("Use one of these values: {allowed}."), allowed=", ".join(COMPANY_FORMS))
    turnover, work_income = yearly_euros_arg("turnover"), yearly_euros_arg("work_income")
    previous = yearly_euros_arg("previous_year_turnover") if request.args.get("previous_year_turnover") else None
    age = age_arg() if request.args.get("age") else None
    on = iso_date(request.args.get("on"), "on", today())
    try:
        costs = business_start_costs(form, turnover, work_income, on, age=age, previous_year_turnover=previous)
    except InvalidInput as exc:
        raise ApiError(400, exc.field, exc.message, **exc.values) from None
    except ParameterError:
        raise ApiError(400, "on", N_("The figures are not known for {on}."), on=on) from None
    return json_response({**business_costs_json(costs), "on": on.isoformat(),
                          "inputs": {"company_form": form, "turnover": number(turnover),
                                     "work_income": number(work_income), "age": age,
                                     "previous_year_turnover": number(previous)}})


# --- the unemployment allowance calculator --------------------------------------------------------------


def age_arg(name: str = "age") -> int:
    """An age in whole years, 0 to 120."""
    age = int_arg(name)
    if not 0 <= age <= 120:
        raise ApiError(400, name, N_("Enter an age from 0 to 120."))
    return age


def bool_arg(name: str) -> bool:
    text = required_arg(name).lower()
    if text not in ("true", "false"):
        raise ApiError(400, name, N_("Use true or false."))
    return text == "true"


def monthly_wage_arg() -> Decimal:
    try:
        wage = parse_money(required_arg("monthly_wage"))
    except ValueError:
        raise ApiError(400, "monthly_wage", N_("Enter an amount in euros, like 3200 or 3200.50.")) from None
    if wage > MAX_INCOME:
        raise ApiError(400, "monthly_wage", N_("Enter a monthly income of at most {max} €."), max=MAX_INCOME)
    return wage


@bp.get("/calculators/unemployment-allowance")
@limited("api")  # plans and calculators share one budget per client address
@localized
def unemployment_allowance_calculator() -> Response:
    """The earnings-related allowance and Kela's benefit for the first day of unemployment ``on``.

    An entrepreneur whose business ended gives ``yel_income`` (the confirmed YEL work income a year)
    instead of ``monthly_wage``; ``work_condition_year`` picks the statutory deduction of that year.
    """
    yel_income = yearly_euros_arg("yel_income") if request.args.get("yel_income", "").strip() else None
    wage = None if yel_income is not None and not request.args.get("monthly_wage", "").strip() else monthly_wage_arg()
    member = bool_arg("fund_member")
    on = iso_date(request.args.get("on"), "on", today())
    paid_days = int_arg("paid_days", default=0)
    year = int_arg("work_condition_year") if request.args.get("work_condition_year", "").strip() else None
    try:
        result = unemployment_allowances(wage, member, on, paid_days, yel_income=yel_income,
                                         work_condition_year=year)
    except InvalidInput as exc:
        raise ApiError(400, exc.field, exc.message, **exc.values) from None
    except ParameterError:
        raise ApiError(400, "on", N_("The figures are not known for {on}."), on=on) from None
    return json_response({
        "on": on.isoformat(), "inputs": {"monthly_wage": number(wage), "fund_member": member, "paid_days": paid_days,
                                         "yel_income": number(yel_income), "work_condition_year": year},
        "earnings_related": allowance_json(result.earnings_related),
        "earnings_related_reason": optional_text(result.earnings_related_reason),
        "kela": allowance_json(result.kela), "estimate": result.estimate,
    })


# --- ECEC units near a point (the map picker's orientation layer) -------------------------------------


def decimal_arg(name: str, default: Decimal | None = None) -> Decimal:
    """A plain decimal number ('60.45' or '60,45'), or the default when absent."""
    if default is not None and not request.args.get(name, "").strip():
        return default
    text = required_arg(name)
    if not DECIMAL_NUMBER.fullmatch(text):
        raise ApiError(400, name, N_("Enter a number."))
    return Decimal(text.replace(",", "."))


def point_in_finland() -> tuple[float, float]:
    """lat and lon from the query, both required, inside Finland (the field to blame is the one off the box)."""
    lat, lon = float(decimal_arg("lat")), float(decimal_arg("lon"))
    if not in_finland(lat, lon):
        south, _west, north, _east = FINLAND_BBOX
        raise ApiError(400, "lat" if not south <= lat <= north else "lon", N_("Choose a point in Finland"))
    return lat, lon


def radius_arg(name: str = "radius_km") -> float:
    minimum, default, maximum = UNITS_RADIUS_KM
    radius = decimal_arg(name, default)
    if radius < minimum:
        raise ApiError(400, name, N_("Enter a number of at least {minimum}."), minimum=minimum)
    if radius > maximum:
        raise ApiError(400, name, N_("Enter a number of at most {max}"), max=maximum)
    return float(radius)


def unit_point_json(unit: EcecUnitRecord, lang: str) -> dict[str, Any]:
    return {"id": unit.id, "name": unit.display_name(lang), "lat": unit.latitude, "lon": unit.longitude,
            "care_type": unit.care_type, "provider_type": unit.provider_type, "languages": list(unit.languages),
            "municipality_code": unit.municipality_code, "postal_code": unit.postal_code}


@bp.get("/ecec-units")
@localized
def ecec_units() -> Response:
    """The ECEC units within radius_km of a point, nearest first (at most MAX_UNITS), for orientation on maps."""
    lat, lon = point_in_finland()
    radius = radius_arg()
    found = catalogue(today()).units_within(lat, lon, radius)  # SqlEcecCatalogue: the in-memory index
    nearest = sorted(found, key=lambda u: (distance_km(lat, lon, u.latitude, u.longitude), u.id))[:MAX_UNITS]
    lang = g.get("lang_code", "fi")
    return json_response({"units": [unit_point_json(u, lang) for u in nearest], "count": len(nearest)})


# --- the description ---------------------------------------------------------------------------------


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document that describes every endpoint above."""
    return json_response(openapi_document())
