"""ECEC client fee (Act 1503/2016). Every expected figure is derived by hand
from /work/shared/reference/rules-facts.md section 1; the arithmetic is in the
comments. Rounding is half-up to whole euros at each step."""

from datetime import date
from decimal import Decimal as D

import pytest

from configurator.parameters import default_parameters
from configurator.rules import InvalidInput
from configurator.rules.ecec_fee import (
    FeeResult,
    MissingMunicipalRules,
    MunicipalFeeRules,
    PartTimeStep,
    ecec_fee,
    part_time_coefficient,
)

Y2025 = date(2025, 1, 1)  # period 2024-08-01 .. 2026-07-31
Y2026 = date(2026, 9, 1)  # period from 2026-08-01: limits 4369 / 5635 / …, max 335
Y2023 = date(2023, 6, 1)  # period 2023-03-01 .. 2024-07-31

ALAVUS = MunicipalFeeRules(
    municipality_code="010",
    part_time_steps=(
        PartTimeStep(D(20), D("0.60")),
        PartTimeStep(D(27), D("0.70")),
        PartTimeStep(D(34), D("0.85")),
    ),
    source="Alavus ECEC fee decision (example from rules-facts)",
)


def fee(family_size=3, income=D(6000), hours=D(40), rank=1, municipal=None, on=Y2025) -> FeeResult:
    return ecec_fee(
        family_size=family_size, income=income, hours_per_week=hours, child_rank=rank, municipal=municipal, on=on
    )


def test_family_of_3_income_6000_in_2025():
    # 10.7 % × (6000 − 5245) = 0.107 × 755 = 80.785 → 81
    result = fee()
    assert result.monthly_fee == D(81)
    assert result.minimum == result.maximum == D(81)
    assert result.estimate is False


@pytest.mark.parametrize(
    "family_size, income, limit, expected",
    [
        # Limits from 1.8.2026 (Ministry notice 1028/2025): 4369 / 5635 / 6399 / 7163 / 7925, +295 a further person.
        (2, D(6000), D(4369), D(175)),  # 0.107 × (6000 − 4369) = 0.107 × 1631 = 174.517 → 175
        (3, D(6000), D(5635), D(39)),  # 0.107 × (6000 − 5635) = 0.107 × 365 = 39.055 → 39
        (4, D(7000), D(6399), D(64)),  # 0.107 × (7000 − 6399) = 0.107 × 601 = 64.307 → 64
        (5, D(8000), D(7163), D(90)),  # 0.107 × (8000 − 7163) = 0.107 × 837 = 89.559 → 90
        (6, D(9000), D(7925), D(115)),  # 0.107 × (9000 − 7925) = 0.107 × 1075 = 115.025 → 115
        (8, D(10000), D(8515), D(159)),  # 7925 + 2 × 295 = 8515; 0.107 × 1485 = 158.895 → 159
    ],
)
def test_limits_from_1_8_2026_for_every_family_size(family_size, income, limit, expected):
    result = fee(family_size=family_size, income=income, on=Y2026)
    assert result.breakdown[0].amount == limit
    assert result.breakdown[0].valid_from == date(2026, 8, 1)
    assert result.monthly_fee == expected
    assert result.estimate is False


def test_income_at_the_2026_limit_pays_nothing():
    # family of 3 at exactly 5635: no income above the limit → 0
    assert fee(income=D(5635), on=Y2026).monthly_fee == D(0)
    # the day before the new period the 2024 limit 5245 applies: 0.107 × 390 = 41.73 → 42
    assert fee(income=D(5635), on=date(2026, 7, 31)).monthly_fee == D(42)


def test_family_of_2_at_4663_pays_nothing_from_1_8_2026():
    # The case that was charged with the old limits: 0.107 × (4663 − 4066) = 63.879 → 64 (2025).
    assert fee(family_size=2, income=D(4663), on=Y2025).monthly_fee == D(64)
    # From 1.8.2026: 0.107 × (4663 − 4369) = 0.107 × 294 = 31.458 → 31 < minimum 32 → not charged.
    result = fee(family_size=2, income=D(4663), on=Y2026)
    assert result.monthly_fee == D(0)
    assert result.breakdown[-1].values == {"fee": D(31), "min_fee": D(32)}


def test_high_income_capped_at_max_fee():
    # 0.107 × (9000 − 4066) = 0.107 × 4934 = 527.938 → 528 > 311 → 311
    assert fee(family_size=2, income=D(9000)).monthly_fee == D(311)
    # 2026-09: 0.107 × (9000 − 4369) = 495.517 → 496 > 335 → 335 (Ministry notice 1028/2025)
    result = fee(family_size=2, income=D(9000), on=Y2026)
    assert result.monthly_fee == D(335)
    assert result.estimate is False
    assert "maximum" in result.breakdown[1].label


