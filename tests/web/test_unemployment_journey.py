"""Matti's journey through the becoming-unemployed life event in the HTML portal (Flask test client).

Figures are derived by hand from /work/shared/reference/rules-facts.md section 2 and its "Corrections and
additions, checked 2026-12":
Kela's general support (from 2026-05-01) is 37.21 € a day; a month is 21.5 paid days, 37.21 × 21.5 = 800.015
→ €800.02. A dismissed employee in a fund with 3000 € a month, first day in 2026 (statutory deduction 3.83 %):
daily wage 3000 × 0.9617 / 21.5 = 134.190698…, allowance 37.21 + 0.45 × (134.190698… − 37.21) = 80.851314…
→ €80.85, a month 80.85 × 21.5 = 1738.275 → €1,738.28; after 40 paid days 80 % → 64.681051… → 64.68, after
170 paid days 75 % → 60.638486… → 60.64. Matti as a member of an entrepreneurs' fund with 26,000 € of
confirmed YEL work income (no statutory deduction): 26000 / 12 / 21.5 = 100.775194…; 37.21 + 0.45 ×
63.565194… = 65.814337… → €65.81, a month 65.81 × 21.5 = 1414.915 → €1,414.92.
Matti's first day without work is Tue 1.12.2026: waiting period Tue 1.12.–Wed 9.12. (7 weekdays), first
paid day Thu 10.12.2026, paid day 400 on Wed 21.6.2028. "Today" is 2026-11-22 (tests/conftest.py).
Deadlines (Act 150/1930): the job search 1.12.2026 + 1 month = Fri 1.1.2027 (New Year's Day) → Mon 4.1.2027;
housing allowance 1.12. + 1 month, end of that month Sun 31.1.2027 → Mon 1.2.2027; Kela 1.12. + 3 months =
Mon 1.3.2027.
"""

from __future__ import annotations

import re

from tests.helpers import MATTI_STEPS, complete_unemployment

BASE = "/en/events/unemployment"
MATTI_TASKS = {
    "register_as_jobseeker": "Register as a jobseeker",
    "apply_for_kela_benefit": "Apply for unemployment benefit from Kela",
    "plan_waiting_period": "Plan for the unpaid waiting period",
    "search_for_jobs": "Apply for jobs as agreed in your employment plan",
    "apply_for_housing_allowance": "Apply for general housing allowance",
    "end_business": "End your business or make it part-time",
    "get_debt_advice": "Get free debt advice",
    "talk_about_coping": "Talk to someone about how you cope",
    "book_health_check": "Book a health check at your health centre",
}
SUPPORT_TASKS = ("get_debt_advice", "talk_about_coping", "book_health_check", "ask_about_training")
EMPLOYEE = {"reason": "dismissal"}
MEMBER_WORK = {**MATTI_STEPS["work"], "fund_member": "yes", "membership_months": "30", "monthly_wage": "3000"}
ENTREPRENEUR_WORK = {
    "fund_member": "yes",
    "membership_months": "30",
    "work_years": "12",
    "yel_income": "26000",
    "age": "35",
}


def text(response) -> str:
    return response.get_data(as_text=True)


def task_ids(page: str) -> list[str]:
    return re.findall(r'<li class="checklist__item" id="task-(\w+)">', page)


def preview_region(page: str) -> str:
    match = re.search(r'<div class="preview"[^>]*data-preview-region.*?</div>', page, re.S)
    assert match, "no preview region"
    return match.group(0)


def section(page: str, labelledby: str) -> str:
    match = re.search(rf'<section aria-labelledby="{labelledby}">.*?</section>', page, re.S)
    assert match, labelledby
    return match.group(0)


def benefit_cards(income: str) -> list[str]:
    """The benefits compared, one card each, in the order shown."""
    return re.findall(r'<li class="option[^"]*" id="benefit-\w+">.*?</li>', income, re.S)


def post_step(client, step: str, data: dict, query: str = ""):
    return client.post(f"{BASE}/steps/{step}{query}", data=data)


# --- the plan ---------------------------------------------------------------------------------------------


