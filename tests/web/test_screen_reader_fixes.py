"""What a screen reader and an autofill engine get from the journey pages (issue 19): the concrete fixes.

1. A single-line street address input is autofilled as `address-line1`: the HTML autofill table allows
   `street-address` only on a multi-line control (HTML_CodeSniffer reports it; axe does not).
2. The boxes of a date are named with their question ("What is your child's date of birth? Day"), not only
   "Day", "Month", "Year".
3. The error summary is announced once: focused (autofocus, and polku.js), never also an alert.
4. The "Estimate" tag ends with a visually hidden full stop, so it does not run into the next sentence.
5. The live estimate box is not a live region; each fact in it has a short spoken text, and the step page has
   one empty status line that polku.js fills with what changed (the browser test is at the end).

The pages come from the Flask test client in fi, sv and en and are read with BeautifulSoup (html.parser).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from tests.accessibility.axe_support import PlaywrightBrowser, polku_js_ready
from tests.accessibility.conftest import new_page, pw_browser  # noqa: F401 - shared browser fixtures
from tests.helpers import (
    ECEC_STEPS,
    LIISA_STEPS,
    MATTI_STEPS,
    complete_business,
    complete_ecec,
    complete_unemployment,
    translated,
)

LANGS = ("fi", "sv", "en")
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Every step with a place question, the journey that fills the steps before it, and the autofill section
# (configurator/events/*.yaml `autocomplete:`) of each of its street address boxes.
ADDRESS_STEPS = {
    ("ecec", "places"): (complete_ecec, {"home-street_address": "home", "work-street_address": "work"}),
    ("unemployment", "home"): (complete_unemployment, {"home-street_address": "home"}),
    ("business", "premises"): (complete_business, {"premises-street_address": "work"}),
}


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def spoken(element: Tag) -> str:
    """The element's text as a screen reader gets it: visually hidden parts included, white space collapsed."""
    return re.sub(r"\s+", " ", element.get_text()).strip()


def without_comments(path: Path) -> str:
    """A template's text without its {# comments #}, which may name what the template does not do."""
    return re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)


# --- 1. autofill tokens ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("event", "step"), list(ADDRESS_STEPS))
def test_single_line_street_address_boxes_are_autofilled_as_address_line1(
    csrf_off_client, lang: str, event: str, step: str
) -> None:
    complete, sections = ADDRESS_STEPS[(event, step)]
    complete(csrf_off_client, lang)
    page = soup(csrf_off_client.get(f"/{lang}/events/{event}/steps/{step}"))
    for name, section in sections.items():
        box = page.find("input", id=name)
        assert box is not None and box.get("type") == "text", name
        assert box["autocomplete"] == f"section-{section} address-line1", box
    single_line = [el for el in page.find_all("input") if "street-address" in el.get("autocomplete", "").split()]
    assert single_line == [], single_line


def test_no_template_gives_street_address_to_a_single_line_box() -> None:
    """street-address is for a textarea only; the portal has no multi-line address box, so the token is nowhere."""
    offenders = [str(path) for path in TEMPLATES.rglob("*.html") if "street-address" in without_comments(path)]
    assert offenders == []


# --- 2. date boxes named with their question ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_each_date_box_is_named_with_its_question(app, client, lang: str) -> None:
    page = soup(client.get(f"/{lang}/events/ecec/steps/child"))
    questions = {
        "child_birth_date": translated(app, lang, "What is your child's date of birth?"),
        "start_date": translated(app, lang, "When should early childhood education start?"),
    }
    for question_id, question in questions.items():
        group = page.find("fieldset", id=question_id)
        assert spoken(group.find("legend")) == question  # the group and its legend are still there
        for part in ("Day", "Month", "Year"):
            box = group.find("input", id=f"{question_id}-{part.lower()}")
            label = page.find("label", attrs={"for": box["id"]})
            assert labelled_by(page, box) == f"{question} {translated(app, lang, part)}"
            assert spoken(label) == translated(app, lang, part)  # the visible label stays "Day"
        # The question is in the page's reading order once, in the legend: the element that names the boxes is
        # hidden, not visually hidden (a screen reader reading line by line said it before each box).
        question_element = page.find(id=box["aria-labelledby"].split()[0])
        assert question_element.has_attr("hidden") and spoken(question_element) == question
        assert not group.find(class_="visually-hidden")


def labelled_by(page: BeautifulSoup, element: Tag) -> str:
    """The name aria-labelledby gives: the texts of the elements it refers to, joined by a space (accname 1.2)."""
    return " ".join(spoken(page.find(id=ref)) for ref in element["aria-labelledby"].split())


