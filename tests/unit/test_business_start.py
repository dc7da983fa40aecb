"""Starting a business. Figures from rules-facts section 3: PRH start-up notice
70 € (toiminimi) / 280 € (oy, ay, ky), confirmed for 2024; VAT registration when
the year's turnover exceeds 15,000 € (before 2025) / 20,000 € (from 2025-01-01),
general rate 24 % then 25.5 % from 2024-09-01; YEL obligatory from a work income
of at least 9,208.43 € (2025) / 9,423.09 € (2026), contribution 24.40 % (2026),
first-entrepreneur discount 22 % for 48 months, insure within 6 months;
start-up grant 37.21 €/day for 6-12 months in 6-month periods."""

import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

import configurator.rules.business_start as business_start
from configurator.parameters import ParameterError, default_parameters
from configurator.rules import InvalidInput
from configurator.rules.business_start import (
    business_start_costs,
    company_form_facts,
    recommend_company_forms,
    registration_fee,
    start_up_grant,
    vat_required,
    yel_applies,
    yel_required,
)

ON_2024 = date(2024, 6, 1)
ON_2025 = date(2025, 6, 1)
ON_2026 = date(2026, 3, 1)
ON_2027 = date(2027, 2, 1)


def filled(steps):
    return [item.label.format(**item.values) for item in steps]


# --- registration fee -------------------------------------------------------


@pytest.mark.parametrize("form, amount", [("toiminimi", 70), ("oy", 280), ("ay", 280), ("ky", 280)])
def test_registration_fee_per_form_2024_is_confirmed(form, amount):
    result = registration_fee(form, ON_2024)
    assert result.amount == D(amount)
    assert result.company_form == form
    assert result.estimate is False
    assert result.breakdown[0].amount == D(amount)
    assert "1247/2023" in result.breakdown[0].source


def test_registration_fee_after_2024_is_the_2024_figure_flagged_as_estimate():
    # the later PRH price list has no confirmed validity date: 70 € shown, as an estimate
    result = registration_fee("toiminimi", date(2025, 3, 1))
    assert result.amount == D(70)
    assert result.estimate is True
    assert result.breakdown[0].valid_from == date(2024, 1, 1)
    assert registration_fee("oy", ON_2026).amount == D(280)


def test_registration_fee_form_is_normalised():
    assert registration_fee(" OY ", ON_2024).company_form == "oy"


@pytest.mark.parametrize("form", ["osuuskunta", "", None, 3])
def test_registration_fee_rejects_unknown_company_form(form):
    with pytest.raises(InvalidInput) as error:
        registration_fee(form, ON_2025)
    assert error.value.field == "company_form"
    assert error.value.message.startswith("Choose a company form")


def test_registration_fee_before_first_period_raises():
    with pytest.raises(ParameterError):
        registration_fee("oy", date(2023, 12, 31))


# --- VAT --------------------------------------------------------------------


def test_vat_not_required_at_the_threshold_2025():
    result = vat_required(D(20000), ON_2025)
    assert result.required is False
    assert result.threshold == D(20000)
    assert result.estimate is False
    assert len(result.breakdown) == 1
    assert "voluntary" in filled(result.breakdown)[0]


@pytest.mark.parametrize("turnover", [D(20001), D("20000.01")])
def test_vat_required_above_the_threshold_2025(turnover):
    result = vat_required(turnover, ON_2025)
    assert result.required is True
    assert result.breakdown[1].values["rate"] == D("25.5")


def test_vat_threshold_15000_before_2025():
    result = vat_required(D(16000), ON_2024)
    assert (result.required, result.threshold) == (True, D(15000))
    # general rate 24 % before 2024-09-01
    assert result.breakdown[1].values["rate"] == D(24)
    assert vat_required(D(16000), date(2024, 10, 1)).breakdown[1].values["rate"] == D("25.5")
    assert vat_required(D(15000), date(2024, 12, 31)).required is False


def test_vat_threshold_changes_on_2025_01_01():
    assert vat_required(D(16000), date(2024, 12, 31)).required is True
    assert vat_required(D(16000), date(2025, 1, 1)).required is False


def test_vat_zero_turnover_is_allowed():
    assert vat_required(0, ON_2025).required is False


@pytest.mark.parametrize("turnover", [D(-1), "abc", None])
def test_vat_rejects_bad_turnover(turnover):
    with pytest.raises(InvalidInput) as error:
        vat_required(turnover, ON_2025)
    assert error.value.field == "turnover"


