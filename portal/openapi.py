"""The OpenAPI 3.1 description of the JSON API (/api/v1/openapi.json).

Kept apart from the views so the contract reads as one document. Enumerations
(question types, care types, languages, sorts, channels) are taken from the
domain tables, so the document cannot drift from what the API accepts.
"""
from __future__ import annotations

from typing import Any

from configurator.answers import MAX_FIELD_TEXT, QUESTION_TYPES
from configurator.catalogue import AGE_GROUPS, CARE_TYPES, LANGUAGES, PROVIDER_TYPES, REPORTER_ROLES
from configurator.comparisons.ecec import MISMATCHES, SORTS
from configurator.geo import FINLAND_BBOX
from configurator.lifeevents import CHANNELS
from configurator.rules.business_start import COMPANY_FORMS
from configurator.service_points import APPOINTMENT_CHANNELS, CHARGES, FEE_UNITS, SERVICE_KINDS

from .limits import DEFAULT_MAX_REQUEST_BYTES

UI_LANGUAGES = ["fi", "sv", "en"]
MAX_UNITS = 200  # the most units /api/v1/ecec-units returns
RADIUS_MIN, RADIUS_DEFAULT, RADIUS_MAX = 0.1, 5, 25  # radius_km of /api/v1/ecec-units
MAX_YEARLY_EUR = 1_000_000_000  # turnover and work_income of /api/v1/calculators/business-start-costs
JSON = "application/json"
MAX_ANSWERS = 100  # answers in one plan request: the longest life event asks far fewer questions
MAX_ANSWER_TEXT = MAX_FIELD_TEXT  # characters of one text answer, as the forms keep


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema that also allows null (OpenAPI 3.1 uses JSON Schema's type lists / anyOf)."""
    return {"anyOf": [schema, {"type": "null"}]}


def date_time(description: str, example: str) -> dict[str, Any]:
    """A nullable date-time: ISO 8601 with the Europe/Helsinki offset, so a client anywhere reads the same moment."""
    return {"type": ["string", "null"], "format": "date-time", "examples": [example],
            "description": f"{description} ISO 8601 with the Europe/Helsinki offset: +02:00 in winter, "
                           "+03:00 in summer."}


def json_content(schema: dict[str, Any], example: Any = None) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": schema}
    if example is not None:
        media["example"] = example
    return {JSON: media}


def response(description: str, schema: dict[str, Any], example: Any = None) -> dict[str, Any]:
    return {"description": description, "content": json_content(schema, example)}


# --- examples --------------------------------------------------------------------------------------------

FEE_BREAKDOWN_EXAMPLE = [
    {"text": "Income limit for a family of 3: 5,245 €", "label": "Income limit for a family of {family_size}: {limit} €",
     "values": {"family_size": 3, "limit": 5245}, "amount": 5245,
     "rule": "Act on early childhood education client fees 1503/2016, s.5", "valid_from": "2024-08-01",
     "source": "Kuntaliitto circular 19/2023; municipal fee pages (Masku, Mänttä-Vilppula)", "estimate": False},
    {"text": "Base fee: 10.7 % × (income 6,000 € − income limit 5,245 €) = 80.78 €, rounded to 81 €",
     "label": "Base fee: {percentage} % × (income {income} € − income limit {limit} €) = {raw} €, rounded to {fee} €",
     "values": {"percentage": 10.7, "income": 6000, "limit": 5245, "raw": 80.785, "fee": 81}, "amount": 81,
     "rule": "Act on early childhood education client fees 1503/2016, s.5", "valid_from": "2024-08-01",
     "source": "Act 1503/2016 s.5; Kuntaliitto circular 19/2023; Kuntaliitto circular 19/2023; "
               "municipal fee pages (Masku, Mänttä-Vilppula)",
     "estimate": False},
    {"text": "Care time 40 h a week is at least 35 h: the full-time fee applies",
     "label": "Care time {hours} h a week is at least {full_time_hours} h: the full-time fee applies",
     "values": {"hours": 40, "full_time_hours": 35}, "amount": None,
     "rule": "Act on early childhood education client fees 1503/2016, s.7", "valid_from": "2023-03-01",
     "source": "Act 1503/2016 s.7", "estimate": False},
]

FEE_EXAMPLE = {
    "monthly_fee": 81, "minimum": 81, "maximum": 81, "estimate": False, "currency": "EUR", "on": "2025-01-01",
    "municipality": None, "inputs": {"family_size": 3, "income": 6000, "hours_per_week": 40, "child_rank": 1},
    "breakdown": FEE_BREAKDOWN_EXAMPLE,
}

LIFE_EVENTS_EXAMPLE = {"life_events": [{
    "id": "ecec", "title": "Find early childhood education for your child",
    "summary": "Answer a few questions about your child and your family. …",
    "codes": {"life_event": "KE1", "target_group": "KR1.2", "service_class": "P3.4"},
    "links": {"self": "/api/v1/life-events/ecec", "plan": "/api/v1/life-events/ecec/plan"},
}, {
    "id": "business", "title": "Start a business",
    "summary": "Answer a few questions about your business idea. …",
    "codes": {"target_group": "KR2.8", "service_class": "P11.1"},
    "links": {"self": "/api/v1/life-events/business", "plan": "/api/v1/life-events/business/plan"},
}]}

QUESTION_EXAMPLE = {
    "id": "hours_per_week", "type": "number", "required": True,
    "label": "How many hours a week does your child need care?",
    "hint": "Full-time care is 35 hours a week or more. The fee is lower for 20 hours or less.",
    "options": [], "show_if": None, "rules": {"min": 1, "max": 80, "decimals": 1},
}

PLAN_REQUEST_EXAMPLE = {
    "answers": {
        "child_birth_date": "2025-03-15", "start_date": "2027-08-12",
        "hours_per_week": 30, "care_language": "fi", "shift_care": False, "sudden_need": False,
        "home": {"postal_code": "20100"}, "work": {"postal_code": "20520", "lat": 60.4518, "lon": 22.2988},
        "family_size": 3, "income": "6000", "other_children_in_ecec": 0, "consider_private": True,
    },
    "today": "2026-11-22",
    "filters": {"language": ["fi"], "max_km": 5, "room": False, "sort": "distance"},
}

PLAN_EXAMPLE = {
    "life_event": "ecec", "today": "2026-11-22",
    "checklist": [{
        "id": "apply_for_ecec", "title": "Apply for early childhood education", "due": "2027-04-12", "overdue": False,
        "due_explanation": "Four months before the start.",
        "responsible": {"name": "Your home municipality's early childhood education services", "organisation": "Turku",
                        "url": "https://evaka.turku.fi", "phone": "+358 2 330 000", "email": "varhaiskasvatus@turku.fi"},
        "channel": "eservice", "channel_label": "E-service",
        "why": "The municipality must have your application at least four months before care starts, …",
        "how": "Fill in the application in your municipality's e-service. …",
        "figures": [],
    }],
    "comparison": {
        "kind": "ecec_units",
        "age_group": "under_3", "age_group_label": "Under 3 years", "start": "2027-08-12", "reach_km": 10.0,
        "in_reach": 42, "with_room": 17, "shown": 1, "not_matching": 9,
        "filters": {"care_type": [], "language": ["fi"], "shift_care": False, "provider": [], "max_km": 5.0,
                    "room": False, "sort": "distance"},
        "municipal_fee": {"monthly_fee": 65, "minimum": 65, "maximum": 65, "estimate": True, "breakdown": []},
        "home_care": {"monthly": 377.68, "supplement": None, "supplement_max": 201.7, "estimate": True,
                      "breakdown": []},
        "problems": [], "coverage_gap": None,
        "rows": [{
            "id": 1001, "name": "Päiväkoti Esimerkki (demo)", "care_type": "day_care_centre",
            "care_type_label": "Day care centre", "provider_type": "municipal", "provider_type_label": "Municipal",
            "languages": ["fi"], "distance_home_km": 0.8, "distance_work_km": 2.4, "free_places": 2,
            "queue_weeks": 0, "availability_updated_at": "2026-11-20T08:00:00+02:00",
            "availability_updated_by": "unit_director", "availability_updated_by_label": "the unit director",
            "has_room": True,
            "cost": {"kind": "client_fee", "monthly": 65, "minimum": 65, "maximum": 65, "estimate": True,
                     "breakdown": []},
            "cost_problem": None, "shift_care": False,
            "opening_hours": [{"days": "mo-fr", "opens": "06:30", "closes": "17:00"}],
            "accessibility": {"step_free_entrance": True, "accessible_toilet": True, "accessible_parking": None,
                              "induction_loop": False},
            "address": "Esimerkkikatu 1", "postal_code": "20100", "municipality_code": "853",
            "lat": 60.4511, "lon": 22.2665,
            "contact": {"phone": None, "email": None, "web_url": None, "eservice_url": "https://evaka.turku.fi"},
            "is_demo": True, "matches": True, "mismatches": [],
        }],
        "other_rows": [],
    },
}
PLAN_EXAMPLE["comparison"]["other_rows"] = [{
    **PLAN_EXAMPLE["comparison"]["rows"][0], "id": 1004, "name": "Daghemmet Esimerkki (demo)", "languages": ["sv"],
    "distance_home_km": 1.1, "distance_work_km": 2.9, "matches": False,
    "mismatches": [{"code": "language", "text": "Care in Swedish only"}],
}]
PLAN_EXAMPLE["comparisons"] = [PLAN_EXAMPLE["comparison"]]

UNIT_POINTS_EXAMPLE = {"units": [
    {"id": 1001, "name": "Päiväkoti Esimerkki (demo)", "lat": 60.4511, "lon": 22.2665, "care_type": "day_care_centre",
     "provider_type": "municipal", "languages": ["fi"], "municipality_code": "853", "postal_code": "20100"},
], "count": 1}

ANSWER_ERRORS_EXAMPLE = {"errors": [
    {"field": "hours_per_week", "input": "hours_per_week", "step": "care", "message": "Enter at least 1 hour a week"},
    {"field": "home", "input": "home-postal_code", "step": "places",
     "message": "Enter a postal code that exists in Finland"},
]}



BUSINESS_COSTS_EXAMPLE = {'company_form': 'toiminimi',
 'registration_fee': 70,
 'vat_required': False,
 'yel_required': True,
 'yel_applies': True,
 'vat_threshold': 20000,
 'yel_threshold': 9423.09,
 'yel_contribution': 2299.23,
 'yel_contribution_first_entrepreneur': 1793.4,
 'estimate': True,
 'currency': 'EUR',
 'breakdown': [{'text': 'Start-up notice fee for a sole trader (toiminimi) in the YTJ e-service: 70 €',
                'label': 'Start-up notice fee for a sole trader (toiminimi) in the YTJ e-service: {amount} €',
                'values': {'amount': 70},
                'amount': 70,
                'rule': 'Fees of the Finnish Patent and Registration Office (PRH)',
                'valid_from': '2024-01-01',
                'source': 'PRH fee regulation 1247/2023 (start-up notice in YTJ, sole trader)',
                'estimate': True},
               {'text': 'Yearly turnover 20,000 € is not more than the VAT registration threshold of 20,000 €: '
                        'registering for VAT is voluntary',
                'label': 'Yearly turnover {turnover} € is not more than the VAT registration threshold of '
                         '{threshold} €: registering for VAT is voluntary',
                'values': {'turnover': 20000, 'threshold': 20000},
                'amount': None,
                'rule': 'Value Added Tax Act 1501/1993',
                'valid_from': '2025-01-01',
                'source': 'VAT Act 1501/1993 s.3 as amended (20,000 EUR a calendar year from 2025-01-01)',
                'estimate': False},
               {'text': 'You are liable for VAT when your turnover exceeds 20,000 € in the current or the previous '
                        'calendar year; the liability starts when the threshold is exceeded',
                'label': 'You are liable for VAT when your turnover exceeds {threshold} € in the current or the '
                         'previous calendar year; the liability starts when the threshold is exceeded',
                'values': {'threshold': 20000},
                'amount': None,
                'rule': 'Value Added Tax Act 1501/1993',
                'valid_from': '2025-01-01',
                'source': 'VAT Act 1501/1993 s.3 as amended (20,000 EUR a calendar year from 2025-01-01); VAT Act '
                          '1501/1993 s.3 as amended from 2025-01-01 (current or previous calendar year; liability '
                          'from the moment the threshold is exceeded)',
                'estimate': False},
               {'text': 'A sole trader is insured under YEL',
                'label': 'A sole trader is insured under YEL',
                'values': {},
                'amount': None,
                'rule': "Self-employed Persons' Pensions Act 1272/2006",
                'valid_from': '2007-01-01',
                'source': "Self-employed Persons' Pensions Act 1272/2006 s.3 (over 30 % alone)",
                'estimate': False},
               {'text': 'Work income 9,423.09 € a year is at least the YEL minimum of 9,423.09 €: YEL insurance is '
                        'obligatory when your business work lasts at least 4 months',
                'label': 'Work income {income} € a year is at least the YEL minimum of {threshold} €: YEL '
                         'insurance is obligatory when your business work lasts at least {duration} months',
                'values': {'income': 9423.09, 'threshold': 9423.09, 'duration': 4},
                'amount': None,
                'rule': "Self-employed Persons' Pensions Act 1272/2006",
                'valid_from': '2026-01-01',
                'source': "Self-employed Persons' Pensions Act 1272/2006 s. 4; YEL minimum work income for 2026; "
                          "Self-employed Persons' Pensions Act 1272/2006 s. 4 (activity of at least 4 months)",
                'estimate': False},
               {'text': 'Take out YEL insurance within 6 months of starting the business',
                'label': 'Take out YEL insurance within {months} months of starting the business',
                'values': {'months': 6},
                'amount': None,
                'rule': "Self-employed Persons' Pensions Act 1272/2006",
                'valid_from': '2007-01-01',
                'source': "Self-employed Persons' Pensions Act 1272/2006 s. 12 (insure within 6 months of "
                          'starting)',
                'estimate': False},
               {'text': 'Estimated yearly YEL contribution: 9,423.09 € × 24.4 % = 2,299.23 €',
                'label': 'Estimated yearly YEL contribution: {income} € × {rate} % = {contribution} €',
                'values': {'income': 9423.09, 'rate': 24.4, 'contribution': 2299.23},
                'amount': 2299.23,
                'rule': "Self-employed Persons' Pensions Act 1272/2006",
                'valid_from': '2026-01-01',
                'source': "YEL contribution 24.40 % for 2026, all ages (Self-employed Persons' Pensions Act "
                          '1272/2006; Ilmarinen)',
                'estimate': False},
               {'text': 'As a first-time entrepreneur you get a 22 % discount for the first 48 months: 9,423.09 € '
                        '× 24.4 % × (100 % − 22 %) = 1,793.40 €',
                'label': 'As a first-time entrepreneur you get a {discount} % discount for the first {months} '
                         'months: {income} € × {rate} % × (100 % − {discount} %) = {discounted} €',
                'values': {'income': 9423.09, 'rate': 24.4, 'discount': 22, 'months': 48, 'discounted': 1793.4},
                'amount': 1793.4,
                'rule': "Self-employed Persons' Pensions Act 1272/2006",
                'valid_from': '2026-01-01',
                'source': "YEL contribution 24.40 % for 2026, all ages (Self-employed Persons' Pensions Act "
                          "1272/2006; Ilmarinen); Self-employed Persons' Pensions Act 1272/2006 s. 151 (first-time "
                          "entrepreneur discount 22 %); Self-employed Persons' Pensions Act 1272/2006 s. 151 "
                          '(discount for the first 48 months)',
                'estimate': False}],
 'on': '2026-03-01',
 'inputs': {'company_form': 'toiminimi',
            'turnover': 20000,
            'work_income': 9423.09,
            'age': None,
            'previous_year_turnover': None}}


def error_example(field: str, message: str) -> dict[str, Any]:
    return {"error": {"field": field, "message": message}}


# --- schemas ---------------------------------------------------------------------------------------------

def _breakdown_step() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One explained step of a calculation, with where its figure comes from.",
        "required": ["text", "label", "values", "amount", "rule", "valid_from", "source", "estimate"],
        "properties": {
            "text": {"type": "string", "description": "The step in the requested language, numbers formatted."},
            "label": {"type": "string", "description": "The English message id with {named} placeholders."},
            "values": {"type": "object", "additionalProperties": {"type": ["number", "string"]},
                       "description": "Placeholder values: euros and hours as numbers, percentages as percent numbers (10.7)."},
            "amount": {"type": ["number", "null"], "description": "The euro amount this step results in, if any."},
            "rule": {"type": "string", "description": "The legal or municipal rule applied (translated)."},
            "valid_from": {"type": "string", "format": "date", "description": "Start of the figure's period."},
            "source": {"type": "string"},
            "estimate": {"type": "boolean", "description": "True when the figure for the asked period is not known "
                                                            "yet and an earlier one was used."},
        },
    }


