"""The starting-a-business life event (configurator/events/business.yaml) on the generalized engine.

Expected figures and dates are derived by hand from /work/shared/reference/rules-facts.md section 3 and
its "Corrections and additions, checked 2026-12" (the arithmetic is in the comments), never copied from
the code's output:

- Codes: target group KR2.8 (Finnish startups), service class P11.1 (establishing an enterprise); no
  life-event code (KE7 is divorce, P18 geodata).
- PRH start-up notice (regulation 1247/2023, confirmed for 2024): toiminimi 70 €, oy / ay / ky 280 €;
  2025: the 2024 figures as estimates; from 2026-01-01 (start date unconfirmed, so an estimate) an oy
  costs 320 € (founding notice online), with guided founding 240 € (online only) and paper 380 €;
  toiminimi / ay / ky keep the 2024 figure as an estimate.
- VAT liability when the year's turnover EXCEEDS 20 000 € (from 2025-01-01; 15 000 € before); from 2025
  the previous calendar year's turnover counts too; general rate 25.5 % from 2024-09-01 (24 % before).
- YEL obligatory for ages 18-68 when the work income is AT LEAST 9 010.28 € (2024) / 9 208.43 € (2025) /
  9 423.09 € (2026; carried into 2027 as an estimate); rate 24.10 % (2024, 2025; 25.60 % at ages 53-62),
  24.40 % for all ages in 2026; first-time entrepreneurs 22 % off for 48 months; insure within 6 months
  of starting. Farming is insured under MYEL with Mela.
- Start-up grant 37.21 €/day, about 800 €/month, 6-12 months in 6-month periods; since 2025 the
  business may start after applying.
- Food premises notice at least 4 weeks before starting; premises processing food of animal origin need
  an approval before starting instead; the farm (primary production) makes its own notice. Alcohol
  licence (the event asks 2 months ahead): 1 365 € (950 € reduced), the 2024 tariff, an estimate after.
- Deadlines on a Saturday, Sunday or public holiday (incl. Midsummer Eve and Christmas Eve) move to the
  next weekday (Act 150/1930 s. 5); "as soon as you can" (today, no offset) does not move.

"Today" is 2026-11-22 (a Sunday) as in tests/conftest.py. Liisa (tests/helpers.py LIISA_STEPS): organic
farm, farm shop, organic restaurant serving alcohol and a petting zoo in Lieto (21420, municipality 423),
alone, "help me choose", turnover 85 000 €, work income 24 000 €, one employee, start 2027-03-01
(a Monday); she processes no food of animal origin (the notice is enough), and gives no age.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
import yaml

from configurator.answers import (
    DEFAULT_ERRORS,
    AnswerError,
    LocationAnswer,
    ParseContext,
    parse_value,
    raw_from_json,
)
from configurator.checklist import Contact, build_checklist
from configurator.comparisons import COMPARISONS, ComparisonOptionsError, Sources
from configurator.comparisons.company_forms import CompanyFormComparison, build_company_forms
from configurator.comparisons.services import ServiceComparison, build_services, check_options, wanted_kinds
from configurator.figures import FIGURES, chosen_or_fitting_forms
from configurator.geo import Place, StaticPlaces, distance_km
from configurator.journey import parse_question, parse_step, walk
from configurator.lifeevents import (
    EVENTS_DIR,
    ComparisonSpec,
    LifeEventError,
    default_life_events,
    load_life_events,
    parse_life_event,
)
from configurator.names import Localized
from configurator.plan import make_plan, try_comparison
from configurator.predicates import PREDICATES, evaluate
from configurator.service_points import ServicePointRecord
from tests.helpers import LIISA_STEPS

TODAY = date(2026, 11, 22)
START = date(2027, 3, 1)
LIETO = Place(60.5040, 22.4570, "423", "21420")
TURKU = Place(60.4518, 22.2666, "853", "20100")
PLACES = StaticPlaces({"21420": LIETO, "20100": TURKU})
INDUSTRIES = ("food_service", "food_retail", "farming", "animals", "retail", "services", "construction", "transport")


def business():
    return default_life_events()["business"]


def flat(steps: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Raw form fields as the portal stores them: a multi-valued field joined with commas."""
    return {
        name: ",".join(value) if isinstance(value, list) else value
        for fields in steps.values()
        for name, value in fields.items()
    }


# Liisa sells and serves food but processes none of animal origin (answered here, whatever the shared
# helper says, so the checklist below does not depend on it).
LIISA_RAW = {**flat(LIISA_STEPS), "animal_origin": "no"}

# A part-time consultant starting alone as a sole trader in Turku on 2027-01-15: turnover 15 000 €
# (under the VAT threshold), work income 12 000 € (over the YEL minimum), nobody employed.
CONSULTANT_RAW = {
    "industries": "services",
    "full_time": "no",
    "unemployed": "no",
    "partners": "alone",
    "company_form": "toiminimi",
    "turnover": "15000",
    "work_income": "12000",
    "employees": "0",
    "premises-postal_code": "20100",
    "start_date-day": "15",
    "start_date-month": "1",
    "start_date-year": "2027",
}


def answers_of(raw: dict[str, str], **changes: str) -> dict[str, Any]:
    """Typed answers of a complete journey, parsed by the engine as the portal parses them."""
    state = walk(business(), {**raw, **changes}, TODAY, PLACES)
    assert state.complete, state.first_incomplete
    return state.answers


def liisa(**changes: str) -> dict[str, Any]:
    return answers_of(LIISA_RAW, **changes)


def consultant(**changes: str) -> dict[str, Any]:
    return answers_of(CONSULTANT_RAW, **changes)


# --- the data file --------------------------------------------------------------------------------------


def test_business_event_loads_with_its_steps_comparisons_and_checklist() -> None:
    events = load_life_events()
    assert {"ecec", "business"} <= set(events)
    event = events["business"]
    assert event.title == "Start a business"
    assert [s.id for s in event.steps] == ["idea", "founder", "money", "premises", "start"]
    assert [c.kind for c in event.comparisons] == ["company_forms", "nearby_services"]
    assert event.comparison.kind == "company_forms"  # the running estimate beside the questions
    industries = event.question("industries")
    assert industries.type == "choices" and industries.option_values == INDUSTRIES
    assert event.question("premises").type == "location"
    ids = [item.id for item in event.checklist]
    # 17 tasks before issue 11, plus the food premises approval, the primary production notice and MYEL, and the
    # monthly VAT returns (issue 18)
    assert len(ids) == len(set(ids)) == 21
    assert {"apply_for_food_premises_approval", "notify_primary_production", "take_out_myel"} <= set(ids)
    assert {name for item in event.checklist for name in item.figures} == {
        "registration_fee",
        "vat_threshold",
        "yel_contribution",
        "start_up_grant",
        "alcohol_licence_fee",
    }
    # the national codes of starting a business (reference/ptv/ptv_codes.csv): Finnish startups, establishing an
    # enterprise; there is no life-event code for it (KE7 is divorce, P18 geodata)
    assert dict(event.codes) == {"target_group": "KR2.8", "service_class": "P11.1"}
    # the new questions: animal origin (required, with a food business) and the founder's age (optional)
    animal_origin = event.question("animal_origin")
    assert (animal_origin.type, animal_origin.required, animal_origin.show_if) == ("yesno", True, "food_business")
    assert [q.id for q in event.step("idea").questions] == ["industries", "organic", "animal_origin", "alcohol"]
    age = event.question("age")
    assert (age.type, age.required) == ("number", False) and age in event.step("founder").questions
    # the figures the texts name in {braces}
    assert dict(event.values) == {
        "yel_deadline_months": "business_start.yel.deadline_months",
        "food_notice_weeks": "business_start.food_premises_notice_weeks",
        "alcohol_percent": "business_start.alcohol_serving_licence.min_alcohol_share",
        "yel_min_age": "business_start.yel.min_age",
        "yel_max_age": "business_start.yel.max_age",
        "vat_due_day": "business_start.vat.return_due_day",
    }
    # since 2026 the licensing authority of alcohol is the Finnish Supervisory Agency; MYEL is Mela's
    assert "Lupa- ja valvontavirasto" in event.organisations["alcohol_authority"].name
    assert event.organisations["mela"].url == Localized(fi="https://www.mela.fi", en="https://www.mela.fi/en")
    # the organisations found by service kind in the premises' municipality
    by_kind = {o.id: o.service_kind for o in event.organisations.values() if o.municipality_of == "premises"}
    assert by_kind == {
        "enterprise_agency": "business_advice",
        "employment_services": "employment_services",
        "food_control": "food_control",
        "rural_business": "rural_business",
    }


