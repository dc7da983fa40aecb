"""Others' experiences in the comparisons (issue 16, item 1): ratings posted through the real quick feedback form,
shown on the plan's unit cards, side by side and in the API once five people have rated; published comments only.

The family of tests/helpers.py ECEC_STEPS (home 20100, Finnish-language care, a child under 3). Päiväkoti
Raunistulan Ruusu (1016) and Päiväkoti Pansion Majakka (1018) suit them and have no demo ratings; the demo data
(portal/demo/demo_feedback.yaml) rates Päiväkoti Metsätähti (1014: 8 ratings, 4.4) and Ryhmäperhepäiväkoti Nuppu
(1019: 6 ratings, 3.8), and gives Pikku Myyrä Runosmäki (1011) only 3 ratings. The module has its own database.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.account_models import Feedback
from portal.extensions import db
from portal.feedback.experiences import EASY_EFFORT, MIN_RATINGS, experiences_of
from tests.api.test_api import ECEC_ANSWERS, PLAN_URL
from tests.api.test_unemployment_api import MATTI_ANSWERS
from tests.api.test_unemployment_api import PLAN_URL as UNEMPLOYMENT_PLAN_URL
from tests.conftest import build_app
from tests.helpers import complete_ecec, complete_unemployment
from tests.web.test_comparison_ecec import cards

PLAN = "/en/events/ecec/plan"
RUUSU, MAJAKKA = 1016, 1018  # suit the family, no demo ratings
METSATAHTI, NUPPU, MYYRA = 1014, 1019, 1011  # the demo's ratings
EMPLOYMENT_TURKU = 2021  # the demo's rated service point near Matti's home

# Six ratings of Ruusu: 5+4+4+5+3+4 = 25, 25/6 = 4.1666.. -> 4.2; effort answered five times (7, 5, 2, 6, 4),
# three of them 5..7 -> 3/5 = 60 %.
SIX = [("5", "7"), ("4", "5"), ("4", "2"), ("5", "6"), ("3", "4"), ("4", "")]
PUBLISHED = "The staff tell us every evening how the day went."
UNPUBLISHED = "A private remark nobody published, unpublished-experience-test."


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """Its own database (ratings are posted here), with room in the feedback budget for the posts."""
    return build_app(
        f"sqlite:///{tmp_path_factory.mktemp('experiences') / 'polku.db'}",
        POLKU_RATE_LIMIT_FEEDBACK="600 per minute",
        POLKU_RATE_LIMIT_FEEDBACK_PERSON="600 per minute",
    )


def rate(client, location_id: int, rating: str, effort: str = "", comment: str = "") -> None:
    """The quick feedback form about a unit, as the page posts it."""
    response = client.post(
        "/en/feedback/quick",
        data={
            "kind": "service",
            "location": str(location_id),
            "rating": rating,
            "effort": effort,
            "comment": comment,
            "next": PLAN,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


@pytest.fixture(scope="module")
def rated(app: Flask) -> Flask:
    """Six ratings of Ruusu (one with a comment published afterwards, one never published), four of Majakka."""
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        client = app.test_client()
        for n, (rating, effort) in enumerate(SIX):
            comment = PUBLISHED if n == 1 else UNPUBLISHED if n == 4 else ""
            rate(client, RUUSU, rating, effort, comment)
        for rating in ("5", "5", "4", "5"):
            rate(client, MAJAKKA, rating, "7", "")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    with app.app_context():  # an organiser publishes one comment (their page is built elsewhere)
        db.session.execute(
            update(Feedback).where(Feedback.comment == PUBLISHED).values(published_at=datetime(2026, 11, 21, 9, 0))
        )
        db.session.commit()
    return app


@pytest.fixture()
def family(rated: Flask, csrf_off_client):
    complete_ecec(csrf_off_client)
    return csrf_off_client


def given_on(app: Flask) -> date:
    """The day the published comment was given: stored at the real time of posting (not POLKU_TODAY)."""
    with app.app_context():
        return db.session.scalar(select(Feedback.created_at).where(Feedback.comment == PUBLISHED)).date()


def page_of(client, query: str = "") -> str:
    response = client.get(PLAN + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def experiences_fact(card: str) -> str:
    """The card's "Others' experiences" fact as read aloud: tags stripped, spaces collapsed."""
    match = re.search(r'data-fact="experiences"><dt>[^<]*</dt><dd>(.*?)</dd></div>', card, re.S)
    assert match, card
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_the_constants_are_those_documented() -> None:
    assert MIN_RATINGS == 5 and EASY_EFFORT == 5


