"""Consents (fill in from my details, deadline reminders, suggestions, keeping private answers): none is
pre-ticked, each can be withdrawn, and every giving is kept as its own record so the history shows when and what.

Withdrawing "keep_private" deletes every private answer kept in the person's plans at once: the consent is
the only basis for keeping them (health data, GDPR article 9(2)(a)), so nothing of them may outlive it."""

from __future__ import annotations

from configurator.i18n import N_

from ..account_models import CONSENT_PURPOSES, Consent, Person, timestamp

CONSENT_TEXTS = {
    "prefill": (
        N_("Fill in questions from my details"),
        N_(
            "Polku uses your address, household and company details from the identification service "
            "to fill in questions for you. You can change every answer."
        ),
    ),
    "reminders": (
        N_("Remind me of deadlines"),
        N_("Polku puts a message in your own space when a task in your plan is due within two weeks."),
    ),
    "suggestions": (
        N_("Suggest life events to me"),
        N_(
            "Polku looks at your details from the identification service, such as a recent change of address, "
            "and suggests plans that may help you. It always says why. You can dismiss each suggestion."
        ),
    ),
    "keep_private": (
        N_("Keep my private answers in my plans"),
        N_(
            "Polku keeps your answers to private questions, such as a long-term illness for a care plan, in "
            "your saved plans. Without this consent they are kept only until you sign out. If you withdraw "
            "it, they are deleted."
        ),
    ),
}


def has_consent(person: Person | None, purpose: str) -> bool:
    return person is not None and any(c.purpose == purpose and c.withdrawn_at is None for c in person.consents)


def set_consent(person: Person, purpose: str, given: bool) -> None:
    """Give or withdraw; each giving is its own record, so the history shows when and what."""
    if purpose not in CONSENT_PURPOSES:
        raise ValueError(purpose)
    now = timestamp()
    active = [c for c in person.consents if c.purpose == purpose and c.withdrawn_at is None]
    if given and not active:
        person.consents.append(Consent(purpose=purpose, given_at=now))
    if not given:
        for consent in active:
            consent.withdrawn_at = now
        if purpose == "keep_private":
            for plan in person.plans:
                plan.private_answers = None


__all__ = ["CONSENT_PURPOSES", "CONSENT_TEXTS", "has_consent", "set_consent"]
