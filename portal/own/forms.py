"""The own space's fixed forms: the consents on the first sign-in and in My data, the ticked tasks of a plan, and
deleting the account. Sharing a plan and deleting a share link are buttons without fields."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired

from configurator.i18n import N_

from ..account_models import CONSENT_PURPOSES
from ..forms import Form


class WelcomeForm(Form):
    """First sign-in: one box per consent purpose, none ticked beforehand; ``next`` is where to go on."""

    prefill = BooleanField()
    reminders = BooleanField()
    suggestions = BooleanField()
    keep_private = BooleanField()
    next = HiddenField()

    def given(self) -> dict[str, bool]:
        """Purpose -> ticked, for every purpose the account keeps (a purpose without a box fails here, loudly)."""
        return {purpose: bool(self[purpose].data) for purpose in CONSENT_PURPOSES}


class ProgressForm(Form):
    """The plan's checklist: the ids of the tasks ticked done. The tasks depend on the plan's answers, so the
    ids are checked against the plan's checklist by ``saved_plans.set_progress`` (others are ignored)."""

    done = SelectMultipleField(validate_choice=False)

    def ticked(self) -> list[str]:
        return list(self.done.data or [])


class ConsentForm(Form):
    """My data: give or withdraw one consent (the button's hidden fields)."""

    purpose = SelectField(choices=list(CONSENT_PURPOSES))
    given = RadioField(choices=["yes", "no"])


class DeleteAccountForm(Form):
    """The account is deleted only with the box ticked."""

    confirm = BooleanField(
        validators=[DataRequired(N_("Tick the box to confirm that you want to delete your account"))]
    )
