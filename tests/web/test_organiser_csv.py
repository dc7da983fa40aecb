"""CSV export and import of free places and prices (issue 15, portal/organisers/csv_io.py): the export is read
back by the import, whose preview shows every change and every row error with nothing saved; saving applies all
rows in one transaction or none (audit channel csv), and the citizens see the numbers at once."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from .test_organiser_availability import UNIT, audit_rows, citizen_free_places, stored
from .test_organiser_roles import DIRECTOR, PRIVATE, staff_sign_in
from .test_provider_origin import dev_provider

IMPORT = "/en/organiser/import"
PRICE_UNIT = 1010  # the private provider's service-voucher unit


@pytest.fixture()
def own_app(tmp_path) -> Flask:
    from tests.conftest import build_app

    return build_app(f"sqlite:///{tmp_path / 'csv.db'}")


def _signed_in(app: Flask, monkeypatch: pytest.MonkeyPatch, person: str) -> Iterator[FlaskClient]:
    with dev_provider(app, monkeypatch):
        client = app.test_client()
        staff_sign_in(client, person)
        yield client


@pytest.fixture()
def staff(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """The director of unit 1001."""
    yield from _signed_in(own_app, monkeypatch, DIRECTOR)


@pytest.fixture()
def provider(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """The private provider of unit 1010."""
    yield from _signed_in(own_app, monkeypatch, PRIVATE)


def exported(client: FlaskClient, kind: str) -> list[dict[str, str]]:
    response = client.get(f"/en/organiser/export/{kind}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def as_csv(rows: list[dict[str, str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def upload(client: FlaskClient, kind: str | None, body: bytes | None, lang: str = "en", **extra: str):
    page = client.get(IMPORT.replace("/en/", f"/{lang}/")).get_data(as_text=True)
    data: dict[str, object] = {"csrf_token": token_of(page), **extra}
    if kind is not None:
        data["kind"] = kind
    if body is not None:
        data["file"] = (io.BytesIO(body), "units.csv")
    return client.post(IMPORT.replace("/en/", f"/{lang}/"), data=data, content_type="multipart/form-data")


def save(client: FlaskClient, preview_html: str):
    token = re.search(r'name="token" value="([^"]+)"', preview_html).group(1)
    return client.post("/en/organiser/import/save", data={"csrf_token": token_of(preview_html), "token": token})


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_export_edit_one_number_preview_save_and_the_citizen_sees_it(own_app, staff) -> None:
    before = stored(own_app)
    rows = exported(staff, "availability")
    assert rows and {r["unit_id"] for r in rows} == {str(UNIT)}  # the director's one unit only
    assert list(rows[0]) == ["unit_id", "unit_name", "age_group", "free_places", "queue_weeks", "version"]
    places = before["under_3"][0]
    changed = next(r for r in rows if r["age_group"] == "under_3")
    changed["free_places"] = str(places + 4)
    preview = upload(staff, "availability", as_csv(rows))
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    said = text(html)
    assert f"Free places, Under 3 years: {places} → {places + 4}" in said, said
    assert said.count("→") == 1  # exactly that change
    assert "Nothing has been saved yet" in said and "row error" not in said
    assert stored(own_app) == before  # the preview saves nothing
    saved = save(staff, html)
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/en/organiser/import")
    assert "1 change saved." in staff.get(saved.headers["Location"]).get_data(as_text=True)
    assert stored(own_app)["under_3"] == (places + 4, before["under_3"][1])
    assert stored(own_app)["3_and_over"] == before["3_and_over"]
    assert ("updated", "free_places.under_3", str(places), str(places + 4), "csv") in audit_rows(own_app)
    assert citizen_free_places(own_app) == places + 4
    again = save(staff, html)  # the kept preview is gone once saved
    assert again.status_code == 409 and stored(own_app)["under_3"] == (places + 4, before["under_3"][1])


def test_one_broken_row_is_shown_and_nothing_can_be_saved(own_app, staff) -> None:
    before = stored(own_app)
    rows = exported(staff, "availability")
    rows[0]["free_places"] = str(int(rows[0]["free_places"]) + 1)
    rows[1]["queue_weeks"] = "kolme"
    preview = upload(staff, "availability", as_csv(rows, delimiter=";"))  # a Finnish spreadsheet's semicolons
    assert preview.status_code == 400
    html = preview.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'href="#row-errors"' in html
    assert "Row 3: Queue in weeks: Enter a whole number." in text(html)
    assert 'action="/en/organiser/import/save"' not in html
    token = re.search(r"name=\"csrf_token\" value=\"([^\"]+)\"", html).group(1)
    refused = staff.post("/en/organiser/import/save", data={"csrf_token": token, "token": "guess"})
    assert refused.status_code == 409
    assert stored(own_app) == before


def test_a_unit_outside_the_persons_scope_is_a_row_error_in_finnish(own_app, staff) -> None:
    rows = exported(staff, "availability")
    rows.append({**rows[0], "unit_id": "1002", "unit_name": "Another unit"})
    preview = upload(staff, "availability", as_csv(rows), lang="fi")
    assert preview.status_code == 400
    said = text(preview.get_data(as_text=True))
    assert f"{len(rows) + 1}" in said and "1002" in said
    assert "Rivi" in said  # the row error in Finnish
    english = text(upload(staff, "availability", as_csv(rows)).get_data(as_text=True))
    assert f"Row {len(rows) + 1}: unit 1002 is not one of your units." in english


def test_a_version_changed_before_saving_saves_nothing_and_names_the_row(own_app, staff) -> None:
    from portal.extensions import db
    from portal.models import Availability

    before = stored(own_app)
    rows = exported(staff, "availability")
    for row in rows:
        row["free_places"] = str(int(row["free_places"]) + 1)
    html = upload(staff, "availability", as_csv(rows)).get_data(as_text=True)
    assert text(html).count("→") == len(rows)
    with own_app.app_context():  # a reservation (or someone) changes the unit meanwhile
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == UNIT, Availability.age_group == "3_and_over")
            .values(free_places=Availability.free_places, version=Availability.version + 1)
        )
        db.session.commit()
    refused = save(staff, html)
    assert refused.status_code == 409
    assert "Nothing was saved: row 2" in text(refused.get_data(as_text=True))
    assert stored(own_app) == before
    assert not [row for row in audit_rows(own_app) if row[4] == "csv"]


def test_all_units_or_none_when_a_later_unit_fails(own_app, monkeypatch) -> None:
    """The manager's file changes several units; the last one turns stale: the earlier ones are not saved."""
    all_or_none(own_app, monkeypatch)


