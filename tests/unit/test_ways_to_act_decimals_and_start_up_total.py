"""The small things of issue 12, item 8, in the domain: every task has a way to act (an organisation's address,
the municipality's or service's contact, or a "how" that says what to look for), hours like 37,5, a date box
with "3.", and the start-up total of a company form (figures derived by hand in the comments)."""

from __future__ import annotations

import copy
import re
from datetime import date
from decimal import Decimal as D

import pytest
import yaml

from configurator.answers import AnswerError, ParseContext, parse_value
from configurator.geo import Place, StaticPlaces
from configurator.journey import parse_question
from configurator.lifeevents import EVENTS_DIR, LifeEventError, default_life_events, parse_life_event
from configurator.rules.business_start import business_start_costs, start_up_total

PLACES = StaticPlaces({"20100": Place(60.4518, 22.2666, "853", "20100")})
CTX = ParseContext(date(2026, 11, 22), PLACES, {})

# --- 1. Tasks with no link ---------------------------------------------------------------------------------

# Organisations the person chooses themselves: no one address fits everyone, so each task they are responsible
# for says in its "how" what to look for (the fund's website, offers from insurers, the decision on the place).
# The moving event's electricity company is chosen by the person, and their employer or place of study is their own.
CHOSEN_BY_THE_PERSON = {"fund", "insurer", "pension_company", "founder", "unit", "electricity_company", "workplace"}


def organisations():
    return [(event, org) for event in default_life_events().values() for org in event.organisations.values()]


@pytest.mark.parametrize("event, org", organisations(), ids=lambda v: getattr(v, "id", None))
def test_every_organisation_has_a_way_to_reach_it(event, org) -> None:
    if org.url:
        for _lang, url in org.url.items():
            assert re.fullmatch(r"https://[a-z0-9.-]+\.fi(/\S*)?", url), url
            assert "palkkaturva.fi" not in url  # the pay security authority warns that this is not its site
    elif org.municipality_of:
        assert org.municipality_of in {q.id for q in event.questions()}
    else:
        assert org.id in CHOSEN_BY_THE_PERSON, (
            f"{event.id}: '{org.id}' has no url and no municipality_of; give it a verified address, or, when the "
            f"person chooses it, add it to CHOSEN_BY_THE_PERSON with a 'how' on each of its tasks"
        )


@pytest.mark.parametrize("event_id", sorted(default_life_events()))
def test_tasks_of_an_organisation_the_person_chooses_say_what_to_look_for(event_id: str) -> None:
    event = default_life_events()[event_id]
    for item in event.checklist:
        org = event.organisations[item.responsible]
        if not org.url and not org.municipality_of:
            assert item.how, f"{event_id}: task '{item.id}' of '{org.id}' needs a 'how'"


def test_the_organisations_that_had_no_address_have_one_now() -> None:
    events = default_life_events()
    # only the English page of the pay security authority is verified: every page language gets it
    pay_security = events["unemployment"].organisations["pay_security"].url
    assert [pay_security.display(lang) for lang in ("fi", "sv", "en")] == [
        "https://www.ely-keskus.fi/web/ely-en/pay-security"
    ] * 3
    assert events["business"].organisations["alcohol_authority"].url.display("en").startswith("https://avi.fi/en/")
    assert events["business"].organisations["alcohol_authority"].url.display("fi").startswith("https://avi.fi/asioi/")
    # Job Market Finland when the directory lists no employment services for the place (outside the demo area)
    for event_id in ("business", "unemployment"):
        assert events[event_id].organisations["employment_services"].url.as_dict() == {
            "fi": "https://tyomarkkinatori.fi",
            "sv": "https://tyomarkkinatori.fi/sv",
            "en": "https://tyomarkkinatori.fi/en",
        }


# --- 2. "37,5" hours --------------------------------------------------------------------------------------


def hours():
    return next(q for q in default_life_events()["ecec"].questions() if q.id == "hours_per_week")


