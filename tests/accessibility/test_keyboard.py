"""Keyboard and small-screen use (Playwright, JavaScript on): the skip link, visible focus, the whole
ECEC, business, unemployment and moving journeys with the keyboard alone, signing in through the development
identity provider and reserving (and cancelling) an appointment with the keyboard alone, and no sideways
scrolling at 320 CSS pixels (WCAG 2.4.1, 2.4.7, 2.1.1, 1.4.10)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import ECEC_STEPS, LIISA_STEPS, MATTI_STEPS, SIRKKA_STEPS

from .axe_support import CONSENTS, PlaywrightBrowser, dev_idp_people, page_states

pytestmark = pytest.mark.browser

STATES = page_states()
KEYBOARD_LANGUAGE = "fi"  # the longest words; the other languages get the axe and e2e runs
FIRST_STATES = [s for s in STATES if s.state == next(iter(t.state for t in STATES if t.page == s.page))]
NARROW = {"width": 320, "height": 640}


def reach(new_page, base_url_for, state, lang: str, viewport=None) -> Any:
    page = new_page(lang, js=True, viewport=viewport)
    PlaywrightBrowser(page, base_url_for(state), lang).reach(state)
    return page


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector)


def tab_to(page, selector: str, limit: int = 120, backwards: bool = False) -> int:
    """Press Tab until the focused element matches; return how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if focused_matches(page, selector):
            return presses
    raise AssertionError(f"{selector} was not reached with {limit} presses of Tab on {page.url}")


