"""Request-scoped access to the domain: today's date, life events and the catalogue adapters."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, current_app, g

from configurator import clock
from configurator.comparisons import Sources
from configurator.lifeevents import LifeEvent

from .catalogue_repo import SqlDirectory, SqlEcecCatalogue, SqlPlaces, SqlServiceCatalogue
from .extensions import db


def fixed_today() -> date | None:
    """POLKU_TODAY, when a demo or test fixes the date; None in real use."""
    fixed = current_app.config.get("POLKU_TODAY")
    return date.fromisoformat(fixed) if fixed else None


def today() -> date:
    """Today in Helsinki (not on the UTC server), or POLKU_TODAY when a demo or test fixes the date."""
    return clock.today(fixed_today())


def now() -> datetime:
    """The portal's clock: now, aware in Europe/Helsinki, to the second (POLKU_TODAY with the real time of day).

    Decisions use it ("has this appointment started?", "the next free time"); compare it with a stored naive
    Helsinki wall time through ``clock.aware`` or ``clock.local_naive``, never with the machine's local time.
    """
    return clock.now(fixed_today()).replace(microsecond=0)


def life_events() -> dict[str, LifeEvent]:
    return current_app.extensions["polku.life_events"]


def life_event_or_404(event_id: str) -> LifeEvent:
    event = life_events().get(event_id)
    if event is None:
        abort(404)
    return event


def places() -> SqlPlaces:
    return SqlPlaces(db.session)


def catalogue(on: date) -> SqlEcecCatalogue:
    return SqlEcecCatalogue(db.session, on)


def sources(on: date) -> Sources:
    """The catalogues comparisons read: the ECEC index for the date ``on`` and the service points
    (with now as the naive Helsinki wall time the appointment slots are stored in), and which
    municipalities they cover, and others' experiences of the units (ratings and published comments)."""
    from .feedback.experiences import lookup  # the feedback package imports this module

    return Sources(
        ecec=catalogue(on),
        services=services(),
        now=clock.local_naive(now()),
        coverage=places().coverage(),
        experiences=lookup(),
    )


def directory() -> SqlDirectory:
    return SqlDirectory(db.session, g.get("lang_code", "fi"))


def services() -> SqlServiceCatalogue:
    """Public service points (business advice, food control, health centres, ...), queried on each call."""
    return SqlServiceCatalogue(db.session)