@pytest.mark.parametrize("text", ["37,5", "37.5", " 37,5 ", "37,5\u00a0"])
def test_hours_take_a_decimal_comma_or_point(text: str) -> None:
    assert parse_question(hours(), {"hours_per_week": text}, CTX) == D("37.5")


def test_whole_hours_stay_whole() -> None:
    assert parse_question(hours(), {"hours_per_week": "30"}, CTX) == 30


@pytest.mark.parametrize("text", ["37,55", "37,", ",5", "37,5,5", "٣٧", "37½", "1e2", "lots"])
def test_hours_reject_what_is_not_a_number_of_one_decimal(text: str) -> None:
    with pytest.raises(AnswerError) as error:
        parse_question(hours(), {"hours_per_week": text}, CTX)
    assert error.value.field == "hours_per_week"
    assert error.value.message == "Enter the hours as a number, like 30 or 37.5"


def test_counts_stay_whole_numbers() -> None:
    family_size = next(q for q in default_life_events()["ecec"].questions() if q.id == "family_size")
    assert "decimals" not in family_size.rules
    with pytest.raises(AnswerError) as error:
        parse_question(family_size, {"family_size": "2,5"}, CTX)
    assert error.value.kind == "invalid"
    assert parse_question(family_size, {"family_size": "3"}, CTX) == 3


def test_a_number_without_its_own_message_says_a_decimal_is_fine() -> None:
    with pytest.raises(AnswerError) as error:
        parse_value("h", "number", {"h": "x"}, CTX, decimals=1)
    assert error.value.message == "Enter a number, like 37.5"
    with pytest.raises(AnswerError) as error:
        parse_value("n", "number", {"n": "٣"}, CTX)  # Arabic-Indic three: not a digit a form takes
    assert error.value.message == "Enter a whole number, like 3"