# --- YEL --------------------------------------------------------------------


def test_yel_required_at_the_2026_threshold():
    result = yel_required(D("9423.09"), ON_2026)
    assert result.required is True
    assert result.threshold == D("9423.09")
    assert result.estimate is False
    assert result.deadline_months == 6
    # 9423.09 × 0.244 = 2299.23396 → 2299.23; × 0.78 = 1793.4024888 → 1793.40
    assert result.contribution == D("2299.23")
    assert result.contribution_first_entrepreneur == D("1793.40")


def test_yel_not_required_one_cent_below_the_2026_threshold():
    result = yel_required(D("9423.08"), ON_2026)
    assert result.required is False
    assert result.contribution is None
    assert result.contribution_first_entrepreneur is None
    assert len(result.breakdown) == 1


def test_yel_threshold_2025():
    assert yel_required(D("9208.43"), ON_2025).required is True
    assert yel_required(D("9208.42"), ON_2025).required is False
    # 9300 is enough in 2025 but not in 2026
    assert yel_required(D(9300), ON_2025).required is True
    assert yel_required(D(9300), ON_2026).required is False


def test_yel_contribution_with_first_entrepreneur_discount():
    # 12000 × 24.40 % = 2928.00; × (1 − 22 %) = 2283.84
    result = yel_required(D(12000), ON_2026)
    assert result.contribution == D("2928.00")
    assert result.contribution_first_entrepreneur == D("2283.84")
    assert result.rate_percent == D("24.4")
    amounts = [item.amount for item in result.breakdown if item.amount is not None]
    assert amounts == [D("2928.00"), D("2283.84")]
    discount_step = result.breakdown[-1]
    assert discount_step.values["discount"] == D(22)
    assert discount_step.values["months"] == 48


def test_yel_contribution_rounds_to_cents_half_up():
    # 10000.03 × 0.244 = 2440.00732 → 2440.01; × 0.78 = 1903.2057096 → 1903.21
    result = yel_required(D("10000.03"), ON_2026)
    assert result.contribution == D("2440.01")
    assert result.contribution_first_entrepreneur == D("1903.21")


def test_yel_2025_has_no_contribution_estimate_because_the_rate_is_not_recorded():
    result = yel_required(D(12000), ON_2025)
    assert result.required is True
    assert result.contribution is None
    assert result.rate_percent is None
    assert "not recorded" in result.breakdown[-1].label


def test_yel_2027_uses_2026_figures_as_estimates():
    result = yel_required(D(12000), ON_2027)
    assert result.required is True
    assert result.threshold == D("9423.09")
    assert result.estimate is True
    assert result.breakdown[0].estimate is True
    assert result.contribution == D("2928.00")


def test_yel_2027_not_required_is_still_an_estimate():
    result = yel_required(D(100), ON_2027)
    assert result.required is False
    assert result.estimate is True


def test_yel_before_the_first_recorded_year_raises():
    with pytest.raises(ParameterError):
        yel_required(D(12000), ON_2024)


@pytest.mark.parametrize("income", [D(-1), "x"])
def test_yel_rejects_bad_work_income(income):
    with pytest.raises(InvalidInput) as error:
        yel_required(income, ON_2026)
    assert error.value.field == "work_income"


# --- does YEL apply to the founder's role -----------------------------------


@pytest.mark.parametrize("form", ["toiminimi", "ay", "ky"])
def test_yel_applies_to_sole_traders_and_general_partners(form):
    assert yel_applies(form, None, ON_2026).applies is True


def test_yel_does_not_apply_to_a_silent_partner():
    assert yel_applies("ky", None, ON_2026, silent_partner=True).applies is False


def test_yel_applicability_of_oy_owner_unknown_without_share():
    result = yel_applies("oy", None, ON_2026)
    assert result.applies is None
    assert result.reason.values == {"alone": D(30), "family": D(50)}


@pytest.mark.parametrize(
    "share, family_share, applies",
    [
        (D(30), None, False),  # not over 30 %
        (D("30.01"), None, True),
        (D(100), None, True),
        (D(20), D(50), False),  # not over 50 % with family
        (D(20), D(51), True),
        (D(0), None, False),
    ],
)
def test_yel_applies_to_oy_owner_over_the_shares(share, family_share, applies):
    result = yel_applies("oy", share, ON_2026, family_share_percent=family_share)
    assert result.applies is applies
    assert result.reason.label.format(**result.reason.values)


