"""The same help in the same place on every page (WCAG 3.2.6) and the same navigation in the same order
(3.2.3), Playwright, JavaScript on, Finnish: every page state has the footer's help section with the
same phone number, e-mail address and links in the same order, the language switcher in the header
before <main>, and the skip link as the first thing in the page."""

from __future__ import annotations

from typing import Any

import pytest

from .axe_support import page_states

pytestmark = pytest.mark.browser

STATES = page_states()
LANGUAGE = "fi"
# Every page once (its first state in pages.yaml), and a state with an error summary, which moves focus
# when the page loads. All pages share templates/base.html, so the other states of a page add only run
# time.
MAIN_STATES = [s for s in STATES if s.state == next(t.state for t in STATES if t.page == s.page)]
CHECKED_STATES = MAIN_STATES + [
    s
    for s in STATES
    if s.id
    in ("step-child-errors-missing", "business-step-idea-errors-missing", "unemployment-step-situation-errors-missing")
]

# What must be the same everywhere, read from the page.
LAYOUT = """() => {
  const text = el => el ? el.innerText.replace(/\\s+/g, ' ').trim() : null;
  const footer = document.querySelector('footer.site-footer');
  const main = document.querySelector('main#main');
  const nav = document.querySelector('header.site-header nav.lang-switch');
  const skip = document.querySelector('a.skip-link');
  const before = (a, b) => !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));
  const focusable = [...document.body.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && !el.disabled);
  return {
    help: footer && {
      title: text(footer.querySelector('.site-footer__title')),
      items: [...footer.querySelectorAll('.site-footer__help li')].map(text),
      links: [...footer.querySelectorAll('.site-footer__help a, .site-footer__links a')]
        .map(a => [a.getAttribute('href'), text(a)]),
    },
    footer_after_main: before(main, footer),
    switcher: nav && [...nav.querySelectorAll('li')].map(li => li.firstElementChild.getAttribute('lang')),
    switcher_in_header_before_main: before(nav, main),
    skip: skip && {first_element: document.body.firstElementChild === skip,
                   first_focusable: focusable[0] === skip, href: skip.getAttribute('href')},
  };
}"""


def layout(reached, state) -> dict[str, Any]:
    page, _ = reached(state, LANGUAGE)
    return page.evaluate(LAYOUT)


@pytest.fixture()
def reference(reached) -> dict[str, Any]:
    """The home page's layout, which every other page must repeat."""
    if "home" not in _REFERENCE:
        home = next(s for s in STATES if s.id == "home-empty")
        _REFERENCE["home"] = layout(reached, home)
    return _REFERENCE["home"]


_REFERENCE: dict[str, dict[str, Any]] = {}


def test_reference_layout_is_complete(reference):
    help_ = reference["help"]
    assert help_ and help_["title"], "no help section in the footer"
    hrefs = [href for href, _ in help_["links"]]
    assert any(h.startswith("tel:") for h in hrefs) and any(h.startswith("mailto:") for h in hrefs), hrefs
    assert reference["switcher"] == ["fi", "sv", "en"], reference["switcher"]


@pytest.mark.shares_page("read", lang=LANGUAGE)
@pytest.mark.parametrize("state", CHECKED_STATES, ids=lambda s: s.id)
def test_help_and_navigation_are_the_same_on_every_page(reached, reference, state):
    found = layout(reached, state)
    assert found["help"] == reference["help"], (
        f"the footer's help differs on {state.id}: {found['help']} (home page: {reference['help']})"
    )
    assert found["footer_after_main"], f"the footer is not after <main> on {state.id}"
    assert found["switcher"] == reference["switcher"], f"language switcher on {state.id}: {found['switcher']}"
    assert found["switcher_in_header_before_main"], f"the language switcher is not before <main> on {state.id}"
    assert found["skip"] and found["skip"]["href"] == "#main", f"no skip link to #main on {state.id}"
    assert found["skip"]["first_element"] and found["skip"]["first_focusable"], (
        f"the skip link is not the first thing in the page on {state.id}: {found['skip']}"
    )
