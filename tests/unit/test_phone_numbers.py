"""The phone number asked for an appointment by phone: Finnish (with the trunk 0) or international (+ or 00 and a
country code, at most 15 digits as E.164 allows), spaces, hyphens and brackets as people type them, 30 characters
at most. Kept as typed with the spaces tidied, so the person recognises it."""

from __future__ import annotations

import pytest

from portal.reservations.services import PHONE_MAX_LENGTH, InvalidPhone, clean_phone


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("040 123 4567", "040 123 4567"),  # mobile
        ("0401234567", "0401234567"),
        ("09 123 4567", "09 123 4567"),  # Helsinki landline
        ("02 12345", "02 12345"),  # 7 digits: the shortest national number
        ("0800 123 456", "0800 123 456"),  # a service number
        ("040-123 4567", "040-123 4567"),
        ("(09) 123 4567", "(09) 123 4567"),
        ("+358 40 123 4567", "+358 40 123 4567"),
        ("+358401234567", "+358401234567"),
        ("00358 40 123 4567", "00358 40 123 4567"),
        ("+46 8 123 456 78", "+46 8 123 456 78"),  # Stockholm
        ("+1 202 555 0123", "+1 202 555 0123"),
        ("  +358  40 123\t4567 ", "+358 40 123 4567"),  # whitespace tidied
        ("040\u00a0123\u00a04567", "040 123 4567"),  # no-break spaces pasted from a web page
    ],
)
def test_numbers_that_can_be_called(typed: str, kept: str) -> None:
    assert clean_phone(typed) == kept


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("", "missing"),
        ("   ", "missing"),
        (None, "missing"),
        ("12345", "invalid"),  # no trunk 0, no country code
        ("040 12", "invalid"),  # 5 digits
        ("0401234567890", "invalid"),  # 13 digits: longer than any Finnish number
        ("+358 0", "invalid"),
        ("+0 40 123 4567", "invalid"),  # no country code starts with 0
        ("+1234567890123456", "invalid"),  # 16 digits: longer than E.164 allows
        ("040 123 abc", "invalid"),
        ("040+1234567", "invalid"),
        ("040.123.4567", "invalid"),
        ("+358 40 123 4567 ext. 5", "invalid"),
        ("040 123 4567 / 050 765 4321", "invalid"),  # one number only
        ("０４０ １２３ ４５６７", "invalid"),
        ("٠٤٠١٢٣٤٥٦٧", "invalid"),  # digits nobody can dial
        ("0" * (PHONE_MAX_LENGTH + 1), "too_long"),
        ("040 " + " ".join("1" * 14), "too_long"),
    ],
)
def test_numbers_that_cannot_be_called(typed: str | None, reason: str) -> None:
    with pytest.raises(InvalidPhone) as refused:
        clean_phone(typed)
    assert refused.value.reason == reason
