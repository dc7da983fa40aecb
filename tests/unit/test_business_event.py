"""The starting-a-business life event (configurator/events/business.yaml) on the generalized engine.

Expected figures and dates are derived by hand from /work/shared/reference/rules-facts.md section 3
(the arithmetic is in the comments), never copied from the code's output:

- PRH start-up notice (regulation 1247/2023, confirmed for 2024): toiminimi 70 €, oy / ay / ky 280 €;
  the later price list has no confirmed validity date, so from 2025 the 2024 figure is an estimate.
- VAT registration obligatory when the year's turnover EXCEEDS 20 000 € (from 2025-01-01; 15 000 €
  before); general rate 25.5 % from 2024-09-01 (24 % before).
- YEL obligatory when the work income is AT LEAST 9 208.43 € (2025) / 9 423.09 € (2026); rate 24.40 %
  (2026), first-time entrepreneurs 22 % off for 48 months, insure within 6 months of starting.
- Start-up grant 37.21 €/day, about 800 €/month, 6-12 months in 6-month periods; since 2025 the
  business may start after applying.
- Food premises notice at least 4 weeks before starting; alcohol licence (the event asks 2 months ahead).

"Today" is 2026-11-22 as in tests/conftest.py. Liisa (tests/helpers.py LIISA_STEPS): organic farm,
farm shop, organic restaurant serving alcohol and a petting zoo in Lieto (21420, municipality 423),
alone, "help me choose", turnover 85 000 €, work income 24 000 €, one employee, start 2027-03-01.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date, datetime
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
    return {name: ",".join(value) if isinstance(value, list) else value
            for fields in steps.values() for name, value in fields.items()}


LIISA_RAW = flat(LIISA_STEPS)

# A part-time consultant starting alone as a sole trader in Turku on 2027-01-15: turnover 15 000 €
# (under the VAT threshold), work income 12 000 € (over the YEL minimum), nobody employed.
CONSULTANT_RAW = {
    "industries": "services", "full_time": "no", "unemployed": "no", "partners": "alone",
    "company_form": "toiminimi", "turnover": "15000", "work_income": "12000", "employees": "0",
    "premises-postal_code": "20100", "start_date-day": "15", "start_date-month": "1", "start_date-year": "2027",
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
    assert len(ids) == len(set(ids)) == 17
    assert {name for item in event.checklist for name in item.figures} == {
        "registration_fee", "vat_threshold", "yel_contribution", "start_up_grant"}
    # the organisations found by service kind in the premises' municipality
    by_kind = {o.id: o.service_kind for o in event.organisations.values() if o.municipality_of == "premises"}
    assert by_kind == {"enterprise_agency": "business_advice", "employment_services": "employment_services",
                       "food_control": "food_control", "rural_business": "rural_business"}


def _business_data() -> dict[str, Any]:
    return yaml.safe_load((EVENTS_DIR / "business.yaml").read_text(encoding="utf-8"))


def _services_entry(data: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in data["comparisons"] if c["kind"] == "nearby_services")


@pytest.mark.parametrize("break_it, message", [
    (lambda d: _services_entry(d)["services"].append({"kind": "food_control", "when": "sells_food"}),
     "unknown predicate 'sells_food'"),
    (lambda d: _services_entry(d)["services"].append({"kind": "bakery_advice"}), "unknown service kind"),
    (lambda d: _services_entry(d).update(near="start_date"), "'near' must name a location question"),
    (lambda d: d["checklist"][0].update(figures=["registration_cost"]), "unknown figure 'registration_cost'"),
    (lambda d: d["steps"][0]["questions"][0]["options"].append({"value": "a,b", "label": "x"}), "no commas"),
    (lambda d: d["organisations"][0].update(service_kind="bakery"), "service_kind must be one of"),
    (lambda d: d["checklist"][2].update(show_if="unemployed_now"), "unknown predicate 'unemployed_now'"),
])
def test_loader_rejects_broken_references_in_the_business_file(break_it, message: str) -> None:
    data = _business_data()
    parse_life_event(copy.deepcopy(data), "business.yaml")  # the file itself is valid
    break_it(data)
    with pytest.raises(LifeEventError, match=message):
        parse_life_event(data, "business.yaml")


def test_every_condition_in_the_business_file_names_a_registered_predicate() -> None:
    text = (EVENTS_DIR / "business.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    names = {q.get("show_if") for s in data["steps"] for q in s["questions"]} | {
        i.get("show_if") for i in data["checklist"]} | {e.get("when") for e in _services_entry(data)["services"]}
    names.discard(None)
    assert names and names <= set(PREDICATES)


# --- predicates -----------------------------------------------------------------------------------------


def on(start: date | None, **answers: Any) -> dict[str, Any]:
    return {**answers, "start_date": start} if start else answers


VAT_CASES = [
    # from 2025-01-01 the threshold is 20 000 € and registration is obligatory only OVER it
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
]


@pytest.mark.parametrize("answers, expected", YEL_CASES)
def test_yel_insurance_required(answers: dict[str, Any], expected: bool) -> None:
    assert PREDICATES["yel_insurance_required"](answers, TODAY) is expected


def test_yel_without_start_date_uses_today() -> None:
    answers = {"work_income": D("9300")}
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
    assert amounts(FIGURES["registration_fee"]({"company_form": "oy", "start_date": START}, TODAY)) == [D(280)]
    # a 2024 start uses the confirmed figure
    in_2024 = FIGURES["registration_fee"]({"company_form": "ay", "start_date": date(2024, 6, 1)}, TODAY)
    assert amounts(in_2024) == [D(280)] and in_2024[0].estimate is False


def test_registration_fee_with_help_lists_the_fitting_forms() -> None:
    # alone: toiminimi (one owner) and oy (one or more) fit; ay and ky need two partners
    alone = {"company_form": "help", "partners": "alone", "start_date": START}
    assert chosen_or_fitting_forms(alone, TODAY) == ("toiminimi", "oy")
    assert amounts(FIGURES["registration_fee"](alone, TODAY)) == [D(70), D(280)]
    # with partners: oy, ay, ky at 280 € each; a sole trader has only one owner
    partners = {**alone, "partners": "partners"}
    assert chosen_or_fitting_forms(partners, TODAY) == ("oy", "ay", "ky")
    steps = FIGURES["registration_fee"](partners, TODAY)
    assert amounts(steps) == [D(280)] * 3
    assert ["(oy)" in steps[0].label, "(ay)" in steps[1].label, "(ky)" in steps[2].label] == [True] * 3


def test_vat_threshold_figure() -> None:
    assert FIGURES["vat_threshold"]({"start_date": START}, TODAY) == ()
    # Liisa: 85 000 € > 20 000 € → obligatory, and the general rate 25.5 % applies
    steps = FIGURES["vat_threshold"]({"turnover": D(85000), "start_date": START}, TODAY)
    assert len(steps) == 2
    assert steps[0].values == {"turnover": D(85000), "threshold": D(20000)} and "obligatory" in steps[0].label
    assert steps[1].values["rate"] == D("25.5")
    # at the threshold: voluntary, no rate step
    steps = FIGURES["vat_threshold"]({"turnover": D(20000), "start_date": START}, TODAY)
    assert len(steps) == 1 and "voluntary" in steps[0].label
    # mid-2024: threshold 15 000 €, and the rate was still 24 % before 2024-09-01
    steps = FIGURES["vat_threshold"]({"turnover": D(16000), "start_date": date(2024, 6, 1)}, TODAY)
    assert steps[0].values["threshold"] == D(15000) and steps[1].values["rate"] == D(24)


def test_yel_contribution_figure_for_liisa() -> None:
    assert FIGURES["yel_contribution"]({"start_date": START}, TODAY) == ()
    steps = FIGURES["yel_contribution"]({"work_income": D(24000), "start_date": START}, TODAY)
    # 24 000 € ≥ 9 423.09 € (2026 figure, carried into 2027 as an estimate) → obligatory, within 6 months;
    # 24 000 × 24.40 % = 5 856.00 €; with the 22 % discount 5 856 × 0.78 = 4 567.68 €
    assert steps[0].values == {"income": D(24000), "threshold": D("9423.09")} and steps[0].estimate is True
    assert steps[1].values == {"months": 6}
    assert amounts(steps)[2:] == [D("5856.00"), D("4567.68")]
    assert steps[3].values["discount"] == D(22) and steps[3].values["months"] == 48


def test_yel_contribution_figure_in_2026_and_below_the_minimum() -> None:
    # 2026, confirmed: 12 000 × 24.40 % = 2 928.00 €; × 0.78 = 2 283.84 €
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


# --- the checklist --------------------------------------------------------------------------------------


class FakeDirectory:
    """Contacts by service kind and municipality; records what the checklist asked for."""

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

# Liisa's checklist in the event's order, with the due dates worked out from the start 2027-03-01:
LIISA_CHECKLIST = {
    "get_business_advice": TODAY,                    # from today
    "apply_for_start_up_grant": date(2027, 2, 28),   # full time; start − 1 day
    # tell_employment_services: she is not unemployed
    "choose_company_form": date(2027, 2, 15),        # start − 2 weeks
    "file_start_up_notice": date(2027, 2, 22),       # start − 1 week
    "register_prepayment": date(2027, 2, 22),        # start − 1 week
    "register_for_vat": START,                       # 85 000 € > 20 000 €
    "register_as_employer": START,                   # 1 employee
    "take_out_yel": date(2027, 9, 1),                # 24 000 € ≥ 9 423.09 €; start + 6 months
    "insure_employees": START,
    "consider_other_insurance": START,
    "notify_food_premises": date(2027, 2, 1),        # restaurant and farm shop; start − 4 weeks (28 days)
    "apply_for_alcohol_licence": date(2027, 1, 1),   # serves alcohol; start − 2 months
    "join_organic_control": START,                   # organic, produces food
    "register_animal_keeper": START,                 # petting zoo
    "apply_for_farm_subsidies": None,                # farming; no deadline (application periods)
    "arrange_bookkeeping": START,
}


def test_liisas_checklist_items_and_due_dates() -> None:
    directory = FakeDirectory({("food_control", "423"): LIETO_FOOD})
    entries = build_checklist(business(), liisa(), TODAY, directory)
    assert {e.item.id: e.due for e in entries} == LIISA_CHECKLIST
    assert [e.item.id for e in entries] == list(LIISA_CHECKLIST)  # the event's order
    assert not any(e.overdue for e in entries)  # advice is due today, which is not past
    # organisations "of the premises" are looked up by service kind in Lieto (423), nothing by municipality
    assert set(directory.service_calls) == {("business_advice", "423"), ("employment_services", "423"),
                                            ("food_control", "423"), ("rural_business", "423")}
    assert directory.municipality_calls == []


def test_liisas_checklist_contacts() -> None:
    entries = {e.item.id: e for e in build_checklist(business(), liisa(), TODAY,
                                                     FakeDirectory({("food_control", "423"): LIETO_FOOD}))}
    # found in the directory: its details, under the organisation's name from the event file
    assert entries["notify_food_premises"].contact == replace(
        LIETO_FOOD, name_msgid="The food control authority of your municipality")
    # not found: the event's own name only
    assert entries["register_animal_keeper"].contact == Contact(
        name_msgid="The rural business authority of your municipality")
    # a fixed organisation with its address
    assert entries["file_start_up_notice"].contact == Contact(
        name_msgid="Finnish Patent and Registration Office and Tax Administration (YTJ)", url="https://www.ytj.fi/en")


def test_liisas_checklist_figures() -> None:
    entries = {e.item.id: e for e in build_checklist(business(), liisa(), TODAY, FakeDirectory())}
    assert amounts(entries["file_start_up_notice"].figures) == [D(70), D(280)]  # "help": toiminimi and oy
    assert entries["register_for_vat"].figures[0].values["threshold"] == D(20000)
    assert amounts(entries["take_out_yel"].figures)[2:] == [D("5856.00"), D("4567.68")]
    assert amounts(entries["apply_for_start_up_grant"].figures)[:2] == [D("37.21"), D(800)]
    assert entries["notify_food_premises"].figures == () and entries["arrange_bookkeeping"].figures == ()


CONSULTANT_CHECKLIST = {
    "get_business_advice": TODAY,
    "choose_company_form": date(2027, 1, 1),     # 2027-01-15 − 2 weeks
    "file_start_up_notice": date(2027, 1, 8),    # − 1 week
    "register_prepayment": date(2027, 1, 8),
    "take_out_yel": date(2027, 7, 15),           # 12 000 € ≥ 9 423.09 €; + 6 months
    "consider_other_insurance": date(2027, 1, 15),
    "arrange_bookkeeping": date(2027, 1, 15),
}


def test_consultants_checklist_has_no_vat_employer_food_or_grant_items() -> None:
    entries = build_checklist(business(), consultant(), TODAY, FakeDirectory())
    assert {e.item.id: e.due for e in entries} == CONSULTANT_CHECKLIST
    absent = {"register_for_vat", "register_as_employer", "insure_employees", "apply_for_start_up_grant",
              "tell_employment_services", "notify_food_premises", "apply_for_alcohol_licence",
              "join_organic_control", "register_animal_keeper", "apply_for_farm_subsidies"}
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


def test_checklist_tells_the_employment_services_when_unemployed() -> None:
    entries = {e.item.id: e.due for e in build_checklist(business(), consultant(unemployed="yes"), TODAY,
                                                          FakeDirectory())}
    assert entries["tell_employment_services"] == date(2027, 1, 15)  # by the day you start


def test_stale_answers_of_hidden_questions_add_no_items() -> None:
    # organic and alcohol answered, then the industries changed to services only
    answers = {**consultant(), "organic": True, "alcohol": True}
    ids = {e.item.id for e in build_checklist(business(), answers, TODAY, FakeDirectory())}
    assert "join_organic_control" not in ids and "apply_for_alcohol_licence" not in ids


# --- the journey: show-if on the idea step --------------------------------------------------------------


@pytest.mark.parametrize("industries, shown", [
    ("food_service", {"industries", "organic", "alcohol"}),
    ("food_retail", {"industries", "organic"}),
    ("farming,animals", {"industries", "organic"}),
    ("services", {"industries"}),
])
def test_idea_step_asks_organic_and_alcohol_only_when_relevant(industries: str, shown: set[str]) -> None:
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
        ("toiminimi", True, False), ("oy", True, False), ("ay", False, False), ("ky", False, False)]
    assert [r.facts.registration_fee for r in cmp.rows] == [D(70), D(280), D(280), D(280)]
    assert cmp.estimate is True  # the fees after 2024 are not confirmed
    toiminimi = cmp.rows[0].recommendation
    # food and alcohol are a risky line of business; 85 000 € is over the VAT threshold for every form
    assert any("risky line of business" in r for r in toiminimi.reasons)
    assert all(any("VAT registration threshold" in r for r in row.recommendation.reasons) for row in cmp.rows)
    assert toiminimi.values["vat_threshold"] == D(20000)


def test_company_forms_with_partners() -> None:
    cmp = company_forms(liisa(partners="partners"))
    assert [r.recommendation.fits for r in cmp.rows] == [False, True, True, True]


def test_company_forms_chosen_form_gives_the_start_costs() -> None:
    cmp = company_forms(liisa(company_form="toiminimi"))
    assert cmp.chosen == "toiminimi" and [r.chosen for r in cmp.rows] == [True, False, False, False]
    costs = cmp.costs
    # 70 € fee; 85 000 € > 20 000 € → VAT; a sole trader is a YEL entrepreneur and 24 000 € ≥ 9 423.09 €
    assert (costs.company_form, costs.registration_fee, costs.vat_required, costs.yel_required,
            costs.yel_applies) == ("toiminimi", D(70), True, True, True)
    assert costs.yel.contribution == D("5856.00")
    oy = company_forms(liisa(company_form="oy")).costs
    # 280 €; an oy owner's YEL depends on the shareholding, not asked here: the threshold test alone
    assert (oy.registration_fee, oy.yel_applies, oy.yel_required) == (D(280), None, True)


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
    assert company_forms({"partners": "alone", "company_form": "oy", "turnover": D(0),
                          "work_income": D(0)}).costs is not None


def test_running_estimate_of_the_business_event_is_the_company_forms() -> None:
    event = business()
    assert try_comparison(event, {"company_form": "help"}, TODAY, Sources()) is None  # partners not answered
    preview = try_comparison(event, {"partners": "alone", "company_form": "help"}, TODAY, Sources())
    assert isinstance(preview, CompanyFormComparison) and preview.start == TODAY


# --- the nearby-services comparison ---------------------------------------------------------------------


def point(id_: int, kind: str, lat: float, lon: float, serves: set[str], **extra: Any) -> ServicePointRecord:
    return ServicePointRecord(
        id=id_, kind=kind, service_name={"en": f"{kind} {id_}"}, organisation="Org", name=f"Point {id_}",
        name_sv=None, street_address="Street 1", postal_code="20100", municipality_code="853",
        latitude=lat, longitude=lon, languages=("fi",), serves_municipalities=frozenset(serves), **extra)


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
    point(11, "business_advice", 60.6040, 22.4570, {"423"}),   # ~11.1 km north
    point(12, "business_advice", 60.5140, 22.4570, {"423"}),   # ~1.1 km north
    point(13, "business_advice", 60.5040, 22.4570, {"202"}),   # serves Kaarina only
    point(21, "food_control", 60.4518, 22.2666, {"423", "853"}, next_free_appointment=datetime(2026, 11, 24, 9)),
    point(31, "employment_services", 60.5240, 22.4570, {"423"}),
    point(32, "employment_services", 60.4840, 22.4570, {"423"}),  # same distance as 31: by id
    point(41, "health_centre", 60.5040, 22.4570, {"423"}),     # a kind the event does not ask for
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
        "business_advice", "employment_services", "food_control", "rural_business")
    # the consultant: part time, services only
    assert wanted_kinds(options, consultant(), TODAY) == ("business_advice",)
    assert wanted_kinds(options, consultant(industries="food_retail", organic="no"), TODAY) == (
        "business_advice", "food_control")


def test_nearby_services_for_liisa_sorted_by_kind_then_distance() -> None:
    cmp, catalogue = services(liisa())
    assert catalogue.queries == [(("business_advice", "employment_services", "food_control", "rural_business"),
                                  "423", NOW)]
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


@pytest.mark.parametrize("options, message", [
    ({"near": "start_date", "services": [{"kind": "business_advice"}]}, "location question"),
    ({"near": "premises", "services": []}, "at least one"),
    ({"near": "premises", "services": [{"kind": "tax_office"}]}, "unknown service kind"),
    ({"near": "premises", "services": [{"kind": "food_control", "when": "not eats_food"}]}, "unknown predicate"),
])
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


@pytest.mark.parametrize("text, expected", [
    ("farming", ("farming",)),
    ("food_service,farming", ("food_service", "farming")),
    ("animals,food_service", ("food_service", "animals")),  # the options' order, not the posted order
    (" transport , retail ", ("retail", "transport")),
    ("farming,farming", ("farming",)),
    ("farming,,animals,", ("farming", "animals")),
])
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


@pytest.mark.parametrize("value, raw", [
    (["food_service", "farming"], {"industries": "food_service,farming"}),
    (("farming",), {"industries": "farming"}),
    ([], {"industries": ""}),
    ("farming,animals", {"industries": "farming,animals"}),
    (None, {}),
])
def test_choices_raw_from_json(value: Any, raw: dict[str, str]) -> None:
    assert raw_from_json("industries", "choices", value) == raw


def test_choices_json_round_trip_through_the_step() -> None:
    raw = raw_from_json("industries", "choices", ["animals", "farming"])
    raw |= raw_from_json("organic", "yesno", False)
    result = parse_step(business().step("idea"), raw, {}, TODAY, PLACES)
    assert result.ok and result.answers == {"industries": ("farming", "animals"), "organic": False}