def event_with_rules(**rules) -> dict:
    with (EVENTS_DIR / "ecec.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    data = copy.deepcopy(data)
    question = next(q for s in data["steps"] for q in s["questions"] if q["id"] == "hours_per_week")
    question["rules"] = {"min": 1, "max": 80, **rules}
    return data


@pytest.mark.parametrize("decimals", [3, -1, "1", True, 1.5])
def test_the_loader_refuses_a_bad_decimals_rule(decimals) -> None:
    with pytest.raises(LifeEventError, match="decimals"):
        parse_life_event(event_with_rules(decimals=decimals))


def test_decimals_is_a_rule_of_number_questions_only() -> None:
    with (EVENTS_DIR / "business.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    turnover = next(q for s in data["steps"] for q in s["questions"] if q["id"] == "turnover")
    turnover["rules"]["decimals"] = 1  # money has cents of its own
    with pytest.raises(LifeEventError, match="'decimals' does not apply to type 'money'"):
        parse_life_event(data)


# --- 3. "3." in a date box ----------------------------------------------------------------------------------


def date_raw(day: str, month: str, year: str) -> dict[str, str]:
    return {"d-day": day, "d-month": month, "d-year": year}


@pytest.mark.parametrize(
    "day, month, year",
    [
        ("3.", "12.", "2026"),
        (" 3 ", " 12 ", " 2026 "),
        ("3. ", "12", "2026."),
        ("03", "012", "2026"),
    ],
)
def test_date_boxes_take_finnish_points_and_spaces(day: str, month: str, year: str) -> None:
    assert parse_value("d", "date", date_raw(day, month, year), CTX) == date(2026, 12, 3)


@pytest.mark.parametrize(
    "day, month, year, field",
    [
        ("٣", "12", "2026", "d-day"),  # Arabic-Indic digit
        ("3", "١٢", "2026", "d-month"),
        ("3", "12", "２０２６", "d-year"),  # full-width digits
        ("³", "12", "2026", "d-day"),  # superscript: int() would raise, never a 500
        ("3..", "12", "2026", "d-day"),
        (".", "12", "2026", "d-day"),
        ("3.5", "12", "2026", "d-day"),
        ("3", "12", "-2026", "d-year"),
        ("32", "12", "2026", "d-day"),
        ("3", "13", "2026", "d-month"),
    ],
)
def test_date_boxes_reject_other_scripts_and_marks_with_the_fields_error(day, month, year, field) -> None:
    with pytest.raises(AnswerError) as error:
        parse_value("d", "date", date_raw(day, month, year), CTX)
    assert error.value.field == field
    assert error.value.message == "Enter a real date, for example 27 3 2025"


# --- 7. The start-up total -----------------------------------------------------------------------------------


def test_sole_trader_serving_alcohol_in_2026() -> None:
    # Start 2026-06-01, work income 30,000 €, turnover 50,000 €, serves alcohol:
    #   start-up notice, sole trader: 70 € (the 2024 figure, an estimate after 2024)
    #   licence to serve alcohol: 1,365 € (the 2024 tariff, an estimate after 2024)
    #   YEL 2026: 30,000 × 24.40 % = 7,320.00 € a year; the first-time discount of 22 % lasts 48 months, so all
    #   the first 12: 7,320.00 × 0.78 = 5,709.60 €
    #   total 70 + 1,365 + 5,709.60 = 7,144.60 €; without the discount 70 + 1,365 + 7,320.00 = 8,755.00 €
    on = date(2026, 6, 1)
    total = start_up_total(business_start_costs("toiminimi", D(50000), D(30000), on), on, serves_alcohol=True)
    assert [(p.name, p.amount, p.estimate) for p in total.parts] == [
        ("Registration fee", D("70"), True),
        ("Licence to serve alcohol", D("1365"), True),
        ("YEL contribution for the first year", D("5709.60"), False),
    ]
    assert total.total == D("7144.60") and total.without_discount == D("8755.00")
    assert total.estimate and not total.yel_missing
    last = total.breakdown[-1]
    assert last.label == "The start and the first year in total: {total} €" and last.amount == D("7144.60")
    assert last.estimate


def test_limited_company_in_2024_is_confirmed() -> None:
    # Start 2024-03-01, oy, work income 30,000 €, no alcohol: fee 280 € (confirmed); YEL 2024 general rate 24.10 %:
    # 30,000 × 24.10 % = 7,230.00 €, with the 22 % discount 7,230.00 × 0.78 = 5,639.40 €; total 5,919.40 €
    # (without the discount 7,510.00 €). Every figure is confirmed for 2024: no estimate.
    on = date(2024, 3, 1)
    total = start_up_total(business_start_costs("oy", D(50000), D(30000), on), on)
    assert [p.amount for p in total.parts] == [D("280"), D("5639.40")]
    assert total.total == D("5919.40") and total.without_discount == D("7510.00")
    assert not total.estimate


def test_below_the_yel_minimum_the_total_is_the_fee() -> None:
    # 2024: work income 8,000 € is below the YEL minimum 9,010.28 €: no contribution; total = the 70 € fee.
    on = date(2024, 3, 1)
    total = start_up_total(business_start_costs("toiminimi", D(5000), D(8000), on), on)
    assert [p.amount for p in total.parts] == [D("70"), D("0")]
    assert total.total == D("70") and total.without_discount is None
    assert any(s.label.startswith("No YEL contribution in the total") for s in total.breakdown)


def test_a_future_year_uses_the_last_figures_as_estimates() -> None:
    # 2027 figures are not known: the 2026 ones (rate 24.40 %) as estimates, 30,000 × 24.40 % × 0.78 = 5,709.60 €;
    # total 70 + 5,709.60 = 5,779.60 €.
    on = date(2027, 3, 1)
    total = start_up_total(business_start_costs("toiminimi", D(5000), D(30000), on), on)
    assert total.total == D("5779.60")
    assert total.estimate and all(p.estimate for p in total.parts)
