"""Becoming unemployed end to end in Chromium, in Finnish, Swedish and English, with JavaScript on and off:
Matti (tests/helpers.py MATTI_STEPS: 35, his own business went bankrupt, first day without work
1 December 2026, not in an unemployment fund, 12 years of work, no YEL work income given (an entrepreneur
is asked for that, not for a wage), renting in Turku 20100, wants help with debts and with coping) goes
through the real forms, checks his answers and gets the plan: the checklist with its deadlines, his income
(Kela's general support, 37.21 € a day, about 800.02 € a month, at most 400 paid days, with the waiting
period 1.–9.12.2026 and the first paid day 10.12.2026) and the service points near his home. Also: the
optional support step sent with nothing ticked (no debt or coping tasks), a dismissed employee in a fund
(30 months, 3000 € a month) who gets the earnings-related allowance first with its step-down timeline,
Matti as a member of an entrepreneurs' fund (30 months, 26,000 € of YEL work income), the error summary of
the situation step, invalid work answers, the language switcher, every Change link, and with JavaScript the
map picker of the home (no day care units on it).

Expected texts come from the app's own catalogs (see conftest.Localized), so the tests hold in every
language before and after the translations are complete (a string not yet translated shows its English
msgid in fi/sv, and the catalogs say so too). The figures
are those of the web test (tests/web/test_unemployment_journey.py), which derives them from the rules:
an employee with 3000 € a month in 2026 (statutory deduction 3.83 %): 3000 × 0.9617 / 21.5 = 134.190698…,
37.21 + 0.45 × (134.190698… − 37.21) = 80.851314… → 80.85 a day, 80.85 × 21.5 = 1738.275 → 1738.28 a month;
80 % → 64.681051… → 64.68 (× 21.5 = 1390.62), 75 % → 60.638486… → 60.64 (× 21.5 = 1303.76).
An entrepreneur with 26,000 € a year (no deduction): 26000 / 12 / 21.5 = 100.775194…, 37.21 + 0.45 ×
63.565194… = 65.814337… → 65.81 a day, 65.81 × 21.5 = 1414.915 → 1414.92 a month.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
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
from tests.helpers import MATTI_STEPS

pytestmark = pytest.mark.browser

EVENT = "unemployment"
STEP_ORDER = list(MATTI_STEPS)

FIRST_DAY = date(2026, 12, 1)  # Tuesday
WAITING_PERIOD_END = date(2026, 12, 9)  # 7 weekdays: Tue 1.12.–Wed 9.12.
FIRST_PAID_DAY = date(2026, 12, 10)
LAST_PAID_DAY = date(2028, 6, 21)  # paid day 400
APPLY_BY = date(2027, 3, 1)  # within three months of the first day

# The tasks Matti must get, with their deadline (None: no deadline).
MATTI_TASKS = {
    "get_debt_advice": TODAY,  # as soon as you can
    "talk_about_coping": TODAY,  # whenever you need
    "register_as_jobseeker": FIRST_DAY,  # at the latest on the first day
    "plan_waiting_period": FIRST_DAY,  # the waiting period starts
    "end_business": FIRST_DAY,  # his business ended
    # 1.12.2026 + 1 month (granted up to a month back) = 1.1.2027, end of that month Sun 31.1.2027 → Mon 1.2.2027
    "apply_for_housing_allowance": date(2027, 1, 29),  # end of January is a Sunday → Friday 29.1.
    # 1.12.2026 + 1 month = Fri 1.1.2027, New Year's Day → Sat 2, Sun 3 → Mon 4.1.2027 (Act 150/1930)
    "search_for_jobs": date(2027, 1, 4),
    "apply_for_kela_benefit": APPLY_BY,  # not a fund member: Kela
    "book_health_check": None,
}
NOT_FOR_MATTI = ("apply_for_earnings_related_allowance", "ask_about_training")
SUPPORT_TASKS = ("get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training")
SERVICE_KINDS = ("employment_services", "debt_advice", "health_centre", "mental_health")

GENERAL_SUPPORT_DAY, GENERAL_SUPPORT_MONTH = Decimal("37.21"), Decimal("800.02")  # 37.21 × 21.5 = 800.015
MAX_PAID_DAYS = 400  # over three years of work

# A dismissed employee in a fund for 30 months with 3000 € a month (the web test's figures): the
# earnings-related allowance, 80.85 € a day, stepped down to 80 % after 40 paid days and to 75 % after 170.
EMPLOYEE = {"situation": {"reason": "dismissal"}}
MEMBER_WORK = {**MATTI_STEPS["work"], "fund_member": "yes", "membership_months": "30", "monthly_wage": "3000"}
MEMBER_PERIODS = (  # start, end, first paid day, last paid day, a day, a month, stepped down to (%)
    (FIRST_PAID_DAY, date(2027, 2, 3), 1, 40, Decimal("80.85"), Decimal("1738.28"), None),
    (date(2027, 2, 4), date(2027, 8, 4), 41, 170, Decimal("64.68"), Decimal("1390.62"), 80),
    (date(2027, 8, 5), LAST_PAID_DAY, 171, 400, Decimal("60.64"), Decimal("1303.76"), 75),
)
# Matti in an entrepreneurs' fund for 30 months (15 needed) with 26,000 € of confirmed YEL work income.
ENTREPRENEUR_WORK = {
    "fund_member": "yes",
    "membership_months": "30",
    "work_years": "12",
    "yel_income": "26000",
    "age": "35",
}
ENTREPRENEUR_DAY, ENTREPRENEUR_MONTH = Decimal("65.81"), Decimal("1414.92")

KIND_NAMES = {
    "earnings_related": "Earnings-related allowance from your fund",
    "general_support": "General support from Kela",
}


@pytest.fixture(scope="module")
def unemployment():
    return default_life_events()[EVENT]


def start_journey(new_page, live_server, lang: str, js: bool):
    return journeys.start_journey(new_page, live_server, lang, js, event=EVENT)


def answer_step_here(browser, step: str, **changes) -> None:
    """Answer the step page that is open now with Matti's answers (a question revealed by an earlier answer
    of the same step is answered after it appears) and press its button."""
    journeys.answer_step_here(browser, step, {**MATTI_STEPS[step], **changes})


def option_labels(event, localized, lang: str, question_id: str, values) -> list[str]:
    """The translated labels of the chosen options, in the order of the question's options."""
    question = next(q for step in event.steps for q in step.questions if q.id == question_id)
    return [localized.text(lang, o.label) for o in question.options if o.value in values]


