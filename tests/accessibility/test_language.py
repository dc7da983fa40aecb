"""Language of the page and of its parts (WCAG 3.1.1, 3.1.2), Playwright, JavaScript on, in Finnish and
Swedish: <html lang> is the language of the address, no English interface text is left on the page
where a translation exists, and the only parts in another language are the language switcher's links and
text marked translate="no" (a protocol's error code and message on the development sign-in service's error
page, which are English by nature and marked lang="en")."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .axe_support import PROJECT, page_states, state_params

pytestmark = pytest.mark.browser

STATES = page_states()
MAIN_STATES = [s for s in STATES if s.state == next(t.state for t in STATES if t.page == s.page)]
LANGUAGES = ("fi", "sv")
LANGUAGE_LESS_PATHS = ("/dev-idp/", "/auth/")
MIN_LENGTH = 25  # shorter English strings (names, "OpenAPI") may well appear in any language
TRANSLATIONS = PROJECT / "translations"
# Placeholders and markup split a message into the literal pieces a user would see.
SPLIT = re.compile(r"%\([^)]*\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")


def read_catalog(lang: str):
    path = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as f:
        return read_po(f, locale=lang)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def english_left_over(lang: str) -> tuple[tuple[str, str], ...]:
    """(English text, its id) for every English message longer than MIN_LENGTH whose translation in
    `lang` differs from it (an empty translation differs too: the English would show)."""
    target = read_catalog(lang)
    found = []
    for message in read_catalog("en"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        translated = target.get(message.id, context=message.context)
        strings = translated.string if translated is not None else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        for msgid in ids:
            if any(normalise(s) == normalise(msgid) for s in strings if s):
                continue  # the same in both languages (a name, an address)
            for piece in SPLIT.split(msgid):
                piece = normalise(piece)
                if len(piece) > MIN_LENGTH:
                    found.append((piece, normalise(msgid)[:80]))
    return tuple(found)


@pytest.mark.shares_page("read")
@pytest.mark.parametrize(("state", "lang"), state_params(MAIN_STATES, LANGUAGES))
def test_page_is_in_its_language(reached, state, lang):
    page, browser = reached(state, lang)

    html_lang = page.evaluate("() => document.documentElement.lang")
    assert html_lang == lang, f'<html lang="{html_lang}"> on a /{lang}/ page'
    # The address names the language (/fi/...), except on the sign-in's own addresses, whose language comes
    # from the sign-in that led there: the identity provider's pages (ui_locales) and the callback.
    if not browser.path().startswith(LANGUAGE_LESS_PATHS):
        assert browser.path().startswith(f"/{lang}/"), f"{browser.path()} is not under /{lang}/"

    text = normalise(page.inner_text("body"))
    english = sorted({msgid for piece, msgid in english_left_over(lang) if piece in text})
    assert not english, f"English text on the {lang} page {state.id}: {english}"

    other = page.evaluate(
        """lang => [...document.body.querySelectorAll('[lang]')]
      .filter(el => el.lang !== lang && !el.matches('.lang-switch a[hreflang]') && !el.closest('[translate=no]'))
      .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} lang=${el.lang} "${(el.innerText || '').trim().slice(0, 40)}"`)""",
        lang,
    )
    assert not other, f"parts in another language on {state.id}, outside the language switcher: {other}"
    switcher = page.evaluate("""() => [...document.querySelectorAll('.lang-switch a[hreflang]')]
      .map(a => [a.lang, a.hreflang])""")
    assert switcher and all(a == b != lang for a, b in switcher), f"language switcher links: {switcher}"
