"""The forms the manifest's `answer` and `sign_in` send over HTTP (form_client) are what Chromium sends.

For every step of the three life events, the step page is opened in Chromium and filled in through its labels
as a user would (Browser.fill); Chromium's own entry list for the form (``new FormData(form, submitter)``)
is compared with form_client's from the same HTML. A difference would mean the accessibility suite reaches its
states with answers no browser would send."""

from __future__ import annotations

import pytest

from .axe_support import EVENT_ANSWERS, PlaywrightBrowser
from .form_client import entry_list, main_form

pytestmark = pytest.mark.browser

BROWSER_ENTRIES = """() => {
  const form = document.querySelector('main form');
  const submitter = form.querySelector('[type=submit]');
  return Array.from(new FormData(form, submitter).entries()).map(([k, v]) => [k, String(v)]);
}"""


@pytest.mark.parametrize("event", sorted(EVENT_ANSWERS))
def test_form_client_sends_what_chromium_sends_for_every_step(new_page, live_server, event):
    page = new_page("fi", js=False)  # the forms as served, no enhancement changing them
    browser = PlaywrightBrowser(page, live_server.url, "fi", event)
    compared = 0
    for step, answers in EVENT_ANSWERS[event].items():
        browser.goto(f"/fi/events/{event}/steps/{step}")
        served = main_form(page.content())
        shown = {name: value for name, value in answers.items() if name in served.names()}
        browser.fill(shown)
        assert sorted(entry_list(served, shown)) == sorted(tuple(e) for e in page.evaluate(BROWSER_ENTRIES)), step
        compared += 1
        browser.answer_step_here(step, answers)
    assert compared == len(EVENT_ANSWERS[event])