def _fee_result() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["monthly_fee", "minimum", "maximum", "estimate", "breakdown"],
        "properties": {
            "monthly_fee": {"type": ["number", "null"], "description": "EUR a month; null when income is not given."},
            "minimum": {"type": "number"}, "maximum": {"type": "number"},
            "estimate": {"type": "boolean"},
            "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }


def _fee_calculation() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["monthly_fee", "minimum", "maximum", "estimate", "on", "municipality", "breakdown"],
        "properties": {
            "monthly_fee": {"type": "number", "description": "The monthly client fee in euros (0 when no fee is charged)."},
            "minimum": {"type": "number"}, "maximum": {"type": "number"},
            "estimate": {"type": "boolean"},
            "currency": {"const": "EUR"},
            "on": {"type": "string", "format": "date"},
            "municipality": {"type": ["string", "null"], "pattern": "^[0-9]{3}$"},
            "inputs": {"type": "object", "properties": {
                "family_size": {"type": "integer"}, "income": {"type": "number"},
                "hours_per_week": {"type": "number"}, "child_rank": {"type": "integer"}}},
            "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }


def _life_event_summary() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "title", "summary", "codes", "links"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "summary": {"type": "string"},
            "codes": {"type": "object", "description": "Classification codes (Finnish service catalogue).",
                      "properties": {"life_event": {"type": "string"}, "target_group": {"type": "string"},
                                     "service_class": {"type": "string"}}},
            "links": {"type": "object", "properties": {"self": {"type": "string"}, "plan": {"type": "string"}}},
        },
    }