def task_title(event, localized, lang: str, task_id: str) -> str:
    return localized.text(lang, next(item.title for item in event.checklist if item.id == task_id))


def task_ids(page) -> list[str]:
    return [
        i.removeprefix("task-") for i in page.locator(".checklist__item").evaluate_all("items => items.map(i => i.id)")
    ]


def space_normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def eur(localized, lang: str, amount: Decimal) -> str:
    """An amount as the page writes it (spaces normalised, as in income_rows: 1 739,35 €)."""
    return space_normalised(localized.render(lang, "{{ amount|eur }}", amount=amount))


def paid_days(localized, lang: str, days: int) -> str:
    return localized.render(lang, "{{ ngettext('%(num)s paid day', '%(num)s paid days', days) }}", days=days)


def waiting_period_text(localized, lang: str) -> str:
    return localized.text(
        lang,
        "%(start)s–%(end)s: waiting period of %(days)s weekdays, no benefit.",
        start=localized.date(lang, FIRST_DAY, "medium"),
        end=localized.date(lang, WAITING_PERIOD_END, "medium"),
        days=7,
    )


def period_text(
    localized, lang: str, start: date, end: date, first: int, last: int, daily: Decimal, monthly: Decimal
) -> str:
    return localized.text(
        lang,
        "%(start)s–%(end)s (paid days %(first)s–%(last)s): %(daily)s a day, about %(monthly)s a month.",
        start=localized.date(lang, start, "medium"),
        end=localized.date(lang, end, "medium"),
        first=first,
        last=last,
        daily=eur(localized, lang, daily),
        monthly=eur(localized, lang, monthly),
    )


def timeline(page, kind: str) -> list[str]:
    """The points of a benefit's timeline (the list after its heading), spaces normalised."""
    return [space_normalised(t) for t in page.locator(f"#timeline-{kind} + ol.timeline > li").all_inner_texts()]


INCOME_CARDS = "section[aria-labelledby=income-title] ul.options > .option"


