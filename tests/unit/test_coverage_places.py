"""Coverage said plainly (issue 12, item 6), in the domain: every postal code names its municipality, a place
without coordinates is still a place, and the comparisons that measure distances say why they cannot.

The resolver is in memory: 20100 (Turku) and 21420 (Lieto) have centroids, 21340 (Tortinmäki, Turku) is in
the covered area without one, 00100 (Helsinki) and 99999 (Korvatunturi, Rovaniemi) are outside it without one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from configurator.answers import AnswerError, ParseContext, parse_value
from configurator.catalogue import Availability, EcecUnitRecord, MunicipalPricing, OpeningHours
from configurator.comparisons import Sources
from configurator.comparisons.ecec import WORK_WITHOUT_POINT, build_ecec_comparison
from configurator.comparisons.services import build_services
from configurator.geo import NO_POINT, OUTSIDE, Coverage, Name, Place, StaticPlaces, coverage_gap, distance_km
from configurator.service_points import ServicePointRecord

TODAY = date(2026, 11, 22)
TURKU, LIETO, HELSINKI, ROVANIEMI = "853", "423", "091", "698"
NAMES = {
    TURKU: Name("Turku", "Åbo"),
    LIETO: Name("Lieto", "Lundo"),
    "202": Name("Kaarina", "S:t Karins"),
    "680": Name("Raisio", "Reso"),
    "529": Name("Naantali", "Nådendal"),
}
COVERAGE = Coverage(ecec=frozenset(NAMES), services=frozenset(NAMES), names=NAMES)
PLACES = StaticPlaces(
    {
        "20100": Place(60.4518, 22.2666, TURKU, "20100", area=Name("Turku", "Åbo"), municipality=NAMES[TURKU]),
        "21420": Place(60.5000, 22.4500, LIETO, "21420", area=Name("Lieto", "Lundo"), municipality=NAMES[LIETO]),
        "21340": Place(None, None, TURKU, "21340", area=Name("Tortinmäki"), municipality=NAMES[TURKU]),
        "00100": Place(
            None,
            None,
            HELSINKI,
            "00100",
            area=Name("Helsinki", "Helsingfors"),
            municipality=Name("Helsinki", "Helsingfors"),
        ),
        "99999": Place(None, None, ROVANIEMI, "99999", area=Name("Korvatunturi"), municipality=Name("Rovaniemi")),
    }
)
CTX = ParseContext(TODAY, PLACES, {})


def home(**raw: str):
    return parse_value("home", "location", {f"home-{k}": v for k, v in raw.items()}, CTX)


# --- places ----------------------------------------------------------------------------------------------


def test_every_known_postal_code_is_a_place_with_its_municipality_even_without_coordinates() -> None:
    helsinki = home(postal_code="00100").place
    assert (helsinki.municipality_code, helsinki.postal_code, helsinki.point) == (HELSINKI, "00100", None)
    assert helsinki.latitude is None and helsinki.longitude is None  # unknown, never 0,0 or a guess
    assert helsinki.municipality_name("sv") == "Helsingfors" and helsinki.area_label("fi") == "00100 Helsinki"


def test_a_postal_code_with_a_centroid_has_its_point() -> None:
    turku = home(postal_code="20100").place
    assert turku.point == (60.4518, 22.2666) and not turku.precise
    assert turku.area_label("sv") == "20100 Åbo" and turku.area_label("en") == "20100 Turku"


def test_a_map_point_in_the_region_takes_the_nearest_area_and_is_named_after_it() -> None:
    value = home(lat="60.452", lon="22.27")
    assert value.place.precise and value.place.point == (60.452, 22.27)
    assert (value.place.municipality_code, value.place.area_label("fi")) == (TURKU, "20100 Turku")


def test_a_map_point_near_helsinki_with_the_typed_postal_code_is_accepted_with_helsinki() -> None:
    # 60.17 N 24.94 E is ~150 km from the nearest known centroid: the typed postal code names the municipality.
    value = home(lat="60.17", lon="24.94", postal_code="00100")
    assert value.place.precise and value.place.point == (60.17, 24.94)
    assert value.place.municipality_code == HELSINKI and value.place.area_label("fi") == "00100 Helsinki"


def test_a_map_point_near_helsinki_without_a_postal_code_asks_only_for_the_postal_code() -> None:
    with pytest.raises(AnswerError) as caught:
        home(lat="60.17", lon="24.94")
    assert caught.value.field == "home-postal_code" and caught.value.kind == "needs_postal_code"
    assert "postal code as well" in caught.value.message and "missing" not in caught.value.message


def test_a_point_is_named_after_the_nearest_area_only_within_ten_kilometres() -> None:
    assert PLACES.nearest(60.4518, 22.2666).postal_code == "20100"
    assert PLACES.nearest(60.4518 + 0.2, 22.2666) is None  # ~22 km north: not guessed


# --- coverage --------------------------------------------------------------------------------------------


def test_coverage_names_the_municipalities_in_the_page_language_alphabetically() -> None:
    assert COVERAGE.display_names("fi") == ["Kaarina", "Lieto", "Naantali", "Raisio", "Turku"]
    assert COVERAGE.display_names("sv") == ["Lundo", "Nådendal", "Reso", "S:t Karins", "Åbo"]
    assert COVERAGE.covers(TURKU) and not COVERAGE.covers(HELSINKI)


@pytest.mark.parametrize("code, reason", [("20100", None), ("21340", NO_POINT), ("00100", OUTSIDE), ("99999", OUTSIDE)])
def test_coverage_gap_says_why_distances_cannot_be_measured(code: str, reason: str | None) -> None:
    gap = coverage_gap(PLACES.by_postal_code(code), COVERAGE)
    assert (gap.reason if gap else None) == reason
    if gap is not None:
        assert gap.covered_names("en") == ["Kaarina", "Lieto", "Naantali", "Raisio", "Turku"]


def test_a_point_outside_the_area_is_outside_even_with_coordinates() -> None:
    place = home(lat="60.17", lon="24.94", postal_code="00100").place
    assert coverage_gap(place, COVERAGE).reason == OUTSIDE


def test_without_a_coverage_only_the_missing_point_counts() -> None:
    assert coverage_gap(PLACES.by_postal_code("00100"), None).reason == NO_POINT
    assert coverage_gap(PLACES.by_postal_code("20100"), None) is None


# --- the ECEC comparison ---------------------------------------------------------------------------------


def unit(unit_id: int, lat: float, lon: float, municipality: str = TURKU) -> EcecUnitRecord:
    return EcecUnitRecord(
        id=unit_id,
        name=f"Päiväkoti {unit_id}",
        name_sv=None,
        street_address="Katu 1",
        postal_code="20100",
        municipality_code=municipality,
        latitude=lat,
        longitude=lon,
        languages=("fi",),
        care_type="day_care_centre",
        provider_type="municipal",
        shift_care=False,
        serves_under_3=True,
        serves_3_and_over=True,
        opening_hours=(OpeningHours("mo-fr", "06:30", "17:00"),),
        availability={"under_3": Availability(2, 0, datetime(2026, 11, 20, 8), "unit_director")},
        monthly_price=None,
        accessibility={},
        phone=None,
        email=None,
        web_url=None,
        eservice_url=None,
        is_demo=True,
    )


class Catalogue:
    """Two units in Turku; municipal pricing for Turku only (Helsinki's part-time steps are not known)."""

    def __init__(self) -> None:
        self.asked: list[tuple[float, float]] = []

    def units_within(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]:
        self.asked.append((latitude, longitude))
        units = [unit(1, 60.4520, 22.2670), unit(2, 60.4600, 22.2900)]
        return [u for u in units if distance_km(latitude, longitude, u.latitude, u.longitude) <= radius_km]

    def municipal_pricing(self, municipality_code: str, on: date) -> MunicipalPricing | None:
        if municipality_code != TURKU:
            return None
        return MunicipalPricing(
            TURKU, date(2024, 8, 1), ((Decimal(25), Decimal("0.7")),), Decimal(1500), Decimal(950), Decimal(100), "demo"
        )


def ecec_answers(**changes) -> dict:
    # Full-time care (35 h), so the fee needs no municipal part-time steps: it is the same anywhere in Finland.
    answers = {
        "child_birth_date": date(2025, 3, 15),
        "start_date": date(2027, 8, 12),
        "hours_per_week": 35,
        "care_language": "fi",
        "shift_care": False,
        "family_size": 3,
        "income": Decimal(6000),
        "home": home(postal_code="20100"),
    }
    return {**answers, **changes}


def test_ecec_comparison_in_the_area_lists_units_by_distance_without_a_gap() -> None:
    cmp = build_ecec_comparison({"reach_km": 10}, ecec_answers(), TODAY, Catalogue(), coverage=COVERAGE)
    assert cmp.gap is None and cmp.in_reach == 2 and [r.unit.id for r in cmp.rows] == [1, 2]


def test_ecec_comparison_for_helsinki_lists_no_units_but_computes_the_fee() -> None:
    catalogue = Catalogue()
    cmp = build_ecec_comparison(
        {"reach_km": 10}, ecec_answers(home=home(postal_code="00100")), TODAY, catalogue, coverage=COVERAGE
    )
    assert cmp.gap.reason == OUTSIDE and cmp.gap.place.municipality_name("fi") == "Helsinki"
    assert cmp.gap.covered_names("fi") == ["Kaarina", "Lieto", "Naantali", "Raisio", "Turku"]
    assert cmp.rows == () and cmp.in_reach == 0 and catalogue.asked == []  # not even asked
    assert cmp.municipal_fee is not None and cmp.municipal_fee.monthly_fee is not None
    assert cmp.home_care is not None  # the child is under 3 on the start date: the allowance is an alternative


def test_ecec_comparison_for_a_point_near_helsinki_is_outside_too() -> None:
    near_helsinki = home(lat="60.17", lon="24.94", postal_code="00100")
    cmp = build_ecec_comparison(
        {"reach_km": 10}, ecec_answers(home=near_helsinki), TODAY, Catalogue(), coverage=COVERAGE
    )
    assert cmp.gap.reason == OUTSIDE and cmp.rows == ()


def test_ecec_comparison_for_a_covered_postal_code_without_a_centroid_asks_for_a_point() -> None:
    cmp = build_ecec_comparison(
        {"reach_km": 10}, ecec_answers(home=home(postal_code="21340")), TODAY, Catalogue(), coverage=COVERAGE
    )
    assert cmp.gap.reason == NO_POINT and cmp.gap.place.area_label("fi") == "21340 Tortinmäki"
    assert cmp.rows == () and cmp.municipal_fee is not None  # Turku's fee rules still apply


def test_a_workplace_without_a_point_adds_no_units_and_says_so() -> None:
    work = parse_value("work", "location", {"work-postal_code": "21340"}, CTX)
    cmp = build_ecec_comparison({"reach_km": 10}, ecec_answers(work=work), TODAY, Catalogue(), coverage=COVERAGE)
    assert cmp.gap is None and cmp.in_reach == 2
    assert all(r.distance_work_km is None for r in cmp.rows) and WORK_WITHOUT_POINT in cmp.problems


# --- nearby services -------------------------------------------------------------------------------------


def point(point_id: int, kind: str, lat: float, lon: float) -> ServicePointRecord:
    return ServicePointRecord(
        id=point_id,
        kind=kind,
        service_name={"fi": "Palvelu", "sv": "Tjänst", "en": "Service"},
        organisation="Org",
        name=f"Piste {point_id}",
        name_sv=None,
        street_address="Katu 1",
        postal_code="20100",
        municipality_code=TURKU,
        latitude=lat,
        longitude=lon,
        languages=("fi",),
        serves_municipalities=frozenset({TURKU}),
        opening_hours=(),
        phone_hours=(),
        charge="free",
        fee=None,
        fee_unit=None,
        next_free_appointment=None,
        appointment_channels=(),
        accessibility={},
        phone=None,
        email=None,
        web_url=None,
        eservice_url=None,
        is_demo=True,
    )


class Services:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def service_points(self, kinds: tuple[str, ...], municipality_code: str, now: datetime) -> list[ServicePointRecord]:
        self.asked.append(municipality_code)
        found = [point(2, "debt_advice", 60.46, 22.29), point(1, "debt_advice", 60.4520, 22.2670)]
        return [p for p in found if p.kind in kinds and municipality_code == TURKU]


OPTIONS = {"near": "home", "services": [{"kind": "debt_advice"}]}


def test_services_in_the_area_nearest_first() -> None:
    cmp = build_services(
        OPTIONS, {"home": home(postal_code="20100")}, TODAY, Sources(services=Services(), coverage=COVERAGE)
    )
    assert cmp.gap is None and [r.point.id for r in cmp.rows] == [1, 2] and cmp.rows[0].distance_km is not None


def test_services_for_helsinki_list_nothing_and_say_why() -> None:
    services = Services()
    cmp = build_services(
        OPTIONS, {"home": home(postal_code="00100")}, TODAY, Sources(services=services, coverage=COVERAGE)
    )
    assert cmp.gap.reason == OUTSIDE and cmp.rows == () and cmp.missing_kinds == () and services.asked == []


def test_services_for_a_covered_postal_code_without_a_centroid_are_listed_without_distances() -> None:
    cmp = build_services(
        OPTIONS, {"home": home(postal_code="21340")}, TODAY, Sources(services=Services(), coverage=COVERAGE)
    )
    assert cmp.gap.reason == NO_POINT
    assert [r.point.id for r in cmp.rows] == [1, 2] and all(r.distance_km is None for r in cmp.rows)