def _question() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "type", "required", "label", "hint", "options", "show_if", "rules"],
        "description": (
            "Answer formats by type: date 'YYYY-MM-DD'; yesno true/false; number an integer; money a number or "
            "a string like '4500,50'; choice one option value; postal_code a five-digit string; location an "
            "object {postal_code, street_address, lat, lon}: a postal code is enough (every Finnish code names its "
            "municipality; distances need a point, which only the demo region's codes have); lat and lon alone "
            "are enough near a known postal area, else the postal code names the municipality of the point."),
        "properties": {
            "id": {"type": "string"},
            "type": {"enum": list(QUESTION_TYPES)},
            "required": {"type": "boolean"},
            "label": {"type": "string"}, "hint": {"type": ["string", "null"]},
            "options": {"type": "array", "items": {"type": "object", "required": ["value", "label"], "properties": {
                "value": {"type": "string"}, "label": {"type": "string"}}}},
            "show_if": {"type": ["array", "null"], "items": {"type": "string"},
                        "description": "Names of conditions that must all hold ('not x' negates); null: always shown."},
            "rules": {"type": "object", "description": "Validation rules: min, max, max_answer for numbers "
                                                        "(and decimals: digits allowed after the decimal comma or "
                                                        "point, whole numbers when absent); "
                                                        "not_before_today, not_after_today, after, "
                                                        "max_years_before_today, max_years_after_today for dates."},
        },
        "example": QUESTION_EXAMPLE,
    }


def _step() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["id", "title", "intro", "show_if", "questions"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "intro": {"type": ["string", "null"]},
            "show_if": {"type": ["array", "null"], "items": {"type": "string"}},
            "questions": {"type": "array", "items": ref("Question")},
        },
    }


def _location() -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "postal_code": {"type": "string", "pattern": "^[0-9]{5}$"},
            "street_address": {"type": "string", "maxLength": MAX_ANSWER_TEXT},
            "lat": {"type": "number"}, "lon": {"type": "number"},
        },
    }


def _filters() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Narrow and sort the comparison; empty lists mean all. `language` and `shift_care` "
                       "start from the answers (care_language, shift_care) when left out.",
        "properties": {
            "care_type": {"type": "array", "items": {"enum": list(CARE_TYPES)}, "maxItems": len(CARE_TYPES)},
            "language": {"type": "array", "items": {"enum": list(LANGUAGES)}, "maxItems": len(LANGUAGES)},
            "provider": {"type": "array", "items": {"enum": list(PROVIDER_TYPES)}, "maxItems": len(PROVIDER_TYPES)},
            "max_km": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 100,
                       "description": "Distance from home or work at most (km); null: no limit."},
            "room": {"type": ["boolean", "null"], "description": "Only units with a free place; null: false."},
            "shift_care": {"type": ["boolean", "null"],
                           "description": "Whether the child needs shift care; left out or null, the answer shift_care "
                                          "decides. Like `language` (left out: the answer care_language), it "
                                          "decides which units suit the child (`rows`) and which do not "
                                          "(`other_rows`)."},
            "sort": {"enum": list(SORTS), "default": "distance"},
        },
    }


