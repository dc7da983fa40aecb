"""The organisers' write API's requests and answers (issue 15), as pydantic models like the rest of the API
(``models.py``): the views validate with them and the OpenAPI document is generated from them.

Numbers of places, weeks, minutes and people are JSON integers; money is ``types.Money``; dates YYYY-MM-DD; times
of day HH:MM (Helsinki wall time, as the service point's schedule is written).
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from configurator.catalogue import AGE_GROUPS
from configurator.i18n import N_
from configurator.service_points import APPOINTMENT_CHANNELS

from ..organisers.changes import CAPACITY_MAX, FREE_PLACES_MAX, LENGTH_MINUTES, QUEUE_WEEKS_MAX
from .models import DateTime, Message, Model
from .types import Money

# The organisers' API's refusals that name no field of a body (portal/api/organiser_routes.py; the document's
# examples, portal/api/openapi.py).
STALE = N_(
    "The data was changed after the version you sent. Read it again and send your change with the current version."
)
NOT_YOURS = N_("Your client may not change this unit or service point.")
NO_SUCH = N_("There is no unit or service point {id}.")

AgeGroup = Literal[tuple(AGE_GROUPS)]  # type: ignore[valid-type]
Channel = Literal[tuple(APPOINTMENT_CHANNELS)]  # type: ignore[valid-type]


class Body(BaseModel):
    """A request body: unknown members are refused (a typo must not pass as "left out")."""

    model_config = ConfigDict(extra="forbid")


class AgeGroupPlaces(Body):
    free_places: Annotated[int, Field(ge=0, le=FREE_PLACES_MAX, strict=True)]
    queue_weeks: Annotated[int, Field(ge=0, le=QUEUE_WEEKS_MAX, strict=True)]


class AvailabilityUpdate(Body):
    messages: ClassVar[dict[str, Message]] = {
        "version": (N_("Send the version you read, a whole number."), {}),
        "age_groups": (
            N_(
                "Give age groups ({allowed}), each with free_places (0 to {places}) and queue_weeks (0 to {weeks}) "
                "as whole numbers."
            ),
            {"allowed": ", ".join(AGE_GROUPS), "places": FREE_PLACES_MAX, "weeks": QUEUE_WEEKS_MAX},
        ),
    }
    version: Annotated[int, Field(ge=0, strict=True, description="The version the change is made from (GET).")]
    age_groups: dict[AgeGroup, AgeGroupPlaces] = Field(
        min_length=1, description="The age groups to change; the others keep their numbers."
    )


class AgeGroupAvailability(Model):
    age_group: str
    free_places: int
    queue_weeks: int
    updated_at: DateTime


class UnitAvailability(Model):
    unit_id: int
    version: int = Field(description="Send it back with a change; a change from an older version gets 409.")
    age_groups: list[AgeGroupAvailability]


class PriceUpdate(Body):
    messages: ClassVar[dict[str, Message]] = {
        "monthly_price": (N_("Give the price as {example}."), {"example": '{"amount": "450.00", "currency": "EUR"}'}),
        "valid_from": (N_("Give the date the price applies from as YYYY-MM-DD."), {}),
        "version": (N_("Send the version you read, a whole number."), {}),
    }
    monthly_price: Money
    valid_from: date = Field(description="Today or later; the price applies from this day on.")
    version: Annotated[int, Field(ge=1, strict=True)] | None = Field(
        None, description="The entry's version when the date has a price already (GET); leave out for a new date."
    )


class UnitPriceEntry(Model):
    valid_from: date
    monthly_price: Money
    version: int


class UnitPrices(Model):
    unit_id: int
    prices: list[UnitPriceEntry] = Field(
        description="Every entry, oldest date first; the one in force is the newest whose date has come."
    )


class ScheduleRequest(Body):
    messages: ClassVar[dict[str, Message]] = {
        "weekdays": (N_("Give the weekdays as numbers from 0 (Monday) to 6 (Sunday)."), {}),
        "times": (N_("Give the start times as HH:MM."), {}),
        "length_minutes": (
            N_("Give a length of {min} to {max} minutes."),
            {"min": LENGTH_MINUTES[0], "max": LENGTH_MINUTES[1]},
        ),
        "first_day": (N_("Give the day as YYYY-MM-DD."), {}),
        "last_day": (N_("Give the day as YYYY-MM-DD."), {}),
        "channel": (N_("Use one of these values: {allowed}."), {"allowed": ", ".join(APPOINTMENT_CHANNELS)}),
        "capacity": (N_("Give 1 to {max} people per time."), {"max": CAPACITY_MAX}),
        "closed_days": (N_("Give the closed days as a list of YYYY-MM-DD dates."), {}),
        "skip_public_holidays": (N_("Give true or false."), {}),
    }
    weekdays: list[Annotated[int, Field(ge=0, le=6, strict=True)]] = Field(
        min_length=1, max_length=7, description="0 = Monday ... 6 = Sunday."
    )
    times: list[time] = Field(min_length=1, max_length=48, description="Start times, HH:MM.")
    length_minutes: Annotated[int, Field(ge=LENGTH_MINUTES[0], le=LENGTH_MINUTES[1], strict=True)]
    first_day: date
    last_day: date
    channel: Channel = "in_person"  # type: ignore[valid-type]
    capacity: Annotated[int, Field(ge=1, le=CAPACITY_MAX, strict=True)] = 1
    closed_days: list[date] = Field([], max_length=366, description="Days with no times (besides public holidays).")
    skip_public_holidays: bool = True


class AddedTimes(Model):
    created: list[int] = Field(description="The new times' ids.")
    already_there: int = Field(description="Times the service point offered already: left as they were.")
    closed_days: list[date] = Field(description="Chosen weekdays skipped: the closed days given and public holidays.")


class AppointmentTime(Model):
    id: int
    starts_at: DateTime
    channel: str
    capacity: int
    booked: int
    cancelled: bool
    version: int = Field(description="Send it back to cancel the time (?version=).")


class AppointmentTimes(Model):
    location_id: int
    times: list[AppointmentTime]


class CancelledTime(Model):
    id: int
    reservations_cancelled: int = Field(description="Each person got a message in their own space.")


class TokenRequest(BaseModel):
    """The token request (``application/x-www-form-urlencoded``, RFC 6749 section 4.4); the client's id and secret
    go in HTTP Basic authentication, or as client_id and client_secret here."""

    grant_type: Literal["client_credentials"]
    scope: str | None = Field(None, description="Space-separated scopes; default all of the client's.")
    client_id: str | None = None
    client_secret: str | None = None


class TokenResponse(Model):
    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the token is valid.")
    scope: str


class OAuthError(BaseModel):
    """An OAuth error (RFC 6749 section 5.2): what OAuth client libraries read, so not a problem details body."""

    error: str
    error_description: str | None = None
