"""Issue 12, item 7 on the pages: outside links in the page's language, the same service point named in
Swedish on Swedish pages (reservation, feedback, comparison), and each event's own start page."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from tests.helpers import complete_business, complete_unemployment, sign_in, with_link_targets

TURKU_ADVICE = 2001  # Turun seudun uusyrityskeskus, in Swedish Åboregionens nyföretagarcentral (demo data)
FINNISH_NAME, SWEDISH_NAME = "Turun seudun uusyrityskeskus", "Åboregionens nyföretagarcentral"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def task(page: str, task_id: str) -> str:
    found = re.search(rf'<li class="checklist__item" id="task-{task_id}">.*?</li>', page, re.S)
    assert found, task_id
    return found.group(0)


def links(html: str) -> list[str]:
    return re.findall(r'<a href="(https://[^"]+)"', html)


# --- links in the page's language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, kela, jobseeker",
    [
        ("fi", "https://www.kela.fi/tyottomyyden-aikana", "https://tyomarkkinatori.fi"),
        ("sv", "https://www.kela.fi/om-du-blir-arbetslos", "https://tyomarkkinatori.fi/sv"),
        ("en", "https://www.kela.fi/unemployment", "https://tyomarkkinatori.fi/en"),
    ],
)
def test_the_plan_links_to_the_sites_in_the_page_language(
    csrf_off_client, lang: str, kela: str, jobseeker: str
) -> None:
    complete_unemployment(csrf_off_client, lang)
    page = with_link_targets(csrf_off_client, text(csrf_off_client.get(f"/{lang}/events/unemployment/plan")))
    # Kela's address comes from the event file, the employment services' from the demo catalogue (Turku)
    assert links(task(page, "apply_for_kela_benefit")) == [kela]
    assert links(task(page, "register_as_jobseeker")) == [jobseeker]


def test_a_site_without_a_swedish_version_is_linked_in_finnish_on_swedish_pages(csrf_off_client) -> None:
    complete_business(csrf_off_client, "sv")
    page = with_link_targets(csrf_off_client, text(csrf_off_client.get("/sv/events/business/plan")))
    assert links(task(page, "take_out_myel")) == ["https://www.mela.fi"]
    assert links(task(page, "file_start_up_notice")) == ["https://www.ytj.fi/sv"]


# --- the same service point in Swedish on Swedish pages -------------------------------------------------


@pytest.fixture()
def signed_in(app: Flask, csrf_off_client):
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject="page-language-names", name="Test Person", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    sign_in(csrf_off_client, person_id)
    yield csrf_off_client
    with app.app_context():
        db.session.delete(db.session.get(Person, person_id))
        db.session.commit()


def test_the_reservation_page_names_the_point_and_service_in_the_page_language(signed_in) -> None:
    swedish = text(signed_in.get(f"/sv/own/reservations/new/appointment?location={TURKU_ADVICE}"))
    finnish = text(signed_in.get(f"/fi/own/reservations/new/appointment?location={TURKU_ADVICE}"))
    english = text(signed_in.get(f"/en/own/reservations/new/appointment?location={TURKU_ADVICE}"))
    assert SWEDISH_NAME in swedish and "Företagsrådgivning för nya företagare" in swedish
    assert (
        SWEDISH_NAME not in finnish and FINNISH_NAME in finnish and "Yritysneuvonta aloittavalle yrittäjälle" in finnish
    )
    # no English name for the point: the Finnish one; the service has an English name
    assert (
        SWEDISH_NAME not in english and FINNISH_NAME in english and "Business advice for new entrepreneurs" in english
    )


def test_the_feedback_form_names_the_point_in_the_page_language(client) -> None:
    swedish = text(client.get(f"/sv/feedback/quick?kind=service&location={TURKU_ADVICE}"))
    finnish = text(client.get(f"/fi/feedback/quick?kind=service&location={TURKU_ADVICE}"))
    assert SWEDISH_NAME in swedish
    assert SWEDISH_NAME not in finnish and FINNISH_NAME in finnish


def test_the_comparison_names_the_point_in_the_page_language(csrf_off_client) -> None:
    complete_business(csrf_off_client, "sv")
    swedish = text(csrf_off_client.get("/sv/events/business/plan"))
    finnish = text(csrf_off_client.get("/fi/events/business/plan"))
    assert SWEDISH_NAME in swedish
    assert SWEDISH_NAME not in finnish and FINNISH_NAME in finnish


# --- each event's own start page ------------------------------------------------------------------------


def before_you_start(page: str) -> list[str]:
    found = re.search(r"<h2[^>]*>Before you start</h2>\s*<p>([^<]*)</p>\s*<ul[^>]*>(.*?)</ul>", page, re.S)
    assert found, "no before-you-start list"
    items = [
        re.sub(r"<span.*", "", li, flags=re.S).strip() for li in re.findall(r"<li>(.*?)</li>", found.group(2), re.S)
    ]
    return [found.group(1).strip(), *items]


def test_the_ecec_start_page_asks_for_the_income_for_the_fee(client) -> None:
    page = text(client.get("/en/events/ecec/"))
    assert before_you_start(page) == [
        "It takes about 5 minutes. Have these at hand:",
        "Your child's date of birth",
        "The addresses of your home and your workplace or place of study",
        "Your family's gross income a month",
    ]
    assert "You need it for the exact fee" in page


def test_the_business_start_page_lists_what_a_founder_needs(client) -> None:
    page = text(client.get("/en/events/business/"))
    assert before_you_start(page) == [
        "It takes about 10 minutes. Have these at hand:",
        "Your business idea, what you will do and sell",
        "An estimate of your sales in the first year and a fair yearly pay for your own work",
        "The address of your business premises",
    ]
    assert "monthly income" not in page and "exact fee" not in page


def test_the_unemployment_start_page_lists_what_a_jobseeker_needs(client) -> None:
    page = text(client.get("/en/events/unemployment/"))
    assert before_you_start(page) == [
        "It takes about 5 minutes. Have these at hand:",
        "Your first day without work",
        "Your gross pay a month, or your confirmed YEL work income if you were an entrepreneur",
        "Whether you are a member of an unemployment fund, and since when",
    ]
    assert "monthly income" not in page and "exact fee" not in page


def test_service_point_records_carry_the_language_versions_of_their_addresses(app: Flask) -> None:
    """For the comparison tables: a point's address in the page's language (the template's own change is pending)."""
    from datetime import datetime

    from portal.catalogue_repo import SqlServiceCatalogue
    from portal.extensions import db

    with app.app_context():
        points = SqlServiceCatalogue(db.session).service_points(("employment_services",), "853", datetime(2026, 11, 22))
    assert points, "the demo catalogue has employment services for Turku"
    assert {p.address(lang) for p in points for lang in ("fi", "sv", "en")} == {
        "https://tyomarkkinatori.fi",
        "https://tyomarkkinatori.fi/sv",
        "https://tyomarkkinatori.fi/en",
    }
    assert {p.eservice_url for p in points} == {"https://tyomarkkinatori.fi"}  # the stored column is unchanged


def test_the_comparison_links_a_service_point_in_the_page_language(csrf_off_client) -> None:
    """Turku's food control and employment services have a Swedish site (turku.fi/sv): the service cards of a
    Swedish plan link there, a Finnish plan to the Finnish site."""
    complete_business(csrf_off_client, "sv")
    swedish = links(text(csrf_off_client.get("/sv/events/business/plan")))
    finnish = links(text(csrf_off_client.get("/fi/events/business/plan")))
    assert "https://www.turku.fi/sv" in swedish and "https://www.turku.fi/sv" not in finnish
    assert "https://www.turku.fi" in finnish
