"""Sources in the page's language (issue 12, item 7): every "Lähde:" / "Källa:" of a breakdown or of a task's
figures shows the Finnish or Swedish title of the statute with its number, while the API keeps the English
citation of the parameter files. Expected texts are the official titles as Finlex writes them."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask, render_template_string

from configurator.rules.ecec_fee import ecec_fee
from portal.i18n import source_text
from tests.helpers import complete_ecec

FEE_URL = "/api/v2/calculators/ecec-fee"
# The fee of a family of 3 with 6000 € a month, full time, in the 1.8.2024 period: the base fee cites the Act,
# Kuntaliitto's circular and the municipal fee pages (the percentage's and the income limit's sources joined).
OLD_PERIOD = date(2025, 1, 1)


def visible(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def fee_breakdown(page: str) -> str:
    found = re.search(r'<ol class="breakdown" id="fee-breakdown">(.*?)</ol>', page, re.S)
    assert found, "the plan has no fee breakdown"
    return visible(found.group(1))


def plan(client, lang: str) -> str:
    complete_ecec(client, lang)
    response = client.get(f"/{lang}/events/ecec/plan")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def rendered_breakdown(app: Flask, lang: str) -> str:
    """The breakdown macro for the fee of the 1.8.2024 period, rendered in ``lang``."""
    fee = ecec_fee(
        family_size=3, income=Decimal(6000), hours_per_week=Decimal(40), child_rank=1, municipal=None, on=OLD_PERIOD
    )
    with app.test_request_context(f"/{lang}/"):
        from flask import g

        g.lang_code = lang
        return visible(
            render_template_string(
                '{% from "journey/_breakdown.html" import breakdown %}{{ breakdown(steps, "fee") }}',
                steps=fee.breakdown,
            )
        )


def test_finnish_breakdown_cites_the_act_in_finnish(app: Flask) -> None:
    text = rendered_breakdown(app, "fi")
    assert (
        "Lähde: Laki varhaiskasvatuksen asiakasmaksuista 1503/2016, 5 §; Kuntaliiton yleiskirje 19/2023; "
        "kuntien maksusivut (Masku, Mänttä-Vilppula)"
    ) in text
    assert "Lähde: Laki varhaiskasvatuksen asiakasmaksuista 1503/2016, 7 §" in text
    assert "Act 1503/2016" not in text and "Source:" not in text and "circular" not in text


def test_swedish_breakdown_cites_the_act_in_swedish(app: Flask) -> None:
    text = rendered_breakdown(app, "sv")
    assert (
        "Källa: Lag om klientavgifter inom småbarnspedagogiken 1503/2016, 5 §; Kommunförbundets cirkulär 19/2023; "
        "kommunernas avgiftssidor (Masko, Mänttä-Vilppula)"
    ) in text
    assert "Act 1503/2016" not in text


def test_english_breakdown_keeps_the_english_citation(app: Flask) -> None:
    assert "Source: Act 1503/2016 s.5; Kuntaliitto circular 19/2023" in rendered_breakdown(app, "en")


def test_finnish_plan_shows_sources_in_finnish(csrf_off_client) -> None:
    page = plan(csrf_off_client, "fi")
    # start 12.8.2027: the figures of 1.8.2026 are cited from the ministry's notice 1028/2025
    fee = fee_breakdown(page)
    assert "Lähde: Opetus- ja kulttuuriministeriön ilmoitus 1028/2025 (indeksitarkistus 1.8.2026)" in fee
    assert "Ministry of Education" not in fee
    shown = visible(page)
    assert "Lähde: Varhaiskasvatuslaki 540/2018, 17 §" in shown  # the figures of the application task
    assert "Turun kaupunki, varhaiskasvatuksen palvelusetelin sääntökirja 1.8.2024 (esimerkkiluvut)" in shown
    for english in (
        "Source:",
        "Act on early childhood education",
        "Ministry of Education",
        "(demo figures)",
        "frozen at the 2023 level",
    ):
        assert english not in shown


def test_swedish_plan_shows_sources_in_swedish(csrf_off_client) -> None:
    page = plan(csrf_off_client, "sv")
    fee = fee_breakdown(page)
    assert "Källa: Undervisnings- och kulturministeriets meddelande 1028/2025 (indexjustering 1.8.2026)" in fee
    shown = visible(page)
    assert "Källa: Lag om småbarnspedagogik 540/2018, 17 §" in shown
    assert "Åbo stad, regelbok för servicesedeln inom småbarnspedagogiken 1.8.2024 (exempelsiffror)" in shown
    for english in ("Source:", "Act on early childhood education", "Ministry of Education", "(demo figures)"):
        assert english not in shown


def test_english_plan_keeps_english_sources_and_translates_the_finnish_demo_citation(csrf_off_client) -> None:
    shown = visible(plan(csrf_off_client, "en"))
    assert "Source: Act on early childhood education 540/2018 s.17" in shown
    assert "City of Turku, rulebook for the early childhood education service voucher 1.8.2024 (demo figures)" in shown


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_api_breakdown_keeps_the_english_source(client, lang: str) -> None:
    body = client.get(f"{FEE_URL}?family_size=3&income=6000&hours_per_week=40&on={OLD_PERIOD}&lang={lang}").get_json()
    # income limit (family_3, 1.8.2024), base fee (the percentage's source joined with the limit's), hours (s.7)
    assert [step["source"] for step in body["breakdown"]] == [
        "Kuntaliitto circular 19/2023; municipal fee pages (Masku, Mänttä-Vilppula)",
        "Act 1503/2016 s.5; Kuntaliitto circular 19/2023; municipal fee pages (Masku, Mänttä-Vilppula)",
        "Act 1503/2016 s.7",
    ]


def test_source_text_translates_each_part_and_drops_repeats(app: Flask) -> None:
    with app.test_request_context("/fi/"):
        from flask import g

        g.lang_code = "fi"
        assert (
            source_text("Act 1503/2016 s.5; Kuntaliitto circular 19/2023; Act 1503/2016 s.5")
            == "Laki varhaiskasvatuksen asiakasmaksuista 1503/2016, 5 §; Kuntaliiton yleiskirje 19/2023"
        )
        # a percent sign survives the doubled catalog id, and a part without an entry is shown as it is
        assert (
            source_text("Income Tax Act 1535/1992 s. 124 (20 % from 2014); Not in any catalog")
            == "Tuloverolaki 1535/1992, 124 § (20 % vuodesta 2014); Not in any catalog"
        )
        assert source_text("") == ""
