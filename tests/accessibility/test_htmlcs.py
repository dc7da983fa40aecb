"""HTML_CodeSniffer (the second engine, htmlcs_support.py) on every page state of the manifest in Finnish,
Swedish and English, on the very page the state's axe run and other reading checks use (conftest.reached:
each state is reached once for all engines). Pass = zero HTMLCS errors after htmlcs-exclusions.yaml;
warnings and notices go to the report only.

A fixture page with a known HTMLCS error proves the engine really runs and its errors fail the test."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .axe_support import LANGUAGES, PageState, load_manifest, new_context, page_states, state_params
from .htmlcs_support import EXCLUSION_KEYS, EXCLUSIONS_PATH, judge, load_exclusions, run_htmlcs, sc_of

STATES = page_states()


@pytest.mark.browser
@pytest.mark.shares_page("read")
@pytest.mark.parametrize(("state", "lang"), state_params(STATES, LANGUAGES))
def test_htmlcs(reached, state, lang):
    page, _ = reached(state, lang)
    started = time.perf_counter()
    messages = run_htmlcs(page)
    outcome = judge(messages, state, lang, page.url, seconds=time.perf_counter() - started)
    assert not outcome.errors, f"{page.url} (HTML_CodeSniffer WCAG2AA)\n{outcome.message()}"


# A form with one single-line street address box that autofills as the whole (multi-line) street address:
# the HTML autofill table allows "street-address" only on a multi-line control (textarea), so HTMLCS's
# technique H98 (WCAG 1.3.5) reports an error. The textarea with the same token is right and passes.
FIXTURE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HTMLCS fixture</title></head>
<body><main><h1>Address</h1>
<form method="post" action="/x">
  <label for="line">Street address</label>
  <input type="text" id="line" name="line" autocomplete="street-address">
  <label for="whole">Street address, several lines</label>
  <textarea id="whole" name="whole" autocomplete="street-address"></textarea>
  <button type="submit">Send</button>
</form></main></body></html>"""
FIXTURE_STATE = PageState(
    page="fixture", state="street-address", endpoint=None, error=None, actions=(), expect={}, note="test page"
)


@pytest.fixture()
def fixture_page(pw_browser):
    context = new_context(pw_browser, "en")
    page = context.new_page()
    page.set_content(FIXTURE)
    yield page
    context.close()


@pytest.mark.browser
def test_a_known_error_fails(fixture_page):
    outcome = judge(run_htmlcs(fixture_page), FIXTURE_STATE, "en", "about:blank", exclusions=[], raw_dir=None)
    assert [(e["code"], e["selector"]) for e in outcome.errors] == [
        ("WCAG2AA.Principle1.Guideline1_3.1_3_5.H98", "#line")
    ]
    assert outcome.errors[0]["wcag"] == "1.3.5"
    assert "#line" in outcome.message()
    assert outcome.notices  # the reminders HTMLCS always gives (e.g. 1.3.1 G57) go to the report only


@pytest.mark.browser
def test_an_exclusion_accepts_a_reviewed_error(fixture_page, tmp_path: Path):
    exclusions = [{"code": "WCAG2AA.Principle1.Guideline1_3.1_3_5.H98", "selector": "#line", "reason": "reviewed"}]
    outcome = judge(run_htmlcs(fixture_page), FIXTURE_STATE, "en", "about:blank", exclusions, raw_dir=tmp_path)
    assert outcome.errors == []
    assert [(e["selector"], e["excluded_because"]) for e in outcome.excluded] == [("#line", "reviewed")]
    assert (tmp_path / "en" / "fixture-street-address.json").exists()
    narrower = [{**exclusions[0], "pages": ["home"]}]  # another page: not accepted
    assert judge(run_htmlcs(fixture_page), FIXTURE_STATE, "en", "", narrower, raw_dir=None).errors


@pytest.mark.parametrize(
    ("code", "sc"),
    [
        ("WCAG2AA.Principle1.Guideline1_3.1_3_5.H98", "1.3.5"),
        ("WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail", "1.4.3"),
        ("WCAG2AA.Principle1.Guideline1_4.1_4_10.C32,C31,C33,C38,SCR34,G206", "1.4.10"),
        ("WCAG2AA.Principle4.Guideline4_1.4_1_2.H91.A.NoContent", "4.1.2"),
        ("something.else", None),
    ],
)
def test_success_criterion_of_a_code(code, sc):
    assert sc_of(code) == sc


def test_exclusions_are_reasoned_and_narrow():
    pages = load_manifest()["pages"]
    for rule in load_exclusions(EXCLUSIONS_PATH):
        assert set(rule) <= EXCLUSION_KEYS, f"unknown keys {set(rule) - EXCLUSION_KEYS}"
        assert str(rule.get("code", "")).startswith("WCAG2AA."), "an exclusion names an HTMLCS code"
        assert len(str(rule.get("reason") or "").strip()) >= 40, "say why this is a false positive"
        assert set(rule.get("pages") or ()) <= set(pages), "unknown page"
        assert set(rule.get("languages") or ()) <= set(LANGUAGES)
