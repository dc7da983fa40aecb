"""The organisers' dashboard figures (issue 16, item 4), in one place for the page, its CSV file and
``flask feedback-report``: plain dataclasses, so all three show the same numbers.

- CSAT: the share of ratings (1–5) that are 4 or 5, in per cent;
- CES: the average answer (1 very hard .. 7 very easy) to the effort question;
- NPS: the per cent of promoters (9–10) minus the per cent of detractors (0–6) of the recommend answers (0–10);

each only from ``MIN_RATINGS`` answers on (fewer: ``value`` is None and nothing is shown, as in the comparisons).
Feedback and reservations are counted for ``scope`` (the units and service points a person may act for; None:
all, including the feedback about no unit, for management). The journey funnel and the channel shares are
counted per life event, not per unit, so they are given only with ``scope`` None.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext
from sqlalchemy import select

from ..account_models import Feedback, Reservation
from ..extensions import db
from ..feedback.experiences import MIN_RATINGS
from ..i18n import format_date, number
from .funnel import ChannelShare, Funnel, channel_shares, funnel

WEEKLY_UP_TO_DAYS = 92  # a longer period's trend is by month, unless the organiser chooses weeks
BUCKETS = ("week", "month")
MAX_DAYS = 366


@dataclass(frozen=True)
class Score:
    """A figure and the number of answers it is counted from; ``value`` None when there are too few."""

    answers: int
    value: Decimal | None


@dataclass(frozen=True)
class TrendPoint:
    """One week (starting Monday) or calendar month of the period."""

    start: date
    feedback: int  # feedback rows given
    csat: Score
    reservations: int  # reservations made
    ces: Score = Score(0, None)
    nps: Score = Score(0, None)


@dataclass(frozen=True)
class Filters:
    event_id: str | None = None
    location_id: int | None = None
    language: str | None = None


@dataclass(frozen=True)
class Figures:
    since: date
    until: date
    bucket: str  # "week" or "month"
    csat: Score
    ces: Score
    nps: Score
    reservations_made: int
    reservations_cancelled: int
    trend: tuple[TrendPoint, ...]
    funnels: tuple[Funnel, ...]  # empty unless counted for all (management)
    channels: tuple[ChannelShare, ...]  # empty unless counted for all


def _round(value: Decimal, places: str = "1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def csat(ratings: Collection[int]) -> Score:
    n = len(ratings)
    if n < MIN_RATINGS:
        return Score(n, None)
    return Score(n, _round(Decimal(100 * sum(1 for r in ratings if r >= 4)) / n))


def ces(efforts: Collection[int]) -> Score:
    n = len(efforts)
    if n < MIN_RATINGS:
        return Score(n, None)
    return Score(n, _round(Decimal(sum(efforts)) / n, "0.1"))


def nps(answers: Collection[int]) -> Score:
    n = len(answers)
    if n < MIN_RATINGS:
        return Score(n, None)
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return Score(n, _round(Decimal(100 * (promoters - detractors)) / n))


def bucket_for(since: date, until: date) -> str:
    return "week" if (until - since).days < WEEKLY_UP_TO_DAYS else "month"


def bucket_start(day: date, bucket: str) -> date:
    return day - timedelta(days=day.weekday()) if bucket == "week" else day.replace(day=1)


def _buckets(since: date, until: date, bucket: str) -> list[date]:
    starts = []
    current = bucket_start(since, bucket)
    while current <= until:
        starts.append(current)
        if bucket == "week":
            current += timedelta(days=7)
        else:
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return starts


def figures(
    since: date,
    until: date,
    scope: Collection[int] | None,
    filters: Filters = Filters(),
    event_ids: Collection[str] = (),
    bucket: str | None = None,
) -> Figures:
    """The figures from ``since`` to ``until`` (both included) for ``scope`` (None: all) and ``filters``;
    ``event_ids``: the life events whose funnels are given (only when ``scope`` is None); ``bucket``: the trend by
    "week" or "month" (None: by week for a period under ``WEEKLY_UP_TO_DAYS``, else by month). Each week or month
    of the trend has its own CSAT, CES and NPS, each shown only from ``MIN_RATINGS`` answers in that week or month."""
    start, end = datetime.combine(since, time.min), datetime.combine(until + timedelta(days=1), time.min)
    where = [Feedback.created_at >= start, Feedback.created_at < end]
    if scope is not None:
        where.append(Feedback.location_id.in_(sorted(scope)))
    if filters.location_id is not None:
        where.append(Feedback.location_id == filters.location_id)
    if filters.event_id:
        where.append(Feedback.event_id == filters.event_id)
    if filters.language:
        where.append(Feedback.language == filters.language)
    rows = db.session.execute(
        select(Feedback.created_at, Feedback.rating, Feedback.effort, Feedback.recommend).where(*where)
    ).all()

    reserved = [Reservation.created_at >= start, Reservation.created_at < end]
    cancelled = [Reservation.cancelled_at >= start, Reservation.cancelled_at < end]
    for condition in (reserved, cancelled):
        if scope is not None:
            condition.append(Reservation.location_id.in_(sorted(scope)))
        if filters.location_id is not None:
            condition.append(Reservation.location_id == filters.location_id)
    made = list(db.session.scalars(select(Reservation.created_at).where(*reserved)))
    cancelled_count = len(list(db.session.scalars(select(Reservation.id).where(*cancelled))))

    if bucket not in BUCKETS:
        bucket = bucket_for(since, until)
    trend = []
    for first in _buckets(since, until, bucket):
        in_bucket = [row for row in rows if bucket_start(row.created_at.date(), bucket) == first]
        trend.append(
            TrendPoint(
                start=first,
                feedback=len(in_bucket),
                csat=csat([row.rating for row in in_bucket if row.rating is not None]),
                reservations=sum(1 for made_at in made if bucket_start(made_at.date(), bucket) == first),
                ces=ces([row.effort for row in in_bucket if row.effort is not None]),
                nps=nps([row.recommend for row in in_bucket if row.recommend is not None]),
            )
        )

    funnels: tuple[Funnel, ...] = ()
    channels: tuple[ChannelShare, ...] = ()
    if scope is None and filters.location_id is None:
        chosen = [filters.event_id] if filters.event_id else list(event_ids)
        funnels = tuple(funnel(event_id, since, until, filters.language) for event_id in chosen)
        channels = channel_shares(filters.event_id, since, until, filters.language)

    return Figures(
        since=since,
        until=until,
        bucket=bucket,
        csat=csat([row.rating for row in rows if row.rating is not None]),
        ces=ces([row.effort for row in rows if row.effort is not None]),
        nps=nps([row.recommend for row in rows if row.recommend is not None]),
        reservations_made=len(made),
        reservations_cancelled=cancelled_count,
        trend=tuple(trend),
        funnels=funnels,
        channels=channels,
    )


def bucket_label(start: date, bucket: str) -> str:
    """ "Week of 2.11.2026" or "November 2026", in the request's language."""
    if bucket == "week":
        return gettext("Week of %(day)s", day=format_date(start, "short"))
    return format_date(start, "LLLL yyyy")


def score_text(score: Score, unit: str = "") -> str:
    """The figure in the request's language ("5,2", "71 %"), or that it is not shown."""
    if score.value is None:
        return gettext("Not shown: fewer than %(num)s answers", num=MIN_RATINGS)
    return number(score.value) + unit
