"""Answers for a complete ECEC journey, shared by the web, API and browser tests."""
from __future__ import annotations

ECEC_STEPS: dict[str, dict[str, str]] = {
    "child": {"child_birth_date-day": "15", "child_birth_date-month": "3", "child_birth_date-year": "2025",
              "start_date-day": "12", "start_date-month": "8", "start_date-year": "2027"},
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
