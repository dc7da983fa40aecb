"""Measuring without tracking people (issue 16, item 3): journeys through the real pages are counted per life
event, step and language, exactly; the channel links count and lead to the task's own address; nothing personal
is stored and no cookie is added.

Every test that compares figures has a database of its own (a copy of the demo database), so journeys of other
tests never add to its counts. The expected figures are worked out by hand below, journey by journey.
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask, g, url_for
from sqlalchemy import delete, inspect, select

from portal.dev_idp.people import load_people
from portal.extensions import db
from portal.metrics.funnel import channel_shares, funnel
from portal.metrics.links import channel_links
from portal.metrics.models import ChannelCount, JourneyCount
from portal.signin.services import sign_in_person
from tests.conftest import TODAY, build_app
from tests.helpers import ECEC_STEPS, sign_in

ORDER = tuple(ECEC_STEPS)  # child, care, places, family, providers: the ECEC event's step order
GO_LINK = re.compile(
    r'<a href="(/(?:en|fi|sv)/go/ecec/([a-z_]+)/(eservice|phone|in_person)(?:\?plan=\d+)?)">([^<]*)</a>'
)


@pytest.fixture()
def fresh_app(tmp_path: Path) -> Flask:
    return build_app(f"sqlite:///{tmp_path / 'metrics.db'}", WTF_CSRF_ENABLED=False)


def walk_steps(client, lang: str, steps: tuple[str, ...]) -> None:
    """Open each step page (GET, which counts) and answer it (POST), as a person does."""
    for step in steps:
        assert client.get(f"/{lang}/events/ecec/steps/{step}").status_code == 200, step
        response = client.post(f"/{lang}/events/ecec/steps/{step}", data=ECEC_STEPS[step])
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:1000])


def open_steps(client, lang: str, steps: tuple[str, ...]) -> None:
    """Open step pages without answering them (the person leaves)."""
    for step in steps:
        assert client.get(f"/{lang}/events/ecec/steps/{step}").status_code == 200, step


def show_plan(client, lang: str) -> str:
    response = client.get(f"/{lang}/events/ecec/plan")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def new_person(app: Flask, given_name: str) -> int:
    person = next(p for p in load_people().values() if p.given_name == given_name)
    with app.app_context():
        claims = person.claims(("openid", "profile")) | {"sub": f"{given_name}-{uuid.uuid4()}"}
        found = sign_in_person("https://idp.test", claims)
        db.session.commit()
        return found.id


def journey_rows(app: Flask) -> dict[tuple[str, str, str], int]:
    """(language, measure, step) -> count of today's rows, to compare with the hand-made figures."""
    with app.app_context():
        rows = db.session.execute(select(JourneyCount)).scalars().all()
        assert {r.day for r in rows} == {TODAY}
        return {(r.language, r.measure, r.step): r.count for r in rows}


def scripted_journeys(app: Flask) -> None:
    """Eight journeys of the ECEC event, in English and Finnish, some left at known steps.

    en A: every step, the plan (shown twice), then from the start page again and left at the first step (A2)
    en B: every step, the plan
    en C: left at the second step (care)
    en G: every step, the plan, signs in and saves it (then sees the plan again, now linked)
    fi D: left at the third step (places)
    fi E: every step (the care page reloaded twice, Back to child once), the plan
    fi F: left at the first step (child)
    """
    a = app.test_client()
    walk_steps(a, "en", ORDER)
    show_plan(a, "en")
    show_plan(a, "en")  # reloading the plan counts nothing more
    assert a.get("/en/events/ecec/").status_code == 200  # the start page after finishing: a new journey
    open_steps(a, "en", ("child",))

    b = app.test_client()
    walk_steps(b, "en", ORDER)
    show_plan(b, "en")

    c = app.test_client()
    walk_steps(c, "en", ("child",))
    open_steps(c, "en", ("care",))

    g = app.test_client()
    walk_steps(g, "en", ORDER)
    show_plan(g, "en")
    sign_in(g, new_person(app, "Sirkka"))
    saved = g.post("/en/events/ecec/save")
    assert saved.status_code == 302 and "/en/own/plans/" in saved.headers["Location"], saved.headers.get("Location")
    show_plan(g, "en")  # linked to the saved plan now: saved is not counted twice

    d = app.test_client()
    walk_steps(d, "fi", ("child", "care"))
    open_steps(d, "fi", ("places",))

    e = app.test_client()
    walk_steps(e, "fi", ("child",))
    open_steps(e, "fi", ("care", "care", "child"))  # reloading and going Back count nothing more
    walk_steps(e, "fi", ORDER[1:])
    show_plan(e, "fi")

    f = app.test_client()
    open_steps(f, "fi", ("child",))


