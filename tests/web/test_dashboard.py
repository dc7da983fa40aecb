"""The organisers' dashboard (issue 16, item 4): CSAT, CES and NPS with hand-derived figures, nothing under five
answers, an organiser sees only their units (another unit's filter is 404), management sees everything (also the
journey funnels and channel shares), the CSV file, and ``flask feedback-report --lang`` in Finnish and English.

Feedback rows, reservations and counters are written directly in January 2030 (far from the demo data's dates),
and the pages are asked for that period."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.account_models import Feedback, Person, Reservation
from portal.extensions import db
from portal.metrics.models import ChannelCount, JourneyCount

UNIT = 1001  # Päiväkoti Kurjenpesä: the unit director's unit
OTHER_UNIT = 1010  # Montessori-päiväkoti Satakieli: another organisation's unit
JANUARY = "period=custom&from=1.1.2030&to=31.1.2030"
FEBRUARY = "period=custom&from=1.2.2030&to=28.2.2030"

DIRECTOR = {
    "sub": "director",
    "issuer": "https://staff.test",
    "name": "Pirjo Heinonen",
    "roles": ["unit_director"],
    "organisations": [],
    "units": [UNIT],
}
ADMIN = {
    "sub": "admin",
    "issuer": "https://staff.test",
    "name": "Aino Kallio",
    "roles": ["catalogue_admin"],
    "organisations": [],
    "units": [],
}


def _feedback(location: int, day: date, rating: int | None, effort: int | None, recommend: int | None, lang: str):
    return Feedback(
        kind="service",
        location_id=location,
        rating=rating,
        effort=effort,
        recommend=recommend,
        language=lang,
        created_at=datetime.combine(day, datetime.min.time()).replace(hour=12),
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from tests.conftest import build_app

    database = tmp_path_factory.mktemp("dashboard") / "dashboard.db"
    app = build_app(f"sqlite:///{database}", POLKU_RATE_LIMITS_ENABLED=False)
    with app.app_context():
        jan = date(2030, 1, 10)
        # UNIT in January: ratings 5,5,4,3,1 -> CSAT 3 of 5 = 60 %; efforts 7,6,5,4,3 -> CES 25/5 = 5.0;
        # recommend 10,9,9,7,0 -> promoters 3, detractors 1 -> NPS (3 - 1) / 5 = 40. Three in Finnish, two in Swedish.
        for rating, effort, recommend, lang in (
            (5, 7, 10, "fi"),
            (5, 6, 9, "fi"),
            (4, 5, 9, "fi"),
            (3, 4, 7, "sv"),
            (1, 3, 0, "sv"),
        ):
            db.session.add(_feedback(UNIT, jan, rating, effort, recommend, lang))
        # OTHER_UNIT in January: five ratings of 1, efforts 1, recommend 0.
        for _ in range(5):
            db.session.add(_feedback(OTHER_UNIT, jan, 1, 1, 0, "fi"))
        # UNIT in February: only four answers -> nothing shown.
        for _ in range(4):
            db.session.add(_feedback(UNIT, date(2030, 2, 5), 5, 7, 10, "fi"))
        person = Person(issuer="https://idp.test", subject="dashboard", name="Testi", claims={})
        db.session.add(person)
        db.session.flush()
        for location, starts, cancelled in (
            (UNIT, date(2030, 3, 1), None),
            (UNIT, date(2030, 3, 2), datetime(2030, 1, 20, 9)),
            (OTHER_UNIT, date(2030, 3, 3), None),
        ):
            db.session.add(
                Reservation(
                    person_id=person.id,
                    kind="ecec_place",
                    location_id=location,
                    starts_on=starts,
                    age_group="under_3",
                    status="cancelled" if cancelled else "confirmed",
                    created_at=datetime(2030, 1, 15, 10),
                    cancelled_at=cancelled,
                )
            )
        for step, measure, count in (("", "started", 10), ("child", "reached", 10), ("", "plan", 4), ("", "saved", 2)):
            db.session.add(
                JourneyCount(day=jan, event_id="ecec", step=step, language="fi", measure=measure, count=count)
            )
        db.session.add(ChannelCount(day=jan, event_id="ecec", task_id="t", channel="eservice", language="fi", count=3))
        db.session.add(ChannelCount(day=jan, event_id="ecec", task_id="t", channel="phone", language="fi", count=1))
        db.session.commit()
    return app


def staff(app: Flask, claims: dict) -> FlaskClient:
    client = app.test_client()
    with client.session_transaction() as session:
        session["staff"] = dict(claims)
    return client


def figure(html: str, name: str) -> str:
    start = html.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return html[start : html.index("<", start)].strip()


def page(client: FlaskClient, query: str, lang: str = "en", status: int = 200) -> str:
    response = client.get(f"/{lang}/organiser/dashboard?{query}")
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def test_organiser_sees_their_units_figures(app: Flask) -> None:
    html = page(staff(app, DIRECTOR), JANUARY)
    assert figure(html, "csat") == "60 %"
    assert figure(html, "ces") == "5"
    assert figure(html, "nps") == "40"
    assert (figure(html, "reservations-made"), figure(html, "reservations-cancelled")) == ("2", "1")
    assert "Journeys step by step" not in html  # the funnels are counted per life event: management only
    assert other_unit_name(app) not in html


def other_unit_name(app: Flask) -> str:
    from portal.models import ServiceLocation

    with app.app_context():
        return db.session.get(ServiceLocation, OTHER_UNIT).name


def test_finnish_numbers(app: Flask) -> None:
    html = page(staff(app, ADMIN), JANUARY + f"&unit={UNIT}", lang="fi")
    assert figure(html, "ces") == "5"
    html = page(staff(app, ADMIN), JANUARY, lang="fi")
    assert figure(html, "ces") == "3"  # (25 + 5) / 10


def test_nothing_under_five_answers(app: Flask) -> None:
    html = page(staff(app, DIRECTOR), FEBRUARY)
    for name in ("csat", "ces", "nps"):
        assert figure(html, name) == "Not shown: fewer than 5 answers"
    # the language filter leaves three Finnish answers of January: not shown either
    html = page(staff(app, DIRECTOR), JANUARY + "&language=fi")
    assert figure(html, "csat") == "Not shown: fewer than 5 answers"


def test_another_units_filter_is_404(app: Flask) -> None:
    client = staff(app, DIRECTOR)
    assert client.get(f"/en/organiser/dashboard?{JANUARY}&unit={OTHER_UNIT}").status_code == 404
    assert client.get(f"/en/organiser/dashboard.csv?{JANUARY}&unit={OTHER_UNIT}").status_code == 404
    assert client.get("/en/organiser/dashboard?unit=99999999").status_code == 404
    assert client.get("/en/organiser/dashboard?event=nosuch").status_code == 404
    assert app.test_client().get("/en/organiser/dashboard").status_code in (302, 303)


def test_management_sees_all(app: Flask) -> None:
    html = page(staff(app, ADMIN), JANUARY)
    # ten ratings: 3 of 10 are 4-5 -> 30 %; ten recommend answers: promoters 3, detractors 1 + 5 -> -30
    assert figure(html, "csat") == "30 %"
    assert figure(html, "nps") == "-30"
    assert (figure(html, "reservations-made"), figure(html, "reservations-cancelled")) == ("3", "1")
    assert "Journeys step by step" in html and 'id="channels-title"' in html
    html = page(staff(app, ADMIN), JANUARY + f"&unit={OTHER_UNIT}")
    assert figure(html, "csat") == "0 %"


def test_charts_have_svg_summary_and_table(app: Flask) -> None:
    html = page(staff(app, ADMIN), JANUARY)
    assert html.count('<svg class="chart__svg" role="img" aria-labelledby=') >= 3
    assert html.count('<table class="table chart__table">') == html.count('<svg class="chart__svg"')
    assert " style=" not in html and "<style" not in html and "<script>" not in html


def test_errors(app: Flask) -> None:
    client = staff(app, DIRECTOR)
    html = page(client, "period=custom&from=31.1.2030&to=1.1.2030", status=400)
    assert 'href="#to"' in html and "The last day must be the same as or after the first day" in html
    html = page(client, "period=custom&from=huh&to=", status=400)
    assert 'href="#from"' in html and 'href="#to"' in html
    html = page(client, "period=custom&from=1.1.2029&to=31.1.2030", status=400)
    assert "The period can be at most 366 days" in html


def test_csv(app: Flask) -> None:
    response = staff(app, DIRECTOR).get(f"/en/organiser/dashboard.csv?{JANUARY}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufefffigure,part,period_start,value,answers\r\n")
    rows = {(row[0], row[1], row[2]): row[3:] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows[("csat_percent", "", "2030-01-01")] == ["60", "5"]
    assert rows[("ces_average", "", "2030-01-01")] == ["5.0", "5"]
    assert rows[("nps", "", "2030-01-01")] == ["40", "5"]
    assert rows[("reservations_made", "", "2030-01-01")] == ["2", ""]
    assert not any(key[0].startswith("funnel") for key in rows)
    admin = staff(app, ADMIN).get(f"/en/organiser/dashboard.csv?{JANUARY}&event=ecec").get_data(as_text=True)
    rows = {(row[0], row[1]): row[3] for row in csv.reader(io.StringIO(admin.lstrip("\ufeff")))}
    assert rows[("funnel_started", "ecec")] == "10"
    assert rows[("funnel_plan", "ecec")] == "4"
    assert rows[("channel", "eservice")] == "3" and rows[("channel", "phone")] == "1"


def test_cli_in_finnish_and_english(app: Flask) -> None:
    runner = app.test_cli_runner()
    args = ["feedback-report", "--since", "2030-01-01", "--until", "2030-01-31", "--lang"]
    english = runner.invoke(args=[*args, "en"])
    assert english.exit_code == 0, english.output
    assert "CSAT: ratings 4 or 5 of 5: 30 % (10 answers)" in english.output
    assert "NPS: recommenders (9–10) minus critics (0–6): -30 (10 answers)" in english.output
    assert "Reservations made: 3" in english.output
    # by week (31 days): all ten answers on Thursday 10.1 (CSAT 3 of 10, CES 30 / 10, NPS (3 - 6) / 10), the three
    # reservations made on 15.1; a week's scores only when shown
    # dates day first, as the English dashboard writes them (not the US month first, 1/7/30)
    assert english.output.startswith("Feedback and reservations 01/01/2030 – 31/01/2030, all units\n")
    assert "  Week of 07/01/2030: feedback 10, reservations 0, CSAT 30 %, CES 3, NPS -30\n" in english.output
    assert "  Week of 14/01/2030: feedback 0, reservations 3\n" in english.output
    finnish = runner.invoke(args=[*args, "fi"])
    assert finnish.exit_code == 0, finnish.output
    assert "CSAT: arviot 4 tai 5 asteikolla 1–5: 30 % (10 vastausta)" in finnish.output
    assert "Tehdyt varaukset: 3" in finnish.output
    bad = runner.invoke(args=["feedback-report", "--since", "2030-02-01", "--until", "2030-01-01", "--lang", "fi"])
    assert bad.exit_code == 2


def chart_table(html: str, chart_id: str) -> list[list[str]]:
    """The rows (period, value, answers) of one chart's table, as the page shows them."""
    import re

    start = html.index(f'id="{chart_id}-caption"')
    body = html[html.index("<tbody>", start) : html.index("</tbody>", start)]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_score_trends_by_week(app: Flask) -> None:
    # January 2030 from Tuesday 1.1: the weeks start on Mondays 31.12.2029, 7.1, 14.1, 21.1 and 28.1; all the
    # unit's five answers are on Thursday 10.1, in the week of 7.1: CSAT 60 %, CES 5, NPS 40 (as for the month).
    html = page(staff(app, DIRECTOR), JANUARY + "&by=week")
    not_shown = "Not shown"
    assert chart_table(html, "trend-csat") == [
        ["Week of 31/12/2029", not_shown, "0"],
        ["Week of 07/01/2030", "60 %", "5"],
        ["Week of 14/01/2030", not_shown, "0"],
        ["Week of 21/01/2030", not_shown, "0"],
        ["Week of 28/01/2030", not_shown, "0"],
    ]
    assert chart_table(html, "trend-ces")[1] == ["Week of 07/01/2030", "5", "5"]
    assert chart_table(html, "trend-nps")[1] == ["Week of 07/01/2030", "40", "5"]
    assert 'id="trend-csat-summary">The share of ratings 4 or 5 of 5' in html
    assert "Week of 07/01/2030: 60 % (5 answers);" in html
    assert 'name="by" value="week" id="by" checked' in html


