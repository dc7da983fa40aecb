"""The moving-to-a-new-municipality life event (KE4.2): its data file, predicates and checklist.

Deadlines are derived by hand from configurator/parameters/moving.yaml (each figure checked in the
authority's pages, see its comments) and the law on counting time limits (Act 150/1930,
configurator/legal_calendar.py):

* Notice of move to DVV: at the latest 1 week after the move, at the earliest 1 month before. Moving on
  Fri 15.1.2027: latest Fri 22.1.2027, earliest Tue 15.12.2026.
* General housing allowance (renting): granted back to the start of the month before the application's
  month (1 month), so by the end of the month after the move: 15.1.2027 + 1 month = 15.2.2027, end of that
  month Sun 28.2.2027, a month's end moves to the weekday before: Fri 26.2.2027.
* Dog register: changes within 1 month: 15.1.2027 + 1 month = Mon 15.2.2027.
* Early childhood education: apply 4 months before: 15.1.2027 − 4 months = Tue 15.9.2026 (already past on
  "today", 22.11.2026, so it is marked overdue).
* Care plan: laboratory tests every 12 months from the day they were ticked: ticked Wed 3.2.2027, next
  Thu 3.2.2028 (a calendar date, not moved).

"Today" is 2026-11-22 (a Sunday), as in tests/conftest.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from configurator.answers import LocationAnswer
from configurator.checklist import Contact, build_checklist, due_date
from configurator.geo import Place
from configurator.lifeevents import EVENTS_DIR, DueRule, default_life_events, load_life_events
from configurator.predicates import PREDICATES, evaluate
from configurator.predicates import moving as predicates

TODAY = date(2026, 11, 22)
MOVING_DAY = date(2027, 1, 15)  # a Friday
KAARINA, HELSINKI = "202", "091"
NEW_HOME = LocationAnswer(Place(60.4072, 22.3686, KAARINA, "20780"))
OLD_HOME = LocationAnswer(Place(60.1699, 24.9384, HELSINKI, "00100"))

# Someone who moves alone, owns the new home, neither works nor studies, and says nothing about health.
BASE: dict[str, Any] = {
    "from_home": OLD_HOME,
    "home": NEW_HOME,
    "moving_date": MOVING_DAY,
    "household": (),
    "housing": "owning",
    "occupation": "other",
}
ALWAYS = {
    "notify_move",
    "tell_kela",
    "choose_health_station",
    "electricity_contract",
    "waste_collection",
    "library_card",
    "municipal_services",
}
CARE_PLAN = {"continue_care", "laboratory_tests", "nurse_visit", "self_care_programme"}


def answers(**changes: Any) -> dict[str, Any]:
    return {**BASE, **changes}


def event():
    return default_life_events()["moving"]


class FakeDirectory:
    """One health station in Kaarina, the municipality's ECEC contact there; nothing elsewhere."""

    locale = "en"

    def municipality_contact(self, municipality_code: str, service: str) -> Contact | None:
        return Contact(name="Kaarina", url="https://www.kaarina.fi") if municipality_code == KAARINA else None

    def service_contact(self, kind: str, municipality_code: str) -> Contact | None:
        if municipality_code != KAARINA:
            return None
        return Contact(name=f"Kaarina {kind}", phone="02 000 0000")


def checklist(given: dict[str, Any], done: dict[str, date] | None = None) -> dict[str, Any]:
    entries = build_checklist(event(), given, TODAY, FakeDirectory(), done)
    return {entry.item.id: entry for entry in entries}


# --- the event file ------------------------------------------------------------------------------------


