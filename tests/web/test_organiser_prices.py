"""The prices page (issue 15): a private provider sets the monthly price of its service-voucher unit from a date on;
the citizen's comparison uses a price from its date (a coming price not yet, today's at once); bad input, a stale
page and another unit are refused with nothing saved; every change is in the audit log. Each test has an app of its
own (they change the data).

Hand-derived figures: Montessori-päiväkoti Satakieli (1010) costs 1 390,00 € a month full-time from 1 August 2026
(turku_region.yaml). The citizen of ECEC_STEPS wants 30 hours a week, which is 80 % of full time in Turku's demo
rules, so the comparison's breakdown shows "Part-time provider price: 80 % of 1,390 € = 1,112 €"; a price of
1 237,50 € gives 0.8 × 1237.50 = 990.00, "= 990 €"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import ECEC_STEPS, complete_ecec

from .test_organiser_availability import send
from .test_organiser_roles import DIRECTOR, PRIVATE, staff_sign_in
from .test_provider_origin import dev_provider

UNIT = 1010  # Montessori-päiväkoti Satakieli, the private provider's service-voucher unit
PAGE = f"/en/organiser/units/{UNIT}/prices"
OLD_PRICE = Decimal("1390.00")
TODAY = date(2026, 11, 22)  # tests/conftest.py


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'prices.db'}")


def _signed_in(app: Flask, monkeypatch: pytest.MonkeyPatch, person: str) -> Iterator[FlaskClient]:
    with dev_provider(app, monkeypatch):
        client = app.test_client()
        staff_sign_in(client, person)
        yield client


@pytest.fixture()
def staff(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """The private provider of unit 1010, signed in through the development provider."""
    yield from _signed_in(own_app, monkeypatch, PRIVATE)


def stored(app: Flask) -> dict[date, tuple[Decimal, int]]:
    """Unit 1010's price entries: (monthly price, version) by the date they apply from."""
    from portal.extensions import db
    from portal.models import UnitPrice

    with app.app_context():
        rows = db.session.execute(select(UnitPrice).where(UnitPrice.location_id == UNIT)).scalars()
        return {row.valid_from: (Decimal(row.monthly_price), row.version) for row in rows}


def audit_rows(app: Flask) -> list[tuple[str, str | None, str | None, str | None, str]]:
    from portal.extensions import db
    from portal.models import AuditEntry

    with app.app_context():
        rows = db.session.execute(select(AuditEntry).where(AuditEntry.location_id == UNIT).order_by(AuditEntry.id))
        return [(r.action, r.field, r.old_value, r.new_value, r.channel) for r in rows.scalars()]


def citizen_part_time_price(app: Flask, start: date) -> str:
    """The part-time provider price the citizen's comparison shows for Satakieli (30 h a week: 80 %), for a child
    starting on ``start`` (the comparison prices the units on the start date)."""
    client = app.test_client()
    app.config["WTF_CSRF_ENABLED"] = False
    child = {
        **ECEC_STEPS["child"],
        "start_date-day": str(start.day),
        "start_date-month": str(start.month),
        "start_date-year": str(start.year),
    }
    try:
        complete_ecec(client, child=child)
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/en/events/ecec/plan?show=all").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    card = text[text.index("Montessori-päiväkoti Satakieli") :]
    found = re.search(r"Part-time provider price: 80 % of ([0-9,.]+) € = ([0-9,.]+) €", card)
    assert found, card[:3000]
    return found.group(2)


def date_fields(day: date) -> dict[str, str]:
    return {"valid_from-day": str(day.day), "valid_from-month": str(day.month), "valid_from-year": str(day.year)}


def test_a_coming_price_is_used_from_its_date_and_not_before(own_app, staff) -> None:
    coming = date(2027, 1, 1)
    assert citizen_part_time_price(own_app, date(2027, 8, 12)) == "1,112"  # 0.8 × 1390
    page = staff.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "€1,390 a month" in html and 'name="version" value=""' in html  # a new date: no version
    assert "not a service-voucher unit" not in html
    saved = send(staff, html, {**date_fields(coming), "monthly_price": "1 237,50"}, "/prices")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/units/{UNIT}?done=price-saved")
    assert stored(own_app) == {date(2026, 8, 1): (OLD_PRICE, 1), coming: (Decimal("1237.50"), 1)}
    notice = staff.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Price saved." in notice and "€1,237.50 a month" in notice
    assert citizen_part_time_price(own_app, date(2027, 8, 12)) == "990"  # 0.8 × 1237.50, from 1 January 2027
    assert citizen_part_time_price(own_app, date(2026, 12, 1)) == "1,112"  # before its date: still 0.8 × 1390
    assert audit_rows(own_app) == [
        ("created", "monthly_price", None, "1237.50", "page"),
        ("created", "valid_from", None, "2027-01-01", "page"),
    ]


def test_a_price_from_today_is_used_at_once(own_app, staff) -> None:
    html = staff.get(PAGE).get_data(as_text=True)
    saved = send(staff, html, {**date_fields(TODAY), "monthly_price": "1500"}, "/prices")
    assert saved.status_code == 302
    assert stored(own_app)[TODAY] == (Decimal("1500.00"), 1)
    assert citizen_part_time_price(own_app, date(2026, 12, 1)) == "1,200"  # 0.8 × 1500