@pytest.mark.skipif(not os.environ.get("POLKU_TEST_POSTGRES_URL"), reason="needs PostgreSQL (scripts/with-postgres.sh)")
def test_all_units_or_none_on_postgresql(monkeypatch) -> None:
    """The same on PostgreSQL, whose savepoints and row locks are real (SQLite's driver needs the first write)."""
    from portal.extensions import db
    from portal.models import Availability
    from tests.conftest import build_app

    app = build_app(os.environ["POLKU_TEST_POSTGRES_URL"])
    before = all_or_none(app, monkeypatch)
    with app.app_context():  # the database is shared with the other PostgreSQL tests: the numbers put back
        for (unit, group), places in before.items():
            db.session.execute(
                update(Availability)
                .where(Availability.location_id == unit, Availability.age_group == group)
                .values(free_places=places)
            )
        db.session.commit()


def all_or_none(own_app: Flask, monkeypatch: pytest.MonkeyPatch) -> dict[tuple[int, str], int]:
    from portal.extensions import db
    from portal.models import Availability

    from .test_organiser_roles import MANAGER

    client = next(_signed_in(own_app, monkeypatch, MANAGER))
    rows = exported(client, "availability")
    units = sorted({int(r["unit_id"]) for r in rows})
    assert len(units) > 1
    wanted = [r for r in rows if r["age_group"] == "under_3"][:3]
    for row in wanted:
        row["free_places"] = str(int(row["free_places"]) + 1)

    def snapshot() -> dict[tuple[int, str], int]:
        with own_app.app_context():
            found = db.session.execute(
                select(Availability.location_id, Availability.age_group, Availability.free_places)
            ).all()
            return {(unit, group): places for unit, group, places in found}

    before = snapshot()
    html = upload(client, "availability", as_csv(rows)).get_data(as_text=True)
    assert text(html).count("→") == len(wanted)
    with own_app.app_context():
        db.session.execute(
            update(Availability)
            .where(Availability.location_id == int(wanted[-1]["unit_id"]))
            .values(version=Availability.version + 1)
        )
        db.session.commit()
    assert save(client, html).status_code == 409
    assert snapshot() == before
    rows = exported(client, "availability")  # exported again: the same changes are saved, all of them
    wanted = [r for r in rows if r["age_group"] == "under_3"][:3]
    for row in wanted:
        row["free_places"] = str(int(row["free_places"]) + 1)
    html = upload(client, "availability", as_csv(rows)).get_data(as_text=True)
    assert save(client, html).status_code == 302
    after = snapshot()
    assert {key for key in before if after[key] != before[key]} == {(int(r["unit_id"]), "under_3") for r in wanted}
    return before