def income_rows(page) -> list[list[str]]:
    """Each benefit's card as [name, a day, a month, paid for at most, for you], in the order shown."""
    parts = (
        ".option__title",
        "[data-fact=daily] dd",
        "[data-fact=cost] dd",
        "[data-fact=duration] dd",
        ".option__meta",
    )
    return [
        [space_normalised(card.locator(part).inner_text()) for part in parts]
        for card in page.locator(INCOME_CARDS).all()
    ]


# --- the whole journey --------------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_matti_whole_journey_check_and_plan(new_page, live_server, localized, unemployment, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.goto(f"/{lang}/")
    assert_lang(page, lang)
    browser.navigate_by(f"main a[href$='/events/{EVENT}/']")
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, unemployment.title)
    browser.navigate_by("main a.button--start")

    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/situation"
    for step in STEP_ORDER:
        if step == "work":
            assert page.locator("[name=membership_months]").count() == 0, "asked only of fund members"
            assert page.locator("[name=monthly_wage]").count() == 0, "his own business ended: no wage"
            assert page.locator("label[for=yel_income]").inner_text().strip() == localized.text(
                lang, "What was your confirmed YEL work income a year? (optional)"
            )
        if step == "support":
            assert page.locator("input[name=needs][type=checkbox]").count() == 3
            assert page.locator("input[name=needs]:checked").count() == 0, "nothing is ticked for the user"
        answer_step_here(browser, step)
        assert_lang(page, lang)
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Check your answers")

    situation, home = MATTI_STEPS["situation"], MATTI_STEPS["home"]
    assert (
        summary_value(page, "reason")
        == option_labels(unemployment, localized, lang, "reason", [situation["reason"]])[0]
    )
    assert summary_value(page, "first_day") == localized.date(lang, FIRST_DAY)
    assert summary_value(page, "fund_member") == localized.text(lang, "No")
    assert page.locator("a[href$='#membership_months']").count() == 0, "no months for a non-member"
    assert summary_value(page, "work_years") == "12"
    assert summary_value(page, "yel_income") == localized.text(lang, "Not given")
    assert page.locator("a[href$='#monthly_wage']").count() == 0, "the wage is asked of employees only"
    assert summary_value(page, "age") == "35"
    assert (
        summary_value(page, "housing") == option_labels(unemployment, localized, lang, "housing", [home["housing"]])[0]
    )
    # The postal area, code and name: Posti names 20100 in Swedish too (Turku is bilingual).
    assert summary_value(page, "home") == {"fi": "20100 Turku", "sv": "20100 Åbo", "en": "20100 Turku"}[lang]
    assert summary_value(page, "needs") == ", ".join(
        option_labels(unemployment, localized, lang, "needs", MATTI_STEPS["support"]["needs"])
    )
    assert page.locator(".tag--missing").count() == 0

    browser.navigate_by("main a.button[href$='/plan']")
    assert path_of(page) == f"/{lang}/events/{EVENT}/plan"
    assert_lang(page, lang)
    check_matti_plan(page, localized, unemployment, lang, js and polku_js_ready(live_server.url))


