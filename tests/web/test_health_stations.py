"""Health stations near Sirkka's new home and the nearby services comparison's language filter (issue 18, item 6
and item 1's comparison), through the plan page of the unemployment event (its comparison lists health_centre
points near ``home``, as the moving event's does) and the plan API.

Sirkka (portal/dev_idp/people.yaml) lives at Koulupolku 3 A 4, 20780 Kaarina; the portal places a postal code at
its area's centroid, 20780 -> (60.4080, 22.3700). Distances by hand with the flat-earth formula, good to far less
than 0.05 km at these few kilometres: north 111.19 km a degree; east 111.19 x cos(60.42 deg) = 54.9 km a degree.

  station (demo data, portal/demo/service_points.yaml)   lat, lon             north km  east km   distance  languages
  2052 Kaarinan terveysasema                              60.4068, 22.3668     -0.13     -0.18      0.2       fi en
  2058 Varissuon terveysasema                             60.4452, 22.3418      4.14     -1.55      4.4       fi en
  2051 Kaskenmäen terveysasema                            60.4412, 22.2786      3.69     -5.02      6.2       fi sv en
  2059 Kirkkotien terveysasema                            60.4625, 22.3040      6.06     -3.62      7.1       fi
  2056 Turun keskustan terveysasema                       60.4518, 22.2672      4.87     -5.64      7.5       fi en
  2057 Mäntymäen terveysasema                             60.4458, 22.2345      4.20     -7.44      8.5       fi sv
  2060 Runosmäen terveysasema                             60.4935, 22.2428      9.51     -6.98     11.8       fi
  2055 Liedon terveysasema                                60.5058, 22.4585     10.87      4.86     11.9       fi
  2053 Raision terveysasema                               60.4874, 22.1722      8.83    -10.86     14.0       fi
  2054 Naantalin terveysasema                             60.4662, 22.0305      6.47    -18.64     19.7       fi

(e.g. 2051: sqrt(3.69^2 + 5.02^2) = sqrt(13.62 + 25.20) = 6.23.) A resident may choose any of the county's health
stations, so all ten serve Kaarina; the two private voucher stations (2071 Turku, 2072 Lieto) serve only Turku and
Lieto, where Varha gives the voucher, so they are not here. Serving in Swedish: 2051 and 2057, nearest first.

Next free times (TODAY is Sunday 2026-11-22; slots from Monday, the fixed pattern of the loader):
  2051: the first 2 weekdays taken, then every 2nd slot; 8 times a day, so Wednesday's 08:00 is slot 16 (taken) and
        08:30 slot 17 (free): 2026-11-25 08:30.
  2057: Monday taken; 5 times a day, so Tuesday's 08:30 is slot 5, 5 % 3 = 2, free: 2026-11-24 08:30.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from flask import Flask
from sqlalchemy import select

from tests.api.test_unemployment_api import MATTI_ANSWERS
from tests.api.test_unemployment_api import PLAN_URL as API_PLAN
from tests.conftest import build_app
from tests.helpers import complete_moving, complete_unemployment, sign_in
from tests.web.test_service_ratings import card, count_line, listed, selected

NEAREST = [2052, 2058, 2051, 2059, 2056, 2057, 2060, 2055, 2053, 2054]
DISTANCES = {2052: 0.2, 2058: 4.4, 2051: 6.2, 2059: 7.1, 2056: 7.5, 2057: 8.5, 2060: 11.8, 2055: 11.9, 2053: 14.0}
DISTANCES[2054] = 19.7
IN_SWEDISH = [2051, 2057]
IN_ENGLISH = [2052, 2058, 2051, 2056]
SIRKKA_HOME = {"home-postal_code": "20780"}
# The other kinds near Kaarina: employment services 2021 (fi sv en), 2022 (fi en), 2023 (fi); debt advice 2041 (fi sv);
# mental health 2061 (fi sv en). Every point that serves Kaarina: 3 + 1 + 10 + 1 = 15; in Swedish 1 + 1 + 2 + 1 = 5.
IN_AREA, SWEDISH_IN_AREA = 15, 5


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """A database of its own: a test books a time here."""
    return build_app(f"sqlite:///{tmp_path_factory.mktemp('health-stations') / 'polku.db'}")


def plan_page(client, lang: str = "en", query: str = "") -> str:
    response = client.get(f"/{lang}/events/unemployment/plan{query}")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture()
def sirkka(app: Flask, csrf_off_client):
    """The unemployment journey answered with Sirkka's home (the rest as Matti's), in Swedish and English alike."""
    complete_unemployment(csrf_off_client, home=SIRKKA_HOME)
    return csrf_off_client


def facts_of(card_html: str) -> dict[str, str]:
    return {
        unescape(re.sub(r"<[^>]+>", "", dt)).strip(): " ".join(unescape(re.sub(r"<[^>]+>", " ", dd)).split())
        for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", card_html, re.S)
    }


def test_every_public_health_station_of_the_county_nearest_first(sirkka) -> None:
    page = plan_page(sirkka)
    assert listed(page)["health_centre"] == NEAREST
    for point, km in DISTANCES.items():
        shown = f"{km:.1f}".removesuffix(".0")  # the page writes 14.0 as "14"
        assert facts_of(card(page, point))["Distance"] == f"{shown} km", point
    assert selected(page, "services-serves_in") == ""  # nothing chosen, whatever the page's language
    assert selected(plan_page(sirkka, "sv"), "services-serves_in") == ""
    assert count_line(page) == "Sorted by distance."


def test_the_swedish_filter_leaves_the_stations_serving_in_swedish(sirkka) -> None:
    page = plan_page(sirkka, "en", "?serves_in=sv")
    assert listed(page) == {
        "employment_services": [2021],
        "debt_advice": [2041],
        "health_centre": IN_SWEDISH,
        "mental_health": [2061],
    }
    assert [facts_of(card(page, p))["Distance"] for p in IN_SWEDISH] == ["6.2 km", "8.5 km"]
    assert selected(page, "services-serves_in") == "sv"
    assert count_line(page) == (
        f"{SWEDISH_IN_AREA} of {IN_AREA} service points match your filters. Sorted by distance. Show all service points"
    )
    show_all = re.search(r'<a href="([^"]*)">Show all service points</a>', page).group(1)
    assert unescape(show_all) == "/en/events/unemployment/plan#services-count"


def test_english_and_finnish(sirkka) -> None:
    page = plan_page(sirkka, "en", "?serves_in=en")
    assert listed(page)["health_centre"] == IN_ENGLISH
    assert listed(page)["debt_advice"] == []  # 2041 serves in Finnish and Swedish
    assert "No service point of this kind says it serves in English." in page
    assert "We found no service point of this kind for your municipality" not in page
    assert listed(plan_page(sirkka, "en", "?serves_in=fi"))["health_centre"] == NEAREST


def test_in_swedish_the_cards_say_clearly_which_serve_in_swedish(sirkka) -> None:
    page = plan_page(sirkka, "sv")
    tag = '<strong class="tag">Betjänar på svenska</strong>'
    assert [p for p in NEAREST if tag in card(page, p)] == IN_SWEDISH
    assert facts_of(card(page, 2051))["Språk"] == "Finska, Svenska, Engelska"
    assert facts_of(card(page, 2057))["Språk"] == "Finska, Svenska"
    assert facts_of(card(page, 2059))["Språk"] == "Finska"
    # the filter form offers the choice in the page's language, nothing chosen for the person
    options = re.search(r'<select class="select" id="services-serves_in" name="serves_in">(.*?)</select>', page, re.S)
    assert re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', options.group(1)) == [
        ("", "Vilket språk som helst"),
        ("fi", "Betjänar på finska"),
        ("sv", "Betjänar på svenska"),
        ("en", "Betjänar på engelska"),
    ]
    swedish = plan_page(sirkka, "sv", "?serves_in=sv")
    assert listed(swedish)["health_centre"] == IN_SWEDISH
    assert all(tag in card(swedish, p) for p in IN_SWEDISH)


def test_in_finnish_no_card_is_marked_since_every_point_here_serves_in_finnish(sirkka) -> None:
    page = plan_page(sirkka, "fi")
    assert '<strong class="tag">' not in re.search(
        r'<section aria-labelledby="services-title">.*?</section>', page, re.S
    ).group(0)
    assert facts_of(card(page, 2057))["Kieli"] == "Suomi, Ruotsi"


def test_the_moving_event_compares_the_same_stations_in_swedish(app: Flask, csrf_off_client) -> None:
    """The moving event's comparison (configurator/events/moving.yaml: nearby_services near ``home``, health_centre)
    with Sirkka's own answers, in Swedish and without JavaScript."""
    complete_moving(csrf_off_client, "sv")
    response = csrf_off_client.get("/sv/events/moving/plan")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert listed(page)["health_centre"] == NEAREST
    assert selected(page, "services-serves_in") == ""  # the page is in Swedish, but nothing is assumed
    swedish = csrf_off_client.get("/sv/events/moving/plan?serves_in=sv").get_data(as_text=True)
    assert listed(swedish)["health_centre"] == IN_SWEDISH
    assert [facts_of(card(swedish, p))["Avstånd"] for p in IN_SWEDISH] == ["6,2 km", "8,5 km"]
    assert all('<strong class="tag">Betjänar på svenska</strong>' in card(swedish, p) for p in IN_SWEDISH)