def _business_data() -> dict[str, Any]:
    return yaml.safe_load((EVENTS_DIR / "business.yaml").read_text(encoding="utf-8"))


def _services_entry(data: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in data["comparisons"] if c["kind"] == "nearby_services")


@pytest.mark.parametrize(
    "break_it, message",
    [
        (
            lambda d: _services_entry(d)["services"].append({"kind": "food_control", "when": "sells_food"}),
            "unknown predicate 'sells_food'",
        ),
        (lambda d: _services_entry(d)["services"].append({"kind": "bakery_advice"}), "unknown service kind"),
        (lambda d: _services_entry(d).update(near="start_date"), "'near' must name a location question"),
        (lambda d: d["checklist"][0].update(figures=["registration_cost"]), "unknown figure 'registration_cost'"),
        (lambda d: d["steps"][0]["questions"][0]["options"].append({"value": "a,b", "label": "x"}), "no commas"),
        (lambda d: d["organisations"][0].update(service_kind="bakery"), "service_kind must be one of"),
        (lambda d: d["checklist"][2].update(show_if="unemployed_now"), "unknown predicate 'unemployed_now'"),
    ],
)
def test_loader_rejects_broken_references_in_the_business_file(break_it, message: str) -> None:
    data = _business_data()
    parse_life_event(copy.deepcopy(data), "business.yaml")  # the file itself is valid
    break_it(data)
    with pytest.raises(LifeEventError, match=message):
        parse_life_event(data, "business.yaml")


def test_every_condition_in_the_business_file_names_a_registered_predicate() -> None:
    text = (EVENTS_DIR / "business.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    names = (
        {q.get("show_if") for s in data["steps"] for q in s["questions"]}
        | {i.get("show_if") for i in data["checklist"]}
        | {e.get("when") for e in _services_entry(data)["services"]}
    )
    names.discard(None)
    assert names and names <= set(PREDICATES)


# --- predicates -----------------------------------------------------------------------------------------


def on(start: date | None, **answers: Any) -> dict[str, Any]:
    return {**answers, "start_date": start} if start else answers


VAT_CASES = [
    # from 2025-01-01 the threshold is 20 000 € and liability comes only OVER it (a new business has no
    # previous calendar year, so the checklist asks only for the first year's turnover)
    (on(date(2025, 1, 1), turnover=D("20000")), False),
    (on(date(2025, 1, 1), turnover=D("20000.01")), True),
    (on(START, turnover=D("20000")), False),
    (on(START, turnover=D("20000.01")), True),
    (on(START, turnover=D("85000")), True),  # Liisa
    (on(START, turnover=D("0")), False),
    # before 2025 the threshold was 15 000 €
    (on(date(2024, 6, 1), turnover=D("15000")), False),
    (on(date(2024, 6, 1), turnover=D("15000.01")), True),
    (on(date(2024, 6, 1), turnover=D("16000")), True),
    # the threshold follows the start date, not the day of asking: 16 000 € on the last day of 2024 is
    # over 15 000 €, on the first day of 2025 it is under 20 000 €
    (on(date(2024, 12, 31), turnover=D("16000")), True),
    (on(date(2025, 1, 1), turnover=D("16000")), False),
    (on(START), False),  # no turnover given yet
]


@pytest.mark.parametrize("answers, expected", VAT_CASES)
def test_vat_registration_required(answers: dict[str, Any], expected: bool) -> None:
    assert PREDICATES["vat_registration_required"](answers, TODAY) is expected


def test_vat_registration_without_start_date_uses_today() -> None:
    # 16 000 € is over 15 000 € (a 2024 "today") but not over 20 000 € (2026)
    answers = {"turnover": D("16000")}
    assert PREDICATES["vat_registration_required"](answers, date(2024, 6, 1)) is True
    assert PREDICATES["vat_registration_required"](answers, TODAY) is False


YEL_CASES = [
    # 2024: obligatory from AT LEAST 9 010.28 € (it was 8 575.45 € in 2023)
    (on(date(2024, 6, 1), work_income=D("9010.28")), True),
    (on(date(2024, 6, 1), work_income=D("9010.27")), False),
    # 2026: obligatory from AT LEAST 9 423.09 €
    (on(date(2026, 3, 1), work_income=D("9423.09")), True),
    (on(date(2026, 3, 1), work_income=D("9423.08")), False),
    # 2025: 9 208.43 €
    (on(date(2025, 6, 1), work_income=D("9208.43")), True),
    (on(date(2025, 6, 1), work_income=D("9208.42")), False),
    # 9 300 € is enough in 2025 but not in 2026
    (on(date(2025, 12, 31), work_income=D("9300")), True),
    (on(date(2026, 1, 1), work_income=D("9300")), False),
    # 2027 figure unknown: the 2026 one (9 423.09 €) is carried over
    (on(START, work_income=D("9423.09")), True),
    (on(START, work_income=D("9423.08")), False),
    (on(START, work_income=D("24000")), True),  # Liisa
    (on(START), False),  # no work income given yet
    # only ages 18 to 68 are insured, whatever the income; no age given: assumed covered
    (on(START, work_income=D("24000"), age=17), False),
    (on(START, work_income=D("24000"), age=18), True),
    (on(START, work_income=D("24000"), age=68), True),
    (on(START, work_income=D("24000"), age=69), False),
    (on(START, work_income=D("9423.08"), age=30), False),  # a covered age still needs the minimum income
]


@pytest.mark.parametrize("answers, expected", YEL_CASES)
def test_yel_insurance_required(answers: dict[str, Any], expected: bool) -> None:
    # a consultant's services: business that YEL insures (farming alone is MYEL's, see below)
    assert PREDICATES["yel_insurance_required"]({"industries": ("services",), **answers}, TODAY) is expected
    # the same figures for a founder who only farms: never YEL
    assert PREDICATES["yel_insurance_required"]({"industries": ("farming",), **answers}, TODAY) is False


def test_yel_without_start_date_uses_today() -> None:
    answers = {"work_income": D("9300"), "industries": ("services",)}
    assert PREDICATES["yel_insurance_required"](answers, date(2025, 6, 1)) is True  # ≥ 9 208.43
    assert PREDICATES["yel_insurance_required"](answers, TODAY) is False  # < 9 423.09


