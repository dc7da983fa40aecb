"""Starting a business end to end in Chromium, in Finnish, Swedish and English, with JavaScript on and off:
Liisa (tests/helpers.py LIISA_STEPS: an organic farm with a farm shop, a restaurant serving wine and a
petting zoo in Lieto, alone, starting on 1 March 2027) goes through the real forms, ticks several
industries, checks her answers and changes one through its Change link, and gets the plan: the checklist
with its deadlines and figures, the company forms compared for a founder alone, and the service points
near her premises with their next free appointment. Also: the error summary of the idea step, invalid
input, the language switcher, every Change link, and with JavaScript the map picker used with the keyboard.

Expected texts come from the app's own catalogs (see conftest.Localized), so the tests hold in every
language before and after the translations are complete.

Liisa processes no food of animal origin (answered here with the required animal-origin question, so the
journeys do not depend on the shared helper): the food premises notice, not the approval. Deadlines by hand
from the start 2027-03-01 (a Monday), a legal deadline on a Saturday, Sunday or holiday moving to the next
weekday (Act 150/1930) and practical advice to the weekday before: food notice − 4 weeks = 2027-02-01 (Monday);
alcohol licence (advice) − 2 months = 2027-01-01, New Year's Day (Friday) → Thursday 2026-12-31; start-up grant
(advice) − 1 day = 2027-02-28 (Sunday) → Friday 2027-02-26;
start-up notice − 1 week = 2027-02-22 (Monday); YEL + 6 months = 2027-09-01 (Wednesday). Fees for 2027:
toiminimi 70 € and oy 320 € (with guided founding 240 € and paper 380 €), estimates; alcohol licence 1 365 €
(the 2024 tariff), an estimate.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from configurator.lifeevents import default_life_events
from configurator.service_points import SERVICE_KINDS as SERVICE_KIND_NAMES
from tests.accessibility.axe_support import polku_js_ready
from tests.conftest import TODAY
from tests.e2e import journeys
from tests.e2e.journeys import (
    JS,
    LANGS,
    OTHER_LANGUAGE,
    assert_lang,
    path_of,
    summary_value,
    tab_to_map,
    visible_map_picker,
)
from tests.helpers import LIISA_STEPS

pytestmark = pytest.mark.browser

EVENT = "business"
STEP_ORDER = list(LIISA_STEPS)
START = date(2027, 3, 1)
# Liisa's answers with the animal-origin question (required with a food business) answered "no".
CHANGES = {"idea": {"animal_origin": "no"}}
LIISA = {step: {**answers, **CHANGES.get(step, {})} for step, answers in LIISA_STEPS.items()}

# The tasks Liisa must get, with their deadline (None: no deadline asserted).
LIISA_TASKS = {
    "notify_food_premises": date(2027, 2, 1),  # at least four weeks before the start (a Monday)
    "apply_for_alcohol_licence": date(2026, 12, 31),  # two months before: New Year's Day → Thursday 31 December
    "join_organic_control": START,
    "register_animal_keeper": START,
    "notify_primary_production": START,  # the farm's own notice
    "take_out_myel": START,  # farming: MYEL with Mela
    "apply_for_farm_subsidies": None,  # during the yearly application period
    "register_for_vat": START,  # turnover 85 000 € > 20 000 €
    "take_out_yel": date(2027, 9, 1),  # within six months of starting
    "apply_for_start_up_grant": date(2027, 2, 26),  # the day before starting is a Sunday → Friday 26 February
    "file_start_up_notice": date(2027, 2, 22),  # a week before
}
# Companies a founder alone can (oy, toiminimi) and cannot (ay, ky) have.
FITTING_FORMS = ("toiminimi", "oy")
NOT_FITTING_FORMS = ("ay", "ky")
# toiminimi 70 € and oy 320 € in the YTJ e-service, and the oy's guided founding 240 € / paper 380 €
START_UP_NOTICE_FEES = (70, 320, 240, 380)
START_UP_NOTICE_LINES = 3
SERVICE_KINDS = ("business_advice", "employment_services", "food_control", "rural_business")


@pytest.fixture(scope="module")
def business():
    return default_life_events()[EVENT]


def start_journey(new_page, live_server, lang: str, js: bool):
    return journeys.start_journey(new_page, live_server, lang, js, event=EVENT)


def answer_step_here(browser, step: str, **changes) -> None:
    """Answer the step page that is open now with Liisa's answers (a question revealed by an earlier
    answer of the same step is answered after it appears) and press its button."""
    journeys.answer_step_here(browser, step, {**LIISA[step], **changes})


def option_labels(business, localized, lang: str, question_id: str, values) -> list[str]:
    """The translated labels of the chosen options, in the order of the question's options."""
    question = next(q for step in business.steps for q in step.questions if q.id == question_id)
    return [localized.text(lang, o.label) for o in question.options if o.value in values]


