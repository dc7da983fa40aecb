"""Starting a business. Figures from rules-facts section 3 and its "Corrections and additions, checked
2026-12" (which override the older lines), each expected figure derived by hand in a comment:

- PRH start-up notice (regulation 1247/2023, 2024): 70 € (toiminimi) / 280 € (oy, ay, ky), confirmed;
  2025: the 2024 figures as estimates; from 2026-01-01 (PRH's current list, start date unconfirmed, so an
  estimate) an oy costs 320 € (founding notice online), guided founding 240 € (online only), paper 380 €;
  toiminimi / ay / ky keep the 2024 figure as an estimate.
- VAT liability when the year's turnover exceeds 15,000 € (2024) / 20,000 € (from 2025-01-01); from 2025
  also when the previous calendar year's turnover exceeded it, from the moment it is exceeded; general
  rate 24 %, 25.5 % from 2024-09-01.
- YEL obligatory for ages 18-68 (activity of at least 4 months) from a work income of at least 8,575.45 €
  (2023) / 9,010.28 € (2024) / 9,208.43 € (2025) / 9,423.09 € (2026; 2027 unknown: the 2026 figure as an
  estimate); contribution 24.10 % in 2024 and 2025 (25.60 % at ages 53-62), 24.40 % for all ages in 2026
  (2027 unknown: an estimate); first-entrepreneur discount 22 % for 48 months; insure within 6 months.
- Corporate income tax 20 %; 18 % from 2027-01-01 (enactment unconfirmed: an estimate).
- Licence to serve alcohol: 1,365 € (950 € in certain cases), the 2024 tariff; 2025-2026 unconfirmed.
- Start-up grant 37.21 €/day for 6-12 months in 6-month periods.
"""

import ast
import io
import re
import tokenize
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

