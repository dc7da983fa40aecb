"""The municipality's ECEC pricing page (issue 15): the Turku ECEC service manager sets Turku's service voucher
values and part-time steps from a date on; the citizen's comparison uses them from that date (a coming decision not
yet); bad input, a stale page and staff who may not price for Turku are refused with nothing saved; the change is in
the audit log.

Hand-derived figures: Turku's demo pricing (turku_region.yaml, from 1 August 2024) has a voucher of 1 519 € for a
child under 3 and 30 hours a week at 80 %: the breakdown shows "Part-time voucher: 80 % of 1,519 € = 1,215 €"
(0.8 × 1519 = 1215.2). The new decision: 1 600 € and 30 hours at 75 %: 0.75 × 1600 = 1200, "75 % of 1,600 € =
1,200 €"."""

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
from .test_organiser_prices import _signed_in, date_fields
from .test_organiser_roles import ADMIN, DIRECTOR, MANAGER

TURKU = "853"
PAGE = f"/en/organiser/pricing/{TURKU}"
OLD_START = date(2024, 8, 1)


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'pricing.db'}")


@pytest.fixture()
def manager(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """Turku's ECEC service manager, who may set Turku's pricing."""
    yield from _signed_in(own_app, monkeypatch, MANAGER)


def stored(app: Flask) -> dict[date, tuple[Decimal, Decimal, Decimal, list[dict[str, str]], str, int]]:
    from portal.extensions import db
    from portal.models import MunicipalEcecPricing

    with app.app_context():
        rows = db.session.scalars(select(MunicipalEcecPricing).where(MunicipalEcecPricing.municipality_code == TURKU))
        return {
            r.valid_from: (
                Decimal(r.voucher_under_3),
                Decimal(r.voucher_3_and_over),
                Decimal(r.max_surcharge),
                list(r.part_time_steps),
                r.source,
                r.version,
            )
            for r in rows
        }


def audit_rows(app: Flask) -> list[tuple[str, str | None, str | None, str | None, str]]:
    from portal.extensions import db
    from portal.models import AuditEntry

    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.municipality_code == TURKU).order_by(AuditEntry.id)
        )
        return [(r.action, r.field, r.old_value, r.new_value, r.channel) for r in rows]


def citizen_part_time_voucher(app: Flask, start: date) -> str:
    """The part-time voucher line of Satakieli's breakdown for a child under 3 starting on ``start``, 30 h a week."""
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
    found = re.search(r"Part-time voucher: [0-9]+ % of [0-9,.]+ € = [0-9,.]+ €", card)
    assert found, card[:3000]
    return found.group(0)


NEW_STEPS = {
    "step-0-max_hours": "20",
    "step-0-share": "60",
    "step-1-max_hours": "25",
    "step-1-share": "70",
    "step-2-max_hours": "30",
    "step-2-share": "75",
    "step-3-max_hours": "34",
    "step-3-share": "90",
}


