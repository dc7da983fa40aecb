"""Two real tabs in Chromium (one browser context, so one session), the issue's example: tab A shows the money step
with a turnover of 120,000; tab B sets 50,000; tab A then presses Continue. The page comes back with the error
summary and a choice between both answers, passes axe (fi, sv, en with JavaScript, fi without), and the person's
choice is what is kept.

This state needs two tabs, which the accessibility manifest's actions (tests/accessibility/pages.yaml) cannot
express, so it is audited here with the same axe-core and options.
"""

from __future__ import annotations

import pytest

from tests.accessibility.axe_support import PlaywrightBrowser, replay_with_scripts_blocked, run_axe_playwright
from tests.accessibility.conftest import new_page, pw_browser  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.browser

MONEY = "/{lang}/events/business/steps/money"


def conflict_in_tab_a(new_page, live_server, lang: str, js: bool):  # noqa: F811
    tab_a = new_page(lang, js=js)
    browser = PlaywrightBrowser(tab_a, live_server.url, lang, event="business")
    browser.answer("all", {"money": {"turnover": "120000"}})
    browser.goto(MONEY.format(lang=lang))
    assert tab_a.locator("#turnover").input_value() == "120000"
    tab_b = tab_a.context.new_page()
    tab_b.goto(live_server.url + MONEY.format(lang=lang))
    tab_b.locator("#turnover").fill("50000")
    with tab_b.expect_navigation():
        tab_b.locator("main form button[type=submit]").click()
    assert "/steps/premises" in tab_b.url
    tab_b.close()
    browser.submit("main form")  # tab A, still showing 120,000
    return tab_a, browser


@pytest.mark.parametrize("lang, js", [("fi", True), ("sv", True), ("en", True), ("fi", False)])
def test_a_stale_tab_gets_both_answers_to_choose_from_and_the_page_passes_axe(new_page, live_server, lang, js):  # noqa: F811
    tab_a, browser = conflict_in_tab_a(new_page, live_server, lang, js)
    assert tab_a.url.endswith(MONEY.format(lang=lang)), "the step is shown again, nothing applied"
    assert tab_a.locator(".error-summary a[href='#turnover-choice']").count() == 1
    assert tab_a.locator("input[name=turnover-choice][type=radio]").count() == 2
    audited = tab_a if js else replay_with_scripts_blocked(new_page, browser, lang)
    violations = run_axe_playwright(audited)["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


@pytest.mark.parametrize("pick, kept", [("saved", "50000"), ("other", "120000")])
def test_the_choice_decides_with_the_keyboard(new_page, live_server, pick, kept):  # noqa: F811
    tab_a, browser = conflict_in_tab_a(new_page, live_server, "en", True)
    radio = tab_a.locator(f"input[name=turnover-choice][value={pick}]")
    radio.focus()
    tab_a.keyboard.press("Space")
    assert radio.is_checked()
    browser.submit("main form")
    assert "/steps/premises" in tab_a.url
    browser.goto(MONEY.format(lang="en"))
    assert tab_a.locator("#turnover").input_value() == kept