def test_the_next_free_time_shows_on_the_cards(sirkka) -> None:
    page = plan_page(sirkka, "en", "?serves_in=sv")
    assert '<time datetime="2026-11-25T08:30:00">' in card(page, 2051)
    assert '<time datetime="2026-11-24T08:30:00">' in card(page, 2057)


@pytest.mark.parametrize("value", ["de", "", "SV", "swedish", "sv%00", "%F0%9F%87%B8%F0%9F%87%AA"])
def test_a_bad_value_is_no_filter_never_an_error(sirkka, value: str) -> None:
    page = plan_page(sirkka, "en", f"?serves_in={value}&min_rating=abc")
    assert listed(page)["health_centre"] == NEAREST
    assert selected(page, "services-serves_in") == ""


def test_the_form_keeps_the_other_parameters_without_javascript(sirkka) -> None:
    page = plan_page(sirkka, "en", "?keep=me&serves_in=sv&sort=rating")
    form = re.search(r'<form method="get" action="([^"]*)" class="filters"[^>]*>(.*?)</form>', page, re.S)
    assert form.group(1) == "/en/events/unemployment/plan#services-count"
    assert re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form.group(2)) == [("keep", "me")]
    assert listed(page)["health_centre"] == IN_SWEDISH  # nobody rated: the rating sort keeps the distance order