@pytest.mark.parametrize(
    "share, family_share, field",
    [
        (D(101), None, "ownership_share_percent"),
        (D(-1), None, "ownership_share_percent"),
        (D(40), D(30), "family_share_percent"),
        (D(40), D(101), "family_share_percent"),
    ],
)
def test_yel_applies_rejects_bad_shares(share, family_share, field):
    with pytest.raises(InvalidInput) as error:
        yel_applies("oy", share, ON_2026, family_share_percent=family_share)
    assert error.value.field == field


def test_yel_applies_rejects_unknown_form():
    with pytest.raises(InvalidInput) as error:
        yel_applies("osk", D(50), ON_2026)
    assert error.value.field == "company_form"


# --- start-up grant ---------------------------------------------------------


def test_start_up_grant_2025():
    result = start_up_grant(ON_2025)
    assert result.daily_amount == D("37.21")
    # 37.21 × 21.5 = 800.015 → about 800 € a month
    assert result.monthly_approx == D(800)
    assert (result.min_months, result.max_months, result.period_months) == (6, 12, 6)
    assert result.may_start_after_applying is True
    assert result.estimate is False
    assert filled(result.breakdown)[1] == "About 37.21 € × 21.5 days = 800 € a month"


def test_start_up_grant_before_2025_needs_the_decision_first():
    result = start_up_grant(ON_2024)
    assert result.may_start_after_applying is False
    assert "decision before" in result.breakdown[-1].label


def test_start_up_grant_after_the_freeze_is_an_estimate():
    result = start_up_grant(date(2028, 3, 1))
    assert result.daily_amount == D("37.21")
    assert result.estimate is True


# --- combined calculator ----------------------------------------------------


def test_business_start_costs_sole_trader_2026():
    result = business_start_costs("toiminimi", D(25000), D(12000), ON_2026)
    assert result.company_form == "toiminimi"
    assert result.registration_fee == D(70)
    assert result.vat_required is True
    assert result.yel_required is True
    assert result.yel_applies is True
    assert result.yel.contribution == D("2928.00")
    assert result.estimate is True  # the fee after 2024 is an estimate
    texts = filled(result.breakdown)
    assert texts[0].startswith("Start-up notice fee for a sole trader")
    assert any("registering for VAT is obligatory" in text for text in texts)
    assert any("YEL insurance is obligatory" in text for text in texts)
    assert len(result.breakdown) == (len(result.registration.breakdown) + len(result.vat.breakdown) + 1
                                     + len(result.yel.breakdown))


def test_business_start_costs_nothing_obligatory():
    result = business_start_costs("ay", D(20000), D(9000), ON_2026)
    assert result.registration_fee == D(280)
    assert result.vat_required is False
    assert result.yel_required is False


def test_business_start_costs_minority_oy_owner_is_not_under_yel():
    result = business_start_costs("oy", D(50000), D(30000), ON_2026, ownership_share_percent=D(10))
    assert result.yel.required is True  # the threshold test alone
    assert result.yel_applies is False
    assert result.yel_required is False
    assert not any("YEL minimum" in item.label for item in result.breakdown)


def test_business_start_costs_oy_owner_share_unknown_keeps_threshold_test():
    result = business_start_costs("oy", D(0), D(30000), ON_2026)
    assert result.yel_applies is None
    assert result.yel_required is True


def test_business_start_costs_validates_inputs():
    with pytest.raises(InvalidInput) as error:
        business_start_costs("tmi", D(1), D(1), ON_2026)
    assert error.value.field == "company_form"
    with pytest.raises(InvalidInput) as error:
        business_start_costs("oy", D(-5), D(1), ON_2026)
    assert error.value.field == "turnover"
    with pytest.raises(InvalidInput) as error:
        business_start_costs("oy", D(5), D(-1), ON_2026)
    assert error.value.field == "work_income"


# --- company forms ----------------------------------------------------------