def test_a_coming_decision_applies_from_its_date_and_is_audited(own_app, manager) -> None:
    before = stored(own_app)
    assert citizen_part_time_voucher(own_app, date(2027, 8, 12)) == "Part-time voucher: 80 % of 1,519 € = 1,215 €"
    page = manager.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="voucher_under_3" type="text" value="1519.00"' in html  # starts from the pricing in force
    assert 'name="version" value=""' in html
    answers = {
        **date_fields(date(2027, 1, 1)),
        "voucher_under_3": "1 600,00",
        **NEW_STEPS,
        "source": "Turun kaupunki, palvelusetelin sääntökirja 1.1.2027",
    }
    saved = send(manager, html, answers, "/pricing/853")
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/pricing/{TURKU}?done=saved")
    after = stored(own_app)
    assert after[OLD_START] == before[OLD_START]
    assert after[date(2027, 1, 1)] == (
        Decimal("1600.00"),
        Decimal("949.00"),
        Decimal("100.00"),
        [
            {"max_hours": "20", "coefficient": "0.6"},
            {"max_hours": "25", "coefficient": "0.7"},
            {"max_hours": "30", "coefficient": "0.75"},
            {"max_hours": "34", "coefficient": "0.9"},
        ],
        "Turun kaupunki, palvelusetelin sääntökirja 1.1.2027",
        1,
    )
    notice = manager.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Pricing saved." in notice and "From 1 January 2027 (coming)" in notice
    assert citizen_part_time_voucher(own_app, date(2027, 8, 12)) == "Part-time voucher: 75 % of 1,600 € = 1,200 €"
    assert citizen_part_time_voucher(own_app, date(2026, 12, 1)) == "Part-time voucher: 80 % of 1,519 € = 1,215 €"
    rows = audit_rows(own_app)
    assert ("created", "valid_from", None, "2027-01-01", "page") in rows
    assert ("created", "voucher_under_3", None, "1600.00", "page") in rows
    assert {row[0] for row in rows} == {"created"}


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(own_app, manager) -> None:
    before = stored(own_app)
    html = manager.get(PAGE.replace("/en/", "/fi/")).get_data(as_text=True)
    answers = {"voucher_under_3": "-1", "step-1-share": "paljon", "source": "", **date_fields(date(2026, 1, 1))}
    refused = send(manager, html, answers, "/pricing/853")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    for field in ("valid_from", "voucher_under_3", "part_time_steps", "source"):
        assert f'id="{field}-error"' in page, field
    assert 'href="#valid_from-day"' in page and 'href="#step-0-max_hours"' in page
    assert "Hinta ei voi olla negatiivinen." in page
    assert 'value="paljon"' in page and 'value="-1"' in page  # what was typed is kept
    assert stored(own_app) == before
    assert audit_rows(own_app) == []


def test_an_edit_from_a_stale_page_is_refused_with_the_current_values(own_app, manager) -> None:
    html = manager.get(PAGE).get_data(as_text=True)
    day = date(2027, 1, 1)
    assert send(manager, html, {**date_fields(day)}, "/pricing/853").status_code == 302
    edit = manager.get(f"{PAGE}?edit={day.isoformat()}").get_data(as_text=True)
    assert 'name="version" value="1"' in edit
    assert send(manager, edit, {"max_surcharge": "90"}, "/pricing/853").status_code == 302  # version 2
    stale = send(manager, edit, {"max_surcharge": "80"}, "/pricing/853")
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert 'name="max_surcharge" type="text" value="90.00"' in page and 'name="version" value="2"' in page
    assert stored(own_app)[day][2] == Decimal("90.00")
    assert audit_rows(own_app)[-1] == ("updated", "max_surcharge", "100.00", "90.00", "page")


def test_the_front_page_links_the_pricing_for_those_who_may_set_it(own_app, monkeypatch) -> None:
    signing = _signed_in(own_app, monkeypatch, MANAGER)
    manager = next(signing)
    front = manager.get("/en/organiser/").get_data(as_text=True)
    assert f'href="/en/organiser/pricing/{TURKU}"' in front and "Pricing of Turku" in front
    assert manager.get("/en/organiser/pricing/202").status_code == 404  # Kaarina: not hers
    assert manager.get("/en/organiser/pricing/abc").status_code == 404


def test_a_unit_director_gets_404(own_app, monkeypatch) -> None:
    signing = _signed_in(own_app, monkeypatch, DIRECTOR)
    director = next(signing)
    assert "/organiser/pricing/" not in director.get("/en/organiser/").get_data(as_text=True)
    assert director.get(PAGE).status_code == 404


def test_the_administrator_sees_the_municipalities_with_pricing(own_app, monkeypatch) -> None:
    signing = _signed_in(own_app, monkeypatch, ADMIN)
    admin = next(signing)
    front = admin.get("/en/organiser/").get_data(as_text=True)
    links = set(re.findall(r'href="/en/organiser/pricing/([0-9]{3})"', front))
    assert TURKU in links and "202" in links and "091" not in links  # Helsinki has no pricing in the demo
    assert admin.get("/en/organiser/pricing/202").status_code == 200
