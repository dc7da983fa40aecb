"""Adapting the presentation (Playwright, JavaScript on, Finnish): 200 % text size (WCAG 1.4.4), user
text spacing (1.4.12), forced colours (focus stays visible, inputs keep their borders) and reduced
motion (no transitions or animations).

The page's Content-Security-Policy stays in force: the changes a user's settings or bookmarklet would
make are applied through page.evaluate (the DevTools protocol), with CSSOM (element.style and a
constructed stylesheet in document.adoptedStyleSheets), which the CSP does not block."""

from __future__ import annotations

from typing import Any

import pytest

from .axe_support import PlaywrightBrowser, page_states

pytestmark = pytest.mark.browser

STATES = page_states()
LANGUAGE = "fi"  # the longest words
# The main state of every page: its first state in pages.yaml.
MAIN_STATES = [s for s in STATES if s.state == next(t.state for t in STATES if t.page == s.page)]
NARROW = {"width": 320, "height": 640}


def reach(new_page, base_url_for, state, viewport=None) -> Any:
    page = new_page(LANGUAGE, js=True, viewport=viewport)
    PlaywrightBrowser(page, base_url_for(state), LANGUAGE).reach(state)
    return page


# Elements with rendered text whose content is cut off by overflow: hidden/clip on that axis. Visually
# hidden text (1 px boxes, like .visually-hidden and the unfocused skip link) is meant to be clipped.
CLIPPED = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.visually-hidden, .skip-link, .leaflet-container')) continue;
    const s = getComputedStyle(el);
    const hides = v => v === 'hidden' || v === 'clip';
    if (!hides(s.overflowX) && !hides(s.overflowY)) continue;
    if (el.clientWidth <= 1 || el.clientHeight <= 1) continue;
    const text = (el.innerText || '').trim();
    if (!text) continue;
    const wide = hides(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const tall = hides(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (wide || tall) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`
        + ` scroll=${el.scrollWidth}x${el.scrollHeight} client=${el.clientWidth}x${el.clientHeight}`
        + ` "${text.slice(0, 40)}"`);
    }
  }
  return out.slice(0, 10);
}"""

PAGE_SCROLL = """() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"""

TOO_WIDE = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !el.closest('.table-scroll, .leaflet-container, .visually-hidden'))
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
  }
  return out.slice(0, 8);
}"""

TEXT_SPACING = """() => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
                         word-spacing: 0.16em !important; }
                     p { margin-bottom: 2em !important; }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return getComputedStyle(document.body).wordSpacing;
}"""


def settle(page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def assert_no_clipping(page, state, what: str) -> None:
    clipped = page.evaluate(CLIPPED)
    assert not clipped, f"{state.id}: text cut off with {what}: {clipped}"


def assert_no_page_scroll(page, state, what: str) -> None:
    sizes = page.evaluate(PAGE_SCROLL)
    assert sizes["scroll"] <= sizes["client"], (
        f"{state.id} scrolls sideways with {what} ({sizes}); too wide: {page.evaluate(TOO_WIDE)}"
    )


# --- 1.4.4 resize text and 1.4.12 text spacing -----------------------------------------------
# One page load per state for both (the run time of the suite): the text size is put back before the
# text spacing is applied.


@pytest.mark.shares_page("restyle", lang=LANGUAGE)
@pytest.mark.parametrize("state", MAIN_STATES, ids=lambda s: s.id)
def test_text_at_200_percent_and_with_text_spacing_is_not_cut_off(reached, state):
    page, _ = reached(state, LANGUAGE)  # at desktop size, the last check of the shared page

    # 1.4.4: the root font size at 200 %, at 1280 px.
    before = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    settle(page)
    after = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert after >= 1.8 * before, f"the text did not grow with the root font size ({before} px -> {after} px)"
    assert_no_clipping(page, state, "200 % text")
    assert_no_page_scroll(page, state, "200 % text at 1280 px")
    page.evaluate("() => { document.documentElement.style.fontSize = ''; }")

    # 1.4.12: line height 1.5, letter spacing 0.12em, word spacing 0.16em, paragraph spacing 2em.
    assert page.evaluate(TEXT_SPACING) != "0px", "the text spacing stylesheet was not applied"
    settle(page)
    assert_no_clipping(page, state, "text spacing at 1280 px")
    assert_no_page_scroll(page, state, "text spacing at 1280 px")
    page.set_viewport_size(NARROW)
    settle(page)
    assert_no_clipping(page, state, "text spacing at 320 px")


# --- forced colours ---------------------------------------------------------------------------

# The focus indicator of an element: its own outline or border, or (for a custom radio whose input is
# invisible) the ::before of its label, where the radio is drawn.
FOCUS_MARK = """el => {
  const drawn = (node, pseudo) => {
    const s = getComputedStyle(node, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) return null;
    return {outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
            border: ['Top', 'Right', 'Bottom', 'Left'].some(side =>
              s['border' + side + 'Style'] !== 'none' && parseFloat(s['border' + side + 'Width']) > 0),
            borderText: `${s.borderTopStyle} ${s.borderTopWidth} ${s.borderTopColor}`,
            outlineText: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`};
  };
  const own = drawn(el);
  const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  const invisible = parseFloat(getComputedStyle(el).opacity) === 0;
  return {own: invisible ? null : own, label: label ? drawn(label, '::before') : null,
          focused: document.activeElement === el};
}"""

BORDER = """el => { const s = getComputedStyle(el);
  return ['Top', 'Right', 'Bottom', 'Left'].every(side =>
    s['border' + side + 'Style'] !== 'none' && parseFloat(s['border' + side + 'Width']) > 0); }"""

FORCED_CONTROLS = {  # state: the controls checked in it
    "step-care-empty": {
        "link": "main a[href]",
        "button": "main form button[type=submit]",
        "text input": "#hours_per_week",
        "radio": "main input[type=radio]",
    },
    "business-step-idea-filled": {
        "checkbox": "main input[type=checkbox]",
        "radio": "main input[type=radio]",
    },
    "business-step-money-empty": {
        "text input": "#turnover",
    },
    "unemployment-step-work-empty": {
        "radio": "main input[type=radio]",
        "text input": "#work_years",
    },
    "unemployment-step-support-empty": {
        "checkbox": "main input[type=checkbox]",
        "button": "main form button[type=submit]",
    },
    "own-welcome-empty": {  # signed in: the header's account links and its Sign out button
        "account link": ".account-nav a[href]",
        "sign-out button": ".account-nav .link-button",
        "checkbox": "main input[type=checkbox]",
    },
    "dev-idp-authorize-empty": {  # the identity provider's chooser (its own stylesheet for the hints)
        "radio": "main input[type=radio]",
        "button": "main form button[type=submit]",
    },
}


@pytest.mark.parametrize("state_id", list(FORCED_CONTROLS))
def test_focus_and_borders_stay_visible_in_forced_colours(new_page, base_url_for, state_id):
    state = next(s for s in STATES if s.id == state_id)
    page = reach(new_page, base_url_for, state)
    page.emulate_media(forced_colors="active")
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    problems = []
    for kind, selector in FORCED_CONTROLS[state_id].items():
        element = page.locator(selector).first
        assert element.count(), f"no {kind} ({selector}) on {state.id}"
        # Reach it with the keyboard, so :focus-visible applies as for a real keyboard user.
        page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
        unfocused = element.evaluate(FOCUS_MARK)
        for _ in range(80):
            page.keyboard.press("Tab")
            if element.evaluate("el => document.activeElement === el"):
                break
        mark = element.evaluate(FOCUS_MARK)
        assert mark["focused"], f"the {kind} {selector} was not reached with Tab"
        # Forced colours drop box shadows and backgrounds: what is left to show focus is an outline, or a
        # border that appears or changes on focus (a border that is always there shows nothing).
        visible = any(
            part and (part["outline"] or (part["border"] and part["borderText"] != (before or {}).get("borderText")))
            for part, before in ((mark["own"], unfocused["own"]), (mark["label"], unfocused["label"]))
        )
        if not visible:
            problems.append(f"{kind} {selector}: {mark}")
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    for selector in ("main input[type=text], main input:not([type])",):
        for handle in page.locator(selector).element_handles():
            if not handle.evaluate(BORDER):
                problems.append(f"text input {handle.evaluate('el => el.id || el.name')} has no border")
    assert not problems, "in forced colours: " + "; ".join(problems)


# --- reduced motion ---------------------------------------------------------------------------

MOTION = """() => {
  const seconds = v => Math.max(...v.split(',').map(x => x.trim().endsWith('ms') ? parseFloat(x) / 1000 : parseFloat(x)));
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    for (const pseudo of [null, '::before', '::after']) {
      const s = getComputedStyle(el, pseudo);
      const t = seconds(s.transitionDuration), a = s.animationName === 'none' ? 0 : seconds(s.animationDuration);
      if (t > 0.01 || a > 0.01)
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${pseudo || ''} transition=${s.transitionDuration} animation=${s.animationName} ${s.animationDuration}`);
    }
  }
  return {styles: out.slice(0, 10), animations: document.getAnimations().length};
}"""


def test_reduced_motion_turns_off_transitions_and_animations(new_page, live_server):
    page = new_page(LANGUAGE, js=True)
    page.emulate_media(reduced_motion="reduce")
    browser = PlaywrightBrowser(page, live_server.url, LANGUAGE)
    found = {}

    def look(where: str) -> None:
        # Interactions that would start transitions: hover and keyboard focus over the first controls.
        for handle in page.locator("main a[href], main button, main summary").element_handles()[:6]:
            if handle.is_visible():
                handle.hover()
        for _ in range(8):
            page.keyboard.press("Tab")
        motion = page.evaluate(MOTION)
        if motion["styles"] or motion["animations"]:
            found[where] = motion

    browser.goto(f"/{LANGUAGE}/")
    look("home")
    browser.goto(f"/{LANGUAGE}/events/ecec/steps/care")
    look("step care")
    browser.answer("all")
    browser.goto(f"/{LANGUAGE}/events/ecec/plan")
    assert page.locator("#matching-units + .options > .option").count()
    look("plan")
    browser.event = "business"
    browser.goto(f"/{LANGUAGE}/events/business/steps/idea")
    look("business idea step")
    browser.answer("all")
    browser.goto(f"/{LANGUAGE}/events/business/plan")
    assert page.locator("ol.services > .option").count()
    look("business plan")
    browser.event = "unemployment"
    browser.goto(f"/{LANGUAGE}/events/unemployment/steps/support")
    look("unemployment support step")
    browser.answer("all")
    browser.goto(f"/{LANGUAGE}/events/unemployment/plan")
    assert page.locator("section[aria-labelledby=income-title] ul.options > .option").count()
    look("unemployment plan")
    assert not found, f"motion despite prefers-reduced-motion: {found}"
