"""Signed in, end to end in Chromium: the development identity provider's chooser, the welcome page with the
consents, the journey with what the portal knows filled in (and said where it came from), the plan saved in
the own space as you go, ticks kept, the calendar file, a share link without personal data, private answers
never stored, account deletion, signing out, and the same with the keyboard alone.

The live server keeps people between tests, so every test starts with a fresh account (an account left by
another test is deleted through My data first, which also exercises deletion). Expected texts come from the
app's own catalogs (see conftest.Localized), so the tests hold in every language before and after the
translations are complete.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from icalendar import Calendar

from configurator.lifeevents import default_life_events
from tests.accessibility.axe_support import PlaywrightBrowser
from tests.e2e.journeys import (
    LANGS,
    answer_step_here,
    answer_welcome,
    assert_focus_visible,
    assert_lang,
    choose_subject_and_begin,
    delete_account,
    on_chooser,
    path_of,
    press_and_wait,
    sign_in,
    sign_in_as_new,
    sign_out,
    summary_value,
    tab_to,
    task_ids,
)
from tests.helpers import ECEC_STEPS, LIISA_STEPS, MATTI_STEPS

pytestmark = pytest.mark.browser

# What the development provider knows (portal/dev_idp/people.yaml) and must never reach a share link.
AINO_PERSONAL = ("Aino", "Korhonen", "Eeli", "Helmi", "Juha", "21200", "20520", "Kerttulankatu", "Joukahaisenkatu")
EELI_BIRTH_DATE = date(2024, 9, 14)


def browser_for(page, live_server, lang: str, event: str) -> PlaywrightBrowser:
    return PlaywrightBrowser(page, live_server.url, lang, event=event)


def prefill_note(localized, lang: str, source_label: str) -> str:
    """The note beside a question filled in from the person's details (templates/journey/step.html)."""
    return f"{localized.text(lang, source_label)}. {localized.text(lang, 'Check it and change it if needed.')}"


def begin_plan(page) -> None:
    """On a life event's start page without a choice of subject: press the start button of the form."""
    with page.expect_navigation():
        page.locator("form[action$='/begin'] button[type=submit]").click()


def tasks_with_deadlines(page) -> list[tuple[str, str]]:
    """(title, ISO date) of every task on the page whose facts show a deadline."""
    return page.locator(".checklist__item").evaluate_all("""items => items
        .filter(i => i.querySelector('.checklist__facts time[datetime]'))
        .map(i => [i.querySelector('h3').innerText.trim(),
                   i.querySelector('.checklist__facts time').getAttribute('datetime')])""")


def task_titles(page, heading: str = "h3") -> list[str]:
    return [t.strip() for t in page.locator(f".checklist__item {heading}").all_inner_texts()]


def progress_text(localized, lang: str, done: int, total: int) -> str:
    return localized.text(lang, "%(done)s of %(total)s tasks done", done=done, total=total)


