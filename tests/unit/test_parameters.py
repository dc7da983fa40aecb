"""Parameter loading and dated lookup (configurator/parameters.py)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from configurator.parameters import ParameterError, Parameters, default_parameters
from configurator.schemas import DataFileError

VALID_LEAF = """\
description: test file
fee:
  description: a fee
  unit: currency-EUR
  values:
    2024-01-01:
      value: 10.10
      source: Act 1/2024
    2025-01-01:
      value: null
      status: unconfirmed
      source: notice not yet published
    2026-01-01:
      value: 12
      status: unconfirmed
      source: draft notice
"""


def write(tmp_path: Path, text: str, name: str = "sample.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def params() -> Parameters:
    return default_parameters()


def test_known_value_is_exact_decimal_with_source(params):
    value = params.at("ecec_fee.income_limit.family_3", date(2025, 1, 1))
    assert value.value == Decimal("5245")
    assert value.valid_from == date(2024, 8, 1)
    assert value.asked_period_from == date(2024, 8, 1)
    assert value.estimate is False
    assert "Kuntaliitto" in value.source


def test_float_in_yaml_is_loaded_without_binary_error(params):
    assert params.at("ecec_fee.percentage", date(2025, 1, 1)).value == Decimal("0.107")
    assert params.at("kela_home_care.care_allowance.first_child_under_3", date(2025, 1, 1)).value == Decimal("377.68")


def test_2023_figures(params):
    on = date(2023, 6, 1)
    assert params.at("ecec_fee.income_limit.family_2", on).value == 3874
    assert params.at("ecec_fee.income_limit.family_6", on).value == 7028
    assert params.at("ecec_fee.per_further_child", on).value == 262
    assert params.at("ecec_fee.max_fee", on).value == 295
    assert params.at("ecec_fee.second_child_max", on).value == 118
    assert params.at("ecec_fee.min_fee", on).value == 28


def test_unknown_period_falls_back_to_latest_known_value_as_estimate(params):
    # The YEL minimum for 2027 is not published: the 2026 figure is used and flagged.
    value = params.at("business_start.yel.min_work_income", date(2027, 3, 1))
    assert value.value == Decimal("9423.09")
    assert value.valid_from == date(2026, 1, 1)
    assert value.asked_period_from == date(2027, 1, 1)
    assert value.estimate is True


def test_ecec_limits_from_1_8_2026_are_confirmed(params):
    on = date(2026, 8, 1)
    limits = [params.at(f"ecec_fee.income_limit.family_{size}", on) for size in range(2, 7)]
    assert [v.value for v in limits] == [4369, 5635, 6399, 7163, 7925]
    assert all(v.valid_from == on and not v.estimate for v in limits)
    assert params.at("ecec_fee.per_further_child", on).value == 295


def test_known_new_period_value_is_not_an_estimate(params):
    value = params.at("ecec_fee.max_fee", date(2026, 9, 1))
    assert (value.value, value.valid_from, value.estimate) == (335, date(2026, 8, 1), False)


def test_unconfirmed_known_value_is_an_estimate(params):
    # PRH's current price list is known but its start date is not: shown, flagged
    value = params.at("business_start.registration_fee.oy", date(2026, 6, 1))
    assert value.value == 320
    assert value.estimate is True


def test_no_change_on_1_8_2025(params):
    assert params.at("ecec_fee.max_fee", date(2025, 8, 1)).value == 311


def test_period_boundaries(params):
    assert params.at("ecec_fee.max_fee", date(2024, 7, 31)).value == 295
    assert params.at("ecec_fee.max_fee", date(2024, 8, 1)).value == 311
    assert params.at("ecec_fee.max_fee", date(2026, 7, 31)).value == 311


def test_before_first_period_raises(params):
    with pytest.raises(ParameterError):
        params.at("ecec_fee.max_fee", date(2023, 2, 28))
    with pytest.raises(LookupError):  # ParameterError is a LookupError
        params.at("ecec_fee.max_fee", date(2020, 1, 1))


def test_unknown_name_raises(params):
    with pytest.raises(ParameterError):
        params.at("ecec_fee.no_such_thing", date(2025, 1, 1))


def test_integer_parameters(params):
    on = date(2025, 1, 1)
    assert params.at("ecec_application.lead_time_months", on).value == 4
    assert params.at("ecec_application.sudden_need_lead_time_weeks", on).value == 2
    assert params.at("ecec_fee.full_time_hours", on).value == 35
    assert params.at("ecec_fee.part_time_low_hours", on).value == 20


def test_names_lists_every_leaf(params):
    names = params.names()
    assert names == sorted(names)
    for size in range(2, 7):
        assert f"ecec_fee.income_limit.family_{size}" in names
    for size in (2, 3, 4):
        assert f"kela_home_care.care_supplement.income_limit.family_{size}" in names
    # Kela counts at most 4 persons for the supplement: no invented limit for bigger families.
    assert not any(n.startswith("kela_home_care.care_supplement.income_limit.family_5") for n in names)


def test_every_leaf_has_a_source_for_every_lookup(params):
    for name in params.names():
        value = params.at(name, date(2026, 9, 1))
        assert value.source.strip(), name
        assert isinstance(value.value, Decimal), name


def test_default_parameters_is_cached():
    assert default_parameters() is default_parameters()


def test_load_from_directory_with_null_and_unconfirmed(tmp_path):
    params = Parameters.load(write(tmp_path, VALID_LEAF))
    assert params.names() == ["sample.fee"]
    gap = params.at("sample.fee", date(2025, 6, 1))
    assert (gap.value, gap.valid_from, gap.asked_period_from, gap.estimate) == (
        Decimal("10.10"),
        date(2024, 1, 1),
        date(2025, 1, 1),
        True,
    )
    unconfirmed = params.at("sample.fee", date(2026, 6, 1))
    assert (unconfirmed.value, unconfirmed.estimate) == (12, True)


LEAF = "fee:\n  description: d\n  unit: u\n  values:\n"
PERIOD = "    2024-01-01:\n      value: 1\n      source: s\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            LEAF + "    not-a-date:\n      value: 1\n      source: s\n",
            "fee.values.not-a-date: 'not-a-date' is not an ISO date (YYYY-MM-DD)",
        ),
        (LEAF + "    2024-01-01:\n      value: 1\n", "fee.values.2024-01-01.source: required, missing"),
        (
            LEAF + "    2024-01-01:\n      value: abc\n      source: s\n",
            "fee.values.2024-01-01.value: value must be a number or null, got 'abc'",
        ),
        (
            LEAF + '    2024-01-01:\n      value: "12"\n      source: s\n',
            "fee.values.2024-01-01.value: value must be a number or null, got '12'",
        ),
        (
            LEAF + "    2024-01-01:\n      value: null\n      status: unconfirmed\n      source: s\n",
            "fee: the first period needs a known value",
        ),
        (
            LEAF + PERIOD + "    2025-01-01:\n      value: null\n      source: s\n",
            "fee.values.2025-01-01: a null value must have 'status: unconfirmed'",
        ),
        (
            LEAF + PERIOD + "    2025-01-01:\n      value: 2\n      source: s\n      status: maybe\n",
            "fee.values.2025-01-01.status: Input should be 'confirmed' or 'unconfirmed', got 'maybe'",
        ),
        (
            LEAF + PERIOD + "    2025-01-01:\n      value: 2\n      source: s\n      sorce: t\n",
            "fee.values.2025-01-01.sorce: unknown key (a typo?)",
        ),
        ("fee:\n  unit: u\n  values:\n" + PERIOD, "fee.description: required, missing"),
        ("fee:\n  description: d\n  values:\n" + PERIOD, "fee.unit: required, missing"),
        ("fee:\n  description: d\n  unit: ' '\n  values:\n" + PERIOD, "fee.unit: must be a non-empty text"),
        (LEAF.replace("values:\n", "values: {}\n"), "fee.values: must not be empty"),
        ("fee: 12\n", "fee: expected a mapping (a group, or a leaf with 'values'), got 12"),
        (
            "group:\n  bad-key:\n    description: d\n",
            "group: bad key 'bad-key' (use identifiers: letters, digits and _)",
        ),
        ("- a list\n", "the top level must be a mapping"),
        ("description: only a description\n", "no parameters (no mapping with 'values')"),
    ],
)
def test_loader_names_file_path_and_problem(tmp_path, text, expected):
    directory = write(tmp_path, text, "broken.yaml")
    with pytest.raises(ParameterError) as error:
        Parameters.load(directory)
    assert str(error.value) == f"{directory / 'broken.yaml'}: {expected}"
    assert isinstance(error.value, DataFileError)  # the error of every data file, too


@pytest.mark.parametrize(
    "text, fragment",
    [
        (LEAF + PERIOD + PERIOD.replace("value: 1", "value: 2"), "duplicate key datetime.date(2024, 1, 1)"),
        ("fee: [unclosed\n", "cannot read"),
        (LEAF + "    2024-01-01:\n      value: .inf\n      source: s\n", "number"),
    ],
)
def test_loader_rejects_what_is_not_yaml_with_the_line(tmp_path, text, fragment):
    with pytest.raises(ParameterError) as error:
        Parameters.load(write(tmp_path, text, "broken.yaml"))
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'broken.yaml'}: cannot read: ")
    assert fragment in message and "line" in message


def test_loader_names_every_problem_on_its_own_line(tmp_path):
    text = (
        "group:\n  fee:\n    description: d\n    unit: u\n    values:\n      2024-01-01:\n        value: x\n"
        "        source: s\n  other:\n    unit: u\n    values:\n      2024-01-01:\n        value: 1\n"
        "        source: s\n"
    )
    with pytest.raises(ParameterError) as error:
        Parameters.load(write(tmp_path, text, "broken.yaml"))
    assert str(error.value).splitlines() == [
        f"{tmp_path / 'broken.yaml'}: group.fee.values.2024-01-01.value: value must be a number or null, got 'x'",
        f"{tmp_path / 'broken.yaml'}: group.other.description: required, missing",
    ]


def test_error_names_a_project_file_relative_to_the_project(tmp_path):
    from configurator.schemas.errors import PROJECT_ROOT, display_name

    assert (
        display_name(PROJECT_ROOT / "configurator" / "parameters" / "ecec_fee.yaml")
        == "configurator/parameters/ecec_fee.yaml"
    )
    assert display_name(tmp_path / "x.yaml") == str(tmp_path / "x.yaml")


def test_empty_directory_raises(tmp_path):
    with pytest.raises(ParameterError):
        Parameters.load(tmp_path)