def test_sirkka_books_a_time_at_the_nearest_station_serving_in_swedish(app: Flask, sirkka) -> None:
    from portal.account_models import Person, Reservation
    from portal.extensions import db
    from portal.models import AppointmentSlot

    with app.app_context():
        person = Person(issuer="test", subject="health-stations-sirkka", name="Sirkka Mäkinen", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id
        slot_id = db.session.scalar(
            select(AppointmentSlot.id)
            .where(
                AppointmentSlot.location_id == 2051,
                AppointmentSlot.booked < AppointmentSlot.capacity,
                AppointmentSlot.channel != "phone",
            )
            .order_by(AppointmentSlot.starts_at)
            .limit(1)
        )
    sign_in(sirkka, person_id)
    page = plan_page(sirkka, "sv", "?serves_in=sv")
    link = re.search(r'<a href="([^"]*)">[^<]*<span class="visually-hidden">: Hälsostationen i Kaskenmäki</span>', page)
    assert link, "no reserve link on the card"
    reserve = unescape(link.group(1))
    assert reserve.startswith("/sv/own/reservations/new/appointment?location=2051")
    form = sirkka.get(reserve).get_data(as_text=True)
    assert f'name="slot" value="{slot_id}"' in form
    response = sirkka.post(reserve, data={"slot": str(slot_id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        [(slot, status)] = db.session.execute(
            select(Reservation.slot_id, Reservation.status).where(Reservation.person_id == person_id)
        ).all()
    assert (slot, status) == (slot_id, "confirmed")


def test_the_booking_page_leads_back_to_the_list_as_it_was_left(app: Flask, sirkka) -> None:
    """The card's link carries the plan's choices (language, sort, rating, page) to the booking page; its Back link
    and its form keep them, also when the form comes back with an error; anything else is not carried."""
    from portal.account_models import Person
    from portal.extensions import db

    with app.app_context():
        person = Person(issuer="test", subject="health-stations-back", name="Sirkka Mäkinen", claims={})
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    sign_in(sirkka, person_id)
    page = plan_page(sirkka, "sv", "?serves_in=sv&sort=rating&keep=me")
    link = re.search(r'<a href="([^"]*)">[^<]*<span class="visually-hidden">: Hälsostationen i Kaskenmäki</span>', page)
    reserve = unescape(link.group(1))
    assert reserve == "/sv/own/reservations/new/appointment?location=2051&event=unemployment&serves_in=sv&sort=rating"
    back = "/sv/events/unemployment/plan?serves_in=sv&amp;sort=rating#unit-service-2051"
    form = sirkka.get(reserve).get_data(as_text=True)
    assert f'<a class="back-link" href="{back}">' in form
    action = (
        "/sv/own/reservations/new/appointment?location=2051&amp;event=unemployment&amp;serves_in=sv&amp;sort=rating"
    )
    assert f'action="{action}"' in form
    again = sirkka.post(reserve, data={"slot": ""})  # no time chosen: the form again, with its error
    assert again.status_code == 200
    assert f'<a class="back-link" href="{back}">' in again.get_data(as_text=True)
    assert f'action="{action}"' in again.get_data(as_text=True)
    # Without the plan's choices the Back link is the plan as it opens; a value too long to be a choice is dropped.
    plain = sirkka.get(f"/sv/own/reservations/new/appointment?location=2051&event=unemployment&sort={'x' * 21}")
    assert '<a class="back-link" href="/sv/events/unemployment/plan#unit-service-2051">' in plain.get_data(as_text=True)


def test_the_plan_api_takes_the_language_filter_and_says_it_applied_it(app: Flask, client) -> None:
    answers = {**MATTI_ANSWERS, "home": {"postal_code": "20780"}}

    def services(filters: dict | None) -> dict:
        response = client.post(f"{API_PLAN}?lang=sv", json={"answers": answers, "filters": filters})
        assert response.status_code == 200, response.get_json()
        [found] = [c for c in response.get_json()["comparisons"] if c["kind"] == "nearby_services"]
        return found

    def health(found: dict) -> list[tuple[int, float]]:
        return [(row["id"], row["distance_km"]) for row in found["rows"] if row["kind"] == "health_centre"]

    plain = services(None)
    assert [i for i, _ in health(plain)] == NEAREST and plain["filters"]["serves_in"] is None  # not the page's sv
    swedish = services({"serves_in": "sv"})
    assert health(swedish) == [(2051, 6.2), (2057, 8.5)]
    assert swedish["filters"] == {"sort": "distance", "min_rating": None, "serves_in": "sv"}
    assert swedish["in_area"] == IN_AREA and len(swedish["rows"]) == SWEDISH_IN_AREA
    assert [i for i, _ in health(services({"serves_in": "en", "sort": "rating"}))] == IN_ENGLISH
    response = client.post(f"{API_PLAN}?lang=en", json={"answers": answers, "filters": {"serves_in": "de"}})
    assert response.status_code == 400
    [problem] = response.get_json()["errors"]
    assert problem["field"] == "filters.serves_in" and problem["detail"] == "Use one of these values: fi, sv, en."


def option_meta(page: str, point: int) -> str:
    return unescape(re.search(r'<p class="option__meta">(.*?)</p>', card(page, point), re.S).group(1))


def test_an_organisation_is_named_in_the_pages_language_where_it_has_a_name_in_it(sirkka) -> None:
    """Varha and the legal aid district have official Swedish and English names (portal/demo/service_points.yaml);
    the employment area has none known, so its Finnish name stands on every page."""
    swedish = plan_page(sirkka, "sv")
    assert option_meta(swedish, 2051).endswith(", Egentliga Finlands välfärdsområde")
    assert option_meta(swedish, 2041).endswith(", Västra och Inre Finlands rättshjälps- och intressebevakningsdistrikt")
    assert option_meta(swedish, 2021).endswith(", Turun seudun työllisyysalue")
    english = plan_page(sirkka, "en")
    assert option_meta(english, 2051).endswith(", Wellbeing Services County of Southwest Finland")
    finnish = plan_page(sirkka, "fi")
    assert option_meta(finnish, 2051).endswith(", Varsinais-Suomen hyvinvointialue")
    assert "Varsinais-Suomen hyvinvointialue" not in swedish


def test_the_moving_plans_health_tasks_and_the_api_name_varha_in_swedish(app: Flask, csrf_off_client, client) -> None:
    complete_moving(csrf_off_client, "sv")
    page = csrf_off_client.get("/sv/events/moving/plan").get_data(as_text=True)
    task = re.search(r'id="task-choose_health_station">.*?</li>', page, re.S).group(0)
    assert "Egentliga Finlands välfärdsområde" in task and "Varsinais-Suomen" not in task
    answers = {**MATTI_ANSWERS, "home": {"postal_code": "20780"}}
    response = client.post(f"{API_PLAN}?lang=sv", json={"answers": answers})
    [services] = [c for c in response.get_json()["comparisons"] if c["kind"] == "nearby_services"]
    stations = [row for row in services["rows"] if row["kind"] == "health_centre"]
    assert {p["organisation"] for p in stations} == {"Egentliga Finlands välfärdsområde"}
