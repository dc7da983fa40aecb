"""axe-core through axe-selenium-python 2.1.6 and ChromeDriver: a second engine, so a problem in one
integration (injection, timing, CSP) cannot hide violations.

Covers every page state in all three languages with JavaScript on. axe is injected from the pinned
node_modules/axe-core/axe.min.js, not the copy bundled in the Python package.
"""
from __future__ import annotations

import json

import pytest

from .axe_support import (
    AXE_OPTIONS, AXE_PATH, BROWSER_LOCALES, LANGUAGES, SeleniumBrowser, judge, page_states, state_params,
)

pytestmark = pytest.mark.browser

STATES = page_states()


def fresh_session(driver, lang: str) -> None:
    """No cookies (so no answers) and the browser asking for the test's language."""
    driver.delete_all_cookies()
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setExtraHTTPHeaders",
                           {"headers": {"Accept-Language": f"{BROWSER_LOCALES[lang]},{lang};q=0.9"}})


@pytest.mark.parametrize(("state", "lang"), state_params(STATES, LANGUAGES))
def test_axe_selenium(selenium_driver, base_url_for, state, lang):
    from axe_selenium_python import Axe

    fresh_session(selenium_driver, lang)
    browser = SeleniumBrowser(selenium_driver, base_url_for(state), lang)
    browser.reach(state)
    axe = Axe(selenium_driver, script_url=str(AXE_PATH))
    axe.inject()
    results = axe.run(options=json.dumps(AXE_OPTIONS))
    outcome = judge(results, state, lang, "selenium", selenium_driver.current_url, {"javascript": True})
    assert not outcome.violations, f"{selenium_driver.current_url} (selenium)\n{axe.report(outcome.violations)}"