def task_title(business, localized, lang: str, task_id: str) -> str:
    return localized.text(lang, next(item.title for item in business.checklist if item.id == task_id))


def space_normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def without_group_separators(text: str) -> str:
    """1,365 / 1 365 → 1365 (the thousands separator of any of the three locales)."""
    return re.sub(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))", "", text)


def euros_in(text: str, amount: int) -> bool:
    """Whether the text has the amount in euros, however the locale writes it (70 €, €70)."""
    text = space_normalised(text)
    return bool(re.search(rf"(?<![\d,.]){amount} ?€|€ ?{amount}(?![\d,.])", text))


# --- the whole journey --------------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_liisa_whole_journey_change_an_answer_and_see_the_plan(new_page, live_server, localized, business, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.goto(f"/{lang}/")
    assert_lang(page, lang)
    browser.navigate_by(f"main a[href$='/events/{EVENT}/']")
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, business.title)
    browser.navigate_by("main a.button--start")

    # The idea step: the industries are checkboxes; the organic and alcohol questions follow from them.
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/idea"
    assert page.locator("input[name=industries][type=checkbox]").count() == len(business.steps[0].questions[0].options)
    for step in STEP_ORDER:
        answer_step_here(browser, step)
        assert_lang(page, lang)
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Check your answers")

    idea, founder = LIISA["idea"], LIISA["founder"]
    yes, no = localized.text(lang, "Yes"), localized.text(lang, "No")
    assert summary_value(page, "industries") == ", ".join(
        option_labels(business, localized, lang, "industries", idea["industries"])
    )
    assert summary_value(page, "organic") == yes
    assert summary_value(page, "animal_origin") == no
    assert summary_value(page, "alcohol") == yes
    assert summary_value(page, "full_time") == yes
    assert summary_value(page, "unemployed") == no
    assert (
        summary_value(page, "partners")
        == option_labels(business, localized, lang, "partners", [founder["partners"]])[0]
    )
    assert summary_value(page, "company_form") == localized.text(lang, "Help me choose")
    assert summary_value(page, "turnover") == localized.render(lang, "{{ 85000|eur }}")
    assert summary_value(page, "work_income") == localized.render(lang, "{{ 24000|eur }}")
    assert summary_value(page, "employees") == "1"
    assert (
        summary_value(page, "premises") == "21420 Lieto"
    )  # the postal area, code and name (Posti has no Swedish name for it)
    assert summary_value(page, "start_date") == localized.date(lang, START)

    # The Change link of the checkboxes: the ticks are there, and the user comes back to the check page.
    browser.navigate_by("a[href*='/steps/idea?change=1'][href$='#industries']")
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/idea"
    ticked = page.locator("input[name=industries]:checked").evaluate_all("boxes => boxes.map(b => b.value)")
    assert sorted(ticked) == sorted(idea["industries"])
    assert page.locator("input[name=organic][value=yes]").is_checked()
    assert page.locator("input[name=animal_origin][value=no]").is_checked()
    assert page.locator("input[name=alcohol][value=yes]").is_checked()
    assert page.locator("main form button[type=submit]").inner_text().strip() == localized.text(
        lang, "Save and continue"
    )
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/check", "after a change the user returns to the check page"

    # A real change through a Change link, then back to Liisa's answer.
    browser.navigate_by("a[href*='/steps/money?change=1'][href$='#turnover']")
    assert page.locator("#turnover").input_value() == "85000"
    browser.fill({"turnover": "90000"})
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert summary_value(page, "turnover") == localized.render(lang, "{{ 90000|eur }}")
    assert summary_value(page, "work_income") == localized.render(lang, "{{ 24000|eur }}"), "other answers are kept"
    assert summary_value(page, "industries") == ", ".join(
        option_labels(business, localized, lang, "industries", idea["industries"])
    )
    browser.navigate_by("a[href*='/steps/money?change=1'][href$='#turnover']")
    browser.fill({"turnover": "85000"})
    browser.submit("main form")
    assert summary_value(page, "turnover") == localized.render(lang, "{{ 85000|eur }}")

    browser.navigate_by("main a.button[href$='/plan']")
    assert path_of(page) == f"/{lang}/events/{EVENT}/plan"
    assert_lang(page, lang)
    check_liisa_plan(page, localized, business, lang, js and polku_js_ready(live_server.url))


