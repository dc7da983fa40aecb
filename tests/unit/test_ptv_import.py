"""`flask import-ptv` (portal/ptv_import.py): PTV Open API V11 JSON into the catalogue, by PTV id, all or nothing.

The fixtures under tests/fixtures/ptv/ have the keys of the V11 shapes with made-up data: one service (as a PTV
result page), two service location channels, an e-service channel and a phone channel of the same service.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.catalogue_cache import current_revision
from portal.extensions import db
from portal.models import AuditEntry, Availability, Organisation, Service, ServiceLocation, UnitPrice
from portal.ptv_import import PtvImportError, run, tm35fin_to_wgs84
from tests.conftest import build_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ptv"
SERVICE_FILE = str(FIXTURES / "service.json")
LOCATIONS_FILE = str(FIXTURES / "service_locations.json")
CHANNELS_FILE = str(FIXTURES / "channels.json")
ALL = [SERVICE_FILE, LOCATIONS_FILE, CHANNELS_FILE]
BUSINESS_ID = "7000001-5"
SERVICE_ID = "7d2c9e0a-4b1f-4c3e-9a55-1f0e6b2d8c01"
MAIN = "2b8f6a31-5d0e-4e7a-8c1b-3f9d2a6e0001"
BRANCH = "2b8f6a31-5d0e-4e7a-8c1b-3f9d2a6e0002"


@pytest.fixture()
def app(tmp_path: Path) -> Flask:
    app = build_app(f"sqlite:///{tmp_path / 'ptv.db'}")
    with app.app_context():
        db.session.add(Organisation(business_id=BUSINESS_ID, name="Kuusikallion kunta", kind="municipality"))
        db.session.commit()
    return app


def _import(app: Flask, sources=ALL, **options):
    with app.app_context():
        return run(db.session, sources, organisation_business_id=BUSINESS_ID, **options)


def _location(ptv_id: str) -> ServiceLocation:
    return db.session.scalar(select(ServiceLocation).where(ServiceLocation.ptv_id == ptv_id))


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Service)),
        db.session.scalar(select(func.count()).select_from(ServiceLocation)),
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
    )


def _changed_copy(tmp_path: Path, change) -> str:
    records = json.loads(Path(LOCATIONS_FILE).read_text(encoding="utf-8"))
    change(records)
    path = tmp_path / "service_locations.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_tm35fin_coordinates_become_degrees() -> None:
    # Helsinki railway station, as the tm35fin package documents it: (385784, 6672298) -> 60.171560, 24.941409.
    lat, lon = tm35fin_to_wgs84(6672298, 385784)
    assert lat == pytest.approx(60.171560, abs=1e-6)
    assert lon == pytest.approx(24.941409, abs=1e-6)


def test_first_run_creates_the_service_and_its_locations(app: Flask) -> None:
    with app.app_context():
        revision = current_revision(db.session)
    result = _import(app)
    assert result.saved
    with app.app_context():
        service = db.session.scalar(select(Service).where(Service.ptv_id == SERVICE_ID))
        assert (service.name_fi, service.name_sv, service.name_en) == (
            "Yritysneuvonta Kuusikalliossa",
            "Företagsrådgivning i Granberget",
            "Business advice in Kuusikallio",
        )
        assert (service.service_class, service.target_group, service.life_event) == ("P10.1", "KR2", None)
        assert service.organisation.business_id == BUSINESS_ID
        assert service.charge is None and service.fee_eur is None  # prices stay the organisers'

        main = _location(MAIN)
        assert main.service_id == service.id
        assert (main.name, main.name_sv, main.name_en) == (
            "Kuusikallion yrityspiste",
            "Granbergets företagspunkt",
            "Kuusikallio business point",
        )
        assert (main.street_address, main.postal_code, main.municipality_code) == ("Asemakatu 3 B", "00100", "091")
        assert main.latitude == pytest.approx(60.171560, abs=1e-6)
        assert main.longitude == pytest.approx(24.941409, abs=1e-6)
        assert main.languages == "fi,sv"
        assert main.opening_hours == [{"days": "mo-fr", "opens": "08:00", "closes": "16:00"}]
        assert main.phone == "+358 401234567"  # its own number wins over the phone channel's; the fax is not a phone
        assert main.email == "yrityspiste@kuusikallio.example.fi"
        assert main.web_url == "https://kuusikallio.example.fi/yrityspiste"
        assert main.eservice_url == "https://asiointi.kuusikallio.example.fi/yritysneuvonta"
        assert main.eservice_accessibility == "PartiallyCompliant"
        assert main.is_demo is False
        assert main.step_free_entrance is None  # PTV gives no yes/no premises facts

        branch = _location(BRANCH)
        assert (branch.name, branch.name_sv, branch.name_en) == ("Kuusikallion sivupiste", None, None)
        assert branch.phone == "+358 295551234"  # from the phone channel of the same service
        assert branch.web_url is None
        assert branch.opening_hours == [
            {"days": "tu", "opens": "10:00", "closes": "14:30"},
            {"days": "th", "opens": "12:00", "closes": "24:00"},
        ]

        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.location_id == main.id)).all()
        assert {r.channel for r in rows} == {"ptv-import"}
        assert {r.action for r in rows} == {"created"}
        assert {r.actor_subject for r in rows} == {"ptv-import"}
        phone = next(r for r in rows if r.field == "phone")
        assert (phone.object_type, phone.object_id, phone.old_value, phone.new_value) == (
            "service_location",
            main.id,
            None,
            "+358 401234567",
        )
        assert len({r.request_id for r in rows}) == 1
        assert db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "service")
        ) == len(["name_fi", "name_sv", "name_en", "service_class", "target_group"])
        assert current_revision(db.session) > revision


def test_second_run_changes_nothing(app: Flask) -> None:
    _import(app)
    with app.app_context():
        before = _counts()
        revision = current_revision(db.session)
    result = _import(app)
    assert not result.saved and result.plan.items == []
    assert result.plan.describe()[-1] == "0 to create, 0 to update, 3 unchanged."
    with app.app_context():
        assert _counts() == before
        assert current_revision(db.session) == revision


def test_locations_alone_keep_what_the_channels_gave(app: Flask) -> None:
    _import(app)
    result = _import(app, [LOCATIONS_FILE])
    assert not result.saved and result.plan.items == []
    with app.app_context():
        branch = _location(BRANCH)
        assert branch.phone == "+358 295551234"
        assert branch.eservice_url == "https://asiointi.kuusikallio.example.fi/yritysneuvonta"


def test_a_changed_phone_updates_only_the_phone(app: Flask, tmp_path: Path) -> None:
    _import(app)

    def new_number(records):
        records[0]["phoneNumbers"][0]["number"] = "409876543"

    changed = _changed_copy(tmp_path, new_number)
    with app.app_context():
        audit_before = _counts()[2]
        revision = current_revision(db.session)
    result = _import(app, [SERVICE_FILE, changed, CHANNELS_FILE])
    assert result.saved and result.changed_fields == 1
    assert [(i.ptv_id, i.changes) for i in result.plan.items] == [
        (MAIN, [("phone", "+358 401234567", "+358 409876543")])
    ]
    with app.app_context():
        assert _location(MAIN).phone == "+358 409876543"
        assert _location(BRANCH).phone == "+358 295551234"
        rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()[audit_before:]
        assert [(r.action, r.field, r.old_value, r.new_value, r.channel) for r in rows] == [
            ("updated", "phone", "+358 401234567", "+358 409876543", "ptv-import")
        ]
        assert current_revision(db.session) > revision


def test_dry_run_prints_the_difference_and_saves_nothing(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        before = _counts()
        revision = current_revision(db.session)
    runner = app.test_cli_runner()
    out = runner.invoke(args=["import-ptv", "--dry-run", "--organisation", BUSINESS_ID, *ALL])
    assert out.exit_code == 0, out.output
    assert f"create service {SERVICE_ID} 'Yritysneuvonta Kuusikalliossa'" in out.output
    assert f"create service_location {MAIN} 'Kuusikallion yrityspiste'" in out.output
    assert "    phone: '+358 401234567'" in out.output
    assert '    opening_hours: [{"closes": "16:00", "days": "mo-fr", "opens": "08:00"}]' in out.output
    assert "3 to create, 0 to update, 0 unchanged." in out.output
    assert "Dry run: nothing was saved." in out.output
    with app.app_context():
        assert _counts() == before
        assert current_revision(db.session) == revision

    # After a real run, a dry run with a changed phone names the field with its old and new value.
    assert runner.invoke(args=["import-ptv", "--organisation", BUSINESS_ID, *ALL]).exit_code == 0

    def new_number(records):
        records[0]["phoneNumbers"][0]["number"] = "409876543"

    changed = _changed_copy(tmp_path, new_number)
    out = runner.invoke(args=["import-ptv", "--dry-run", SERVICE_FILE, changed, CHANNELS_FILE])
    assert out.exit_code == 0, out.output
    with app.app_context():
        main_id = _location(MAIN).id
        assert _location(MAIN).phone == "+358 401234567"
    assert f"update (#{main_id}) service_location {MAIN} 'Kuusikallion yrityspiste'" in out.output
    assert "    phone: '+358 401234567' -> '+358 409876543'" in out.output
    assert "0 to create, 1 to update, 2 unchanged." in out.output


def test_unknown_phone_type_names_file_record_and_field_and_saves_nothing(app: Flask) -> None:
    bad = str(FIXTURES / "unknown_phone_type.json")
    with app.app_context():
        before = _counts()
    with pytest.raises(PtvImportError) as error:
        _import(app, [*ALL, bad])
    assert [str(p) for p in error.value.problems] == [
        f"{bad}: record 2b8f6a31-5d0e-4e7a-8c1b-3f9d2a6e0099: field phoneNumbers[0].type: "
        "unknown phone number type 'Pager' (expected one of Phone, Sms, Fax)"
    ]
    with app.app_context():
        assert _counts() == before  # the good files of the same run are not saved either

    out = app.test_cli_runner().invoke(args=["import-ptv", "--organisation", BUSINESS_ID, *ALL, bad])
    assert out.exit_code == 1
    assert "field phoneNumbers[0].type" in out.output and "Nothing was saved." in out.output


def test_broken_records_are_named(app: Flask, tmp_path: Path) -> None:
    def break_them(records):
        del records[0]["id"]
        records[1]["serviceChannelType"] = "Carrier pigeon"

    broken = _changed_copy(tmp_path, break_them)
    not_json = tmp_path / "not.json"
    not_json.write_text("{", encoding="utf-8")
    with pytest.raises(PtvImportError) as error:
        _import(app, [SERVICE_FILE, broken, str(not_json)])
    messages = [str(p) for p in error.value.problems]
    assert messages[0].startswith(f"{not_json}: cannot be read:")
    assert messages[1:] == [
        f"{broken}: field id: a record has no PTV id (None)",
        f"{broken}: record {BRANCH}: field serviceChannelType: unknown channel type 'Carrier pigeon' "
        "(expected one of EChannel, WebPage, PrintableForm, Phone, ServiceLocation)",
    ]


def test_a_new_service_needs_an_organisation(app: Flask) -> None:
    with app.app_context(), pytest.raises(PtvImportError) as error:
        run(db.session, ALL)
    assert str(error.value).startswith(
        f"{SERVICE_FILE}: record {SERVICE_ID}: a new service needs --organisation (the business id)"
    )


def test_free_places_prices_and_organisers_settings_are_never_touched(app: Flask, tmp_path: Path) -> None:
    _import(app)
    with app.app_context():
        main = _location(MAIN)
        main.step_free_entrance = True
        main.appointments_per_person_per_day = 2
        db.session.add(
            Availability(
                location_id=main.id,
                age_group="under_3",
                free_places=4,
                queue_weeks=2,
                updated_at=datetime(2026, 11, 20, 9, 0),
                updated_by="unit_director",
            )
        )
        db.session.add(UnitPrice(location_id=main.id, monthly_price=Decimal("390.00"), valid_from=date(2026, 8, 1)))
        db.session.commit()

    def renamed(records):
        records[0]["serviceChannelNames"][0]["value"] = "Kuusikallion yrityspalvelupiste"

    _import(app, [SERVICE_FILE, _changed_copy(tmp_path, renamed), CHANNELS_FILE])
    with app.app_context():
        main = _location(MAIN)
        assert main.name == "Kuusikallion yrityspalvelupiste"
        assert (main.step_free_entrance, main.appointments_per_person_per_day) == (True, 2)
        assert [(a.age_group, a.free_places, a.queue_weeks, a.version) for a in main.availability] == [
            ("under_3", 4, 2, 1)
        ]
        assert [(p.monthly_price, p.valid_from, p.version) for p in main.prices] == [
            (Decimal("390.00"), date(2026, 8, 1), 1)
        ]


class _Response:
    def __init__(self, data):
        self._data = data

    def raise_for_status(self) -> None:
        return None

    def json(self):
        return self._data


class _Session:
    """A stand-in for requests.Session: answers the PTV addresses from the fixture files, no network."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def get(self, url: str, timeout: float, headers: dict[str, str]) -> _Response:
        self.asked.append(url)
        name = url.rsplit("/", 1)[-1]
        return _Response(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def test_sources_may_be_urls(app: Flask) -> None:
    http = _Session()
    urls = [f"https://api.palvelutietovaranto.example/api/v11/{Path(p).name}" for p in ALL]
    result = _import(app, urls, http=http)
    assert result.saved and http.asked == urls
    with app.app_context():
        assert _location(BRANCH).name == "Kuusikallion sivupiste"
