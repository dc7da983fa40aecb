"""Suggested life events (configurator/suggestions.py): the predicates on hand-derived dates, the suggest: block's
checks, and the event files' own blocks. Today is 2026-12-04 throughout."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from configurator.lifeevents import LifeEventError, default_life_events, parse_life_event
from configurator.profile import Address, Child, Company, Profile
from configurator.suggestions import PREDICATES, parse_suggest, suggestions_for

TODAY = date(2026, 12, 4)


def moved(since: date | None) -> Profile:
    return Profile("Sirkka", home=Address("Koulupolku 3 A 4", "20780", since))


def find(name: str, profile: Profile, **settings: int) -> list[Any]:
    return PREDICATES[name].find(profile, TODAY, settings)


# --- address_changed_recently -------------------------------------------------------------------------


def test_an_address_since_two_months_ago_is_a_recent_move() -> None:
    # 2026-12-04 minus 3 months is 2026-09-04; 2026-10-01 is after it.
    (finding,) = find("address_changed_recently", moved(date(2026, 10, 1)), months=3)
    assert finding.subject == "self"
    assert finding.facts == {"since": date(2026, 10, 1)}


def test_an_address_since_2025_is_not_a_recent_move() -> None:
    assert find("address_changed_recently", moved(date(2025, 1, 1)), months=3) == []


def test_the_window_edges_are_counted_in_calendar_months() -> None:
    assert find("address_changed_recently", moved(date(2026, 9, 4)), months=3)  # exactly 3 months ago: in
    assert not find("address_changed_recently", moved(date(2026, 9, 3)), months=3)  # a day earlier: out
    assert not find("address_changed_recently", moved(date(2026, 12, 5)), months=3)  # tomorrow: not moved yet
    assert not find("address_changed_recently", moved(None), months=3)  # the register does not say
    assert not find("address_changed_recently", Profile("Nobody"), months=3)  # no address at all


# --- child_reaches_age --------------------------------------------------------------------------------


def family(*births: date) -> Profile:
    return Profile(
        "Aino", children=tuple(Child(f"child-{i:08d}", f"Child {i}", born) for i, born in enumerate(births, 1))
    )


def test_a_child_born_in_may_reaches_nine_months_in_february() -> None:
    # 2026-05-01 + 9 months = 2027-02-01: after today, before 2027-12-04 (a year from today).
    (finding,) = find("child_reaches_age", family(date(2026, 5, 1)), age_months=9, within_months=12)
    assert finding.subject == "child:child-00000001"
    assert finding.subject_name == "Child 1"
    assert finding.facts == {"child": "Child 1", "date": date(2027, 2, 1)}


def test_a_child_already_old_enough_or_too_young_within_the_year_is_not_suggested() -> None:
    already = date(2025, 1, 1)  # 9 months on 2025-10-01: past
    today_exactly = date(2026, 3, 4)  # 9 months on 2026-12-04: today, not "will be"
    last_day = date(2027, 3, 4)  # not born yet, but 9 months on 2027-12-04: exactly a year ahead, in
    too_late = date(2027, 3, 5)  # 9 months on 2027-12-05: a day past the year
    found = find(
        "child_reaches_age", family(already, today_exactly, last_day, too_late), age_months=9, within_months=12
    )
    assert [f.facts["date"] for f in found] == [date(2027, 12, 4)]


def test_month_ends_are_clamped_as_the_calendar_does() -> None:
    # Born on 31 May 2026: 9 months later is 28 February 2027 (no 31 February).
    (finding,) = find("child_reaches_age", family(date(2026, 5, 31)), age_months=9, within_months=12)
    assert finding.facts["date"] == date(2027, 2, 28)


# --- company_bankrupt ---------------------------------------------------------------------------------


def company(status: str, name: str = "Virtasen Saneeraus Oy") -> Company:
    return Company("3141593-8", name, "oy", "ceo", True, status == "active", status)


def test_a_bankrupt_company_suggests_for_the_person_themselves() -> None:
    profile = Profile("Matti", companies=(company("active", "Other Oy"), company("bankrupt")))
    (finding,) = find("company_bankrupt", profile)
    assert finding.subject == "self"
    assert finding.facts == {"company": "Virtasen Saneeraus Oy"}


def test_an_active_company_suggests_nothing() -> None:
    assert find("company_bankrupt", Profile("Liisa", companies=(company("active"),))) == []


# --- the event files ----------------------------------------------------------------------------------


def test_the_event_files_suggest_moving_ecec_for_the_child_and_unemployment() -> None:
    events = default_life_events()
    profile = Profile(
        "Test",
        home=Address(None, "20780", date(2026, 10, 25)),
        children=(Child("child-helmi01", "Helmi", date(2026, 6, 2)), Child("child-eeli001", "Eeli", date(2024, 9, 14))),
        companies=(company("bankrupt"),),
    )
    found = {s.key: s for s in suggestions_for(events.values(), profile, TODAY)}
    # moved on 2026-10-25, within 3 months of 2026-12-04: the moving date is filled with it
    assert found["moving:self"].answers == {"moving_date": "2026-10-25"}
    # Helmi (born 2026-06-02) is 9 months old on 2027-03-02; Eeli is past it.
    assert found["ecec:child:child-helmi01"].answers == {"start_date": "2027-03-02"}
    assert "ecec:child:child-eeli001" not in found
    assert found["unemployment:self"].facts["company"] == "Virtasen Saneeraus Oy"
    assert not any(key.startswith("business:") for key in found)
    for suggestion in found.values():  # every why names only facts and settings it has
        suggestion.why % dict(suggestion.facts)


def test_a_dismissed_key_is_not_suggested() -> None:
    events = default_life_events()
    profile = Profile("Aino", children=(Child("child-helmi01", "Helmi", date(2026, 6, 2)),))
    assert [s.key for s in suggestions_for(events.values(), profile, TODAY)] == ["ecec:child:child-helmi01"]
    assert suggestions_for(events.values(), profile, TODAY, dismissed=["ecec:child:child-helmi01"]) == []


# --- the suggest: block's checks ----------------------------------------------------------------------

EVENT: dict[str, Any] = {
    "id": "thing",
    "title": "Do a thing",
    "summary": "A test event.",
    "acting_for": "child",
    "steps": [
        {
            "id": "s",
            "title": "Step",
            "questions": [
                {"id": "start", "type": "date", "label": "When?"},
                {"id": "name", "type": "yesno", "label": "Yes?"},
            ],
        }
    ],
}


def problems(suggest: Any, acting_for: str = "child") -> list[str]:
    data = EVENT | {"suggest": suggest, "acting_for": acting_for}
    try:
        parse_life_event(data, "thing.yaml")
    except LifeEventError as error:
        return [f"{p.path}: {p.message}" for p in error.problems]
    return []


GOOD = {
    "predicate": "child_reaches_age",
    "settings": {"age_months": 9, "within_months": 12},
    "why": "%(child)s on %(date)s",
    "answers": {"start": "date"},
}


def test_a_good_block_loads_into_the_event() -> None:
    event = parse_life_event(EVENT | {"suggest": [GOOD]}, "thing.yaml")
    (rule,) = event.suggestions
    assert (rule.predicate, dict(rule.settings), dict(rule.answers)) == (
        "child_reaches_age",
        {"age_months": 9, "within_months": 12},
        {"start": "date"},
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"predicate": "moon_phase"}, "suggest[0].predicate: unknown suggestion predicate 'moon_phase'"),
        ({"settings": {"age_months": 9}}, "suggest[0].settings: 'child_reaches_age' needs the setting 'within_months'"),
        (
            {"settings": {"age_months": 9, "within_months": 12, "weeks": 2}},
            "suggest[0].settings.weeks: 'child_reaches_age' has no setting 'weeks'",
        ),
        ({"settings": {"age_months": "9", "within_months": 12}}, "suggest[0].settings.age_months: a whole number"),
        ({"why": ""}, "suggest[0].why: 'why' is required"),
        ({"why": "%(company)s"}, "suggest[0].why: no fact or setting 'company'"),
        ({"answers": {"nowhere": "date"}}, "suggest[0].answers.nowhere: no question 'nowhere'"),
        ({"answers": {"start": "since"}}, "suggest[0].answers.start: 'child_reaches_age' gives no fact 'since'"),
        ({"answers": {"name": "date"}}, "suggest[0].answers.name: the fact 'date' cannot fill a 'yesno' question"),
        ({"colour": "red"}, "suggest[0].colour: unknown key 'colour'"),
    ],
)
def test_a_broken_block_fails_at_load_naming_the_path(change: dict[str, Any], expected: str) -> None:
    found = problems([GOOD | change])
    assert any(line.startswith(expected) for line in found), found


def test_a_predicate_must_find_a_subject_the_event_offers() -> None:
    (line,) = problems([GOOD], acting_for="self")
    assert line.startswith("suggest[0].predicate: 'child_reaches_age' finds a child")
    # a company event lists the person themselves too, so a predicate about the person fits it
    assert problems([{"predicate": "company_bankrupt", "why": "%(company)s"}], acting_for="company") == []


def test_the_block_is_a_list() -> None:
    assert problems({"predicate": "company_bankrupt"}) == ["suggest: a list of rules, each with 'predicate' and 'why'"]


def test_no_block_is_no_suggestion() -> None:
    rules, found = parse_suggest(None, {}, "self")
    assert (rules, found) == ((), [])


# --- the development provider's "since" ---------------------------------------------------------------


def test_sirkkas_move_is_counted_back_from_today(tmp_path) -> None:
    from portal.dev_idp.people import PeopleError, load_people

    sirkka = next(p for p in load_people().values() if p.given_name == "Sirkka")
    # people.yaml: "40 days ago"; 2026-12-04 minus 40 days is 2026-10-25 (30 days of November, 10 of October)
    assert sirkka.claims(["address"], TODAY)["address"]["since"] == "2026-10-25"
    assert "since" not in sirkka.claims(["address"], TODAY).get("workplace", {})
    matti = next(p for p in load_people().values() if p.given_name == "Matti")
    assert "since" not in matti.claims(["address"], TODAY)["address"]  # no since: no claim, not a null

    broken = tmp_path / "people.yaml"
    text = (Path(__file__).resolve().parents[2] / "portal/dev_idp/people.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("since: 40 days ago", "since: last spring"), encoding="utf-8")
    with pytest.raises(PeopleError) as error:
        load_people(broken)
    assert "since is 'N days ago' or a quoted YYYY-MM-DD date, got 'last spring'" in str(error.value)
