"""Sirkka's whole story (issue 18, "Done when"), end to end: signed in through the development provider in
Swedish, she allows suggestions, is suggested the moving event with its why, starts it, answers every step
(the private health question too: type 2 diabetes, a care plan), sees on the plan the health stations serving
in Swedish nearest first, books a time at one, makes a calendar address and reads it back with the iCalendar
library; her health answer is nowhere outside this browser session (no "keep private" consent).

Once without JavaScript through the Flask test client (every form posted with its own CSRF token), once in
Chromium (asserting what the page shows), with JavaScript and with it turned off. A last test takes the other
choice: with the "keep private" consent the care plan stays in her own plan, still never in what others read.

Figures by hand. "Today" is Sun 22.11.2026 (tests/conftest.py). Sirkka's address in the population register
(portal/dev_idp/people.yaml) changed "40 days ago": 22.11.2026 - 40 days = 13.10.2026 (November's 22 days and
October's 31 - 13 = 18 days make 40), a Tuesday; the suggestion fills that in as the moving day and she keeps it.
From it (configurator/events/moving.yaml, configurator/parameters/moving.yaml):
  notice of move (DVV)           1 week after            Tue 20.10.2026
  dog register                   1 month after           Fri 13.11.2026
  housing allowance (renting)    1 month after, to the end of that month   13.11. -> Mon 30.11.2026
  Kela, health station, employer, electricity, waste collection: the moving day, 13.10.2026
  the care plan (private): continuing the care at the new station, the moving day 13.10.2026; laboratory tests,
  the nurse's check-up, prescriptions and the self-care programme from today, 22.11.2026, then every 12 months
  from the day done (an RRULE FREQ=MONTHLY;INTERVAL=12: 22.11.2027, 22.11.2028)
  no date: vehicle register, library card, the municipality's services.
The health stations serving Kaarina (20780) in Swedish (tests/web/test_health_stations.py works the distances
out): Kaskenmäki 6.2 km, then Mäntymäki (Tallbacken in Swedish) 8.5 km; Kaskenmäki's next free time is
Wed 25.11.2026 08:30, a time by phone.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import icalendar
import pytest
from dateutil.rrule import rrulestr
from flask import Flask
from sqlalchemy import select

from portal.account_models import Person, Reservation, SavedPlan
from portal.extensions import db
from portal.models import AppointmentSlot
from tests.conftest import build_app
from tests.e2e.journeys import JS, delete_account, path_of
from tests.e2e.journeys import sign_in as sign_in_in_browser
from tests.helpers import sign_in
from tests.web.test_provider_origin import choose, dev_provider
from tests.web.test_suggestions import person_id

SIRKKA_SUB = "a1ae38a8-721d-40d8-aa89-21de02eb7153"  # portal/dev_idp/people.yaml
MOVING_DAY = date(2026, 10, 13)
TODAY = date(2026, 11, 22)
# task -> its date on the plan (None: no date); the care tasks only from the private answer, in this session
DATES: dict[str, date | None] = {
    "notify_move": date(2026, 10, 20),
    "tell_kela": MOVING_DAY,
    "apply_housing_allowance": date(2026, 11, 30),
    "choose_health_station": MOVING_DAY,
    "vehicle_details": None,
    "dog_register": date(2026, 11, 13),
    "tell_work_or_studies": MOVING_DAY,
    "electricity_contract": MOVING_DAY,
    "waste_collection": MOVING_DAY,
    "library_card": None,
    "municipal_services": None,
}
CARE: dict[str, date] = {
    "continue_care": MOVING_DAY,
    "laboratory_tests": TODAY,
    "nurse_visit": TODAY,
    "renew_prescriptions": TODAY,
    "self_care_programme": TODAY,
}
RECURRING = {"laboratory_tests", "nurse_visit", "renew_prescriptions", "self_care_programme"}
STEPS: dict[str, dict[str, Any]] = {
    "move": {
        "from_home-postal_code": "00100",  # from Helsinki
        "home-postal_code": "20780",  # Kaarina, as in the register
        "moving_date-day": "13",
        "moving_date-month": "10",
        "moving_date-year": "2026",
    },
    "household": {"household": ["dog", "car"], "housing": "renting", "occupation": "working"},
    "health": {"care": ["condition", "prescriptions"]},
}
# What her health answer would look like anywhere: the option labels and the care tasks' titles, in Swedish.
HEALTH_WORDS = (
    "diabetes",
    "Ta dina laboratorieprov",
    "Gå på den årliga kontrollen hos skötaren",
    "Förnya dina recept innan de går ut",
    "Följ ditt egenvårdsprogram och dess mål",
    "Boka en tid så att din vård fortsätter på den nya hälsostationen",
)
SWEDISH_STATIONS = [("Hälsostationen i Kaskenmäki", "6,2 km"), ("Tallbackens hälsostation", "8,5 km")]
KASKENMAKI = 2051


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A database of its own: the story books a time, and no other test's answers are in it when it looks for hers."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('sirkka-story') / 'polku.db'}")


def text(response: Any) -> str:
    return response.get_data(as_text=True)


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def checklist(page: str) -> dict[str, list[str]]:
    """Each task of the page's checklist with the ISO dates of its <time> elements, in order."""
    tasks: dict[str, list[str]] = {}
    for block in re.split(r'<li class="checklist__item" id="task-', page)[1:]:
        task_id, rest = block.split('"', 1)
        tasks[task_id] = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', rest.split("</li>", 1)[0])
    return tasks


