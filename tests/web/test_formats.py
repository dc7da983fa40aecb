"""Dates and money as each language writes them (issue 12, item 7): English day-month-year as in the UK (never
the US "4/12/27"), and one money format: two decimals when an amount has cents, whole euros otherwise, in the
"€" filter and in every text that writes "{amount} €" (a breakdown once showed "80,9 €")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask, g
from flask_babel import force_locale

from configurator.i18n import N_
from portal.i18n import eur, format_date, format_locale, translate_with

DAY = date(2027, 4, 12)


def in_page(app: Flask, lang: str, fn, *args):
    """Call a formatting function as a page in ``lang`` would (the locale Flask-Babel selects for it)."""
    with app.test_request_context(f"/{lang}/"), force_locale(format_locale(lang)):
        g.lang_code = lang
        return fn(*args)


@pytest.mark.parametrize(
    ("lang", "form", "expected"),
    [
        ("en", "long", "12 April 2027"),
        ("en", "medium", "12 Apr 2027"),
        ("en", "short", "12/04/2027"),
        ("fi", "long", "12. huhtikuuta 2027"),
        ("fi", "short", "12.4.2027"),
        ("sv", "long", "12 april 2027"),
    ],
)
def test_dates_are_day_month_year_in_every_language(app: Flask, lang: str, form: str, expected: str) -> None:
    assert in_page(app, lang, format_date, DAY, form) == expected


def test_an_english_page_writes_dates_the_british_way(client) -> None:
    """Through the real locale selector, not a forced locale: the English start page of a journey."""
    with client.application.test_request_context("/en/"):
        g.lang_code = "en"
        from flask_babel import get_locale

        assert str(get_locale()) == "en_GB"
        assert format_date(DAY, "long") == "12 April 2027"
    with client.application.test_request_context("/fi/"):
        g.lang_code = "fi"
        assert format_date(DAY, "long") == "12. huhtikuuta 2027"


@pytest.mark.parametrize(
    ("lang", "amount", "expected"),
    [
        ("fi", Decimal("80.9"), "80,90 €"),
        ("fi", Decimal("80.90"), "80,90 €"),
        ("fi", Decimal("81"), "81 €"),
        ("fi", Decimal("81.00"), "81 €"),
        ("fi", Decimal("85000"), "85\xa0000 €"),
        ("sv", Decimal("1793.4"), "1\xa0793,40 €"),
        ("en", Decimal("80.9"), "€80.90"),
        ("en", 85000, "€85,000"),
        ("en", 0.5, "€0.50"),
    ],
)
def test_money_has_two_decimals_only_when_it_has_cents(app: Flask, lang: str, amount, expected: str) -> None:
    assert in_page(app, lang, eur, amount) == expected


@pytest.mark.parametrize(
    ("lang", "values", "expected"),
    [
        ("en", {"amount": Decimal("80.9"), "rate": Decimal("24.4")}, "80.90 € at 24.4 %"),
        ("en", {"amount": Decimal("1160"), "rate": Decimal("11.5")}, "1,160 € at 11.5 %"),
        ("en", {"amount": Decimal("377.68"), "rate": Decimal("3.83")}, "377.68 € at 3.83 %"),
    ],
)
def test_a_text_that_writes_euros_gets_the_same_money_format(
    app: Flask, lang: str, values: dict, expected: str
) -> None:
    """An untranslated msgid comes back as it is, so the English text shows the formatting alone; the amount
    before "€" is money, the rate before "%" an ordinary number."""
    msgid = N_("{amount} € at {rate} %")
    assert in_page(app, lang, translate_with, msgid, values) == expected