def test_matti_plan_shows_his_tasks(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    response = csrf_off_client.get(f"{BASE}/plan")
    assert response.status_code == 200
    page = text(response)
    assert set(task_ids(page)) == set(MATTI_TASKS)
    assert "task-apply_for_earnings_related_allowance" not in page and "task-ask_about_training" not in page
    for title in MATTI_TASKS.values():
        assert title in page, title
    # the checklist is sorted by deadline: today's support tasks, then 1.12., …, Kela by 1.3.2027, no deadline last
    ids = task_ids(page)
    assert ids[:2] == ["get_debt_advice", "talk_about_coping"] and ids[-1] == "book_health_check"
    assert ids.index("apply_for_kela_benefit") == len(ids) - 2
    assert ids.index("search_for_jobs") < ids.index("apply_for_housing_allowance")  # 4.1. before 1.2.2027
    for day in ("2026-11-22", "2026-12-01", "2027-01-04", "2027-01-29", "2027-03-01"):
        assert f'<time datetime="{day}">' in page, day
    for moved_from in ("2026-12-31", "2027-01-01", "2027-01-31"):
        assert f'<time datetime="{moved_from}">' not in page, moved_from
    # the texts' figures are filled in
    assert "Within 3 months of your first day without work." in page
    assert "{application_months}" not in page and "{" not in re.search(
        r'<ol class="checklist">.*?</ol>', page, re.S
    ).group(0)


def test_matti_plan_shows_the_income_table_and_timeline(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    income = section(text(csrf_off_client.get(f"{BASE}/plan")), "income-title")
    rows = benefit_cards(income)
    assert len(rows) == 1  # not a fund member: Kela only
    assert "€37.21" in rows[0] and "€800.02" in rows[0] and "400" in rows[0]
    assert "The earnings-related allowance is paid only to members of an unemployment fund." in income
    timeline = re.search(r'id="timeline-general_support".*?</ol>', income, re.S).group(0)
    assert "1 Dec 2026" in timeline and "9 Dec 2026" in timeline  # the waiting period
    assert "10 Dec 2026" in timeline and "21 Jun 2028" in timeline  # paid days 1–400
    assert "1 March 2027" in timeline  # apply within three months


def test_matti_plan_shows_the_services_near_his_home(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    services = section(text(csrf_off_client.get(f"{BASE}/plan")), "services-title")
    for kind in ("employment_services", "debt_advice", "health_centre", "mental_health"):
        assert f'id="services-{kind}"' in services, kind
    assert "We found no service point of this kind" not in services
    assert re.findall(r'<li class="option" id="unit-service-\d+">', services)


def test_fund_member_plan_shows_the_earnings_related_allowance_first(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, situation=EMPLOYEE, work=MEMBER_WORK)
    page = text(csrf_off_client.get(f"{BASE}/plan"))
    ids = task_ids(page)
    assert "apply_for_earnings_related_allowance" in ids and "apply_for_kela_benefit" not in ids
    assert "end_business" not in ids
    income = section(page, "income-title")
    rows = benefit_cards(income)
    assert len(rows) == 2
    assert "€80.85" in rows[0] and "€1,738.28" in rows[0] and "tag--room" in rows[0]  # the one he gets
    assert "€37.21" in rows[1] and "tag--room" not in rows[1]
    timeline = re.search(r'id="timeline-earnings_related".*?</ol>', income, re.S).group(0)
    assert "€64.68" in timeline and "€60.64" in timeline  # 80 % after 40, 75 % after 170 paid days
    assert "3 Feb 2027" in timeline and "4 Aug 2027" in timeline  # paid days 40 and 170
    assert "tag--estimate" not in income  # the 2026 statutory deduction (3.83 %) is published


def test_entrepreneur_member_plan_uses_the_yel_income(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, work=ENTREPRENEUR_WORK)
    page = text(csrf_off_client.get(f"{BASE}/plan"))
    ids = task_ids(page)
    assert "apply_for_entrepreneur_allowance" in ids and "end_business" in ids
    assert "apply_for_earnings_related_allowance" not in ids and "apply_for_kela_benefit" not in ids
    income = section(page, "income-title")
    rows = benefit_cards(income)
    assert "€65.81" in rows[0] and "€1,414.92" in rows[0] and "tag--room" in rows[0]
    assert "no statutory deduction for entrepreneurs" in page
    assert "tag--estimate" not in income


def test_entrepreneur_without_the_yel_income_is_asked_for_it(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, work={**ENTREPRENEUR_WORK, "yel_income": ""})
    income = section(text(csrf_off_client.get(f"{BASE}/plan")), "income-title")
    assert "Enter your confirmed YEL work income to compute the earnings-related allowance." in income


def test_situation_step_offers_every_reason(csrf_off_client) -> None:
    page = text(csrf_off_client.get(f"{BASE}/steps/situation"))
    values = re.findall(r'<input class="radios__input" type="radio" name="reason" value="(\w+)"', page)
    assert values == [
        "dismissal",
        "fixed_term",
        "resigned",
        "employer_bankrupt",
        "laid_off",
        "hours_reduced",
        "business_ended",
    ]


def test_work_step_asks_the_wage_of_an_employee_and_the_yel_income_of_an_entrepreneur(csrf_off_client) -> None:
    post_step(csrf_off_client, "situation", MATTI_STEPS["situation"])  # his own business ended
    page = text(csrf_off_client.get(f"{BASE}/steps/work"))
    assert 'name="yel_income"' in page and 'name="monthly_wage"' not in page
    assert "Over 3 years of work gives a longer benefit." in page  # {work_history_years} from the parameters
    assert "{work_history_years}" not in page
    post_step(csrf_off_client, "situation", {**MATTI_STEPS["situation"], **EMPLOYEE})
    page = text(csrf_off_client.get(f"{BASE}/steps/work"))
    assert 'name="monthly_wage"' in page and 'name="yel_income"' not in page


def test_resigned_plan_explains_the_45_days(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, situation={"reason": "resigned"})
    page = text(csrf_off_client.get(f"{BASE}/plan"))
    task = re.search(r'<li class="checklist__item" id="task-explain_resignation">.*?</li>', page, re.S).group(0)
    assert "no benefit is paid for the first 45 days" in task
    assert "no benefit for 45 days, 1 December 2026 to 14 January 2027" in task  # 1.12.2026 + 44 days = 14.1.2027
    assert '<time datetime="2026-12-01">' in task  # "when you register": the first day itself


def test_owner_in_2026_gets_no_housing_allowance(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, home={"housing": "owning"})
    assert "apply_for_housing_allowance" not in task_ids(text(csrf_off_client.get(f"{BASE}/plan")))


# --- the steps --------------------------------------------------------------------------------------------


def test_support_step_can_be_submitted_with_nothing_selected(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    response = post_step(csrf_off_client, "support", {})
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/check")
    page = text(csrf_off_client.get(f"{BASE}/steps/support"))
    assert "checked" not in re.search(r"<fieldset.*?</fieldset>", page, re.S).group(0)  # unticking cleared them
    plan = csrf_off_client.get(f"{BASE}/plan")
    assert plan.status_code == 200
    ids = set(task_ids(text(plan)))
    assert not ids & set(SUPPORT_TASKS) and "register_as_jobseeker" in ids


def test_support_step_offers_the_three_options_unticked(csrf_off_client) -> None:
    page = text(csrf_off_client.get(f"{BASE}/steps/support"))
    boxes = re.findall(r'<input class="checkboxes__input" type="checkbox" name="needs" value="(\w+)"[^>]*>', page)
    assert boxes == ["debts", "coping", "retraining"]
    assert "error-summary" not in page


def test_membership_months_appears_only_for_fund_members(csrf_off_client) -> None:
    post_step(csrf_off_client, "situation", MATTI_STEPS["situation"])
    assert 'name="membership_months"' not in text(csrf_off_client.get(f"{BASE}/steps/work"))
    # yes without the months: the question appears, first without an error (the user has not seen it)
    response = post_step(csrf_off_client, "work", {**MATTI_STEPS["work"], "fund_member": "yes"})
    page = text(response)
    assert response.status_code == 200
    assert 'name="membership_months"' in page and "There is a problem" not in page
    # and with its own error when submitted again without an answer
    response = post_step(csrf_off_client, "work", {**MATTI_STEPS["work"], "fund_member": "yes"})
    assert '<a href="#membership_months">Enter the months of membership, or 0</a>' in text(response)
    # no: the question is gone and the step is complete without it
    response = post_step(csrf_off_client, "work", {**MATTI_STEPS["work"], "fund_member": "no"})
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/steps/home")
    assert 'name="membership_months"' not in text(csrf_off_client.get(f"{BASE}/steps/work"))
    # yes with the months: kept and shown again
    response = post_step(csrf_off_client, "work", MEMBER_WORK)
    assert response.status_code == 302
    page = text(csrf_off_client.get(f"{BASE}/steps/work"))
    assert re.search(r'name="membership_months" type="text" value="30"', page)


def test_plan_redirects_to_the_first_missing_step(csrf_off_client) -> None:
    assert csrf_off_client.get(f"{BASE}/plan").location.endswith(f"{BASE}/")  # nothing answered: start page
    post_step(csrf_off_client, "situation", MATTI_STEPS["situation"])
    assert csrf_off_client.get(f"{BASE}/plan").location.endswith(f"{BASE}/steps/work")
    post_step(csrf_off_client, "work", MATTI_STEPS["work"])
    assert csrf_off_client.get(f"{BASE}/plan").location.endswith(f"{BASE}/steps/home")
    post_step(csrf_off_client, "home", MATTI_STEPS["home"])
    assert csrf_off_client.get(f"{BASE}/plan").status_code == 200  # the support step is optional


def test_plan_redirects_to_work_when_a_member_has_not_given_the_months(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    post_step(csrf_off_client, "work", {**MATTI_STEPS["work"], "fund_member": "yes"})
    assert csrf_off_client.get(f"{BASE}/plan").location.endswith(f"{BASE}/steps/work")


# --- check your answers ---------------------------------------------------------------------------------


def check_row(page: str, question_id: str) -> str:
    rows = re.findall(r'<div class="summary-list__row">.*?</div>', page, re.S)
    found = [row for row in rows if f'#{question_id}"' in row]
    assert len(found) == 1, question_id
    return found[0]


def test_check_page_shows_not_given_for_the_optional_yel_income(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client)
    page = text(csrf_off_client.get(f"{BASE}/check"))
    income = check_row(page, "yel_income")
    assert re.search(r'<dd class="summary-list__value">Not given</dd>', income)
    assert "Not answered" not in page  # every required answer is there
    assert 'href="/en/events/unemployment/steps/work?change=1#yel_income"' in income
    assert "#membership_months" not in page  # hidden for a non-member
    assert "#monthly_wage" not in page  # the wage is asked of employees only
    assert re.search(
        r'<dd class="summary-list__value">Debts or paying my bills, Coping and mental health</dd>',
        check_row(page, "needs"),
    )
    assert f'href="{BASE}/plan"' in page


def test_check_page_shows_the_wage_when_given(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, situation=EMPLOYEE, work=MEMBER_WORK)
    page = text(csrf_off_client.get(f"{BASE}/check"))
    assert "€3,000" in check_row(page, "monthly_wage")
    assert "30" in check_row(page, "membership_months")
    assert "#yel_income" not in page


def test_check_page_shows_the_yel_income_when_given(csrf_off_client) -> None:
    complete_unemployment(csrf_off_client, work=ENTREPRENEUR_WORK)
    page = text(csrf_off_client.get(f"{BASE}/check"))
    assert "€26,000" in check_row(page, "yel_income")


# --- the live estimate ------------------------------------------------------------------------------------


def test_preview_shows_the_monthly_benefit_once_the_work_step_is_answered(csrf_off_client) -> None:
    post_step(csrf_off_client, "situation", MATTI_STEPS["situation"])
    before = preview_region(text(csrf_off_client.get(f"{BASE}/steps/work")))
    assert "€" not in before  # no benefit yet: the work answers are missing
    post_step(csrf_off_client, "work", MATTI_STEPS["work"])
    after = preview_region(text(csrf_off_client.get(f"{BASE}/steps/home")))
    assert "€800.02" in after and "€37.21" in after  # 37.21 × 21.5 = 800.015 → 800.02
    assert "10 December 2026" in after  # the first paid day


def test_live_preview_fragment_for_a_fund_member(csrf_off_client) -> None:
    post_step(csrf_off_client, "situation", {**MATTI_STEPS["situation"], **EMPLOYEE})
    empty = text(csrf_off_client.post(f"{BASE}/preview", data={}))
    assert "data-preview-region" in empty and "€" not in empty
    fragment = text(csrf_off_client.post(f"{BASE}/preview", data=MEMBER_WORK))
    assert "data-preview-region" in fragment
    assert "€1,738.28" in fragment and "€80.85" in fragment  # the earnings-related allowance he gets
    assert "€800.02" not in fragment  # Kela's benefit does not apply to him
    assert "tag--estimate" not in fragment  # the 2026 deduction is published
    # the preview saved nothing: the work step is still unanswered
    assert csrf_off_client.get(f"{BASE}/plan").location.endswith(f"{BASE}/steps/work")


def test_live_preview_fragment_for_an_entrepreneur(csrf_off_client) -> None:
    post_step(csrf_off_client, "situation", MATTI_STEPS["situation"])
    fragment = text(csrf_off_client.post(f"{BASE}/preview", data=ENTREPRENEUR_WORK))
    assert "€1,414.92" in fragment and "€65.81" in fragment  # Yrittäjäkassa's example (module docstring)
    # the wage alone does not count for an entrepreneur: he is asked for the YEL income
    wage_only = text(
        csrf_off_client.post(f"{BASE}/preview", data={**ENTREPRENEUR_WORK, "yel_income": "", "monthly_wage": "3000"})
    )
    assert "Enter your confirmed YEL work income to compute the earnings-related allowance." in wage_only
