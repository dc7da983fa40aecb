"""A printed plan (static/css/print.css) in Chromium: the comparison's cards print whole, one after the other,
with what decides (name, facts) and the details that are closed on screen, and without the controls for
choosing (the "choose to compare" boxes, the reserve links, the compare buttons, the filters); nothing is wider
than the page. Answers: tests/helpers.py."""

from __future__ import annotations

import pytest

from tests.e2e.journeys import start_journey

pytestmark = pytest.mark.browser

PRINTED = """() => {
  const seen = (el) => el.checkVisibility({contentVisibilityAuto: true, visibilityProperty: true});
  const all = (sel) => [...document.querySelectorAll(sel)];
  const width = document.documentElement.clientWidth;
  return {
    cards: all('.options > .option').filter(seen).length,
    allCards: all('.options > .option').length,
    titles: all('.option .option__title').filter(seen).length,
    facts: all('.option .option__facts').filter(seen).length,
    details: all('.option .details__text').filter(seen).length,
    hiddenDetails: all('.option .details__text').filter((el) => !seen(el)).length,
    controls: all('.option__pick, .option__actions, .compare-form__actions, .filters, .button').filter(seen).length,
    wide: all('main *').filter((el) => seen(el) && el.getBoundingClientRect().right > width + 1).length,
    cardBreak: all('.option').every((el) => getComputedStyle(el).breakInside === 'avoid'),
  };
}"""


@pytest.mark.parametrize("event", ["ecec", "business"])
def test_a_printed_plan_shows_every_card_whole_without_its_controls(new_page, live_server, event: str) -> None:
    page, browser = start_journey(new_page, live_server, "fi", js=False, event=event)
    browser.answer("all")
    browser.goto(f"/fi/events/{event}/plan")
    on_screen = page.evaluate(PRINTED)
    assert on_screen["controls"] > 0 and on_screen["details"] == 0  # the print view below differs from this
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    assert printed["cards"] == printed["allCards"] > 0
    assert printed["titles"] == printed["cards"] and printed["facts"] == printed["cards"]
    assert printed["details"] >= printed["cards"] and printed["hiddenDetails"] == 0, "closed details print open"
    assert printed["controls"] == 0
    assert printed["wide"] == 0 and printed["cardBreak"]
