"""Issue 12, item 7: links to outside sites in the page's language, names in Swedish through one helper,
and each event's own "before you start" (the loader's side; the pages are in tests/web)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
import yaml

from configurator.catalogue import EcecUnitRecord
from configurator.checklist import Contact, build_checklist
from configurator.geo import Coverage, Name, Place
from configurator.lifeevents import EVENTS_DIR, LifeEventError, default_life_events, parse_life_event
from configurator.names import Localized, LocalizedError, localized, parse_localized
from configurator.service_points import ServicePointRecord

ECEC = yaml.safe_load((EVENTS_DIR / "ecec.yaml").read_text(encoding="utf-8"))


# --- the one helper -------------------------------------------------------------------------------------


def test_a_name_is_swedish_on_swedish_pages_and_finnish_on_others() -> None:
    turku = Localized("Turku", "Åbo")
    assert [turku.display(lang) for lang in ("fi", "sv", "en")] == ["Turku", "Åbo", "Turku"]
    assert Name is Localized  # geo's place names are the same helper


def test_a_missing_version_falls_back_to_finnish_then_swedish_then_english() -> None:
    tortinmaki = Localized("Tortinmäki")
    assert [tortinmaki.display(lang) for lang in ("fi", "sv", "en", None, "de")] == ["Tortinmäki"] * 5
    service = Localized("Elintarvikevalvonta", "Livsmedelstillsyn", "Food control")
    assert [service.display(lang) for lang in ("fi", "sv", "en")] == [
        "Elintarvikevalvonta",
        "Livsmedelstillsyn",
        "Food control",
    ]
    english_only = Localized(en="https://example.fi/en")
    assert english_only.display("fi") == english_only.display("sv") == "https://example.fi/en"
    assert localized(None, "", None) is None and localized("Kela", "FPA").display("sv") == "FPA"
    with pytest.raises(LocalizedError):
        Localized()


def test_unit_and_service_point_records_name_themselves_with_the_helper() -> None:
    unit = EcecUnitRecord(
        id=1,
        name="Päiväkoti Satakieli",
        name_sv="Daghemmet Näktergalen",
        street_address="Katu 1",
        postal_code="20100",
        municipality_code="853",
        latitude=60.45,
        longitude=22.26,
        languages=("fi", "sv"),
        care_type="day_care_centre",
        provider_type="municipal",
        shift_care=False,
        serves_under_3=True,
        serves_3_and_over=True,
    )
    assert [unit.display_name(lang) for lang in ("fi", "sv", "en")] == [
        "Päiväkoti Satakieli",
        "Daghemmet Näktergalen",
        "Päiväkoti Satakieli",
    ]
    point = ServicePointRecord(
        id=2001,
        kind="business_advice",
        organisation="Turun seudun uusyrityskeskus",
        service_name={"fi": "Yritysneuvonta", "sv": "Företagsrådgivning", "en": None},
        name="Turun seudun uusyrityskeskus",
        name_sv="Åboregionens nyföretagarcentral",
        street_address="Linnankatu 11",
        postal_code="20100",
        municipality_code="853",
        latitude=60.45,
        longitude=22.26,
        languages=("fi", "sv"),
        serves_municipalities=frozenset({"853"}),
        fee=Decimal(0),
    )
    assert point.display_name("sv") == "Åboregionens nyföretagarcentral"
    assert point.display_name("en") == "Turun seudun uusyrityskeskus"
    # a service without an English name is shown in Finnish on English pages
    assert [point.service_display_name(lang) for lang in ("fi", "sv", "en")] == [
        "Yritysneuvonta",
        "Företagsrådgivning",
        "Yritysneuvonta",
    ]


def test_places_and_coverage_name_municipalities_in_swedish() -> None:
    place = Place(None, None, "853", "20100", area=Name("Turku", "Åbo"), municipality=Name("Turku", "Åbo"))
    assert place.area_label("sv") == "20100 Åbo" and place.area_label("en") == "20100 Turku"
    coverage = Coverage(
        frozenset({"853", "202"}), names={"853": Name("Turku", "Åbo"), "202": Name("Kaarina", "S:t Karins")}
    )
    assert coverage.display_names("sv") == ["S:t Karins", "Åbo"]


# --- per-language addresses in the event files ----------------------------------------------------------


def test_a_plain_address_is_one_version_and_a_mapping_one_per_language() -> None:
    assert parse_localized("https://ilppa.fi", "x", url=True) == Localized(fi="https://ilppa.fi")
    assert parse_localized({"fi": "https://a.fi", "en": "https://a.fi/en"}, "x", url=True).as_dict() == {
        "fi": "https://a.fi",
        "en": "https://a.fi/en",
    }
    assert parse_localized(None, "x", url=True) is None


def _with_kela_url(url: object) -> dict:
    data = copy.deepcopy(ECEC)
    kela = next(o for o in data["organisations"] if o["id"] == "kela")
    kela["url"] = url
    return data


@pytest.mark.parametrize(
    "url, message",
    [
        ({"fi": "https://www.kela.fi", "de": "https://www.kela.fi/de"}, "unknown language(s) ['de']"),
        ({"fi": "http://www.kela.fi"}, "must start with https://"),
        ("www.kela.fi", "must start with https://"),
        ({"sv": ""}, "'sv' version must be a non-empty text"),
        ({}, "at least one language"),
        (["https://www.kela.fi"], "expected a text or a mapping of languages"),
    ],
)
def test_the_loader_rejects_a_bad_url_mapping(url: object, message: str) -> None:
    with pytest.raises(LifeEventError, match=r"organisations\[1\]\.url: ") as error:
        parse_life_event(_with_kela_url(url))
    assert message in str(error.value)


def test_the_loader_rejects_an_unknown_organisation_key() -> None:
    data = copy.deepcopy(ECEC)
    data["organisations"][1]["urls"] = "https://www.kela.fi"
    with pytest.raises(LifeEventError, match="unknown key"):
        parse_life_event(data)


class Directory:
    """A directory that knows no local organisation: the event files' own addresses are used."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        return None

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        return None