# Worked out from the journeys above.
EXPECTED_EN = {"started": 5, "child": 5, "care": 4, "places": 3, "family": 3, "providers": 3, "plan": 3, "saved": 1}
EXPECTED_FI = {"started": 3, "child": 3, "care": 2, "places": 2, "family": 1, "providers": 1, "plan": 1, "saved": 0}
# left(step) = reached(step) - reached(next step); left(providers) = reached(providers) - plan
LEFT_EN = {"child": 1, "care": 1, "places": 0, "family": 0, "providers": 0}  # A2 at child, C at care
LEFT_FI = {"child": 1, "care": 0, "places": 1, "family": 0, "providers": 0}  # F at child, D at places


def test_scripted_journeys_give_exactly_the_expected_counts(fresh_app: Flask) -> None:
    scripted_journeys(fresh_app)
    rows = journey_rows(fresh_app)
    for lang, expected in (("en", EXPECTED_EN), ("fi", EXPECTED_FI)):
        for step in ORDER:
            assert rows.get((lang, "reached", step), 0) == expected[step], (lang, step)
        for measure in ("started", "plan", "saved"):
            assert rows.get((lang, measure, ""), 0) == expected[measure], (lang, measure)
    assert not [key for key in rows if key[0] not in ("en", "fi")]

    with fresh_app.app_context():
        for lang, expected, left in (("en", EXPECTED_EN, LEFT_EN), ("fi", EXPECTED_FI, LEFT_FI)):
            figures = funnel("ecec", TODAY, TODAY, lang)
            assert [s.step for s in figures.steps] == list(ORDER)
            assert {s.step: s.reached for s in figures.steps} == {step: expected[step] for step in ORDER}
            assert {s.step: s.left for s in figures.steps} == left
            assert (figures.started, figures.plan, figures.saved) == (
                expected["started"],
                expected["plan"],
                expected["saved"],
            )
        both = funnel("ecec", TODAY, TODAY)
        assert {s.step: s.reached for s in both.steps} == {
            "child": 8,
            "care": 6,
            "places": 5,
            "family": 4,
            "providers": 4,
        }
        assert {s.step: s.left for s in both.steps} == {"child": 2, "care": 1, "places": 1, "family": 0, "providers": 0}
        assert (both.started, both.plan, both.saved, both.left) == (8, 4, 1, 4)
        # Other days and other life events are not in the figures.
        assert funnel("ecec", TODAY + timedelta(days=1), TODAY + timedelta(days=7)).started == 0
        assert funnel("business", TODAY, TODAY).started == 0


def test_restart_button_begins_a_new_journey(fresh_app: Flask) -> None:
    client = fresh_app.test_client()
    walk_steps(client, "en", ("child",))
    open_steps(client, "en", ("child",))
    assert client.post("/en/events/ecec/restart").status_code == 302
    open_steps(client, "en", ("child",))
    rows = journey_rows(fresh_app)
    assert rows[("en", "started", "")] == 2
    assert rows[("en", "reached", "child")] == 2