def test_six_ratings_show_the_average_the_count_and_the_easy_share(family) -> None:
    shown = cards(page_of(family, "?page=1")) | cards(page_of(family, "?page=2"))
    assert experiences_fact(shown[RUUSU]).startswith("4.2 of 5 (6 ratings) · 60% found it easy")
    # the demo's ratings: 35/8 = 4.375 -> 4.4, 6 of 7 effort answers easy -> 86 %; 23/6 -> 3.8, 3 of 6 -> 50 %
    assert experiences_fact(shown[METSATAHTI]).startswith("4.4 of 5 (8 ratings) · 86% found it easy")
    assert experiences_fact(shown[NUPPU]) == "3.8 of 5 (6 ratings) · 50% found it easy"


def test_four_ratings_show_no_figures(family) -> None:
    shown = cards(page_of(family, "?page=1")) | cards(page_of(family, "?page=2"))
    assert experiences_fact(shown[MAJAKKA]) == "Not enough ratings yet"
    assert experiences_fact(shown[MYYRA]) == "Not enough ratings yet"  # three demo ratings


def test_a_published_comment_appears_an_unpublished_one_never(rated: Flask, family) -> None:
    page = page_of(family, "?page=1") + page_of(family, "?page=2")
    shown = cards(page_of(family, "?page=1")) | cards(page_of(family, "?page=2"))
    card = shown[RUUSU]
    fact = experiences_fact(card)
    assert "1 comment from others" in fact and PUBLISHED in fact
    assert f'<time datetime="{given_on(rated).isoformat()}">' in card  # the day it was given
    assert UNPUBLISHED not in page and "unpublished-experience-test" not in page
    # the demo's unpublished comment of Metsätähti neither; its two published ones do
    assert "julkaisematon" not in page
    assert "2 comments from others" in experiences_fact(shown[METSATAHTI])
    # and side by side: the same figures and comment in the table
    table = re.search(
        r'<table class="table side-by-side__table">.*?</table>',
        page_of(family, f"?compare={RUUSU}&compare={MAJAKKA}"),
        re.S,
    ).group(0)
    row = re.search(r"<tr><th scope=\"row\">Others(?:'|&#39;) experiences</th>(.*?)</tr>", table, re.S).group(1)
    assert "4.2 of 5 (6 ratings)" in row and "Not enough ratings yet" in row and PUBLISHED in row
    assert UNPUBLISHED not in table


def test_sorting_by_rating_puts_the_best_rated_first_and_the_unrated_last(family) -> None:
    page = page_of(family, "?filtered=1&language=fi&sort=rating")
    order = list(cards(page))
    assert order[:3] == [METSATAHTI, RUUSU, NUPPU]  # 4.4, 4.2, 3.8
    assert all(experiences_fact(card) == "Not enough ratings yet" for card in list(cards(page).values())[3:])
    assert "sorted by rating, best first." in page  # "Showing 1–20 of 24, sorted by ..."
    assert re.search(r'<option value="rating" selected>', page)


def test_filtering_by_rating_leaves_out_units_without_enough_ratings(family) -> None:
    page = page_of(family, "?filtered=1&language=fi&min_rating=4")
    assert sorted(cards(page)) == [METSATAHTI, RUUSU]
    assert re.search(r'<option value="4" selected>4 of 5</option>', page)
    page = page_of(family, "?filtered=1&language=fi&min_rating=4.5")
    assert cards(page) == {} and "No units match your filters" in page
    # a value that is no rating is no filter (never an error)
    assert len(cards(page_of(family, "?filtered=1&language=fi&min_rating=9"))) > 2
    # the other filters keep working beside it
    page = page_of(family, "?filtered=1&language=fi&min_rating=3&room=1&sort=rating")
    assert list(cards(page)) == [METSATAHTI, RUUSU, NUPPU]  # all three have a free place