def kela_contact(locale: str) -> Contact:
    from configurator.answers import LocationAnswer

    answers = {
        "child_birth_date": date(2025, 3, 15),
        "start_date": date(2027, 8, 12),
        "hours_per_week": 30,
        "care_language": "fi",
        "shift_care": False,
        "sudden_need": False,
        "home": LocationAnswer(Place(60.45, 22.26, "853", "20100")),
        "family_size": 3,
        "income": Decimal(6000),
        "other_children_in_ecec": 0,
        "consider_private": True,
    }
    entries = build_checklist(default_life_events()["ecec"], answers, date(2026, 6, 1), Directory(locale))
    return next(e.contact for e in entries if e.item.id == "apply_for_home_care_allowance")


@pytest.mark.parametrize(
    "locale, url",
    [
        ("fi", "https://www.kela.fi/lapsiperheet-pikaopas"),
        ("sv", "https://www.kela.fi/barnfamiljer-snabbguide"),
        ("en", "https://www.kela.fi/families"),
    ],
)
def test_the_checklist_links_to_kela_in_the_page_language(locale: str, url: str) -> None:
    contact = kela_contact(locale)
    assert contact.url == url
    assert contact.urls.as_dict() == {
        "fi": "https://www.kela.fi/lapsiperheet-pikaopas",
        "sv": "https://www.kela.fi/barnfamiljer-snabbguide",
        "en": "https://www.kela.fi/families",
    }


def test_an_address_without_a_swedish_version_falls_back_to_the_finnish_one() -> None:
    mela = default_life_events()["business"].organisations["mela"].url
    assert (mela.display("sv"), mela.display("en")) == ("https://www.mela.fi", "https://www.mela.fi/en")


# --- before you start -----------------------------------------------------------------------------------


def test_each_event_says_what_to_have_at_hand() -> None:
    events = default_life_events()
    ecec, business, unemployment = (events[e].before_you_start for e in ("ecec", "business", "unemployment"))
    assert ecec.minutes == 5 and [i.label for i in ecec.at_hand] == [
        "Your child's date of birth",
        "The addresses of your home and your workplace or place of study",
        "Your family's gross income a month",
    ]
    assert business.minutes == 10 and [i.label for i in business.at_hand] == [
        "Your business idea, what you will do and sell",
        "An estimate of your sales in the first year and a fair yearly pay for your own work",
        "The address of your business premises",
    ]
    assert unemployment.minutes == 5 and [i.label for i in unemployment.at_hand] == [
        "Your first day without work",
        "Your gross pay a month, or your confirmed YEL work income if you were an entrepreneur",
        "Whether you are a member of an unemployment fund, and since when",
    ]
    # only ECEC asks for the family's income (the fee)
    assert not any("income" in i.label.lower() and "family" in i.label.lower() for i in business.at_hand)


@pytest.mark.parametrize(
    "before, message",
    [
        ({"minutes": 0, "at_hand": [{"label": "x"}]}, "'minutes' must be a whole number from 1 to 60"),
        ({"minutes": "5", "at_hand": [{"label": "x"}]}, "'minutes' must be a whole number"),
        ({"minutes": 5, "at_hand": []}, "'at_hand' must list at least one"),
        ({"minutes": 5, "at_hand": ["Your income"]}, "each 'at_hand' item is a mapping"),
        ({"minutes": 5, "at_hand": [{"hint": "only a hint"}]}, "'label' is required"),
        ({"minutes": 5, "at_hand": [{"label": "x"}], "seconds": 3}, "expected a mapping of"),
    ],
)
def test_the_loader_rejects_a_bad_before_you_start(before: dict, message: str) -> None:
    data = copy.deepcopy(ECEC)
    data["before_you_start"] = before
    with pytest.raises(LifeEventError, match="before_you_start") as error:
        parse_life_event(data)
    assert message in str(error.value)


def test_the_texts_to_have_at_hand_reach_the_catalogs() -> None:
    from configurator.babel_extract import life_event_texts

    texts = life_event_texts(ECEC)
    assert "Your child's date of birth" in texts
    assert "A postal code is enough." in texts
