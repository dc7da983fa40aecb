"""Answers for complete journeys, shared by the web, API and browser tests, and signing in a test client."""

from __future__ import annotations

import re
from html import unescape


def sign_in(client, person_id: int) -> None:
    """Sign a Flask test client in as this person (what the OIDC callback stores; the protocol has its own tests)."""
    with client.session_transaction() as session:
        session["person_id"] = person_id


ECEC_STEPS: dict[str, dict[str, str]] = {
    "child": {
        "child_birth_date-day": "15",
        "child_birth_date-month": "3",
        "child_birth_date-year": "2025",
        "start_date-day": "12",
        "start_date-month": "8",
        "start_date-year": "2027",
    },
    "care": {"hours_per_week": "30", "care_language": "fi", "shift_care": "no", "sudden_need": "no"},
    "places": {"home-postal_code": "20100", "work-postal_code": "20520"},
    "family": {"family_size": "3", "income": "6000", "other_children_in_ecec": "0"},
    "providers": {"consider_private": "yes"},
}


def complete_ecec(client, lang: str = "en", **changes: dict[str, str]) -> None:
    """Post every step of the ECEC journey (with optional per-step changes)."""
    for step, data in ECEC_STEPS.items():
        response = client.post(f"/{lang}/events/ecec/steps/{step}", data={**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])


# Liisa (seed story 2): an organic farm with a farm shop, an organic restaurant serving wine and a petting
# zoo with goats and sheep, in Lieto; alone, help choosing the form, starting on 1 March 2027.
LIISA_STEPS: dict[str, dict[str, str | list[str]]] = {
    "idea": {
        "industries": ["food_service", "food_retail", "farming", "animals"],
        "organic": "yes",
        "animal_origin": "no",
        "alcohol": "yes",
    },
    "founder": {"full_time": "yes", "unemployed": "no", "partners": "alone", "company_form": "help"},
    "money": {"turnover": "85000", "work_income": "24000", "employees": "1"},
    "premises": {"premises-postal_code": "21420"},
    "start": {"start_date-day": "1", "start_date-month": "3", "start_date-year": "2027"},
}


def complete_business(client, lang: str = "en", **changes: dict[str, str]) -> None:
    """Post every step of Liisa's business journey (with optional per-step changes)."""
    for step, data in LIISA_STEPS.items():
        response = client.post(f"/{lang}/events/business/steps/{step}", data={**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])


# Matti (seed story 1): 35, his company went bankrupt, home and car lost, now renting in Turku; not in an
# unemployment fund; wants help with debts and with coping. First day without work 1 December 2026.
MATTI_STEPS: dict[str, dict[str, str | list[str]]] = {
    "situation": {"reason": "business_ended", "first_day-day": "1", "first_day-month": "12", "first_day-year": "2026"},
    "work": {"fund_member": "no", "work_years": "12", "monthly_wage": "", "age": "35"},
    "home": {"housing": "renting", "home-postal_code": "20100"},
    "support": {"needs": ["debts", "coping"]},
}


def complete_unemployment(client, lang: str = "en", **changes: dict[str, str]) -> None:
    """Post every step of Matti's journey (with optional per-step changes)."""
    for step, data in MATTI_STEPS.items():
        response = client.post(f"/{lang}/events/unemployment/steps/{step}", data={**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])


# Sirkka (seed story 3): moves from Helsinki to Kaarina on 16 November 2026, renting, works in Turku, with a
# dog; privately, a long-term illness (type 2 diabetes) whose care continues and prescriptions to renew.
SIRKKA_STEPS: dict[str, dict[str, str | list[str]]] = {
    "move": {
        "from_home-postal_code": "00100",
        "home-postal_code": "20780",
        "moving_date-day": "16",
        "moving_date-month": "11",
        "moving_date-year": "2026",
    },
    "household": {"household": ["dog"], "housing": "renting", "occupation": "working", "work-postal_code": "20100"},
    "health": {"care": ["condition", "prescriptions"]},
}


def complete_moving(client, lang: str = "en", **changes: dict[str, str]) -> None:
    """Post every step of Sirkka's moving journey (with optional per-step changes)."""
    for step, data in SIRKKA_STEPS.items():
        response = client.post(f"/{lang}/events/moving/steps/{step}", data={**data, **changes.get(step, {})})
        assert response.status_code == 302, (step, response.get_data(as_text=True)[:2000])


def translated(app, lang: str, msgid: str, **values: object) -> str:
    """A message as the app shows it in ``lang`` (tests hold before and after a translation pass)."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(f"/{lang}/"), force_locale(lang):
        return gettext(msgid, **values)


_COUNTING_LINK = re.compile(r'href="(/(?:fi|sv|en)/go/[^"]+)"')


def with_link_targets(client, html: str) -> str:
    """The page with each counting link of a task (``/<lang>/go/...``, portal/metrics) replaced by the address it
    leads to, so a test reads which site a task links to as a person arriving there would (following the link
    counts one click, as the person's would)."""

    def target(found: re.Match[str]) -> str:
        response = client.get(unescape(found.group(1)))
        assert response.status_code == 302, (found.group(1), response.status_code)
        return f'href="{response.headers["Location"]}"'

    return _COUNTING_LINK.sub(target, html)
