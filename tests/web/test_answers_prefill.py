"""Prefill that never lies (issue 12, item 4), through the pages, for each prefill source of configurator/profile.py.

- unchanged: the step says where the answer came from (the note #<question>-prefilled) and so does the check page;
- changed by the person: no label;
- typed before signing in and different: both answers are shown as a choice on the step ("Use <registered>
  (from ...)" / "Keep <typed> (entered before you signed in)"), the plan waits for the choice, and nothing is
  mixed (the registered street never goes with a typed postal code);
- another child (or acting for oneself instead of the company): the plan starts from that subject's details,
  never from answers given for someone else.

Aino (guardian of Eeli, 14.9.2024, and Helmi, 2.6.2026; home Kerttulankatu 12 C 7, 21200; workplace
Joukahaisenkatu 3, 20520; a household of 4) and Liisa (acting for her sole trader's business, "toiminimi") are the
development provider's test people (portal/dev_idp/people.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask import Flask

from tests.helpers import ECEC_STEPS, LIISA_STEPS, sign_in
from tests.web.test_answers_tabs import _Forms, send, step_form
from tests.web.test_own_space import EELI, person_id

HELMI = "child:child-2676b134-c69e-49b3-9fe8-6481e7029fc0"
LIISAS_COMPANY = "company:3287466-9"

# Every answer of Aino's ECEC journey as her details give it (the steps the profile does not answer as in
# tests/helpers.py), so that one changed answer is the only difference.
AINO_ECEC = {
    "child": {
        "child_birth_date-day": "14",
        "child_birth_date-month": "9",
        "child_birth_date-year": "2024",
        **{k: v for k, v in ECEC_STEPS["child"].items() if k.startswith("start_date")},
    },
    "care": ECEC_STEPS["care"],
    "places": {
        "home-street_address": "Kerttulankatu 12 C 7",
        "home-postal_code": "21200",
        "work-street_address": "Joukahaisenkatu 3",
        "work-postal_code": "20520",
    },
    "family": {**ECEC_STEPS["family"], "family_size": "4"},
    "providers": ECEC_STEPS["providers"],
}
LIISA_BUSINESS = {**LIISA_STEPS, "founder": {**LIISA_STEPS["founder"], "company_form": "toiminimi"}}


@dataclass(frozen=True)
class Source:
    person: str
    event: str
    subject: str
    other_subject: str  # a subject the same answers must not carry over to
    step: str
    question: str
    label: str  # the source's label (configurator/profile.py)
    choice_label: str  # its option on a choice, before the answer
    changed: dict[str, str]  # the step's fields changed by the person
    typed_text: str  # how the changed answer reads in the choice
    registered_text: str  # how the registered answer reads
    answers: dict = field(default_factory=dict)

    def path(self, lang: str = "en") -> str:
        return f"/{lang}/events/{self.event}/steps/{self.step}"


SOURCES = {
    "home_address": Source(
        "Aino",
        "ecec",
        EELI,
        HELMI,
        "places",
        "home",
        "From your address in the population register",
        "(from the population register)",
        {"home-street_address": "", "home-postal_code": "20100"},
        "Keep 20100 Turku (entered before you signed in)",
        "Use Kerttulankatu 12 C 7, 21200 Raisio (from the population register)",
        AINO_ECEC,
    ),
    "workplace_address": Source(
        "Aino",
        "ecec",
        EELI,
        HELMI,
        "places",
        "work",
        "From your profile",
        "(from your profile)",
        {"work-street_address": "Yliopistonkatu 25", "work-postal_code": "20100"},
        "Keep Yliopistonkatu 25, 20100 Turku (entered before you signed in)",
        "Use Joukahaisenkatu 3, 20520 Turku (from your profile)",
        AINO_ECEC,
    ),
    "child_birth_date": Source(
        "Aino",
        "ecec",
        EELI,
        HELMI,
        "child",
        "child_birth_date",
        "From the details of the child you act for",
        "(from the details of the child you act for)",
        {"child_birth_date-day": "15", "child_birth_date-month": "3", "child_birth_date-year": "2025"},
        "Keep {2025-03-15} (entered before you signed in)",
        "Use {2024-09-14} (from the details of the child you act for)",
        AINO_ECEC,
    ),
    "household_size": Source(
        "Aino",
        "ecec",
        EELI,
        HELMI,
        "family",
        "family_size",
        "From your household in the population register",
        "(from the population register)",
        {"family_size": "3"},
        "Keep 3 (entered before you signed in)",
        "Use 4 (from the population register)",
        AINO_ECEC,
    ),
    "company_form": Source(
        "Liisa",
        "business",
        LIISAS_COMPANY,
        "self",
        "founder",
        "company_form",
        "From the Trade Register details of the company you act for",
        "(from the Trade Register)",
        {"company_form": "help"},
        "Keep Help me choose (entered before you signed in)",
        "Use Sole trader (toiminimi) (from the Trade Register)",
        LIISA_BUSINESS,
    ),
}


def shown(app: Flask, text: str) -> str:
    """An expected text with its {YYYY-MM-DD} dates as the English pages write them (the app's long format)."""
    from flask_babel import force_locale, format_date

    with app.test_request_context("/en/"), force_locale("en_GB"):
        return re.sub(r"\{(\d{4}-\d\d-\d\d)\}", lambda m: format_date(date.fromisoformat(m[1]), format="long"), text)


def answer_all(client, source: Source, changed: bool = False) -> None:
    for step, data in source.answers.items():
        data = {**data, **(source.changed if changed and step == source.step else {})}
        response = client.post(f"/en/events/{source.event}/steps/{step}", data=data)
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:1500])