def check_liisa_plan(page, localized, business, lang: str, map_shown: bool) -> None:
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Your plan")

    # The checklist: the tasks Liisa must do, with their deadlines.
    for task_id, due in LIISA_TASKS.items():
        task = page.locator(f"#task-{task_id}")
        assert task.count() == 1, f"no task {task_id} in the plan"
        assert task.locator("h3").inner_text().strip() == task_title(business, localized, lang, task_id)
        if due is not None:
            deadline = task.locator(f"time[datetime='{due.isoformat()}']")
            assert deadline.count() == 1, f"{task_id}: no deadline {due}: {task.inner_text()}"
            assert deadline.inner_text().strip() == localized.date(lang, due)
    assert page.locator("#task-apply_for_farm_subsidies time").count() == 0
    assert localized.text(lang, "No deadline") in page.locator("#task-apply_for_farm_subsidies").inner_text()
    # Not unemployed: nothing to tell the employment services.
    assert page.locator("#task-tell_employment_services").count() == 0
    # The checklist is in date order, the tasks without a deadline last.
    dates = page.locator(".checklist__item time[datetime]").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates)

    # The start-up notice: the fees of the forms that fit (toiminimi 70 €, oy 320 € with its guided founding
    # 240 € and paper 380 €), each an estimate for 2027, with the rules behind.
    fees = page.locator("#figures-file_start_up_notice li")
    assert fees.count() == START_UP_NOTICE_LINES, fees.all_inner_texts()
    for fee in START_UP_NOTICE_FEES:
        assert any(euros_in(text, fee) for text in fees.all_inner_texts()), (fee, fees.all_inner_texts())
    assert fees.locator(".tag--estimate").count() == START_UP_NOTICE_LINES
    # The alcohol licence: 1 365 €, the 2024 tariff, an estimate for 2027.
    alcohol = page.locator("#figures-apply_for_alcohol_licence li")
    assert alcohol.count() == 1 and euros_in(without_group_separators(alcohol.inner_text()), 1365), (
        alcohol.all_inner_texts()
    )
    # "Estimate" and a visually hidden full stop, so that it does not run into what follows when read out
    assert alcohol.locator(".tag--estimate").text_content().strip() == localized.text(lang, "Estimate") + "."
    # The texts name the figures in force: the food notice "at least 4 weeks" before the start.
    assert (
        localized.text(lang, "At least {food_notice_weeks} weeks before you start.").replace("{food_notice_weeks}", "4")
        in page.locator("#task-notify_food_premises").inner_text()
    )
    # No food of animal origin: the notice, not the approval.
    assert page.locator("#task-apply_for_food_premises_approval").count() == 0
    assert page.locator("#task-file_start_up_notice details summary").inner_text().strip() == localized.text(
        lang, "Rules and sources"
    )
    # The YEL and VAT figures name the amounts of Liisa's answers.
    assert localized.render(lang, "{{ 24000|number(2) }}") in page.locator("#figures-take_out_yel").inner_text()
    assert localized.render(lang, "{{ 85000|number(2) }}") in page.locator("#figures-register_for_vat").inner_text()
    assert page.locator("#figures-register_for_vat li").count() >= 1
    assert page.locator("#figures-apply_for_start_up_grant li").count() >= 1

    # The company forms compared: a founder alone cannot have a partnership.
    forms = page.locator("section[aria-labelledby=forms-title] ol.options")
    assert forms.locator("> .option").count() == 4
    for form in FITTING_FORMS:
        tag = forms.locator(f"#form-{form} .tag--room")
        assert tag.count() == 1 and tag.inner_text().strip() == localized.text(lang, "Fits you"), form
    for form in NOT_FITTING_FORMS:
        row = forms.locator(f"#form-{form}")
        assert row.locator(".tag--room").count() == 0, f"{form} must not fit a founder alone"
        tag = row.locator(".tag--missing")
        assert tag.count() == 1 and tag.inner_text().strip() == localized.text(lang, "Does not fit you"), form
    assert (
        localized.text(lang, "A general partnership needs at least two partners")
        in forms.locator("#form-ay").text_content()
    )  # one disclosure away: the reasons

    # The services near the premises, nearest first, with the next free appointment.
    for kind in SERVICE_KINDS:
        heading = page.locator(f"#services-{kind}")
        assert heading.count() == 1, f"no list of {kind}"
        assert heading.inner_text().strip() == localized.text(lang, SERVICE_KIND_NAMES[kind])
        points = page.locator(f"#services-{kind}-list > .option")
        assert points.count() >= 1, kind
        labels = points.first.locator(".option__fact dt").all_inner_texts()
        assert labels[0].strip() == localized.text(lang, "Distance")
        assert labels[1].strip() == localized.text(lang, "Next free appointment")
        times = points.locator("[data-fact=next] time[datetime]").evaluate_all(
            "ts => ts.map(t => t.getAttribute('datetime'))"
        )
        assert times, f"{kind}: no next free appointment"
        assert all(t[:10] >= TODAY.isoformat() for t in times), times
        distances = [
            float(space_normalised(t).split(" ")[0].replace(",", "."))
            for t in points.locator("[data-fact=distance] dd").all_inner_texts()
        ]
        assert distances == sorted(distances), f"{kind}: not nearest first: {distances}"
    # Rural business services in Lieto itself, next to 21420 (the address is one disclosure away).
    assert "21420" in page.locator("#services-rural_business-list > .option").first.text_content()

    # The map is optional: with JavaScript it is shown after the lists, without it the lists are all.
    if map_shown:
        page.wait_for_function("() => !document.querySelector('[data-results-map]').hidden")
    else:
        assert page.locator("[data-results-map]").is_hidden()


