"""What the end-to-end journeys of every life event share: opening a journey, answering the step that is
open, reading the check page, and reaching the map picker with the keyboard."""
from __future__ import annotations

from typing import Any, Mapping
from urllib.parse import urlsplit

import pytest

from tests.accessibility.axe_support import PlaywrightBrowser

LANGS = ("fi", "sv", "en")
JS = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]
OTHER_LANGUAGE = {"fi": "sv", "sv": "en", "en": "fi"}


def path_of(page: Any) -> str:
    return urlsplit(page.url).path


def assert_lang(page: Any, lang: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang, page.url


def start_journey(new_page: Any, live_server: Any, lang: str, js: bool, event: str | None = None):
    """A fresh browser page in ``lang`` and the manifest's browser driver for ``event`` (default: ECEC)."""
    page = new_page(lang, js=js)
    return page, PlaywrightBrowser(page, live_server.url, lang, event=event)


def answer_step_here(browser: PlaywrightBrowser, step: str, answers: Mapping[str, Any]) -> None:
    """Answer the step page that is open now (a question revealed by an earlier answer of the same step is
    answered after it appears), press its button and expect no error summary."""
    assert path_of(browser.page).endswith(f"/steps/{step}"), browser.page.url
    browser.answer_step_here(step, dict(answers))
    assert browser.page.locator(".error-summary").count() == 0


def summary_value(page: Any, question_id: str) -> str:
    """The answer shown on the check page for a question (found through its Change link)."""
    row = page.locator(".summary-list__row").filter(has=page.locator(f"a[href$='#{question_id}']"))
    return row.locator(".summary-list__value").inner_text().strip()


def visible_map_picker(page: Any) -> Any:
    """The step's map picker once polku.js has shown it (the test is skipped while the script is missing)."""
    picker = page.locator("[data-map-picker]").first
    try:
        page.wait_for_function("() => { const p = document.querySelector('[data-map-picker]');"
                               " return p && !p.hidden && p.querySelector('.leaflet-container'); }", timeout=5000)
    except Exception:  # noqa: BLE001
        pytest.skip("the map picker JavaScript is not ready yet (the picker stays hidden)")
    assert picker.is_visible()
    return picker


def tab_to_map(page: Any, question_id: str) -> None:
    """From the postal code field of a location question, Tab on until the map has the focus."""
    assert page.locator(f"#{question_id}-lat").input_value() == ""
    page.locator(f"#{question_id}-postal_code").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == f"{question_id}-map":
            break
    assert page.evaluate("() => document.activeElement.id") == f"{question_id}-map", "the map is not reached with Tab"