# --- 1. Aino plans day care for Eeli ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_aino_plans_day_care_for_eeli_ticks_tasks_gets_the_calendar_shares_and_signs_out(
    new_page, live_server, localized, lang
):
    base = live_server.url
    page = new_page(lang)
    sign_in_as_new(page, base, lang, "Aino", consents=("prefill", "reminders"))
    assert path_of(page) == f"/{lang}/", "after the welcome page the person is back where they signed in"
    assert_lang(page, lang)
    account_nav = page.locator(".account-nav")
    assert account_nav.locator("form[action$='/sign-out'] button").count() == 1
    assert account_nav.locator("a[href*='/sign-in']").count() == 0

    # The ECEC start page asks which child the plan is for; Eeli's birth date is filled in.
    page.goto(f"{base}/{lang}/events/ecec/")
    assert page.locator("#acting_for legend").inner_text().strip() == localized.text(
        lang, "Which child is this plan for?"
    )
    assert page.locator("input[name=acting_for]").count() == 2, "one radio per child Aino is the guardian of"
    choose_subject_and_begin(page, "Eeli")
    assert path_of(page) == f"/{lang}/events/ecec/steps/child", "the journey opens at the first open question"
    birth_date = [page.locator(f"#child_birth_date-{part}").input_value() for part in ("day", "month", "year")]
    assert [int(part) for part in birth_date] == [14, 9, 2024], birth_date  # "09" and "9" are the same month
    assert page.locator("#child_birth_date-prefilled").inner_text().strip() == prefill_note(
        localized, lang, "From the details of the child you act for"
    )
    assert page.locator("#start_date-day").input_value() == "", "the start date is Aino's to answer"

    browser = browser_for(page, live_server, lang, "ecec")
    start_date = {k: v for k, v in ECEC_STEPS["child"].items() if k.startswith("start_date")}
    answer_step_here(browser, "child", start_date)
    answer_step_here(browser, "care", ECEC_STEPS["care"])

    # Home and work are there already, each with where it came from: not typed again.
    assert path_of(page) == f"/{lang}/events/ecec/steps/places"
    assert page.locator("#home-postal_code").input_value() == "21200"
    assert page.locator("#work-postal_code").input_value() == "20520"
    assert page.locator("#home-prefilled").inner_text().strip() == prefill_note(
        localized, lang, "From your address in the population register"
    )
    assert page.locator("#work-prefilled").inner_text().strip() == prefill_note(localized, lang, "From your profile")
    browser.submit("main form")
    assert page.locator(".error-summary").count() == 0

    # The family size comes from the household (Aino, Juha, Eeli and Helmi).
    assert path_of(page) == f"/{lang}/events/ecec/steps/family"
    assert page.locator("#family_size").input_value() == "4"
    assert page.locator("#family_size-prefilled").inner_text().strip() == prefill_note(
        localized, lang, "From your household in the population register"
    )
    answer_step_here(browser, "family", {k: v for k, v in ECEC_STEPS["family"].items() if k != "family_size"})
    answer_step_here(browser, "providers", ECEC_STEPS["providers"])

    assert path_of(page) == f"/{lang}/events/ecec/check"
    assert "21200" in summary_value(page, "home")
    assert "20520" in summary_value(page, "work")
    assert summary_value(page, "family_size").splitlines() == [
        "4",
        localized.text(lang, "From your household in the population register"),
    ], "the check page says where"
    browser.navigate_by("main a.button[href$='/plan']")
    assert path_of(page) == f"/{lang}/events/ecec/plan"
    journey_tasks = task_ids(page)
    assert journey_tasks, "the plan has a checklist"

    # Keep your plan: it is in the own space already.
    keep = page.locator("section[aria-labelledby=keep-title]")
    assert keep.locator("h2").inner_text().strip() == localized.text(lang, "Keep your plan")
    browser.navigate_by("section[aria-labelledby=keep-title] a[href*='/own/plans/']")
    assert path_of(page).startswith(f"/{lang}/own/plans/")
    plan_url = page.url
    assert (
        page.locator("main h1").inner_text().strip()
        == f"{localized.text(lang, default_life_events()['ecec'].title)}: Eeli"
    )
    assert task_ids(page) == journey_tasks, "the own space shows the same checklist as the journey's plan"
    total = len(journey_tasks)
    assert page.locator(".progress-text").inner_text().strip() == progress_text(localized, lang, 0, total)

    # Tick two tasks, save, reload: still ticked.
    ticked = journey_tasks[:2]
    for task in ticked:
        page.locator(f"label[for='done-{task}']").click()
        assert page.locator(f"#done-{task}").is_checked()
    browser.navigate_by("form[action$='/progress'] button[type=submit]")
    assert page.locator(".notice[role=status]").inner_text().strip() == localized.text(lang, "Your progress is saved.")
    page.goto(plan_url)
    for task in journey_tasks:
        assert page.locator(f"#done-{task}").is_checked() == (task in ticked), task
    assert page.locator(".progress-text").inner_text().strip() == progress_text(localized, lang, 2, total)

    # The calendar file: one event per task with a deadline, titled as the page titles it.
    expected_events = tasks_with_deadlines(page)
    assert expected_events, "some tasks have a deadline"
    with page.expect_download() as download:
        page.locator("a[href$='/calendar.ics']").click()
    assert download.value.suggested_filename == "polku-ecec.ics"
    calendar = Calendar.from_ical(open(download.value.path(), "rb").read())
    events = calendar.walk("VEVENT")
    assert sorted((str(e["SUMMARY"]), e.decoded("DTSTART").isoformat()) for e in events) == sorted(
        (title, due) for title, due in expected_events
    )
    assert len({str(e["UID"]) for e in events}) == len(events)

    # A share link, opened by someone else (a new browser, no cookies): the tasks and nothing personal.
    own_titles = task_titles(page)
    browser.navigate_by("form[action$='/share'] button[type=submit]")
    share_url = page.locator(".share-url a").first.get_attribute("href")
    assert "/shared/" in share_url
    stranger = new_page(lang)
    assert stranger.context.cookies() == []
    response = stranger.goto(share_url)
    assert response.status == 200
    assert task_titles(stranger, "h2") == own_titles
    assert stranger.locator(".progress-text").inner_text().strip() == progress_text(localized, lang, 2, total)
    shown_text, html = stranger.locator("body").inner_text(), stranger.content()
    for secret in AINO_PERSONAL:
        assert secret not in shown_text, f"{secret!r} is shown on the share page"
        assert secret not in html, f"{secret!r} is in the share page's HTML"

    # Sign out: the header offers "Sign in" again, and the own space asks to sign in.
    sign_out(page)
    assert path_of(page) == f"/{lang}/"
    assert_lang(page, lang)
    sign_in_link = page.locator(".account-nav a[href*='/sign-in']")
    assert sign_in_link.inner_text().strip() == localized.text(lang, "Sign in")
    assert page.locator(".account-nav form[action$='/sign-out']").count() == 0
    page.goto(f"{base}/{lang}/own/")
    assert on_chooser(page), f"the own space did not ask to sign in: {page.url}"
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Choose a test person")
    assert_lang(page, lang)
    page.goto(plan_url)
    assert on_chooser(page), "the saved plan is not shown after signing out"