def test_the_loader_accepts_the_event_with_its_steps_codes_and_comparison() -> None:
    moving = load_life_events(EVENTS_DIR)["moving"]
    assert moving.title == "Move to a new municipality"
    assert moving.codes == {"life_event": "KE4.2", "target_group": "KR1", "service_class": "P1.5"}
    assert [s.id for s in moving.steps] == ["move", "household", "health"]
    assert [q.id for q in moving.questions()] == [
        "from_home",
        "home",
        "moving_date",
        "household",
        "housing",
        "occupation",
        "work",
        "care",
    ]
    # the new home is "home": the nearby services comparison and the municipality's organisations use it
    assert moving.question("home").type == "location" and moving.question("from_home").type == "location"
    assert [c.kind for c in moving.comparisons] == ["nearby_services"]
    assert moving.comparisons[0].options == {"near": "home", "services": [{"kind": "health_centre"}]}
    assert moving.organisations["health_centre"].municipality_of == "home"
    assert moving.organisations["health_centre"].service_kind == "health_centre"


def test_only_the_health_question_is_private_and_it_is_optional() -> None:
    moving = event()
    care = moving.question("care")
    assert care.private and not care.required
    assert moving.private_fields() == frozenset({"care"})
    assert [q.id for q in moving.questions() if q.private] == ["care"]
    # its step says why it is asked and that the answer is not saved
    assert "not saved" in moving.step("health").intro


def test_the_predicates_are_registered_under_their_names() -> None:
    for name in (
        "children_in_ecec",
        "children_at_school",
        "has_dog",
        "has_car",
        "works_or_studies",
        "housing_allowance_for_new_home",
        "told_long_term_condition",
        "told_prescriptions",
    ):
        assert PREDICATES[name] is getattr(predicates, name)


def test_no_code_names_the_moving_event() -> None:
    """Data only: no Python module or template of the configurator or the portal names the event (issue 18)."""
    repo = EVENTS_DIR.parent.parent
    paths = [
        *(repo / "configurator").rglob("*.py"),
        *(repo / "portal").rglob("*.py"),
        *(repo / "templates").rglob("*.html"),
    ]
    assert len(paths) > 50
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert '"moving"' not in text and "'moving'" not in text and "events/moving" not in text, path


# --- predicates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("housing", "moving_day", "expected"),
    [
        ("renting", MOVING_DAY, True),
        ("owning", MOVING_DAY, False),  # not for an owner-occupied home from 1.1.2025
        ("owning", date(2024, 12, 31), True),  # the law in force on the moving day: owners still qualified
        ("owning", date(2025, 1, 1), False),
        ("other", MOVING_DAY, False),
    ],
)
def test_housing_allowance_follows_the_law_on_the_moving_day(housing: str, moving_day: date, expected: bool) -> None:
    given = answers(housing=housing, moving_date=moving_day)
    assert evaluate("housing_allowance_for_new_home", given, TODAY) is expected


def test_health_predicates_are_true_only_when_the_person_told() -> None:
    assert not evaluate("told_long_term_condition", answers(), TODAY)
    assert not evaluate("told_long_term_condition", answers(care=None), TODAY)
    assert evaluate("told_long_term_condition", answers(care=("condition",)), TODAY)
    assert not evaluate("told_prescriptions", answers(care=("condition",)), TODAY)
    assert evaluate("told_prescriptions", answers(care=("prescriptions",)), TODAY)


@pytest.mark.parametrize(("occupation", "expected"), [("working", True), ("studying", True), ("other", False)])
def test_those_who_work_or_study_tell_their_new_address(occupation: str, expected: bool) -> None:
    assert evaluate("works_or_studies", answers(occupation=occupation), TODAY) is expected
    assert ("tell_work_or_studies" in checklist(answers(occupation=occupation))) is expected
    # the workplace is optional and always asked (only the day care comparison uses it)
    work = event().question("work")
    assert work.show_if is None and not work.required


# --- which tasks show ----------------------------------------------------------------------------------


def test_someone_moving_alone_into_an_owned_home_gets_the_tasks_everyone_has() -> None:
    assert set(checklist(answers())) == ALWAYS


