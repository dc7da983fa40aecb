"""Sorting and filtering a comparison by others' ratings: one rule for every comparison that shows experiences.

Why one place: the ECEC units and the nearby service points are rated the same way (``Experiences``), and a
person who sorts or filters either by rating should get the same meaning. An average counts only when the
portal shows it (enough ratings, ``portal/feedback/experiences.py``): a unit or point without one is not known
to be rated well, so it sorts after every rated one and a minimum-rating filter leaves it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from ..answers import parse_number
from . import Experiences

RATING_FILTERS = (Decimal(3), Decimal(4), Decimal("4.5"))  # the filter forms' "rated at least" choices
LOWEST, HIGHEST = Decimal(1), Decimal(5)


def min_rating_from_query(query: Mapping[str, Iterable[str]]) -> Decimal | None:
    """``min_rating`` of a query string: 1..5 with at most one decimal, as the averages are shown.

    Anything else (a word, '9', 'nan', '٣', '4.25') is no filter rather than an error: the value comes from a
    link or a form a person may have edited, and the page should still show the comparison."""
    minimum = None
    for text in query.get("min_rating", ()):
        try:
            value = Decimal(parse_number(text, decimals=1))
            minimum = value if LOWEST <= value <= HIGHEST else None
        except ValueError:
            minimum = None
    return minimum


def average_of(found: Experiences | None) -> Decimal | None:
    """The average the page shows, or None when too few rated (or nobody did)."""
    return found.average_rating if found is not None else None


def rated_at_least(found: Experiences | None, minimum: Decimal | None) -> bool:
    """Whether a unit or point passes the "others' rating at least" filter (None: no filter, everything does)."""
    if minimum is None:
        return True
    average = average_of(found)
    return average is not None and average >= minimum


def best_rated_first(found: Experiences | None) -> tuple[bool, Decimal, int]:
    """The sort key of "rating, best first": rated before unrated, higher averages first, and of equal averages
    the one more people rated first. Callers add their own tie-breaker (distance, then name or id)."""
    average = average_of(found)
    count = found.rating_count if found is not None and found.rating_count is not None else 0
    return (average is None, -(average or Decimal(0)), -count if average is not None else 0)
