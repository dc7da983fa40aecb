"""The API's value types: money in one shape, and the query-string notations people and forms use.

Why one module: every amount of money the API answers with is a ``Money`` (a decimal string with two
decimals and its currency), and every number it reads from a query string goes through one of the parsers
below, so a field cannot be typed one way in the document and parsed another way in a view. Each parser's
JSON Schema pattern is the same regular expression the parser matches, so the document says exactly what is
taken (schemathesis checks that nothing outside it is).

A value that does not parse raises ``PydanticCustomError("polku", ...)`` carrying the msgid and its values
(the same msgids the HTML forms use), which ``problems`` translates into the requested language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from configurator.i18n import N_

CURRENCY = "EUR"
CENTS = Decimal("0.01")
MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"

# --- bounds of the inputs (the rules check their own ranges; these keep Decimal arithmetic in its precision) ---
MAX_MONTHLY = Decimal(10_000_000)  # a monthly income or wage: far above any fee cap
MAX_YEARLY = Decimal(1_000_000_000)  # a yearly turnover or work income
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)  # the years the date questions take
MAX_AGE = 120

# Finnish or English notation: '1 234,50', '1234.50', '1234'; thousands may be grouped by a space, a no-break
# or a narrow no-break space. ASCII digits only (\d would take '١٢' too), at most 12 before the point.
EUROS = r"^-?(?:[0-9]{1,12}|[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3}){1,3})(?:[.,][0-9]{1,2})?$"
WHOLE = r"^-?[0-9]{1,6}$"
HOURS = r"^-?[0-9]{1,6}(?:[.,][0-9]{1,2})?$"
COORDINATE = r"^-?[0-9]{1,6}(?:[.,][0-9]{1,10})?$"  # plain decimals only: no exponent, NaN or Infinity
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MUNICIPALITY = r"^[0-9]{3}$"
BOOLEAN = r"^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"  # any case, as the forms take it


class Money(BaseModel):
    """An amount of money, the one shape of money everywhere in the API (amounts, fees, thresholds, inputs
    echoed back): ``{"amount": "80.90", "currency": "EUR"}``. The amount is a decimal string with exactly two
    decimals, so no client reads 0.1 + 0.2 or loses a cent to a binary float."""

    model_config = ConfigDict(frozen=True, json_schema_extra={"examples": [{"amount": "80.90", "currency": "EUR"}]})

    amount: str = Field(pattern=MONEY_PATTERN, description="Euros with two decimals, as text.")
    currency: str = Field(CURRENCY, pattern="^EUR$", description="ISO 4217 code; always EUR.")

    @classmethod
    def of(cls, value: Decimal | int | float) -> Money:
        """The amount rounded half up to the cent (the rules round themselves; this only fixes the notation)."""
        return cls(amount=str(Decimal(str(value)).quantize(CENTS, rounding=ROUND_HALF_UP)))


def money(value: Decimal | int | float | None) -> Money | None:
    return None if value is None else Money.of(value)


def number(value: Decimal | int | float | None) -> int | float | None:
    """A figure that is not money (hours, kilometres, percentages): whole ones as integers, others as floats."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def refuse(msgid: str, **values: Any) -> PydanticCustomError:
    """A validation error that names its translatable message (``problems`` translates it)."""
    return PydanticCustomError("polku", "{msgid}", {"msgid": msgid, "values": values})


def parsed(
    pattern: str,
    convert: Callable[[str], Any],
    msgid: str,
    schema: dict[str, Any],
    check: Callable[[Any], None] | None = None,
) -> tuple[BeforeValidator, WithJsonSchema]:
    """Annotated metadata for a query-string value: match ``pattern`` (also the schema's), convert, then
    ``check`` the bounds. Anything but text is refused (a JSON number is no date; defaults are not validated)."""
    regex = re.compile(pattern)

    def validate(value: Any) -> Any:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise refuse(msgid)
        result = convert(value)
        if check is not None:
            check(result)
        return result

    return BeforeValidator(validate), WithJsonSchema({"type": "string", "pattern": pattern, **schema})


