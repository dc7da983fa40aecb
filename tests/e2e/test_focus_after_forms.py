"""After a form that comes back to the same page, the person lands where its answer is, not at the top
(issue 12, item 8): the ECEC filters (a GET form, no JavaScript needed) land at the results count, the quick
feedback at its thanks. The address carries the fragment, the element has tabindex="-1", so the browser both
scrolls to it and focuses it: a screen reader reads it and the next Tab goes on from there.

Checked in Chromium with JavaScript on and off, at a desktop and at a 320 px phone width. Answers:
tests/helpers.py (ECEC_STEPS).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.journeys import JS, start_journey

pytestmark = pytest.mark.browser

PLAN = "/{lang}/events/ecec/plan"
WIDTHS = [
    pytest.param({"width": 1280, "height": 800}, id="desktop"),
    pytest.param({"width": 320, "height": 640}, id="320px"),
]

WHERE = """(id) => {
  const el = document.getElementById(id);
  const box = el.getBoundingClientRect();
  const active = document.activeElement;
  return {
    active: active === document.body ? 'body' : (active.id || active.tagName.toLowerCase()),
    inside: active !== document.body && el.contains(active),
    top: box.top, bottom: box.bottom, height: window.innerHeight, scrolled: window.scrollY,
  };
}"""


def landed_at(page: Any, element_id: str) -> dict[str, Any]:
    """Where the page stands after loading: the focused element and the target's place in the window."""
    page.wait_for_function(
        "(id) => document.activeElement && document.activeElement.id === id", arg=element_id, timeout=5000
    )
    return page.evaluate(WHERE, element_id)


def assert_in_view(where: dict[str, Any], what: str) -> None:
    assert where["active"] != "body", f"focus stayed on <body> after {what}"
    assert where["scrolled"] > 0, f"the page stayed at the top after {what}"
    assert -1 <= where["top"] < where["height"], f"{what}: the target is not in the window ({where})"


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize("js", JS)
def test_filtering_lands_at_the_results(new_page, live_server, js: bool, viewport: dict[str, int]) -> None:
    page, browser = start_journey(new_page, live_server, "fi", js)
    page.set_viewport_size(viewport)
    browser.answer("all")
    browser.goto(PLAN.format(lang="fi"))
    browser.choose("room", "1")  # "Only units with a free place"
    browser.select("sort", "cost")
    browser.navigate_by(".filters [type=submit]")

    assert page.url.endswith("#results-count"), page.url
    assert "room=1" in page.url and "sort=cost" in page.url
    where = landed_at(page, "results-count")
    assert where["active"] == "results-count"
    assert_in_view(where, "filtering")
    # The next Tab goes on from the results, not from the skip link at the top.
    page.keyboard.press("Tab")
    after_tab = page.evaluate(
        "() => document.activeElement.closest('header, .skip-link') === null"
        " && document.activeElement.compareDocumentPosition("
        "document.getElementById('results-count')) === Node.DOCUMENT_POSITION_PRECEDING"
    )
    assert after_tab, "Tab after filtering went back to the top of the page"


@pytest.mark.parametrize("viewport", WIDTHS)
@pytest.mark.parametrize("js", JS)
def test_sending_quick_feedback_lands_at_the_thanks(
    new_page, live_server, localized, js: bool, viewport: dict[str, int]
) -> None:
    page, browser = start_journey(new_page, live_server, "en", js)
    page.set_viewport_size(viewport)
    browser.answer("all")
    browser.goto(PLAN.format(lang="en"))
    browser.choose("rating", "4")
    browser.navigate_by("#feedback [type=submit]")

    assert page.url.endswith("?feedback=thanks#feedback"), page.url
    where = landed_at(page, "feedback")
    assert where["active"] == "feedback"
    assert_in_view(where, "sending feedback")
    thanks = page.locator("#feedback-title")
    assert thanks.inner_text() == localized.text("en", "Thank you for your feedback")
    box = thanks.bounding_box()
    assert box is not None and -1 <= box["y"] < viewport["height"], box