def test_2023_figures():
    # family of 4: 0.107 × (7000 − 5675) = 0.107 × 1325 = 141.775 → 142
    assert fee(family_size=4, income=D(7000), on=Y2023).monthly_fee == D(142)
    # cap 295: 0.107 × (9000 − 3874) = 548.482 → 548 > 295
    assert fee(family_size=2, income=D(9000), on=Y2023).monthly_fee == D(295)


def test_half_up_rounding_of_base_fee():
    # 0.107 × (5566 − 4066) = 0.107 × 1500 = 160.5 → 161 (half-even would give 160)
    assert fee(family_size=2, income=D(5566)).monthly_fee == D(161)


def test_second_child_40_percent_capped():
    # base: 0.107 × (9000 − 5245) = 401.785 → 402 → capped 311;
    # second child 0.40 × 311 = 124.4 → 124, max 124
    result = fee(income=D(9000), rank=2)
    assert result.monthly_fee == D(124)
    # 2026-09: 0.40 × 335 = 134.0 → 134, max 134
    assert fee(income=D(9000), rank=2, on=Y2026).monthly_fee == D(134)
    # 2023: 0.40 × 295 = 118, max 118
    assert fee(family_size=3, income=D(9000), rank=2, on=Y2023).monthly_fee == D(118)


def test_second_child_share_of_lower_base():
    # base 81 (see above); 0.40 × 81 = 32.4 → 32 ≥ min 30
    assert fee(rank=2).monthly_fee == D(32)


def test_third_child_20_percent():
    # family of 4: 0.107 × (9000 − 5956) = 0.107 × 3044 = 325.708 → 326 → capped 311;
    # 0.20 × 311 = 62.2 → 62
    assert fee(family_size=4, income=D(9000), rank=3).monthly_fee == D(62)
    # family of 5, fourth child: 0.107 × (9000 − 6667) = 0.107 × 2333 = 249.631 → 250
    # (below the cap); 0.20 × 250 = 50
    assert fee(family_size=5, income=D(9000), rank=4).monthly_fee == D(50)


def test_part_time_20_hours_is_60_percent():
    # 81 × 0.60 = 48.6 → 49
    assert fee(hours=D(20)).monthly_fee == D(49)
    assert fee(hours=D(10)).monthly_fee == D(49)


def test_part_time_municipal_step_below_legal_cap_is_used_and_rounded_half_up():
    rules = MunicipalFeeRules("999", (PartTimeStep(D(20), D("0.50")), PartTimeStep(D(34), D("0.80"))))
    # 81 × 0.50 = 40.5 → 41 (half-up)
    assert fee(hours=D(15), municipal=rules).monthly_fee == D(41)


def test_municipal_step_above_legal_cap_is_capped_at_60_percent():
    rules = MunicipalFeeRules("999", (PartTimeStep(D(25), D("0.70")),))
    # ≤ 20 h: law caps at 60 %: 81 × 0.60 = 48.6 → 49
    assert fee(hours=D(20), municipal=rules).monthly_fee == D(49)


def test_part_time_between_uses_municipal_steps():
    # Alavus: 21-27 h 70 %, 28-34 h 85 %
    assert fee(hours=D(25), municipal=ALAVUS).monthly_fee == D(57)  # 81 × 0.70 = 56.7 → 57
    assert fee(hours=D(30), municipal=ALAVUS).monthly_fee == D(69)  # 81 × 0.85 = 68.85 → 69
    assert fee(hours=D("34.5"), municipal=ALAVUS).monthly_fee == D(81)  # above last step → 100 %
    assert fee(hours=D(35), municipal=ALAVUS).monthly_fee == D(81)  # ≥ 35 h → 100 %


def test_part_time_between_without_municipal_rules_raises():
    with pytest.raises(MissingMunicipalRules) as error:
        fee(hours=D(25))
    assert isinstance(error.value, ValueError)
    assert error.value.field == "municipal"


def test_no_municipal_rules_needed_when_income_below_limit():
    # 5000 ≤ 5245: no fee, whatever the hours
    result = fee(income=D(5000), hours=D(25))
    assert result.monthly_fee == D(0)
    assert len(result.breakdown) == 2


def test_part_time_coefficient_function():
    params = default_parameters()
    assert part_time_coefficient(D(20), None, Y2025, params)[0] == D("0.60")
    assert part_time_coefficient(D(35), None, Y2025, params)[0] == D(1)
    coefficient, explained = part_time_coefficient(D(27), ALAVUS, Y2025, params)
    assert coefficient == D("0.70")
    assert explained.source == ALAVUS.source
    assert explained.label.format(**explained.values)


