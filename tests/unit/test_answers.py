"""Question types turn raw form text into typed answers, with a message naming the field on bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from configurator.answers import (
    AnswerError,
    ParseContext,
    parse_money,
    parse_value,
    raw_from_json,
)
from configurator.geo import Place, StaticPlaces
from configurator.questions import DEFAULT_ERRORS, QUESTION_TYPES, QuestionType

# 20100 has a centroid; 00100 (Helsinki) and 99999 (Korvatunturi) exist but have none: a place without a point.
PLACES = StaticPlaces(
    {
        "20100": Place(60.4518, 22.2666, "853", "20100"),
        "00100": Place(None, None, "091", "00100"),
        "99999": Place(None, None, "698", "99999"),
    }
)
CTX = ParseContext(date(2026, 11, 22), PLACES, {})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4500", Decimal(4500)),
        ("4 500,50", Decimal("4500.50")),
        ("4500.5", Decimal("4500.5")),
        ("4\u00a0500 €", Decimal(4500)),
        ("4.500,25", Decimal("4500.25")),
        ("0", Decimal(0)),
    ],
)
def test_money_accepts_finnish_and_english_notation(text: str, expected: Decimal) -> None:
    assert parse_money(text) == expected


@pytest.mark.parametrize("text", ["abc", "4,5,6", "1e5", "", "12.3456"])
def test_money_rejects_non_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_date_from_three_fields_and_error_points_at_the_bad_part() -> None:
    raw = {"d-day": "29", "d-month": "2", "d-year": "2024"}
    assert parse_value("d", "date", raw, CTX) == date(2024, 2, 29)
    with pytest.raises(AnswerError) as caught:
        parse_value("d", "date", {"d-day": "29", "d-month": "2", "d-year": "2025"}, CTX)
    assert caught.value.field == "d-day"
    with pytest.raises(AnswerError) as caught:
        parse_value("d", "date", {"d-day": "1", "d-month": "x", "d-year": "2025"}, CTX)
    assert caught.value.field == "d-month"


def test_location_from_postal_code_uses_the_area_centroid() -> None:
    value = parse_value("home", "location", {"home-postal_code": " 20100 "}, CTX)
    assert value.place.municipality_code == "853" and not value.place.precise


def test_location_from_map_point_is_precise_and_takes_the_nearest_area() -> None:
    value = parse_value("home", "location", {"home-lat": "60.46", "home-lon": "22.27"}, CTX)
    assert value.place.precise and value.place.latitude == 60.46 and value.place.municipality_code == "853"


def test_location_from_postal_code_without_centroid_names_the_municipality_without_a_point() -> None:
    value = parse_value("home", "location", {"home-postal_code": "00100"}, CTX)
    assert value.place.municipality_code == "091" and value.place.point is None and not value.place.precise


def test_map_point_far_from_every_centroid_takes_the_municipality_of_the_typed_postal_code() -> None:
    # Near Helsinki: no centroid within 10 km, so the typed postal code names the municipality; the point stays.
    value = parse_value(
        "home", "location", {"home-lat": "60.17", "home-lon": "24.94", "home-postal_code": "00100"}, CTX
    )
    assert value.place.municipality_code == "091" and value.place.precise
    assert value.place.point == (60.17, 24.94)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"home-postal_code": "2010"}, "five digits"),
        ({"home-postal_code": "12345"}, "exists in Finland"),
        ({"home-lat": "48.85", "home-lon": "2.35"}, "Finland"),
        # Near Helsinki without a postal code: the point is kept and only the postal code is asked for.
        ({"home-lat": "60.17", "home-lon": "24.94"}, "postal code as well"),
    ],
)
def test_location_errors(raw: dict, message: str) -> None:
    with pytest.raises(AnswerError, match=message) as caught:
        parse_value("home", "location", raw, CTX)
    assert caught.value.field == "home-postal_code"


def test_api_values_map_onto_form_fields() -> None:
    assert raw_from_json("d", "date", "2027-08-12") == {"d-year": "2027", "d-month": "08", "d-day": "12"}
    assert raw_from_json("x", "yesno", True) == {"x": "yes"}
    assert raw_from_json("home", "location", {"postal_code": "20100"}) == {"home-postal_code": "20100"}
    assert raw_from_json("n", "number", 3) == {"n": "3"}


def test_each_question_type_is_one_registered_class_with_its_own_template() -> None:
    """One class per type (configurator.questions), registered once; each renders through its own template,
    which has an `input` and an `answer` macro."""
    root = Path(__file__).resolve().parents[2] / "templates"
    assert list(QUESTION_TYPES) == ["choice", "choices", "yesno", "number", "money", "date", "location", "postal_code"]
    for name, kind in QUESTION_TYPES.items():
        assert kind.name == name and isinstance(kind, QuestionType)
        text = (root / kind.template).read_text(encoding="utf-8")
        assert "{% macro input(q, label, raw, error)" in text and "{% macro answer(q, value)" in text
        assert kind.messages["required"] and kind.first_field("q") in kind.field_names("q")


def test_a_type_gives_its_fields_and_the_field_that_gets_focus() -> None:
    assert QUESTION_TYPES["date"].field_names("d") == ("d-day", "d-month", "d-year")
    assert QUESTION_TYPES["location"].first_field("home") == "home-postal_code"
    assert QUESTION_TYPES["money"].field_names("income") == ("income",)
    assert QUESTION_TYPES["location"].is_blank("home", {"home-postal_code": " ", "home-lat": ""})
    assert not QUESTION_TYPES["location"].is_blank("home", {"home-lat": "60.4"})


def test_the_rules_of_a_type_keep_their_messages() -> None:
    """A rule's error uses the question's own message when it gives one, else the type's default."""
    number = QUESTION_TYPES["number"]

    class Hours:
        id, option_values, rules, errors = "h", (), {"min": 1, "max": 80}, {"max": "At most 80 hours"}

    with pytest.raises(AnswerError) as low:
        number.check_rules(Hours(), 0, CTX, "h")
    assert (low.value.message, low.value.kind, dict(low.value.values)) == (
        "Enter a number of at least {min}",
        "min",
        {"min": 1, "max": 80},
    )
    with pytest.raises(AnswerError) as high:
        number.check_rules(Hours(), 81, CTX, "h")
    assert high.value.message == "At most 80 hours"
    assert DEFAULT_ERRORS["invalid.date"] == "Enter a real date, for example 27 3 2025"
