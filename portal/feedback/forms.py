"""The feedback forms: the quick one (posted from the partial on other pages) and the longer one.

Both ask for a rating (1–5, the CSAT question, required) and, optionally, the Customer Effort question (1–7)
and free text of at most ``COMMENT_MAX`` characters. Names stay plain (``rating``); the templates give ids a
prefix (``feedback-rating``), which ``problems(prefix)`` links the errors to.
"""

from __future__ import annotations

import re
from typing import Any

from wtforms import Field, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import StopValidation

from configurator.i18n import N_

from ..forms import Form, Problem
from .services import DIGITS, EMAIL_MAX, ServiceLocation, long_subject

COMMENT_MAX = 2000


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


class Choice:
    """One of ``low``..``high`` (1 unless told) as ASCII digits; ``missing`` when nothing was chosen (None: the question is optional)."""

    def __init__(self, high: int, invalid: str, missing: str | None = None, low: int = 1) -> None:
        self.high, self.invalid, self.missing, self.low = high, invalid, missing, low

    def __call__(self, form: Form, field: Field) -> None:
        if not (field.raw_data and field.raw_data[0]):  # as sent: a blank answer is an answer, and wrong
            if self.missing is None:
                field.data = None
                raise StopValidation()
            raise Problem(self.missing)
        if not (DIGITS.fullmatch(field.data) and self.low <= int(field.data) <= self.high):
            raise Problem(self.invalid)
        field.data = int(field.data)  # the checked number, for storing


def _short_enough(form: Form, field: Field) -> None:
    if len(field.data) > COMMENT_MAX:
        raise Problem(N_("Your answer must be {max} characters or fewer"), max=COMMENT_MAX)


def rating_field() -> RadioField:
    return RadioField(
        filters=[_stripped],
        validate_choice=False,
        validators=[Choice(5, N_("Select a rating from very poor to very good"), missing=N_("Select a rating"))],
    )


def effort_field() -> RadioField:
    return RadioField(
        filters=[_stripped],
        validate_choice=False,
        validators=[Choice(7, N_("Select how much you agree, from strongly disagree to strongly agree"))],
    )


def recommend_field() -> RadioField:
    """The recommend question (NPS): 0 (not at all likely) .. 10 (extremely likely), optional."""
    return RadioField(
        filters=[_stripped],
        validate_choice=False,
        validators=[Choice(10, N_("Select a number from 0 to 10"), low=0)],
    )


EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _email(form: Form, field: Field) -> None:
    """Optional; one address of at most EMAIL_MAX characters (the column's bound); kept only until answered."""
    if not field.data:
        field.data = None
        raise StopValidation()
    if len(field.data) > EMAIL_MAX:
        raise Problem(N_("Your e-mail address must be {max} characters or fewer"), max=EMAIL_MAX)
    if not EMAIL.fullmatch(field.data):
        raise Problem(N_("Enter an e-mail address in the right format, like name@example.com"))


def email_field() -> StringField:
    return StringField(filters=[_stripped], validators=[_email])


def text_field() -> TextAreaField:
    return TextAreaField(filters=[_text], validators=[_short_enough])


class FeedbackForm(Form):
    """What both forms share; ``raw()`` gives the answers back as typed, to show them again."""

    def raw(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {name: (self[name].raw_data or [""])[0] for name in names}


class QuickForm(FeedbackForm):
    """The partial's hidden fields name the subject (``kind``, ``event``, ``location``) and where to return."""

    kind = HiddenField()
    event = HiddenField()
    location = HiddenField()
    rating = rating_field()
    effort = effort_field()
    comment = text_field()
    next = HiddenField()
    anchor = HiddenField()

    FIELDS = ("kind", "event", "location", "rating", "effort", "comment", "next")


class LongForm(FeedbackForm):
    """What it is about (general, a life event, or the service the page was opened for), then the answers."""

    about = RadioField(validate_choice=False)
    location = HiddenField()
    rating = rating_field()
    effort = effort_field()
    worked = text_field()
    improve = text_field()
    recommend = recommend_field()
    reply_email = email_field()  # shown only to a person who is not signed in; ignored for one who is

    FIELDS = ("about", "location", "rating", "effort", "worked", "improve", "recommend", "reply_email")
    found_location: ServiceLocation | None = None  # the service the page was opened for, set by the view

    def validate_about(self, field: Field) -> None:
        if long_subject(field.data or "", self.found_location) is None:
            raise Problem(N_("Select what your feedback is about"))


def _comment_required(form: Form, field: Field) -> None:
    if not field.data:
        raise Problem(N_("Tell us what is wrong in the information"))
    _short_enough(form, field)


class ReportForm(FeedbackForm):
    """ "Report an error in this information": about a unit or service point (``location``) or a plan's task
    (``event`` and ``task``), a required comment and, when not signed in, an optional e-mail address for an answer."""

    location = HiddenField()
    event = HiddenField()
    task = HiddenField()
    comment = TextAreaField(filters=[_text], validators=[_comment_required])
    reply_email = email_field()
    next = HiddenField()

    FIELDS = ("location", "event", "task", "comment", "reply_email", "next")
