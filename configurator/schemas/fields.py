"""Field types without any domain vocabulary: dates, numbers, euro amounts, texts, codes, business IDs,
language lists, web addresses and opening hours.

Why apart from ``types``: the domain's record types (``configurator.catalogue``) are annotated with them,
and the vocabularies' types live next to their vocabularies there, so this module must not import the
domain back. ``configurator.schemas.types`` gathers both for the file and API models.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from ..names import Localized, LocalizedError, parse_localized

BUSINESS_ID_PATTERN = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
DAY_RANGE = re.compile(r"^(mo|tu|we|th|fr|sa|su)(-(mo|tu|we|th|fr|sa|su))?$")
TIME_OF_DAY = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


class FileModel(BaseModel):
    """A mapping of a data file: unknown keys are errors (a typo must not be ignored), values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- dates and numbers -----------------------------------------------------------------------------


def _iso_date(value: Any) -> date:
    """A date or an ISO ``YYYY-MM-DD`` text; pydantic's lax date would also take a number of seconds."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not an ISO date (YYYY-MM-DD)")


def _iso_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not an ISO date-time (YYYY-MM-DDTHH:MM:SS)")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


def _number(value: Any) -> Decimal:
    """A number written as a number (YAML reads it as Decimal or int); no text, no true/false."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        raise ValueError(f"must be a number, got {value!r}")  # noqa: TRY004 - pydantic reports a ValueError, not a TypeError
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"must be a finite number, got {value!r}")
    return number


Number = Annotated[Decimal, BeforeValidator(_number)]


def _money(value: Any) -> Decimal:
    """Euros with at most cents, not negative; a quoted "70.00" as well as 70 (amounts are quoted in files)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")  # noqa: TRY004 - pydantic reports a ValueError, not a TypeError
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{value!r} must be a non-negative amount in cents")
    return amount.quantize(Decimal("0.01"))


EuroAmount = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$", "examples": ["70.00"]}),
]


def _decimal_text(value: Any) -> Decimal:
    """A decimal written as a number or a quoted number ("0.60")."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")  # noqa: TRY004 - pydantic reports a ValueError, not a TypeError
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


DecimalText = Annotated[Decimal, BeforeValidator(_decimal_text)]
PositiveInt = Annotated[int, Field(strict=True, gt=0)]


def _non_empty(value: Any) -> Any:
    if not value:
        raise ValueError("must not be empty")
    return value


# Not Field(min_length=1): that also fires when every item was wrong (and so left out), a second, false problem.
NonEmpty = AfterValidator(_non_empty)
NonNegativeInt = Annotated[int, Field(strict=True, ge=0)]


# --- texts and codes -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty text")
    return value.strip()


Text = Annotated[str, BeforeValidator(_text)]


def _digits(count: int, what: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not re.fullmatch(rf"\d{{{count}}}", value):
            raise ValueError(f"{what} {value!r} must be {count} digits in quotes")
        return value

    return check


MunicipalityCode = Annotated[
    str, BeforeValidator(_digits(3, "municipality code")), WithJsonSchema({"type": "string", "pattern": r"^\d{3}$"})
]
PostalCode = Annotated[
    str, BeforeValidator(_digits(5, "postal code")), WithJsonSchema({"type": "string", "pattern": r"^\d{5}$"})
]


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a Finnish business ID (Y-tunnus) for its seven digits; None when no digit is valid
    (the remainder 1 is never given out)."""
    remainder = sum(int(d) * w for d, w in zip(digits, BUSINESS_ID_WEIGHTS)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def valid_business_id(value: str) -> bool:
    """Whether ``value`` is a Finnish business ID "1234567-8" with a valid modulus-11 check digit."""
    match = BUSINESS_ID_PATTERN.fullmatch(value)
    return match is not None and business_id_check_digit(match.group(1)) == int(match.group(2))


def _business_id(value: Any) -> str:
    if not isinstance(value, str) or not valid_business_id(value):
        raise ValueError(f"{value!r} is not a valid Finnish business ID (1234567-8 with its check digit)")
    return value


BusinessId = Annotated[str, BeforeValidator(_business_id), WithJsonSchema({"type": "string", "pattern": r"^\d{7}-\d$"})]


def _languages(value: Any) -> tuple[str, ...]:
    """ "fi,sv" -> ("fi", "sv"): distinct ISO 639-1 codes, as the catalogue stores them."""
    codes = str(value).replace(" ", "").split(",") if isinstance(value, str) else None
    if not codes or not all(LANGUAGE_CODE.match(code) for code in codes) or len(set(codes)) != len(codes):
        raise ValueError(f"languages {value!r} must be comma-separated, distinct ISO 639-1 codes (fi,sv)")
    return tuple(codes)


LanguageList = Annotated[tuple[str, ...], BeforeValidator(_languages)]


def _link(value: Any) -> Localized | None:
    """A web address: one https address, or ``{fi: .., sv: .., en: ..}`` for a site with language versions."""
    try:
        return parse_localized(value, "address", url=True)
    except LocalizedError as error:
        raise ValueError(str(error).removeprefix("address: ")) from None


Link = Annotated[Localized | None, BeforeValidator(_link)]


# --- opening hours and accessibility ---------------------------------------------------------------


def _day_range(value: Any) -> str:
    if not isinstance(value, str) or not DAY_RANGE.match(value):
        raise ValueError(f"days {value!r} must look like 'mo-fr' or 'sa'")
    return value


def _time_of_day(value: Any) -> str:
    if not isinstance(value, str) or not TIME_OF_DAY.match(value):
        raise ValueError(f"{value!r} must be a time HH:MM in quotes (00:00 to 24:00)")
    return value


DayRange = Annotated[str, BeforeValidator(_day_range)]
TimeOfDay = Annotated[str, BeforeValidator(_time_of_day)]


def _opens_before_closes(hours: OpeningHoursEntry) -> OpeningHoursEntry:
    if hours.opens >= hours.closes:
        raise ValueError(f"opens {hours.opens} must be before closes {hours.closes}")
    return hours


class OpeningHoursEntry(FileModel):
    """Opening (or phone) hours on a range of days, as ``configurator.catalogue.OpeningHours`` keeps them."""

    days: DayRange
    opens: TimeOfDay
    closes: TimeOfDay


OpeningHoursList = Annotated[tuple[Annotated[OpeningHoursEntry, AfterValidator(_opens_before_closes)], ...], NonEmpty]


# --- vocabularies ----------------------------------------------------------------------------------


def one_of(vocabulary: Mapping[str, Any], what: str) -> Callable[[Any], str]:
    """A validator: the value is a key of ``vocabulary`` (the domain's code -> label table)."""

    def check(value: Any) -> str:
        if value not in vocabulary:
            raise ValueError(f"unknown {what} {value!r} (expected one of {sorted(vocabulary)})")
        return str(value)

    return check


def enum_schema(vocabulary: Mapping[str, Any]) -> WithJsonSchema:
    """The JSON schema of a vocabulary's codes."""
    return WithJsonSchema({"type": "string", "enum": sorted(vocabulary)})
