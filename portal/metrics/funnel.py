"""The figures read from the counters: a life event's funnel and the channels tasks' links led to.

The organisers' dashboard and ``flask feedback-report`` call these; they take plain dates (both ends included)
and give plain dataclasses, so a page, a chart, a CSV file and a report all show the same numbers.

Abandonment ("left at each step") is not counted, it is derived, because a person who gives up does nothing
the server could count: of the journeys that reached a step, those that did not reach the next step (in the
event's step order) left at it, ``left(step) = reached(step) - reached(next step)``, and of those that reached
the last step, those that never saw the plan left there, ``left(last) = reached(last) - plan``. A step that is
skipped for some answers (shown only when relevant) makes the step before it look abandoned by those who
skipped it; a figure below zero (more reached the next step than this one, e.g. counted on different days of
one journey, or in another language after a switch) is shown as 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from .models import CHANNELS, ChannelCount, JourneyCount


@dataclass(frozen=True)
class StepFigures:
    """One step of the funnel: how many journeys opened it, and how many of those went no further."""

    step: str
    reached: int
    left: int


@dataclass(frozen=True)
class Funnel:
    """A life event's journeys in a period (and language): started, each step in order, the plan, saved."""

    event_id: str
    since: date
    until: date
    language: str | None
    started: int
    steps: tuple[StepFigures, ...]
    plan: int
    saved: int

    @property
    def left(self) -> int:
        """Every journey that reached a step and not the plan."""
        return sum(s.left for s in self.steps)


@dataclass(frozen=True)
class ChannelShare:
    """How many times a channel's link was followed, and its share of all the channel links followed."""

    channel: str
    count: int
    share: float  # 0..1; 0 when nothing was followed


def _step_order(event_id: str) -> tuple[str, ...]:
    events = current_app.extensions["polku.life_events"]
    event = events.get(event_id)
    if event is None:
        raise KeyError(event_id)
    return tuple(step.id for step in event.steps)


def funnel(event_id: str, since: date, until: date, language: str | None = None) -> Funnel:
    """The funnel of ``event_id`` from ``since`` to ``until`` (both included), in one language or all."""
    order = _step_order(event_id)
    query = (
        select(JourneyCount.measure, JourneyCount.step, func.sum(JourneyCount.count))
        .where(JourneyCount.event_id == event_id, JourneyCount.day >= since, JourneyCount.day <= until)
        .group_by(JourneyCount.measure, JourneyCount.step)
    )
    if language:
        query = query.where(JourneyCount.language == language)
    totals = {(measure, step): int(total or 0) for measure, step, total in db.session.execute(query)}
    reached = [totals.get(("reached", step), 0) for step in order]
    plan = totals.get(("plan", ""), 0)
    after = [*reached[1:], plan]
    steps = tuple(
        StepFigures(step, here, max(here - following, 0))
        for step, here, following in zip(order, reached, after, strict=True)
    )
    return Funnel(
        event_id=event_id,
        since=since,
        until=until,
        language=language,
        started=totals.get(("started", ""), 0),
        steps=steps,
        plan=plan,
        saved=totals.get(("saved", ""), 0),
    )


def _shares(counts: dict[str, int], channels: Iterable[str] = CHANNELS) -> tuple[ChannelShare, ...]:
    total = sum(counts.values())
    return tuple(ChannelShare(c, counts.get(c, 0), counts.get(c, 0) / total if total else 0.0) for c in channels)


def channel_shares(
    event_id: str | None, since: date, until: date, language: str | None = None
) -> tuple[ChannelShare, ...]:
    """Which channels the tasks' links led to from ``since`` to ``until`` (both included), for one life event
    or all (None), in one language or all: every channel in a fixed order (e-service, phone, in person), so a
    chart and its table always have the same rows."""
    query = (
        select(ChannelCount.channel, func.sum(ChannelCount.count))
        .where(ChannelCount.day >= since, ChannelCount.day <= until)
        .group_by(ChannelCount.channel)
    )
    if event_id is not None:
        query = query.where(ChannelCount.event_id == event_id)
    if language:
        query = query.where(ChannelCount.language == language)
    return _shares({channel: int(total or 0) for channel, total in db.session.execute(query)})