# --- error messages -----------------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_error_summary_links_to_the_first_checkbox(new_page, live_server, localized, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.goto(f"/{lang}/events/{EVENT}/steps/idea")
    title_before = page.title()
    browser.submit("main form")
    prefix = localized.text(lang, "Error:") + " "
    assert page.title() == prefix + title_before
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "group"  # announced once, by focus: not also an alert (issue 19)
    assert summary.locator("h2").inner_text().strip() == localized.text(lang, "There is a problem")
    if js:
        page.wait_for_function("() => document.activeElement && document.activeElement.matches('[data-error-summary]')")
    links = summary.locator("a")
    assert links.count() == 1, links.all_inner_texts()
    assert links.first.get_attribute("href") == "#industries"
    assert links.first.inner_text().strip() == localized.text(lang, "Select what your business will do")
    first_box = page.locator("input[name=industries]").first
    assert first_box.get_attribute("id") == "industries", "the summary links to the first checkbox"
    assert first_box.get_attribute("type") == "checkbox"
    assert first_box.get_attribute("aria-invalid") == "true"
    assert links.first.inner_text().strip() in page.locator("#industries-error").inner_text()
    # The group carries the message for screen readers.
    described = page.locator("fieldset:has(#industries)").get_attribute("aria-describedby").split()
    assert "industries-error" in described

    links.first.click()
    if js:
        # polku.js moves focus to the checkbox (and scrolls its legend into view), as GOV.UK does.
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'industries'")
        page.keyboard.press("Space")
        assert page.locator("#industries").is_checked(), "Space ticks the focused checkbox"
    else:
        page.wait_for_url(re.compile(r"#industries$"))
        # Without JavaScript the browser follows the fragment: the checkbox is the target, and
        # Chromium focuses a focusable target.
        assert (
            page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id")
            == "industries"
        )
        assert page.evaluate("() => document.activeElement.id") == "industries"


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_invalid_money_is_explained_and_kept(new_page, live_server, localized, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.answer(["idea", "founder"], CHANGES)
    browser.goto(f"/{lang}/events/{EVENT}/steps/money")
    browser.fill({**LIISA_STEPS["money"], "turnover": "abc"})
    browser.submit("main form")
    assert page.title().startswith(localized.text(lang, "Error:") + " ")
    link = page.locator(".error-summary a[href='#turnover']")
    assert link.count() == 1
    assert link.inner_text().strip() == localized.text(lang, "Enter the sales in euros, like 45000")
    assert page.locator("#turnover").input_value() == "abc", "the user's text is kept"
    assert page.locator("#turnover").get_attribute("aria-invalid") == "true"
    assert page.locator("#work_income").input_value() == "24000"
    assert page.locator(".error-summary a").count() == 1, "only the wrong answer is flagged"
    browser.fill({"turnover": "85000"})
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/premises"


# --- language -----------------------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_keeps_the_place_and_the_answers(new_page, live_server, localized, business, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.answer(["idea", "founder"], CHANGES)
    browser.goto(f"/{lang}/events/{EVENT}/steps/money")
    other = OTHER_LANGUAGE[lang]
    assert page.locator(".lang-switch [aria-current=page]").get_attribute("lang") == lang
    browser.navigate_by(f".lang-switch a[hreflang='{other}']")
    assert path_of(page) == f"/{other}/events/{EVENT}/steps/money"
    assert_lang(page, other)
    assert page.locator("main h1").inner_text().strip() == localized.text(other, "Turnover, income and employees")
    browser.lang = other
    browser.navigate_by("a.back-link")
    assert path_of(page) == f"/{other}/events/{EVENT}/steps/founder"
    for name, value in LIISA_STEPS["founder"].items():
        assert page.locator(f"input[name={name}][value={value}]").is_checked(), f"{name} lost in the switch"
    browser.navigate_by("a.back-link")
    assert path_of(page) == f"/{other}/events/{EVENT}/steps/idea"
    ticked = page.locator("input[name=industries]:checked").evaluate_all("boxes => boxes.map(b => b.value)")
    assert sorted(ticked) == sorted(LIISA_STEPS["idea"]["industries"]), "the ticks survive the language switch"
    labels = page.locator("input[name=industries]:checked + label").all_inner_texts()
    assert [label.strip() for label in labels] == option_labels(
        business, localized, other, "industries", LIISA_STEPS["idea"]["industries"]
    )

    # The plan in one language, then in another: the same tasks.
    browser.lang = lang
    browser.answer(["money", "premises", "start"], CHANGES)
    browser.goto(f"/{lang}/events/{EVENT}/plan")
    tasks = page.locator(".checklist__item").evaluate_all("items => items.map(i => i.id)")
    browser.navigate_by(f".lang-switch a[hreflang='{other}']")
    assert path_of(page) == f"/{other}/events/{EVENT}/plan"
    assert_lang(page, other)
    assert page.locator(".checklist__item").evaluate_all("items => items.map(i => i.id)") == tasks
    assert page.locator("#task-take_out_yel h3").inner_text().strip() == task_title(
        business, localized, other, "take_out_yel"
    )


# --- links and the map --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en"])
def test_every_change_link_lands_on_its_question(new_page, live_server, lang):
    page, browser = start_journey(new_page, live_server, lang, True)
    browser.answer("all", CHANGES)
    browser.goto(f"/{lang}/events/{EVENT}/check")
    hrefs = page.locator(".summary-list__actions a").evaluate_all("links => links.map(a => a.href)")
    # idea 4 (industries, organic, animal_origin, alcohol), founder 5 (full_time, unemployed, age, partners,
    # company_form), money 3, premises 1, start 1
    assert len(hrefs) == 14, hrefs
    for href in hrefs:
        fragment = urlsplit(href).fragment
        html = page.request.get(href).text()
        assert re.search(rf'\bid="{re.escape(fragment)}"', html), f"{href}: no element with id {fragment}"


@pytest.mark.parametrize("lang", LANGS)
def test_map_picker_sets_the_premises_with_the_keyboard(new_page, live_server, localized, lang):
    page, browser = start_journey(new_page, live_server, lang, True)
    assert polku_js_ready(live_server.url), "static/js/polku.js is not served: the map picker cannot work"
    browser.answer(["idea", "founder", "money"], CHANGES)
    browser.goto(f"/{lang}/events/{EVENT}/steps/premises")
    visible_map_picker(page)
    tab_to_map(page, "premises")
    label = page.locator("#premises-map").get_attribute("aria-label")
    assert label == localized.text(
        lang, "Map for choosing: %(place)s", place=localized.text(lang, "Your business premises")
    )
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#premises-lat').value !== ''")
    lat = float(page.locator("#premises-lat").input_value())
    lon = float(page.locator("#premises-lon").input_value())
    assert 59 < lat < 71 and 19 < lon < 32, (lat, lon)  # a point in Finland
    assert page.locator("#premises-map-status").inner_text().strip() != ""
    # The point alone is enough: the postal code is left empty.
    browser.fill({"premises-postal_code": ""})
    browser.submit("main form")
    assert page.locator(".error-summary").count() == 0
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/start"
    answer_step_here(browser, "start")
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert localized.text(lang, "point on the map") in summary_value(page, "premises")
    browser.goto(f"/{lang}/events/{EVENT}/steps/premises")
    assert page.locator("#premises-lat").input_value() != ""
    # The plan finds the services around the point.
    browser.goto(f"/{lang}/events/{EVENT}/plan")
    assert page.locator("ol.services > .option").count() > 0
