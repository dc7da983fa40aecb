"""A saved plan's calendar address (issue 18): made and stopped on the own-space plan page, read by calendar
applications without signing in. Its events are the plan page's dates, recurring tasks with an RRULE; a changed
answer or a tick changes it; a stopped, replaced or unknown address is a 404; nobody else reaches the buttons.
Matti's plan (tests/helpers.py): his business ended, first day without work 1.12.2026, so the job-search duty
(monthly review periods) is due on Mon 4.1.2027 (1.1. is New Year's Day), then 1.2., 1.3., ...
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime

import icalendar
from flask import Flask
from sqlalchemy import select

from portal.account_models import CalendarFeed, SavedPlan, ShareLink
from portal.extensions import db
from tests.helpers import complete_unemployment, sign_in
from tests.web.test_own_space import begin, person_id, saved_plan, session_pid


def _matti(app: Flask, csrf_off_client):
    sign_in(csrf_off_client, person_id(app, "Matti"))
    begin(csrf_off_client, "unemployment")
    complete_unemployment(csrf_off_client)
    return saved_plan(app, session_pid(csrf_off_client), "unemployment")


def _make(client, plan_id: int, lang: str = "en") -> tuple[str, str]:
    """Press "Make a calendar address": the page itself answers, with the address shown this once."""
    response = client.post(f"/{lang}/own/plans/{plan_id}/calendar-address")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    url = re.search(r'<p class="share-url" id="calendar-url">([^<]+)</p>', page).group(1)
    return url, page


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def _page_dates(client, plan_id: int) -> list[str]:
    page = client.get(f"/en/own/plans/{plan_id}").get_data(as_text=True)
    return sorted(re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', page.split('id="checklist-title"')[1]))


def _events(client, url: str) -> dict[str, icalendar.Event]:
    response = client.get(_path(url))
    assert response.status_code == 200, response.status_code
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(e["uid"]).split("-")[-1].removesuffix("@polku"): e for e in calendar.walk("VEVENT")}


def test_the_address_is_shown_once_and_only_its_hash_is_kept(app, csrf_off_client) -> None:
    plan = _matti(app, csrf_off_client)
    url, page = _make(csrf_off_client, plan.id)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url.startswith("http") and f"/en/shared/calendar/{token}.ics" in url
    assert f'href="webcal://{url.split("://", 1)[1]}"' in page
    assert "it is shown only this once" in page
    with app.app_context():
        feeds = db.session.scalars(select(CalendarFeed).where(CalendarFeed.plan_id == plan.id)).all()
        assert [f.token_hash for f in feeds] == [hashlib.sha256(token.encode()).hexdigest()]
    again = csrf_off_client.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)
    assert token not in again and "This plan has a calendar address" in again


def test_the_calendar_has_the_page_dates_and_an_rrule_for_the_recurring_task(app, csrf_off_client, client) -> None:
    plan = _matti(app, csrf_off_client)
    url, _ = _make(csrf_off_client, plan.id)
    response = client.get(_path(url))  # a calendar application: no cookie
    assert response.mimetype == "text/calendar"
    assert response.headers["Cache-Control"] == "private, max-age=900"
    assert "Set-Cookie" not in response.headers
    events = _events(client, url)
    assert sorted(e.decoded("dtstart").isoformat() for e in events.values()) == _page_dates(csrf_off_client, plan.id)
    search = events["search_for_jobs"]
    assert search.decoded("dtstart") == date(2027, 1, 4)
    rule = search["rrule"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [1]
    # 4.1. is New Year's Day moved to Monday: the RDATE gives it, the rule the 1st of each month after
    assert rule["BYMONTHDAY"] == [1]
    rdates = {d.dt for r in _as_list(search.get("rdate")) for d in r.dts}
    assert date(2027, 1, 4) in rdates
    assert all("rrule" not in e for k, e in events.items() if k != "search_for_jobs")
    calendar = icalendar.Calendar.from_ical(client.get(_path(url)).data)
    assert str(calendar["refresh-interval"].to_ical(), "ascii") == "PT1H"


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def test_a_changed_answer_and_a_tick_change_the_calendar(app, csrf_off_client, client) -> None:
    plan = _matti(app, csrf_off_client)
    url, _ = _make(csrf_off_client, plan.id)
    before = _events(client, url)
    # the first day without work moves to 1.2.2027: the plan is linked to the journey, so the answer is saved
    csrf_off_client.post(
        "/en/events/unemployment/steps/situation",
        data={"reason": "business_ended", "first_day-day": "1", "first_day-month": "2", "first_day-year": "2027"},
    )
    after = _events(client, url)
    assert before["register_as_jobseeker"].decoded("dtstart") == date(2026, 12, 1)
    assert after["register_as_jobseeker"].decoded("dtstart") == date(2027, 2, 1)
    assert after["search_for_jobs"].decoded("dtstart") == date(2027, 3, 1)  # 1.2. + 1 month, a Monday
    assert sorted(e.decoded("dtstart").isoformat() for e in after.values()) == _page_dates(csrf_off_client, plan.id)
    # ticked done today (22.11.2026 in the tests): the nearest date of the schedule is the first, 1.3.2027;
    # the task shows again, not done, with the day it was last done, and the calendar moves on to 1.4.2027
    csrf_off_client.post(f"/en/own/plans/{plan.id}/progress", data={"done": ["search_for_jobs"]})
    page = csrf_off_client.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)
    task = page.split('id="task-search_for_jobs"')[1].split('class="checklist__item"')[0]
    assert "Every month" in task and "Last done on 22 November 2026" in task
    assert 'value="search_for_jobs"' in task and "checked" not in task and "Done this time" in task
    assert _events(client, url)["search_for_jobs"].decoded("dtstart") == date(2027, 4, 1)
    # the share page says it too (in Finnish here), and nothing else of Matti
    csrf_off_client.post(f"/en/own/plans/{plan.id}/share")
    with app.app_context():
        share = db.session.scalar(select(ShareLink.token).where(ShareLink.plan_id == plan.id))
    shared = client.get(f"/fi/shared/{share}").get_data(as_text=True)
    assert "<dt>Toistuu</dt><dd>Joka kuukausi</dd>" in shared and "Viimeksi tehty 22. marraskuuta 2026" in shared
    # saving the page again with the box empty keeps the last day it was done
    csrf_off_client.post(f"/en/own/plans/{plan.id}/progress", data={"done": []})
    assert "Last done on 22 November 2026" in csrf_off_client.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)


def test_the_calendar_speaks_the_language_of_its_address(app, csrf_off_client, client) -> None:
    plan = _matti(app, csrf_off_client)
    url, page = _make(csrf_off_client, plan.id, lang="sv")
    assert "/sv/shared/calendar/" in url
    summaries = {str(e["summary"]) for e in _events(client, url).values()}
    assert "Anmäl dig som arbetssökande" in summaries, summaries


def test_stopping_or_replacing_the_address_makes_it_a_404(app, csrf_off_client, client) -> None:
    plan = _matti(app, csrf_off_client)
    first, _ = _make(csrf_off_client, plan.id)
    second, page = _make(csrf_off_client, plan.id)
    assert first != second
    assert client.get(_path(first)).status_code == 404  # a new address stops the old one
    assert client.get(_path(second)).status_code == 200
    response = csrf_off_client.post(f"/en/own/plans/{plan.id}/calendar-address/stop")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "saved=calendar-stopped#calendar-title"
    )
    assert client.get(_path(second)).status_code == 404
    for wrong in ("x", "A" * 43, "a/b", "%00" * 30):
        assert client.get(f"/en/shared/calendar/{wrong}.ics").status_code == 404
    stopped = csrf_off_client.get(f"/en/own/plans/{plan.id}?saved=calendar-stopped").get_data(as_text=True)
    assert "The calendar address no longer works" in stopped


def test_another_persons_plan_is_a_404_on_the_buttons(app, csrf_off_client) -> None:
    plan = _matti(app, csrf_off_client)
    url, _ = _make(csrf_off_client, plan.id)
    other = app.test_client()
    sign_in(other, person_id(app, "Aino"))
    assert other.post(f"/en/own/plans/{plan.id}/calendar-address").status_code == 404
    assert other.post(f"/en/own/plans/{plan.id}/calendar-address/stop").status_code == 404
    assert other.get(_path(url)).status_code == 200  # the address itself is the key, whoever holds it
    with app.app_context():
        assert db.session.get(SavedPlan, plan.id).calendar_feeds


def test_the_calendar_leaves_out_private_answers(app, csrf_off_client, client) -> None:
    """Matti keeps his private answers in the plan ("keep_private" consent): he asked for help with debts and
    coping, so his own plan page has the debt advice task; the calendar address does not (a calendar service
    reads what it polls), and has every other date of the page."""
    sign_in(csrf_off_client, person_id(app, "Matti", consents=("prefill", "keep_private")))
    begin(csrf_off_client, "unemployment")
    complete_unemployment(csrf_off_client)
    plan = saved_plan(app, session_pid(csrf_off_client), "unemployment")
    assert plan.private_answers
    page = csrf_off_client.get(f"/en/own/plans/{plan.id}").get_data(as_text=True)
    assert 'id="task-get_debt_advice"' in page
    url, _ = _make(csrf_off_client, plan.id)
    events = _events(client, url)
    assert "get_debt_advice" not in events and "debt" not in client.get(_path(url)).get_data(as_text=True).lower()
    # the tasks of his private answers (debts and coping: told_debts, told_coping) are left out, no other
    private = ("get_debt_advice", "talk_about_coping", "book_health_check")
    dates = []
    for block in page.split('id="checklist-title"')[1].split('class="checklist__item" id="task-')[1:]:
        task_id = block.split('"', 1)[0]
        found = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', block)
        assert (task_id in events) == (task_id not in private and bool(found)), task_id
        dates += found if task_id not in private else []
    assert sorted(e.decoded("dtstart").isoformat() for e in events.values()) == sorted(dates)


def test_the_address_page_in_another_language_is_the_plan_page(app, csrf_off_client) -> None:
    """The page that shows the new address answers a POST; its language switcher's GET goes to the plan page,
    which does not show the address again."""
    plan = _matti(app, csrf_off_client)
    _, page = _make(csrf_off_client, plan.id)
    assert f'href="/fi/own/plans/{plan.id}/calendar-address"' in page
    response = csrf_off_client.get(f"/fi/own/plans/{plan.id}/calendar-address")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/fi/own/plans/{plan.id}#calendar-title"
    )


def test_reading_the_address_is_rate_limited_per_client_address(app, csrf_off_client, client) -> None:
    plan = _matti(app, csrf_off_client)
    url, _ = _make(csrf_off_client, plan.id)
    client.environ_base["REMOTE_ADDR"] = "192.0.2.77"  # a budget of its own
    before = app.config["POLKU_RATE_LIMIT_CALENDAR_FEED"]
    app.config["POLKU_RATE_LIMIT_CALENDAR_FEED"] = "2 per minute"
    try:
        assert [client.get(_path(url)).status_code for _ in range(3)] == [200, 200, 429]
        assert client.get("/en/shared/calendar/" + "B" * 43 + ".ics").status_code == 429  # guesses spend it too
    finally:
        app.config["POLKU_RATE_LIMIT_CALENDAR_FEED"] = before


def test_the_rrule_with_its_corrections_gives_the_schedules_dates() -> None:
    """The VAT return of a business starting on 1.3.2027 (12th of the second month after each month; a
    Saturday or Sunday moves to Monday): expanded as RFC 5545 reads it (the rule's dates, less EXDATE, plus
    RDATE and DTSTART), the calendar's dates are the plan's for the 24 dates listed ahead."""
    from dateutil import rrule as du

    from configurator.checklist import recurrence
    from configurator.lifeevents import load_life_events
    from portal.own.calendar_export import recurrence_rule

    item = next(i for i in load_life_events()["business"].checklist if i.id == "file_vat_returns")
    due, state = recurrence(item.due[0], item.repeat, {"start_date": date(2027, 3, 1)}, date(2027, 3, 1), None)
    rule, exdates, rdates = recurrence_rule(due, state)
    assert rule.to_ical() == b"FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=12"
    assert date(2027, 6, 12) in exdates and date(2027, 6, 14) in rdates  # a Saturday -> Monday
    expanded = du.rrulestr(rule.to_ical().decode(), dtstart=datetime(2027, 5, 12))
    last = datetime.combine(state.upcoming[-1], datetime.min.time())
    dates = {d.date() for d in expanded.between(datetime(2027, 5, 12), last, inc=True)}
    assert sorted((dates - set(exdates)) | set(rdates) | {due}) == list(state.upcoming)