def check_matti_plan(page, localized, unemployment, lang: str, map_shown: bool) -> None:
    assert page.locator("main h1").inner_text().strip() == localized.text(lang, "Your plan")

    # The checklist: the tasks Matti must do, with their deadlines, and none that are not his.
    assert sorted(task_ids(page)) == sorted(MATTI_TASKS)
    for task_id, due in MATTI_TASKS.items():
        task = page.locator(f"#task-{task_id}")
        assert task.locator("h3").inner_text().strip() == task_title(unemployment, localized, lang, task_id)
        if due is not None:
            deadline = task.locator(f"time[datetime='{due.isoformat()}']")
            assert deadline.count() == 1, f"{task_id}: no deadline {due}: {task.inner_text()}"
            assert deadline.inner_text().strip() == localized.date(lang, due)
    for task_id in NOT_FOR_MATTI:
        assert page.locator(f"#task-{task_id}").count() == 0, f"{task_id} is not for Matti"
    assert page.locator("#task-book_health_check time").count() == 0
    assert localized.text(lang, "No deadline") in page.locator("#task-book_health_check").inner_text()
    # In date order, the task without a deadline last.
    dates = page.locator(".checklist__item time[datetime]").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates)
    assert task_ids(page)[-1] == "book_health_check"
    # The waiting period and Kela's benefit name their figures.
    waiting = page.locator("#figures-plan_waiting_period").inner_text()
    for day in (FIRST_DAY, WAITING_PERIOD_END, FIRST_PAID_DAY):
        assert localized.date(lang, day) in waiting, (day, waiting)
    kela = space_normalised(page.locator("#figures-apply_for_kela_benefit").inner_text())
    for amount in (GENERAL_SUPPORT_DAY, GENERAL_SUPPORT_MONTH):
        assert localized.render(lang, "{{ amount|number(2) }}", amount=amount) in kela, (amount, kela)
    assert page.locator("#task-apply_for_kela_benefit details summary").inner_text().strip() == localized.text(
        lang, "Rules and sources"
    )

    # The income: Kela's general support only (not a fund member), with its timeline.
    income = page.locator("section[aria-labelledby=income-title]")
    assert income.locator("h2").inner_text().strip() == localized.text(lang, "Your income while unemployed")
    assert income.locator("ul.options").get_attribute("aria-label") == localized.text(lang, "Benefits side by side")
    assert (
        localized.text(lang, "The earnings-related allowance is paid only to members of an unemployment fund.")
        in income.inner_text()
    )
    assert income_rows(page) == [
        [
            localized.text(lang, KIND_NAMES["general_support"]),
            eur(localized, lang, GENERAL_SUPPORT_DAY),
            eur(localized, lang, GENERAL_SUPPORT_MONTH),
            paid_days(localized, lang, MAX_PAID_DAYS),
            localized.text(lang, "You get this"),
        ]
    ]
    assert page.locator(f"{INCOME_CARDS} .tag--room").count() == 1
    assert page.locator("#timeline-general_support").inner_text().strip() == localized.text(
        lang, "Over time: %(benefit)s", benefit=localized.text(lang, KIND_NAMES["general_support"])
    )
    assert timeline(page, "general_support") == [
        space_normalised(text)
        for text in (
            waiting_period_text(localized, lang),
            period_text(
                localized,
                lang,
                FIRST_PAID_DAY,
                LAST_PAID_DAY,
                1,
                MAX_PAID_DAYS,
                GENERAL_SUPPORT_DAY,
                GENERAL_SUPPORT_MONTH,
            ),
            localized.text(lang, "Apply by %(date)s at the latest.", date=localized.date(lang, APPLY_BY)),
        )
    ]
    assert page.locator("#timeline-earnings_related").count() == 0

    check_services(page, localized, lang)

    # The map is optional: with JavaScript it is shown after the lists, without it the lists are all.
    if map_shown:
        page.wait_for_function("() => !document.querySelector('[data-results-map]').hidden")
    else:
        assert page.locator("[data-results-map]").is_hidden()


def check_services(page, localized, lang: str) -> None:
    """The services near the home, by kind, nearest first, with the next free appointment."""
    for kind in SERVICE_KINDS:
        heading = page.locator(f"#services-{kind}")
        assert heading.count() == 1, f"no heading of {kind}"
        assert heading.inner_text().strip() == localized.text(lang, SERVICE_KIND_NAMES[kind])
        points = page.locator(f"#services-{kind}-list > .option")
        assert points.count() >= 1, kind
        labels = points.first.locator(".option__fact dt").all_inner_texts()
        assert labels[0].strip() == localized.text(lang, "Distance")
        assert labels[1].strip() == localized.text(lang, "Next free appointment")
        times = points.locator("[data-fact=next] time[datetime]").evaluate_all(
            "ts => ts.map(t => t.getAttribute('datetime'))"
        )
        assert all(t[:10] >= TODAY.isoformat() for t in times), times
        distances = [
            float(space_normalised(t).split(" ")[0].replace(",", "."))
            for t in points.locator("[data-fact=distance] dd").all_inner_texts()
        ]
        assert distances == sorted(distances), f"{kind}: not nearest first: {distances}"
    assert page.locator("ol.services [data-fact=next] time[datetime]").count() >= 1, "no next free appointment anywhere"
    assert (
        page.locator("section[aria-labelledby=services-title]")
        .get_by_text(
            localized.text(
                lang,
                "We found no service point of this kind for your municipality. The municipal advice service "
                "can tell you where to turn.",
            )
        )
        .count()
        == 0
    )