def test_changing_a_coming_price_sends_its_version_and_is_audited_as_an_update(own_app, staff) -> None:
    coming = date(2027, 1, 1)
    send(staff, staff.get(PAGE).get_data(as_text=True), {**date_fields(coming), "monthly_price": "1400"}, "/prices")
    listing = staff.get(PAGE).get_data(as_text=True)
    assert f"?edit={coming.isoformat()}" in listing
    edit = staff.get(f"{PAGE}?edit={coming.isoformat()}").get_data(as_text=True)
    assert 'name="version" value="1"' in edit and 'value="1400.00"' in edit and 'name="valid_from-day"' in edit
    saved = send(staff, edit, {"monthly_price": "1 450,25"}, "/prices")
    assert saved.status_code == 302
    assert stored(own_app)[coming] == (Decimal("1450.25"), 2)
    assert audit_rows(own_app)[-1] == ("updated", "monthly_price", "1400.00", "1450.25", "page")


def test_a_link_to_a_date_without_a_price_fills_in_the_date_only(own_app, staff) -> None:
    page = staff.get(f"{PAGE}?edit=2027-03-01").get_data(as_text=True)
    assert 'name="version" value=""' in page and 'name="monthly_price" type="text" value=""' in page
    saved = send(staff, page, {"monthly_price": "1399,90"}, "/prices")
    assert saved.status_code == 302 and stored(own_app)[date(2027, 3, 1)] == (Decimal("1399.90"), 1)
    again = send(staff, staff.get(f"{PAGE}?edit=2027-03-01").get_data(as_text=True), {}, "/prices")
    assert again.status_code == 302 and stored(own_app)[date(2027, 3, 1)] == (Decimal("1399.90"), 2)  # unchanged
    past = staff.get(f"{PAGE}?edit=2026-08-01").get_data(as_text=True)  # the history is not edited
    assert 'name="version" value=""' in past and 'value="1390,00"' not in past and 'value="2026"' not in past


def test_bad_input_is_explained_next_to_the_field_in_finnish_and_nothing_is_saved(own_app, staff) -> None:
    before = stored(own_app)
    html = staff.get(PAGE.replace("/en/", "/fi/")).get_data(as_text=True)
    refused = send(staff, html, {"monthly_price": "-5"}, "/prices")  # and no date
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'href="#valid_from-day"' in page and 'href="#monthly_price"' in page
    assert 'id="valid_from-error"' in page and 'id="monthly_price-error"' in page
    assert "Hinta ei voi olla negatiivinen." in page
    assert 'value="-5"' in page  # what was typed is kept
    past = send(staff, html, {**date_fields(date(2026, 11, 21)), "monthly_price": "kolme"}, "/prices")
    assert past.status_code == 400
    page = past.get_data(as_text=True)
    assert 'value="kolme"' in page and 'value="21"' in page and 'value="2026"' in page
    assert 'id="valid_from-error"' in page and 'id="monthly_price-error"' in page
    unreal = send(
        staff, html, {**date_fields(date(2027, 1, 1)), "valid_from-day": "31", "valid_from-month": "2"}, "/prices"
    )
    assert unreal.status_code == 400 and 'id="valid_from-error"' in unreal.get_data(as_text=True)
    assert stored(own_app) == before
    assert audit_rows(own_app) == []


def test_an_edit_from_a_stale_page_is_refused_with_the_current_price(own_app, staff) -> None:
    coming = date(2027, 1, 1)
    send(staff, staff.get(PAGE).get_data(as_text=True), {**date_fields(coming), "monthly_price": "1400"}, "/prices")
    edit = staff.get(f"{PAGE}?edit={coming.isoformat()}").get_data(as_text=True)  # opened: version 1
    assert send(staff, edit, {"monthly_price": "1410"}, "/prices").status_code == 302  # now version 2
    stale = send(staff, edit, {"monthly_price": "1420"}, "/prices")  # from the same, now old, page
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "The price for this date was set or changed after you opened this page." in page
    assert 'value="1410.00"' in page and 'name="version" value="2"' in page  # the current price
    assert stored(own_app)[coming] == (Decimal("1410.00"), 2)
    again = send(staff, page, {"monthly_price": "1420"}, "/prices")  # from the page with the current price
    assert again.status_code == 302 and stored(own_app)[coming] == (Decimal("1420.00"), 3)


def test_a_new_price_for_a_date_that_has_one_shows_it_first(own_app, staff) -> None:
    coming = date(2027, 1, 1)
    html = staff.get(PAGE).get_data(as_text=True)
    assert send(staff, html, {**date_fields(coming), "monthly_price": "1400"}, "/prices").status_code == 302
    again = send(staff, html, {**date_fields(coming), "monthly_price": "1300"}, "/prices")  # no version sent
    assert again.status_code == 409
    page = again.get_data(as_text=True)
    assert "This date already has a price, shown below." in page and 'value="1400.00"' in page
    assert stored(own_app)[coming] == (Decimal("1400.00"), 1)


def test_another_units_director_and_a_citizen_get_404(own_app, monkeypatch) -> None:
    signing = _signed_in(own_app, monkeypatch, DIRECTOR)  # kept: the generator's configuration lasts while it does
    director = next(signing)
    assert director.get(PAGE).status_code == 404  # the director of Kurjenpesä (1001), not Satakieli's
    assert director.get("/en/organiser/units/999999/prices").status_code == 404
    refused = director.post(PAGE, data={"monthly_price": "1", **date_fields(date(2027, 1, 1))})
    assert refused.status_code in (400, 404)  # no CSRF token: refused before the route, or 404 by it
    own = director.get("/en/organiser/units/1001/prices")  # her own unit, a municipal one
    assert own.status_code == 200 and "not a service-voucher unit" in own.get_data(as_text=True)
    assert stored(own_app) == {date(2026, 8, 1): (OLD_PRICE, 1)}
    from tests.helpers import sign_in

    citizen = own_app.test_client()
    sign_in(citizen, 1)
    assert citizen.get(PAGE).status_code == 404
    assert own_app.test_client().get(PAGE).status_code == 302  # nobody signed in: the staff sign-in
