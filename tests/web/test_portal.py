"""The web layer: languages, security headers, CSRF, the journey's pages, errors and the plan."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import build_app
from tests.helpers import ECEC_STEPS, complete_ecec


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    "header, target",
    [
        ("sv-FI,sv;q=0.9,en;q=0.5", "/sv/"),
        ("en-GB,en;q=0.8", "/en/"),
        ("de-DE", "/fi/"),
        ("fi", "/fi/"),
    ],
)
def test_root_negotiates_language(client, header: str, target: str) -> None:
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 302 and response.location.endswith(target)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_pages_have_lang_title_and_switcher(client, lang: str) -> None:
    page = text(client.get(f"/{lang}/events/ecec/steps/child"))
    assert f'<html lang="{lang}">' in page
    assert re.search(r"<title>[^<]+ – Polku</title>", page)
    for other in {"fi", "sv", "en"} - {lang}:
        assert f'href="/{other}/events/ecec/steps/child" lang="{other}" hreflang="{other}"' in page


def test_security_headers_and_no_inline_code(client) -> None:
    response = client.get("/en/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    page = text(response)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and " style=" not in page and " onclick=" not in page


def test_session_cookie_is_secure_by_default(tmp_path) -> None:
    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "x"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_post_without_csrf_token_is_refused(client) -> None:
    response = client.post("/en/events/ecec/steps/child", data=ECEC_STEPS["child"])
    assert response.status_code == 400 and "session has expired" in text(response)


def test_post_with_csrf_token_is_accepted(client) -> None:
    page = text(client.get("/en/events/ecec/steps/child"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/en/events/ecec/steps/child", data={**ECEC_STEPS["child"], "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/en/events/ecec/steps/care")


def test_errors_use_the_error_summary_and_keep_the_input(csrf_off_client) -> None:
    response = csrf_off_client.post(
        "/en/events/ecec/steps/child",
        data={"child_birth_date-day": "31", "child_birth_date-month": "2", "child_birth_date-year": "2025"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page and 'class="error-summary"' in page
    assert '<a href="#child_birth_date-day">Enter a real date' in page
    assert '<a href="#start_date-day">Enter the date care should start</a>' in page
    day = BeautifulSoup(page, "html.parser").find("input", id="child_birth_date-day")
    assert day is not None and day["value"] == "31" and day["name"] == "child_birth_date-day"
    assert day["inputmode"] == "numeric" and day["aria-invalid"] == "true"
    assert 'aria-invalid="true"' in page and 'aria-describedby="child_birth_date-hint child_birth_date-error"' in page


def test_step_shows_position_and_back_link(csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    page = text(csrf_off_client.get("/en/events/ecec/steps/places"))
    assert "Step 3 of 5" in page
    assert 'class="back-link" href="/en/events/ecec/steps/care"' in page
    assert 'value="20100"' in page  # the answer is kept


def test_language_switch_keeps_answers(csrf_off_client) -> None:
    complete_ecec(csrf_off_client, "en")
    page = text(csrf_off_client.get("/sv/events/ecec/steps/family"))
    assert 'value="6000"' in page and '<html lang="sv">' in page


def test_check_page_change_link_returns_to_check(csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    page = text(csrf_off_client.get("/en/events/ecec/check"))
    assert 'href="/en/events/ecec/steps/care?change=1#hours_per_week"' in page
    response = csrf_off_client.post(
        "/en/events/ecec/steps/care?change=1", data={**ECEC_STEPS["care"], "hours_per_week": "20"}
    )
    assert response.location.endswith("/en/events/ecec/check")
    page = text(csrf_off_client.get("/en/events/ecec/check"))
    assert "20" in page and "6,000" in page  # the other answers are kept


def test_plan_needs_complete_answers(csrf_off_client) -> None:
    assert csrf_off_client.get("/en/events/ecec/plan").location.endswith("/en/events/ecec/")
    csrf_off_client.post("/en/events/ecec/steps/child", data=ECEC_STEPS["child"])
    assert csrf_off_client.get("/en/events/ecec/plan").location.endswith("/en/events/ecec/steps/care")


def test_plan_shows_checklist_and_comparison(csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    page = text(csrf_off_client.get("/en/events/ecec/plan"))
    assert 'id="task-apply_for_ecec"' in page and '<time datetime="2027-04-12">' in page
    assert 'id="task-apply_for_voucher"' in page  # considering private care
    rows = re.findall(r'<li class="option[^"]*" id="unit-(\d+)">', page)
    assert len(rows) >= 10
    assert "How this is calculated" in page
    # start 12.8.2027: the limits of 1.8.2026 are published, so the fee is no estimate; the deadline is met
    assert "Estimate" not in page and "Apply by" in page


def test_plan_filters_without_javascript(csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    all_rows = re.findall(
        r'<li class="option[^"]*" id="unit-(\d+)">', text(csrf_off_client.get("/en/events/ecec/plan"))
    )
    swedish = re.findall(
        r'<li class="option[^"]*" id="unit-(\d+)">', text(csrf_off_client.get("/en/events/ecec/plan?language=sv"))
    )
    assert 0 < len(swedish) < len(all_rows)
    empty = text(
        csrf_off_client.get("/en/events/ecec/plan?language=en&care_type=family_day_care&provider=purchased&max_km=1")
    )
    assert "No units match your filters" in empty


def test_live_preview_fragment(csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    fragment = text(csrf_off_client.post("/en/events/ecec/preview", data={"income": "20000"}))
    assert "data-preview-region" in fragment and "a month" in fragment
    # nothing was saved by the preview
    assert 'value="6000"' in text(csrf_off_client.get("/en/events/ecec/steps/family"))


def test_restart_clears_answers(csrf_off_client) -> None:
    complete_ecec(csrf_off_client)
    csrf_off_client.post("/en/events/ecec/restart")
    assert 'value="6000"' not in text(csrf_off_client.get("/en/events/ecec/steps/family"))


@pytest.mark.parametrize(
    "path",
    [
        "/en/events/nope/",
        "/en/events/ecec/steps/nope",
        "/xx/",
        "/vendor/axe-core/axe.min.js",
        "/vendor/leaflet/../../package.json",
    ],
)
def test_unknown_paths_are_404(client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_leaflet_is_served_from_node_modules(client) -> None:
    response = client.get("/vendor/leaflet/leaflet.js")
    assert response.status_code == 200 and b"Leaflet" in response.data[:400]


@pytest.mark.parametrize(
    ("lang", "draft", "not_checked"),
    [
        ("fi", "Luonnos", "Kontrasti (minimi)"),
        ("sv", "Utkast", "Kontrast (minimum)"),
        ("en", "Draft", "Contrast (Minimum)"),
    ],
)
def test_accessibility_statement_page_shows_the_generated_draft(tmp_path, lang, draft, not_checked) -> None:
    """The page renders the statement file: its open items, method and the draft notice, translated."""
    from portal.pages.accessibility_statement import generate, write

    summary = {
        "generated_at": "2026-11-20T09:00:00+00:00",
        "tags": ["wcag2a", "wcag22aa"],
        "tools": {"axe-core": "4.14.1"},
        "totals": {"runs": 7, "states": 3, "violations": 2, "incomplete": 0, "pages": ["home"]},
        "rules": {
            "label": {
                "id": "label",
                "wcag": ["4.1.2"],
                "violations": 2,
                "incomplete": 0,
                "violation_runs": ["playwright/fi/home-empty"],
                "incomplete_runs": [],
            }
        },
    }
    path = tmp_path / "statement.yaml"
    write(generate(summary, [{"criterion": "1.4.3", "status": "not_tested"}]), path)
    app = build_app(f"sqlite:///{tmp_path / 'db.sqlite'}", ACCESSIBILITY_STATEMENT=str(path))
    page = text(app.test_client().get(f"/{lang}/accessibility"))
    assert draft in page and not_checked in page and "4.1.2" in page and "4.14.1" in page
    assert "Traficom" in page