@pytest.mark.parametrize(
    ("changes", "added"),
    [
        ({"housing": "renting"}, {"apply_housing_allowance"}),
        ({"household": ("children_ecec",)}, {"apply_ecec"}),
        ({"household": ("children_school",)}, {"school_place"}),
        ({"household": ("dog",)}, {"dog_register"}),
        ({"household": ("car",)}, {"vehicle_details"}),
        ({"care": ("condition",)}, CARE_PLAN),
        ({"care": ("prescriptions",)}, {"renew_prescriptions"}),
        ({"occupation": "studying"}, {"tell_work_or_studies"}),
        ({"care": ("condition", "prescriptions")}, CARE_PLAN | {"renew_prescriptions"}),
    ],
)
def test_each_answer_adds_its_own_tasks(changes: dict[str, Any], added: set[str]) -> None:
    assert set(checklist(answers(**changes))) == ALWAYS | added


def test_no_care_plan_task_without_the_private_answer() -> None:
    everything = answers(housing="renting", household=("children_ecec", "children_school", "dog", "car"))
    shown = set(checklist(everything))
    assert not shown & (CARE_PLAN | {"renew_prescriptions"})
    assert len(shown) == len(ALWAYS) + 5


# --- deadlines -----------------------------------------------------------------------------------------


def test_notice_of_move_by_one_week_after_and_at_the_earliest_one_month_before() -> None:
    entry = checklist(answers())["notify_move"]
    assert entry.due == date(2027, 1, 22)
    assert entry.item.responsible == "dvv" and entry.item.channel == "eservice"
    assert entry.values["latest_weeks"] == 1 and entry.values["earliest_months"] == 1
    earliest = DueRule(anchor="moving_date", period="moving.notice_of_move.earliest_before_months", sign=-1)
    assert due_date(earliest, answers(), TODAY) == date(2026, 12, 15)


def test_the_notice_says_what_dvv_passes_on_and_what_it_does_not() -> None:
    why = event().checklist[0].why
    for passed_on in ("Kela", "the Tax Administration", "the vehicle register"):
        assert passed_on in why
    assert "Posti forwards your mail only if you ask" in why
    assert "does not end or move your contracts" in why


def test_housing_allowance_by_the_last_weekday_of_the_month_after_the_move() -> None:
    entry = checklist(answers(housing="renting"))["apply_housing_allowance"]
    assert entry.due == date(2027, 2, 26)  # end of February 2027 is a Sunday


def test_dog_register_within_one_month_of_the_move() -> None:
    entry = checklist(answers(household=("dog",)))["dog_register"]
    assert entry.due == date(2027, 2, 15)
    assert entry.item.responsible == "food_authority"


def test_ecec_application_four_months_before_the_move_is_already_late() -> None:
    entry = checklist(answers(household=("children_ecec",)))["apply_ecec"]
    assert entry.due == date(2026, 9, 15) and entry.overdue
    assert entry.contact.name == "Kaarina"  # the new municipality's early childhood education services


def test_the_health_station_is_the_one_serving_the_new_home() -> None:
    entry = checklist(answers())["choose_health_station"]
    assert entry.contact.name == "Kaarina health_centre"
    assert entry.due == MOVING_DAY
    assert entry.values["health_change_years"] == 1


def test_care_plan_tasks_come_back_twelve_months_after_they_were_ticked() -> None:
    care = answers(care=("condition", "prescriptions"))
    before = checklist(care)
    assert before["laboratory_tests"].due == TODAY  # first: now (today is not moved off the Sunday)
    assert before["laboratory_tests"].recurrence.interval == 12
    assert before["laboratory_tests"].recurrence.unit == "months"
    after = checklist(care, done={"laboratory_tests": date(2027, 2, 3), "renew_prescriptions": date(2027, 3, 1)})
    assert after["laboratory_tests"].due == date(2028, 2, 3)
    assert after["laboratory_tests"].recurrence.last_done == date(2027, 2, 3)
    assert after["renew_prescriptions"].due == date(2028, 3, 1)
    assert after["nurse_visit"].due == TODAY  # not ticked: still due now
    for task in ("laboratory_tests", "nurse_visit", "renew_prescriptions", "self_care_programme"):
        repeat = event().checklist[[i.id for i in event().checklist].index(task)].repeat
        assert repeat is not None and repeat.every == {"months": 12} and repeat.count_from == "done"