def _plan_request() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["answers"],
        "properties": {
            "answers": {"type": "object", "description": "Answers keyed by question id, in the formats of "
                                                          "the Question schema. An answer to no question, or "
                                                          "of a type its question does not take (a list for a "
                                                          "number, an object for a date), is an error naming "
                                                          "the question; numbers and dates in ASCII digits.",
                        "maxProperties": MAX_ANSWERS,
                        "additionalProperties": {"anyOf": [
                            {"type": "string", "maxLength": MAX_ANSWER_TEXT}, {"type": "number"},
                            {"type": "boolean"}, ref("Location"),
                            {"type": "array", "items": {"type": "string", "maxLength": MAX_ANSWER_TEXT},
                             "description": "A choices question: the chosen option values (at most as many "
                                            "as it has options)."},
                            {"type": "null"}]}},
            "today": {"anyOf": [{"type": "string", "format": "date"}, {"enum": ["", None]}],
                      "description": "Default (left out, empty or null): today in Helsinki (Europe/Helsinki); "
                                     "from 1900 to 2200."},
            "filters": {"anyOf": [ref("Filters"), {"type": "null"}],
                        "description": "Left out or null: no filters beyond what the answers decide."},
        },
    }


def _checklist_entry() -> dict[str, Any]:
    contact = {"type": "object", "properties": {
        "name": {"type": ["string", "null"]}, "organisation": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"]}, "phone": {"type": ["string", "null"]}, "email": {"type": ["string", "null"]}}}
    return {
        "type": "object",
        "required": ["id", "title", "due", "overdue", "responsible", "channel", "why", "how"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"},
            "due": {"type": ["string", "null"], "format": "date"}, "overdue": {"type": "boolean"},
            "due_explanation": {"type": ["string", "null"]},
            "responsible": contact,
            "channel": {"enum": list(CHANNELS)}, "channel_label": {"type": "string"},
            "why": {"type": "string"}, "how": {"type": ["string", "null"]},
            "figures": {"type": "array", "items": ref("BreakdownStep"),
                        "description": "The amounts this task involves (a fee, a threshold, a grant), explained."},
        },
    }


def _cost() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["kind", "monthly", "minimum", "maximum", "estimate", "breakdown"],
        "properties": {
            "kind": {"enum": ["client_fee", "voucher_copayment"]},
            "monthly": {"type": ["number", "null"]}, "minimum": {"type": "number"}, "maximum": {"type": "number"},
            "estimate": {"type": "boolean"}, "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }


def _unit_row() -> dict[str, Any]:
    flag = {"type": ["boolean", "null"], "description": "null: not known"}
    return {
        "type": "object",
        "required": ["id", "name", "care_type", "provider_type", "languages", "distance_home_km", "distance_work_km",
                     "free_places", "queue_weeks", "has_room", "cost", "shift_care", "opening_hours",
                     "accessibility", "address", "postal_code", "municipality_code", "lat", "lon"],
        "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "care_type": {"enum": list(CARE_TYPES)}, "care_type_label": {"type": "string"},
            "provider_type": {"enum": list(PROVIDER_TYPES)}, "provider_type_label": {"type": "string"},
            "languages": {"type": "array", "items": {"type": "string"}},
            "distance_home_km": {"type": "number"}, "distance_work_km": {"type": ["number", "null"]},
            "free_places": {"type": ["integer", "null"]}, "queue_weeks": {"type": ["integer", "null"]},
            "availability_updated_at": date_time("When the free places were last reported.",
                                                 "2026-11-20T08:00:00+02:00"),
            "availability_updated_by": {"type": ["string", "null"], "description": "Role code of the reporter.",
                                        "examples": list(REPORTER_ROLES)},
            "availability_updated_by_label": {"type": ["string", "null"]},
            "has_room": {"type": "boolean"},
            "cost": nullable(ref("Cost")), "cost_problem": {"type": ["string", "null"]},
            "shift_care": {"type": "boolean"},
            "opening_hours": {"type": "array", "items": {"type": "object", "properties": {
                "days": {"type": "string"}, "opens": {"type": "string"}, "closes": {"type": "string"}}}},
            "accessibility": {"type": "object", "properties": {
                "step_free_entrance": flag, "accessible_toilet": flag, "accessible_parking": flag,
                "induction_loop": flag}},
            "address": {"type": "string"}, "postal_code": {"type": "string"}, "municipality_code": {"type": "string"},
            "lat": {"type": "number"}, "lon": {"type": "number"},
            "contact": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
            "is_demo": {"type": "boolean", "description": "Made-up demonstration data."},
            "matches": {"type": "boolean", "description": "Whether the unit suits the child: the care language, "
                                                          "shift care and age group of the answers (or filters)."},
            "mismatches": {"type": "array", "items": ref("Mismatch"),
                           "description": "Why the unit does not suit the child; empty when it does."},
        },
    }


def _mismatch() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One reason a unit does not suit the child.",
        "required": ["code", "text"],
        "properties": {
            "code": {"enum": list(MISMATCHES), "description": "language: no care in the chosen language; "
                     "no_shift_care: the child needs shift care, the unit has none; shift_care_only: a round-the-"
                     "clock shift care unit, for children who need shift care only; age_group: the unit does not "
                     "take children of the child's age group on the start date."},
            "text": {"type": "string", "description": "The reason as the plan page says it, e.g. "
                                                      "\"Care in Swedish only\"."},
        },
    }


def _unit_point() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An ECEC unit as a point on a map.",
        "required": ["id", "name", "lat", "lon", "care_type", "provider_type", "languages", "municipality_code",
                     "postal_code"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string", "description": "The Swedish name for lang=sv when the unit has one."},
            "lat": {"type": "number"}, "lon": {"type": "number"},
            "care_type": {"enum": list(CARE_TYPES)}, "provider_type": {"enum": list(PROVIDER_TYPES)},
            "languages": {"type": "array", "items": {"enum": list(LANGUAGES)}},
            "municipality_code": {"type": "string"}, "postal_code": {"type": "string"},
        },
    }


def _unit_points() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["units", "count"],
        "properties": {
            "units": {"type": "array", "items": ref("UnitPoint"), "maxItems": MAX_UNITS,
                      "description": "Nearest first."},
            "count": {"type": "integer", "description": "The number of units in the list."},
        },
    }


def _home_care() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Kela child home care allowance, the stay-at-home alternative (only while the child is under 3).",
        "properties": {
            "monthly": {"type": "number"}, "supplement": {"type": ["number", "null"]},
            "supplement_max": {"type": "number"}, "estimate": {"type": "boolean"},
            "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }


def _ecec_comparison() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["age_group", "start", "reach_km", "in_reach", "with_room", "municipal_fee", "home_care", "rows",
                     "other_rows", "not_matching"],
        "properties": {
            "age_group": {"enum": list(AGE_GROUPS)}, "age_group_label": {"type": "string"},
            "start": {"type": "string", "format": "date"}, "reach_km": {"type": "number"},
            "in_reach": {"type": "integer", "description": "Units within reach of home or work that suit the child "
                                                          "(care language, shift care, age group)."},
            "with_room": {"type": "integer", "description": "Of those, the units with a free place."},
            "not_matching": {"type": "integer", "description": "Units within reach that do not suit the child."},
            "shown": {"type": "integer", "description": "Rows after filters."},
            "filters": {"type": "object", "description": "The filters applied; `language` and `shift_care` as "
                                                         "used, from the answers unless the request gave them."},
            "municipal_fee": nullable(ref("FeeResult")), "home_care": nullable(ref("HomeCare")),
            "problems": {"type": "array", "items": {"type": "string"}},
            "coverage_gap": nullable(ref("CoverageGap")),
            "rows": {"type": "array", "items": ref("UnitRow"),
                     "description": "Units that suit the child and pass the filters (`matches`: true)."},
            "other_rows": {"type": "array", "items": ref("UnitRow"),
                           "description": "Units that pass the filters but do not suit the child, each with its "
                                          "`mismatches` (the plan page shows them on request)."},
        },
    }


