"""Places outside the catalogue's area: which answers decide the municipality, and the one-time notice.

A place outside the covered municipalities is said once, plainly, and the journey goes on.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask import request

from configurator.answers import LocationAnswer
from configurator.geo import OUTSIDE, CoverageGap, coverage_gap
from configurator.journey import Walk
from configurator.lifeevents import LifeEvent

from ..context import places


def deciding_places(event: LifeEvent) -> tuple[str, ...]:
    """The location questions that decide the person's municipality: the ones an organisation takes its
    municipality from (``municipality_of``) and the ones a comparison measures from (``near``)."""
    named = [org.municipality_of for org in event.organisations.values() if org.municipality_of]
    named += [spec.options["near"] for spec in event.comparisons if spec.options.get("near")]
    return tuple(dict.fromkeys(named))


def outside_area(
    event: LifeEvent, answers: dict[str, Any], question_ids: Collection[str] | None = None
) -> tuple[str, CoverageGap] | None:
    """The first answered place (of ``question_ids``, default all) that decides the municipality and lies outside
    the municipalities the catalogue covers, with its gap; None when there is none."""
    coverage = places().coverage()
    for qid in deciding_places(event):
        location = answers.get(qid)
        if (question_ids is None or qid in question_ids) and isinstance(location, LocationAnswer):
            gap = coverage_gap(location.place, coverage)
            if gap is not None and gap.reason == OUTSIDE:
                return qid, gap
    return None


def outside_notice(event: LifeEvent, state: Walk) -> CoverageGap | None:
    """The one-time notice after a step gave a place outside the catalogue's area (``?outside=<question>``)."""
    asked = request.args.get("outside")
    found = outside_area(event, state.answers, {asked}) if asked else None
    return found[1] if found else None