# --- 2. Matti: private answers stay out of the own space; deleting the account -------------------


@pytest.mark.parametrize("lang", LANGS)
def test_matti_private_answers_are_not_kept_and_the_account_can_be_deleted(new_page, live_server, localized, lang):
    base = live_server.url
    page = new_page(lang)
    sign_in_as_new(page, base, lang, "Matti", consents=("prefill",))
    page.goto(f"{base}/{lang}/events/unemployment/")
    assert page.locator("input[name=acting_for]").count() == 0, "no one to act for in becoming unemployed"
    begin_plan(page)
    assert path_of(page) == f"/{lang}/events/unemployment/steps/situation"

    browser = browser_for(page, live_server, lang, "unemployment")
    answer_step_here(browser, "situation", MATTI_STEPS["situation"])
    answer_step_here(browser, "work", MATTI_STEPS["work"])
    assert page.locator("#home-postal_code").input_value() == "20100"
    assert page.locator("#home-prefilled").inner_text().strip() == prefill_note(
        localized, lang, "From your address in the population register"
    )
    assert not page.locator("input[name=housing]:checked").count(), "housing is not known: Matti answers it"
    answer_step_here(browser, "home", {"housing": MATTI_STEPS["home"]["housing"]})
    answer_step_here(browser, "support", {"needs": ["debts"]})
    assert path_of(page) == f"/{lang}/events/unemployment/check"
    browser.navigate_by("main a.button[href$='/plan']")
    tasks = task_ids(page)
    assert "get_debt_advice" in tasks, "the debt-advice task follows from the answer in this session"
    assert "talk_about_coping" not in tasks, "coping was not ticked"

    # The download of My data has the plan, without the private answer.
    response = page.request.get(f"{base}/{lang}/own/data.json")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["person"]["name"] == "Matti Virtanen"
    plans = [p for p in data["plans"] if p["life_event"] == "unemployment"]
    assert len(plans) == 1, data["plans"]
    answers = plans[0]["answers"]
    assert answers.get("reason") == MATTI_STEPS["situation"]["reason"], "the plan's answers are saved as you go"
    assert answers.get("home-postal_code") == "20100"
    assert answers.get("housing") == MATTI_STEPS["home"]["housing"]
    assert "needs" not in answers, f"the private answer was stored: {answers}"
    assert "debts" not in str(data), "the private answer appears somewhere in My data"
    assert [c["purpose"] for c in data["consents"] if c["withdrawn_at"] is None] == ["prefill"]

    # Delete the account: without the confirmation nothing happens; with it, everything goes.
    page.goto(f"{base}/{lang}/own/data")
    browser.navigate_by("form[action$='/own/delete-account'] button[type=submit]")
    assert path_of(page) == f"/{lang}/own/data"
    assert page.locator(".error-summary a[href='#confirm']").inner_text().strip() == localized.text(
        lang, "Tick the box to confirm that you want to delete your account"
    )
    delete_account(page, base, lang)
    assert page.locator("main .notice[role=status]").inner_text().strip() == localized.text(
        lang, "Your account and all your data are deleted."
    )
    assert page.locator(".account-nav a[href*='/sign-in']").count() == 1, "signed out after the deletion"
    assert page.request.get(f"{base}/{lang}/own/data.json", max_redirects=0).status == 302

    # Signing in again makes a new account: the welcome page, and no plans.
    assert sign_in(page, base, lang, "Matti"), "no welcome page: the old account was not deleted"
    answer_welcome(page, ())
    data = page.request.get(f"{base}/{lang}/own/data.json").json()
    assert data["plans"] == [] and data["consents"] == [] and data["reservations"] == []
    delete_account(page, base, lang)