# --- the optional support step ------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_support_step_can_be_skipped_and_then_no_support_tasks(
    new_page, live_server, localized, unemployment, lang, js
):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.answer(["situation", "work", "home"])
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/support"
    assert localized.text(lang, unemployment.steps[-1].intro.strip()) in space_normalised(
        page.locator("main").inner_text()
    )
    assert page.locator("input[name=needs]:checked").count() == 0
    browser.submit("main form")  # nothing ticked
    assert path_of(page) == f"/{lang}/events/{EVENT}/check", "the support step is optional"
    assert page.locator(".error-summary").count() == 0
    assert summary_value(page, "needs") == localized.text(lang, "Not given")
    browser.navigate_by("main a.button[href$='/plan']")
    ids = task_ids(page)
    assert not set(ids) & set(SUPPORT_TASKS), f"support tasks without being asked for: {ids}"
    assert {"register_as_jobseeker", "apply_for_kela_benefit", "end_business"} <= set(ids)
    assert len(ids) == len(MATTI_TASKS) - 3  # no debt advice, no coping, no health check

    # Asking for help with debts later adds only the debt advice; unticking it takes it away again.
    browser.goto(f"/{lang}/events/{EVENT}/check")
    browser.navigate_by("a[href*='/steps/support?change=1'][href$='#needs']")
    browser.fill({"needs": ["debts"]})
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert summary_value(page, "needs") == option_labels(unemployment, localized, lang, "needs", ["debts"])[0]
    browser.navigate_by("main a.button[href$='/plan']")
    assert set(task_ids(page)) & set(SUPPORT_TASKS) == {"get_debt_advice"}
    browser.goto(f"/{lang}/events/{EVENT}/steps/support?change=1")
    assert page.locator("input[name=needs][value=debts]").is_checked()
    page.locator("label[for=needs]").click()  # untick debts (the first checkbox)
    assert page.locator("input[name=needs]:checked").count() == 0
    browser.submit("main form")
    assert summary_value(page, "needs") == localized.text(lang, "Not given")
    browser.navigate_by("main a.button[href$='/plan']")
    assert not set(task_ids(page)) & set(SUPPORT_TASKS), "unticking all clears the answer"


# --- a member of an unemployment fund -----------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_fund_member_sees_the_earnings_related_allowance_first(
    new_page, live_server, localized, unemployment, lang, js
):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.answer(["situation"], EMPLOYEE)
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/work"
    assert page.locator("#yel_income").count() == 0, "the YEL work income is asked of entrepreneurs only"
    # A yes reveals the months of membership: asked on the same page, not reported as a mistake.
    browser.fill({name: MEMBER_WORK[name] for name in ("fund_member", "work_years", "monthly_wage", "age")})
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/work"
    months = page.locator("#membership_months")
    assert months.count() == 1
    assert page.locator("label[for=membership_months]").inner_text().strip() == localized.text(
        lang, "For how many months have you been a member?"
    )
    assert page.locator(".error-summary a[href='#membership_months']").count() == 0, (
        "a question the user had not seen yet is not an error"
    )
    assert page.locator("#work_years").input_value() == "12" and page.locator("#monthly_wage").input_value() == "3000"
    browser.fill({"membership_months": MEMBER_WORK["membership_months"]})
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/home"
    for step in ("home", "support"):
        answer_step_here(browser, step)
    assert summary_value(page, "fund_member") == localized.text(lang, "Yes")
    assert summary_value(page, "membership_months") == "30"
    assert summary_value(page, "monthly_wage") == localized.render(lang, "{{ 3000|eur }}")
    browser.navigate_by("main a.button[href$='/plan']")

    ids = task_ids(page)
    assert "apply_for_earnings_related_allowance" in ids and "apply_for_kela_benefit" not in ids
    assert "end_business" not in ids, "his employer's job ended, not a business of his own"
    deadline = page.locator(f"#task-apply_for_earnings_related_allowance time[datetime='{APPLY_BY.isoformat()}']")
    assert deadline.count() == 1

    # The earnings-related allowance first, the one he gets; Kela's general support after it, not for him now.
    income = page.locator("section[aria-labelledby=income-title]")
    assert income.locator(".tag--estimate").count() == 0, "the 2026 statutory deduction (3.83 %) is published"
    assert income_rows(page) == [
        [
            localized.text(lang, KIND_NAMES["earnings_related"]),
            eur(localized, lang, Decimal("80.85")),
            eur(localized, lang, Decimal("1738.28")),
            paid_days(localized, lang, MAX_PAID_DAYS),
            localized.text(lang, "You get this"),
        ],
        [
            localized.text(lang, KIND_NAMES["general_support"]),
            eur(localized, lang, GENERAL_SUPPORT_DAY),
            eur(localized, lang, GENERAL_SUPPORT_MONTH),
            paid_days(localized, lang, MAX_PAID_DAYS),
            localized.text(lang, "Not for you now"),
        ],
    ]
    assert page.locator(INCOME_CARDS).first.locator(".tag--room").count() == 1
    assert page.locator(INCOME_CARDS).nth(1).locator(".tag--room").count() == 0

    # The step-down timeline: 80 % after 40 paid days, 75 % after 170.
    headings = income.locator("h3[id^=timeline-]").all_inner_texts()
    assert [h.strip() for h in headings] == [
        localized.text(lang, "Over time: %(benefit)s", benefit=localized.text(lang, KIND_NAMES[kind]))
        for kind in ("earnings_related", "general_support")
    ]
    expected = [waiting_period_text(localized, lang)]
    for start, end, first, last, daily, monthly, percent in MEMBER_PERIODS:
        text = period_text(localized, lang, start, end, first, last, daily, monthly)
        if percent is not None:
            text += " " + localized.render(
                lang, "{{ _('Stepped down to %(percent)s %%.', percent=value|number(0)) }}", value=percent
            )
        expected.append(space_normalised(text))
    expected.append(localized.text(lang, "Apply by %(date)s at the latest.", date=localized.date(lang, APPLY_BY)))
    assert timeline(page, "earnings_related") == [space_normalised(text) for text in expected]


