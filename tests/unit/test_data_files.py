"""Every data file kind fails at load with ``<file>: <path>: <problem>`` (issue 14, item 2): the demo ECEC
catalogue, its service points, the postal centroids and the development provider's people, each from a
small hand-written file in tmp_path, broken one way at a time; and the real files load.

The parameter files have their own tests in test_parameters.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from configurator.schemas import DataFileError, load_yaml
from configurator.schemas.errors import format_path
from portal.demo.loader import (
    DEFAULT_CATALOGUE_PATH,
    DEFAULT_CENTROIDS_PATH,
    load_centroids,
    validate_catalogue,
)
from portal.demo.service_point_loader import (
    DEFAULT_SERVICE_POINTS_PATH,
    validate_service_points,
)
from portal.dev_idp.people import DEFAULT_PATH as PEOPLE_PATH
from portal.dev_idp.people import PeopleError, load_people

CATALOGUE = """\
municipalities:
  - {code: "853", name_fi: Turku, name_sv: Åbo, ecec_eservice_url: https://evaka.turku.fi}
organisations:
  - {key: turku, business_id: 0204819-8, name: Turun kaupunki, kind: municipality, municipality_code: "853"}
services:
  - {key: turku-ecec, organisation: turku, name_fi: Varhaiskasvatus, name_sv: Småbarnspedagogik, name_en: ECEC}
pricing:
  - municipality: "853"
    valid_from: "2024-08-01"
    part_time_steps: [{max_hours: "20", coefficient: "0.60"}]
    voucher_under_3: "1519.00"
    voucher_3_and_over: "949.00"
    max_surcharge: "100.00"
    source: demo figures
units:
  - id: 1001
    municipality: "853"
    service: turku-ecec
    name: Päiväkoti Testi
    care_type: day_care_centre
    provider_type: municipal
    languages: fi
    street_address: Testikatu 1
    postal_code: "20100"
    latitude: 60.45
    longitude: 22.26
    capacity: 20
    opening_hours: [{days: mo-fr, opens: "06:30", closes: "17:00"}]
    availability:
      updated_at: "2026-11-16T08:00:00"
      updated_by: unit_director
      under_3: {free_places: 1, queue_weeks: 0}
      3_and_over: {free_places: 2}
"""

SERVICE_POINTS = """\
municipalities: ["853"]
organisations:
  - {key: agency, name: Uusyrityskeskus, kind: association, phone: "+358 2 555 0210"}
services:
  - key: advice
    organisation: agency
    kind: business_advice
    name_fi: Yritysneuvonta
    name_sv: Företagsrådgivning
    name_en: Business advice
    service_class: P11.1
    target_group: KR2.8
    charge: free
    serves: ["853"]
points:
  - id: 2001
    service: advice
    name: Neuvontapiste
    municipality: "853"
    street_address: Testikatu 2
    postal_code: "20100"
    latitude: 60.45
    longitude: 22.26
    languages: fi
    opening_hours: [{days: mo-fr, opens: "09:00", closes: "16:00"}]
    appointments: {channels: [in_person, phone], times: ["09:00", "13:00"], duration_minutes: 45, capacity: 1}
"""

CENTROIDS = """\
centroids:
  "20100": {lat: 60.4510, lon: 22.2560}
  "20500": {lat: 60.4600, lon: 22.2900}
"""

PEOPLE = """\
people:
  - sub: 0bb8ac72-7c30-415a-af73-87d2d3e2e58a
    given_name: Testi
    family_name: Henkilö
    birthdate: "1991-04-17"
    locale: fi
    description: {fi: Testi, sv: Test, en: Test}
    address: {street_address: Testikatu 1, postal_code: "20100", locality: Turku, country: FI}
    workplace: null
    household:
      spouse: null
      children: [{id: child-3f2a9c1e, given_name: Eeli, birthdate: "2024-05-01", guardian: true}]
    company_roles:
      - {business_id: 3141593-8, name: Testi Oy, company_form: oy, role: ceo, mandate: true, status: active}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_catalogue(path: Path) -> dict:
    return validate_catalogue(load_yaml(path), path)


def load_service_points(path: Path) -> dict:
    return validate_service_points(load_yaml(path), path)


LOADERS = {
    "catalogue.yaml": (CATALOGUE, load_catalogue),
    "service_points.yaml": (SERVICE_POINTS, load_service_points),
    "centroids.yaml": (CENTROIDS, load_centroids),
    "people.yaml": (PEOPLE, load_people),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_the_small_files_load(tmp_path: Path, name: str) -> None:
    text, load = LOADERS[name]
    assert load(write(tmp_path, name, text))


@pytest.mark.parametrize(
    ("name", "old", "new", "path", "problem"),
    [
        # the ECEC catalogue: the model
        (
            "catalogue.yaml",
            "care_type: day_care_centre",
            "care_type: nursery",
            "units[0].care_type",
            "unknown care_type 'nursery' (expected one of ['day_care_centre', 'family_day_care', 'group_family_day_care'])",
        ),
        (
            "catalogue.yaml",
            "capacity: 20",
            "capacity: many",
            "units[0].capacity",
            "Input should be a valid integer, got 'many'",
        ),
        ("catalogue.yaml", "    capacity: 20\n", "", "units[0].capacity", "required, missing"),
        (
            "catalogue.yaml",
            "    languages: fi\n",
            "    languages: fi\n    langauges: sv\n",
            "units[0].langauges",
            "unknown key (a typo?)",
        ),
        (
            "catalogue.yaml",
            'postal_code: "20100"',
            "postal_code: 20100",
            "units[0].postal_code",
            "postal code 20100 must be 5 digits in quotes",
        ),
        (
            "catalogue.yaml",
            'valid_from: "2024-08-01"',
            'valid_from: "1.8.2024"',
            "pricing[0].valid_from",
            "'1.8.2024' is not an ISO date (YYYY-MM-DD)",
        ),
        (
            "catalogue.yaml",
            'voucher_under_3: "1519.00"',
            'voucher_under_3: "1519.001"',
            "pricing[0].voucher_under_3",
            "'1519.001' must be a non-negative amount in cents",
        ),
        (
            "catalogue.yaml",
            "business_id: 0204819-8",
            "business_id: 0204819-7",
            "organisations[0].business_id",
            "'0204819-7' is not a valid Finnish business ID (1234567-8 with its check digit)",
        ),
        (
            "catalogue.yaml",
            'closes: "17:00"',
            'closes: "25:00"',
            "units[0].opening_hours[0].closes",
            "'25:00' must be a time HH:MM in quotes (00:00 to 24:00)",
        ),
        (
            "catalogue.yaml",
            "updated_by: unit_director",
            "updated_by: somebody",
            "units[0].availability.updated_by",
            "unknown reporter role 'somebody'",
        ),
        (
            "catalogue.yaml",
            "ecec_eservice_url: https://evaka.turku.fi",
            "ecec_eservice_url: http://evaka.turku.fi",
            "municipalities[0].ecec_eservice_url",
            "the 'fi' address must start with https://, not 'http://evaka.turku.fi'",
        ),
        # the ECEC catalogue: the whole file
        ("catalogue.yaml", "service: turku-ecec", "service: nobody", "units[0].service", "unknown service 'nobody'"),
        (
            "catalogue.yaml",
            "organisation: turku,",
            "organisation: espoo,",
            "services[0].organisation",
            "unknown organisation 'espoo'",
        ),
        (
            "catalogue.yaml",
            '  - municipality: "853"',
            '  - municipality: "091"',
            "pricing[0].municipality",
            "the municipality is not listed under municipalities",
        ),
        (
            "catalogue.yaml",
            'coefficient: "0.60"',
            'coefficient: "0.70"',
            "pricing[0].part_time_steps[0].coefficient",
            "at most 20 h/week may cost at most 60 % of the full fee, got 0.70",
        ),
        (
            "catalogue.yaml",
            "{free_places: 2}",
            "{free_places: 21}",
            "units[0].availability.3_and_over.free_places",
            "free_places 21 exceeds capacity 20",
        ),
        (
            "catalogue.yaml",
            "provider_type: municipal",
            "provider_type: private_voucher",
            "units[0].monthly_price",
            "a private_voucher unit needs monthly_price",
        ),
        # service points
        ("service_points.yaml", "kind: business_advice", "kind: bakery", "services[0].kind", "unknown kind 'bakery'"),
        (
            "service_points.yaml",
            "charge: free",
            'charge: free\n    fee_eur: "10.00"\n    fee_unit: visit',
            "services[0]",
            "a free service has no fee_eur or fee_unit",
        ),
        (
            "service_points.yaml",
            'serves: ["853"]',
            'serves: ["091"]',
            "services[0].serves",
            "serves ['091'] must be distinct codes listed under municipalities",
        ),
        (
            "service_points.yaml",
            "channels: [in_person, phone]",
            "channels: [carrier_pigeon]",
            "points[0].appointments.channels",
            "appointment channels must be a non-empty list of",
        ),
        (
            "service_points.yaml",
            'times: ["09:00", "13:00"]',
            'times: ["13:00", "09:00"]',
            "points[0].appointments.times",
            "appointment times must be ascending",
        ),
        (
            "service_points.yaml",
            "id: 2001",
            "id: 1001",
            "points[0].id",
            "id must be an integer in 2001..2999, got 1001",
        ),
        ("service_points.yaml", "service: advice", "service: other", "points[0].service", "unknown service 'other'"),
        # postal centroids
        (
            "centroids.yaml",
            '"20500": {lat: 60.4600, lon: 22.2900}',
            '"20500": {lat: 22.29, lon: 60.46}',
            "centroids.20500",
            "(22.29, 60.46) is not in Finland",
        ),
        ("centroids.yaml", '"20500":', '"2050":', "centroids.2050", "postal code '2050' must be 5 digits in quotes"),
        ("centroids.yaml", "lon: 22.2900", "lon: 22.2900, alt: 3", "centroids.20500.alt", "unknown key (a typo?)"),
        # people of the development provider
        (
            "people.yaml",
            "company_form: oy",
            "company_form: gmbh",
            "people[0].company_roles[0].company_form",
            "Input should be 'toiminimi', 'oy', 'osk', 'ay' or 'ky', got 'gmbh'",
        ),
        (
            "people.yaml",
            "business_id: 3141593-8",
            "business_id: 3141593-7",
            "people[0].company_roles[0].business_id",
            "'3141593-7' is not a valid Finnish business ID (1234567-8 with its check digit)",
        ),
        ("people.yaml", "country: FI", "country: SE", "people[0].address.country", "Input should be 'FI', got 'SE'"),
        (
            "people.yaml",
            'birthdate: "1991-04-17"',
            'birthdate: "17.4.1991"',
            "people[0].birthdate",
            "'17.4.1991' is not a YYYY-MM-DD date",
        ),
        ("people.yaml", ", sv: Test,", ",", "people[0].description.sv", "required, missing"),
        (
            "people.yaml",
            "id: child-3f2a9c1e",
            "id: eeli",
            "people[0].household.children[0].id",
            "the id is 'child-' and a random-looking suffix, got 'eeli'",
        ),
        (
            "people.yaml",
            "guardian: true",
            "guardian: yes please",
            "people[0].household.children[0].guardian",
            "Input should be a valid boolean, got 'yes please'",
        ),
        ("people.yaml", "    workplace: null\n", "", "people[0].workplace", "required, missing"),
    ],
)
def test_a_broken_file_names_file_path_and_problem(
    tmp_path: Path, name: str, old: str, new: str, path: str, problem: str
) -> None:
    text, load = LOADERS[name]
    assert old in text
    broken = write(tmp_path, name, text.replace(old, new, 1))
    with pytest.raises(DataFileError) as error:
        load(broken)
    assert isinstance(error.value, ValueError)  # what callers of the loaders caught before
    assert str(error.value).startswith(f"{broken}: {path}: {problem}")
    assert error.value.problems[0].path == path


def test_every_problem_is_named_on_its_own_line(tmp_path: Path) -> None:
    text = CATALOGUE.replace("care_type: day_care_centre", "care_type: nursery").replace("capacity: 20", "capacity: 0")
    with pytest.raises(DataFileError) as error:
        load_catalogue(write(tmp_path, "catalogue.yaml", text))
    assert [(p.path, p.message.split(" (")[0]) for p in error.value.problems] == [
        ("units[0].care_type", "unknown care_type 'nursery'"),
        ("units[0].capacity", "Input should be greater than 0, got 0"),
    ]
    assert len(str(error.value).splitlines()) == 2


def test_duplicates_are_named_where_they_repeat(tmp_path: Path) -> None:
    unit = CATALOGUE[CATALOGUE.index("  - id: 1001") :]
    with pytest.raises(DataFileError, match=r"catalogue\.yaml: units\[1\]\.id: duplicate unit id 1001$"):
        load_catalogue(write(tmp_path, "catalogue.yaml", CATALOGUE + unit))


def test_a_repeated_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = CENTROIDS + '  "20100": {lat: 60.5, lon: 22.3}\n'
    with pytest.raises(DataFileError, match=r"centroids\.yaml: cannot read: line 4, column 3: duplicate key '20100'$"):
        load_centroids(write(tmp_path, "centroids.yaml", text))


def test_people_errors_are_people_errors(tmp_path: Path) -> None:
    with pytest.raises(PeopleError, match=r"people\.yaml: people: must not be empty"):
        load_people(write(tmp_path, "people.yaml", "people: []\n"))
    with pytest.raises(PeopleError, match=r"people\.yaml: people\[1\]\.sub: sub .* is used twice"):
        load_people(write(tmp_path, "people.yaml", PEOPLE + PEOPLE.removeprefix("people:\n")))


def test_a_wrong_top_level_says_so(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"service_points\.yaml: the top level must be a mapping"):
        load_service_points(write(tmp_path, "service_points.yaml", "- a list\n"))


@pytest.mark.parametrize(
    ("location", "path"),
    [
        (("units", 3, "availability", "under_3"), "units[3].availability.under_3"),
        (
            ("income_limit", "<group>", "family_2", "<leaf>", "values", "2024-08-01", "value"),
            "income_limit.family_2.values.2024-08-01.value",
        ),
        (("values", "x", "[key]"), "values.x"),
        ((), ""),
    ],
)
def test_paths_read_as_the_file(location: tuple, path: str) -> None:
    assert format_path(location) == path


def test_the_real_files_load() -> None:
    assert len(validate_catalogue(load_yaml(DEFAULT_CATALOGUE_PATH), DEFAULT_CATALOGUE_PATH)["units"]) >= 40
    assert len(validate_service_points(load_yaml(DEFAULT_SERVICE_POINTS_PATH))["points"]) >= 10
    assert len(load_centroids(DEFAULT_CENTROIDS_PATH)) >= 50
    assert len(load_people(PEOPLE_PATH)) == 4


def test_a_real_file_is_named_from_the_project_root() -> None:
    data = load_yaml(DEFAULT_CATALOGUE_PATH)
    data["units"][0]["care_type"] = "nursery"
    with pytest.raises(DataFileError, match=r"^portal/demo/turku_region\.yaml: units\[0\]\.care_type: unknown"):
        validate_catalogue(data, DEFAULT_CATALOGUE_PATH)


def test_the_domain_records_share_the_field_types() -> None:
    """The API can validate and describe a unit record with the rules of the data files."""
    from pydantic import TypeAdapter, ValidationError

    from configurator.catalogue import EcecUnitRecord
    from configurator.schemas.errors import problems_of

    adapter = TypeAdapter(EcecUnitRecord)
    unit = {
        "id": 1001,
        "name": "Päiväkoti",
        "name_sv": None,
        "street_address": "Testikatu 1",
        "postal_code": "20100",
        "municipality_code": "853",
        "latitude": 60.45,
        "longitude": 22.26,
        "languages": ["fi"],
        "care_type": "day_care_centre",
        "provider_type": "municipal",
        "shift_care": False,
        "serves_under_3": True,
        "serves_3_and_over": True,
        "opening_hours": [{"days": "mo-fr", "opens": "06:30", "closes": "17:00"}],
        "monthly_price": "1290.00",
    }
    record = adapter.validate_python(unit)
    assert record.care_type == "day_care_centre" and str(record.monthly_price) == "1290.00"
    with pytest.raises(ValidationError) as error:
        adapter.validate_python(
            {**unit, "care_type": "nursery", "opening_hours": [{"days": "mo-fr", "opens": "6", "closes": "17:00"}]}
        )
    assert [(p.path, p.message.split(" (")[0]) for p in problems_of(error.value)] == [
        ("care_type", "unknown care_type 'nursery'"),
        ("opening_hours[0].opens", "'6' must be a time HH:MM in quotes"),
    ]
    schema = adapter.json_schema()
    assert schema["properties"]["care_type"]["enum"] == ["day_care_centre", "family_day_care", "group_family_day_care"]