def events_of(ics: bytes) -> dict[str, icalendar.Event]:
    """The calendar's events by task id (their UIDs end in -<task>@polku)."""
    calendar = icalendar.Calendar.from_ical(ics)
    return {str(e["uid"]).rsplit("-", 1)[-1].removesuffix("@polku"): e for e in calendar.walk("VEVENT")}


def tables_holding(app: Flask, words: tuple[str, ...]) -> set[str]:
    """The tables with a row that holds any of the words in any column."""
    found = set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)).all():
                if any(word in repr(tuple(row)) for word in words):
                    found.add(table.name)
    return found


def first_dates(page: str) -> dict[str, date | None]:
    return {t: (date.fromisoformat(found[0]) if found else None) for t, found in checklist(page).items()}


# --- a) without JavaScript: the Flask test client --------------------------------------------------------------


def test_sirkkas_story_without_javascript(
    app: Flask, client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with dev_provider(app, monkeypatch):
        # signing in, in Swedish, through the development provider's chooser; the first time: the welcome page
        start = client.get("/sv/sign-in")
        assert start.status_code == 302 and "ui_locales=sv" in start.headers["Location"]
        back = urlsplit(choose(client, start.headers["Location"], SIRKKA_SUB))
        welcome_at = client.get(back.path, query_string=back.query).headers["Location"]
    assert welcome_at.startswith("/sv/own/welcome")
    welcome = text(client.get(welcome_at))
    assert "checked" not in welcome  # no consent is given for her
    answer = client.post(
        "/sv/own/welcome", data={"csrf_token": csrf(welcome), "next": "/sv/own/", "suggestions": "yes"}
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/sv/own/"

    # the suggestion, saying why
    own = text(client.get("/sv/own/"))
    section = re.search(r'<section aria-labelledby="suggestions-title">.*?</section>', own, re.S).group(0)
    card = re.search(r'<div class="plan-card suggestion">.*?</div>', section, re.S).group(0)
    assert "Flytta till en ny kommun" in card
    why = " ".join(unescape(re.sub(r"<[^>]+>", " ", re.search(r"<p><strong>.*?</p>", card, re.S).group(0))).split())
    assert why.startswith("Varför: ") and "13 oktober 2026" in why, why
    started = client.post("/sv/own/suggestions/moving:self/start", data={"csrf_token": csrf(card)})
    assert started.status_code == 302
    assert urlsplit(started.headers["Location"]).path == "/sv/events/moving/steps/move"  # the first open question

    # every step, each form as the page gives it: the moving day is there already, from the register
    move = text(client.get("/sv/events/moving/steps/move"))
    assert re.search(r'name="moving_date-day"[^>]*value="13"', move), "the suggestion's moving day is not filled in"
    for step, data in STEPS.items():
        page = text(client.get(f"/sv/events/moving/steps/{step}"))
        if step == "health":  # optional and private, and says so
            assert "Jag har en långvarig sjukdom med regelbundna kontroller, till exempel typ 2-diabetes" in page
            assert "Ditt svar finns bara kvar i den här webbläsarsessionen och sparas inte." in page
        posted = client.post(f"/sv/events/moving/steps/{step}", data={**data, "csrf_token": csrf(page)})
        assert posted.status_code == 302, (step, text(posted)[:3000])

    # the plan of this browser session: the care tasks of her private answer too
    plan = text(client.get("/sv/events/moving/plan"))
    assert first_dates(plan) == {**DATES, **CARE}

    # the plan's .ics file, downloaded to her own device from this session: the page's dates, and the care plan's
    # recurring tasks with an RRULE, every 12 months from the first date (22.11.2026, 22.11.2027, 22.11.2028)
    download = client.get("/sv/events/moving/calendar.ics")
    assert download.status_code == 200 and download.mimetype == "text/calendar"
    downloaded = events_of(download.data)
    assert {t: e.decoded("dtstart") for t, e in downloaded.items()} == {t: d for t, d in {**DATES, **CARE}.items() if d}
    assert {t: e.decoded("dtstart") for t, e in downloaded.items()} == {
        t: d for t, d in first_dates(plan).items() if d
    }  # the page's dates, read from both
    assert {t for t, e in downloaded.items() if "rrule" in e} == RECURRING
    for task in RECURRING:
        rule = downloaded[task]["rrule"]
        assert (rule["FREQ"], rule["INTERVAL"]) == (["MONTHLY"], [12])
        expanded = rrulestr(rule.to_ical().decode(), dtstart=datetime(2026, 11, 22))
        assert [d.date() for d in expanded[:3]] == [TODAY, date(2027, 11, 22), date(2028, 11, 22)]

    # the health stations serving in Swedish, nearest first (the filter is a GET form: no JavaScript needed)
    swedish = text(client.get("/sv/events/moving/plan?serves_in=sv"))
    stations = re.search(r'id="services-health_centre-list".*?</ol>', swedish, re.S).group(0)
    names = re.findall(r'class="unit-name">([^<]+)<', stations)
    distances = re.findall(r'data-fact="distance"><dt>[^<]+</dt><dd>([^<]+)<', stations)
    assert list(zip(names, distances, strict=True)) == SWEDISH_STATIONS

    # books the first free time at Kaskenmäki from the card's link
    link = re.search(
        r'<a href="([^"]*)">[^<]*<span class="visually-hidden">: Hälsostationen i Kaskenmäki</span>', swedish
    )
    assert link, "no reservation link on Kaskenmäki's card"
    reserve = unescape(link.group(1))
    assert reserve.startswith(f"/sv/own/reservations/new/appointment?location={KASKENMAKI}")
    form = text(client.get(reserve))
    assert '<time datetime="2026-11-25T08:30:00">' in re.search(
        rf'id="unit-service-{KASKENMAKI}".*?</li>', swedish, re.S
    ).group(0), "the card's next free time"
    # the first free time, the card's, is by phone: the form asks for the number to call (kept with the reservation)
    slot, channel = re.search(r'name="slot" value="(\d+)" id="slot" data-channel="(\w+)"', form).groups()
    assert channel == "phone"
    booked = client.post(reserve, data={"slot": slot, "phone": "040 123 4567", "csrf_token": csrf(form)})
    assert booked.status_code == 302, re.findall(r"error-summary.*?</div>", text(booked), re.S)[:1]
    with app.app_context():
        person = db.session.scalar(select(Person).where(Person.subject == SIRKKA_SUB))
        [(starts_at, location, status)] = db.session.execute(
            select(AppointmentSlot.starts_at, AppointmentSlot.location_id, Reservation.status)
            .join(AppointmentSlot, Reservation.slot_id == AppointmentSlot.id)
            .where(Reservation.person_id == person.id)
        ).all()
        saved = db.session.scalar(select(SavedPlan).where(SavedPlan.person_id == person.id))
        plan_id, answers, private = saved.id, dict(saved.answers), saved.private_answers
    assert (starts_at, location, status) == (datetime(2026, 11, 25, 8, 30), KASKENMAKI, "confirmed")

    # the saved plan: her answers, never the health one (no "keep private" consent)
    assert answers["home-postal_code"] == "20780" and answers["moving_date-day"] == "13"
    assert "care" not in answers and private is None
    assert not any(word in repr(answers) for word in ("condition", "prescriptions", "diabetes"))

    # her own plan page (what is saved) has the dates without the care tasks
    own_plan = text(client.get(f"/sv/own/plans/{plan_id}"))
    assert first_dates(own_plan) == DATES

    # the calendar address, read as a calendar application reads it (no cookie)
    made = client.post(f"/sv/own/plans/{plan_id}/calendar-address", data={"csrf_token": csrf(own_plan)})
    assert made.status_code == 200
    url = re.search(r'<p class="share-url" id="calendar-url">([^<]+)</p>', text(made)).group(1)
    assert "/sv/shared/calendar/" in url
    feed = app.test_client().get("/" + url.split("/", 3)[3])
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = events_of(feed.data)
    assert {t: e.decoded("dtstart") for t, e in events.items()} == {t: d for t, d in DATES.items() if d}
    page_dates = sorted(d for found in checklist(own_plan).values() for d in found)
    assert sorted(e.decoded("dtstart").isoformat() for e in events.values()) == page_dates
    # the recurring tasks are the care plan's, which the feed leaves out with the answer: no RRULE at all
    assert not RECURRING & set(events) and all("rrule" not in e for e in events.values())
    assert str(events["notify_move"]["summary"]) == "Gör en flyttanmälan"

    # the share page (anyone with the link) shows no trace of the health answer either
    shared = client.post(f"/sv/own/plans/{plan_id}/share", data={"csrf_token": csrf(own_plan)})
    assert shared.status_code == 302
    with app.app_context():
        token = db.session.get(SavedPlan, plan_id).share_links[0].token
    share_page = text(app.test_client().get(f"/sv/shared/{token}"))
    assert "Gör en flyttanmälan" in share_page
    for word in HEALTH_WORDS:
        assert word not in share_page, word
        assert word not in feed.get_data(as_text=True), word
        assert word not in own_plan, word

    # nor in anything logged while she went through it (the sign-in logs; the portal logs no form data)
    assert caplog.records and not any(w in caplog.text for w in ("condition", "prescriptions", "diabetes"))

    # nowhere in the database but in this browser's session (kept server-side), and not there after signing out
    assert tables_holding(app, ("condition", "prescriptions", "diabetes")) == {"web_session"}
    data = text(client.get("/sv/own/data"))
    signed_out = client.post("/sv/sign-out", data={"csrf_token": csrf(data)})
    assert signed_out.status_code == 302
    assert tables_holding(app, ("condition", "prescriptions", "diabetes")) == set()


def test_with_the_keep_private_consent_her_care_plan_stays_hers(tmp_path) -> None:
    """The other choice: Sirkka allows keeping private answers. The saved plan keeps the care answer apart
    (``private_answers``), so her own plan page and its .ics file have the care plan, the recurring tasks with
    their RRULE; the calendar address (which a calendar service reads) and the share page still leave it out.
    A database of its own, so the story above finds no kept answer of this one."""
    app = build_app(f"sqlite:///{tmp_path / 'polku.db'}")
    client = app.test_client()
    sign_in(client, person_id(app, "Sirkka", consents=("suggestions", "keep_private")))
    own = text(client.get("/sv/own/"))
    assert client.post("/sv/own/suggestions/moving:self/start", data={"csrf_token": csrf(own)}).status_code == 302
    for step, data in STEPS.items():
        page = text(client.get(f"/sv/events/moving/steps/{step}"))
        posted = client.post(f"/sv/events/moving/steps/{step}", data={**data, "csrf_token": csrf(page)})
        assert posted.status_code == 302, (step, text(posted)[:3000])
    with app.app_context():
        saved = db.session.scalar(select(SavedPlan).where(SavedPlan.event_id == "moving"))
        plan_id, answers, private = saved.id, dict(saved.answers), saved.private_answers
    assert private == {"care": "condition,prescriptions"} and "care" not in answers

    own_plan = text(client.get(f"/sv/own/plans/{plan_id}"))
    assert first_dates(own_plan) == {**DATES, **CARE}
    download = events_of(client.get(f"/sv/own/plans/{plan_id}/calendar.ics").data)
    assert {t: e.decoded("dtstart") for t, e in download.items()} == {
        t: d for t, d in first_dates(own_plan).items() if d
    }
    assert {t for t, e in download.items() if "rrule" in e} == RECURRING
    assert all(download[t]["rrule"].to_ical() == b"FREQ=MONTHLY;INTERVAL=12" for t in RECURRING)

    made = client.post(f"/sv/own/plans/{plan_id}/calendar-address", data={"csrf_token": csrf(own_plan)})
    url = re.search(r'<p class="share-url" id="calendar-url">([^<]+)</p>', text(made)).group(1)
    feed = app.test_client().get("/" + url.split("/", 3)[3])
    assert {t: e.decoded("dtstart") for t, e in events_of(feed.data).items()} == {
        t: d for t, d in first_dates(own_plan).items() if d and t not in CARE
    }
    client.post(f"/sv/own/plans/{plan_id}/share", data={"csrf_token": csrf(own_plan)})
    with app.app_context():
        token = db.session.get(SavedPlan, plan_id).share_links[0].token
    share_page = text(app.test_client().get(f"/sv/shared/{token}"))
    assert "Gör en flyttanmälan" in share_page
    for word in HEALTH_WORDS:
        assert word not in share_page and word not in feed.get_data(as_text=True), word


# --- b) with JavaScript: Chromium through Playwright -----------------------------------------------------------


def _click_label(page: Any, box: Any) -> None:
    """Tick a radio or checkbox as a person does: by its label (the drawn control)."""
    assert box.count() == 1, box
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_checked()


def _send(page: Any, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _shown(locator: Any) -> str:
    return " ".join(locator.inner_text().split())


@pytest.mark.browser
@pytest.mark.parametrize("js", JS)
def test_sirkkas_journey_in_chromium(new_page, live_server, js: bool) -> None:
    """With JavaScript (the brief's browser journey) and, for the "Done when", with it turned off as well."""
    base, page = live_server.url, new_page("sv", js=js)
    errors: list[str] = []  # script errors and what the browser refused (the strict CSP), on any page of the story
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    # the live server keeps people between tests: an account of Sirkka left by another test goes first, so the
    # suggestion is not already taken or dismissed
    if not sign_in_in_browser(page, base, "sv", "Sirkka"):
        delete_account(page, base, "sv")
        assert sign_in_in_browser(page, base, "sv", "Sirkka"), "no welcome page after the account was deleted"
    assert path_of(page) == "/sv/own/welcome"
    assert page.locator("html").get_attribute("lang") == "sv"
    for purpose in ("prefill", "reminders", "suggestions", "keep_private"):
        assert not page.locator(f"input[name={purpose}]").is_checked(), purpose
    _click_label(page, page.locator("input[name=suggestions]"))
    _send(page)

    # the suggestion and its why, on her own space
    page.goto(f"{base}/sv/own/")
    card = page.locator(".plan-card.suggestion").filter(has_text="Flytta till en ny kommun")
    assert card.count() == 1
    why = _shown(card.locator("p").filter(has_text="Varför:"))
    assert "13 oktober 2026" in why, why
    _send(page, ".plan-card.suggestion form[action$='/suggestions/moving:self/start'] button")
    assert path_of(page) == "/sv/events/moving/steps/move"  # the first open question

    # the steps: the moving day is there already
    assert [page.locator(f"#moving_date-{part}").input_value().lstrip("0") for part in ("day", "month", "year")] == [
        "13",
        "10",
        "2026",
    ]
    page.locator("#from_home-postal_code").fill("00100")
    page.locator("#home-postal_code").fill("20780")
    _send(page)
    assert path_of(page) == "/sv/events/moving/steps/household", _shown(page.locator("main"))[:500]
    for value in ("dog", "car"):
        _click_label(page, page.locator(f"input[name=household][value={value}]"))
    _click_label(page, page.locator("input[name=housing][value=renting]"))
    _click_label(page, page.locator("input[name=occupation][value=working]"))
    _send(page)
    assert path_of(page) == "/sv/events/moving/steps/health", _shown(page.locator("main"))[:500]
    assert "diabetes" in _shown(page.locator("main form"))
    for value in ("condition", "prescriptions"):
        _click_label(page, page.locator(f"input[name=care][value={value}]"))
    _send(page)
    assert path_of(page) == "/sv/events/moving/check", _shown(page.locator("main"))[:500]
    assert "13 oktober 2026" in _shown(page.locator("main"))

    # the plan: every task with the hand-derived dates, the care plan's too (this session only)
    page.goto(f"{base}/sv/events/moving/plan")
    shown = page.locator(".checklist__item").evaluate_all(
        """items => items.map(i => [i.id.replace('task-', ''),
            (i.querySelector('time[datetime]') || {getAttribute: () => null}).getAttribute('datetime')])"""
    )
    assert {task: (date.fromisoformat(d) if d else None) for task, d in shown} == {**DATES, **CARE}

    # the Swedish filter: choose the language and show the results; the stations serving in Swedish, nearest first
    page.locator("#services-serves_in").select_option("sv")
    _send(page, "form.filters button[type=submit]")
    assert "serves_in=sv" in page.url
    stations = page.locator("#services-health_centre-list > li")
    assert [
        (_shown(s.locator(".unit-name")), _shown(s.locator("[data-fact=distance] dd"))) for s in stations.all()
    ] == SWEDISH_STATIONS
    assert all("Betjänar på svenska" in _shown(s) for s in stations.all())
    assert "Svenska" in _shown(stations.first.locator("[data-fact=languages] dd"))
    assert stations.first.locator("[data-fact=next] time").get_attribute("datetime") == "2026-11-25T08:30:00"

    # she books the card's next free time at Kaskenmäki: a time by phone, so the form asks for her number
    with page.expect_navigation():
        stations.first.locator(".option__actions a").click()
    assert path_of(page) == "/sv/own/reservations/new/appointment"
    assert "Hälsostationen i Kaskenmäki" in _shown(page.locator("main"))
    _click_label(page, page.locator("#slot"))
    assert page.locator("#slot").get_attribute("data-channel") == "phone"
    page.locator("#phone").fill("040 123 4567")
    _send(page)
    confirmed = _shown(page.locator("main"))
    assert page.locator(".error-summary").count() == 0, confirmed
    assert "Din bokning har bekräftats." in confirmed, confirmed
    assert "onsdag 25 november 2026 kl. 08:30" in confirmed and "Per telefon" in confirmed, confirmed

    # her plan in the own space: the saved dates, without the care plan; its calendar address read back
    page.goto(f"{base}/sv/events/moving/plan")
    with page.expect_navigation():
        page.locator("section[aria-labelledby=keep-title] a[href*='/own/plans/']").click()
    own_dates = page.locator(".checklist__item").evaluate_all(
        """items => items.map(i => [i.id.replace('task-', ''),
            (i.querySelector('time[datetime]') || {getAttribute: () => null}).getAttribute('datetime')])"""
    )
    assert {task: (date.fromisoformat(d) if d else None) for task, d in own_dates} == DATES
    _send(page, "form[action$='/calendar-address'] button[type=submit]")
    url = _shown(page.locator("#calendar-url"))
    stranger = new_page("sv", js=True)  # a calendar application: none of her cookies
    feed = stranger.request.get(url)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    events = events_of(feed.body())
    assert {t: e.decoded("dtstart").isoformat() for t, e in events.items()} == {t: d for t, d in own_dates if d}
    assert not any(word in feed.text() for word in HEALTH_WORDS)

    # and a share link, opened by someone else: the plan, not her health
    _send(page, "form[action$='/share'] button[type=submit]")
    share_url = page.locator(".share-url a").first.get_attribute("href")
    stranger.goto(share_url)
    shared = _shown(stranger.locator("main"))
    assert "Gör en flyttanmälan" in shared
    assert not any(word in shared for word in HEALTH_WORDS), shared
    assert errors == []
