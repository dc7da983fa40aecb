"""The reservation forms (an appointment time, an ECEC place and its replacement) and their error texts.

What the form alone can tell (a time chosen, a number, an id) is checked here; whether the time is still free,
the day's limit and the phone number of a time by phone are checked against the database and the chosen
slot in the view and ``services``, and shown with the same texts.
"""

from __future__ import annotations

from wtforms import HiddenField, RadioField, StringField
from wtforms.validators import DataRequired, Optional, Regexp

from configurator.i18n import N_, NP_

from ..forms import Form

SLOT_ERRORS = {
    "missing": N_("Choose a time"),
    "invalid": N_("Choose a time from the list"),
    "taken": N_("That time was just taken. Choose another time."),
    "past": N_("That time has already passed. Choose another time."),
    "duplicate": N_("You have already reserved that time. Choose another time."),
}
# An organiser may allow more than one appointment a day per person (ServiceLocation.appointments_per_person_per_day).
DAY_LIMIT_ERROR = NP_(
    "An appointment at this service point on that day is already reserved. Choose another day.",
    "{num} appointments at this service point on that day are already reserved, the most it "
    "allows. Choose another day.",
    "num",
)
PHONE_ERRORS = {
    "missing": N_("Enter the phone number to call for a time by phone"),
    "too_long": N_("Phone number must be {max} characters or fewer"),
    "invalid": N_("Enter a phone number like 040 123 4567 or +358 40 123 4567"),
}
PLACE_ERRORS = {
    "taken": N_("The last free place was just taken. Choose another unit from your plan."),
    "duplicate": N_("A place at this unit is already reserved for this child."),
}
CANCEL_ERROR = N_("This reservation can no longer be cancelled.")

ID = r"[0-9]{1,9}\Z"  # ASCII digits, small enough for any INTEGER column
TYPED_MAX = 200  # a typed phone number is shown again as typed, but bounded


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _bounded(value: str | None) -> str:
    return (value or "")[:TYPED_MAX]


class AppointmentForm(Form):
    """A free time (``slot``, the radio buttons) and, for a time by phone, the number to call."""

    slot = RadioField(
        filters=[_stripped],
        validate_choice=False,
        validators=[DataRequired(SLOT_ERRORS["missing"]), Regexp(ID, message=SLOT_ERRORS["invalid"])],
    )
    phone = StringField(filters=[_bounded])


class PlaceForm(Form):
    """Reserve the place; ``replace`` names the held place the person confirmed to give up for it."""

    replace = HiddenField(filters=[_stripped], validators=[Optional(), Regexp(ID)])