def begin(client, source: Source, subject: str | None = None):
    return client.post(f"/en/events/{source.event}/begin", data={"acting_for": subject or source.subject})


def note(page: str, source: Source) -> str | None:
    found = re.search(rf'id="{source.question}-prefilled">([^<]*)<', page)
    return found[1] if found else None


def check_label(client, source: Source) -> bool:
    return source.label in client.get(f"/en/events/{source.event}/check").get_data(as_text=True)


@pytest.fixture()
def signed_in(app: Flask, csrf_off_client):
    def as_person(name: str):
        sign_in(csrf_off_client, person_id(app, name))
        return csrf_off_client

    return as_person


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_unchanged_is_labelled(signed_in, name) -> None:
    source = SOURCES[name]
    client = signed_in(source.person)
    begin(client, source)
    page = client.get(source.path()).get_data(as_text=True)
    assert note(page, source) == f"{source.label}. Check it and change it if needed."
    answer_all(client, source)  # sent on unchanged
    assert note(client.get(source.path()).get_data(as_text=True), source)
    assert check_label(client, source)


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_changed_by_the_person_is_not_labelled(signed_in, name) -> None:
    source = SOURCES[name]
    client = signed_in(source.person)
    begin(client, source)
    answer_all(client, source, changed=True)
    assert note(client.get(source.path()).get_data(as_text=True), source) is None
    assert not check_label(client, source)
    # Changed back to what the details say: it is their answer again.
    answer_all(client, source)
    assert note(client.get(source.path()).get_data(as_text=True), source)