import configurator.rules.business_start as business_start
from configurator.parameters import ParameterError, default_parameters
from configurator.rules import InvalidInput
from configurator.rules.business_start import (
    alcohol_licence_fee,
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
    # regulation 1247/2023 covered 2024 only: in 2025 the 2024 figures are shown, as estimates
    result = registration_fee("toiminimi", date(2025, 3, 1))
    assert result.amount == D(70)
    assert result.estimate is True
    assert result.breakdown[0].valid_from == date(2024, 1, 1)
    oy = registration_fee("oy", ON_2025)
    assert (oy.amount, oy.estimate, oy.breakdown[0].valid_from) == (D(280), True, date(2024, 1, 1))
    assert len(oy.breakdown) == 1  # no other channel is priced before PRH's current list


@pytest.mark.parametrize("form, amount", [("toiminimi", 70), ("ay", 280), ("ky", 280)])
def test_registration_fee_from_2026_keeps_the_2024_figure_as_an_estimate_except_oy(form, amount):
    for on in (ON_2026, ON_2027):
        result = registration_fee(form, on)
        assert (result.amount, result.estimate, result.breakdown[0].valid_from) == (D(amount), True, date(2024, 1, 1))
        assert len(result.breakdown) == 1


def test_registration_fee_of_an_oy_from_2026_is_prhs_current_list_as_an_estimate():
    # PRH's current list, recorded from 2026-01-01 (its start date is unconfirmed): founding notice online 320 €;
    # guided founding 240 € (online only) and a notice on paper 380 € are named in a second step
    for on in (date(2026, 1, 1), ON_2026, ON_2027):
        result = registration_fee("oy", on)
        assert (result.amount, result.estimate) == (D(320), True), on
        fee, channels = result.breakdown
        assert (fee.amount, fee.valid_from, fee.estimate) == (D(320), date(2026, 1, 1), True)
        assert channels.amount is None and channels.values == {"guided": D(240), "paper": D(380)}
        assert channels.estimate is True and "unconfirmed" in channels.source
        assert filled(result.breakdown)[1] == (
            "With YTJ's guided founding (model articles, online only) 240 €; a start-up notice on paper 380 €"
        )
    # the last day of 2025 still has the 2024 figure
    assert registration_fee("oy", date(2025, 12, 31)).amount == D(280)


def test_the_prh_list_from_2026_is_not_cited_as_regulation_1247_2023():
    result = registration_fee("oy", ON_2026)
    assert [item.amount for item in result.breakdown] == [D(320), None]
    assert not any("1247/2023" in item.rule for item in result.breakdown)


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
    # voluntary, and from 2025 a step explaining that the previous calendar year counts too
    assert len(result.breakdown) == 2
    texts = filled(result.breakdown)
    assert "voluntary" in texts[0]
    assert texts[1] == (
        "You are liable for VAT when your turnover exceeds 20000 € in the current or the previous "
        "calendar year; the liability starts when the threshold is exceeded"
    )


@pytest.mark.parametrize("turnover", [D(20001), D("20000.01")])
def test_vat_required_above_the_threshold_2025(turnover):
    result = vat_required(turnover, ON_2025)
    assert result.required is True
    assert "obligatory" in result.breakdown[0].label and "previous calendar year" in result.breakdown[1].label
    assert result.breakdown[2].values["rate"] == D("25.5")


def test_vat_previous_year_counts_from_2025_not_in_2024():
    # 2025: this year 10 000 € (under 20 000 €), last year 20 000.01 € (over it) → liable this year too
    result = vat_required(D(10000), ON_2025, previous_year_turnover=D("20000.01"))
    assert result.required is True
    assert result.breakdown[0].values == {"turnover": D(10000), "threshold": D(20000), "previous": D("20000.01")}
    assert filled(result.breakdown)[0] == (
        "Last year's turnover 20000.01 € was more than the VAT registration "
        "threshold of 20000 €: you are liable for VAT this year too"
    )
    assert result.breakdown[-1].values["rate"] == D("25.5")
    # last year exactly 20 000 €: not over, voluntary
    assert vat_required(D(10000), ON_2025, previous_year_turnover=D(20000)).required is False
    # 2024: only the year's own turnover against 15 000 €; last year's 30 000 € does not count, and there is
    # no previous-year step
    in_2024 = vat_required(D(10000), ON_2024, previous_year_turnover=D(30000))
    assert (in_2024.required, in_2024.threshold) == (False, D(15000))
    assert len(in_2024.breakdown) == 1 and "voluntary" in in_2024.breakdown[0].label
    # 2024, the year's own turnover over 15 000 €: obligatory, whatever last year was
    assert vat_required(D("15000.01"), ON_2024, previous_year_turnover=D(0)).required is True
    # the switch is on 2025-01-01
    assert vat_required(D(0), date(2024, 12, 31), previous_year_turnover=D(25000)).required is False
    assert vat_required(D(0), date(2025, 1, 1), previous_year_turnover=D(25000)).required is True


@pytest.mark.parametrize("previous", [D(-1), "abc"])
def test_vat_rejects_bad_previous_year_turnover(previous):
    with pytest.raises(InvalidInput) as error:
        vat_required(D(1), ON_2025, previous_year_turnover=previous)
    assert error.value.field == "previous_year_turnover"


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


def test_yel_2025_contribution_at_the_general_rate_names_the_older_rate():
    # 2025, no age given: the general rate 24.10 %: 12 000 × 0.241 = 2 892.00 €; × 0.78 = 2 255.76 €;
    # a step names the 25.60 % of ages 53 to 62
    result = yel_required(D(12000), ON_2025)
    assert result.required is True and result.estimate is False
    assert (result.contribution, result.contribution_first_entrepreneur) == (D("2892.00"), D("2255.76"))
    assert result.rate_percent == D("24.1")
    older = [item for item in result.breakdown if "give your age" in item.label]
    assert len(older) == 1 and older[0].values == {"min_age": 53, "max_age": 62, "rate": D("25.6")}


@pytest.mark.parametrize(
    "on, minimum, below",
    [
        (ON_2024, "9010.28", "9010.27"),
        (ON_2025, "9208.43", "9208.42"),
        (ON_2026, "9423.09", "9423.08"),
    ],
)
def test_yel_minimum_of_each_year_at_the_threshold_and_one_cent_below(on, minimum, below):
    at = yel_required(D(minimum), on)
    assert (at.required, at.threshold, at.estimate) == (True, D(minimum), False)
    assert at.breakdown[0].values == {"income": D(minimum), "threshold": D(minimum), "duration": 4}
    under = yel_required(D(below), on)
    assert (under.required, under.threshold, under.contribution) == (False, D(minimum), None)
    assert len(under.breakdown) == 1 and "not obligatory" in filled(under.breakdown)[0]


@pytest.mark.parametrize(
    "on, minimum, contribution, discounted",
    [
        # 2024: 9 010.28 × 24.10 % = 2 171.47748 → 2 171.48 €; × 0.78 = 1 693.7524344 → 1 693.75 €
        (ON_2024, "9010.28", "2171.48", "1693.75"),
        # 2025: 9 208.43 × 24.10 % = 2 219.23163 → 2 219.23 €; × 0.78 = 1 730.9986714 → 1 731.00 €
        (ON_2025, "9208.43", "2219.23", "1731.00"),
        # 2026: 9 423.09 × 24.40 % = 2 299.23396 → 2 299.23 €; × 0.78 = 1 793.4024888 → 1 793.40 €
        (ON_2026, "9423.09", "2299.23", "1793.40"),
    ],
)
def test_yel_contribution_at_each_years_minimum(on, minimum, contribution, discounted):
    result = yel_required(D(minimum), on)
    assert (result.contribution, result.contribution_first_entrepreneur) == (D(contribution), D(discounted))


def test_yel_minimum_2023_is_recorded():
    # 8 575.45 € in 2023 (the 2024 figure, 9 010.28 €, is not the 2023 one)
    figure = default_parameters().at("business_start.yel.min_work_income", date(2023, 6, 1))
    assert (figure.value, figure.estimate) == (D("8575.45"), False)
    assert default_parameters().at("business_start.yel.min_work_income", date(2024, 1, 1)).value == D("9010.28")


@pytest.mark.parametrize(
    "age, rate, contribution, discounted",
    [
        # 2025, 24 000 €: 24.10 % below 53 and above 62: 24 000 × 0.241 = 5 784.00 €; × 0.78 = 4 511.52 €
        (52, "24.1", "5784.00", "4511.52"),
        # 25.60 % at ages 53 to 62: 24 000 × 0.256 = 6 144.00 €; × 0.78 = 4 792.32 €
        (53, "25.6", "6144.00", "4792.32"),
        (62, "25.6", "6144.00", "4792.32"),
        (63, "24.1", "5784.00", "4511.52"),
    ],
)
def test_yel_rate_by_age_in_2025(age, rate, contribution, discounted):
    result = yel_required(D(24000), ON_2025, age=age)
    assert result.required is True
    assert result.rate_percent == D(rate)
    assert (result.contribution, result.contribution_first_entrepreneur) == (D(contribution), D(discounted))
    # the older rate is named with the founder's age when it is used, and not offered otherwise
    older = [item for item in result.breakdown if item.values.get("rate") == D("25.6") and "age" in item.values]
    assert len(older) == (1 if rate == "25.6" else 0)
    assert not any("give your age" in item.label for item in result.breakdown)


def test_yel_rate_by_age_in_2024():
    # 2024 as 2025: 24 000 × 25.60 % = 6 144.00 € at 55; 24 000 × 24.10 % = 5 784.00 € at 40
    assert yel_required(D(24000), ON_2024, age=55).contribution == D("6144.00")
    assert yel_required(D(24000), ON_2024, age=40).contribution == D("5784.00")


@pytest.mark.parametrize("age", [18, 30, 52, 53, 62, 63, 68, None])
def test_yel_2026_rate_is_the_same_for_all_ages(age):
    # 24 000 × 24.40 % = 5 856.00 €; × 0.78 = 4 567.68 €, whatever the age; no age step
    result = yel_required(D(24000), ON_2026, age=age)
    assert result.rate_percent == D("24.4")
    assert (result.contribution, result.contribution_first_entrepreneur) == (D("5856.00"), D("4567.68"))
    assert not any("min_age" in item.values for item in result.breakdown)
    assert result.estimate is False


@pytest.mark.parametrize("age, required", [(17, False), (18, True), (68, True), (69, False), (15, False), (100, False)])
def test_yel_covers_ages_18_to_68_only(age, required):
    for on in (ON_2024, ON_2025, ON_2026, ON_2027):
        result = yel_required(D(24000), on, age=age)
        assert result.required is required, (age, on)
        if not required:
            # one step saying why, without a contribution
            assert result.contribution is None and len(result.breakdown) == 1
            assert result.breakdown[0].values == {"age": age, "min_age": 18, "max_age": 68}
            assert filled(result.breakdown) == [
                f"At {age} YEL insurance is not obligatory: it covers entrepreneurs aged 18 to 68"
            ]


def test_yel_age_outside_the_limits_wins_over_a_low_income():
    # 17 and under the minimum: the age is the reason given
    result = yel_required(D(100), ON_2026, age=17)
    assert result.required is False and "At 17" in filled(result.breakdown)[0]


@pytest.mark.parametrize("age", [-1, "x", D("30.5")])
def test_yel_rejects_a_bad_age(age):
    with pytest.raises(InvalidInput) as error:
        yel_required(D(12000), ON_2026, age=age)
    assert error.value.field == "age"


def test_yel_breakdown_states_the_4_months_activity():
    texts = filled(yel_required(D(12000), ON_2026).breakdown)
    assert texts[0] == (
        "Work income 12000 € a year is at least the YEL minimum of 9423.09 €: YEL insurance is "
        "obligatory when your business work lasts at least 4 months"
    )
    assert texts[1] == "Take out YEL insurance within 6 months of starting the business"


def test_yel_2027_uses_2026_figures_as_estimates():
    result = yel_required(D(12000), ON_2027)
    assert result.required is True
    assert result.threshold == D("9423.09")
    assert result.estimate is True
    assert result.breakdown[0].estimate is True
    # 12 000 × 24.40 % (2026, carried over as an estimate) = 2 928.00 €
    assert result.contribution == D("2928.00")
    rate_step = next(item for item in result.breakdown if item.amount == D("2928.00"))
    assert rate_step.estimate is True and rate_step.valid_from == date(2026, 1, 1)
    # the 2027 rate is one for all ages as in 2026 (the last known figures): at 55 the same
    assert yel_required(D(12000), ON_2027, age=55).contribution == D("2928.00")


def test_yel_2027_not_required_is_still_an_estimate():
    result = yel_required(D(100), ON_2027)
    assert result.required is False
    assert result.estimate is True


def test_yel_before_the_first_recorded_year_raises():
    # the first recorded minimum is 2023's; 2022 has none
    with pytest.raises(ParameterError):
        yel_required(D(12000), date(2022, 12, 31))


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
    assert len(result.breakdown) == (
        len(result.registration.breakdown) + len(result.vat.breakdown) + 1 + len(result.yel.breakdown)
    )


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
    # the alcohol licence fee: the 2024 national tariff, confirmed for 2024; an estimate after
    alcohol = params.at("business_start.alcohol_serving_licence.fee", ON_2024)
    assert (alcohol.value, alcohol.estimate) == (1365, False)
    alcohol = params.at("business_start.alcohol_serving_licence.fee", ON_2025)
    assert (alcohol.value, alcohol.estimate) == (1365, True)
    assert params.at("business_start.alcohol_serving_licence.reduced_fee", ON_2024).value == 950
    # YEL rates: 24.10 % (2024, 2025), 25.60 % at 53-62, 24.40 % for all in 2026, 2027 not known
    assert params.at("business_start.yel.contribution_rate", ON_2024).value == D("0.2410")
    assert params.at("business_start.yel.contribution_rate", ON_2025).value == D("0.2410")
    assert params.at("business_start.yel.older_contribution_rate", ON_2025).value == D("0.2560")
    assert params.at("business_start.yel.older_contribution_rate", ON_2026).value == D("0.2440")
    assert params.at("business_start.yel.contribution_rate", ON_2027).estimate is True
    assert (
        params.at("business_start.yel.min_age", ON_2026).value,
        params.at("business_start.yel.max_age", ON_2026).value,
    ) == (18, 68)
    assert params.at("business_start.yel.min_duration_months", ON_2026).value == 4
    assert params.at("business_start.yel.deadline_months", ON_2024).value == 6
    assert params.at("business_start.oy_minimum_share_capital", date(2019, 7, 1)).value == 0
    # VAT: the previous calendar year counts from 2025-01-01
    assert params.at("business_start.vat.counts_previous_year", date(2024, 12, 31)).value == 0
    assert params.at("business_start.vat.counts_previous_year", date(2025, 1, 1)).value == 1
    with pytest.raises(ParameterError):
        params.at("business_start.yel.contribution_rate", date(2023, 12, 31))  # not recorded before 2024
    with pytest.raises(ParameterError):
        params.at("business_start.registration_fee.oy_guided", date(2025, 12, 31))  # PRH's list from 2026


# --- corporate income tax ---------------------------------------------------


def test_corporate_income_tax_20_percent_in_2026_and_18_percent_from_2027_as_an_estimate():
    params = default_parameters()
    in_2026 = params.at("business_start.corporate_income_tax_rate", date(2026, 12, 31))
    assert (in_2026.value, in_2026.estimate) == (D("0.20"), False)
    in_2027 = params.at("business_start.corporate_income_tax_rate", date(2027, 1, 1))
    assert (in_2027.value, in_2027.estimate) == (D("0.18"), True)
    assert "unconfirmed" in in_2027.source
    # the company-form table: "20 %" for a 2026 oy, "18 %" for a 2027 one (and the row an estimate)
    oy_2026 = {row.form: row for row in company_form_facts(date(2026, 12, 31))}["oy"]
    oy_2027 = {row.form: row for row in company_form_facts(date(2027, 1, 1))}["oy"]
    assert oy_2026.values["corporate_tax_rate"] == D(20) and "20 %" in oy_2026.taxation.format(**oy_2026.values)
    assert oy_2027.values["corporate_tax_rate"] == D(18) and "18 %" in oy_2027.taxation.format(**oy_2027.values)
    assert oy_2027.estimate is True and "18 %" in oy_2027.source


# --- licence to serve alcohol ------------------------------------------------


def test_alcohol_licence_fee_2024_confirmed_and_2026_an_estimate():
    (in_2024,) = alcohol_licence_fee(ON_2024)
    assert (in_2024.amount, in_2024.estimate, in_2024.valid_from) == (D(1365), False, date(2024, 1, 1))
    assert filled([in_2024]) == [
        "Processing fee of a licence to serve alcohol: 1365 € (950 € in certain cases, for "
        "example a change of licence holder)"
    ]
    assert "Alcohol Act 1102/2017" == in_2024.rule
    for on in (ON_2025, ON_2026, ON_2027):
        (later,) = alcohol_licence_fee(on)
        assert (later.amount, later.estimate, later.valid_from) == (D(1365), True, date(2024, 1, 1)), on
        assert later.values == {"fee": D(1365), "reduced": D(950)}
    with pytest.raises(ParameterError):
        alcohol_licence_fee(date(2023, 12, 31))  # no tariff recorded before 2024


# --- the combined calculator with age and last year's turnover ----------------


def test_business_start_costs_with_age_and_previous_year_turnover():
    # 2025, a sole trader aged 55: this year 10 000 € (under 20 000 €) but last year 25 000 € → VAT;
    # 24 000 € at 25.60 % = 6 144.00 €
    result = business_start_costs("toiminimi", D(10000), D(24000), ON_2025, age=55, previous_year_turnover=D(25000))
    assert (result.vat_required, result.yel_required) == (True, True)
    assert result.yel.contribution == D("6144.00")
    texts = filled(result.breakdown)
    assert any("Last year's turnover 25000 €" in text for text in texts)
    # aged 69: not obligatory, with the reason in the breakdown
    old = business_start_costs("toiminimi", D(10000), D(24000), ON_2025, age=69)
    assert (old.vat_required, old.yel_required, old.yel_applies) == (False, False, True)
    assert "At 69 YEL insurance is not obligatory: it covers entrepreneurs aged 18 to 68" in filled(old.breakdown)
    # 2024: last year's turnover does not count
    assert (
        business_start_costs("toiminimi", D(10000), D(0), ON_2024, previous_year_turnover=D(25000)).vat_required
        is False
    )


def code_without_docstrings_and_comments(path: Path) -> str:
    """The module's code with its docstrings and comments blanked (they may name the law's figures)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    docstrings = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.append((first.lineno, first.end_lineno))
    for start, end in docstrings:
        for i in range(start - 1, end):
            lines[i] = "\n"
    kept = []
    for token in tokenize.generate_tokens(io.StringIO("".join(lines)).readline):
        if token.type != tokenize.COMMENT:
            kept.append(token.string)
    return " ".join(kept)


def test_no_legal_figures_as_literals_in_the_rules():
    source = code_without_docstrings_and_comments(Path(business_start.__file__))
    assert "def yel_required" in source and "Work income {income}" in source  # the code and its messages stay
    for figure in (
        "70",
        "280",
        "320",
        "240",
        "380",
        "15000",
        "20000",
        "8575",
        "9010",
        "9208",
        "9423",
        "24.1",
        "0.241",
        "24.4",
        "0.244",
        "25.6",
        "0.256",
        "0.22",
        "22",
        "37.21",
        "21.5",
        "48",
        "1365",
        "950",
        "0.20",
        "0.18",
        "0.255",
        "25.5",
        "30",
        "50",
        "53",
        "62",
        "68",
    ):
        assert not re.search(rf"(?<![\w.]){re.escape(figure)}(?![\w.])", source), figure
