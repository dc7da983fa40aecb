"""The privacy notice page (issue 13, hole 9) in fi, sv and en: its headings, the session timeouts as
configured, the controller and contact from the configuration, and the links to it from the footer and the
consent (welcome) page."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from flask import Flask

from tests.helpers import sign_in
from tests.web.test_own_space import person_id

HEADINGS = {
    "fi": (
        "Tietosuojaseloste",
        [
            "Kuka vastaa tiedoistasi",
            "Mitä Polku säilyttää",
            "Käsittelyperusteet",
            "Yksityisiä vastauksia ei koskaan tallenneta",
            "Evästeet",
            "Palvelun käytön laskeminen",
            "Kenelle tietoja luovutetaan",
            "Ei automaattisia päätöksiä",
            "Oikeutesi",
            "Valitus valvontaviranomaiselle",
        ],
    ),
    "sv": (
        "Dataskyddsbeskrivning",
        [
            "Vem som ansvarar för dina uppgifter",
            "Vad Polku sparar",
            "Rättsliga grunder",
            "Privata svar sparas aldrig",
            "Kakor",
            "Hur användningen av tjänsten räknas",
            "Vem som får dina uppgifter",
            "Inga automatiserade beslut",
            "Dina rättigheter",
            "Klagomål till tillsynsmyndigheten",
        ],
    ),
    "en": (
        "Privacy notice",
        [
            "Who is responsible for your data",
            "What Polku keeps",
            "Legal bases",
            "Private answers are never saved",
            "Cookies",
            "Counting how the service is used",
            "Who else gets your data",
            "No automated decisions",
            "Your rights",
            "Complaints",
        ],
    ),
}
SESSION_SENTENCES = {
    "fi": "45 minuuttia sen jälkeen, kun viimeksi käytit Polkua, 6 tuntia istunnon alkamisesta",
    "sv": "45 minuter efter att du senast använde Polku, 6 timmar efter att sessionen började",
    "en": "45 minutes after you last used Polku, 6 hours after the session began",
}
OMBUDSMAN = {
    "fi": ("Tietosuojavaltuutetun toimisto", "PL 800, 00531 Helsinki", "https://tietosuoja.fi/yhteystiedot"),
    "sv": ("Dataombudsmannens byrå", "PB 800, 00531 Helsingfors", "https://tietosuoja.fi/sv/kontaktuppgifter"),
    "en": (
        "Office of the Data Protection Ombudsman",
        "P.O. Box 800, 00531 Helsinki",
        "https://tietosuoja.fi/en/notification-to-the-data-protection-ombudsman",
    ),
}


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def headings(html: str, level: int) -> list[str]:
    return [text_of(h) for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)]


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture()
def timeouts(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "SESSION_IDLE_TIMEOUT", timedelta(minutes=45))
    monkeypatch.setitem(app.config, "SESSION_ABSOLUTE_TIMEOUT", timedelta(hours=6))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_notice_in_each_language(client, lang: str, timeouts: None) -> None:
    response = client.get(f"/{lang}/privacy")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    title, sections = HEADINGS[lang]
    assert headings(html, 1) == [title]
    assert f"<title>{title} – Polku</title>" in html
    assert headings(main_of(html), 2) == sections
    main = text_of(main_of(html))
    assert SESSION_SENTENCES[lang] in main
    name, postal, link = OMBUDSMAN[lang]
    assert name in main and postal in main and f'href="{link}"' in html
    assert 'href="mailto:tietosuoja@om.fi"' in html


def test_one_heading_per_table_that_holds_personal_data(client) -> None:
    html = main_of(client.get("/en/privacy").get_data(as_text=True))
    assert headings(html, 3) == [
        "Your session",
        "Your account",
        "Your consents",
        "Your saved plans",
        "Tasks you have done",
        "Links you have shared",
        "Calendar addresses of your plans",
        "Suggestions you have dismissed",
        "Your reservations",
        "Your messages",
        "Your feedback",
        "Limits on repeated requests",
    ]
    fi = main_of(client.get("/fi/privacy").get_data(as_text=True))
    assert headings(fi, 3)[:3] == ["Istuntosi", "Tilisi", "Suostumuksesi"]


def test_the_fields_their_purpose_basis_and_retention(client) -> None:
    main = text_of(main_of(client.get("/en/privacy").get_data(as_text=True)))
    assert (
        "Your phone number. Only for an appointment by phone, if you gave it. "
        "Why: So that the service can call you at the time you reserved."
    ) in main
    # a field whose basis differs from its table's says so
    assert (
        "Why: To show your details in My data and, only if you allow it, to fill in questions for you and to "
        "let you make a plan for your child or your company. Legal basis: Public task; Your consent."
    ) in main
    assert "Legal obligation" in main  # consent records
    # the private questions of the life events, from the events themselves
    assert "Cope when you lose your job: Would you like help with any of these? (optional)" in main


def test_the_default_timeouts_are_shown(client) -> None:
    main = text_of(main_of(client.get("/en/privacy").get_data(as_text=True)))
    assert "60 minutes after you last used Polku, 8 hours after the session began" in main


def test_controller_and_contact_come_from_the_configuration(app: Flask, client, monkeypatch) -> None:
    main = text_of(main_of(client.get("/en/privacy").get_data(as_text=True)))
    assert "Controller Not filled in yet. Polku is a demonstration service" in main
    assert "tietosuoja@polku.example.fi" in main
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", "Example municipality")
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT_EMAIL", "privacy@example.org")
    html = client.get("/en/privacy").get_data(as_text=True)
    main = text_of(main_of(html))
    assert "Controller Example municipality" in main and "Not filled in yet" not in main
    assert 'href="mailto:privacy@example.org"' in html


def test_the_map_tile_server_is_named_only_when_tiles_are_on(app: Flask, client, monkeypatch) -> None:
    assert "map images" not in client.get("/en/privacy").get_data(as_text=True)
    monkeypatch.setitem(app.config, "MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    main = text_of(main_of(client.get("/en/privacy").get_data(as_text=True)))
    assert "The map images come from https://tile.openstreetmap.org." in main


@pytest.mark.parametrize(
    ("lang", "label"), [("fi", "Tietosuojaseloste"), ("sv", "Dataskyddsbeskrivning"), ("en", "Privacy notice")]
)
def test_the_footer_links_the_notice(client, lang: str, label: str) -> None:
    html = client.get(f"/{lang}/").get_data(as_text=True)
    footer = html[html.index("<footer") :]
    assert f'<a href="/{lang}/privacy">{label}</a>' in footer


@pytest.mark.parametrize(
    ("lang", "label"),
    [
        ("fi", "Lue, miten Polku käsittelee tietojasi (tietosuojaseloste)"),
        ("en", "Read how Polku handles your data (privacy notice)"),
    ],
)
def test_the_consent_page_links_the_notice(app: Flask, client, lang: str, label: str) -> None:
    sign_in(client, person_id(app, "Sirkka", consents=()))
    html = client.get(f"/{lang}/own/welcome").get_data(as_text=True)
    main = main_of(html)
    assert f'<a href="/{lang}/privacy">{label}</a>' in main
    assert main.index("/privacy") < main.index("<form")  # read before choosing the consents
