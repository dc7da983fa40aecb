"""Prefill that never lies: an answer is labelled with its prefill source exactly while it is the source's value
unchanged (configurator.profile.prefilled_from), for each source of configurator/profile.py; answers typed
before signing in never mix with the person's details (configurator.journey.merge_typed).

The profile is Aino's (portal/dev_idp/people.yaml): home Kerttulankatu 12 C 7, 21200 Raisio; workplace
Joukahaisenkatu 3, 20520 Turku; spouse Juha; children Eeli (14.9.2024) and Helmi (2.6.2026), so a household of
1 + 1 + 2 = 4. Liisa acts for her sole trader's business, company form "toiminimi".
"""

from __future__ import annotations

from datetime import date

import pytest

from configurator.geo import Place, StaticPlaces
from configurator.journey import merge_typed, same_answer
from configurator.lifeevents import default_life_events
from configurator.profile import (
    PREFILL_SOURCES,
    SELF,
    prefill,
    prefilled_from,
    profile_from_mapping,
    source_raw,
    subjects,
)

TODAY = date(2026, 11, 22)
PLACES = StaticPlaces(
    {
        "21200": Place(60.4856, 22.1691, "680", "21200"),
        "20100": Place(60.4518, 22.2666, "853", "20100"),
        "20520": Place(60.4489, 22.2967, "853", "20520"),
        "21420": Place(60.4010, 22.5890, "423", "21420"),
    }
)
EVENTS = default_life_events()
AINO = profile_from_mapping(
    {
        "name": "Aino Korhonen",
        "home": {"street_address": "Kerttulankatu 12 C 7", "postal_code": "21200"},
        "workplace": {"street_address": "Joukahaisenkatu 3", "postal_code": "20520"},
        "spouse": True,
        "children": [
            {"id": "eeli", "name": "Eeli", "birth_date": "2024-09-14"},
            {"id": "helmi", "name": "Helmi", "birth_date": "2026-06-02"},
        ],
    }
)
LIISA = profile_from_mapping(
    {
        "name": "Liisa Lehtonen",
        "home": {"street_address": "Kirkkotie 5", "postal_code": "21420"},
        "companies": [
            {
                "business_id": "3287466-9",
                "name": "Lehtosen Luomutila",
                "company_form": "toiminimi",
                "role": "owner",
                "mandate": True,
                "active": True,
            }
        ],
    }
)
EELI, HELMI = subjects(AINO, "child")
LIISAS_COMPANY = subjects(LIISA, "company")[1]


def same(question, a, b) -> bool:
    return same_answer(question, a, b, TODAY, PLACES)


# source -> (event, question id, profile, subject, the source's raw fields, the same answer typed differently,
#            a changed answer)
CASES = {
    "home_address": (
        "ecec",
        "home",
        AINO,
        EELI,
        {"home-street_address": "Kerttulankatu 12 C 7", "home-postal_code": "21200"},
        {"home-street_address": " Kerttulankatu 12 C 7 ", "home-postal_code": "21200"},
        {"home-street_address": "Kerttulankatu 12 C 7", "home-postal_code": "20100"},
    ),
    "workplace_address": (
        "ecec",
        "work",
        AINO,
        EELI,
        {"work-street_address": "Joukahaisenkatu 3", "work-postal_code": "20520"},
        {"work-street_address": "Joukahaisenkatu 3", "work-postal_code": "20520", "work-lat": ""},
        {"work-postal_code": "20520"},
    ),
    "child_birth_date": (
        "ecec",
        "child_birth_date",
        AINO,
        EELI,
        {"child_birth_date-day": "14", "child_birth_date-month": "09", "child_birth_date-year": "2024"},
        {"child_birth_date-day": "14", "child_birth_date-month": "9", "child_birth_date-year": "2024"},
        {"child_birth_date-day": "15", "child_birth_date-month": "9", "child_birth_date-year": "2024"},
    ),
    "household_size": (
        "ecec",
        "family_size",
        AINO,
        EELI,
        {"family_size": "4"},
        {"family_size": " 4"},
        {"family_size": "3"},
    ),
    "company_form": (
        "business",
        "company_form",
        LIISA,
        LIISAS_COMPANY,
        {"company_form": "toiminimi"},
        {"company_form": "toiminimi "},
        {"company_form": "oy"},
    ),
}


def test_every_prefill_source_is_tested() -> None:
    assert set(CASES) == set(PREFILL_SOURCES)


@pytest.mark.parametrize("source", sorted(CASES))
def test_the_source_gives_whole_raw_fields(source) -> None:
    event, qid, profile, subject, fields, _, _ = CASES[source]
    question = EVENTS[event].question(qid)
    assert question.prefill == source
    assert source_raw(question, profile, subject) == fields
    raw, filled = prefill(EVENTS[event].questions(), profile, subject)
    assert filled[qid] == source and {k: raw[k] for k in fields} == fields


