"""Feedback: the quick form after a journey or a used service, the longer form, and the organisers' report."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime

import pytest
from flask import Flask, g, render_template_string
from sqlalchemy import select

from portal.account_models import Feedback, Person
from portal.extensions import db
from portal.feedback.report import summary
from portal.models import ServiceLocation
from tests.helpers import sign_in as sign_in_as

FUTURE = date(2100, 1, 1)  # the report tests' rows are dated here, so other rows never count in them


def text(response) -> str:
    return response.get_data(as_text=True)


def rows(app: Flask, **where: object) -> list[Feedback]:
    with app.app_context():
        found = db.session.scalars(select(Feedback).filter_by(**where).order_by(Feedback.id)).all()
        db.session.expunge_all()
        return list(found)


def a_location_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(ServiceLocation.id).order_by(ServiceLocation.id).limit(1))


def sign_in(app: Flask, client, subject: str) -> int:
    with app.app_context():
        person = Person(issuer="https://idp.test", subject=subject, name="Testi Henkilö", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    sign_in_as(client, person_id)
    return person_id


def ids_of(page: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', page)


# ---------- quick feedback ----------


def test_quick_feedback_after_a_journey_anonymous(app: Flask, csrf_off_client) -> None:
    comment = "Clear checklist, anonymous-journey-test"
    response = csrf_off_client.post(
        "/en/feedback/quick",
        data={
            "kind": "journey",
            "event": "ecec",
            "rating": "4",
            "effort": "6",
            "comment": f"  {comment}\r\n",
            "next": "/en/events/ecec/plan",
        },
    )
    assert response.status_code == 302
    assert response.location == "/en/events/ecec/plan?feedback=thanks#feedback"
    [row] = rows(app, comment=comment)
    assert (row.kind, row.event_id, row.location_id, row.rating, row.effort, row.language) == (
        "journey",
        "ecec",
        None,
        4,
        6,
        "en",
    )
    assert row.person_id is None


def test_quick_feedback_signed_in_keeps_the_person(app: Flask, csrf_off_client) -> None:
    person_id = sign_in(app, csrf_off_client, "feedback-signed-in")
    response = csrf_off_client.post(
        "/fi/feedback/quick",
        data={"kind": "journey", "event": "unemployment", "rating": "5", "next": "/fi/events/unemployment/plan"},
    )
    assert response.status_code == 302
    [row] = rows(app, person_id=person_id)
    assert (row.kind, row.event_id, row.rating, row.effort, row.comment, row.language) == (
        "journey",
        "unemployment",
        5,
        None,
        None,
        "fi",
    )


def test_quick_feedback_on_a_used_service(app: Flask, csrf_off_client) -> None:
    location_id = a_location_id(app)
    response = csrf_off_client.post(
        "/sv/feedback/quick",
        data={
            "kind": "service",
            "location": str(location_id),
            "rating": "2",
            "effort": "3",
            "comment": "service-feedback-test",
            "next": "/sv/own/?tab=x",
            "anchor": "reservation-feedback",
        },
    )
    assert response.status_code == 302
    assert response.location == "/sv/own/?tab=x&feedback=thanks#reservation-feedback"
    [row] = rows(app, comment="service-feedback-test")
    assert (row.kind, row.location_id, row.event_id, row.rating, row.effort, row.language) == (
        "service",
        location_id,
        None,
        2,
        3,
        "sv",
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "service", "location": "999999999"},
        {"kind": "service", "location": "abc"},
        {"kind": "service"},
        {"kind": "journey", "event": "no-such-event"},
        {"kind": "journey"},
        {"kind": "nonsense"},
    ],
)
def test_quick_feedback_about_something_that_does_not_exist_is_refused(
    app: Flask, csrf_off_client, data: dict[str, str]
) -> None:
    before = len(rows(app))
    response = csrf_off_client.post("/en/feedback/quick", data={**data, "rating": "3", "next": "/en/"})
    page = text(response)
    assert response.status_code == 400
    assert "There is a problem" in page and 'href="#feedback-about"' in page and 'id="feedback-about"' in page
    assert 'href="/en/feedback/"' in page  # the longer form, where the subject can be chosen
    assert len(rows(app)) == before


def test_quick_feedback_errors_show_the_summary_and_keep_the_input(app: Flask, csrf_off_client) -> None:
    long_comment = "<b>too long</b> " + "x" * 2000
    before = len(rows(app))
    response = csrf_off_client.post(
        "/en/feedback/quick",
        data={
            "kind": "journey",
            "event": "business",
            "effort": "5",
            "comment": long_comment,
            "next": "/en/events/business/plan?company_form=oy",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert len(rows(app)) == before
    assert "<title>Error: Give feedback – Polku</title>" in page
    summary_box = page[page.index('class="error-summary"') : page.index("</ul>", page.index('class="error-summary"'))]
    assert 'href="#feedback-rating">Select a rating</a>' in summary_box
    assert 'href="#feedback-comment">Your answer must be 2,000 characters or fewer</a>' in summary_box
    assert 'id="feedback-rating-error"' in page and 'id="feedback-comment-error"' in page
    assert re.search(r'name="effort" value="5" id="feedback-effort-5" checked', page)
    assert "&lt;b&gt;too long&lt;/b&gt; " + "x" * 2000 + "</textarea>" in page  # kept, and escaped
    assert 'name="next" value="/en/events/business/plan?company_form=oy"' in page
    assert 'name="event" value="business"' in page
    assert len(ids_of(page)) == len(set(ids_of(page)))


@pytest.mark.parametrize(
    "field, value, link",
    [
        ("rating", "6", "#feedback-rating"),
        ("rating", "²", "#feedback-rating"),
        ("rating", "1" * 40, "#feedback-rating"),
        ("effort", "0", "#feedback-effort"),
        ("effort", "8", "#feedback-effort"),
    ],
)
def test_quick_feedback_out_of_range_values_are_errors_not_500s(
    app: Flask, csrf_off_client, field: str, value: str, link: str
) -> None:
    data = {"kind": "journey", "event": "ecec", "rating": "3", "next": "/en/", field: value}
    response = csrf_off_client.post("/en/feedback/quick", data=data)
    assert response.status_code == 200 and f'href="{link}"' in text(response)


@pytest.mark.parametrize(
    "next_value",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
        "evil",
        "/en/\r\nLocation: https://evil.example/",
    ],
)
def test_quick_feedback_invalid_next_falls_back_to_home(csrf_off_client, next_value: str) -> None:
    response = csrf_off_client.post("/en/feedback/quick", data={"kind": "general", "rating": "3", "next": next_value})
    assert response.status_code == 302
    assert response.location == "/en/?feedback=thanks#feedback"


def test_quick_feedback_thanks_replaces_an_earlier_one_and_a_bad_anchor_is_ignored(csrf_off_client) -> None:
    response = csrf_off_client.post(
        "/en/feedback/quick",
        data={
            "kind": "general",
            "rating": "5",
            "next": "/en/events/ecec/plan?feedback=thanks&a=1#top",
            "anchor": 'x"><script>',
        },
    )
    assert response.location == "/en/events/ecec/plan?a=1&feedback=thanks#feedback"


def test_quick_feedback_page_on_its_own(app: Flask, client) -> None:
    page = text(client.get(f"/en/feedback/quick?kind=service&location={a_location_id(app)}&next=/en/own/"))
    assert '<h1 class="heading-l" id="feedback-title">Give feedback</h1>' in page
    assert "How would you rate this service?" in page
    assert "The service made it easy for me to handle my matter" in page
    response = client.get("/en/feedback/quick?kind=journey&event=missing")
    assert response.status_code == 302 and response.location == "/en/feedback/"


def render_partial(app: Flask, url: str, **params: object) -> str:
    with app.test_request_context(url):
        g.lang_code = "en"
        return render_template_string("{% include 'feedback/_quick.html' %}", **params)


def test_partial_renders_a_labelled_form_with_prefixed_unique_ids(app: Flask) -> None:
    page = render_partial(
        app,
        "/en/events/ecec/plan",
        kind="journey",
        event_id="ecec",
        next_url="/en/events/ecec/plan",
        heading_level=3,
        id_prefix="plan-feedback",
    )
    assert '<section class="feedback" id="plan-feedback" aria-labelledby="plan-feedback-title">' in page
    assert '<h3 class="heading-m" id="plan-feedback-title">Give feedback</h3>' in page
    assert 'action="/en/feedback/quick"' in page and 'name="csrf_token"' in page
    for hidden in (
        'name="kind" value="journey"',
        'name="event" value="ecec"',
        'name="next" value="/en/events/ecec/plan"',
        'name="anchor" value="plan-feedback"',
    ):
        assert hidden in page
    assert 'name="location"' not in page
    ids = ids_of(page)
    assert len(ids) == len(set(ids)) and all(i.startswith("plan-feedback") for i in ids)
    radios = re.findall(r'<input class="radios__input" type="radio" name="(\w+)" value="(\d)" id="([^"]+)"', page)
    assert Counter(name for name, _, _ in radios) == {"rating": 5, "effort": 7}
    for _, _, radio_id in radios:  # every radio has a visible text label
        assert re.search(rf'<label class="radios__label" for="{radio_id}">\w[^<]*</label>', page)
    for label in (
        "Very poor",
        "Very good",
        "Strongly disagree",
        "Strongly agree",
        "How would you rate your experience of making this plan?",
        "Polku made it easy for me to handle my matter",
    ):
        assert label in page
    assert '<textarea class="input textarea" id="plan-feedback-comment" name="comment"' in page
    assert 'aria-describedby="plan-feedback-comment-hint"' in page
    assert " style=" not in page and "<script" not in page


def test_partial_shows_the_thanks_after_feedback(app: Flask) -> None:
    location_id = a_location_id(app)
    page = render_partial(app, "/en/own/?feedback=thanks", kind="service", location_id=location_id)
    assert '<div class="notice" role="status">' in page and "Thank you for your feedback" in page
    assert f'href="/en/feedback/?location={location_id}"' in page
    assert "<form" not in page
    assert 'id="feedback"' in page  # the default prefix, where the redirect's #feedback lands


# ---------- the longer form ----------


def test_long_form_lists_the_subjects(app: Flask, client) -> None:
    page = text(client.get("/en/feedback/"))
    assert response_ok(page)
    for value in ("general", "event-ecec", "event-business", "event-unemployment"):
        assert f'name="about" value="{value}"' in page
    assert 'value="service"' not in page
    assert "What worked well? (optional)" in page and "What should we improve? (optional)" in page
    assert "Do not write personal details here" in page
    assert len(ids_of(page)) == len(set(ids_of(page)))
    location_id = a_location_id(app)
    page = text(client.get(f"/en/feedback/?location={location_id}"))
    assert re.search(r'name="about" value="service" id="long-about-service" checked', page)
    assert f'name="location" value="{location_id}"' in page
    page = text(client.get("/en/feedback/?event=ecec"))
    assert re.search(r'name="about" value="event-ecec" id="[^"]+" checked', page)


def response_ok(page: str) -> bool:
    return '<h1 class="heading-xl">Give feedback</h1>' in page and "There is a problem" not in page


def test_long_form_stores_feedback_and_thanks(app: Flask, csrf_off_client) -> None:
    response = csrf_off_client.post(
        "/en/feedback/",
        data={
            "about": "event-business",
            "rating": "4",
            "effort": "2",
            "worked": "long-form-worked",
            "improve": "The fees were hard to find",
        },
    )
    assert response.status_code == 302 and response.location == "/en/feedback/thanks"
    [row] = rows(app, event_id="business", effort=2)
    assert (row.kind, row.rating, row.person_id) == ("journey", 4, None)
    assert row.comment == "What worked well: long-form-worked\n\nWhat should we improve: The fees were hard to find"
    page = text(csrf_off_client.get(response.location))
    assert "Thank you for your feedback" in page


def test_long_form_about_polku_and_about_a_service(app: Flask, csrf_off_client) -> None:
    location_id = a_location_id(app)
    csrf_off_client.post("/en/feedback/", data={"about": "general", "rating": "1", "improve": "long-general-test"})
    [row] = rows(app, comment="What should we improve: long-general-test")
    assert (row.kind, row.event_id, row.location_id) == ("general", None, None)
    csrf_off_client.post(
        "/en/feedback/",
        data={"about": "service", "location": str(location_id), "rating": "5", "worked": "long-service-test"},
    )
    [row] = rows(app, comment="What worked well: long-service-test")
    assert (row.kind, row.location_id) == ("service", location_id)


def test_long_form_errors_keep_the_input(app: Flask, csrf_off_client) -> None:
    before = len(rows(app))
    response = csrf_off_client.post(
        "/en/feedback/", data={"about": "service", "effort": "6", "worked": "Kept text", "improve": "y" * 2001}
    )  # no location: no service
    page = text(response)
    assert response.status_code == 200 and len(rows(app)) == before
    links = re.findall(r'<li><a href="#([\w-]+)">', page)
    assert links == ["long-about", "long-rating", "long-improve"]
    assert all(f'id="{link}"' in page for link in links)
    assert "Select what your feedback is about" in page
    assert re.search(r'name="effort" value="6" id="long-effort-6" checked', page)
    assert ">Kept text</textarea>" in page and "y" * 2001 + "</textarea>" in page


def test_feedback_forms_enforce_csrf(app: Flask, client) -> None:
    data = {"kind": "journey", "event": "ecec", "rating": "3", "next": "/en/", "comment": "csrf-test"}
    response = client.post("/en/feedback/quick", data=data)
    assert response.status_code == 400 and "session has expired" in text(response)
    response = client.post("/en/feedback/", data={"about": "general", "rating": "3"})
    assert response.status_code == 400
    assert rows(app, comment="csrf-test") == []
    page = text(client.get("/en/feedback/quick?kind=journey&event=ecec&next=/en/"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/en/feedback/quick", data={**data, "csrf_token": token})
    assert response.status_code == 302
    assert len(rows(app, comment="csrf-test")) == 1


def test_feedback_pages_have_no_inline_code_and_are_in_the_language(client) -> None:
    for lang in ("fi", "sv", "en"):
        response = client.get(f"/{lang}/feedback/")
        page = text(response)
        assert response.status_code == 200 and f'<html lang="{lang}">' in page
        assert " style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


# ---------- the organisers' report ----------


def add_rows(app: Flask, *specs: dict[str, object]) -> None:
    with app.app_context():
        for n, spec in enumerate(specs):
            db.session.add(Feedback(language="fi", created_at=datetime(2100, 1, 1, 12, n), **spec))
        db.session.commit()


@pytest.fixture(scope="module")
def report_rows(app: Flask) -> int:
    location_id = a_location_id(app)
    with app.app_context():
        person = Person(issuer="https://idp.test", subject="report-person", name="Salainen Nimi", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    add_rows(
        app,
        # ecec: ratings 5, 4, 3, 2 and one without -> average 3.5, CSAT 2/4 = 50 %;
        # effort 7, 5, 4 (two without) -> average 16/3 = 5.33, easy 2/3 = 66.7 %.
        {"kind": "journey", "event_id": "ecec", "rating": 5, "effort": 7, "comment": "first", "person_id": person_id},
        {"kind": "journey", "event_id": "ecec", "rating": 4, "effort": 5, "comment": "second"},
        {"kind": "journey", "event_id": "ecec", "rating": 3, "effort": 4},
        {"kind": "journey", "event_id": "ecec", "rating": 2, "comment": "fourth"},
        {"kind": "journey", "event_id": "ecec", "effort": None, "comment": ""},
        # the service: ratings 1, 5, 5 -> 3.67, CSAT 66.7 %; effort 1 -> 1.0, easy 0 %; seven comments, five shown.
        {"kind": "service", "location_id": location_id, "rating": 1, "effort": 1, "comment": "s1"},
        {"kind": "service", "location_id": location_id, "rating": 5, "comment": "s2"},
        {"kind": "service", "location_id": location_id, "rating": 5, "comment": "s3"},
        *({"kind": "service", "location_id": location_id, "comment": f"s{n}"} for n in range(4, 8)),
        {"kind": "general", "rating": 4, "effort": 6},
    )
    return location_id


def test_report_figures(app: Flask, report_rows: int) -> None:
    with app.app_context():
        report = summary(db.session, since=FUTURE)
        location_name = db.session.get(ServiceLocation, report_rows).name
    assert report["since"] == "2100-01-01"
    groups = {(g["kind"], g["event_id"], g["location_id"]): g for g in report["groups"]}
    assert set(groups) == {("journey", "ecec", None), ("service", None, report_rows), ("general", None, None)}
    ecec = groups[("journey", "ecec", None)]
    assert {
        k: ecec[k]
        for k in (
            "count",
            "ratings",
            "average_rating",
            "csat_percent",
            "effort_answers",
            "average_effort",
            "ces_easy_percent",
        )
    } == {
        "count": 5,
        "ratings": 4,
        "average_rating": 3.5,
        "csat_percent": 50.0,
        "effort_answers": 3,
        "average_effort": 5.33,
        "ces_easy_percent": 66.7,
    }
    assert ecec["latest_comments"] == ["fourth", "second", "first"]  # newest first; empty ones left out
    service = groups[("service", None, report_rows)]
    assert service["location"] == location_name
    assert (service["count"], service["average_rating"], service["csat_percent"]) == (7, 3.67, 66.7)
    assert (service["average_effort"], service["ces_easy_percent"]) == (1.0, 0.0)
    assert service["latest_comments"] == ["s7", "s6", "s5", "s4", "s3"]
    general = groups[("general", None, None)]
    assert (general["csat_percent"], general["ces_easy_percent"], general["latest_comments"]) == (100.0, 100.0, [])
    overall = report["overall"]
    # ratings 5,4,3,2,1,5,5,4 -> 29/8; satisfied 5 of 8; effort 7,5,4,1,6 -> 23/5; easy 3 of 5
    assert (overall["count"], overall["average_rating"], overall["csat_percent"]) == (13, 3.62, 62.5)
    assert (overall["average_effort"], overall["ces_easy_percent"]) == (4.6, 60.0)
    assert "Salainen Nimi" not in json.dumps(report) and "person" not in json.dumps(report)


def test_report_without_answers_has_no_figures(app: Flask) -> None:
    with app.app_context():
        report = summary(db.session, since=date(2200, 1, 1))
    assert report["groups"] == []
    assert report["overall"] == {
        "count": 0,
        "ratings": 0,
        "average_rating": None,
        "csat_percent": None,
        "effort_answers": 0,
        "average_effort": None,
        "ces_easy_percent": None,
    }


def test_report_cli(app: Flask, report_rows: int) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["feedback-report", "--since", "2100-01-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["overall"]["csat_percent"] == 62.5
    assert len(report["groups"]) == 3
    result = runner.invoke(args=["feedback-report", "--since", "2100-01-01"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Feedback since 2100-01-01\nOverall: 13 answers; rating 3.62 / 5, CSAT 62.5 %")
    assert "Life event: ecec" in result.output
    assert "5 answers; rating 3.5 / 5, CSAT 50 % (of 4); CES 5.33 / 7, easy 66.7 % (of 3)" in result.output
    assert "  - fourth" in result.output and "Salainen Nimi" not in result.output
    result = runner.invoke(args=["feedback-report", "--since", "1.1.2100"])
    assert result.exit_code == 2