# --- 3. Liisa acts for her company --------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_liisa_acting_for_her_company_gets_its_company_form(new_page, live_server, localized, lang):
    base = live_server.url
    page = new_page(lang)
    sign_in_as_new(page, base, lang, "Liisa", consents=("prefill",))
    page.goto(f"{base}/{lang}/events/business/")
    assert page.locator("#acting_for legend").inner_text().strip() == localized.text(
        lang, "Who is starting the business?"
    )
    labels = [t.strip() for t in page.locator("#acting_for label").all_inner_texts()]
    assert labels == [
        localized.text(lang, "Myself, a new business"),
        localized.text(lang, "%(company)s (you act for the company)", company="Lehtosen Luomutila"),
    ]
    choose_subject_and_begin(page, "Lehtosen Luomutila")
    assert path_of(page) == f"/{lang}/events/business/steps/idea"
    browser = browser_for(page, live_server, lang, "business")
    answer_step_here(browser, "idea", LIISA_STEPS["idea"])

    assert path_of(page) == f"/{lang}/events/business/steps/founder"
    assert page.locator("input[name=company_form][value=toiminimi]").is_checked()
    assert page.locator("input[name=company_form]:checked").count() == 1
    assert page.locator("#company_form-prefilled").inner_text().strip() == prefill_note(
        localized, lang, "From the Trade Register details of the company you act for"
    )
    delete_account(page, base, lang)


# --- 4. Reservations: an appointment from the business plan's list ------------------------------

RESERVE_LINK = "a[href*='/own/reservations/new/appointment']"


def liisa_business_plan_for_her_company(page, live_server, lang: str) -> None:
    """Signed in as Liisa (with the prefill consent): the business plan of Lehtosen Luomutila, answered
    through the forms (the company form is the company's, filled in)."""
    page.goto(f"{live_server.url}/{lang}/events/business/")
    choose_subject_and_begin(page, "Lehtosen Luomutila")
    browser = browser_for(page, live_server, lang, "business")
    for step, answers in LIISA_STEPS.items():
        answer_step_here(browser, step, {k: v for k, v in answers.items() if k != "company_form"})
    assert path_of(page) == f"/{lang}/events/business/check"
    browser.navigate_by("main a.button[href$='/plan']")
    assert path_of(page) == f"/{lang}/events/business/plan"


def summary_row(page, key: str) -> str:
    """The value of a row of a reservation's summary list, found by its key."""
    row = page.locator(".summary-list__row").filter(has=page.locator(".summary-list__key", has_text=key))
    return row.locator(".summary-list__value").inner_text().strip()


def text_pattern(localized, lang: str, msgid: str, name: str) -> str:
    """A regular expression for the translated text with any value in the place of %(name)s."""
    marker = "\x00VALUE\x00"
    return re.escape(localized.text(lang, msgid, **{name: marker})).replace(re.escape(marker), ".+")


def newest_message_subject(page, localized, lang: str) -> str:
    """The subject of the newest message, which is unread until now (its "New" tag taken off)."""
    subject = page.locator(".message-list .message__subject").first
    assert subject.locator(".tag").inner_text().strip() == localized.text(lang, "New")
    return subject.inner_text().strip().removeprefix(localized.text(lang, "New")).strip()


# With JavaScript in every language, and without it in one (the pages are the same server-rendered forms).
RESERVATION_RUNS = [pytest.param(lang, True, id=f"{lang}-js") for lang in LANGS] + [
    pytest.param("fi", False, id="fi-nojs")
]


