"""What the end-to-end journeys of every life event share: opening a journey, answering the step that is
open, reading the check page, and reaching the map picker with the keyboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.accessibility.axe_support import PlaywrightBrowser

LANGS = ("fi", "sv", "en")
JS = [pytest.param(True, id="js"), pytest.param(False, id="nojs")]
OTHER_LANGUAGE = {"fi": "sv", "sv": "en", "en": "fi"}


def path_of(page: Any) -> str:
    return urlsplit(page.url).path


def assert_lang(page: Any, lang: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang, page.url


def start_journey(new_page: Any, live_server: Any, lang: str, js: bool, event: str | None = None):
    """A fresh browser page in ``lang`` and the manifest's browser driver for ``event`` (default: ECEC)."""
    page = new_page(lang, js=js)
    return page, PlaywrightBrowser(page, live_server.url, lang, event=event)


def answer_step_here(browser: PlaywrightBrowser, step: str, answers: Mapping[str, Any]) -> None:
    """Answer the step page that is open now (a question revealed by an earlier answer of the same step is
    answered after it appears), press its button and expect no error summary."""
    assert path_of(browser.page).endswith(f"/steps/{step}"), browser.page.url
    browser.answer_step_here(step, dict(answers))
    assert browser.page.locator(".error-summary").count() == 0


def summary_value(page: Any, question_id: str) -> str:
    """The answer shown on the check page for a question (found through its Change link)."""
    row = page.locator(".summary-list__row").filter(has=page.locator(f"a[href$='#{question_id}']"))
    return row.locator(".summary-list__value").inner_text().strip()


def visible_map_picker(page: Any) -> Any:
    """The step's map picker once polku.js has shown it (a picker that stays hidden fails the test)."""
    picker = page.locator("[data-map-picker]").first
    page.wait_for_function(
        "() => { const p = document.querySelector('[data-map-picker]');"
        " return p && !p.hidden && p.querySelector('.leaflet-container'); }",
        timeout=5000,
    )
    assert picker.is_visible()
    return picker


def tab_to_map(page: Any, question_id: str) -> None:
    """From the postal code field of a location question, Tab on until the map has the focus."""
    assert page.locator(f"#{question_id}-lat").input_value() == ""
    page.locator(f"#{question_id}-postal_code").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == f"{question_id}-map":
            break
    assert page.evaluate("() => document.activeElement.id") == f"{question_id}-map", "the map is not reached with Tab"


# --- signed in: the development identity provider, the welcome page, the own space -------------

# The test people of the development identity provider (portal/dev_idp/people.yaml), by given name.
PEOPLE = {"Aino": "Aino Korhonen", "Liisa": "Liisa Lehtonen", "Matti": "Matti Virtanen", "Sirkka": "Sirkka Mäkinen"}
CONSENTS = ("prefill", "reminders")


def choose_by_label(page: Any, box: Any) -> None:
    """Tick a radio or checkbox by clicking its label (the styled control a user sees), and check it took."""
    assert box.count() == 1, f"{box.count()} controls match"
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_checked()


def on_chooser(page: Any) -> bool:
    """Whether the open page is the development identity provider's chooser of test people."""
    return path_of(page).startswith("/dev-idp/") and page.locator("input[name=person]").count() > 0


def choose_person_and_sign_in(page: Any, name: str) -> bool:
    """On the provider's chooser: click the person's name (the radio's label) and "Sign in", as a user
    would. Returns whether the portal then shows its welcome page (the person's first sign-in)."""
    assert on_chooser(page), f"not on the sign-in chooser: {page.url}"
    choose_by_label(page, page.get_by_label(PEOPLE[name], exact=True))
    with page.expect_navigation(url=lambda url: "/dev-idp/" not in url):
        page.locator("button[name=action][value=sign_in]").click()
    return path_of(page).endswith("/own/welcome")


def sign_in(page: Any, base_url: str, lang: str, name: str, start: str | None = None) -> bool:
    """From ``start`` (default: the front page), the header's "Sign in" link, the chooser and back.
    Returns whether the welcome page is open (first sign-in); it is left for the caller to answer."""
    page.goto(base_url + (start or f"/{lang}/"))
    with page.expect_navigation(url=lambda url: "/dev-idp/" in url):
        page.locator(".account-nav a[href*='/sign-in']").click()
    return choose_person_and_sign_in(page, name)