@pytest.mark.parametrize("source", sorted(CASES))
def test_unchanged_is_labelled(source) -> None:
    event, qid, profile, subject, fields, same_typed_otherwise, _ = CASES[source]
    questions = EVENTS[event].questions()
    assert prefilled_from(questions, fields, profile, subject, same) == {qid: source}
    # "09" and "9" are the same month, spaces around a number are no change.
    assert prefilled_from(questions, same_typed_otherwise, profile, subject, same) == {qid: source}


@pytest.mark.parametrize("source", sorted(CASES))
def test_changed_by_the_person_is_not_labelled(source) -> None:
    event, qid, profile, subject, _, _, changed = CASES[source]
    assert qid not in prefilled_from(EVENTS[event].questions(), changed, profile, subject, same)


def test_the_registered_street_with_a_typed_postal_code_is_not_the_registers_address() -> None:
    mixed = {"home-street_address": "Kerttulankatu 12 C 7", "home-postal_code": "20100"}
    assert "home" not in prefilled_from(EVENTS["ecec"].questions(), mixed, AINO, EELI, same)
    # Nor the registered address with a point chosen on the map.
    pointed = {
        "home-street_address": "Kerttulankatu 12 C 7",
        "home-postal_code": "21200",
        "home-lat": "60.49",
        "home-lon": "22.17",
    }
    assert "home" not in prefilled_from(EVENTS["ecec"].questions(), pointed, AINO, EELI, same)


def test_a_birth_date_given_for_eeli_is_not_helmis() -> None:
    eelis = source_raw(EVENTS["ecec"].question("child_birth_date"), AINO, EELI)
    assert prefilled_from(EVENTS["ecec"].questions(), eelis, AINO, HELMI, same) == {}
    helmis = source_raw(EVENTS["ecec"].question("child_birth_date"), AINO, HELMI)
    assert helmis == {"child_birth_date-day": "02", "child_birth_date-month": "06", "child_birth_date-year": "2026"}


def test_subject_specific_sources_give_nothing_for_oneself() -> None:
    assert source_raw(EVENTS["ecec"].question("child_birth_date"), AINO, SELF) is None
    assert source_raw(EVENTS["business"].question("company_form"), LIISA, SELF) is None
    assert prefilled_from(EVENTS["business"].questions(), {"company_form": "toiminimi"}, LIISA, SELF, same) == {}


def test_household_size_is_only_known_with_children() -> None:
    assert source_raw(EVENTS["ecec"].question("family_size"), LIISA, SELF) is None


# --- answers typed before signing in ----------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(CASES))
def test_a_different_typed_answer_is_a_choice_and_the_registered_one_stays_whole(source) -> None:
    event, qid, profile, subject, fields, _, changed = CASES[source]
    known, _ = prefill(EVENTS[event].questions(), profile, subject)
    merged, choices = merge_typed(EVENTS[event].questions(), known, changed, TODAY, PLACES)
    assert choices == {qid: {k: v for k, v in changed.items() if v}}
    assert {k: merged.get(k) for k in set(fields) | set(changed)} == {
        k: fields.get(k) for k in set(fields) | set(changed)
    }, "the registered answer is kept whole: no typed field mixed into it"


@pytest.mark.parametrize("source", sorted(CASES))
def test_the_same_typed_answer_is_no_choice(source) -> None:
    event, qid, profile, subject, fields, same_typed_otherwise, _ = CASES[source]
    known, _ = prefill(EVENTS[event].questions(), profile, subject)
    merged, choices = merge_typed(EVENTS[event].questions(), known, same_typed_otherwise, TODAY, PLACES)
    assert choices == {}
    assert prefilled_from(EVENTS[event].questions(), merged, profile, subject, same)[qid] == source


def test_the_home_postal_code_typed_alone_is_offered_whole_against_the_registered_address() -> None:
    known, _ = prefill(EVENTS["ecec"].questions(), AINO, EELI)
    merged, choices = merge_typed(EVENTS["ecec"].questions(), known, {"home-postal_code": "20100"}, TODAY, PLACES)
    assert choices == {"home": {"home-postal_code": "20100"}}
    assert merged["home-street_address"] == "Kerttulankatu 12 C 7" and merged["home-postal_code"] == "21200"


def test_typed_answers_fill_what_the_details_leave_open() -> None:
    known, _ = prefill(EVENTS["ecec"].questions(), AINO, EELI)
    typed = {"hours_per_week": "30", "start_date-day": "12", "start_date-month": "8", "start_date-year": "2027"}
    merged, choices = merge_typed(EVENTS["ecec"].questions(), known, typed, TODAY, PLACES)
    assert choices == {}
    assert merged == known | typed


def test_a_typed_answer_that_is_no_answer_does_not_compete_with_a_valid_one() -> None:
    known, _ = prefill(EVENTS["ecec"].questions(), AINO, EELI)
    merged, choices = merge_typed(EVENTS["ecec"].questions(), known, {"child_birth_date-day": "15"}, TODAY, PLACES)
    assert choices == {} and merged == known
