"""The results page's cheaper rendering (issue 17 item 4) shows what it showed: numbers, euros and dates formatted
once per value are Babel's texts for that value, type and language, and a cost breakdown rendered once per
distinct price is the breakdown macro's markup with each card's own id."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from babel import dates, numbers
from flask import g, render_template_string, request, url_for

import portal.i18n as i18n
from portal.i18n import eur, euro_number, format_date, number
from portal.journey.results import shared_breakdown, unit_report_url
from tests.unit.test_ecec_comparison import build

LOCALES = {"fi": "fi", "sv": "sv", "en": "en_GB"}
VALUES = [0, 1, 7, 81, 1215, 1519.0, 2.675, 0.1, Decimal("2.675"), Decimal("80.90"), Decimal("80.9"), Decimal("1.00")]


def _page(app, lang: str):
    context = app.test_request_context(f"/{lang}/")
    context.push()
    g.lang_code = lang
    return context


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_cached_numbers_are_babels_texts_in_each_language(app, lang: str) -> None:
    locale = LOCALES[lang]
    context = _page(app, lang)
    try:
        for _ in range(2):  # formatted, then from the cache
            for value in VALUES:
                cents = Decimal(str(value)) != Decimal(str(value)).to_integral_value()
                assert number(value, 2) == numbers.format_decimal(value, format="#,##0.##", locale=locale)
                assert number(value, 0) == numbers.format_decimal(value, format="#,##0", locale=locale)
                plain = "#,##0.00" if cents else "#,##0"
                assert euro_number(value) == numbers.format_decimal(value, format=plain, locale=locale)
                money = (plain + " ¤") if lang in ("fi", "sv") else ("¤" + plain)
                expected = numbers.format_currency(value, "EUR", format=money, currency_digits=False, locale=locale)
                assert eur(value) == expected
            for day in (date(2027, 8, 12), datetime(2026, 11, 16, 8, 0)):
                for form in ("short", "medium", "long"):
                    assert format_date(day, form) == dates.format_date(day, format=form, locale=locale)
    finally:
        context.pop()


def test_each_value_keeps_its_own_text(app) -> None:
    context = _page(app, "fi")
    try:
        assert [number(v, 2) for v in (Decimal("2.675"), 2.675, Decimal("2.665"), 1, 1.0, Decimal("1.00"))] == [
            "2,68",
            "2,68",
            "2,66",  # half to even, as Babel rounds
            "1",
            "1",
            "1",
        ]
        assert [number(Decimal("2.675"), d) for d in (0, 1, 2, 3)] == ["3", "2,7", "2,68", "2,675"]
        assert (euro_number(Decimal("80.90")), euro_number(81), eur(Decimal("80.9")), eur(81)) == (
            "80,90",
            "81",
            "80,90 €",
            "81 €",
        )
        assert eur(None) == "–"
        assert format_date(None, "short") == dates.format_date(None, format="short", locale="fi")  # today, not cached
        assert not [key for key in i18n._formatted if key[0] == "date" and key[2] == "None"]
    finally:
        context.pop()


def test_requests_in_other_languages_share_the_cache_but_not_the_texts(app) -> None:
    seen = {}
    for lang in ("fi", "en", "sv", "fi"):
        context = _page(app, lang)
        try:
            seen[lang] = (number(1215.5, 1), eur(Decimal("80.90")), format_date(date(2027, 8, 12), "long"))
        finally:
            context.pop()
    assert seen == {
        "fi": ("1\xa0215,5", "80,90 €", "12. elokuuta 2027"),
        "en": ("1,215.5", "€80.90", "12 August 2027"),
        "sv": ("1\xa0215,5", "80,90 €", "12 augusti 2027"),
    }


def test_the_cache_stays_bounded(app, monkeypatch) -> None:
    monkeypatch.setattr(i18n, "FORMAT_CACHE_SIZE", 50)
    monkeypatch.setattr(i18n, "_formatted", {})
    context = _page(app, "en")
    try:
        texts = [number(value, 0) for value in range(1000, 1200)]
        assert len(i18n._formatted) <= 50
        assert texts == [f"1,{value - 1000:03d}" for value in range(1000, 1200)]
    finally:
        context.pop()


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_breakdown_is_rendered_once_and_is_the_macros_markup_for_each_card(app, lang: str, monkeypatch) -> None:
    steps = next(r.cost.breakdown for r in build().rows if r.cost.kind == "voucher_copayment")
    assert len(steps) > 2
    context = _page(app, lang)
    try:
        macro = "{% from 'journey/_breakdown.html' import breakdown %}{{ breakdown(steps, id) }}"
        expected = {i: render_template_string(macro, steps=steps, id=i) for i in ("breakdown-3", "breakdown-1<&>")}
        assert "breakdown-1&lt;&amp;&gt;" in expected["breakdown-1<&>"]
        other = next(r.cost.breakdown for r in build(income=None).rows if r.cost.kind == "voucher_copayment")
        expected_other = render_template_string(macro, steps=other, id="breakdown-9")
        module = app.jinja_env.get_template("journey/_breakdown.html").module
        calls = []
        real = module.breakdown
        monkeypatch.setattr(module, "breakdown", lambda *args: calls.append(args) or real(*args))
        for element_id, markup in expected.items():
            assert str(shared_breakdown(steps, element_id)) == markup
        assert len(calls) == 1  # the second card reuses the first card's markup
        # another breakdown (another price) is rendered on its own
        assert str(shared_breakdown(other, "breakdown-9")) == expected_other
        assert len(calls) == 2
    finally:
        context.pop()


@pytest.mark.parametrize("path", ["/fi/events/ecec/plan", "/sv/events/ecec/plan", "/en/events/ecec/plan"])
def test_a_cards_report_link_is_url_fors_address_for_its_unit(app, path: str) -> None:
    with app.test_request_context(path):
        g.lang_code = path.split("/")[1]
        for unit_id in (1, 1002, 1000641, 98765432101):
            assert unit_report_url(unit_id) == url_for("feedback.report", location=unit_id, next=request.path)
        assert g._polku_report_url.count("987654321012") == 1