@pytest.mark.parametrize("lang", LANGS)
def test_entrepreneur_member_gets_the_allowance_from_the_yel_income(
    new_page, live_server, localized, unemployment, lang
):
    page, browser = start_journey(new_page, live_server, lang, True)
    browser.answer(["situation", "work", "home", "support"], {"work": ENTREPRENEUR_WORK})
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert summary_value(page, "membership_months") == "30"
    assert summary_value(page, "yel_income") == localized.render(lang, "{{ 26000|eur }}")
    browser.navigate_by("main a.button[href$='/plan']")

    ids = task_ids(page)
    assert "apply_for_entrepreneur_allowance" in ids and "end_business" in ids
    assert "apply_for_earnings_related_allowance" not in ids and "apply_for_kela_benefit" not in ids
    task = page.locator("#task-apply_for_entrepreneur_allowance")
    assert task.locator("h3").inner_text().strip() == task_title(
        unemployment, localized, lang, "apply_for_entrepreneur_allowance"
    )
    assert task.locator(f"time[datetime='{APPLY_BY.isoformat()}']").count() == 1
    assert income_rows(page) == [
        [
            localized.text(lang, KIND_NAMES["earnings_related"]),
            eur(localized, lang, ENTREPRENEUR_DAY),
            eur(localized, lang, ENTREPRENEUR_MONTH),
            paid_days(localized, lang, MAX_PAID_DAYS),
            localized.text(lang, "You get this"),
        ],
        [
            localized.text(lang, KIND_NAMES["general_support"]),
            eur(localized, lang, GENERAL_SUPPORT_DAY),
            eur(localized, lang, GENERAL_SUPPORT_MONTH),
            paid_days(localized, lang, MAX_PAID_DAYS),
            localized.text(lang, "Not for you now"),
        ],
    ]


