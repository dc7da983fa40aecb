"""Walking the ECEC event: show-if, cross-question rules, and checklist deadlines from the answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from configurator.checklist import Contact, build_checklist, due_date
from configurator.geo import Place, StaticPlaces
from configurator.journey import walk
from configurator.lifeevents import DueRule, default_life_events
from configurator.predicates import evaluate

TODAY = date(2026, 11, 22)
PLACES = StaticPlaces(
    {"20100": Place(60.4518, 22.2666, "853", "20100"), "20520": Place(60.4489, 22.2967, "853", "20520")}
)
RAW = {
    "child_birth_date-day": "15",
    "child_birth_date-month": "3",
    "child_birth_date-year": "2025",
    "start_date-day": "12",
    "start_date-month": "8",
    "start_date-year": "2027",
    "hours_per_week": "30",
    "care_language": "fi",
    "shift_care": "no",
    "sudden_need": "no",
    "home-postal_code": "20100",
    "family_size": "3",
    "income": "",
    "other_children_in_ecec": "0",
    "consider_private": "no",
}


class Directory:
    def municipality_contact(self, code: str, service: str) -> Contact | None:
        return Contact(name="Turku", url="https://evaka.turku.fi") if code == "853" else None


def ecec():
    return default_life_events()["ecec"]


def test_complete_answers_walk_to_the_end() -> None:
    state = walk(ecec(), RAW, TODAY, PLACES)
    assert state.complete
    assert state.answers["income"] is None and state.answers["start_date"] == date(2027, 8, 12)
    assert "younger_children_in_ecec" not in state.answers  # hidden: no other children


def test_show_if_asks_younger_children_only_with_siblings_in_ecec() -> None:
    state = walk(ecec(), {**RAW, "other_children_in_ecec": "1"}, TODAY, PLACES)
    assert not state.complete and state.first_incomplete.id == "family"
    state = walk(ecec(), {**RAW, "other_children_in_ecec": "1", "younger_children_in_ecec": "1"}, TODAY, PLACES)
    assert state.complete and state.answers["younger_children_in_ecec"] == 1


@pytest.mark.parametrize(
    "changes, step",
    [
        ({"start_date-year": "2026", "start_date-month": "1"}, "child"),  # in the past
        ({"start_date-year": "2024"}, "child"),  # before birth and in the past
        ({"child_birth_date-year": "2018"}, "child"),  # older than 7
        ({"hours_per_week": "0"}, "care"),
        ({"hours_per_week": "2.55"}, "care"),  # one decimal at most (37,5 is fine)
        ({"family_size": "1"}, "family"),
        ({"other_children_in_ecec": "2"}, "family"),  # a family of 3 cannot have 2 other children in ECEC
        ({"income": "-5"}, "family"),
        ({"care_language": "de"}, "care"),
    ],
)
def test_invalid_answers_stop_at_their_step(changes: dict, step: str) -> None:
    state = walk(ecec(), {**RAW, **changes}, TODAY, PLACES)
    assert state.first_incomplete is not None and state.first_incomplete.id == step


def _checklist(**changes: str):
    state = walk(ecec(), {**RAW, **changes}, TODAY, PLACES)
    assert state.complete
    return {e.item.id: e for e in build_checklist(ecec(), state.answers, TODAY, Directory())}


def test_application_deadline_is_four_months_before_start() -> None:
    items = _checklist()
    assert items["apply_for_ecec"].due == date(2027, 4, 12)
    assert items["choose_units"].due == date(2027, 4, 12)
    assert items["report_income"].due == date(2027, 8, 31)  # end of the start month
    assert items["agree_familiarisation"].due == date(2027, 7, 12)  # a month before, a practical lead time
    assert items["apply_for_ecec"].contact.name == "Turku"
    assert "apply_for_voucher" not in items  # not considering private care


def test_sudden_need_shortens_the_deadline_to_two_weeks() -> None:
    items = _checklist(sudden_need="yes")
    assert items["apply_for_ecec"].due == date(2027, 7, 29)


def test_deadline_already_passed_is_flagged() -> None:
    items = _checklist(**{"start_date-year": "2027", "start_date-month": "1", "start_date-day": "7"})
    assert items["apply_for_ecec"].due == date(2026, 9, 7) and items["apply_for_ecec"].overdue


def test_voucher_and_kela_items_follow_the_answers() -> None:
    items = _checklist(consider_private="yes")
    assert "apply_for_voucher" in items
    assert items["apply_for_home_care_allowance"].contact.name_msgid == "Kela"
    assert items["apply_for_flexible_care_allowance"].figures[0].amount == Decimal("269.24")
    assert items["apply_for_flexible_care_allowance"].values["flexible_hours"] == 30
    older = _checklist(**{"child_birth_date-year": "2022", "child_birth_date-month": "1"})
    assert "apply_for_home_care_allowance" not in older
    assert "apply_for_flexible_care_allowance" not in older  # 3 or older when care starts


def test_due_rule_alignment() -> None:
    rule = DueRule(anchor="start_date", offset={"months": -1}, align="start_of_month")
    assert due_date(rule, {"start_date": date(2027, 3, 31)}, TODAY) == date(2027, 2, 1)


def test_condition_syntax() -> None:
    assert evaluate(["sudden_need", "not considers_private"], {"sudden_need": True}, TODAY)
    assert not evaluate("not sudden_need", {"sudden_need": True}, TODAY)
    assert evaluate(None, {}, TODAY)


def test_question_specific_messages_replace_the_defaults() -> None:
    from configurator.journey import parse_step

    step = ecec().step("care")
    result = parse_step(step, {**RAW, "hours_per_week": "lots"}, {}, TODAY, PLACES)
    assert [e.message for _, e in result.errors] == ["Enter the hours as a number, like 30 or 37.5"]
    result = parse_step(step, {**RAW, "hours_per_week": "90"}, {}, TODAY, PLACES)
    assert [e.message for _, e in result.errors] == ["Enter at most 80 hours a week"]
