"""Request-scoped access to the domain: today's date, life events and the catalogue adapters."""
from __future__ import annotations

from datetime import date, datetime

from flask import abort, current_app, g

from configurator.comparisons import Sources
from configurator.lifeevents import LifeEvent

from .catalogue_repo import SqlDirectory, SqlEcecCatalogue, SqlPlaces, SqlServiceCatalogue
from .extensions import db


def today() -> date:
    """Today, or POLKU_TODAY when a demo or test fixes the date."""
    fixed = current_app.config.get("POLKU_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


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
    """The catalogues comparisons read: the ECEC index for the date ``on`` and the service points."""
    now = datetime.combine(today(), datetime.now().time()) if current_app.config.get("POLKU_TODAY") else datetime.now()
    return Sources(ecec=catalogue(on), services=services(), now=now)


def directory() -> SqlDirectory:
    return SqlDirectory(db.session, g.get("lang_code", "fi"))


def services() -> SqlServiceCatalogue:
    """Public service points (business advice, food control, health centres, ...), queried on each call."""
    return SqlServiceCatalogue(db.session)