# The JSON schema of each comparison kind the API renders (see COMPARISON_JSON in portal/blueprints/api.py).
COMPARISON_SCHEMAS = {"ecec_units": "EcecComparison", "company_forms": "CompanyFormComparison",
                      "nearby_services": "ServiceComparison", "unemployment_income": "IncomeComparison"}
CENTS = {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$", "description": "Euros to the cent, as text."}


def _comparison() -> dict[str, Any]:
    return {
        "description": "One comparison of the plan; `kind` tells which (a life event lists its own kinds).",
        "oneOf": [{"allOf": [{"type": "object", "required": ["kind"], "properties": {"kind": {"const": kind}}},
                             ref(schema)]} for kind, schema in COMPARISON_SCHEMAS.items()],
        "discriminator": {"propertyName": "kind"},
    }


def _plan() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["life_event", "checklist", "comparison", "comparisons"],
        "properties": {
            "life_event": {"type": "string"}, "today": {"type": "string", "format": "date"},
            "checklist": {"type": "array", "items": ref("ChecklistEntry")},
            "comparison": {**nullable(ref("Comparison")),
                           "description": "The first of `comparisons` (kept for clients written before there "
                                          "could be several); null when the life event has none."},
            "comparisons": {"type": "array", "items": ref("Comparison"),
                            "description": "Every comparison of the life event, in the order the event lists them."},
        },
    }


def _business_start_costs() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "The start-up notice fee of a company form, and whether VAT registration and YEL pension "
                       "insurance are obligatory, with the figures in force on the date.",
        "required": ["company_form", "registration_fee", "vat_required", "yel_required", "yel_applies",
                     "vat_threshold", "yel_threshold", "yel_contribution", "yel_contribution_first_entrepreneur",
                     "estimate", "currency", "breakdown"],
        "properties": {
            "company_form": {"enum": list(COMPANY_FORMS)},
            "registration_fee": {"type": "number", "description": "PRH start-up notice fee in the YTJ e-service, EUR."},
            "vat_required": {"type": "boolean", "description": "True when the yearly turnover is over the VAT "
                                                               "registration threshold (at the threshold: false)."},
            "yel_required": {"type": ["boolean", "null"], "description": "True when the work income is at least "
                             "the YEL minimum and YEL applies to the founder's role; null when no YEL minimum is "
                             "recorded for the date (before 2025)."},
            "yel_applies": {"type": ["boolean", "null"], "description": "Whether the founder's role falls under YEL; "
                                                                        "null when it cannot be decided (oy owner)."},
            "vat_threshold": {"type": "number"}, "yel_threshold": {"type": ["number", "null"]},
            "yel_contribution": {"type": ["number", "null"], "description": "Yearly YEL contribution estimate, EUR; "
                                                                            "null when YEL is not obligatory."},
            "yel_contribution_first_entrepreneur": {
                "type": ["number", "null"], "description": "The same with the first-time entrepreneur's discount."},
            "estimate": {"type": "boolean"},
            "currency": {"const": "EUR"},
            "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }


def _business_start_calculation() -> dict[str, Any]:
    return {"allOf": [ref("BusinessStartCosts"), {
        "type": "object",
        "required": ["on", "inputs"],
        "properties": {
            "on": {"type": "string", "format": "date"},
            "inputs": {"type": "object", "properties": {
                "company_form": {"enum": list(COMPANY_FORMS)}, "turnover": {"type": "number"},
                "work_income": {"type": "number"}, "age": {"type": ["integer", "null"]},
                "previous_year_turnover": {"type": ["number", "null"]}}},
        },
    }]}


def _company_form_row() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["form", "name", "chosen", "fits", "reasons", "founders", "registration_fee", "minimum_capital",
                     "liability", "taxation", "pension", "administration", "source", "estimate"],
        "properties": {
            "form": {"enum": list(COMPANY_FORMS)}, "name": {"type": "string"},
            "chosen": {"type": "boolean", "description": "The form the founder chose."},
            "fits": {"type": "boolean", "description": "Whether the form fits the founder (alone or with partners)."},
            "reasons": {"type": "array", "items": {"type": "string"}, "description": "Why it fits or does not."},
            "founders": {"type": "string"},
            "registration_fee": {"type": "number"},
            "minimum_capital": {"type": ["number", "null"], "description": "null: the form has no share capital."},
            "liability": {"type": "string"}, "taxation": {"type": "string"}, "pension": {"type": "string"},
            "administration": {"type": "string"}, "source": {"type": "string"}, "estimate": {"type": "boolean"},
        },
    }


def _company_form_comparison() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "The company forms side by side for this founder (kind company_forms).",
        "required": ["start", "chosen", "estimate", "forms", "costs"],
        "properties": {
            "kind": {"const": "company_forms"},
            "start": {"type": "string", "format": "date", "description": "The figures are those in force on this day."},
            "chosen": {"anyOf": [{"enum": list(COMPANY_FORMS)}, {"type": "null"}],
                       "description": "null when the founder asked for help choosing."},
            "estimate": {"type": "boolean"},
            "forms": {"type": "array", "items": ref("CompanyFormRow")},
            "costs": {**nullable(ref("BusinessStartCosts")),
                      "description": "The start costs of the chosen form; null when no form is chosen."},
        },
    }


def _unemployment_allowance() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One daily unemployment benefit and its monthly estimate.",
        "required": ["kind", "daily_allowance", "monthly_estimate", "daily_wage", "step_down_percent", "estimate",
                     "currency", "breakdown"],
        "properties": {
            "kind": {"enum": ["earnings_related", "basic_allowance", "general_support"]},
            "daily_allowance": CENTS, "monthly_estimate": CENTS,
            "daily_wage": {"anyOf": [CENTS, {"type": "null"}], "description": "null for Kela's flat benefit."},
            "step_down_percent": {"type": "number", "description": "The share paid after a step-down (100: none)."},
            "estimate": {"type": "boolean"}, "currency": {"const": "EUR"},
            "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }


def _unemployment_calculation() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["on", "inputs", "earnings_related", "earnings_related_reason", "kela", "estimate"],
        "properties": {
            "on": {"type": "string", "format": "date", "description": "The first day of unemployment."},
            "inputs": {"type": "object", "properties": {
                "monthly_wage": {"type": ["number", "null"]}, "fund_member": {"type": "boolean"},
                "paid_days": {"type": "integer"}, "yel_income": {"type": ["number", "null"]},
                "work_condition_year": {"type": ["integer", "null"]}}},
            "earnings_related": nullable(ref("UnemploymentAllowance")),
            "earnings_related_reason": {"type": ["string", "null"],
                                        "description": "Why there is no earnings-related allowance."},
            "kela": ref("UnemploymentAllowance"),
            "estimate": {"type": "boolean"},
        },
    }


