"""Others' experiences of units and service points, for the comparisons and the API: the average rating, how
many rated, the share who found it easy, and the comments an organiser published.

Counted from the ``feedback`` table (kind "service", ``location_id``) in one query for all the units of a
comparison; nothing here says who gave a rating or a comment, and a comment no organiser published is never read.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel import numbers
from flask_babel import gettext, ngettext
from sqlalchemy import Select, and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from configurator.comparisons import ExperienceLookup, Experiences, PublishedComment

from ..account_models import Feedback
from ..extensions import db
from ..i18n import request_locale

MIN_RATINGS = 5
"""Figures are shown only from this many answers on. With fewer, one person's rating could be recognised by
someone who knows they gave feedback (a unit with two ratings and an average of 1.5 tells a lot about each), and
a few answers say little about a unit anyway. The same floor applies to the effort question's share."""

EASY_EFFORT = 5
"""The effort question (Customer Effort Score) is answered from 1 "very hard" to 7 "very easy"; an answer of
5, 6 or 7, on the easy side of the middle (4), counts as "found it easy"."""

MAX_COMMENTS = 3
"""The most published comments shown per unit, newest (by the day they were given) first."""

KIND = "service"  # feedback about a unit or service point (the quick form after a reservation, the long form)


def _average(total: int, count: int) -> Decimal:
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> int:
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _experiences_query() -> Select[Any]:
    """The counts per location joined to the newest published comments of each, for the locations ``:ids``."""
    about = and_(Feedback.kind == KIND, Feedback.location_id.in_(bindparam("ids", expanding=True)))
    counts = (
        select(
            Feedback.location_id.label("location_id"),
            func.count(Feedback.rating).label("ratings"),
            func.coalesce(func.sum(Feedback.rating), 0).label("rating_total"),
            func.count(Feedback.effort).label("efforts"),
            func.coalesce(func.sum(case((Feedback.effort >= EASY_EFFORT, 1), else_=0)), 0).label("easy"),
        )
        .where(about)
        .group_by(Feedback.location_id)
        .subquery()
    )
    newest = (
        select(
            Feedback.location_id.label("location_id"),
            Feedback.comment.label("comment"),
            Feedback.created_at.label("created_at"),
            func.row_number()
            .over(
                partition_by=Feedback.location_id,
                order_by=(Feedback.created_at.desc(), Feedback.id.desc()),
            )
            .label("place"),
        )
        .where(about, Feedback.published_at.is_not(None), Feedback.comment.is_not(None), Feedback.comment != "")
        .subquery()
    )
    return (
        select(
            counts.c.location_id,
            counts.c.ratings,
            counts.c.rating_total,
            counts.c.efforts,
            counts.c.easy,
            newest.c.comment,
            newest.c.created_at,
        )
        .outerjoin(newest, and_(newest.c.location_id == counts.c.location_id, newest.c.place <= MAX_COMMENTS))
        .order_by(counts.c.location_id, newest.c.place)
    )


# Built once: the results page runs it on every request (for the rows of its page), and building the statement
# cost as much as running it. Run as Core (no ORM entities to load), with the ids as one expanding parameter.
EXPERIENCES_QUERY = _experiences_query()


def experiences_of(session: Session, location_ids: Collection[int]) -> dict[int, Experiences]:
    """The experiences of those of ``location_ids`` that have something to show (enough ratings, or a published
    comment), in one query: the counts per location joined to the newest published comments of each."""
    ids = sorted({int(i) for i in location_ids})
    if not ids:
        return {}
    figures: dict[int, tuple[int, int, int, int]] = {}
    comments: dict[int, list[PublishedComment]] = {}
    for location_id, ratings, total, efforts, easy, comment, created_at in session.connection().execute(
        EXPERIENCES_QUERY, {"ids": ids}
    ):
        figures[location_id] = (ratings, total, efforts, easy)
        if comment is not None:
            comments.setdefault(location_id, []).append(PublishedComment(comment, created_at.date()))
    found = {}
    for location_id, (ratings, total, efforts, easy) in figures.items():
        rated = ratings >= MIN_RATINGS
        shown = Experiences(
            average_rating=_average(total, ratings) if rated else None,
            rating_count=ratings if rated else None,
            easy_percent=_percent(easy, efforts) if efforts >= MIN_RATINGS else None,
            comments=tuple(comments.get(location_id, ())),
        )
        if shown.rated or shown.comments:
            found[location_id] = shown
    return found


def lookup() -> ExperienceLookup:
    """The comparisons' look-up (``Sources.experiences``) on the request's database session."""
    return lambda ids: experiences_of(db.session, ids)


# ------------------------------------------------------------------------------------------ the words for them


def average_text(found: Experiences | None) -> str:
    """'4.3 of 5 (12 ratings)', in the page's language; 'Not enough ratings yet' below MIN_RATINGS."""
    if found is None or found.average_rating is None or found.rating_count is None:
        return gettext("Not enough ratings yet")
    average = numbers.format_decimal(found.average_rating, format="0.0", locale=request_locale())
    return ngettext(
        "%(average)s of 5 (%(num)s rating)", "%(average)s of 5 (%(num)s ratings)", found.rating_count, average=average
    )


def easy_text(found: Experiences | None) -> str | None:
    """'83 % found it easy', as the language writes percentages; None when too few answered the question."""
    if found is None or found.easy_percent is None:
        return None
    share = numbers.format_percent(Decimal(found.easy_percent) / 100, locale=request_locale())
    return gettext("%(share)s found it easy", share=share)


def summary_text(found: Experiences | None) -> str:
    """The figures in one line: '4.3 of 5 (12 ratings) · 83 % found it easy'."""
    easy = easy_text(found) if found is not None and found.rated else None
    return f"{average_text(found)} · {easy}" if easy else average_text(found)