def ind(*values: str) -> dict[str, Any]:
    return {"industries": tuple(values)}


SIMPLE_CASES = [
    ("serves_food", ind("food_service"), True),
    ("serves_food", ind("food_retail", "farming"), False),
    ("serves_food", {}, False),
    ("food_business", ind("food_service"), True),
    ("food_business", ind("food_retail"), True),
    ("food_business", ind("farming", "animals"), False),
    ("produces_food", ind("farming"), True),
    ("produces_food", ind("food_retail"), True),
    ("produces_food", ind("animals", "services"), False),
    ("farming", ind("farming"), True),
    ("farming", ind("animals"), False),
    ("keeps_animals", ind("animals"), True),
    ("keeps_animals", ind("farming"), False),
    # organic and alcohol count only while their question is shown: a stale answer does not
    ("organic", {**ind("farming"), "organic": True}, True),
    ("organic", {**ind("farming"), "organic": False}, False),
    ("organic", {**ind("services"), "organic": True}, False),
    ("serves_alcohol", {**ind("food_service"), "alcohol": True}, True),
    ("serves_alcohol", {**ind("food_service"), "alcohol": False}, False),
    ("serves_alcohol", {**ind("food_retail"), "alcohol": True}, False),
    # premises processing food of animal origin need an approval, the others only the notice
    ("animal_origin_approval", {**ind("food_retail"), "animal_origin": True}, True),
    ("animal_origin_approval", {**ind("food_service"), "animal_origin": True}, True),
    ("animal_origin_approval", {**ind("food_service"), "animal_origin": False}, False),
    ("animal_origin_approval", {**ind("farming", "animals"), "animal_origin": True}, False),  # stale answer
    ("food_notice_enough", {**ind("food_retail"), "animal_origin": False}, True),
    ("food_notice_enough", {**ind("food_service"), "animal_origin": True}, False),
    ("food_notice_enough", {**ind("farming"), "animal_origin": False}, False),  # no food premises
    ("food_notice_enough", ind("services"), False),
    ("full_time", {"full_time": True}, True),
    ("full_time", {"full_time": False}, False),
    ("full_time", {}, False),
    ("unemployed", {"unemployed": True}, True),
    ("unemployed", {"unemployed": False}, False),
    ("has_employees", {"employees": 1}, True),
    ("has_employees", {"employees": 0}, False),
    ("has_employees", {"employees": None}, False),
    ("with_partners", {"partners": "partners"}, True),
    ("with_partners", {"partners": "alone"}, False),
    ("needs_form_advice", {"company_form": "help"}, True),
    ("needs_form_advice", {"company_form": "oy"}, False),
]


@pytest.mark.parametrize("name, answers, expected", SIMPLE_CASES)
def test_business_predicates(name: str, answers: dict[str, Any], expected: bool) -> None:
    assert PREDICATES[name](answers, TODAY) is expected
    assert evaluate(f"not {name}", answers, TODAY) is (not expected)


# --- figures --------------------------------------------------------------------------------------------


def amounts(steps) -> list[D | None]:
    return [s.amount for s in steps]


def test_registration_fee_for_a_chosen_form() -> None:
    steps = FIGURES["registration_fee"]({"company_form": "toiminimi", "partners": "alone", "start_date": START}, TODAY)
    assert amounts(steps) == [D(70)]
    assert "sole trader" in steps[0].label and steps[0].values == {"amount": D(70)}
    assert steps[0].valid_from == date(2024, 1, 1) and steps[0].estimate is True  # 2027: 2024 figure carried over
    # an oy in 2027: PRH's current list, recorded from 2026-01-01 with an unconfirmed start (an estimate):
    # 320 € online, and a second step naming guided founding 240 € and paper 380 € (no amount of its own)
    oy = FIGURES["registration_fee"]({"company_form": "oy", "start_date": START}, TODAY)
    assert amounts(oy) == [D(320), None]
    assert oy[0].valid_from == date(2026, 1, 1) and oy[0].estimate is True
    assert oy[1].values == {"guided": D(240), "paper": D(380)} and oy[1].estimate is True
    # a 2024 start uses the confirmed figure
    in_2024 = FIGURES["registration_fee"]({"company_form": "ay", "start_date": date(2024, 6, 1)}, TODAY)
    assert amounts(in_2024) == [D(280)] and in_2024[0].estimate is False


def test_registration_fee_with_help_lists_the_fitting_forms() -> None:
    # alone: toiminimi (one owner) and oy (one or more) fit; ay and ky need two partners
    alone = {"company_form": "help", "partners": "alone", "start_date": START}
    assert chosen_or_fitting_forms(alone, TODAY) == ("toiminimi", "oy")
    # 2027: toiminimi 70 € (2024 figure), oy 320 € and its guided / paper step
    assert amounts(FIGURES["registration_fee"](alone, TODAY)) == [D(70), D(320), None]
    # with partners: oy 320 € (+ its other channels), ay and ky 280 € each; a sole trader has only one owner
    partners = {**alone, "partners": "partners"}
    assert chosen_or_fitting_forms(partners, TODAY) == ("oy", "ay", "ky")
    steps = FIGURES["registration_fee"](partners, TODAY)
    assert amounts(steps) == [D(320), None, D(280), D(280)]
    assert [
        "(oy)" in steps[0].label,
        "guided founding" in steps[1].label,
        "(ay)" in steps[2].label,
        "(ky)" in steps[3].label,
    ] == [True] * 4
    assert all(s.estimate for s in steps)  # none of the fees is confirmed after 2024


def test_vat_threshold_figure() -> None:
    assert FIGURES["vat_threshold"]({"start_date": START}, TODAY) == ()
    # Liisa: 85 000 € > 20 000 € → obligatory; from 2025 a step says the previous calendar year counts too
    # and the liability starts when the threshold is exceeded; then the general rate 25.5 %
    steps = FIGURES["vat_threshold"]({"turnover": D(85000), "start_date": START}, TODAY)
    assert len(steps) == 3
    assert steps[0].values == {"turnover": D(85000), "threshold": D(20000)} and "obligatory" in steps[0].label
    assert "previous calendar year" in steps[1].label and steps[1].values == {"threshold": D(20000)}
    assert steps[2].values["rate"] == D("25.5")
    # at the threshold: voluntary, the previous-year step, no rate step
    steps = FIGURES["vat_threshold"]({"turnover": D(20000), "start_date": START}, TODAY)
    assert len(steps) == 2 and "voluntary" in steps[0].label and "previous calendar year" in steps[1].label
    # mid-2024: threshold 15 000 €, the year's turnover only, and the rate was still 24 % before 2024-09-01
    steps = FIGURES["vat_threshold"]({"turnover": D(16000), "start_date": date(2024, 6, 1)}, TODAY)
    assert len(steps) == 2
    assert steps[0].values["threshold"] == D(15000) and steps[1].values["rate"] == D(24)


