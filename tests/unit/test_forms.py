"""portal/forms.py's whole_number: the one reading of a version, an id or a page number that a form or an address
sends back."""

from __future__ import annotations

import pytest

from portal.forms import whole_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0", 0),
        ("42", 42),
        ("007", 7),
        ("999999999999", 999999999999),  # 12 digits: the longest taken by default
        ("1000000000000", None),  # 13
        ("", None),
        (None, None),
        ("-1", None),
        (" 7", None),
        ("7 ", None),
        ("1.0", None),
        ("٣", None),  # an Arabic-Indic digit: int() would take it
        ("1e3", None),
    ],
)
def test_whole_number(raw: str | None, expected: int | None) -> None:
    assert whole_number(raw) == expected


def test_whole_number_with_fewer_digits() -> None:
    assert whole_number("9999", max_digits=4) == 9999
    assert whole_number("10000", max_digits=4) is None