# --- error messages -----------------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_error_summary_of_the_situation_step_links_to_the_first_field(new_page, live_server, localized, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.goto(f"/{lang}/events/{EVENT}/steps/situation")
    title_before = page.title()
    browser.submit("main form")
    assert page.title() == localized.text(lang, "Error:") + " " + title_before
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "group"  # announced once, by focus: not also an alert (issue 19)
    assert summary.locator("h2").inner_text().strip() == localized.text(lang, "There is a problem")
    if js:
        # polku.js moves focus to the summary when the page loads, so a screen reader reads it first.
        page.wait_for_function("() => document.activeElement && document.activeElement.matches('[data-error-summary]')")
    links = summary.locator("a")
    assert [(a.get_attribute("href"), a.inner_text().strip()) for a in links.all()] == [
        ("#reason", localized.text(lang, "Select why your work ends")),
        ("#first_day-day", localized.text(lang, "Enter your first day without work")),
    ], "one link per question, in the order of the page"
    first_radio = page.locator("input[name=reason]").first
    assert first_radio.get_attribute("id") == "reason", "the summary links to the first radio"
    assert first_radio.get_attribute("aria-invalid") == "true"
    assert localized.text(lang, "Select why your work ends") in page.locator("#reason-error").inner_text()
    described = page.locator("fieldset:has(#reason)").get_attribute("aria-describedby").split()
    assert "reason-error" in described
    assert page.locator("#first_day-day").get_attribute("aria-invalid") == "true"
    assert "first_day-error" in page.locator("fieldset#first_day").get_attribute("aria-describedby").split()

    links.first.click()
    if js:
        # polku.js moves focus to the radio (and scrolls its legend into view), as GOV.UK does.
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'reason'")
        page.keyboard.press("Space")
        assert page.locator("#reason").is_checked(), "Space chooses the focused radio"
    else:
        page.wait_for_url(re.compile(r"#reason$"))
        assert (
            page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == "reason"
        )
        assert page.evaluate("() => document.activeElement.id") == "reason"
    # The date link goes to the day.
    links.nth(1).click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'first_day-day'")


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_invalid_work_answers_are_explained_and_kept(new_page, live_server, localized, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.answer(["situation"])
    # the fields on Matti's work page (his own business ended: the YEL income, not the wage, is asked)
    work = {name: value for name, value in MATTI_STEPS["work"].items() if name != "monthly_wage"}
    browser.fill({**work, "yel_income": "", "work_years": "abc", "age": "5"})
    browser.submit("main form")
    assert page.title().startswith(localized.text(lang, "Error:") + " ")
    links = page.locator(".error-summary a")
    assert [(a.get_attribute("href"), a.inner_text().strip()) for a in links.all()] == [
        ("#work_years", localized.text(lang, "Enter the years as a whole number, like 12")),
        ("#age", localized.text(lang, "Enter an age of at least 15")),
    ], "only the wrong answers are flagged (the empty optional YEL income is not)"
    assert page.locator("#work_years").input_value() == "abc", "the user's text is kept"
    assert page.locator("#age").input_value() == "5"
    for field in ("work_years", "age"):
        assert page.locator(f"#{field}").get_attribute("aria-invalid") == "true"
        assert f"{field}-error" in page.locator(f"#{field}").get_attribute("aria-describedby").split()
    assert page.locator("#yel_income").get_attribute("aria-invalid") is None
    assert page.locator("#monthly_wage").count() == 0, "Matti's own business ended: no wage question"
    assert page.locator("input[name=fund_member][value=no]").is_checked()
    browser.fill({"work_years": "12", "age": "35"})
    browser.submit("main form")
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/home"


# --- language -----------------------------------------------------------------------------------


@pytest.mark.parametrize("js", JS)
@pytest.mark.parametrize("lang", LANGS)
def test_language_switcher_keeps_the_place_and_the_answers(new_page, live_server, localized, unemployment, lang, js):
    page, browser = start_journey(new_page, live_server, lang, js)
    browser.answer(["situation", "work"])
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/home"
    other = OTHER_LANGUAGE[lang]
    assert page.locator(".lang-switch [aria-current=page]").get_attribute("lang") == lang
    browser.navigate_by(f".lang-switch a[hreflang='{other}']")
    assert path_of(page) == f"/{other}/events/{EVENT}/steps/home"
    assert_lang(page, other)
    assert page.locator("main h1").inner_text().strip() == localized.text(other, "Your home")
    browser.lang = other
    browser.navigate_by("a.back-link")
    assert path_of(page) == f"/{other}/events/{EVENT}/steps/work"
    work = MATTI_STEPS["work"]
    assert page.locator(f"input[name=fund_member][value={work['fund_member']}]").is_checked(), "lost in the switch"
    for name in ("work_years", "yel_income", "age"):
        assert page.locator(f"#{name}").input_value() == work.get(name, ""), f"{name} lost in the switch"
    browser.navigate_by("a.back-link")
    assert path_of(page) == f"/{other}/events/{EVENT}/steps/situation"
    situation = MATTI_STEPS["situation"]
    chosen = page.locator("input[name=reason]:checked")
    assert chosen.get_attribute("value") == situation["reason"]
    assert (
        page.locator(f"label[for='{chosen.get_attribute('id')}']").inner_text().strip()
        == option_labels(unemployment, localized, other, "reason", [situation["reason"]])[0]
    )
    for name in ("first_day-day", "first_day-month", "first_day-year"):
        assert page.locator(f"#{name}").input_value() == situation[name], name

    # The plan in one language, then in another: the same tasks and the same income.
    browser.lang = lang
    browser.answer(["home", "support"])
    browser.goto(f"/{lang}/events/{EVENT}/plan")
    tasks = task_ids(page)
    assert sorted(tasks) == sorted(MATTI_TASKS)
    browser.navigate_by(f".lang-switch a[hreflang='{other}']")
    assert path_of(page) == f"/{other}/events/{EVENT}/plan"
    assert_lang(page, other)
    assert task_ids(page) == tasks
    assert page.locator("#task-register_as_jobseeker h3").inner_text().strip() == task_title(
        unemployment, localized, other, "register_as_jobseeker"
    )
    assert income_rows(page)[0][:3] == [
        localized.text(other, KIND_NAMES["general_support"]),
        eur(localized, other, GENERAL_SUPPORT_DAY),
        eur(localized, other, GENERAL_SUPPORT_MONTH),
    ]


# --- links and the map --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en"])
def test_every_change_link_lands_on_its_question(new_page, live_server, lang):
    page, browser = start_journey(new_page, live_server, lang, True)
    browser.answer("all")
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    hrefs = page.locator(".summary-list__actions a").evaluate_all("links => links.map(a => a.href)")
    # situation 2 (reason, first day), work 4 (fund member, years, YEL income, age: no months for a non-member,
    # no wage for an entrepreneur), home 2, support 1
    assert len(hrefs) == 9, hrefs
    for href in hrefs:
        fragment = urlsplit(href).fragment
        html = page.request.get(href).text()
        assert re.search(rf'\bid="{re.escape(fragment)}"', html), f"{href}: no element with id {fragment}"


@pytest.mark.parametrize("lang", LANGS)
def test_map_picker_sets_the_home_with_the_keyboard_without_day_care_units(new_page, live_server, localized, lang):
    page, browser = start_journey(new_page, live_server, lang, True)
    assert polku_js_ready(live_server.url), "static/js/polku.js is not served: the map picker cannot work"
    unit_requests: list[str] = []
    page.on("request", lambda request: unit_requests.append(request.url) if "/ecec-units" in request.url else None)
    browser.answer(["situation", "work"])
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/home"
    picker = visible_map_picker(page)
    # Day care units are orientation for the ECEC questions only: not asked for, not drawn here.
    assert picker.get_attribute("data-units-url") is None
    tab_to_map(page, "home")
    label = page.locator("#home-map").get_attribute("aria-label")
    assert label == localized.text(lang, "Map for choosing: %(place)s", place=localized.text(lang, "Your home"))
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#home-lat').value !== ''")
    lat = float(page.locator("#home-lat").input_value())
    lon = float(page.locator("#home-lon").input_value())
    assert 59 < lat < 71 and 19 < lon < 32, (lat, lon)  # a point in Finland
    assert page.locator("#home-map-status").inner_text().strip() != ""
    page.wait_for_load_state("networkidle")
    assert page.locator("#home-map .map-unit").count() == 0, "day care units drawn on the home map"
    assert not unit_requests, f"the home map asked for day care units: {unit_requests}"
    # The point alone is enough: the postal code is left empty.
    choose = {"housing": MATTI_STEPS["home"]["housing"], "home-postal_code": ""}
    browser.fill(choose)
    browser.submit("main form")
    assert page.locator(".error-summary").count() == 0
    assert path_of(page) == f"/{lang}/events/{EVENT}/steps/support"
    answer_step_here(browser, "support")
    assert path_of(page) == f"/{lang}/events/{EVENT}/check"
    assert localized.text(lang, "point on the map") in summary_value(page, "home")
    # The plan finds the services around the point.
    browser.navigate_by("main a.button[href$='/plan']")
    for kind in SERVICE_KINDS:
        assert page.locator(f"#services-{kind}-list > .option").count() >= 1, kind