def test_yel_contribution_figure_for_liisa() -> None:
    assert FIGURES["yel_contribution"]({"start_date": START}, TODAY) == ()
    steps = FIGURES["yel_contribution"]({"work_income": D(24000), "start_date": START}, TODAY)
    # 24 000 € ≥ 9 423.09 € (2026 figure, carried into 2027 as an estimate) → obligatory when the work lasts at
    # least 4 months, within 6 months; the 2027 rate is not known: 24.40 % (2026, all ages) as an estimate:
    # 24 000 × 24.40 % = 5 856.00 €; with the 22 % discount 5 856 × 0.78 = 4 567.68 €
    assert steps[0].values == {"income": D(24000), "threshold": D("9423.09"), "duration": 4}
    assert steps[0].estimate is True
    assert steps[1].values == {"months": 6}
    assert amounts(steps)[2:] == [D("5856.00"), D("4567.68")]
    assert steps[2].estimate is True and steps[2].values["rate"] == D("24.4")
    assert steps[3].values["discount"] == D(22) and steps[3].values["months"] == 48


def test_yel_contribution_figure_uses_the_founders_age() -> None:
    # 2025: 24 000 × 25.60 % = 6 144.00 € at 55 (ages 53-62), × 0.78 = 4 792.32 €;
    # 24 000 × 24.10 % = 5 784.00 € at 30, × 0.78 = 4 511.52 €
    at_55 = FIGURES["yel_contribution"]({"work_income": D(24000), "start_date": date(2025, 6, 1), "age": 55}, TODAY)
    assert [a for a in amounts(at_55) if a is not None] == [D("6144.00"), D("4792.32")]
    at_30 = FIGURES["yel_contribution"]({"work_income": D(24000), "start_date": date(2025, 6, 1), "age": 30}, TODAY)
    assert [a for a in amounts(at_30) if a is not None] == [D("5784.00"), D("4511.52")]
    # 17: not insured at all, one step saying why
    at_17 = FIGURES["yel_contribution"]({"work_income": D(24000), "start_date": START, "age": 17}, TODAY)
    assert len(at_17) == 1 and at_17[0].values == {"age": 17, "min_age": 18, "max_age": 68}
    assert "not obligatory" in at_17[0].label and at_17[0].amount is None


def test_yel_contribution_figure_in_2026_and_below_the_minimum() -> None:
    # 2026, confirmed, the same rate for all ages: 12 000 × 24.40 % = 2 928.00 €; × 0.78 = 2 283.84 €
    steps = FIGURES["yel_contribution"]({"work_income": D(12000), "start_date": date(2026, 12, 1)}, TODAY)
    assert amounts(steps)[2:] == [D("2928.00"), D("2283.84")]
    assert not any(s.estimate for s in steps)
    steps = FIGURES["yel_contribution"]({"work_income": D(9000), "start_date": date(2026, 12, 1)}, TODAY)
    assert len(steps) == 1 and "not obligatory" in steps[0].label and steps[0].amount is None


def test_start_up_grant_figure() -> None:
    steps = FIGURES["start_up_grant"]({"start_date": START}, TODAY)
    # 37.21 €/day; 37.21 × 21.5 = 800.015 → about 800 € a month; 6-12 months in periods of 6
    assert amounts(steps)[:2] == [D("37.21"), D(800)]
    assert steps[2].values == {"min_months": 6, "max_months": 12, "period_months": 6}
    assert "own risk" in steps[3].label  # since 2025 the business may start after applying
    # a 2024 start: the decision had to come first
    assert "get the decision before" in FIGURES["start_up_grant"]({"start_date": date(2024, 6, 1)}, TODAY)[3].label


def test_alcohol_licence_fee_figure() -> None:
    # the national 2024 tariff: 1 365 €, 950 € in certain cases; confirmed for 2024
    in_2024 = FIGURES["alcohol_licence_fee"]({"start_date": date(2024, 6, 1)}, TODAY)
    assert amounts(in_2024) == [D(1365)] and in_2024[0].values == {"fee": D(1365), "reduced": D(950)}
    assert in_2024[0].estimate is False and in_2024[0].valid_from == date(2024, 1, 1)
    # 2025-2026 fees unconfirmed (the Finnish Supervisory Agency took over on 2026-01-01): the 2024 tariff as
    # an estimate, still dated from 2024
    for start in (date(2025, 6, 1), date(2026, 12, 1), START):
        later = FIGURES["alcohol_licence_fee"]({"start_date": start}, TODAY)
        assert amounts(later) == [D(1365)] and later[0].values["reduced"] == D(950), start
        assert later[0].estimate is True and later[0].valid_from == date(2024, 1, 1), start
    assert "Alcohol Act" in in_2024[0].rule


# --- the checklist --------------------------------------------------------------------------------------


class FakeDirectory:
    """Contacts by service kind and municipality; records what the checklist asked for."""

    locale = "en"  # the language of the page the checklist is for: picks the organisations' English addresses

    def __init__(self, known: dict[tuple[str, str], Contact] | None = None) -> None:
        self.known = known or {}
        self.service_calls: list[tuple[str, str]] = []
        self.municipality_calls: list[tuple[str, str]] = []

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        self.municipality_calls.append((municipality_code, service))
        return None

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        self.service_calls.append((kind, municipality_code))
        return self.known.get((kind, municipality_code))


LIETO_FOOD = Contact(name="Lieto food control (test)", url="https://food.example", phone="+358 2 000 0001")

# Liisa's checklist in the event's order, with the due dates worked out from the start 2027-03-01 (a Monday).
# A legal time limit (before:/after: a parameter) on a Saturday, Sunday or holiday moves to the next weekday
# (Act 150/1930); practical advice (a literal offset) moves to the weekday before, so following it is never
# later than advised; "as soon as you can" (from today) and the start day itself do not move.
LIISA_CHECKLIST = {
    "get_business_advice": TODAY,  # from today: 2026-11-22, a Sunday, but not moved
    # full time; advice: start − 1 day = 2027-02-28, a Sunday → Friday 2027-02-26
    "apply_for_start_up_grant": date(2027, 2, 26),
    # tell_employment_services: she is not unemployed
    "choose_company_form": date(2027, 2, 15),  # start − 2 weeks = 2027-02-15 (Monday)
    "file_start_up_notice": date(2027, 2, 22),  # start − 1 week = 2027-02-22 (Monday)
    "register_prepayment": date(2027, 2, 22),  # start − 1 week
    "register_for_vat": START,  # 85 000 € > 20 000 €
    # the VAT for March (she starts on 1 March) by the 12th of the second month after it: Wednesday 2027-05-12
    "file_vat_returns": date(2027, 5, 12),
    "register_as_employer": START,  # 1 employee
    "take_out_yel": date(2027, 9, 1),  # 24 000 € ≥ 9 423.09 €; start + 6 months = 2027-09-01 (Wed)
    "take_out_myel": START,  # farming: MYEL with Mela, when she starts farming
    "insure_employees": START,
    "consider_other_insurance": START,
    # restaurant and farm shop, no food of animal origin processed: the notice is enough;
    # 2027-03-01 − 4 weeks (28 days) = 2027-02-01 (Monday)
    "notify_food_premises": date(2027, 2, 1),
    "notify_primary_production": START,  # the farm's own notice
    # serves alcohol; advice: start − 2 months = 2027-01-01, New Year's Day (Friday) → Thursday 2026-12-31
    "apply_for_alcohol_licence": date(2026, 12, 31),
    "join_organic_control": START,  # organic, produces food
    "register_animal_keeper": START,  # petting zoo
    "apply_for_farm_subsidies": None,  # farming; no deadline (a yearly application period)
    "arrange_bookkeeping": START,
}