def test_file_problems_are_400_with_the_summary_linking_to_the_file(own_app, staff, monkeypatch) -> None:
    from portal.organisers import csv_io

    nothing = upload(staff, None, None)
    html = nothing.get_data(as_text=True)
    assert nothing.status_code == 400 and 'href="#file"' in html and 'href="#kind"' in html
    assert "Choose a CSV file, or paste its rows." in html
    for body, said in (
        (b"unit_id,age_group,free_places,version\r\n1001,under_3,1,1\r\n", "no column queue_weeks"),
        (b"unit_id,age_group,free_places,queue_weeks,version,extra\r\n", "columns this import does not know: extra"),
        (b"unit_id,age_group,free_places,queue_weeks,version\r\n", "no rows below its header"),
        ("unit_id;age_group\r\nä".encode("latin-1"), "not a CSV file saved as UTF-8"),
    ):
        response = upload(staff, "availability", body)
        assert response.status_code == 400 and said in response.get_data(as_text=True), said
    monkeypatch.setattr(csv_io, "MAX_ROWS", 1)
    rows = exported(staff, "availability")
    assert len(rows) > 1
    too_many = upload(staff, "availability", as_csv(rows))
    assert too_many.status_code == 400 and "more than 1 rows" in too_many.get_data(as_text=True)
    huge = upload(staff, "availability", b"x" * (own_app.config["MAX_CONTENT_LENGTH"] + 10))
    assert huge.status_code == 413


def test_the_rows_can_be_pasted_instead_of_a_file(own_app, staff) -> None:
    rows = exported(staff, "availability")
    rows[0]["queue_weeks"] = str(int(rows[0]["queue_weeks"]) + 1)
    preview = upload(staff, "availability", None, rows=as_csv(rows).decode("utf-8"))
    assert preview.status_code == 200 and text(preview.get_data(as_text=True)).count("→") == 1


def test_formula_cells_are_harmless_in_the_export(own_app, staff) -> None:
    from portal.extensions import db
    from portal.models import ServiceLocation

    with own_app.app_context():
        db.session.get(ServiceLocation, UNIT).name = '=HYPERLINK("http://evil.example","x")'
        db.session.commit()
    rows = exported(staff, "availability")
    assert all(row["unit_name"].startswith("'=") for row in rows)
    preview = upload(staff, "availability", as_csv(rows))  # the name is not read back; nothing changes
    assert preview.status_code == 200 and "The file changes nothing." in preview.get_data(as_text=True)


def test_prices_export_and_a_new_price_imported(own_app, provider) -> None:
    from portal.extensions import db
    from portal.models import UnitPrice

    rows = exported(provider, "prices")
    assert str(PRICE_UNIT) in {r["unit_id"] for r in rows} and str(UNIT) not in {r["unit_id"] for r in rows}
    start = (date.today() + timedelta(days=60)).replace(day=1).isoformat()
    rows.append(
        {"unit_id": str(PRICE_UNIT), "unit_name": "", "valid_from": start, "monthly_price": "1234,50", "version": ""}
    )
    html = upload(provider, "prices", as_csv(rows)).get_data(as_text=True)
    assert text(html).count("→") == 1 and start in text(html)
    assert save(provider, html).status_code == 302
    with own_app.app_context():
        price = db.session.execute(
            select(UnitPrice).where(
                UnitPrice.location_id == PRICE_UNIT, UnitPrice.valid_from == date.fromisoformat(start)
            )
        ).scalar_one()
        assert str(price.monthly_price) in ("1234.50", "1234.5")
    past = [dict(r) for r in exported(provider, "prices")]
    past[0]["monthly_price"] = "1.00"
    refused = upload(provider, "prices", as_csv(past))
    if date.fromisoformat(past[0]["valid_from"]) < date.today():
        assert refused.status_code == 400 and "A price cannot apply from a date in the past." in text(
            refused.get_data(as_text=True)
        )


def test_citizens_and_nobody_get_no_import(own_app) -> None:
    client = own_app.test_client()
    for path in (IMPORT, "/en/organiser/export/availability.csv", "/en/organiser/import/preview"):
        assert client.get(path).status_code == 302  # to the staff sign-in


def test_the_front_page_links_the_import_and_exports_for_ecec_units_only(own_app, staff, monkeypatch) -> None:
    from .test_organiser_roles import COORDINATOR

    html = staff.get("/en/organiser/").get_data(as_text=True)
    for path in ("/en/organiser/import", "/en/organiser/export/availability.csv", "/en/organiser/export/prices.csv"):
        assert f'href="{path}"' in html
    coordinator = next(_signed_in(own_app, monkeypatch, COORDINATOR))  # business advice points only
    assert 'href="/en/organiser/import"' not in coordinator.get("/en/organiser/").get_data(as_text=True)
    assert exported(coordinator, "availability") == []
