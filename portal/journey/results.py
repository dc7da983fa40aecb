"""The results page's helpers for the comparison templates: pages of rows, links that keep the filters,
the options chosen for the side-by-side view, and why a unit does not suit the child.

Registered for every template (``results_context``): the own space and the reservation pages render the
same comparison parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from flask import current_app, g, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from configurator.comparisons.ecec import SORTS as ECEC_SORTS
from configurator.comparisons.ecec import mismatch_text
from configurator.comparisons.ratings import RATING_FILTERS
from configurator.comparisons.services import SORTS as SERVICE_SORTS
from configurator.i18n import N_

from ..feedback.experiences import MIN_RATINGS, average_text, easy_text, summary_text
from ..labels import per_catalog
from .map_data import SERVICE_MAP_LABELS, ecec_markers, map_data, service_markers

PAGE_SIZE = 20
SORT_LABELS = {
    "distance": N_("distance"),
    "cost": N_("cost"),
    "availability": N_("free places"),
    "rating": N_("rating, best first"),
    "name": N_("name"),
    "next_free": N_("next free time, soonest first"),  # the nearby services' own sort
}


@dataclass(frozen=True)
class Page:
    """One page of the comparison table: a citizen compares a few units at a time, not hundreds."""

    rows: tuple
    number: int
    count: int
    size: int = PAGE_SIZE

    @classmethod
    def of(cls, rows: tuple, requested: str) -> Page:
        count = max(1, -(-len(rows) // PAGE_SIZE))
        # ASCII digits: str.isdigit() also says yes to '²', which int() refuses (a 500, not page 1)
        number = min(max(int(requested), 1), count) if re.fullmatch(r"[0-9]{1,6}", requested) else 1
        return cls(rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE], number, count)

    @property
    def first_index(self) -> int:
        return (self.number - 1) * self.size + 1


def plan_url(fragment: str = "", **changes: str | list[str] | None) -> str:
    """This plan page with some query parameters changed (None drops one): the filters and choices stay."""
    args = request.args.to_dict(flat=False)
    for name, value in changes.items():
        if value is None:
            args.pop(name, None)
        else:
            args[name] = value if isinstance(value, list) else [value]
    return url_for(".plan", event_id=request.view_args["event_id"], **args) + fragment


_PAGE_SLOT = "987654321987"  # a page number no list has: replaced by each link's own


def page_url(number: int) -> str:
    """A page of the results, the filters kept: plan_url once per request, each link's number put in place
    of the slot's (the same address url_for gives for each number; a page has up to seven such links)."""
    base = g.get("_polku_page_url")
    if base is None:
        base = g._polku_page_url = plan_url("#results-count", page=_PAGE_SLOT)
    for before in "?&":
        slot = f"{before}page={_PAGE_SLOT}"
        if slot in base:
            return base.replace(slot, f"{before}page={int(number)}", 1)
    return plan_url("#results-count", page=str(number))


def query_fields(*leave_out: str) -> list[tuple[str, str]]:
    """The page's query as hidden fields, so the "Compare chosen" form keeps the filters, sort and page."""
    return [(name, value) for name, values in request.args.lists() if name not in leave_out for value in values]


def compare_ids(name: str = "compare") -> list[str]:
    """The options chosen for the side-by-side view (?compare=12&compare=15), in the order given."""
    return list(dict.fromkeys(v for v in request.args.getlist(name) if v and len(v) <= 40))


def compared_units() -> list[int]:
    return [int(v) for v in compare_ids() if re.fullmatch(r"[0-9]{1,12}", v)]


def distance_choices(reach_km: float) -> list[float]:
    """The "Distance at most" options: a few short walks and the comparison's reach (the default)."""
    return sorted({km for km in (1.0, 2.0, 3.0, 5.0) if km < reach_km} | {reach_km})


def mismatch_reason(code: str, unit_languages: Any, age_group: str) -> str | None:
    """Why a unit does not suit the child, translated (the plan's cards, the API and the reservation page)."""
    languages = unit_languages.split(",") if isinstance(unit_languages, str) else tuple(unit_languages)
    msgid = mismatch_text(code, languages, age_group)
    return gettext(msgid) if msgid else None


