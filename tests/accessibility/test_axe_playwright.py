"""axe-core in Chromium through Playwright: every page state of the manifest in Finnish, Swedish and
English with JavaScript on, and every page state in Finnish with JavaScript off (reached with
java_script_enabled=False through the plain HTML forms; see replay_with_scripts_blocked for how axe
audits it).

axe is injected with page.evaluate (DevTools protocol), so the app's strict Content-Security-Policy
stays in force for the page itself. Pass = zero violations (after written exclusions); the raw
results go to reports/accessibility/raw/<engine>/<lang>/<page>-<state>.json.
"""

from __future__ import annotations

import pytest

from . import contrast_pixels
from .axe_support import (
    LANGUAGES,
    PlaywrightBrowser,
    judge,
    page_states,
    replay_with_scripts_blocked,
    run_axe_playwright,
    state_params,
)

pytestmark = pytest.mark.browser

STATES = page_states()
NO_JS_LANGUAGE = "fi"


def audited(shared_states, base_url_for, state, lang: str, js: bool, reached=None) -> tuple[dict, str, list]:
    """axe's results for the state, the page's address, and the elements the pixel contrast check failed
    (contrast_pixels: run on the same page for the text axe could not decide; its verdicts go into the
    results' incomplete nodes)."""
    if js:  # the page the other checks of the state read too (conftest.reached)
        page, _ = reached(state, lang)
        results = run_axe_playwright(page)
        return results, page.url, contrast_pixels.check_page(page, results, f"{lang}/{state.id}")
    page = shared_states.kept_page(lang, js=False)
    browser = PlaywrightBrowser(page, base_url_for(state), lang)
    browser.reach(state)

    def replay_page(lang: str, js: bool = True):
        return shared_states.kept_page(lang, js=True, purpose="replay")

    replayed = replay_with_scripts_blocked(replay_page, browser, lang)
    results = run_axe_playwright(replayed)
    return results, page.url, contrast_pixels.check_page(replayed, results, f"{lang}-nojs/{state.id}")


def check_state(shared_states, base_url_for, state, lang: str, js: bool, reached=None) -> None:
    results, url, low_contrast = audited(shared_states, base_url_for, state, lang, js, reached)
    engine = "playwright" if js else "playwright-nojs"
    extra = {"javascript": js}
    if not js:
        extra["audited_as"] = (
            "reached with JavaScript disabled; its DOM replayed with the app's scripts "
            "blocked, because axe needs timers that a JavaScript-off page does not run"
        )
    outcome = judge(results, state, lang, engine, url, extra)
    assert not outcome.violations, f"{url} ({engine})\n{outcome.message()}"
    assert not low_contrast, f"{url} ({engine})\n{contrast_pixels.failure_message(low_contrast)}"


@pytest.mark.shares_page("read")
@pytest.mark.parametrize(("state", "lang"), state_params(STATES, LANGUAGES))
def test_axe_javascript_on(shared_states, base_url_for, reached, state, lang):
    check_state(shared_states, base_url_for, state, lang, js=True, reached=reached)


@pytest.mark.parametrize(("state", "lang"), state_params([s for s in STATES if not s.js_required], (NO_JS_LANGUAGE,)))
def test_axe_javascript_off(shared_states, base_url_for, state, lang):
    check_state(shared_states, base_url_for, state, lang, js=False)