@pytest.mark.parametrize(("lang", "js"), RESERVATION_RUNS)
def test_liisa_reserves_an_appointment_from_her_plan_gets_a_message_and_cancels_it(
    new_page, live_server, localized, lang, js
):
    base = live_server.url
    page = new_page(lang, js=js)
    sign_in_as_new(page, base, lang, "Liisa", consents=("prefill",))
    liisa_business_plan_for_her_company(page, live_server, lang)

    # The nearest service point with a free time offers "Reserve an appointment" (signed in only).
    services = page.locator("section[aria-labelledby=services-title]")
    row = services.locator("ol.services > .option").filter(has=page.locator(RESERVE_LINK)).first
    place = row.locator(".unit-name").inner_text().strip()
    next_free = row.locator("time").get_attribute("datetime")
    row_id = row.get_attribute("id")
    link = row.locator(RESERVE_LINK)
    assert " ".join(link.text_content().split()) == f"{localized.text(lang, 'Reserve an appointment')}: {place}", (
        "the link names its service point (for screen readers)"
    )
    browser = browser_for(page, live_server, lang, "business")
    browser.navigate_by(f"#{row_id} {RESERVE_LINK}")

    # Free times as radios; the first is the next free time the plan showed.
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Reserve an appointment")
    assert place in summary_row(page, localized.text(lang, "Service point"))
    assert summary_row(page, localized.text(lang, "For")) == "Lehtosen Luomutila"
    assert page.locator("input[name=slot]").count() > 0
    browser.submit("main form")  # nothing chosen: the error summary asks for a time
    assert page.locator(".error-summary a").first.inner_text().strip() == localized.text(lang, "Choose a time")
    browser.choose("slot", page.locator("input[name=slot]").first.get_attribute("value"))
    browser.submit("main form")

    # The confirmation.
    assert re.fullmatch(rf"/{lang}/own/reservations/\d+", path_of(page)), page.url
    reservation_url = page.url.split("?")[0]
    assert page.locator(".notice[role=status] strong").inner_text().strip() == localized.text(
        lang, "Your reservation is confirmed."
    )
    assert place in summary_row(page, localized.text(lang, "Where"))
    assert page.locator(".summary-list time").get_attribute("datetime") == next_free, (
        "the time reserved is the plan's next free appointment"
    )
    assert summary_row(page, localized.text(lang, "For")) == "Lehtosen Luomutila"
    assert summary_row(page, localized.text(lang, "Status")).splitlines()[0] == localized.text(lang, "Confirmed")

    # A message in Messages (from the header), which opens the reservation.
    browser.navigate_by(".account-nav a[href$='/own/messages']")
    confirmed = newest_message_subject(page, localized, lang)
    assert re.fullmatch(text_pattern(localized, lang, "Reservation confirmed: %(place)s", "place"), confirmed), (
        confirmed
    )
    browser.navigate_by(".message-list li:first-child a[href*='/own/messages/']")
    assert page.url.split("?")[0] == reservation_url
    page.goto(f"{base}/{lang}/own/")
    assert (
        page.locator("section[aria-labelledby=reservations-title] .reservation-list a").first.inner_text().strip()
        == place
    )

    # Cancel: the question first, then the cancellation; the time is free for others again.
    page.goto(reservation_url)
    browser.navigate_by("a[href$='/cancel']")
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Cancel your reservation?")
    browser.navigate_by("main form[action$='/cancel'] button[type=submit]")
    assert page.url.split("?")[0] == reservation_url
    assert page.locator(".notice[role=status] strong").inner_text().strip() == localized.text(
        lang, "Your reservation is cancelled."
    )
    status = summary_row(page, localized.text(lang, "Status")).splitlines()[0]
    assert re.fullmatch(text_pattern(localized, lang, "Cancelled on %(date)s", "date"), status), status
    assert page.locator("a[href$='/cancel']").count() == 0, "a cancelled reservation cannot be cancelled again"
    page.goto(f"{base}/{lang}/own/messages")
    cancelled = newest_message_subject(page, localized, lang)
    assert re.fullmatch(text_pattern(localized, lang, "Reservation cancelled: %(place)s", "place"), cancelled), (
        cancelled
    )
    page.goto(f"{base}/{lang}/events/business/plan")
    assert page.locator(f"#{row_id} time").get_attribute("datetime") == next_free, "the time is free again"

    # The messages name the place as the pages of this language do (and whom it was for).
    for_company = f"{place} (Lehtosen Luomutila)"
    assert (confirmed, cancelled) == (
        localized.text(lang, "Reservation confirmed: %(place)s", place=for_company),
        localized.text(lang, "Reservation cancelled: %(place)s", place=for_company),
    )
    delete_account(page, base, lang)


