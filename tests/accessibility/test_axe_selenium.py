"""axe-core through axe-selenium-python 2.1.6 and ChromeDriver: a second engine, so a problem in one
integration (injection, timing, CSP) cannot hide violations.

Covers every page state in Finnish and every page's first (empty) state in Swedish and English, with
JavaScript on (Playwright covers every state in all three). Set POLKU_SELENIUM_ALL=1 to run every
state in all three languages. axe is injected from the pinned node_modules/axe-core/axe.min.js, not
the copy bundled in the Python package.
"""

from __future__ import annotations

import json
import os

import pytest

from .axe_support import (
    AXE_OPTIONS,
    AXE_PATH,
    BROWSER_LOCALES,
    LANGUAGES,
    SeleniumBrowser,
    judge,
    page_states,
    state_params,
)

pytestmark = pytest.mark.browser

STATES = page_states()
FIRST_STATES = [s for s in STATES if s.state == next(t.state for t in STATES if t.page == s.page)]
if os.environ.get("POLKU_SELENIUM_ALL"):
    PARAMS = state_params(STATES, LANGUAGES)
else:
    PARAMS = state_params(STATES, ("fi",)) + state_params(FIRST_STATES, ("sv", "en"))


def fresh_session(driver, lang: str) -> None:
    """No cookies (so no answers, and no sign-on session at the development provider, whose cookie has its
    own path that delete_all_cookies on a portal page does not see) and the browser asking for the test's
    language."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.execute_cdp_cmd(
        "Network.setExtraHTTPHeaders", {"headers": {"Accept-Language": f"{BROWSER_LOCALES[lang]},{lang};q=0.9"}}
    )


@pytest.mark.parametrize(("state", "lang"), PARAMS)
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