def press_and_wait(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


# --- skip link --------------------------------------------------------------------------------


@pytest.mark.shares_page("first-tab", lang=KEYBOARD_LANGUAGE)
@pytest.mark.parametrize("state", [s for s in FIRST_STATES if not s.js_required], ids=lambda s: s.id)
def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(reached, state):
    page, _ = reached(state, KEYBOARD_LANGUAGE)
    if page.locator("[data-error-summary]").count():
        # A page with errors puts focus on its error summary when it loads (GOV.UK pattern), so the first Tab
        # goes on from there, not to the skip link: check that focus instead.
        assert page.evaluate(
            "() => !!document.activeElement && !!document.activeElement.closest('[data-error-summary]')"
        ), "the error summary must have focus when a page with errors loads"
        return
    page.keyboard.press("Tab")
    first = page.evaluate(
        "() => ({cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),"
        " visible: document.activeElement.getBoundingClientRect().height > 0})"
    )
    assert "skip-link" in first["cls"] and first["href"] == "#main", f"first Tab stop: {first}"
    assert first["visible"], "the skip link must be visible when it has focus"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")
    # The next Tab continues from the start of the main content, not from the header.
    page.keyboard.press("Tab")
    assert page.evaluate("""() => { const main = document.getElementById('main'), el = document.activeElement;
        return main.contains(el) || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING); }"""), (
        "Tab after the skip link went back before <main>"
    )


# --- visible focus ----------------------------------------------------------------------------

# What makes focus visible, read from the computed styles of the element, its ::before/::after and its
# label (custom radios and checkboxes draw the focus ring on the label). An outline counts only when it
# is drawn (style not none, width > 0); an invisible (opacity 0) input counts only through its label.
STYLE_SNAPSHOT = """el => {
  const read = (node, pseudo) => {
    if (!node) return '';
    const s = getComputedStyle(node, pseudo);
    if (pseudo && (s.content === 'none' || s.content === 'normal')) return '';
    const outline = (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0) ? 'none'
      : [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset].join(' ');
    return [outline, s.boxShadow, s.backgroundColor, s.color, s.borderTopColor, s.borderBottomColor,
            s.borderBottomWidth, s.textDecorationLine, s.textDecorationThickness, s.clip, s.clipPath,
            s.position, s.transform].join('|');
  };
  const hidden = parseFloat(getComputedStyle(el).opacity) === 0;
  const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
  return [hidden ? '' : read(el), read(el, '::before'), read(el, '::after'),
          read(label), read(label, '::before'), read(label, '::after')].join('#');
}"""

DESCRIBE = """el => `${el.tagName.toLowerCase()}${el.type ? '[type=' + el.type + ']' : ''}${el.id ? '#' + el.id : ''}`
  + ` "${(el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 40)}"`"""

FOCUS_STATES = {  # state: the kinds of control it must have among its tab stops
    "home-empty": {"a"},
    "step-care-errors-missing": {"a", "input", "button"},
    "step-places-filled": {"a", "input", "button"},
    "check-complete": {"a"},
    "plan-results": {"a", "input", "button", "select", "summary"},  # filters, "Choose to compare", a unit's details
    "business-step-idea-filled": {"a", "input", "button"},  # checkboxes and yes/no radios
    "business-plan-results": {
        "a",
        "summary",
        "input",
        "button",
    },  # links, details, "Choose to compare", "Compare chosen"
    "unemployment-step-support-empty": {"a", "input", "button"},  # the optional checkboxes
    "unemployment-plan-results": {"a", "summary"},  # links, "How this is calculated", a service point's details
    "dev-idp-authorize-empty": {"a", "input", "button"},  # the test people (radios), Sign in and Cancel
    "own-welcome-empty": {"a", "input", "button"},  # the consents (checkboxes), Sign out in the header
    "own-plan-results": {"a", "input", "button"},  # a Done checkbox per task, Save progress, share, delete
    "reservation-new-appointment-empty": {"a", "input", "button"},  # the free times (radios)
    "feedback-form-empty": {"a", "input", "textarea", "button"},
}


# One round trip per tab stop: the element that had focus is read again now that it has lost it (compared with
# how it looked focused), and the newly focused one is read and kept in the page for the next round.
TAB_STOP = f"""() => {{
  const snapshot = {STYLE_SNAPSHOT}, describe = {DESCRIBE};
  const before = window.__polkuFocused, el = document.activeElement, out = {{}};
  if (before && snapshot(before.el) === before.look) out.invisible = describe(before.el);
  if (!el || el === document.body) {{ window.__polkuFocused = null; out.end = true; return out; }}
  window.__polkuFocused = {{el, look: snapshot(el)}};
  out.tag = el.tagName.toLowerCase();
  return out;
}}"""


@pytest.mark.parametrize("state", [s for s in STATES if s.id in FOCUS_STATES], ids=lambda s: s.id)
def test_focus_is_visible_on_every_tab_stop(new_page, base_url_for, state):
    """Each tab stop looks different focused (reached with Tab, so :focus-visible applies) and unfocused."""
    page = reach(new_page, base_url_for, state, KEYBOARD_LANGUAGE)
    page.evaluate(
        "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
        " window.__polkuFocused = null; }"
    )
    page.keyboard.press("Tab")
    invisible, kinds, stops = [], set(), 0
    for _ in range(200):
        found = page.evaluate(TAB_STOP)
        if "invisible" in found:
            invisible.append(found["invisible"])
        if found.get("end"):
            break
        kinds.add(found["tag"])
        stops += 1
        page.keyboard.press("Tab")
    assert stops > 1
    assert not invisible, f"no visible focus indicator on {state.id}: {invisible}"
    assert FOCUS_STATES[state.id] <= kinds, f"expected tab stops of kinds {FOCUS_STATES[state.id]}, found {kinds}"


# --- the whole journey with the keyboard ------------------------------------------------------


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose_radio(page, name: str, value: str) -> None:
    """Tab into the radio group, then move with the arrow keys until the value is chosen."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    if focused_matches(page, f'[value="{value}"]'):
        page.keyboard.press("Space")
    for _ in range(page.locator(f'input[type=radio][name="{name}"]').count() + 1):
        if page.locator(f'input[name="{name}"][value="{value}"]').is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {name}={value} with the keyboard")


def continue_with_keyboard(page) -> None:
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()


def test_whole_ecec_journey_with_the_keyboard_alone(new_page, live_server):
    lang = KEYBOARD_LANGUAGE
    page = new_page(lang)
    page.goto(f"{live_server.url}/{lang}/")
    tab_to(page, "main a[href$='/events/ecec/']")
    press_and_wait(page, "Enter")
    tab_to(page, "main a.button--start")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/steps/child")

    for name, value in ECEC_STEPS["child"].items():
        type_into(page, f'[name="{name}"]', value)
    continue_with_keyboard(page)

    care = ECEC_STEPS["care"]
    type_into(page, "#hours_per_week", care["hours_per_week"])
    for name in ("care_language", "shift_care", "sudden_need"):
        choose_radio(page, name, care[name])
    continue_with_keyboard(page)

    for name, value in ECEC_STEPS["places"].items():
        type_into(page, f'[name="{name}"]', value)
    continue_with_keyboard(page)

    for name, value in ECEC_STEPS["family"].items():
        type_into(page, f'[name="{name}"]', value)
    continue_with_keyboard(page)

    choose_radio(page, "consider_private", ECEC_STEPS["providers"]["consider_private"])
    continue_with_keyboard(page)

    assert page.url.endswith("/check")
    tab_to(page, "main a.button[href$='/plan']")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/plan")
    assert page.locator(".checklist__item").count() >= 3
    units = "#matching-units + .options > .option"
    rows_before = page.locator(units).count()
    assert rows_before > 0

    # Two units side by side with the keyboard: "Choose to compare" on each (Space), "Compare chosen".
    boxes = page.locator("input[type=checkbox][name=compare]")
    for index in (0, 1):
        tab_to(page, f'input[type=checkbox][name=compare][value="{boxes.nth(index).get_attribute("value")}"]')
        page.keyboard.press("Space")
    tab_to(page, "form.compare-form [type=submit]")
    press_and_wait(page, "Enter")
    assert page.locator(".side-by-side__table thead th").count() == 2, "the two chosen units are not side by side"

    # Filters work with the keyboard too: only Swedish-language units (Finnish, from the answers, unticked).
    tab_to(page, 'form.filters input[name="language"][value="fi"]')
    page.keyboard.press("Space")
    tab_to(page, 'form.filters input[name="language"][value="sv"]')
    page.keyboard.press("Space")
    tab_to(page, "form.filters [type=submit]")
    press_and_wait(page, "Enter")
    rows_after = page.locator(units).count()
    assert 0 < rows_after < rows_before
    assert "language=sv" in page.url


def tick_checkbox(page, name: str, value: str) -> None:
    """Tab to the checkbox and tick it with Space."""
    selector = f'input[type=checkbox][name="{name}"][value="{value}"]'
    tab_to(page, selector)
    page.keyboard.press("Space")
    assert page.locator(selector).is_checked(), f"Space did not tick {name}={value}"


def test_whole_business_journey_with_the_keyboard_alone(new_page, live_server):
    lang = KEYBOARD_LANGUAGE
    page = new_page(lang)
    page.goto(f"{live_server.url}/{lang}/")
    tab_to(page, "main a[href$='/events/business/']")
    press_and_wait(page, "Enter")
    tab_to(page, "main a.button--start")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/steps/idea")

    idea = LIISA_STEPS["idea"]
    for value in idea["industries"]:  # any order: Tab goes round the page until it gets there
        tick_checkbox(page, "industries", value)
    # The questions about organic food and alcohol appear after the industries are sent.
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    assert page.locator("input[name=organic]").count() and page.locator("input[name=alcohol]").count()
    for value in idea["industries"]:
        assert page.locator(f'input[name="industries"][value="{value}"]').is_checked(), "the ticks are kept"
    for name in ("organic", "animal_origin", "alcohol"):  # food of animal origin: the premises need an approval
        choose_radio(page, name, idea[name])
    continue_with_keyboard(page)

    for name, value in LIISA_STEPS["founder"].items():
        choose_radio(page, name, value)
    continue_with_keyboard(page)

    for name, value in LIISA_STEPS["money"].items():
        type_into(page, f'[name="{name}"]', value)
    continue_with_keyboard(page)

    type_into(page, "#premises-postal_code", LIISA_STEPS["premises"]["premises-postal_code"])
    continue_with_keyboard(page)

    for name, value in LIISA_STEPS["start"].items():
        type_into(page, f'[name="{name}"]', value)
    continue_with_keyboard(page)

    assert page.url.endswith("/check")
    tab_to(page, "main a.button[href$='/plan']")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/plan")
    assert page.locator("#task-notify_food_premises").count() == 1
    assert page.locator("section[aria-labelledby=forms-title] ol.options > .option").count() == 4
    # A company form's taxation, pension and administration open with the keyboard.
    details = page.locator("#form-oy details")
    tab_to(page, "#form-oy details > summary")
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open"), "Enter did not open the company form's details"


def test_whole_unemployment_journey_with_the_keyboard_alone(new_page, live_server):
    lang = KEYBOARD_LANGUAGE
    page = new_page(lang)
    page.goto(f"{live_server.url}/{lang}/")
    tab_to(page, "main a[href$='/events/unemployment/']")
    press_and_wait(page, "Enter")
    tab_to(page, "main a.button--start")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/steps/situation")

    situation = MATTI_STEPS["situation"]
    choose_radio(page, "reason", situation["reason"])
    for name in ("first_day-day", "first_day-month", "first_day-year"):
        type_into(page, f'[name="{name}"]', situation[name])
    continue_with_keyboard(page)

    work = MATTI_STEPS["work"]
    choose_radio(page, "fund_member", work["fund_member"])
    assert page.locator('[name="membership_months"]').count() == 0, "the months are asked only of fund members"
    for name in ("work_years", "age"):  # the optional wage is left empty
        type_into(page, f'[name="{name}"]', work[name])
    continue_with_keyboard(page)

    choose_radio(page, "housing", MATTI_STEPS["home"]["housing"])
    type_into(page, "#home-postal_code", MATTI_STEPS["home"]["home-postal_code"])
    continue_with_keyboard(page)

    for value in MATTI_STEPS["support"]["needs"]:
        tick_checkbox(page, "needs", value)
    continue_with_keyboard(page)

    assert page.url.endswith("/check")
    tab_to(page, "main a.button[href$='/plan']")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/plan")
    for task in ("register_as_jobseeker", "apply_for_kela_benefit", "get_debt_advice", "talk_about_coping"):
        assert page.locator(f"#task-{task}").count() == 1, f"no task {task}"
    assert page.locator("section[aria-labelledby=income-title] ul.options > .option").count() == 1
    # "Rules and sources" opens with the keyboard.
    details = page.locator("#task-plan_waiting_period details")
    tab_to(page, "#task-plan_waiting_period details > summary")
    page.keyboard.press("Enter")
    assert details.evaluate("d => d.open"), "Enter did not open the rules and sources"
    # A service point's opening hours, phone and accessibility open with the keyboard.
    point = page.locator("#services-mental_health-list > .option").first
    tab_to(page, f"#{point.get_attribute('id')} details > summary")
    page.keyboard.press("Enter")
    assert point.locator("details").evaluate("d => d.open"), "Enter did not open the service point's details"


def test_whole_moving_journey_with_the_keyboard_alone(new_page, live_server):
    lang = KEYBOARD_LANGUAGE
    page = new_page(lang)
    page.goto(f"{live_server.url}/{lang}/")
    tab_to(page, "main a[href$='/events/moving/']")
    press_and_wait(page, "Enter")
    tab_to(page, "main a.button--start")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/steps/move")

    move = SIRKKA_STEPS["move"]
    for name in (
        "from_home-postal_code",
        "home-postal_code",
        "moving_date-day",
        "moving_date-month",
        "moving_date-year",
    ):
        type_into(page, f'[name="{name}"]', move[name])
    continue_with_keyboard(page)

    household = SIRKKA_STEPS["household"]
    for value in household["household"]:
        tick_checkbox(page, "household", value)
    choose_radio(page, "housing", household["housing"])
    choose_radio(page, "occupation", household["occupation"])
    type_into(page, '[name="work-postal_code"]', household["work-postal_code"])
    continue_with_keyboard(page)

    for value in SIRKKA_STEPS["health"]["care"]:  # the private, optional health question
        tick_checkbox(page, "care", value)
    continue_with_keyboard(page)

    assert page.url.endswith("/check")
    tab_to(page, "main a.button[href$='/plan']")
    press_and_wait(page, "Enter")
    assert page.url.endswith("/plan")
    for task in ("notify_move", "choose_health_station", "laboratory_tests", "dog_register"):
        assert page.locator(f"#task-{task}").count() == 1, f"no task {task}"
    # A health station's opening hours, phone and accessibility open with the keyboard.
    point = page.locator("#services-health_centre-list > .option").first
    tab_to(page, f"#{point.get_attribute('id')} details > summary")
    page.keyboard.press("Enter")
    assert point.locator("details").evaluate("d => d.open"), "Enter did not open the health station's details"


def test_sign_in_reserve_cancel_and_sign_out_with_the_keyboard_alone(new_page, live_server):
    """Liisa's business plan (answered through the forms, as the journey test does with the keyboard):
    "Sign in" in the header, her name on the provider's chooser (arrow keys), the welcome page's consents if
    this is her first sign-in (Space), back on the plan; "Reserve an appointment" in the service points list,
    the first free time, "Reserve this time"; "Cancel this reservation" and confirm; "Sign out"."""
    lang = KEYBOARD_LANGUAGE
    page = new_page(lang)
    browser = PlaywrightBrowser(page, live_server.url, lang, event="business")
    browser.answer("all")
    browser.goto(f"/{lang}/events/business/plan")

    tab_to(page, ".account-nav a[href*='/sign-in']")
    press_and_wait(page, "Enter")
    assert browser.path() == "/dev-idp/authorize"
    choose_radio(page, "person", dev_idp_people()["liisa"])
    tab_to(page, "main form button[name=action][value=sign_in]")
    press_and_wait(page, "Enter")
    if browser.path() == f"/{lang}/own/welcome":
        for purpose in CONSENTS:
            tab_to(page, f"input[type=checkbox][name={purpose}]")
            page.keyboard.press("Space")
            assert page.locator(f"input[name={purpose}]").is_checked()
        continue_with_keyboard(page)
    assert browser.path() == f"/{lang}/events/business/plan", "signing in did not come back to the plan"

    tab_to(page, "ol.services a[href*='/new/appointment']")
    press_and_wait(page, "Enter")
    assert page.locator("input[name=slot]").count(), "no free times to choose from"
    tab_to(page, "input[type=radio][name=slot]")  # Tab enters the group at its first radio
    page.keyboard.press("Space")
    assert page.locator("input[name=slot]").first.is_checked(), "Space did not choose the first free time"
    continue_with_keyboard(page)
    assert "done=reserved" in page.url and page.locator(".notice[role=status]").count() == 1

    tab_to(page, "main a[href$='/cancel']")
    press_and_wait(page, "Enter")
    tab_to(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    assert "done=cancelled" in page.url and page.locator(".notice[role=status]").count() == 1

    tab_to(page, ".account-nav form[action$='/sign-out'] button", backwards=True)
    press_and_wait(page, "Enter")
    assert browser.path() == f"/{lang}/" and page.locator(".account-nav a[href*='/sign-in']").count() == 1


# --- 320 CSS pixels ---------------------------------------------------------------------------

OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0 && !el.closest('.table-scroll, .leaflet-container, .visually-hidden')) {
      out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} right=${Math.round(r.right)}`);
    }
  }
  return out.slice(0, 8);
}"""


@pytest.mark.shares_page("narrow", lang=KEYBOARD_LANGUAGE)
@pytest.mark.parametrize("state", STATES, ids=lambda s: s.id)
def test_no_horizontal_scrolling_at_320_css_pixels(reached, state):
    """The state reached at desktop size (shared with its other checks), then the window narrowed to 320 px:
    the page lays itself out again (CSS; the maps follow the window's resize), as at a load at 320 px."""
    page, _ = reached(state, KEYBOARD_LANGUAGE)
    page.set_viewport_size(NARROW)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert sizes["client"] <= NARROW["width"]
    assert sizes["scroll"] <= sizes["client"], (
        f"{state.id} scrolls sideways at 320 px ({sizes}); too wide: {page.evaluate(OVERFLOWING)}"
    )


def test_an_organiser_signs_in_changes_free_places_and_signs_out_with_the_keyboard_alone(new_page, live_server):
    """Pirjo Heinonen, director of Päiväkoti Kurjenpesä (portal/dev_idp/staff.yaml): the staff sign-in's chooser
    (arrow keys), her unit on the front page, "Change or confirm free places and queue", the number typed (the one
    stored, so the other page states keep theirs), "Save", the unit page's notice, "Sign out"."""
    lang = KEYBOARD_LANGUAGE
    page = new_page(lang)
    browser = PlaywrightBrowser(page, live_server.url, lang)
    browser.goto(f"/{lang}/organiser/sign-in")
    assert browser.path() == "/dev-idp/authorize"
    choose_radio(page, "person", "7c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f")
    tab_to(page, "main form button[name=action][value=sign_in]")
    press_and_wait(page, "Enter")
    assert browser.path() == f"/{lang}/organiser/"

    tab_to(page, "main a[href$='/organiser/units/1001']")
    press_and_wait(page, "Enter")
    tab_to(page, "main a[href$='/organiser/units/1001/availability']")
    press_and_wait(page, "Enter")
    field = "input[name='free_places-under_3']"
    stored = page.locator(field).input_value()
    type_into(page, field, stored)
    tab_to(page, "main form[action$='/availability'] button[type=submit]")
    press_and_wait(page, "Enter")
    assert browser.path() == f"/{lang}/organiser/units/1001" and page.locator(".notice[role=status]").count() == 1

    tab_to(page, ".account-nav form[action$='/sign-out'] button", backwards=True)
    press_and_wait(page, "Enter")
    assert browser.path() == f"/{lang}/" and page.locator(".account-nav a[href*='/organiser/']").count() == 0