# --- 5. The keyboard alone ----------------------------------------------------------------------


def test_sign_in_save_the_plan_and_tick_a_task_with_the_keyboard_alone(new_page, live_server, localized):
    lang = "fi"
    base = live_server.url
    # Setup, not part of the keyboard use: no account of Sirkka's is left from another test, and this
    # browser has a plan answered without signing in (Matti's answers, through the forms).
    setup = new_page(lang)
    sign_in(setup, base, lang, "Sirkka")  # creates the account when there was none
    delete_account(setup, base, lang)
    page = new_page(lang)
    browser = browser_for(page, live_server, lang, "unemployment")
    browser.answer("all")
    page.goto(f"{base}/{lang}/events/unemployment/plan")
    plan_tasks = task_ids(page)

    # The header's "Sign in", with Tab and Enter.
    tab_to(page, ".account-nav a[href*='/sign-in']")
    assert_focus_visible(page, ".account-nav a[href*='/sign-in']")
    press_and_wait(page, "Enter")
    assert on_chooser(page)

    # The chooser: Tab into the radios, arrow keys to Sirkka, Tab to "Sign in", Enter.
    tab_to(page, "input[name=person]")
    for _ in range(page.locator("input[name=person]").count()):
        if page.get_by_label("Sirkka Mäkinen", exact=True).is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert page.get_by_label("Sirkka Mäkinen", exact=True).is_checked()
    sirkka_radio = f"#{page.get_by_label('Sirkka Mäkinen', exact=True).get_attribute('id')}"
    assert_focus_visible(page, sirkka_radio)
    tab_to(page, "button[name=action][value=sign_in]")
    assert_focus_visible(page, "button[name=action][value=sign_in]")
    press_and_wait(page, "Enter")

    # The welcome page: tick "Remind me of deadlines" with Space, continue with Enter.
    assert path_of(page) == f"/{lang}/own/welcome"
    tab_to(page, "#consent-reminders")
    assert_focus_visible(page, "#consent-reminders")
    page.keyboard.press("Space")
    assert page.locator("#consent-reminders").is_checked()
    assert not page.locator("#consent-prefill").is_checked()
    tab_to(page, "main form button[type=submit]")
    assert_focus_visible(page, "main form button[type=submit]")
    press_and_wait(page, "Enter")
    assert path_of(page) == f"/{lang}/events/unemployment/plan", "back on the plan after signing in"
    assert task_ids(page) == plan_tasks, "the answers given before signing in are kept"

    # Save the plan in the own space.
    save_button = "form[action$='/unemployment/save'] button[type=submit]"
    tab_to(page, save_button, limit=400)
    assert_focus_visible(page, save_button)
    press_and_wait(page, "Enter")
    assert path_of(page).startswith(f"/{lang}/own/plans/")
    plan_url = page.url.split("?")[0]
    assert page.locator(".notice[role=status]").inner_text().strip() == localized.text(
        lang, "The plan is saved in your own space."
    )

    # Tick the first task with Space, then Tab to "Save progress" and press Enter.
    first = task_ids(page)[0]
    tab_to(page, f"#done-{first}", limit=400)
    assert_focus_visible(page, f"#done-{first}")
    page.keyboard.press("Space")
    assert page.locator(f"#done-{first}").is_checked()
    tab_to(page, "form[action$='/progress'] button[type=submit]", limit=400)
    assert_focus_visible(page, "form[action$='/progress'] button[type=submit]")
    press_and_wait(page, "Enter")
    assert page.locator(".notice[role=status]").inner_text().strip() == localized.text(lang, "Your progress is saved.")
    page.goto(plan_url)
    assert page.locator(f"#done-{first}").is_checked()
    assert page.locator(".progress-text").inner_text().strip() == progress_text(localized, lang, 1, len(task_ids(page)))
    delete_account(page, base, lang)
