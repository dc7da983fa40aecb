"""A checklist task that goes on in another life event (``continue_with``): what the loader accepts and refuses.

The mechanism is general (configurator/lifeevents): a task names another event and maps that event's questions
to its own; the portal's plan page offers to start the other journey with those answers filled in. The loader
checks, once every file is read, that the other event exists, that its questions exist and have the same type
(so the carried raw fields parse there), and that no private answer is carried.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from configurator.lifeevents import ContinueWith, LifeEventError, load_life_events, parse_life_event

HOME = {"id": "home", "type": "location", "label": "Your home"}
SECRET = {"id": "secret", "type": "yesno", "label": "A secret?", "private": True, "required": False}
WHEN = {"id": "when", "type": "date", "label": "When?"}


def event(event_id: str, questions: list[dict[str, Any]], **item: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "title": f"Event {event_id}",
        "summary": "A test event.",
        "organisations": [{"id": "someone", "name": "Someone"}],
        "steps": [{"id": "only", "title": "Only", "questions": questions}],
        "checklist": [
            {"id": "task", "title": "Do it", "why": "Because", "responsible": "someone", "channel": "web", **item}
        ],
    }


def write(tmp_path: Path, *events: dict[str, Any]) -> Path:
    for data in events:
        (tmp_path / f"{data['id']}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return tmp_path


def test_a_task_carries_answers_to_another_event(tmp_path: Path) -> None:
    first = event("first", [HOME, WHEN], continue_with={"event": "second", "answers": {"place": "home"}})
    second = event("second", [{**HOME, "id": "place"}])
    events = load_life_events(write(tmp_path, first, second))
    assert events["first"].checklist[0].continue_with == ContinueWith("second", {"place": "home"})
    assert events["second"].checklist[0].continue_with is None


def test_the_moving_event_continues_in_the_ecec_event_with_its_home_and_work() -> None:
    moving = load_life_events()["moving"]
    link = {item.id: item.continue_with for item in moving.checklist if item.continue_with}
    assert link == {"apply_ecec": ContinueWith("ecec", {"home": "home", "work": "work"})}


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ({"event": "nowhere", "answers": {"place": "home"}}, "no other life event 'nowhere'"),
        ({"event": "first", "answers": {"home": "home"}}, "no other life event 'first'"),
        ({"event": "second", "answers": {"missing": "home"}}, "no question 'missing' in life event 'second'"),
        ({"event": "second", "answers": {"place": "when"}}, "'place' is a location question there, 'when' a date"),
    ],
)
def test_links_that_lead_nowhere_or_to_another_type_fail_at_load(
    tmp_path: Path, link: dict[str, Any], problem: str
) -> None:
    first = event("first", [HOME, WHEN], continue_with=link)
    second = event("second", [{**HOME, "id": "place"}])
    with pytest.raises(LifeEventError) as error:
        load_life_events(write(tmp_path, first, second))
    assert str(error.value).startswith("first.yaml: checklist[0].continue_with.")
    assert problem in str(error.value)


def test_a_private_answer_is_never_carried() -> None:
    data = event("first", [HOME, SECRET], continue_with={"event": "second", "answers": {"told": "secret"}})
    with pytest.raises(LifeEventError) as error:
        parse_life_event(data, "first.yaml")
    assert "checklist[0].continue_with.answers.told: 'secret' is private" in str(error.value)


@pytest.mark.parametrize(
    ("link", "problem"),
    [
        ({"event": "second", "answers": {"place": "nothing"}}, "no question 'nothing' to carry"),
        ({"event": "second", "answers": {}}, "continue_with.answers"),
        ({"event": "second", "answers": {"place": "home"}, "colour": "red"}, "unknown key 'colour'"),
    ],
)
def test_a_link_must_carry_questions_of_its_own_event(link: dict[str, Any], problem: str) -> None:
    with pytest.raises(LifeEventError) as error:
        parse_life_event(event("first", [HOME], continue_with=link), "first.yaml")
    assert problem in str(error.value)
