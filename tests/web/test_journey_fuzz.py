"""A property-based fuzzer over every step of every life event (issue 13): whatever text a person (or a
script) puts in any field of a step, the step answers without a server error, and so do the check page, the
plan and the live preview afterwards, since what was typed is kept for re-display.

The audit's form fuzzer found a '²' or a 20-digit number in a date field to give a 500 on every later page of
the journey. Here Hypothesis generates each field's text from the valid answer, other scripts' digits, huge
and odd numbers (1e309, NaN, inf, 20 digits), empty and blank text, text longer than the form keeps, and any
unicode text, and posts the step with the Flask test client from a complete journey's answers.

Bounded for CI: derandomize=True (the same examples on every run), 50 examples a step, no deadline, no example
database written to the working tree.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configurator.answers import field_names
from configurator.lifeevents import LifeEvent, Question, Step, default_life_events
from tests.helpers import ECEC_STEPS, LIISA_STEPS, MATTI_STEPS, SIRKKA_STEPS

VALID_STEPS: dict[str, dict[str, dict[str, Any]]] = {
    "ecec": ECEC_STEPS,
    "business": LIISA_STEPS,
    "unemployment": MATTI_STEPS,
    "moving": SIRKKA_STEPS,
}
EVENTS = default_life_events()
STEPS = [(event_id, step.id) for event_id, event in EVENTS.items() for step in event.steps]

# What broke parsers before: digits of other scripts and superscripts (str.isdigit() says yes, int() says no),
# numbers too large for a date or a float, and float()'s words; drawn often, as the likeliest to break one.
DIGITISH = [
    "²",
    "³",
    "¹²",
    "١٢",
    "٣",
    "੩",
    "𝟙𝟚",
    "12345678901234567890",
    "99999",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "Infinity",
    "0x10",
    "1_000",
    "٦٠.٤٥",
    "9" * 30,
]
SPECIAL = [
    "",
    " ",
    "0",
    "-1",
    "00",
    "½",
    "1e5",
    "nan",
    "-inf",
    "3.",
    ".5",
    "37,5",
    "37.55",
    "4.500,50",
    "1 000 000 000 000 000",
    "9" * 300,
    "x" * 3000,
    "2025-03-15",
    "15.3.2025",
    "29",
    "2",
    "2024",
    "1899",
    "2201",
    "60.45",
    "22.27",
    "90",
    "-180",
    "20100",
    "00000",
    "\u00a0",
    "\x00",
    "<script>",
    "' OR 1=1 --",
    "%s",
    "{0}",
    "{max}",
    "yes",
    "no",
    "true",
]
UNICODE_DIGITS = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=8)
NUMBERS = st.from_regex(r"-?[0-9]{1,25}([.,][0-9]{1,5})?", fullmatch=True)


def nasty_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(DIGITISH),
        UNICODE_DIGITS,
        NUMBERS,
        st.sampled_from(SPECIAL),
        st.text(max_size=40),
        st.text(max_size=400).map(lambda t: t * 2),
    )


def field_values(question: Question, valid: Any) -> st.SearchStrategy[Any]:
    """What one form field may carry: the valid answer, an option (several for checkboxes), nasty text, or
    ``None`` (the field left out of the post)."""
    choices: list[st.SearchStrategy[Any]] = [st.none(), nasty_text()]
    if valid is not None:
        choices.insert(0, st.just(valid))
    options = list(question.option_values)
    if options and question.type == "choices":
        choices.append(st.lists(st.sampled_from(options + ["", "other", "²"]), max_size=len(options) + 2))
    elif options:
        choices.append(st.sampled_from(options))
    return st.one_of(*choices)


@st.composite
def step_form(draw: st.DrawFn, event_id: str, step: Step) -> dict[str, Any]:
    """Every field of the step from field_values, then one to three of them nasty text for certain: a step
    whose other fields are valid gets past them to the field under test, as a person's typing mistake does."""
    valid = VALID_STEPS[event_id].get(step.id, {})
    names = {name: question for question in step.questions for name in field_names(question.id, question.type)}
    form = {name: draw(field_values(question, valid.get(name))) for name, question in names.items()}
    for name in draw(st.lists(st.sampled_from(sorted(names)), min_size=1, max_size=3, unique=True)):
        form[name] = draw(nasty_text())
    return {name: value for name, value in form.items() if value is not None}


def complete(client: FlaskClient, event_id: str) -> dict[str, str]:
    """Answer every step of the event validly; the session's answers after it."""
    for step_id, data in VALID_STEPS[event_id].items():
        response = client.post(f"/en/events/{event_id}/steps/{step_id}", data=data)
        assert response.status_code == 302, (event_id, step_id)
    with client.session_transaction() as session:
        return dict(session["answers"][event_id])


@pytest.mark.parametrize("event_id, step_id", STEPS)
def test_no_text_in_any_field_of_a_step_makes_a_page_fail(
    csrf_off_client: FlaskClient, event_id: str, step_id: str
) -> None:
    client = csrf_off_client
    event: LifeEvent = EVENTS[event_id]
    complete_answers = complete(client, event_id)
    base = f"/en/events/{event_id}"

    @settings(
        max_examples=50,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(form=step_form(event_id, event.step(step_id)))
    def post_the_step(form: dict[str, Any]) -> None:
        with client.session_transaction() as session:
            session["answers"] = {event_id: dict(complete_answers)}
        response = client.post(f"{base}/steps/{step_id}", data=form)
        assert response.status_code < 500, (form, response.status_code)
        if response.status_code in (200, 302):
            for url in (f"{base}/check", f"{base}/plan", f"{base}/steps/{step_id}", f"{base}/"):
                page = client.get(url, follow_redirects=True)
                assert page.status_code < 500, (url, form, page.status_code)
        assert client.post(f"{base}/preview", data=form).status_code < 500, form

    post_the_step()
