"""A fifth life event from a fixture file, to prove the README's guide ("Adding a life event"): the data file
tests/fixtures/events/new_dog.yaml, loaded through the same loader as configurator/events/*.yaml, with a
predicate registered by name, a deadline from a dated parameter and one from a practical offset, and texts
that are message ids. A journey runs through it with the Flask test client, with no code naming the event.

The app reads its events from ``app.extensions["polku.life_events"]`` (portal/__init__.py), so the test adds
the fixture there: no setting is needed. Today is the tests' 2026-11-22.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.messages.pofile import read_po
from flask import Flask

from configurator.babel_extract import extract_life_event, life_event_texts
from configurator.lifeevents import EVENTS_DIR, LifeEvent, LifeEventError, load_life_events, parse_life_event
from configurator.predicates import PREDICATES, Answers
from tests.conftest import build_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "events"
FIXTURE = FIXTURES / "new_dog.yaml"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


def dog_from_abroad(answers: Answers, today: date) -> bool:
    """The throwaway event's predicate: what configurator/predicates/<event>.py would hold, with @predicate."""
    return answers.get("from_abroad") is True


@pytest.fixture(scope="module")
def predicate_registered() -> Iterator[None]:
    PREDICATES["dog_from_abroad"] = dog_from_abroad
    yield
    del PREDICATES["dog_from_abroad"]


@pytest.fixture(scope="module")
def new_dog(predicate_registered: None) -> LifeEvent:
    return load_life_events(FIXTURES)["new_dog"]


@pytest.fixture(scope="module")
def dog_app(tmp_path_factory: pytest.TempPathFactory, new_dog: LifeEvent) -> Flask:
    app = build_app(f"sqlite:///{tmp_path_factory.mktemp('fifth') / 'polku.db'}", WTF_CSRF_ENABLED=False)
    app.extensions["polku.life_events"] = dict(app.extensions["polku.life_events"]) | {"new_dog": new_dog}
    return app


def page(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_file_loads_through_the_same_loader(new_dog: LifeEvent) -> None:
    assert new_dog.title == "Take a dog into your home"
    assert [q.id for q in new_dog.questions()] == ["arrival_date", "from_abroad"]
    assert [item.id for item in new_dog.checklist] == ["register_dog", "vet_check"]
    assert new_dog.checklist[0].due[0].period == "moving.dog_register.change_notice_months"
    assert new_dog.checklist[1].show_if == "dog_from_abroad"


def test_without_its_predicate_the_file_fails_at_load_naming_the_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(PREDICATES, "dog_from_abroad", raising=False)
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    with pytest.raises(LifeEventError) as error:
        parse_life_event(data, "new_dog.yaml")
    assert "new_dog.yaml: checklist[1].show_if: unknown predicate 'dog_from_abroad'" in str(error.value)


def test_a_literal_offset_restating_the_legal_figure_is_refused(predicate_registered: None) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["checklist"][0]["due"] = [{"from": "arrival_date", "offset": {"months": 1}}]
    with pytest.raises(LifeEventError) as error:
        parse_life_event(data, "new_dog.yaml")
    assert "restates the legal figure 'moving.dog_register.change_notice_months'" in str(error.value)


def test_its_texts_are_message_ids_the_extractor_finds_and_no_catalog_has_yet() -> None:
    """What a content designer translates: every text of the file, as `make translations-update` extracts them
    from configurator/events/ (the same extractor). Only the texts a real event shares ("Start now", the Food
    Authority) are in the catalogs; every new one is not yet, so the pages show it in English until it is."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    extracted = {text for _, _, text, _ in extract_life_event(io.BytesIO(FIXTURE.read_bytes()), [], [], {})}
    assert extracted == life_event_texts(data)
    assert {
        "Take a dog into your home",
        "Enter the day the dog comes",
        "Within {dog_months} month of the dog's arrival.",
    } <= extracted
    assert "new_dog" not in extracted and "eservice" not in extracted  # ids and codes are not texts
    shared = set().union(
        *(life_event_texts(yaml.safe_load(path.read_text(encoding="utf-8"))) for path in EVENTS_DIR.glob("*.yaml"))
    )
    assert extracted & shared == {"Start now", "Finnish Food Authority (Ruokavirasto), dog register"}
    for lang in ("fi", "sv"):
        with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        translated = {text for text in extracted if catalog.get(text) is not None and catalog.get(text).string}
        assert translated == extracted & shared, lang


def test_a_journey_through_it(dog_app: Flask) -> None:
    client = dog_app.test_client()
    start = page(client.get("/en/events/new_dog/"))
    assert "<h1" in start and "Take a dog into your home" in start
    assert "The day the dog comes to live with you" in start  # before_you_start

    # an empty step: the GOV.UK error summary with the file's own error texts
    response = client.post("/en/events/new_dog/steps/dog", data={})
    assert response.status_code == 200
    errors = page(response)
    assert "error-summary" in errors
    assert 'href="#arrival_date' in errors and "Enter the day the dog comes" in errors
    assert "Select yes if the dog comes from abroad" in errors

    arrival = {"arrival_date-day": "15", "arrival_date-month": "12", "arrival_date-year": "2026"}
    response = client.post("/en/events/new_dog/steps/dog", data=arrival | {"from_abroad": "yes"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/events/new_dog/check")
    check = page(client.get("/en/events/new_dog/check"))
    assert "15 December 2026" in check

    plan = page(client.get("/en/events/new_dog/plan"))
    # the register: 1 month after 15 December 2026 (the parameter in force, 1 month since 2023-01-01) is
    # 15 January 2027, a Friday; the health check: the practical offset of 2 weeks, 29 December 2026, a Tuesday
    assert "Put yourself in the dog register as the dog&#39;s holder" in plan
    assert "15 January 2027" in plan
    assert "Book a health check for a dog from abroad" in plan
    assert "29 December 2026" in plan
    assert "Report a new holder within 1 month." in plan  # {dog_months} filled from the parameter
    # the task's e-service link counts its follows (portal/metrics) and names the organisation's address
    assert '<a href="/en/go/new_dog/register_dog/eservice">https://koirarekisteri.ruokavirasto.fi</a>' in plan

    # the predicate decides: a dog from Finland has no health-check task
    client.post("/en/events/new_dog/steps/dog", data=arrival | {"from_abroad": "no"})
    plan = page(client.get("/en/events/new_dog/plan"))
    assert "15 January 2027" in plan
    assert "Book a health check for a dog from abroad" not in plan


def test_in_finnish_the_untranslated_texts_show_as_their_english_ids(dog_app: Flask) -> None:
    client = dog_app.test_client()
    start = page(client.get("/fi/events/new_dog/"))
    assert '<html lang="fi"' in start
    assert "Take a dog into your home" in start  # the message id, until the catalogs have it
    assert "Start now" not in start  # a text the catalogs have is translated


def test_the_other_events_are_untouched(new_dog: LifeEvent) -> None:
    from configurator.lifeevents import default_life_events

    assert "new_dog" not in default_life_events()