def test_liisas_checklist_items_and_due_dates() -> None:
    directory = FakeDirectory({("food_control", "423"): LIETO_FOOD})
    entries = build_checklist(business(), liisa(), TODAY, directory)
    assert {e.item.id: e.due for e in entries} == LIISA_CHECKLIST
    assert [e.item.id for e in entries] == list(LIISA_CHECKLIST)  # the event's order
    assert not any(e.overdue for e in entries)  # advice is due today, which is not past
    # organisations "of the premises" are looked up by service kind in Lieto (423), nothing by municipality
    assert set(directory.service_calls) == {
        ("business_advice", "423"),
        ("employment_services", "423"),
        ("food_control", "423"),
        ("rural_business", "423"),
    }
    assert directory.municipality_calls == []


def test_liisas_checklist_contacts() -> None:
    entries = {
        e.item.id: e
        for e in build_checklist(business(), liisa(), TODAY, FakeDirectory({("food_control", "423"): LIETO_FOOD}))
    }
    # found in the directory: its details, under the organisation's name from the event file
    food_control = replace(LIETO_FOOD, name_msgid="The food control authority of your municipality")
    assert entries["notify_food_premises"].contact == food_control
    assert entries["notify_primary_production"].contact == food_control
    # not found: the event's own name only
    assert entries["register_animal_keeper"].contact == Contact(
        name_msgid="The rural business authority of your municipality"
    )

    # a fixed organisation with its address in the directory's language (English here)
    def shown(entry: Any) -> tuple[str | None, str | None]:
        return entry.contact.name_msgid, entry.contact.url

    assert shown(entries["file_start_up_notice"]) == (
        "Finnish Patent and Registration Office and Tax Administration (YTJ)",
        "https://www.ytj.fi/en",
    )
    assert shown(entries["take_out_myel"]) == (
        "Mela, the farmers' social insurance institution",
        "https://www.mela.fi/en",
    )
    # since 2026-01-01 alcohol licences are the Finnish Supervisory Agency's
    assert shown(entries["apply_for_alcohol_licence"]) == (
        "Finnish Supervisory Agency (Lupa- ja valvontavirasto), the licensing authority for alcohol",
        "https://avi.fi/en/services/businesses/licences-notices-and-applications/alcohol-serving-and-sales/"
        "alcohol-serving-licence",
    )


def test_liisas_checklist_figures() -> None:
    entries = {e.item.id: e for e in build_checklist(business(), liisa(), TODAY, FakeDirectory())}
    # "help": toiminimi 70 € (2024 figure) and oy 320 € (PRH's current list) with its guided / paper step
    assert amounts(entries["file_start_up_notice"].figures) == [D(70), D(320), None]
    assert all(f.estimate for f in entries["file_start_up_notice"].figures)
    assert entries["register_for_vat"].figures[0].values["threshold"] == D(20000)
    assert amounts(entries["take_out_yel"].figures)[2:] == [D("5856.00"), D("4567.68")]
    assert amounts(entries["apply_for_start_up_grant"].figures)[:2] == [D("37.21"), D(800)]
    # 1 365 €, the 2024 tariff, an estimate for a 2027 start
    alcohol = entries["apply_for_alcohol_licence"].figures
    assert amounts(alcohol) == [D(1365)] and alcohol[0].estimate is True
    assert entries["notify_food_premises"].figures == () and entries["arrange_bookkeeping"].figures == ()
    assert entries["take_out_myel"].figures == ()  # Mela confirms the MYEL income and contribution


CONSULTANT_CHECKLIST = {
    "get_business_advice": TODAY,
    # advice: 2027-01-15 (Friday) − 2 weeks = 2027-01-01, New Year's Day (Friday) → Thursday 2026-12-31
    "choose_company_form": date(2026, 12, 31),
    "file_start_up_notice": date(2027, 1, 8),  # − 1 week = 2027-01-08 (Friday)
    "register_prepayment": date(2027, 1, 8),
    "take_out_yel": date(2027, 7, 15),  # 12 000 € ≥ 9 423.09 €; + 6 months = 2027-07-15 (Thursday)
    "consider_other_insurance": date(2027, 1, 15),
    "arrange_bookkeeping": date(2027, 1, 15),
}


def test_consultants_checklist_has_no_vat_employer_food_or_grant_items() -> None:
    entries = build_checklist(business(), consultant(), TODAY, FakeDirectory())
    assert {e.item.id: e.due for e in entries} == CONSULTANT_CHECKLIST
    absent = {
        "register_for_vat",
        "register_as_employer",
        "insure_employees",
        "apply_for_start_up_grant",
        "tell_employment_services",
        "notify_food_premises",
        "apply_for_food_premises_approval",
        "notify_primary_production",
        "apply_for_alcohol_licence",
        "join_organic_control",
        "register_animal_keeper",
        "apply_for_farm_subsidies",
        "take_out_myel",
    }
    assert absent.isdisjoint(e.item.id for e in entries)
    fee = next(e for e in entries if e.item.id == "file_start_up_notice")
    assert amounts(fee.figures) == [D(70)]  # the chosen sole trader only


def test_checklist_thresholds_switch_the_vat_and_yel_items() -> None:
    def ids(**changes: str) -> set[str]:
        return {e.item.id for e in build_checklist(business(), consultant(**changes), TODAY, FakeDirectory())}

    assert "register_for_vat" not in ids(turnover="20000")
    assert "register_for_vat" in ids(turnover="20000,01")
    assert "take_out_yel" in ids(work_income="9423.09")
    assert "take_out_yel" not in ids(work_income="9423.08")


@pytest.mark.parametrize(
    "age, insured", [("17", False), ("18", True), ("52", True), ("68", True), ("69", False), ("", True)]
)
def test_checklist_yel_item_follows_the_founders_age(age: str, insured: bool) -> None:
    # 12 000 € ≥ 9 423.09 €; YEL covers ages 18 to 68; the age is optional (empty: assumed covered)
    answers = consultant(age=age)
    assert answers.get("age") == (int(age) if age else None)
    ids = {e.item.id for e in build_checklist(business(), answers, TODAY, FakeDirectory())}
    assert ("take_out_yel" in ids) is insured


@pytest.mark.parametrize(
    "age, kind, message",
    [
        ("14", "min", "Enter an age of at least 15"),
        ("101", "max", "Enter an age of at most 100"),
        ("twenty", "invalid", "Enter your age as a whole number, like 26"),
        ("26.5", "invalid", "Enter your age as a whole number, like 26"),
    ],
)
def test_founder_step_rejects_a_bad_age(age: str, kind: str, message: str) -> None:
    raw = {"full_time": "no", "unemployed": "no", "partners": "alone", "company_form": "toiminimi", "age": age}
    result = parse_step(business().step("founder"), raw, {}, TODAY, PLACES)
    assert [(q.id, e.kind, e.message) for q, e in result.errors] == [("age", kind, message)]


def test_checklist_tells_the_employment_services_when_unemployed() -> None:
    entries = {
        e.item.id: e.due for e in build_checklist(business(), consultant(unemployed="yes"), TODAY, FakeDirectory())
    }
    assert entries["tell_employment_services"] == date(2027, 1, 15)  # by the day you start (a Friday)


def test_stale_answers_of_hidden_questions_add_no_items() -> None:
    # organic, alcohol and animal origin answered, then the industries changed to services only
    answers = {**consultant(), "organic": True, "alcohol": True, "animal_origin": True}
    ids = {e.item.id for e in build_checklist(business(), answers, TODAY, FakeDirectory())}
    assert "join_organic_control" not in ids and "apply_for_alcohol_licence" not in ids
    assert "apply_for_food_premises_approval" not in ids and "notify_food_premises" not in ids


