"""axe-core on the "too long" page (413, issue 13): reached as a person would, by sending a step's form with
more than the 64 KiB limit in one field, in Finnish, Swedish and English.

The field is set with Playwright's fill (no keystrokes: 70 000 of them would take minutes), then the form is
sent with its own button. Zero violations, with no exclusions, as for every page of the manifest.
"""

from __future__ import annotations

import pytest

from portal.limits import DEFAULT_MAX_REQUEST_BYTES

from .axe_support import LANGUAGES, PlaywrightBrowser, run_axe_playwright

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_too_long_page_passes_axe(new_page, live_server, lang: str) -> None:
    page = new_page(lang, js=True)
    browser = PlaywrightBrowser(page, live_server.url, lang)
    browser.goto(f"/{lang}/events/ecec/steps/child")
    browser.type_text("child_birth_date-day", "1" * (DEFAULT_MAX_REQUEST_BYTES + 1024))
    browser.submit("main form")
    assert browser.status == 413
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("main h1").count() == 1
    results = run_axe_playwright(page)
    assert results["violations"] == [], [v["id"] for v in results["violations"]]