def choice(values: tuple[str, ...] | list[str]) -> Any:
    """One of ``values`` (a code, not a number), refused with the list of what is taken."""
    allowed = ", ".join(values)

    def validate(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise refuse(N_("Use one of these values: {allowed}."), allowed=allowed)
        return value

    return Annotated[str, BeforeValidator(validate), WithJsonSchema({"type": "string", "enum": list(values)})]


def euros(text: str) -> Decimal:
    return Decimal(re.sub(r"[ \u00a0\u202f]", "", text).replace(",", "."))


def decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def at_most(limit: Decimal, msgid: str) -> Callable[[Decimal], None]:
    def check(value: Decimal) -> None:
        if value > limit:
            raise refuse(msgid, max=limit)

    return check


def date_between(value: date) -> None:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise refuse(DATE_MESSAGE)


def to_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise refuse(DATE_MESSAGE) from None


def age_in_range(value: int) -> None:
    if not 0 <= value <= MAX_AGE:
        raise refuse(AGE_MESSAGE)


DATE_MESSAGE = N_("Enter a date as YYYY-MM-DD, like 2027-08-12.")
AGE_MESSAGE = N_("Enter an age from 0 to 120.")
MONTHLY_MAX = N_("Enter a monthly income of at most {max} €.")

MonthlyIncome = Annotated[
    Decimal,
    *parsed(
        EUROS,
        euros,
        N_("Enter an amount in euros, like 4500 or 4500.50."),
        {"description": "Euros a month, Finnish or English notation ('4 500,50' or '4500.50')."},
        at_most(MAX_MONTHLY, MONTHLY_MAX),
    ),
]
MonthlyWage = Annotated[
    Decimal,
    *parsed(
        EUROS,
        euros,
        N_("Enter an amount in euros, like 3200 or 3200.50."),
        {"description": "Euros a month, Finnish or English notation ('3 200,50' or '3200.50')."},
        at_most(MAX_MONTHLY, MONTHLY_MAX),
    ),
]
YearlyEuros = Annotated[
    Decimal,
    *parsed(
        EUROS,
        euros,
        N_("Enter an amount in euros, like 45000 or 45000.50."),
        {
            "description": "Euros a year, Finnish or English notation ('45 000,50' or '45000.50'), at most "
            f"{MAX_YEARLY}."
        },
        at_most(MAX_YEARLY, N_("Enter an amount of at most {max} €.")),
    ),
]
WholeNumber = Annotated[int, *parsed(WHOLE, int, N_("Enter a whole number."), {})]
Age = Annotated[int, *parsed(WHOLE, int, AGE_MESSAGE, {"description": f"Whole years, 0 to {MAX_AGE}."}, age_in_range)]
Hours = Annotated[
    Decimal,
    *parsed(
        HOURS,
        decimal,
        N_("Enter the hours a week as a number, like 30."),
        {"description": "Hours a week, at most two decimals ('37.5' or '37,5')."},
    ),
]
Coordinate = Annotated[
    Decimal,
    *parsed(
        COORDINATE, decimal, N_("Enter a number."), {"description": "Decimal degrees (WGS84), at most 10 decimals."}
    ),
]
Kilometres = Annotated[Decimal, *parsed(COORDINATE, decimal, N_("Enter a number."), {})]
IsoDate = Annotated[
    date,
    *parsed(
        ISO_DATE,
        to_date,
        DATE_MESSAGE,
        {"format": "date", "description": "YYYY-MM-DD, from 1900 to 2200."},
        date_between,
    ),
]
MunicipalityCode = Annotated[
    str,
    *parsed(
        MUNICIPALITY,
        str,
        N_("Enter a municipality code of three digits, like 853."),
        {"description": "A municipality code of three digits."},
    ),
]
Boolean = Annotated[
    bool,
    *parsed(BOOLEAN, lambda text: text.lower() == "true", N_("Use true or false."), {"description": "true or false."}),
]
