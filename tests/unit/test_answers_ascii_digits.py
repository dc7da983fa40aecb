"""Every number and date parser takes ASCII digits only and gives the field's error otherwise (issue 13, hole 4):
Python's \\d, str.isdigit(), int() and float() also take other scripts' digits, superscripts, exponents and
words, and a huge number overflows a date or the rules' rounding (a 500 instead of the field's error).
Stored answers that are not text read as unanswered."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from configurator.answers import (
    DEFAULT_ERRORS,
    MAX_FIELD_TEXT,
    AnswerError,
    ParseContext,
    clean_raw,
    is_blank,
    parse_money,
    parse_number,
    parse_value,
    raw_from_json,
    raw_text,
)
from configurator.geo import Place, StaticPlaces

PLACES = StaticPlaces({"20100": Place(60.4518, 22.2666, "853", "20100")})
CTX = ParseContext(date(2026, 11, 22), PLACES, {})
NOT_ASCII_NUMBERS = [
    "²",
    "١٢",
    "٣",
    "𝟙",
    "12345678901234567890",
    "1e309",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e5",
    "0x10",
    "1_000",
    "9" * 300,
]


@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS)
def test_a_count_takes_ascii_digits_only(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)
    with pytest.raises(ValueError):
        parse_number(text, decimals=1)


@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS + ["٦٠٠٠", "٦,٥", "1234567890123", "1234567890123,50"])
def test_money_takes_ascii_digits_and_at_most_twelve_before_the_point(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_money_still_takes_the_largest_amounts_of_the_rules() -> None:
    assert parse_money("100 000 000") == Decimal(100_000_000)  # business turnover's maximum
    assert parse_money("999999999999,99") == Decimal("999999999999.99")


@pytest.mark.parametrize("part", ["day", "month", "year"])
@pytest.mark.parametrize("text", NOT_ASCII_NUMBERS + ["99999", "١٢.", "²."])
def test_a_date_part_that_is_no_ascii_number_is_that_parts_error(part: str, text: str) -> None:
    raw = {"d-day": "15", "d-month": "3", "d-year": "2025", f"d-{part}": text}
    with pytest.raises(AnswerError) as caught:
        parse_value("d", "date", raw, CTX)
    assert caught.value.message == DEFAULT_ERRORS["invalid.date"]
    assert caught.value.field == f"d-{part}"


@pytest.mark.parametrize("year", ["1899", "2201", "9999"])
def test_a_year_out_of_range_is_the_years_error(year: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_value("d", "date", {"d-day": "1", "d-month": "1", "d-year": year}, CTX)
    assert caught.value.field == "d-year"


@pytest.mark.parametrize("code", ["٢٠١٠٠", "２０１００", "2010²"])
def test_a_postal_code_takes_ascii_digits_only(code: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_value("p", "postal_code", {"p": code}, CTX)
    assert caught.value.message == DEFAULT_ERRORS["invalid.postal_code"]


@pytest.mark.parametrize(
    "lat, lon",
    [
        ("٦٠.٤٥", "22.27"),
        ("60.45", "٢٢.٢٧"),
        ("1e309", "22.27"),
        ("nan", "nan"),
        ("inf", "-inf"),
        ("6e1", "22.27"),
        ("60.45", "2.227e1"),
    ],
)
def test_a_map_point_takes_plain_ascii_decimals_only(lat: str, lon: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_value("home", "location", {"home-lat": lat, "home-lon": lon}, CTX)
    assert caught.value.field == "home-postal_code" and caught.value.kind == "outside"


def test_a_plain_map_point_is_still_a_place() -> None:
    value = parse_value("home", "location", {"home-lat": "60.46", "home-lon": "22.27"}, CTX)
    assert value.place.municipality_code == "853"


def test_an_api_date_in_other_digits_is_not_split_into_parts() -> None:
    assert raw_from_json("d", "date", "٢٠٢٥-٠٣-١٥") == {"d-day": "٢٠٢٥-٠٣-١٥", "d-month": "", "d-year": ""}


# --- stored answers that are not text -------------------------------------------------------------------


def test_clean_raw_keeps_only_what_a_form_could_post() -> None:
    stored = {
        "a": "1",
        "b": 2,
        "c": None,
        "d": ["3"],
        "e": {"x": 1},
        5: "five",
        "f": "x" * (MAX_FIELD_TEXT + 1),
        "g": "x" * MAX_FIELD_TEXT,
    }
    assert clean_raw(stored) == {"a": "1", "g": "x" * MAX_FIELD_TEXT}
    for not_a_table in (None, "answers", ["a"], 3):
        assert clean_raw(not_a_table) == {}


def test_a_stored_value_that_is_not_text_is_no_answer() -> None:
    raw = {"n": 3, "d-day": 15, "d-month": "3", "d-year": 2025}
    assert raw_text(raw, "n") == "" and raw_text(raw, "d-month") == "3"
    assert is_blank("n", "number", raw)
    with pytest.raises(AnswerError) as caught:
        parse_value("d", "date", raw, CTX)
    assert caught.value.field == "d-day"
    with pytest.raises(AnswerError):
        parse_value("n", "number", raw, CTX)