def test_a_date_legend_without_punctuation_is_followed_by_a_comma(app) -> None:
    """The organisers' "Valid from" date: "Valid from, Day", not "Valid from Day"."""
    from flask_babel import force_locale

    with app.test_request_context("/en/"), force_locale("en"):
        forms = app.jinja_env.get_template("macros/forms.html").module
        html = str(forms.date_input("valid_from", "Valid from", {}))
    fragment = BeautifulSoup(html, "html.parser")
    names = [labelled_by(fragment, box) for box in fragment.find_all("input")]
    assert names == ["Valid from, Day", "Valid from, Month", "Valid from, Year"]


# --- 3. the error summary ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_error_summary_is_focused_and_not_also_an_alert(csrf_off_client, lang: str) -> None:
    response = csrf_off_client.post(f"/{lang}/events/ecec/steps/child", data={})
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.find("div", class_="error-summary")
    assert summary is not None
    assert summary.get("tabindex") == "-1" and summary.has_attr("autofocus") and summary.has_attr("data-error-summary")
    # a group named by its title (aria-labelledby is not allowed on a div without a role), never an alert
    assert summary.get("role") == "group" and summary.get("aria-labelledby") == "error-summary-title"
    assert summary.get("aria-live") is None
    assert page.find(attrs={"role": "alert"}) is None and page.find(attrs={"aria-live": "assertive"}) is None


def test_no_template_makes_an_error_summary_an_alert() -> None:
    summaries = [
        (str(path), tag)
        for path in TEMPLATES.rglob("*.html")
        for tag in re.findall(r'<div class="error-summary"[^>]*>', path.read_text())
    ]
    assert summaries, "the error summaries are found"
    assert [(path, tag) for path, tag in summaries if 'role="group"' not in tag or "aria-live" in tag] == []


# --- 4. the "Estimate" tag --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_estimate_tag_ends_with_a_pause_wherever_it_stands(app, csrf_off_client, lang: str) -> None:
    """Liisa's plan (start on 1 March 2027): the 2027 fees are estimates, in the comparison and the task figures."""
    complete_business(csrf_off_client, lang)
    page = soup(csrf_off_client.get(f"/{lang}/events/business/plan"))
    tags = page.find_all(class_="tag--estimate")
    assert len(tags) >= 3, len(tags)
    word = translated(app, lang, "Estimate")
    for tag in tags:
        assert spoken(tag) == f"{word}.", tag
        assert spoken(tag.find("span", class_="visually-hidden")) == "."


def test_every_estimate_tag_comes_from_the_one_macro() -> None:
    offenders = [
        str(path)
        for path in TEMPLATES.rglob("*.html")
        if "tag--estimate" in path.read_text() and path.relative_to(TEMPLATES).as_posix() != "macros/tags.html"
    ]
    assert offenders == []


# --- 5. the live estimate ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_estimate_box_is_not_live_and_the_step_has_one_empty_status_line(app, csrf_off_client, lang: str) -> None:
    for step, data in list(ECEC_STEPS.items())[:3]:
        csrf_off_client.post(f"/{lang}/events/ecec/steps/{step}", data=data)
    page = soup(csrf_off_client.get(f"/{lang}/events/ecec/steps/family"))
    box = page.find(id="preview")
    assert box.get("aria-live") is None and box.get("aria-atomic") is None and box.get("role") is None
    live = page.find_all(attrs={"aria-live": True}) + page.find_all(attrs={"role": ["status", "alert", "log"]})
    status = page.find_all(attrs={"data-preview-status": True})
    assert len(status) == 1 and status[0] in live and status[0].get("role") == "status"
    assert spoken(status[0]) == "" and status[0]["data-prefix"] == translated(app, lang, "Estimate updated:")
    assert status[0].find_parent("aside") is box.find_parent("aside")  # in the estimate's landmark, not in the box
    assert box not in status[0].parents  # the box's content is replaced; the status line stays