def test_score_trends_by_month(app: Flask) -> None:
    # Management, January and February by month: January has ten answers (CSAT 3 of 10 = 30 %, CES 30 / 10 = 3,
    # NPS (3 - 6) / 10 = -30); February four (not shown).
    html = page(staff(app, ADMIN), "period=custom&from=1.1.2030&to=28.2.2030&by=month")
    assert chart_table(html, "trend-csat") == [
        ["January 2030", "30 %", "10"],
        ["February 2030", "Not shown", "4"],
    ]
    assert "February 2030: Not shown: fewer than 5 answers (4 answers)." in html  # the summary says why
    assert chart_table(html, "trend-ces")[0] == ["January 2030", "3", "10"]
    assert chart_table(html, "trend-nps")[0] == ["January 2030", "-30", "10"]
    # NPS -30 on the scale -100..100 of 150 units: zero at 75, the bar from 52.5 to 75.
    nps = html[html.index('id="trend-nps-caption"') : html.index('id="trend-nps-summary"')]
    assert '<line class="chart__axis" x1="75.0"' in nps
    assert '<rect class="chart__bar" x="52.5" y="14" height="12" width="22.5">' in nps
    # the same period without a choice is by week (under 92 days); in Finnish the months are named in Finnish
    assert "CSAT by week" in page(staff(app, ADMIN), "period=custom&from=1.1.2030&to=28.2.2030")
    finnish = page(staff(app, ADMIN), "period=custom&from=1.1.2030&to=28.2.2030&by=month", lang="fi")
    assert chart_table(finnish, "trend-csat")[0][1] == "30 %"
    # an unknown choice is the default
    assert "CSAT by week" in page(staff(app, ADMIN), JANUARY + "&by=year")