def _income_comparison() -> dict[str, Any]:
    timeline = {
        "type": "object",
        "description": "How the benefit develops: the unpaid waiting period, then paid periods up to the maximum.",
        "properties": {
            "kind": {"type": "string"}, "waiting_weekdays": {"type": "integer"},
            "waiting_period_start": {"type": "string", "format": "date"},
            "waiting_period_end": {"type": "string", "format": "date"},
            "first_paid_date": {"type": "string", "format": "date"}, "max_paid_days": {"type": "integer"},
            "application_deadline": {"type": "string", "format": "date"},
            "periods": {"type": "array", "items": {"type": "object", "properties": {
                "first_paid_day": {"type": "integer"}, "last_paid_day": {"type": "integer"},
                "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"},
                "daily_allowance": CENTS, "monthly_estimate": CENTS, "step_down_percent": {"type": "number"}}}},
            "estimate": {"type": "boolean"}, "breakdown": {"type": "array", "items": ref("BreakdownStep")},
        },
    }
    return {
        "type": "object",
        "description": "The earnings-related allowance and Kela's benefit side by side (kind unemployment_income).",
        "required": ["first_day", "estimate", "note", "options"],
        "properties": {
            "kind": {"const": "unemployment_income"},
            "first_day": {"type": "string", "format": "date"}, "estimate": {"type": "boolean"},
            "note": {"type": ["string", "null"], "description": "Why the earnings-related allowance is missing or "
                                                                "does not apply."},
            "options": {"type": "array", "items": {"type": "object", "required": ["kind", "applies", "allowance",
                                                                                   "timeline"], "properties": {
                "kind": {"type": "string"}, "applies": {"type": "boolean"},
                "allowance": ref("UnemploymentAllowance"), "timeline": timeline}}},
        },
    }


def _service_point_row() -> dict[str, Any]:
    flag = {"type": ["boolean", "null"], "description": "null: not known"}
    hours = {"type": "array", "items": {"type": "object", "properties": {
        "days": {"type": "string"}, "opens": {"type": "string"}, "closes": {"type": "string"}}}}
    return {
        "type": "object",
        "description": "A service point that serves the user's municipality.",
        "required": ["id", "kind", "kind_label", "name", "service", "organisation", "distance_km",
                     "next_free_appointment", "appointment_channels", "opening_hours", "phone_hours", "languages",
                     "charge", "fee", "fee_unit", "accessibility", "address", "postal_code", "municipality_code",
                     "lat", "lon", "contact", "is_demo"],
        "properties": {
            "id": {"type": "integer"}, "kind": {"enum": list(SERVICE_KINDS)}, "kind_label": {"type": "string"},
            "name": {"type": "string", "description": "The Swedish name for lang=sv when the point has one."},
            "service": {"type": "string"}, "organisation": {"type": "string"},
            "distance_km": {"type": "number", "description": "From the place the comparison is near."},
            "next_free_appointment": date_time("The start of the earliest free time; null: no free time in the "
                                               "booking calendar.", "2027-03-01T09:00:00+02:00"),
            "appointment_channels": {"type": "array", "items": {"enum": list(APPOINTMENT_CHANNELS)}},
            "opening_hours": hours, "phone_hours": hours,
            "languages": {"type": "array", "items": {"type": "string"}},
            "charge": {"enum": list(CHARGES)}, "fee": {"type": ["number", "null"], "description": "EUR"},
            "fee_unit": {"anyOf": [{"enum": list(FEE_UNITS)}, {"type": "null"}]},
            "accessibility": {"type": "object", "properties": {
                "step_free_entrance": flag, "accessible_toilet": flag, "accessible_parking": flag,
                "induction_loop": flag}},
            "address": {"type": "string"}, "postal_code": {"type": "string"}, "municipality_code": {"type": "string"},
            "lat": {"type": "number"}, "lon": {"type": "number"},
            "contact": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
            "is_demo": {"type": "boolean", "description": "Made-up demonstration data."},
            "matches": {"type": "boolean", "description": "Whether the unit suits the child: the care language, "
                                                          "shift care and age group of the answers (or filters)."},
            "mismatches": {"type": "array", "items": ref("Mismatch"),
                           "description": "Why the unit does not suit the child; empty when it does."},
        },
    }


def _mismatch() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "One reason a unit does not suit the child.",
        "required": ["code", "text"],
        "properties": {
            "code": {"enum": list(MISMATCHES), "description": "language: no care in the chosen language; "
                     "no_shift_care: the child needs shift care, the unit has none; shift_care_only: a round-the-"
                     "clock shift care unit, for children who need shift care only; age_group: the unit does not "
                     "take children of the child's age group on the start date."},
            "text": {"type": "string", "description": "The reason as the plan page says it, e.g. "
                                                      "\"Care in Swedish only\"."},
        },
    }


def _service_comparison() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Service points near a place (kind nearby_services): grouped by kind in the order of "
                       "`kinds`, nearest first within a kind.",
        "required": ["near", "kinds", "missing_kinds", "rows"],
        "properties": {
            "kind": {"const": "nearby_services"},
            "near": {"type": "string", "description": "The location question the distances are from."},
            "kinds": {"type": "array", "items": {"enum": list(SERVICE_KINDS)},
                      "description": "The kinds of service the answers call for."},
            "missing_kinds": {"type": "array", "items": {"enum": list(SERVICE_KINDS)},
                              "description": "Kinds asked for that no point in the catalogue serves here."},
            "coverage_gap": nullable(ref("CoverageGap")),
            "rows": {"type": "array", "items": ref("ServicePointRow")},
        },
    }


def _coverage_gap() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Why a comparison that measures distances lists none (ECEC units) or lists them without "
                       "distances (service points): the place's municipality is outside the area the catalogue "
                       "covers (`outside`: nothing is listed), or the place has no point, as a postal code without "
                       "a known centroid (`no_point`: give a map point, `lat` and `lon`, to get distances). The "
                       "checklist and the calculations do not depend on it.",
        "required": ["reason", "municipality_code", "municipality", "covered_municipalities"],
        "properties": {
            "reason": {"enum": ["outside", "no_point"]},
            "municipality_code": {"type": "string", "pattern": "^[0-9]{3}$"},
            "municipality": {"type": "string", "description": "In the language asked for."},
            "postal_code": {"type": ["string", "null"]},
            "covered_municipalities": {"type": "array", "items": {"type": "string"},
                                       "description": "The municipalities this comparison has data for."},
        },
    }


def _error() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["field", "message"], "properties": {
            "field": {"type": ["string", "null"], "description": "The parameter or body field to fix."},
            "message": {"type": "string", "description": "In the requested language."}}}},
    }


def _answer_errors() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["errors"],
        "properties": {"errors": {"type": "array", "items": {"type": "object", "required": ["field", "input", "message"],
                                                                "properties": {
            "field": {"type": "string", "description": "The question id."},
            "input": {"type": "string", "description": "The form field within the question (as the HTML form names it)."},
            "step": {"type": ["string", "null"]},
            "message": {"type": "string"}}}}},
    }