@pytest.mark.parametrize("lang", LANGS)
def test_each_fact_of_the_preview_has_a_short_spoken_text(app, csrf_off_client, lang: str) -> None:
    """Matti as a fund member with a wage of 3,000 € a month: 80.85 € a day, 80.85 × 21.5 = 1,738.275 → 1,738.28 €
    a month (tests/web/test_unemployment_journey.py derives it)."""
    situation = {**MATTI_STEPS["situation"], "reason": "dismissal"}
    csrf_off_client.post(f"/{lang}/events/unemployment/steps/situation", data=situation)
    work = {**MATTI_STEPS["work"], "fund_member": "yes", "membership_months": "30", "monthly_wage": "3000"}
    fragment = soup(csrf_off_client.post(f"/{lang}/events/unemployment/preview", data=work))
    facts = fragment.find_all(attrs={"data-announce": True})
    assert [fact["data-preview-fact"] for fact in facts] == ["benefit-1"]  # 2026: no estimate
    short = facts[0]["data-announce"]
    amount = re.search(r"[€\d][\d\s\u00a0\u202f,.€]*\d(?:\s?€)?", short)
    assert amount and re.sub(r"\D", "", amount[0]) == "173828", short
    assert short == translated(app, lang, "benefit about %(monthly)s a month", monthly=amount[0].strip())
    assert len(short.split()) <= 8 < len(spoken(facts[0]).split())  # the paragraph has 15 or more


def test_company_form_facts_have_names_and_short_texts(app, csrf_off_client) -> None:
    """Liisa, start 1 March 2027 (the 2027 fees are estimates): the facts of the chosen form are named."""
    complete_business(csrf_off_client, "en")
    data = {**LIISA_STEPS["founder"], "company_form": "toiminimi"}
    fragment = soup(csrf_off_client.post("/en/events/business/preview", data=data))
    facts = {p["data-preview-fact"]: p["data-announce"] for p in fragment.find_all(attrs={"data-announce": True})}
    assert list(facts) == ["fee", "vat", "yel", "estimate"], facts
    assert facts["fee"] == "registration fee €70"  # the sole trader's fee in the YTJ e-service, 2027 (an estimate)
    assert facts["estimate"] == "some figures not confirmed yet"


# --- 5. the live estimate in Chromium (polku.js) ----------------------------------------------------------

WATCH_STATUS = """() => {
  const status = document.querySelector('[data-preview-status]');
  window.statusWrites = [];
  new MutationObserver(records => records.forEach(() => window.statusWrites.push(status.textContent)))
    .observe(status, {childList: true, characterData: true, subtree: true});
}"""
FACTS = """() => Object.fromEntries(Array.from(document.querySelectorAll('#preview [data-announce]'),
  el => [el.dataset.previewFact, el.dataset.announce]))"""
LIVE_REGIONS = "() => document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]').length"


def refresh_with(page, browser, fields: dict[str, str]) -> None:
    """Change fields and wait for the live preview's answer and the script's work on it."""
    with page.expect_response(lambda response: response.url.endswith("/preview")):
        browser.fill(fields)
        page.locator("main h1").click()  # leave the box: its change event sends the preview at once
    page.wait_for_timeout(300)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGS)
def test_a_refresh_of_the_estimate_is_announced_once_with_only_what_changed(
    app,
    new_page,  # noqa: F811
    live_server,
    lang: str,
) -> None:
    """ECEC, family of 3: an income of 2,500 € a month is under the fee's income limit (the fee is 0 €), one of
    20,000 € is far over it (the highest fee) and so is one of 25,000 €: the second change announces the fee, the
    third changes nothing and announces nothing. The units in reach do not depend on the income: never announced."""
    if not polku_js_ready(live_server.url):
        pytest.fail("static/js/polku.js is missing")
    page = new_page(lang, js=True)
    browser = PlaywrightBrowser(page, live_server.url, lang, event="ecec")
    browser.answer(["child", "care", "places"])
    browser.goto(f"/{lang}/events/ecec/steps/family")
    assert page.evaluate(LIVE_REGIONS) == 1  # the status line; the box is not live
    refresh_with(page, browser, {"family_size": "3", "income": "2500", "other_children_in_ecec": "0"})
    page.wait_for_timeout(1000)  # one preview per changed box: let the last of them arrive
    page.evaluate(WATCH_STATUS)
    before = page.evaluate(FACTS)
    refresh_with(page, browser, {"income": "20000"})
    after = page.evaluate(FACTS)
    changed = [text for name, text in after.items() if before.get(name) != text]
    assert "fee" in after and before.get("fee") != after["fee"] and before["units"] == after["units"]
    writes = page.evaluate("() => window.statusWrites")
    assert writes == [translated(app, lang, "Estimate updated:") + " " + "; ".join(changed)]  # one write
    assert after["units"] not in writes[0]
    assert len(writes[0].split()) < len(page.locator("#preview").inner_text().split())
    refresh_with(page, browser, {"income": "25000"})
    assert page.evaluate(FACTS) == after
    assert page.evaluate("() => window.statusWrites") == writes  # nothing changed: nothing said
    assert page.evaluate(LIVE_REGIONS) == 1
