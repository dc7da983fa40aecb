"""Access scoping (portal/organisers/access.py) on the demo catalogue, and the staff claims mapping
(portal/signin/claims.py) and the development provider's staff file (portal/dev_idp/staff.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from portal.dev_idp.people import PeopleError
from portal.dev_idp.staff import load_staff
from portal.extensions import db
from portal.organisers.access import actor_for, location_ids_for, municipality_codes_for
from portal.signin.claims import staff_from_claims

TURKU_MUNICIPAL = {1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1015, 1016, 1017, 1018, 1020, 1021}


def staff(**claims: object) -> dict[str, object]:
    made = staff_from_claims({"sub": "s-1", "name": "Test", **claims}, "https://staff.example")
    assert made is not None
    return made


def test_roles_and_scopes(app: Flask) -> None:
    with app.app_context():
        s = db.session
        manager = staff(polku_roles=["ecec_service_manager"], polku_organisations=["0204819-8"])
        assert location_ids_for(s, manager) == TURKU_MUNICIPAL
        assert municipality_codes_for(s, manager) == {"853"}
        director = staff(polku_roles=["unit_director"], polku_units=[1001])
        assert location_ids_for(s, director) == {1001} and municipality_codes_for(s, director) == set()
        private = staff(polku_roles=["private_provider"], polku_organisations=["3052218-4"])
        assert location_ids_for(s, private) == {1010, 1305} and municipality_codes_for(s, private) == set()
        coordinator = staff(polku_roles=["business_advice_coordinator"], polku_units=[2001, 2002])
        assert location_ids_for(s, coordinator) == {2001, 2002}
        unknown_unit = staff(polku_roles=["unit_director"], polku_units=[999999])
        assert location_ids_for(s, unknown_unit) == set()
        admin = staff(polku_roles=["catalogue_admin"])
        assert {1001, 1010, 2001, 2011} <= location_ids_for(s, admin)
        assert {"853", "202", "680", "529", "423"} <= municipality_codes_for(s, admin)
        actor = actor_for(s, director)
        assert actor.may_act_for(1001) and not actor.may_act_for(1002)
        assert actor.subject == "https://staff.example#s-1"


def test_a_private_provider_role_does_not_give_municipal_pricing(app: Flask) -> None:
    with app.app_context():
        # the City of Turku's business id, but as a private provider: the units, not the municipality's pricing
        odd = staff(polku_roles=["private_provider"], polku_organisations=["0204819-8"])
        assert municipality_codes_for(db.session, odd) == set()


def test_claims_without_an_organiser_role_sign_in_nobody() -> None:
    assert staff_from_claims({"sub": "x", "polku_roles": ["janitor"]}, "i") is None
    assert staff_from_claims({"sub": "x"}, "i") is None
    made = staff_from_claims(
        {"sub": "x", "polku_roles": "unit_director", "polku_units": ["1001", "x", 7], "polku_organisations": "1-2"},
        "i",
    )
    assert made == {
        "issuer": "i",
        "sub": "x",
        "name": "x",
        "roles": ["unit_director"],
        "organisations": ["1-2"],
        "units": [7, 1001],
    }


def test_the_staff_file_has_the_five_roles() -> None:
    people = load_staff()
    assert {role for person in people.values() for role in person.roles} == {
        "ecec_service_manager",
        "unit_director",
        "private_provider",
        "business_advice_coordinator",
        "catalogue_admin",
    }
    nothing_yet = [person for person in people.values() if not person.units and not person.organisations]
    assert [person.name for person in nothing_yet] == ["Aino Kallio", "Ville Uusitalo"]  # the admin needs none


def test_a_broken_staff_file_names_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "staff.yaml"
    path.write_text(
        "staff:\n  - sub: 5a1f3c2e-8d4b-4e6a-9b7c-1d2e3f4a5b6c\n    given_name: A\n    family_name: B\n"
        "    locale: fi\n    roles: [janitor]\n    organisations: []\n    units: []\n"
        "    description: {fi: a, sv: b, en: c}\n"
    )
    with pytest.raises(PeopleError) as caught:
        load_staff(path)
    assert "staff[0].roles[0]" in str(caught.value)


@pytest.mark.parametrize(
    ("roles", "said"),
    [
        (["unit_director"], "unit_director"),
        (["ecec_service_manager"], "ecec_office"),
        (["private_provider"], "private_provider"),
        (["catalogue_admin"], "catalogue_admin"),
        (["catalogue_admin", "unit_director"], "unit_director"),  # the nearest to the unit
        (["business_advice_coordinator"], "unit_director"),  # changes no free places; the default
    ],
)
def test_a_citizen_is_told_which_role_updated_the_numbers(app: Flask, roles: list[str], said: str) -> None:
    from configurator.catalogue import REPORTER_ROLES

    with app.app_context():
        actor = actor_for(db.session, staff(polku_roles=roles, polku_organisations=["0204819-8"]))
    assert actor.reporter_role == said and said in REPORTER_ROLES