def test_fee_below_minimum_is_not_charged():
    # 0.107 × (5479 − 5245) = 0.107 × 234 = 25.038 → 25 < 30 → 0
    result = fee(income=D(5479))
    assert result.monthly_fee == D(0)
    assert result.breakdown[-1].amount == D(0)
    assert "minimum" in result.breakdown[-1].label
    # 0.107 × (5525 − 5245) = 0.107 × 280 = 29.96 → 30 = min → charged
    assert fee(income=D(5525)).monthly_fee == D(30)


def test_minimum_fee_applies_after_sibling_share():
    # family of 4: 0.107 × (7000 − 5956) = 0.107 × 1044 = 111.708 → 112;
    # third child 0.20 × 112 = 22.4 → 22 < 30 → 0
    assert fee(family_size=4, income=D(7000), rank=3).monthly_fee == D(0)


def test_minimum_fee_2023_and_2026():
    # 2023: 0.107 × (5260 − 4998) = 0.107 × 262 = 28.034 → 28 = min 28 → charged
    assert fee(income=D(5260), on=Y2023).monthly_fee == D(28)
    # 2026-09: limit 5635: 0.107 × (5935 − 5635) = 0.107 × 300 = 32.1 → 32 = min 32 → charged
    assert fee(income=D(5935), on=Y2026).monthly_fee == D(32)
    # 0.107 × (5930 − 5635) = 0.107 × 295 = 31.565 → 32 → charged; 5925: 0.107 × 290 = 31.03 → 31 < 32 → 0
    assert fee(income=D(5930), on=Y2026).monthly_fee == D(32)
    assert fee(income=D(5925), on=Y2026).monthly_fee == D(0)


def test_family_of_8_limit_adds_per_further_child():
    # limit 7376 + 2 × 275 = 7926; 0.107 × (9000 − 7926) = 0.107 × 1074 = 114.918 → 115
    result = fee(family_size=8, income=D(9000))
    assert result.breakdown[0].amount == D(7926)
    assert result.monthly_fee == D(115)
    # 2023: 7028 + 2 × 262 = 7552; 0.107 × (9000 − 7552) = 0.107 × 1448 = 154.936 → 155
    assert fee(family_size=8, income=D(9000), on=Y2023).monthly_fee == D(155)
    # 2026-09: 7925 + 2 × 295 = 8515; 0.107 × (9000 − 8515) = 0.107 × 485 = 51.895 → 52, confirmed
    result = fee(family_size=8, income=D(9000), on=Y2026)
    assert (result.monthly_fee, result.estimate) == (D(52), False)


def test_income_unknown_gives_range_and_says_maximum_is_charged():
    result = fee(income=None)
    assert result.monthly_fee is None
    assert (result.minimum, result.maximum) == (D(0), D(311))
    assert "does not report" in result.breakdown[0].label
    assert result.estimate is False


def test_income_unknown_range_for_part_time_sibling_2026():
    # 0.40 × 335 = 134; × 0.60 = 80.4 → 80; limits are not used → no estimate
    result = fee(income=None, rank=2, hours=D(20), on=Y2026)
    assert (result.minimum, result.maximum) == (D(0), D(80))
    assert result.estimate is False


def test_breakdown_labels_are_fillable_and_cite_the_law():
    result = fee(family_size=8, income=D(9000), rank=2, hours=D(25), municipal=ALAVUS)
    for item in result.breakdown:
        assert item.label.format(**item.values)
        assert item.rule and item.source
    assert result.breakdown[1].rule.endswith("s.5")


def test_integer_and_string_numbers_are_accepted():
    assert ecec_fee(
        family_size=3, income=6000, hours_per_week=40, child_rank=1, municipal=None, on=Y2025
    ).monthly_fee == D(81)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"family_size": 1}, "family_size"),
        ({"family_size": 0}, "family_size"),
        ({"family_size": True}, "family_size"),
        ({"family_size": "3"}, "family_size"),
        ({"income": D(-1)}, "income"),
        ({"income": "abc"}, "income"),
        ({"hours": D(0)}, "hours_per_week"),
        ({"hours": D(-5)}, "hours_per_week"),
        ({"hours": D(169)}, "hours_per_week"),
        ({"rank": 0}, "child_rank"),
        ({"family_size": 3, "rank": 3}, "child_rank"),
    ],
)
def test_invalid_input_names_the_field(kwargs, field):
    with pytest.raises(InvalidInput) as error:
        fee(**kwargs)
    assert isinstance(error.value, ValueError)
    assert error.value.field == field


def test_municipal_rules_must_ascend():
    with pytest.raises(ValueError):
        MunicipalFeeRules("999", (PartTimeStep(D(27), D("0.7")), PartTimeStep(D(20), D("0.6"))))
    with pytest.raises(ValueError):
        MunicipalFeeRules("999", (PartTimeStep(D(27), D("1.5")),))