# --- food premises: the notice, or the approval for food of animal origin ---------------------------------


def test_processing_food_of_animal_origin_needs_the_approval_not_the_notice() -> None:
    entries = {
        e.item.id: e
        for e in build_checklist(
            business(), liisa(animal_origin="yes"), TODAY, FakeDirectory({("food_control", "423"): LIETO_FOOD})
        )
    }
    assert "notify_food_premises" not in entries  # a notice is not enough for these premises
    approval = entries["apply_for_food_premises_approval"]
    assert approval.due == START  # granted before she starts: 2027-03-01, a Monday, not moved
    assert approval.contact == replace(LIETO_FOOD, name_msgid="The food control authority of your municipality")
    assert "approval" in approval.item.why and "a notice is not enough" in approval.item.why
    assert "notify_primary_production" in entries  # the farm's own notice stays
    # without food of animal origin: the notice 4 weeks ahead, no approval
    ids = {e.item.id for e in build_checklist(business(), liisa(animal_origin="no"), TODAY, FakeDirectory())}
    assert "notify_food_premises" in ids and "apply_for_food_premises_approval" not in ids


def test_a_farm_alone_has_no_food_premises_task_but_its_own_notice() -> None:
    # farming only: neither the animal-origin nor the alcohol question is asked, so a stale yes counts for nothing
    answers = consultant(industries="farming", organic="no", animal_origin="yes")
    assert "animal_origin" not in answers
    ids = {e.item.id for e in build_checklist(business(), answers, TODAY, FakeDirectory())}
    assert {"notify_primary_production", "take_out_myel", "apply_for_farm_subsidies"} <= ids
    assert not ids & {"notify_food_premises", "apply_for_food_premises_approval"}


# --- farming: MYEL with Mela and the farm subsidies ----------------------------------------------------


def test_a_founder_who_only_farms_gets_myel_and_not_yel() -> None:
    # farming only, work income 12 000 € (≥ 9 423.09 €): the farming work is MYEL's, there is no other business
    answers = consultant(industries="farming", organic="no")
    ids = {e.item.id for e in build_checklist(business(), answers, TODAY, FakeDirectory())}
    assert "take_out_myel" in ids
    assert "take_out_yel" not in ids


def test_farming_gets_the_myel_task_with_mela() -> None:
    entries = {e.item.id: e for e in build_checklist(business(), liisa(), TODAY, FakeDirectory())}
    myel = entries["take_out_myel"]
    assert myel.due == START and myel.item.responsible == "mela"
    assert "MYEL" in myel.item.why and "Mela" in myel.item.why
    # her shop, restaurant and petting zoo are other business: YEL stays for that work
    assert "YEL" in myel.item.why.replace("MYEL", "") and "take_out_yel" in entries
    # no farming, no MYEL
    assert "take_out_myel" not in {e.item.id for e in build_checklist(business(), consultant(), TODAY, FakeDirectory())}


def test_farm_subsidies_name_the_yearly_application_period_without_inventing_dates() -> None:
    entries = {e.item.id: e for e in build_checklist(business(), liisa(), TODAY, FakeDirectory())}
    subsidies = entries["apply_for_farm_subsidies"]
    assert subsidies.due is None and subsidies.due_rule is None
    assert "once a year" in subsidies.item.how and "Finnish Food Authority publishes its dates" in subsidies.item.how
    # no day, month or year of its own: the dates are the Finnish Food Authority's to publish
    for text in (subsidies.item.why, subsidies.item.how):
        assert not re.search(r"\d", text), text
        assert not re.search(
            r"January|February|March|April|May|June|July|August|September|October|November|"
            r"December|spring|autumn",
            text,
        ), text


# --- deadlines off weekends and holidays (Act 150/1930) -------------------------------------------------


def food_starter(start: date, **changes: str) -> dict[str, Any]:
    """The consultant's answers for a farm shop (food, no animal origin) starting on ``start``."""
    return consultant(
        industries="food_retail",
        organic="no",
        animal_origin="no",
        **{"start_date-day": str(start.day), "start_date-month": str(start.month), "start_date-year": str(start.year)},
        **changes,
    )


@pytest.mark.parametrize(
    "start, notice, holiday",
    [
        # 2027-02-03 − 28 days = 2027-01-06, Epiphany (Wednesday) → Thursday 2027-01-07
        (date(2027, 2, 3), date(2027, 1, 7), "Epiphany"),
        # 2027-04-03 − 28 days = 2027-03-06, a Saturday → Monday 2027-03-08
        (date(2027, 4, 3), date(2027, 3, 8), None),
        # 2027-07-23 − 28 days = 2027-06-25, Midsummer Eve (Friday); Midsummer Day (Saturday), Sunday → Monday 2027-06-28
        (date(2027, 7, 23), date(2027, 6, 28), "Midsummer Eve"),
        # 2028-01-21 − 28 days = 2027-12-24, Christmas Eve (Friday); Saturday, Sunday → Monday 2027-12-27
        (date(2028, 1, 21), date(2027, 12, 27), "Christmas Eve"),
        # 2027-03-29 − 28 days = 2027-03-01, a Monday: stays
        (date(2027, 3, 29), date(2027, 3, 1), None),
    ],
)
def test_food_notice_deadline_moves_to_the_next_weekday(start: date, notice: date, holiday: str | None) -> None:
    from configurator.legal_calendar import holiday_name

    four_weeks_before = start - timedelta(weeks=4)
    assert holiday_name(four_weeks_before) == holiday  # the calendar agrees with the derivation above
    entries = {e.item.id: e.due for e in build_checklist(business(), food_starter(start), TODAY, FakeDirectory())}
    assert entries["notify_food_premises"] == notice
    assert entries["get_business_advice"] == TODAY  # as soon as you can: today, a Sunday, not moved


def test_yel_deadline_moves_off_a_holiday_but_the_start_day_itself_stays() -> None:
    # start on Ascension Day, Thursday 2027-05-06.
    # YEL, a counted time limit: 2027-05-06 + 6 months = 2027-11-06, All Saints' Day (Saturday), Sunday →
    # Monday 2027-11-08. The tasks due on the start day itself are no time limit: they stay on 2027-05-06.
    # Start-up notice: − 1 week = 2027-04-29 (Thursday), stays.
    entries = {
        e.item.id: e.due for e in build_checklist(business(), food_starter(date(2027, 5, 6)), TODAY, FakeDirectory())
    }
    assert entries["take_out_yel"] == date(2027, 11, 8)
    assert entries["arrange_bookkeeping"] == entries["consider_other_insurance"] == date(2027, 5, 6)
    assert entries["file_start_up_notice"] == date(2027, 4, 29)
    # 2027-05-06 − 4 weeks = 2027-04-08 (Thursday), stays
    assert entries["notify_food_premises"] == date(2027, 4, 8)