def test_the_api_has_the_same_figures(rated: Flask, family) -> None:
    response = family.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS})
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.get_json()["comparisons"][0]["rows"]}
    assert rows[RUUSU]["experiences"] == {
        "average_rating": 4.2,
        "rating_count": 6,
        "easy_share": 60,
        "comments": [{"text": PUBLISHED, "date": given_on(rated).isoformat()}],
    }
    assert rows[MAJAKKA]["experiences"] is None and rows[MYYRA]["experiences"] is None
    assert rows[METSATAHTI]["experiences"]["average_rating"] == 4.4
    assert [c["date"] for c in rows[METSATAHTI]["experiences"]["comments"]] == ["2026-10-06", "2026-09-14"]
    assert UNPUBLISHED not in response.get_data(as_text=True)

    response = family.post(
        f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS, "filters": {"sort": "rating", "min_rating": 3.75}}
    )
    comparison = response.get_json()["comparisons"][0]
    assert [row["id"] for row in comparison["rows"]] == [METSATAHTI, RUUSU, NUPPU]  # at least 3.8
    assert comparison["filters"]["min_rating"] == 3.8 and comparison["filters"]["sort"] == "rating"
    response = family.post(f"{PLAN_URL}?lang=en", json={"answers": ECEC_ANSWERS, "filters": {"min_rating": 6}})
    assert response.status_code == 400


def test_nearby_services_show_the_experiences(rated: Flask, csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    page = csrf_off_client.get("/en/events/unemployment/plan").get_data(as_text=True)
    card = re.search(rf'<li class="option" id="unit-service-{EMPLOYMENT_TURKU}">(.*?)</li>\s*(?:<li|</ol>)', page, re.S)
    # 4+5+3+4+4+5+4 = 29, 29/7 = 4.14 -> 4.1; efforts 6, 7, 5, 4, 6, 5: five of six easy -> 83 %
    assert experiences_fact(card.group(1)).startswith("4.1 of 5 (7 ratings) · 83% found it easy 1 comment from others")
    response = csrf_off_client.post(f"{UNEMPLOYMENT_PLAN_URL}?lang=en", json={"answers": MATTI_ANSWERS})
    assert response.status_code == 200
    [services] = [c for c in response.get_json()["comparisons"] if c["kind"] == "nearby_services"]
    found = {row["id"]: row["experiences"] for row in services["rows"]}
    assert found[EMPLOYMENT_TURKU] == {
        "average_rating": 4.1,
        "rating_count": 7,
        "easy_share": 83,
        "comments": [{"text": "Sain ajan nopeasti ja asiat selitettiin selkeästi.", "date": "2026-09-17"}],
    }


def test_the_finnish_page_writes_the_figures_in_finnish(rated: Flask, csrf_off_client) -> None:
    complete_ecec(csrf_off_client, lang="fi")
    page = csrf_off_client.get("/fi/events/ecec/plan?filtered=1&language=fi&sort=rating").get_data(as_text=True)
    fact = experiences_fact(re.split(r'(?=<li class="option[^"]*" id="unit-\d+">)', page)[1])
    assert fact.startswith("4,4"), fact


def test_one_query_for_all_units_and_nothing_below_five(rated: Flask) -> None:
    """experiences_of counts in the database, for any number of units at once, and leaves out what may not show."""
    from sqlalchemy import event

    with rated.app_context():
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            found = experiences_of(db.session, [RUUSU, MAJAKKA, METSATAHTI, NUPPU, MYYRA, 999999])
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len([s for s in statements if "feedback" in s]) == 1
        assert set(found) == {RUUSU, METSATAHTI, NUPPU}
        ruusu = found[RUUSU]
        assert (str(ruusu.average_rating), ruusu.rating_count, ruusu.easy_percent) == ("4.2", 6, 60)
        assert [(c.text, c.given_on) for c in ruusu.comments] == [(PUBLISHED, given_on(rated))]
        # nobody is named: the rows' person is not even read
        assert not any("person_id" in s for s in statements)
        assert db.session.scalar(select(Feedback.id).where(Feedback.location_id == MAJAKKA).limit(1))
