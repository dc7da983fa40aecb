"""Every comparison reads without sideways scrolling on any screen (issue 12, item 1), in Chromium.

One browser for all widths: each page state is opened once (ECEC plan, with units chosen side by side and the
units that do not match shown, signed in with the reserve links, Liisa's business plan with two company forms
side by side, Matti's unemployment plan; in English, the plans also in Finnish and Swedish), then the viewport is set to 320, 375, 768, 1,280 and 1,920 px in turn
and every check runs on the same page: the document is no wider than the window, no comparison element is
wider than its box (scrollWidth <= clientWidth), and each deciding fact of the first option (name, distance,
room, cost, reserve action or next free time) lies inside the window. Answers: tests/helpers.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.e2e.journeys import start_journey

pytestmark = pytest.mark.browser

WIDTHS = (320, 375, 768, 1280, 1920)

# The block-level parts of every comparison: none may be wider than its own box.
COMPARISON_PARTS = ", ".join(
    (
        "main section",
        ".filters",
        ".filters__groups",
        ".compare-form",
        ".options",
        ".option",
        ".option__head",
        ".option__facts",
        ".option__fact",
        ".option__actions",
        ".option__details",
        ".option__mismatch",
        ".side-by-side",
        ".side-by-side__table",
        ".side-by-side__table th",
        ".side-by-side__table td",
        ".results-count",
        ".pagination",
        "main table",
    )
)

MEASURE = """([parts, facts]) => {
  const width = window.innerWidth;
  // Seen on screen: rendered, not in a closed <details>, not in a visually hidden part (for screen readers).
  const hidden = (el) => { for (let e = el; e; e = e.parentElement) { if (getComputedStyle(e).clipPath === 'inset(50%)') return true; } return false; };
  const shown = (el) => el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)') && !hidden(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Any box in main that scrolls sideways is a comparison read through a slot (the map is not one).
  const scrollers = [...document.querySelectorAll('main *')].filter((el) =>
    ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && !el.closest('.map'));
  const wide = [...new Set([...document.querySelectorAll(parts), ...scrollers])]
    .filter((el) => shown(el) && getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth)
    .map((el) => `${name(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
  const placed = {};
  for (const [label, selector] of Object.entries(facts)) {
    const el = document.querySelector(selector);
    if (!el || !shown(el)) { placed[label] = 'missing'; continue; }
    const box = el.getBoundingClientRect();
    placed[label] = box.width > 0 && box.left >= 0 && box.right <= width + 0.5 ? 'ok'
      : `outside: ${Math.round(box.left)}..${Math.round(box.right)} of ${width}`;
  }
  return {width, document: document.scrollingElement.scrollWidth, wide, placed};
}"""

ECEC_FIRST = {
    "name": "#matching-units + .options > .option:first-child .option__title",
    "distance": "#matching-units + .options > .option:first-child [data-fact=distance]",
    "room": "#matching-units + .options > .option:first-child [data-fact=room]",
    "cost": "#matching-units + .options > .option:first-child [data-fact=cost]",
    "choose to compare": "#matching-units + .options > .option:first-child .option__pick label",
}
SIDE_BY_SIDE = {
    "first chosen unit": ".side-by-side__table tbody tr:first-child td:first-of-type",
    "distance row": ".side-by-side__table tbody tr:first-child th",
    "the other units": "#other-units",
    "first other unit's reason": "#other-units + .options > .option:first-child .option__reasons li",
}
SERVICE_FIRST = {
    "service point": "ol.services > .option:first-child .option__title",
    "its distance": "ol.services > .option:first-child [data-fact=distance]",
    "next free time": "ol.services > .option:first-child [data-fact=next]",
    "its cost": "ol.services > .option:first-child [data-fact=cost]",
}


@dataclass(frozen=True)
class State:
    """A page state: the event, the answers' changes, the address after the plan page, and what must be in view."""

    id: str
    event: str
    query: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    sign_in: str | None = None


def ecec_first_ids(page: Any, count: int) -> list[str]:
    return page.locator("#matching-units + .options > .option").evaluate_all(
        f"els => els.slice(0, {count}).map(e => e.id.replace('unit-', ''))"
    )


STATES = [
    State("ecec-plan", "ecec", facts=ECEC_FIRST),
    State(
        "ecec-side-by-side", "ecec", query="?show=all&page=2&compare={0}&compare={1}&compare={2}", facts=SIDE_BY_SIDE
    ),
    State(
        "ecec-signed-in",
        "ecec",
        sign_in="sirkka",
        facts={**ECEC_FIRST, "reserve a place": ".option a[href*='/own/reservations/new/place']"},
    ),
    State(
        "business-plan",
        "business",
        query="?compare_form=toiminimi&compare_form=oy",
        facts={
            "company form": "#form-toiminimi .option__title",
            "fits you": "#form-toiminimi [data-fact=fit]",
            "registration fee": "#form-toiminimi [data-fact=cost]",
            "forms side by side": ".side-by-side__table tbody tr:first-child td:last-of-type",
            **SERVICE_FIRST,
        },
    ),
    State(
        "unemployment-plan",
        "unemployment",
        facts={
            "benefit": ".options--pair > .option:first-child .option__title",
            "a day": ".options--pair > .option:first-child [data-fact=daily]",
            "a month": ".options--pair > .option:first-child [data-fact=cost]",
            "how long": ".options--pair > .option:first-child [data-fact=duration]",
            **SERVICE_FIRST,
        },
    ),
]


# Every state in English; the plans as first shown also in Finnish and Swedish, whose words are longer.
RUNS = [pytest.param(state, "en", id=f"{state.id}-en") for state in STATES] + [
    pytest.param(state, lang, id=f"{state.id}-{lang}")
    for state in STATES
    if state.id.endswith("-plan")
    for lang in ("fi", "sv")
]


@pytest.mark.parametrize(("state", "lang"), RUNS)
def test_no_comparison_is_wider_than_its_box_at_any_width(new_page, live_server, state: State, lang: str) -> None:
    page, browser = start_journey(new_page, live_server, lang, js=True, event=state.event)
    plan = f"/{lang}/events/{state.event}/plan"
    if state.sign_in:  # deleting an earlier account forgets the session's answers: sign in first, then answer
        browser.sign_in(state.sign_in, fresh=True, next_path=f"/{lang}/events/{state.event}/")
    browser.answer("all")
    query = state.query
    if "{0}" in query:  # choose the first three units that suit the child, as "Compare chosen" would
        browser.goto(plan)
        query = query.format(*ecec_first_ids(page, 3))
    browser.goto(plan + query)
    assert browser.status == 200 and page.locator(".options").count(), page.url

    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        result = page.evaluate(MEASURE, [COMPARISON_PARTS, state.facts])
        if result["document"] > result["width"]:
            problems.append(f"{width} px: the page is {result['document']} px wide")
        problems += [f"{width} px: {item}" for item in result["wide"]]
        problems += [f"{width} px: {label} {where}" for label, where in result["placed"].items() if where != "ok"]
    assert not problems, "\n".join(problems)


def test_a_wide_screen_uses_more_than_960_px(new_page, live_server) -> None:
    """The comparison's box grew with the page: at 1,920 px the cards are wider than the old 958 px box."""
    page, browser = start_journey(new_page, live_server, "en", js=False)
    browser.answer("all")
    browser.goto("/en/events/ecec/plan")
    for width, least in ((1920, 1100), (1280, 1100), (375, 300)):
        page.set_viewport_size({"width": width, "height": 900})
        card = page.locator(".option").first.bounding_box()
        assert card["width"] >= least and card["x"] + card["width"] <= width, (width, card)