def test_company_form_facts_table():
    rows = company_form_facts(ON_2024)
    assert [row.form for row in rows] == ["toiminimi", "oy", "ay", "ky"]
    by_form = {row.form: row for row in rows}
    assert [row.registration_fee for row in rows] == [D(70), D(280), D(280), D(280)]
    assert by_form["oy"].minimum_capital == D(0)
    assert by_form["toiminimi"].minimum_capital is None
    assert by_form["oy"].values["corporate_tax_rate"] == D(20)
    assert "20 %" in by_form["oy"].taxation.format(**by_form["oy"].values)
    assert "Unlimited" in by_form["toiminimi"].liability
    assert all(row.estimate is False for row in rows)
    for row in rows:
        for text in (row.name, row.founders, row.liability, row.taxation, row.pension, row.administration):
            assert text.format(**row.values)
        assert row.source


def test_company_form_facts_after_2024_flag_the_fee_estimate():
    assert all(row.estimate for row in company_form_facts(ON_2026))


def test_company_form_facts_before_oy_capital_period_raises():
    with pytest.raises(ParameterError):
        company_form_facts(date(2019, 6, 30))


def fits(recommendations):
    return {item.form: item.fits for item in recommendations}


def test_recommend_alone():
    result = recommend_company_forms(partners=False, on=ON_2025)
    assert fits(result) == {"toiminimi": True, "oy": True, "ay": False, "ky": False}
    for item in result:
        assert item.reasons
        assert all(reason.format(**item.values) for reason in item.reasons)


def test_recommend_with_partners():
    result = recommend_company_forms(partners=True, on=ON_2025)
    assert fits(result) == {"toiminimi": False, "oy": True, "ay": True, "ky": True}


def test_recommend_limited_liability_only_oy():
    result = recommend_company_forms(partners=True, on=ON_2025, wants_limited_liability=True)
    assert fits(result) == {"toiminimi": False, "oy": True, "ay": False, "ky": False}


def test_recommend_risk_adds_a_reason_but_leaves_the_choice():
    plain = {item.form: item for item in recommend_company_forms(partners=False, on=ON_2025)}
    risky = {item.form: item for item in recommend_company_forms(partners=False, on=ON_2025, risky_activity=True)}
    assert risky["toiminimi"].fits is True
    assert len(risky["toiminimi"].reasons) == len(plain["toiminimi"].reasons) + 1
    assert any("limited company" in reason for reason in risky["toiminimi"].reasons)
    assert risky["oy"].reasons == plain["oy"].reasons


def test_recommend_turnover_over_vat_threshold_notes_vat_for_every_form():
    over = recommend_company_forms(partners=False, on=ON_2025, turnover=D(20001))
    assert all(any("VAT" in reason for reason in item.reasons) for item in over)
    assert all(item.values["vat_threshold"] == D(20000) for item in over)
    at = recommend_company_forms(partners=False, on=ON_2025, turnover=D(20000))
    assert not any("VAT" in reason for item in at for reason in item.reasons)


# --- cross-cutting ----------------------------------------------------------


def test_all_breakdown_labels_are_fillable_and_cited():
    steps = [
        *business_start_costs("oy", D(25000), D(12000), ON_2026, ownership_share_percent=D(40)).breakdown,
        *business_start_costs("ky", D(1), D(1), ON_2027).breakdown,
        *start_up_grant(ON_2025).breakdown,
        *start_up_grant(ON_2024).breakdown,
    ]
    for item in steps:
        assert item.label.format(**item.values)
        assert item.rule and item.source


def test_parameters_are_recorded_honestly():
    params = default_parameters()
    assert params.at("business_start.food_premises_notice_weeks", ON_2025).value == 4
    alcohol = params.at("business_start.alcohol_serving_licence_fee_example", ON_2025)
    assert (alcohol.value, alcohol.estimate) == (1365, True)
    assert params.at("business_start.yel.contribution_rate", ON_2027).estimate is True
    assert params.at("business_start.oy_minimum_share_capital", date(2019, 7, 1)).value == 0
    with pytest.raises(ParameterError):
        params.at("business_start.yel.contribution_rate", ON_2025)


def test_no_legal_figures_as_literals_in_the_rules():
    source = Path(business_start.__file__).read_text(encoding="utf-8")
    for figure in ("70", "280", "15000", "20000", "9208", "9423", "24.4", "0.244", "0.22", "22",
                   "37.21", "21.5", "48", "1365", "0.20", "0.255", "25.5", "30", "50"):
        assert not re.search(rf"(?<![\w.]){re.escape(figure)}(?![\w.])", source), figure
