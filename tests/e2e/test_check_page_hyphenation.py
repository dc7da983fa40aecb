"""The check page of every life event in Finnish at 320 px (issue 12, item 8): no sideways scrolling, and the
answers and their questions wrap long compounds by the language's hyphenation (the page says lang="fi"), with
"overflow-wrap: break-word" only as the fallback, not at any letter ("anywhere"). Chromium with JavaScript on
and off; answers: tests/helpers.py."""

from __future__ import annotations

import pytest

from tests.accessibility.axe_support import PlaywrightBrowser
from tests.accessibility.conftest import new_page, pw_browser  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}

MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const cells = [...document.querySelectorAll('.summary-list__key, .summary-list__value')];
  const wide = [...document.querySelectorAll('main *')]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 0.5
                    && !el.closest('.visually-hidden'))
    .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
                 + ': ' + Math.round(el.getBoundingClientRect().right));
  return {
    width, document: document.scrollingElement.scrollWidth, wide: wide.slice(0, 10), rows: cells.length,
    lang: document.documentElement.lang,
    styles: [...new Set(cells.map((el) => getComputedStyle(el).hyphens + ' ' + getComputedStyle(el).overflowWrap))],
  };
}"""


@pytest.mark.parametrize("js", [pytest.param(True, id="js"), pytest.param(False, id="nojs")])
@pytest.mark.parametrize("event", ["ecec", "business", "unemployment", "moving"])
def test_the_check_page_fits_320_px_in_finnish(new_page, live_server, event: str, js: bool) -> None:  # noqa: F811
    page = new_page("fi", js=js, viewport=PHONE)
    browser = PlaywrightBrowser(page, live_server.url, "fi", event=event)
    browser.answer("all")
    browser.goto(f"/fi/events/{event}/check")
    assert browser.status == 200
    result = page.evaluate(MEASURE)
    assert result["lang"] == "fi"
    assert result["rows"] > 0, "no answers on the check page"
    assert result["document"] <= result["width"], f"the page scrolls sideways: {result}"
    assert not result["wide"], f"parts wider than the window: {result['wide']}"
    assert result["styles"] == ["auto break-word"], result["styles"]