def test_csv_trend_scores(app: Flask) -> None:
    text = staff(app, DIRECTOR).get(f"/en/organiser/dashboard.csv?{JANUARY}&by=month").get_data(as_text=True)
    rows = {(row[0], row[2]): row[3:] for row in csv.reader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows[("trend_month_csat_percent", "2030-01-01")] == ["60", "5"]
    assert rows[("trend_month_ces_average", "2030-01-01")] == ["5.0", "5"]
    assert rows[("trend_month_nps", "2030-01-01")] == ["40", "5"]


def test_menu_links_to_feedback_and_dashboard(app: Flask) -> None:
    for claims in (DIRECTOR, ADMIN):
        html = page(staff(app, claims), JANUARY)
        nav = html[
            html.index('<nav class="account-nav"') : html.index("</nav>", html.index('<nav class="account-nav"'))
        ]
        assert '<a href="/en/organiser/feedback">Feedback</a>' in nav
        assert '<a href="/en/organiser/dashboard">Dashboard</a>' in nav
    finnish = page(staff(app, DIRECTOR), JANUARY, lang="fi")
    assert '<a href="/fi/organiser/feedback">Palaute</a>' in finnish


def test_funnel_sentence_agrees_with_one_journey_and_with_many(app: Flask) -> None:
    """One journey started in June 2030 (and 10 in January): the sentence under the funnel chart takes the number's
    form in English and Swedish ("1 väg", not "1 vägar"); Finnish puts the number last and needs no plural."""
    with app.app_context():
        db.session.add(
            JourneyCount(day=date(2030, 6, 12), event_id="ecec", step="", language="sv", measure="started", count=1)
        )
        db.session.commit()
    june = "period=custom&from=1.6.2030&to=30.6.2030"
    assert "1 journey started, 0 reached the plan and 0 saved it; 0 left before the plan." in page(
        staff(app, ADMIN), june
    )
    swedish = page(staff(app, ADMIN), june, lang="sv")
    assert "1 väg påbörjades, 0 kom fram till planen och 0 sparade den; 0 avbröt före planen." in swedish
    assert "10 journeys started, 4 reached the plan and 2 saved it; 10 left before the plan." in page(
        staff(app, ADMIN), JANUARY
    )
    assert "10 vägar påbörjades, 4 kom fram till planen" in page(staff(app, ADMIN), JANUARY, lang="sv")
    assert "Asiointipolkuja aloitettiin 1, suunnitelmaan asti pääsi 0" in page(staff(app, ADMIN), june, lang="fi")