@pytest.mark.parametrize("pick", ["saved", "other"])
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_typed_before_sign_in_and_different_shows_both_and_waits_for_a_choice(app, csrf_off_client, name, pick) -> None:
    source = SOURCES[name]
    client = csrf_off_client
    answer_all(client, source, changed=True)  # anonymous
    sign_in(client, person_id(app, source.person))
    assert "The answers you gave before signing in are used" in client.get(f"/en/events/{source.event}/").get_data(
        as_text=True
    )
    assert begin(client, source).headers["Location"].endswith(source.path())
    page = client.get(source.path()).get_data(as_text=True)
    assert shown(app, source.registered_text) in page and shown(app, source.typed_text) in page, (
        "both answers are shown"
    )
    assert "You gave a different answer before you signed in" in page
    assert note(page, source) is None and 'class="error-summary"' not in page
    form = step_form(client, source.path())
    assert not any(name in form for name in source.changed), "asked as a choice, not as a text box"
    # The plan waits for the choice; the check page says so.
    assert client.get(f"/en/events/{source.event}/plan").headers["Location"].endswith(source.path())
    assert "Select which answer to use" in client.get(f"/en/events/{source.event}/check").get_data(as_text=True)
    # Sent without a choice: an error, nothing decided.
    response = send(client, source.path(), form)
    assert response.status_code == 200
    assert f'href="#{source.question}-choice"' in response.get_data(as_text=True)
    assert "Select which answer to use" in response.get_data(as_text=True)
    assert send(client, source.path(), form, **{f"{source.question}-choice": pick}).status_code == 302
    after = step_form(client, source.path())
    chosen = source.answers[source.step] if pick == "saved" else source.changed
    for name_, value in chosen.items():
        if value:
            assert [v.lstrip("0") for v in after[name_]] == [value.lstrip("0")], name_
    if pick == "saved":  # the registered answer, whole: its street never goes with the typed postal code
        assert note(client.get(source.path()).get_data(as_text=True), source)
    else:
        assert note(client.get(source.path()).get_data(as_text=True), source) is None
        assert all(
            not v
            for n, vs in after.items()
            if n.startswith(source.question + "-") and n not in source.changed
            for v in vs
        ) or source.question not in ("home", "work"), "nothing of the registered answer mixed in"
    assert client.get(f"/en/events/{source.event}/plan").status_code == 200


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_typed_before_sign_in_and_the_same_is_simply_labelled(app, csrf_off_client, name) -> None:
    source = SOURCES[name]
    answer_all(csrf_off_client, source)
    sign_in(csrf_off_client, person_id(app, source.person))
    assert begin(csrf_off_client, source).headers["Location"].endswith(f"/en/events/{source.event}/check")
    assert check_label(csrf_off_client, source)
    assert csrf_off_client.get(f"/en/events/{source.event}/plan").status_code == 200


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_switching_subject_carries_nothing_over(signed_in, name) -> None:
    source = SOURCES[name]
    client = signed_in(source.person)
    begin(client, source)
    answer_all(client, source, changed=True)  # given for the first subject
    begin(client, source, source.other_subject)
    page = client.get(source.path()).get_data(as_text=True)
    form = step_form(client, source.path())
    for name_, value in source.changed.items():
        if value:
            assert form.get(name_, [""]) != [value], f"{name_} given for the other subject came along"
    if name in ("child_birth_date", "company_form"):  # the other subject's own details, or nothing
        if name == "child_birth_date":
            assert note(page, source) == f"{source.label}. Check it and change it if needed."
            assert form["child_birth_date-day"] == ["02"] and form["child_birth_date-year"] == ["2026"]
        else:
            assert note(page, source) is None and "company_form" not in form
    else:  # the person's own details again
        assert note(page, source) == f"{source.label}. Check it and change it if needed."
    # Nothing else given for the first subject came along either.
    other_step = "care" if source.event == "ecec" else "money"
    assert not any(
        v
        for n, vs in step_form(client, f"/en/events/{source.event}/steps/{other_step}").items()
        if n not in ("csrf_token", "answers_version")
        for v in vs
    )
    # And back to the first subject: their plan as it was left.
    begin(client, source)
    assert note(client.get(source.path()).get_data(as_text=True), source) is None
    assert all(step_form(client, source.path())[n] == [v] for n, v in source.changed.items() if v)


def test_helmis_plan_never_shows_the_birth_date_typed_for_eeli_with_a_label(app, csrf_off_client) -> None:
    """The issue's case: Eeli's birth date typed before signing in, then Helmi chosen on the start page."""
    csrf_off_client.post("/en/events/ecec/steps/child", data=AINO_ECEC["child"])  # Eeli's date, typed
    sign_in(csrf_off_client, person_id(app, "Aino"))
    begin(csrf_off_client, SOURCES["child_birth_date"], HELMI)
    page = csrf_off_client.get("/en/events/ecec/steps/child").get_data(as_text=True)
    assert "From the details of the child you act for. Check" not in page
    assert shown(app, "Use {2026-06-02} (from the details of the child you act for)") in page
    assert shown(app, "Keep {2024-09-14} (entered before you signed in)") in page


def test_the_choice_page_in_every_language(app, csrf_off_client) -> None:
    source = SOURCES["home_address"]
    answer_all(csrf_off_client, source, changed=True)
    sign_in(csrf_off_client, person_id(app, "Aino"))
    begin(csrf_off_client, source)
    for lang in ("fi", "sv", "en"):
        response = csrf_off_client.get(source.path(lang))
        assert response.status_code == 200
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        assert any("home-choice-kind" in fields for _, fields in parser.forms)


def test_a_choice_not_made_waits_for_the_child_it_was_offered_for(app, csrf_off_client) -> None:
    source = SOURCES["child_birth_date"]
    csrf_off_client.post("/en/events/ecec/steps/child", data={**AINO_ECEC["child"], **source.changed})
    sign_in(csrf_off_client, person_id(app, "Aino"))
    begin(csrf_off_client, source)  # Eeli: which birth date?
    assert "child_birth_date-choice-kind" in step_form(csrf_off_client, source.path())
    begin(csrf_off_client, source, HELMI)  # Helmi: her own birth date, nothing to choose
    helmi = step_form(csrf_off_client, source.path())
    assert "child_birth_date-choice-kind" not in helmi and helmi["child_birth_date-day"] == ["02"]
    begin(csrf_off_client, source)  # back to Eeli: the choice is still there
    assert "child_birth_date-choice-kind" in step_form(csrf_off_client, source.path())
