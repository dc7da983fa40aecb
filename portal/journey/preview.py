"""The running result summary shown beside every step (and refreshed live by JavaScript)."""

from __future__ import annotations

from typing import Any

from configurator.journey import Walk
from configurator.lifeevents import LifeEvent
from configurator.plan import try_comparison

from ..context import sources, today


def preview_for(event: LifeEvent, state: Walk) -> Any | None:
    on = state.answers.get("start_date") or today()
    return try_comparison(event, state.answers, today(), sources(on))