def reserve_place_url(row: Any) -> str:
    """The reservation page of a unit; for a unit that does not suit the child the link says why (the codes of
    EcecRow.mismatches), and that page asks to confirm."""
    return url_for("reservations.new_place", unit=row.unit.id, mismatch=list(row.mismatches) or None)


_ID_SLOT = "polku-breakdown-id-slot"


def shared_breakdown(steps: tuple, element_id: str) -> Markup:
    """A cost breakdown (the ``breakdown`` macro of journey/_breakdown.html), rendered once per request for each
    distinct breakdown: the units of one price share the same steps (configurator/comparisons/ecec.py builds
    one Cost per price), so the cards of the page differ only in the list's id. Its translated rules, dates and
    sources were most of the page's rendering."""
    rendered = g.setdefault("_polku_breakdowns", {})
    found = rendered.get(id(steps))
    if found is None or found[0] is not steps:  # the steps are kept with their markup, so their id stays theirs
        macro = current_app.jinja_env.get_template("journey/_breakdown.html").module.breakdown
        found = rendered[id(steps)] = (steps, str(macro(steps, _ID_SLOT)))
    return Markup(found[1].replace(_ID_SLOT, str(escape(element_id)), 1))


_UNIT_SLOT = 987654321012  # a location id no unit has: replaced by each card's own
UNIT_SLOT_PARAM = f"location={_UNIT_SLOT}"


def report_url_pattern() -> str:
    """The report link of a unit with the id ``_UNIT_SLOT``: url_for once per request (see unit_report_url)."""
    base = g.get("_polku_report_url")
    if base is None:
        base = g._polku_report_url = url_for("feedback.report", location=_UNIT_SLOT, next=request.path)
    return base


def unit_report_url(unit_id: int) -> str:
    """The "Report an error in this information" link of a unit's card: url_for once per request, the card's
    unit id put in its place (the same address url_for gives for each id)."""
    return report_url_pattern().replace(UNIT_SLOT_PARAM, f"location={int(unit_id)}", 1)


def ecec_cards(rows: Any, cmp: Any, chosen: Any, can_reserve: Any, names: Any) -> Markup:
    """The results page's unit cards (portal/journey/unit_cards.py, which reads this module's helpers)."""
    from .unit_cards import ecec_cards as cards

    return cards(rows, cmp, chosen, can_reserve, names)


def paginate(rows: tuple) -> Page:
    return Page.of(rows, request.args.get("page", "1"))


def sort_url(sort: str) -> str:
    return plan_url("#compare-title", sort=sort, page=None)


def results_context() -> dict[str, Any]:
    """The helpers and translated sort and map labels the comparison templates call."""
    return {
        "sort_url": sort_url,
        "page_url": page_url,
        "paginate": paginate,
        "map_data": map_data,
        "ecec_markers": ecec_markers,
        "service_markers": service_markers,
        "plan_url": plan_url,
        "query_fields": query_fields,
        "compare_ids": compare_ids,
        "compared_units": compared_units,
        "distance_choices": distance_choices,
        "mismatch_reason": mismatch_reason,
        "reserve_place_url": reserve_place_url,
        "shared_breakdown": shared_breakdown,
        "unit_report_url": unit_report_url,
        "ecec_cards": ecec_cards,
        **_translated_labels(),
        "rating_filters": RATING_FILTERS,
        "min_ratings": MIN_RATINGS,
        "experience_summary": summary_text,
        "experience_average": average_text,
        "experience_easy": easy_text,
    }


def _translated_labels() -> dict[str, Any]:
    """The sort and map labels, translated once per language (every page is rendered with them)."""
    return per_catalog("results", _translate_labels)


def _translate_labels() -> dict[str, Any]:
    return {
        "service_map_labels": MappingProxyType({key: gettext(label) for key, label in SERVICE_MAP_LABELS.items()}),
        # each comparison's select offers its own sorts; the page says any of them ("Sorted by ...")
        "sorts": tuple((key, gettext(SORT_LABELS[key])) for key in ECEC_SORTS),
        "service_sorts": tuple((key, gettext(SORT_LABELS[key])) for key in SERVICE_SORTS),
        "sort_labels": MappingProxyType({key: gettext(label) for key, label in SORT_LABELS.items()}),
    }
