"""Coverage said plainly (issue 12, item 6), with JavaScript, in Chromium: the places step's map picker chosen by
keyboard alone (Tab to the map, arrows and +/- to move it, Enter to choose its centre, as tests/e2e/journeys.py
does), then Continue.

- A point near Helsinki without a postal code: the point is kept, only the postal code is asked for (never
  "the home is missing"); with 00100 typed the journey goes on and the next page says once that Helsinki is
  outside the demo's area. The page with the question passes axe.
- A point in Turku: the status says a point is chosen, in words (never coordinates), the check page names its
  postal area.
- The results map: home and workplace markers of their own shapes, named in a text legend (item 8).
"""

from __future__ import annotations

import re

import pytest

from tests.accessibility.axe_support import PlaywrightBrowser, polku_js_ready, run_axe_playwright
from tests.accessibility.conftest import new_page, pw_browser  # noqa: F401 - shared fixtures
from tests.e2e.journeys import path_of, tab_to_map, visible_map_picker
from tests.helpers import translated

pytestmark = pytest.mark.browser


def open_places_step(new_page, live_server, lang: str):  # noqa: F811
    assert polku_js_ready(live_server.url), "static/js/polku.js is not served: the map picker cannot work"
    page = new_page(lang, js=True)
    browser = PlaywrightBrowser(page, live_server.url, lang, event="ecec")
    browser.answer(["child", "care"])
    browser.goto(f"/{lang}/events/ecec/steps/places")
    visible_map_picker(page)
    return page, browser


def press(page, key: str, times: int) -> None:
    """Press a key on the focused map, waiting out Leaflet's pan animation (a key pressed during one is ignored)."""
    for _ in range(times):
        page.keyboard.press(key)
        page.wait_for_timeout(400)


def choose_centre(page, question: str) -> tuple[float, float]:
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#{question}-lat').value !== ''")
    return float(page.locator(f"#{question}-lat").input_value()), float(page.locator(f"#{question}-lon").input_value())


def status_text(page, question: str) -> str:
    return page.locator(f"#{question}-map-status").inner_text().strip()


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_point_near_helsinki_chosen_by_keyboard_asks_only_for_the_postal_code_then_goes_on(
    new_page, live_server, app, lang
):  # noqa: F811
    page, browser = open_places_step(new_page, live_server, lang)
    tab_to_map(page, "home")
    # The picker opens on Turku (60.45 N 22.27 E) at zoom 12. Zoom out to 8 (182 px a degree of longitude), then
    # pan east 2 x 240 px (Shift+arrow: ~2.6 degrees) and south 80 px (~0.2 degrees at 60 N): near Helsinki.
    press(page, "Minus", 4)
    press(page, "Shift+ArrowRight", 2)
    press(page, "ArrowDown", 1)
    lat, lon = choose_centre(page, "home")
    assert 59.9 < lat < 60.5 and 24.3 < lon < 25.6, (lat, lon)
    status = status_text(page, "home")
    assert status == translated(app, lang, "A point on the map is chosen.")
    assert not re.search(r"\d", status), "raw coordinates are never shown as the chosen place"
    browser.submit("main form")
    # The point is accepted; the municipality is what the map cannot tell: only the postal code is asked for.
    assert path_of(page).endswith("/steps/places")
    message = translated(
        app, lang, "Enter the postal code as well: the point on the map does not tell which municipality it is in"
    )
    assert page.locator(".error-summary a[href='#home-postal_code']").inner_text().strip() == message
    assert float(page.locator("#home-lat").input_value()) == lat  # the point is kept
    violations = run_axe_playwright(page)["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    # Type the postal code and continue: the next page says once that Helsinki is outside the demo's area.
    browser.fill({"home-postal_code": "00100"})
    browser.submit("main form")
    assert path_of(page).endswith("/steps/family"), page.url
    assert page.locator(".error-summary").count() == 0
    banner = page.locator(".notification-banner[role=region]")
    helsinki = "Helsinki" if lang != "sv" else "Helsingfors"
    assert (
        banner.count() == 1
        and translated(app, lang, "%(municipality)s is outside the area of this demo", municipality=helsinki)
        in banner.inner_text()
    )
    violations = run_axe_playwright(page)["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def test_a_point_in_turku_is_named_by_its_postal_area(new_page, live_server, app):  # noqa: F811
    page, browser = open_places_step(new_page, live_server, "en")
    tab_to_map(page, "home")
    lat, lon = choose_centre(page, "home")  # the picker's centre: Turku market square
    assert 60.3 < lat < 60.6 and 22.0 < lon < 22.5, (lat, lon)
    assert status_text(page, "home") == "A point on the map is chosen."
    browser.fill({"home-postal_code": "", "work-postal_code": ""})
    browser.submit("main form")
    assert path_of(page).endswith("/steps/family") and page.locator(".notification-banner").count() == 0
    browser.goto("/en/events/ecec/check")
    home = page.locator(".summary-list__row").filter(has=page.locator("a[href$='#home']"))
    assert home.locator(".summary-list__value").inner_text().strip() == "20100 Turku (point on the map)"


def test_home_and_work_markers_differ_in_shape_and_the_legend_names_them(new_page, live_server):  # noqa: F811
    assert polku_js_ready(live_server.url), "static/js/polku.js is not served"
    page = new_page("en", js=True)
    browser = PlaywrightBrowser(page, live_server.url, "en", event="ecec")
    browser.answer("all")
    browser.goto("/en/events/ecec/plan")
    page.wait_for_selector("#results-map .map-marker--home")
    assert page.locator("#results-map .map-marker--home").count() == 1
    assert page.locator("#results-map .map-marker--work").count() == 1
    shapes = page.evaluate("""() => ['home', 'work'].map(kind => {
        const style = getComputedStyle(document.querySelector('#results-map .map-marker--' + kind), '::before');
        return [style.borderRadius, style.transform];
    })""")
    assert shapes[0] != shapes[1], shapes  # a circle and a diamond, not the same dot in another colour
    legend = page.locator(".results-map .map-legend li")
    items = {
        legend.nth(i).inner_text().strip(): legend.nth(i).locator(".map-legend__swatch").get_attribute("class")
        for i in range(legend.count())
    }
    assert "map-legend__swatch--home" in items["Your home"] and "map-legend__swatch--work" in items["Your workplace"]