def test_texts_are_filled_with_the_figures_in_force() -> None:
    entries = {e.item.id: e for e in build_checklist(business(), liisa(), TODAY, FakeDirectory())}
    notice = entries["notify_food_premises"]
    # whole numbers, never "4.0 weeks"; the alcohol limit 0.028 as a percent number: 2.8
    assert dict(notice.values) == {
        "yel_deadline_months": 6,
        "food_notice_weeks": 4,
        "yel_min_age": 18,
        "yel_max_age": 68,
        "alcohol_percent": D("2.8"),
        "vat_due_day": 12,
    }
    assert all(type(v) is int for k, v in notice.values.items() if k != "alcohol_percent")
    assert notice.due_rule.explanation.format(**notice.values) == "At least 4 weeks before you start."
    assert "at least 4 weeks before you start" in notice.item.why.format(**notice.values)
    yel = entries["take_out_yel"]
    assert yel.due_rule.explanation.format(**yel.values) == "Within 6 months of starting."
    hint = business().question("age").hint.format(**yel.values)
    assert "aged 18 to 68" in hint
    alcohol = entries["apply_for_alcohol_licence"]
    assert alcohol.item.why.format(**alcohol.values).startswith("You will serve drinks with more than 2.8 % alcohol.")
    assert business().question("alcohol").hint.format(**alcohol.values) == (
        "Serving drinks with more than 2.8 % alcohol needs a licence."
    )


# --- the journey: show-if on the idea step --------------------------------------------------------------


@pytest.mark.parametrize(
    "industries, shown",
    [
        ("food_service", {"industries", "organic", "animal_origin", "alcohol"}),
        ("food_retail", {"industries", "organic", "animal_origin"}),
        ("farming,animals", {"industries", "organic"}),  # primary production: no food premises question
        ("services", {"industries"}),
    ],
)
def test_idea_step_asks_organic_animal_origin_and_alcohol_only_when_relevant(industries: str, shown: set[str]) -> None:
    result = parse_step(business().step("idea"), {"industries": industries}, {}, TODAY, PLACES)
    missing = {q.id for q, _ in result.errors}
    assert missing == shown - {"industries"}  # the shown follow-up questions are required
    assert set(result.answers) | missing == shown


# --- the company-forms comparison -----------------------------------------------------------------------


def company_forms(answers: dict[str, Any]) -> CompanyFormComparison:
    return build_company_forms({}, answers, TODAY, Sources())


def test_company_forms_for_liisa_alone_with_help() -> None:
    cmp = company_forms(liisa())
    assert cmp.start == START and cmp.chosen is None and cmp.costs is None
    assert [(r.facts.form, r.recommendation.fits, r.chosen) for r in cmp.rows] == [
        ("toiminimi", True, False),
        ("oy", True, False),
        ("ay", False, False),
        ("ky", False, False),
    ]
    # 2027: toiminimi 70 € (2024), oy 320 € (PRH's current list), ay / ky 280 € (2024)
    assert [r.facts.registration_fee for r in cmp.rows] == [D(70), D(320), D(280), D(280)]
    assert cmp.estimate is True  # the fees after 2024 are not confirmed
    toiminimi = cmp.rows[0].recommendation
    # food and alcohol are a risky line of business; 85 000 € is over the VAT threshold for every form
    assert any("risky line of business" in r for r in toiminimi.reasons)
    assert all(any("VAT registration threshold" in r for r in row.recommendation.reasons) for row in cmp.rows)
    assert toiminimi.values["vat_threshold"] == D(20000)
    # corporate income tax for a 2027 start: 18 % (government decision, enactment unconfirmed)
    assert cmp.rows[1].facts.values["corporate_tax_rate"] == D(18)


def test_company_forms_with_partners() -> None:
    cmp = company_forms(liisa(partners="partners"))
    assert [r.recommendation.fits for r in cmp.rows] == [False, True, True, True]


def test_company_forms_chosen_form_gives_the_start_costs() -> None:
    cmp = company_forms(liisa(company_form="toiminimi"))
    assert cmp.chosen == "toiminimi" and [r.chosen for r in cmp.rows] == [True, False, False, False]
    costs = cmp.costs
    # 70 € fee; 85 000 € > 20 000 € → VAT; a sole trader is a YEL entrepreneur and 24 000 € ≥ 9 423.09 €
    assert (costs.company_form, costs.registration_fee, costs.vat_required, costs.yel_required, costs.yel_applies) == (
        "toiminimi",
        D(70),
        True,
        True,
        True,
    )
    assert costs.yel.contribution == D("5856.00")
    oy = company_forms(liisa(company_form="oy")).costs
    # 320 € (2027, PRH's current list as an estimate); an oy owner's YEL depends on the shareholding, not asked
    # here: the threshold test alone
    assert (oy.registration_fee, oy.yel_applies, oy.yel_required) == (D(320), None, True)
    assert oy.registration.estimate is True


def test_company_forms_for_the_consultant() -> None:
    cmp = company_forms(consultant())
    costs = cmp.costs
    assert (costs.registration_fee, costs.vat_required, costs.yel_required) == (D(70), False, True)
    # no food, no alcohol, no employees, under the VAT threshold: neither note
    reasons = [r for row in cmp.rows for r in row.recommendation.reasons]
    assert not any("risky" in r or "VAT" in r for r in reasons)


def test_company_forms_needs_partners_and_costs_need_the_money_answers() -> None:
    with pytest.raises(KeyError):
        company_forms({"company_form": "oy"})
    assert company_forms({"partners": "alone", "company_form": "oy"}).costs is None
    assert company_forms({"partners": "alone", "company_form": "oy", "turnover": D(0)}).costs is None
    assert (
        company_forms({"partners": "alone", "company_form": "oy", "turnover": D(0), "work_income": D(0)}).costs
        is not None
    )


def test_running_estimate_of_the_business_event_is_the_company_forms() -> None:
    event = business()
    assert try_comparison(event, {"company_form": "help"}, TODAY, Sources()) is None  # partners not answered
    preview = try_comparison(event, {"partners": "alone", "company_form": "help"}, TODAY, Sources())
    assert isinstance(preview, CompanyFormComparison) and preview.start == TODAY


# --- the nearby-services comparison ---------------------------------------------------------------------


def point(id_: int, kind: str, lat: float, lon: float, serves: set[str], **extra: Any) -> ServicePointRecord:
    return ServicePointRecord(
        id=id_,
        kind=kind,
        service_name={"en": f"{kind} {id_}"},
        organisation="Org",
        name=f"Point {id_}",
        name_sv=None,
        street_address="Street 1",
        postal_code="20100",
        municipality_code="853",
        latitude=lat,
        longitude=lon,
        languages=("fi",),
        serves_municipalities=frozenset(serves),
        **extra,
    )


class FakeServiceCatalogue:
    """Points by kind that serve the municipality (as the SQL catalogue answers); records each query."""

    def __init__(self, points: list[ServicePointRecord]) -> None:
        self.points = points
        self.queries: list[tuple[tuple[str, ...], str, datetime]] = []

    def service_points(self, kinds: tuple[str, ...], municipality_code: str, now: datetime) -> list[ServicePointRecord]:
        self.queries.append((kinds, municipality_code, now))
        return [p for p in self.points if p.kind in kinds and p.serves(municipality_code)]


NOW = datetime(2026, 11, 22, 9, 0)
# Around Lieto centre (60.5040, 22.4570): 0.01° of latitude is about 1.1 km
POINTS = [
    point(11, "business_advice", 60.6040, 22.4570, {"423"}),  # ~11.1 km north
    point(12, "business_advice", 60.5140, 22.4570, {"423"}),  # ~1.1 km north
    point(13, "business_advice", 60.5040, 22.4570, {"202"}),  # serves Kaarina only
    point(21, "food_control", 60.4518, 22.2666, {"423", "853"}, next_free_appointment=datetime(2026, 11, 24, 9)),
    point(31, "employment_services", 60.5240, 22.4570, {"423"}),
    point(32, "employment_services", 60.4840, 22.4570, {"423"}),  # same distance as 31: by id
    point(41, "health_centre", 60.5040, 22.4570, {"423"}),  # a kind the event does not ask for
]