def schemas() -> dict[str, Any]:
    return {
        "BreakdownStep": _breakdown_step(), "FeeResult": _fee_result(), "FeeCalculation": _fee_calculation(),
        "LifeEventSummary": _life_event_summary(),
        "LifeEvent": {"allOf": [ref("LifeEventSummary"), {"type": "object", "required": ["steps"], "properties": {
            "steps": {"type": "array", "items": ref("Step")}}}]},
        "Step": _step(), "Question": _question(), "Location": _location(), "Filters": _filters(),
        "PlanRequest": _plan_request(), "Plan": _plan(), "ChecklistEntry": _checklist_entry(),
        "Comparison": _comparison(),
        "EcecComparison": _ecec_comparison(), "CoverageGap": _coverage_gap(), "UnitRow": _unit_row(), "Mismatch": _mismatch(), "Cost": _cost(),
        "HomeCare": _home_care(),
        "CompanyFormComparison": _company_form_comparison(), "CompanyFormRow": _company_form_row(),
        "ServiceComparison": _service_comparison(), "ServicePointRow": _service_point_row(),
        "BusinessStartCosts": _business_start_costs(), "BusinessStartCalculation": _business_start_calculation(),
        "IncomeComparison": _income_comparison(), "UnemploymentAllowance": _unemployment_allowance(),
        "UnemploymentCalculation": _unemployment_calculation(),
        "UnitPoint": _unit_point(), "UnitPoints": _unit_points(),
        "Error": _error(), "AnswerErrors": _answer_errors(),
    }


# --- parameters and paths --------------------------------------------------------------------------------

def parameters() -> dict[str, Any]:
    def query(name: str, description: str, schema: dict[str, Any], required: bool = False, example: Any = None) -> dict:
        parameter = {"name": name, "in": "query", "required": required, "description": description, "schema": schema}
        if example is not None:
            parameter["example"] = example
        return parameter

    return {
        "lang": query("lang", "Language of the texts; default the best Accept-Language match, else fi.",
                      {"enum": UI_LANGUAGES}),
        "AcceptLanguage": {"name": "Accept-Language", "in": "header", "required": False,
                           "description": "Used when lang is not given.", "schema": {"type": "string"}},
        "event_id": {"name": "event_id", "in": "path", "required": True, "schema": {"type": "string"},
                     "example": "ecec"},
        "family_size": query("family_size", "Persons in the family: the parents living together and their "
                             "children under 18 in the household.", {"type": "integer", "minimum": 2}, True, 3),
        "income": query("income", "The family's gross monthly income in euros ('4500', '4500.50' or '4500,50').",
                        {"type": "number", "minimum": 0}, True, 6000),
        "hours_per_week": query("hours_per_week", "Weekly care time ('37.5' or '37,5': at most two decimals, no exponent).",
                                {"type": "number", "exclusiveMinimum": 0, "maximum": 168}, True, 40),
        "child_rank": query("child_rank", "1 for the youngest child in ECEC, 2 for the next, 3 for further children; "
                            "at most family_size − 1.", {"type": "integer", "minimum": 1, "default": 1}),
        "municipality": query("municipality", "Municipality code. Required when 20 < hours_per_week < 35: the "
                              "municipality's part-time steps (from the catalogue) decide the share.",
                              {"type": "string", "pattern": "^[0-9]{3}$"}, example="853"),
        "lat": query("lat", "Latitude (WGS84, decimal degrees, at most 10 decimals, no exponent) of the centre; "
                     "inside Finland.",
                     {"type": "number", "minimum": FINLAND_BBOX[0], "maximum": FINLAND_BBOX[2]}, True, 60.4518),
        "lon": query("lon", "Longitude (WGS84, decimal degrees, at most 10 decimals, no exponent) of the centre; "
                     "inside Finland.",
                     {"type": "number", "minimum": FINLAND_BBOX[1], "maximum": FINLAND_BBOX[3]}, True, 22.2666),
        "radius_km": query("radius_km", "Great-circle distance from the centre in kilometres.",
                           {"type": "number", "minimum": float(RADIUS_MIN), "maximum": float(RADIUS_MAX),
                            "default": float(RADIUS_DEFAULT)}, example=2),
        "on": query("on", "The date the fee is for; default today. Figures not yet known for the date are "
                    "taken from the latest known period and flagged as estimates.",
                    {"type": "string", "format": "date"}, example="2025-01-01"),
        "company_form": query("company_form", "The company form: toiminimi (sole trader), oy (private limited "
                              "company), ay (general partnership) or ky (limited partnership).",
                              {"enum": list(COMPANY_FORMS)}, True, "toiminimi"),
        "turnover": query("turnover", "Expected yearly turnover (sales without VAT) in euros ('45000', '45000.50' "
                          "or '45 000,50'). VAT registration is obligatory only above the threshold.",
                          {"type": "number", "minimum": 0, "maximum": MAX_YEARLY_EUR}, True, 20000),
        "work_income": query("work_income", "The founder's yearly work income in euros, as for YEL: what it would "
                             "cost to hire someone to do the founder's work.",
                             {"type": "number", "minimum": 0, "maximum": MAX_YEARLY_EUR}, True, 9423.09),
        "monthly_wage": query("monthly_wage", "Gross monthly wage in euros before unemployment ('3200' or "
                              "'3200,50'); required unless yel_income is given.", {"type": "number", "minimum": 0},
                              False, 3200),
        "yel_income": query("yel_income", "For an entrepreneur whose business ended: the confirmed YEL work income a "
                            "year in euros. The daily wage is income / 12 / 21.5, without the statutory deduction.",
                            {"type": "number", "minimum": 0, "maximum": MAX_YEARLY_EUR}),
        "work_condition_year": query("work_condition_year", "The year the work condition was met: the fund applies "
                                     "that year's statutory deduction. Default: the year of the first day of "
                                     "unemployment.", {"type": "integer", "minimum": 1}),
        "age": query("age", "The founder's age in years: YEL is obligatory at ages 18-68, and the rate may depend "
                     "on age.", {"type": "integer", "minimum": 0, "maximum": 120}),
        "previous_year_turnover": query("previous_year_turnover", "Turnover of the previous calendar year in euros: "
                                        "from 2025 it also makes the business liable for VAT.",
                                        {"type": "number", "minimum": 0, "maximum": MAX_YEARLY_EUR}),
        "fund_member": query("fund_member", "Whether the person is a member of an unemployment fund.",
                             {"enum": ["true", "false"]}, True, "true"),
        "paid_days": query("paid_days", "Allowance days already paid (for the step-downs).",
                           {"type": "integer", "minimum": 0, "default": 0}),
        "unemployment_on": query("on", "The first day of unemployment; default today.",
                                 {"type": "string", "format": "date"}, example="2026-12-01"),
        "business_on": query("on", "The day the business starts; default today. Figures not yet confirmed for "
                             "the date are taken from the latest known period and flagged as estimates. Dates "
                             "before the first recorded period of a figure are refused (error.field on).",
                             {"type": "string", "format": "date"}, example="2026-03-01"),
    }


def param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


