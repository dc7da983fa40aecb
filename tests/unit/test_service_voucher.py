"""Service voucher co-payment for private day care. Voucher values are the
municipal example figures of rules-facts (2024-08: 1519 € under 3, 949 € for
3 or over, full-time); the surcharge of 50 € is a made-up municipal figure.
Expected figures derived by hand: copay = max(0, min(price − voucher, fee + surcharge))."""

from datetime import date
from decimal import Decimal as D

import pytest

from configurator.parameters import default_parameters
from configurator.rules import InvalidInput
from configurator.rules.ecec_fee import MunicipalFeeRules, PartTimeStep, ecec_fee, part_time_coefficient
from configurator.rules.service_voucher import VoucherRules, voucher_copayment

ON = date(2025, 1, 1)
VOUCHER = VoucherRules(
    municipality_code="999",
    value_under_3=D(1519),
    value_3_and_over=D(949),
    max_surcharge=D(50),
    valid_from=date(2024, 8, 1),
    source="Example municipality, service voucher rules 2024-08",
)


def fee(income=D(6000), hours=D(40), municipal=None, on=ON):
    return ecec_fee(family_size=3, income=income, hours_per_week=hours, child_rank=1, municipal=municipal, on=on)


def copay(price, age=2, fee_result=None, coefficient=D(1)):
    return voucher_copayment(
        provider_price=price, child_age_years=age, voucher=VOUCHER, fee=fee_result or fee(), coefficient=coefficient
    )


def test_difference_below_cap_is_paid():
    # fee 81 (0.107 × (6000 − 5245) = 80.785 → 81); 1600 − 1519 = 81 ≤ 81 + 50
    result = copay(D(1600))
    assert result.monthly == result.minimum == result.maximum == D(81)
    assert result.estimate is False


def test_difference_capped_at_fee_plus_surcharge():
    # 1700 − 1519 = 181 > 81 + 50 = 131 → 131
    assert copay(D(1700)).monthly == D(131)


def test_child_3_or_over_uses_its_voucher_value():
    # 1000 − 949 = 51 ≤ 131
    result = copay(D(1000), age=4)
    assert result.monthly == D(51)
    assert result.breakdown[0].amount == D(949)


def test_voucher_covering_the_price_costs_nothing():
    result = copay(D(1400))  # 1400 − 1519 < 0 → 0
    assert result.monthly == D(0)
    assert "covers" in result.breakdown[-2].label


def test_part_time_scales_voucher_and_price_by_the_same_coefficient():
    params = default_parameters()
    coefficient, _ = part_time_coefficient(D(20), None, ON, params)  # 0.60
    # voucher 0.60 × 1519 = 911.4 → 911; price 0.60 × 1700 = 1020; 1020 − 911 = 109;
    # fee 0.60 × 81 = 48.6 → 49; cap 49 + 50 = 99 → 99
    result = copay(D(1700), fee_result=fee(hours=D(20)), coefficient=coefficient)
    amounts = [item.amount for item in result.breakdown]
    assert amounts[:3] == [D(1519), D(911), D(1020)]
    assert result.monthly == D(99)


def test_part_time_rounding_is_half_up():
    rules = MunicipalFeeRules("999", (PartTimeStep(D(20), D("0.50")),))
    # voucher 0.50 × 949 = 474.5 → 475; price 0.50 × 1000 = 500; 500 − 475 = 25;
    # fee 0.50 × 81 = 40.5 → 41; cap 91 → 25
    result = copay(D(1000), age=3, fee_result=fee(hours=D(15), municipal=rules), coefficient=D("0.50"))
    assert result.breakdown[1].amount == D(475)
    assert result.monthly == D(25)


def test_unknown_income_gives_a_range():
    # fee range 0..311 → cap 50..361; 1700 − 1519 = 181 → 50..181
    result = copay(D(1700), fee_result=fee(income=None))
    assert result.monthly is None
    assert (result.minimum, result.maximum) == (D(50), D(181))
    # 1540 − 1519 = 21 below both caps → 21..21
    narrow = copay(D(1540), fee_result=fee(income=None))
    assert (narrow.minimum, narrow.maximum) == (D(21), D(21))


def test_estimated_fee_makes_the_copayment_an_estimate():
    # the index revision of 1.8.2028 is not published: the fee is an estimate, so is the co-payment
    result = copay(D(1700), fee_result=fee(on=date(2028, 9, 1)))
    assert result.estimate is True
    assert result.breakdown[-1].estimate is True


def test_breakdown_cites_the_municipal_voucher_decision():
    result = copay(D(1700))
    for item in result.breakdown:
        assert item.label.format(**item.values)
        assert item.source == VOUCHER.source
        assert item.valid_from == VOUCHER.valid_from


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"price": D(-1)}, "provider_price"),
        ({"price": D(1000), "age": -1}, "child_age_years"),
        ({"price": D(1000), "coefficient": D(0)}, "coefficient"),
        ({"price": D(1000), "coefficient": D("1.2")}, "coefficient"),
    ],
)
def test_invalid_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as error:
        copay(**kwargs)
    assert error.value.field == field