def services_options() -> dict[str, Any]:
    return dict(next(c for c in business().comparisons if c.kind == "nearby_services").options)


def services(answers: dict[str, Any]) -> tuple[ServiceComparison, FakeServiceCatalogue]:
    catalogue = FakeServiceCatalogue(POINTS)
    return build_services(services_options(), answers, TODAY, Sources(services=catalogue, now=NOW)), catalogue


def test_wanted_service_kinds_follow_the_when_conditions() -> None:
    options = services_options()
    # Liisa works full time, sells and serves food and farms
    assert wanted_kinds(options, liisa(), TODAY) == (
        "business_advice",
        "employment_services",
        "food_control",
        "rural_business",
    )
    # the consultant: part time, services only
    assert wanted_kinds(options, consultant(), TODAY) == ("business_advice",)
    assert wanted_kinds(options, consultant(industries="food_retail", organic="no", animal_origin="no"), TODAY) == (
        "business_advice",
        "food_control",
    )


def test_nearby_services_for_liisa_sorted_by_kind_then_distance() -> None:
    cmp, catalogue = services(liisa())
    assert catalogue.queries == [
        (("business_advice", "employment_services", "food_control", "rural_business"), "423", NOW)
    ]
    assert cmp.near == "premises"
    assert [r.point.id for r in cmp.rows] == [12, 11, 31, 32, 21]
    assert cmp.missing_kinds == ("rural_business",)  # asked for, no point serves Lieto
    assert [r.point.id for r in cmp.rows_of("employment_services")] == [31, 32]
    distances = {r.point.id: r.distance_km for r in cmp.rows}
    assert distances[12] == round(distance_km(60.5040, 22.4570, 60.5140, 22.4570), 1) == 1.1
    assert distances[11] == 11.1 and distances[31] == distances[32] == 2.2
    assert cmp.rows_of("food_control")[0].point.next_free_appointment == datetime(2026, 11, 24, 9)


def test_nearby_services_for_the_consultant_and_when_no_kind_applies() -> None:
    cmp, catalogue = services(consultant())  # Turku 853: the advice points serve only Lieto or Kaarina
    assert catalogue.queries[0][:2] == (("business_advice",), "853")
    assert cmp.rows == () and cmp.missing_kinds == ("business_advice",)
    only_food = {"near": "premises", "services": [{"kind": "food_control", "when": "food_business"}]}
    catalogue = FakeServiceCatalogue(POINTS)
    cmp = build_services(only_food, consultant(), TODAY, Sources(services=catalogue, now=NOW))
    assert cmp.kinds == () and cmp.rows == () and cmp.missing_kinds == ()
    assert catalogue.queries == []  # nothing to ask


def test_nearby_services_needs_the_premises_answer() -> None:
    answers = {k: v for k, v in liisa().items() if k != "premises"}
    with pytest.raises(KeyError):
        services(answers)
    # as the first comparison of an event, the running estimate waits for the premises
    event = replace(business(), comparisons=(ComparisonSpec("nearby_services", services_options()),))
    sources = Sources(services=FakeServiceCatalogue(POINTS), now=NOW)
    assert try_comparison(event, answers, TODAY, sources) is None
    assert isinstance(try_comparison(event, liisa(), TODAY, sources), ServiceComparison)


def test_nearby_services_uses_the_premises_point() -> None:
    answers = {**liisa(), "premises": LocationAnswer(Place(60.6040, 22.4570, "423", None, precise=True))}
    cmp, _ = services(answers)
    assert [r.point.id for r in cmp.rows_of("business_advice")] == [11, 12]  # now 11 is the nearest


@pytest.mark.parametrize(
    "options, message",
    [
        ({"near": "start_date", "services": [{"kind": "business_advice"}]}, "location question"),
        ({"near": "premises", "services": []}, "at least one"),
        ({"near": "premises", "services": [{"kind": "tax_office"}]}, "unknown service kind"),
        ({"near": "premises", "services": [{"kind": "food_control", "when": "not eats_food"}]}, "unknown predicate"),
    ],
)
def test_nearby_services_option_check(options: dict[str, Any], message: str) -> None:
    questions = {q.id: q for q in business().questions()}
    with pytest.raises(ComparisonOptionsError, match=message):
        check_options(options, questions)


def test_liisas_plan_has_both_comparisons() -> None:
    sources = Sources(services=FakeServiceCatalogue(POINTS), now=NOW)
    plan = make_plan(business(), liisa(), TODAY, sources, FakeDirectory())
    assert [c.kind for c in plan.comparisons] == ["company_forms", "nearby_services"]
    assert isinstance(plan.comparison, CompanyFormComparison)  # the first
    assert [r.point.id for r in plan.comparison_of("nearby_services").rows] == [12, 11, 31, 32, 21]
    assert [e.item.id for e in plan.checklist] == list(LIISA_CHECKLIST)
    assert set(COMPARISONS) >= {"company_forms", "nearby_services"}


# --- the "choices" question type ------------------------------------------------------------------------

CTX = ParseContext(TODAY, PLACES, {})


def parse_choices(text: str) -> tuple[str, ...]:
    return parse_value("industries", "choices", {"industries": text}, CTX, INDUSTRIES)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("farming", ("farming",)),
        ("food_service,farming", ("food_service", "farming")),
        ("animals,food_service", ("food_service", "animals")),  # the options' order, not the posted order
        (" transport , retail ", ("retail", "transport")),
        ("farming,farming", ("farming",)),
        ("farming,,animals,", ("farming", "animals")),
    ],
)
def test_choices_parse(text: str, expected: tuple[str, ...]) -> None:
    assert parse_choices(text) == expected


@pytest.mark.parametrize("text", ["bakery", "farming,bakery", "Farming", ",", "food service"])
def test_choices_reject_unknown_options(text: str) -> None:
    with pytest.raises(AnswerError) as error:
        parse_choices(text)
    assert error.value.field == "industries" and error.value.kind == "invalid"
    assert error.value.message == DEFAULT_ERRORS["invalid.choices"]


def test_choices_required_uses_the_event_message() -> None:
    question = business().question("industries")
    with pytest.raises(AnswerError) as error:
        parse_question(question, {"industries": "  "}, CTX)
    assert error.value.kind == "required" and error.value.message == "Select what your business will do"


@pytest.mark.parametrize(
    "value, raw",
    [
        (["food_service", "farming"], {"industries": "food_service,farming"}),
        (("farming",), {"industries": "farming"}),
        ([], {"industries": ""}),
        ("farming,animals", {"industries": "farming,animals"}),
        (None, {}),
    ],
)
def test_choices_raw_from_json(value: Any, raw: dict[str, str]) -> None:
    assert raw_from_json("industries", "choices", value) == raw


def test_choices_json_round_trip_through_the_step() -> None:
    raw = raw_from_json("industries", "choices", ["animals", "farming"])
    raw |= raw_from_json("organic", "yesno", False)
    result = parse_step(business().step("idea"), raw, {}, TODAY, PLACES)
    assert result.ok and result.answers == {"industries": ("farming", "animals"), "organic": False}