def plan_links(page: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(task, channel) -> (counting link, the link's text) of a plan page."""
    return {(task, channel): (href.replace("&amp;", "&"), text) for href, task, channel, text in GO_LINK.findall(page)}


def test_channel_links_count_and_lead_to_the_tasks_address(fresh_app: Flask) -> None:
    client = fresh_app.test_client()
    walk_steps(client, "en", ORDER)
    page = show_plan(client, "en")
    links = plan_links(page)
    # The texts stay the addresses and numbers they were; no plain tel: or e-service address is left unlinked.
    assert ("apply_for_ecec", "eservice") in links, sorted(links)
    href, text = links[("apply_for_ecec", "eservice")]
    assert text == "https://evaka.turku.fi"
    checklist = page.split('id="checklist-title"', 1)[1].split("</section>", 1)[0]
    assert 'href="tel:' not in checklist and 'href="https:' not in checklist
    phones = {key: value for key, value in links.items() if key[1] == "phone"}
    assert phones

    response = client.get(href)
    assert response.status_code == 302
    assert response.headers["Location"] == "https://evaka.turku.fi"
    assert "Set-Cookie" not in response.headers
    for (task, _), (phone_href, number) in phones.items():
        answer = client.get(phone_href)
        assert answer.status_code == 302
        assert answer.headers["Location"] == "tel:" + number.replace(" ", ""), task
    # The address comes from the task, never from the request.
    sneaky = client.get(href + "?url=https://evil.example&next=https://evil.example")
    assert sneaky.headers["Location"] == "https://evaka.turku.fi"

    with fresh_app.app_context():
        rows = db.session.execute(select(ChannelCount)).scalars().all()
        counted = {(r.task_id, r.channel, r.language, r.day): r.count for r in rows}
        assert counted[("apply_for_ecec", "eservice", "en", TODAY)] == 2
        assert sum(r.count for r in rows if r.channel == "phone") == len(phones)
        shares = {s.channel: s for s in channel_shares("ecec", TODAY, TODAY, "en")}
        assert list(shares) == ["eservice", "phone", "in_person"]
        assert shares["eservice"].count == 2
        assert shares["phone"].count == len(phones)
        assert shares["eservice"].share == pytest.approx(2 / (2 + len(phones)))
        assert channel_shares(None, TODAY, TODAY, "fi")[0].count == 0


@pytest.mark.parametrize(
    "path",
    [
        "/en/go/ecec/no_such_task/eservice",
        "/en/go/ecec/apply_for_ecec/carrier_pigeon",
        "/en/go/no_such_event/apply_for_ecec/eservice",
        "/en/go/ecec/apply_for_ecec/eservice?plan=abc",
        "/en/go/ecec/apply_for_ecec/eservice?plan=999999",
    ],
)
def test_unknown_event_task_channel_or_plan_is_404(fresh_app: Flask, path: str) -> None:
    client = fresh_app.test_client()
    walk_steps(client, "en", ORDER)
    assert client.get(path).status_code == 404
    with fresh_app.app_context():
        assert db.session.execute(select(ChannelCount)).first() is None


def test_own_space_plan_links_count_and_another_persons_plan_is_404(fresh_app: Flask) -> None:
    client = fresh_app.test_client()
    walk_steps(client, "en", ORDER)
    sign_in(client, new_person(fresh_app, "Sirkka"))
    location = client.post("/en/events/ecec/save").headers["Location"]
    plan_id = int(re.search(r"/own/plans/(\d+)", location).group(1))
    page = client.get(f"/en/own/plans/{plan_id}").get_data(as_text=True)
    href, text = plan_links(page)[("apply_for_ecec", "eservice")]
    assert href == f"/en/go/ecec/apply_for_ecec/eservice?plan={plan_id}" and text == "https://evaka.turku.fi"
    assert client.get(href).headers["Location"] == "https://evaka.turku.fi"

    other = fresh_app.test_client()
    sign_in(other, new_person(fresh_app, "Matti"))
    assert other.get(href).status_code == 404
    assert fresh_app.test_client().get(href).status_code == 404  # signed out
    with fresh_app.app_context():
        assert db.session.scalars(select(ChannelCount.count)).all() == [1]


def test_no_personal_data_in_the_counters_and_no_new_cookie(fresh_app: Flask) -> None:
    with fresh_app.app_context():
        inspector = inspect(db.engine)
        columns = {
            table: {c["name"]: c for c in inspector.get_columns(table)} for table in ("journey_count", "channel_count")
        }
    assert set(columns["journey_count"]) == {"id", "day", "event_id", "step", "language", "measure", "count"}
    assert set(columns["channel_count"]) == {"id", "day", "event_id", "task_id", "channel", "language", "count"}
    personal = ("person", "session", "user", "ip", "address", "agent", "time", "token", "email", "name", "answer")
    for table, found in columns.items():
        for name in found:
            assert not any(word in name for word in personal), (table, name)
        assert str(found["day"]["type"]).upper() == "DATE", table  # a date, never a time of day

    cookie_name = fresh_app.config.get("SESSION_COOKIE_NAME", "session")
    client = fresh_app.test_client()
    set_cookies = []
    for path in ("/en/events/ecec/", *(f"/en/events/ecec/steps/{s}" for s in ORDER)):
        set_cookies += client.get(path).headers.getlist("Set-Cookie")
    set_cookies += client.get("/en/go/ecec/apply_for_ecec/phone").headers.getlist("Set-Cookie")
    assert {c.split("=", 1)[0] for c in set_cookies} <= {cookie_name}
    assert len(set_cookies) <= 1  # the session's own cookie, once, as before counting


def test_following_past_the_counting_limit_still_leads_there_but_is_not_counted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two counted follows a minute per address: the third from the same address still gets its 302 to the same
    address, uncounted; another address has its own budget; the window's end starts counting again."""
    from datetime import UTC, datetime

    from configurator import clock

    moment = [datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)]
    monkeypatch.setattr(clock, "_system_utc_now", lambda: moment[0])
    app = build_app(
        f"sqlite:///{tmp_path / 'limit.db'}", WTF_CSRF_ENABLED=False, POLKU_RATE_LIMIT_COUNTING="2 per minute"
    )
    client = app.test_client()
    walk_steps(client, "en", ORDER)
    link, _text = plan_links(show_plan(client, "en"))[("apply_for_ecec", "eservice")]

    def follow(address: str) -> str:
        client.environ_base["REMOTE_ADDR"] = address
        response = client.get(link)
        assert response.status_code == 302, response.status_code
        return response.headers["Location"]

    def counted() -> int:
        with app.app_context():
            return sum(db.session.scalars(select(ChannelCount.count)))

    places = {follow("192.0.2.10") for _ in range(3)}
    assert places == {"https://evaka.turku.fi"}  # all three led to the e-service
    assert counted() == 2  # the third was not counted
    follow("192.0.2.11")
    assert counted() == 3  # another address: its own budget
    moment[0] += timedelta(seconds=61)
    follow("192.0.2.10")
    assert counted() == 4  # a new window
    app.config["POLKU_RATE_LIMITS_ENABLED"] = False
    for _ in range(3):
        follow("192.0.2.10")
    assert counted() == 7  # limits off: every follow counts


def test_the_counting_limit_is_read_with_the_other_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.config import rate_limit_settings
    from portal.metrics.views import DEFAULT_COUNTING_LIMIT, counting_limit

    monkeypatch.delenv("POLKU_RATE_LIMIT_COUNTING", raising=False)
    assert rate_limit_settings()["POLKU_RATE_LIMIT_COUNTING"] == DEFAULT_COUNTING_LIMIT == "20 per minute; 200 per day"
    monkeypatch.setenv("POLKU_RATE_LIMIT_COUNTING", "5 per minute")
    assert rate_limit_settings()["POLKU_RATE_LIMIT_COUNTING"] == "5 per minute"
    app = Flask("limit-setting")
    with app.app_context():
        assert counting_limit() == DEFAULT_COUNTING_LIMIT  # an app without the setting
        app.config["POLKU_RATE_LIMIT_COUNTING"] = "7 per hour"
        assert counting_limit() == "7 per hour"
        app.config["POLKU_RATE_LIMIT_COUNTING"] = ""
        assert counting_limit() == ""  # empty turns the limit off, as for the other limits


# ---------- PostgreSQL ----------

POSTGRES_URL = os.environ.get("POLKU_TEST_POSTGRES_URL")


@pytest.mark.postgres
def test_counting_on_postgresql() -> None:
    """The same UPSERTs on PostgreSQL: a journey, a reloaded step, a channel link, and the queries."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("POLKU_TEST_POSTGRES_URL is not set: run the suite with `make test`")
        pytest.skip("PostgreSQL is started by `make test` (scripts/with-postgres.sh)")
    app = build_app(POSTGRES_URL, WTF_CSRF_ENABLED=False)
    with app.app_context():
        assert db.engine.dialect.name == "postgresql"
        db.session.execute(delete(JourneyCount))
        db.session.execute(delete(ChannelCount))
        db.session.commit()
    first, second = app.test_client(), app.test_client()
    walk_steps(first, "sv", ORDER)
    show_plan(first, "sv")
    walk_steps(second, "sv", ("child",))
    open_steps(second, "sv", ("care", "care"))
    page = show_plan(first, "sv")
    href, _ = plan_links(page)[("apply_for_ecec", "eservice")]
    assert first.get(href).status_code == 302
    assert first.get(href).status_code == 302
    with app.app_context():
        figures = funnel("ecec", TODAY, TODAY, "sv")
        assert {s.step: s.reached for s in figures.steps} == {
            "child": 2,
            "care": 2,
            "places": 1,
            "family": 1,
            "providers": 1,
        }
        assert {s.step: s.left for s in figures.steps} == {
            "child": 0,
            "care": 1,
            "places": 0,
            "family": 0,
            "providers": 0,
        }
        assert (figures.started, figures.plan, figures.saved) == (2, 1, 0)
        assert {s.channel: s.count for s in channel_shares("ecec", TODAY, TODAY)} == {
            "eservice": 2,
            "phone": 0,
            "in_person": 0,
        }
        assert db.session.scalars(select(ChannelCount.count)).all() == [2]  # one row, raised in place


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("plan_id", [None, 7])
def test_a_channel_link_is_what_url_for_builds(app: Flask, lang: str, plan_id: int | None) -> None:
    """The links are written into an address built once per page: the same text url_for gives, also for a task id
    or channel that an address would quote (those go through url_for)."""
    with app.test_request_context(f"/{lang}/events/ecec/plan"):
        g.lang_code = lang
        go = channel_links("ecec", plan_id)
        for task, channel in [("apply_for_ecec", "eservice"), ("x-1", "phone"), ("a b/ä", "in_person"), ("t", "c?d")]:
            expected = url_for("metrics.go", event_id="ecec", task_id=task, channel=channel, plan=plan_id)
            assert go(task, channel) == expected
        assert go("apply_for_ecec", "eservice") == f"/{lang}/go/ecec/apply_for_ecec/eservice" + (
            f"?plan={plan_id}" if plan_id else ""
        )