LANG_PARAMS = [param("lang"), param("AcceptLanguage")]
BAD_LANG = response("Unknown lang.", ref("Error"), error_example("lang", "Unknown language de. Use one of: fi, sv, en."))
NOT_FOUND = response("No such life event.", ref("Error"), error_example("life_event", "There is no life event x."))
TOO_LARGE = response(f"The body is larger than the portal takes (by default {DEFAULT_MAX_REQUEST_BYTES // 1024} KiB, "
                     "POLKU_MAX_REQUEST_BYTES); error.field is body.", ref("Error"),
                     error_example("body", f"The request is too large: send at most "
                                           f"{DEFAULT_MAX_REQUEST_BYTES // 1024} KiB."))


TOO_MANY = {
    "description": "Too many plan and calculator calls from this address in a short time (by default 60 a minute "
                   "and 1,000 an hour together, POLKU_RATE_LIMIT_API); wait the seconds of Retry-After.",
    "headers": {"Retry-After": {"description": "Seconds until calls are taken again.",
                                "schema": {"type": "integer", "minimum": 1}}},
    "content": json_content(ref("Error"), {"error": {"field": None,
                                                     "message": "Too many requests: wait 42 s and try again."}}),
}


def paths() -> dict[str, Any]:
    return {
        "/api/v1/life-events": {"get": {
            "operationId": "listLifeEvents", "tags": ["life events"], "summary": "The life events the portal guides.",
            "parameters": LANG_PARAMS,
            "responses": {"200": response("The life events.", {"type": "object", "required": ["life_events"], "properties": {
                "life_events": {"type": "array", "items": ref("LifeEventSummary")}}}, LIFE_EVENTS_EXAMPLE),
                "400": BAD_LANG}}},
        "/api/v1/life-events/{event_id}": {"get": {
            "operationId": "getLifeEvent", "tags": ["life events"],
            "summary": "A life event with its steps and questions (what to answer for a plan).",
            "parameters": [param("event_id"), *LANG_PARAMS],
            "responses": {"200": response("The life event.", ref("LifeEvent")), "400": BAD_LANG, "404": NOT_FOUND}}},
        "/api/v1/life-events/{event_id}/plan": {"post": {
            "operationId": "makePlan", "tags": ["life events"],
            "summary": "A personal plan: the checklist with deadlines and the comparisons of the life event.",
            "description": "Answers are validated by the same rules as the portal's forms. Responses are "
                           "sent with Cache-Control: no-store.",
            "parameters": [param("event_id"), *LANG_PARAMS],
            "requestBody": {"required": True, "content": json_content(ref("PlanRequest"), PLAN_REQUEST_EXAMPLE)},
            "responses": {
                "200": response("The plan.", ref("Plan"), PLAN_EXAMPLE),
                "400": {"description": "Invalid or missing answers, answers to no question or of the wrong "
                                       "type (errors, each naming its question), or a malformed request (error).",
                        "content": {JSON: {"schema": {"oneOf": [ref("AnswerErrors"), ref("Error")]},
                                           "examples": {
                                               "answers": {"value": ANSWER_ERRORS_EXAMPLE},
                                               "body": {"value": error_example("body", "Send a JSON object with the "
                                                                               "answers (Content-Type: application/json).")}}}}},
                "404": NOT_FOUND, "413": TOO_LARGE, "429": TOO_MANY}}},
        "/api/v1/calculators/ecec-fee": {"get": {
            "operationId": "ececFee", "tags": ["calculators"],
            "summary": "The monthly client fee of municipal early childhood education for one child.",
            "description": "Act on early childhood education client fees 1503/2016 with dated figures; "
                           "municipal part-time steps from the catalogue.",
            "parameters": [param(p) for p in ("family_size", "income", "hours_per_week", "child_rank",
                                               "municipality", "on")] + LANG_PARAMS,
            "responses": {
                "200": response("The fee with its breakdown.", ref("FeeCalculation"), FEE_EXAMPLE),
                "400": response("A missing or invalid parameter, named in error.field.", ref("Error"),
                                error_example("hours_per_week", "Enter hours a week above 0 and at most 168.")),
                "429": TOO_MANY}}},
        "/api/v1/calculators/business-start-costs": {"get": {
            "operationId": "businessStartCosts", "tags": ["calculators"],
            "summary": "What starting a business costs: the registration fee, and whether VAT and YEL are obligatory.",
            "description": "PRH start-up notice fee (regulation 1247/2023), the VAT registration threshold (VAT Act "
                           "1501/1993) and the YEL minimum work income with a contribution estimate (Act 1272/2006), "
                           "with the dated figures in force on the start date.",
            "parameters": [param(p) for p in ("company_form", "turnover", "work_income", "age", "previous_year_turnover",
                                              "business_on")] + LANG_PARAMS,
            "responses": {
                "200": response("The costs with their breakdown.", ref("BusinessStartCalculation"),
                                BUSINESS_COSTS_EXAMPLE),
                "400": response("A missing or invalid parameter, named in error.field.", ref("Error"),
                                error_example("company_form", "Use one of these values: toiminimi, oy, ay, ky.")),
                "429": TOO_MANY}}},
        "/api/v1/calculators/unemployment-allowance": {"get": {
            "operationId": "unemploymentAllowance", "tags": ["calculators"],
            "summary": "The unemployment fund's earnings-related allowance and Kela's benefit for a day.",
            "description": "Unemployment Security Act 1290/2002 with dated figures. Amounts are euros to the cent, "
                           "as text.",
            "parameters": [param(p) for p in ("monthly_wage", "yel_income", "fund_member", "paid_days",
                                              "work_condition_year", "unemployment_on")]
                          + LANG_PARAMS,
            "responses": {
                "200": response("Both benefits with their breakdowns.", ref("UnemploymentCalculation")),
                "400": response("A missing or invalid parameter, named in error.field.", ref("Error"),
                                error_example("fund_member", "Use true or false.")),
                "429": TOO_MANY}}},
        "/api/v1/ecec-units": {"get": {
            "operationId": "ececUnitsNear", "tags": ["catalogue"],
            "summary": "The early childhood education units near a point, nearest first.",
            "description": f"At most {MAX_UNITS} units within radius_km of lat, lon, with their names in the "
                           "requested language. The portal's map picker shows them for orientation.",
            "parameters": [param(p) for p in ("lat", "lon", "radius_km")] + LANG_PARAMS,
            "responses": {
                "200": response("The units.", ref("UnitPoints"), UNIT_POINTS_EXAMPLE),
                "400": response("A missing or invalid parameter, or a point outside Finland, named in error.field.",
                                ref("Error"), error_example("lat", "Choose a point in Finland"))}}},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi", "tags": ["meta"], "summary": "This document.",
            "responses": {"200": {"description": "The OpenAPI 3.1 document.",
                                  "content": {JSON: {"schema": {"type": "object"}}}}}}},
    }


def openapi_document() -> dict[str, Any]:
    """The whole document, built per request (cheap) so it always matches the running code."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Polku API", "version": "1",
            "description": "Life events, personal plans, fee calculators and the early childhood education units "
                           "of the Polku portal. Texts come in Finnish, Swedish or English (lang or "
                           "Accept-Language); codes and numbers do not change with the language. Dates are "
                           "YYYY-MM-DD; date-times are ISO 8601 with the Europe/Helsinki offset (+02:00 or "
                           "+03:00), the time the services keep. Demo catalogue data is flagged with is_demo.",
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": "life events"}, {"name": "calculators"}, {"name": "catalogue"}, {"name": "meta"}],
        "paths": paths(),
        "components": {"schemas": schemas(), "parameters": parameters()},
    }