def answer_welcome(page: Any, consents: tuple[str, ...] = CONSENTS) -> None:
    """Tick the chosen consents on the welcome page (none is ticked beforehand) and continue."""
    assert path_of(page).endswith("/own/welcome"), page.url
    for purpose in CONSENTS:
        box = page.locator(f"input[name={purpose}]")
        assert not box.is_checked(), f"the consent {purpose} is ticked before the person chose it"
        if purpose in consents:
            page.locator(f"label[for='{box.get_attribute('id')}']").click()
            assert box.is_checked()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def delete_account(page: Any, base_url: str, lang: str) -> None:
    """My data → tick the confirmation → "Delete your account"; lands on the front page."""
    page.goto(f"{base_url}/{lang}/own/data")
    assert path_of(page) == f"/{lang}/own/data", page.url
    page.locator("label[for=confirm]").click()
    with page.expect_navigation():
        page.locator("form[action$='/own/delete-account'] button[type=submit]").click()
    assert path_of(page) == f"/{lang}/", page.url


def sign_in_as_new(
    page: Any, base_url: str, lang: str, name: str, consents: tuple[str, ...] = CONSENTS, start: str | None = None
) -> None:
    """Sign in as a person with a fresh account: the live server keeps people between tests, so an
    existing account (left by another test) is deleted through My data first. Answers the welcome page."""
    if not sign_in(page, base_url, lang, name, start):
        delete_account(page, base_url, lang)
        assert sign_in(page, base_url, lang, name, start), "no welcome page after the account was deleted"
    answer_welcome(page, consents)


def sign_out(page: Any) -> None:
    """The header's "Sign out" button (through the provider's end-session endpoint, back to the front page)."""
    with page.expect_navigation(url=lambda url: "/dev-idp/" not in url):
        page.locator(".account-nav form[action$='/sign-out'] button").click()


def choose_subject_and_begin(page: Any, subject_label: str) -> None:
    """On a life event's start page, signed in: choose whom the plan is for (by its label) and begin."""
    choose_by_label(page, page.locator("input[name=acting_for]").and_(page.get_by_label(subject_label)))
    with page.expect_navigation():
        page.locator("form[action$='/begin'] button[type=submit]").click()


def task_ids(page: Any, scope: str = "") -> list[str]:
    """The ids of the checklist's tasks on the page, in order (items are #task-<id>)."""
    return [
        i.removeprefix("task-")
        for i in page.locator(f"{scope} .checklist__item").evaluate_all("items => items.map(i => i.id)")
    ]


# --- the keyboard -----------------------------------------------------------------------------


def focused_matches(page: Any, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def tab_to(page: Any, selector: str, limit: int = 150, backwards: bool = False) -> int:
    """Press Tab (or Shift+Tab) until the focused element matches; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused_matches(page, selector):
            return presses
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab on {page.url}")


def press_and_wait(page: Any, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


# The focus indicator of the focused element: its own outline, shadow, colours and underline, those of its
# ::before/::after, and those of its label (custom radios and checkboxes draw the ring on the label).
FOCUS_STYLE = """el => {
  const read = (node, pseudo) => {
    if (!node) return '';
    const s = getComputedStyle(node, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) return '';
    const outline = (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0) ? 'none'
      : [s.outlineStyle, s.outlineWidth, s.outlineColor].join(' ');
    return [outline, s.boxShadow, s.backgroundColor, s.color, s.borderBottomColor, s.textDecorationLine].join('|');
  };
  const hidden = parseFloat(getComputedStyle(el).opacity) === 0;
  const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  return [hidden ? '' : read(el), read(el, '::before'), read(el, '::after'),
          read(label), read(label, '::before'), read(label, '::after')].join('#');
}"""


def assert_focus_visible(page: Any, selector: str) -> None:
    """The focused element is the expected one, it is on screen, and it looks different while focused.
    (To compare, focus is taken away for a moment and given back to the same element.)"""
    assert focused_matches(page, selector), (
        f"focus is on {page.evaluate('() => document.activeElement.outerHTML.slice(0, 120)')}, expected {selector}"
    )
    focused = page.evaluate_handle("() => document.activeElement")
    box = page.evaluate(
        """el => {
        const t = (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el;
        const r = t.getBoundingClientRect();
        return {w: r.width, h: r.height, top: r.top, bottom: r.bottom, vh: window.innerHeight}; }""",
        focused,
    )
    assert box["w"] > 0 and box["h"] > 0 and box["bottom"] > 0 and box["top"] < box["vh"], (
        f"the focused {selector} is not on screen: {box}"
    )
    with_focus = page.evaluate(FOCUS_STYLE, focused)
    page.evaluate("el => el.blur()", focused)
    without_focus = page.evaluate(FOCUS_STYLE, focused)
    page.evaluate("el => el.focus()", focused)
    assert focused_matches(page, selector)
    assert with_focus != without_focus, f"no visible focus indicator on {selector}"
