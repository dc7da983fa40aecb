"""axe-core through axe-selenium-python 2.1.6 and ChromeDriver: a second engine, so a problem in one
integration (injection, timing, CSP) cannot hide violations.

ChromeDriver is attached to the session's Chromium over the DevTools port (axe_support.selenium_driver) and
audits the page state Playwright reached for all the checks of the state (`reached`), with axe injected and
run through Selenium's own `execute_script`. The state is not reached a second time in a second browser:
reaching, not auditing, was most of this check's time. Covers every page state in Finnish and every page's
first (empty) state in Swedish and English, with JavaScript on (Playwright covers every state in all three).
Set POLKU_SELENIUM_ALL=1 to run every state in all three languages. axe is injected from the pinned
node_modules/axe-core/axe.min.js, not the copy bundled in the Python package.
"""

from __future__ import annotations

import json
import os

import pytest

from .axe_support import AXE_OPTIONS, AXE_PATH, LANGUAGES, judge, page_states, state_params, target_id

pytestmark = pytest.mark.browser

STATES = page_states()
FIRST_STATES = [s for s in STATES if s.state == next(t.state for t in STATES if t.page == s.page)]
if os.environ.get("POLKU_SELENIUM_ALL"):
    PARAMS = state_params(STATES, LANGUAGES)
else:
    PARAMS = state_params(STATES, ("fi",)) + state_params(FIRST_STATES, ("sv", "en"))


@pytest.mark.shares_page("read")
@pytest.mark.parametrize(("state", "lang"), PARAMS)
def test_axe_selenium(selenium_driver, reached, state, lang):
    from axe_selenium_python import Axe

    page, _ = reached(state, lang)
    selenium_driver.switch_to.window(target_id(page))
    assert selenium_driver.current_url == page.url, "ChromeDriver is not on the page Playwright reached"
    axe = Axe(selenium_driver, script_url=str(AXE_PATH))
    axe.inject()
    results = axe.run(options=json.dumps(AXE_OPTIONS))
    outcome = judge(results, state, lang, "selenium", selenium_driver.current_url, {"javascript": True})
    assert not outcome.violations, f"{selenium_driver.current_url} (selenium)\n{axe.report(outcome.violations)}"
