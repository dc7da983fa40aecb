"""The organisers' dashboard (issue 16, item 4): CSAT, CES, NPS, reservations made and cancelled and their trend
for a chosen period, per unit, life event and language; for management also the journey funnels and the channel
shares. Charts are server-rendered SVG with a data table and a text summary (templates/organisers/dashboard.html);
the same figures as a CSV file. The figures come from ``portal.metrics.dashboard``.

The trend is by week or by month as the person chooses in the filter form (``?by=week|month``, a GET form that
works without JavaScript; without a choice: by week for a period under 92 days, else by month). Besides feedback
given and reservations made, each week or month has its CSAT, CES and NPS chart (``score_trends``; CES and NPS only
when the period has such answers), a week with fewer than 5 answers without a bar, as the period's own figures.

Who sees what: management, the ``catalogue_admin`` role (the one staff role that acts for every unit and the
feedback about no unit), sees everything; every other organiser the figures of their own units and service points
(``g.actor.location_ids``). The funnels and channel shares are counted per life event, not per unit, so only
management sees them. A unit outside a person's scope in the filter is 404.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import Response, abort, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from sqlalchemy import select

from configurator.i18n import N_

from ..context import life_events, today
from ..extensions import db
from ..forms import FormError
from ..i18n import fast_gettext
from ..metrics import dashboard as metrics
from ..models import ServiceLocation
from . import bp
from .access import staff_required
from .log import _safe_cell
from .times import parse_date

MANAGEMENT_ROLE = "catalogue_admin"
PERIODS = ("4w", "12m", "custom")
LANGUAGES = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}
CHANNEL_LABELS = {"eservice": N_("E-service"), "phone": N_("Phone"), "in_person": N_("In person")}
MAX_TEXT = 12
BUCKET_LABELS = {"week": N_("By week"), "month": N_("By month")}
# The trend charts of the scores: (key, figure name, title by week, title by month, summary, unit, lowest, highest).
SCORE_TRENDS = (
    (
        "csat",
        N_("CSAT"),
        N_("CSAT by week"),
        N_("CSAT by month"),
        N_("The share of ratings 4 or 5 of 5 in each part of the period, in per cent."),
        " %",
        0,
        100,
    ),
    (
        "ces",
        N_("CES"),
        N_("CES by week"),
        N_("CES by month"),
        N_("The average ease in each part of the period, from 1 very hard to 7 very easy."),
        "",
        0,
        7,
    ),
    (
        "nps",
        N_("NPS"),
        N_("NPS by week"),
        N_("NPS by month"),
        N_("Recommenders minus critics in each part of the period, from -100 to 100."),
        "",
        -100,
        100,
    ),
)


@dataclass(frozen=True)
class ScoreTrend:
    """One score's trend chart: its rows are (period, value or None, the value in words, answers)."""

    key: str
    title: str
    summary: str
    heading: str
    low: int
    high: int
    rows: list[tuple[str, float | None, str, int]]


def score_trends(figures: metrics.Figures) -> list[ScoreTrend]:
    """The CSAT, CES and NPS trend charts of the period, in the request's language: CSAT always, CES and NPS when
    the period has answers to their questions (the shorter feedback form asks neither). A week or month with fewer
    than ``MIN_RATINGS`` answers has no bar and says so, as the period's figures do."""
    charts = []
    for key, name, by_week, by_month, summary, unit, low, high in SCORE_TRENDS:
        titles = {"week": by_week, "month": by_month}
        if key != "csat" and getattr(figures, key).answers == 0:
            continue
        rows = []
        for point in figures.trend:
            score = getattr(point, key)
            value = None if score.value is None else float(score.value)
            label = metrics.bucket_label(point.start, figures.bucket)
            # The table says "Not shown" and the number of answers (short enough for a 320 px screen); the summary
            # gives the reason in words.
            shown = gettext("Not shown") if score.value is None else metrics.score_text(score, unit)
            rows.append((label, value, shown, score.answers))
        rows_said = "; ".join(
            f"{label}: {metrics.score_text(getattr(point, key), unit)} "
            f"({ngettext('%(num)s answer', '%(num)s answers', answers)})"
            for (label, _value, _text, answers), point in zip(rows, figures.trend, strict=True)
        )
        charts.append(
            ScoreTrend(
                key=key,
                title=gettext(titles[figures.bucket]),
                summary=f"{gettext(summary)} {rows_said}.",
                heading=gettext(name),
                low=low,
                high=high,
                rows=rows,
            )
        )
    return charts


def is_management() -> bool:
    return MANAGEMENT_ROLE in set(g.staff.get("roles") or ())


def _period(args: Any) -> tuple[date, date, list[FormError]]:
    day = today()
    period = args.get("period", "4w")
    if period == "12m":
        return day - timedelta(days=364), day, []
    if period != "custom":
        return day - timedelta(days=27), day, []
    errors = []
    raw_from, raw_to = args.get("from", "")[:MAX_TEXT], args.get("to", "")[:MAX_TEXT]
    since, until = parse_date(raw_from), parse_date(raw_to)
    if since is None:
        errors.append(FormError("from", N_("Enter the first day as a date, for example 1.11.2026")))
    if until is None:
        errors.append(FormError("to", N_("Enter the last day as a date, for example 30.11.2026")))
    if since is not None and until is not None:
        if until < since:
            errors.append(FormError("to", N_("The last day must be the same as or after the first day")))
        elif (until - since).days >= metrics.MAX_DAYS:
            errors.append(FormError("to", N_("The period can be at most 366 days")))
    if errors or since is None or until is None:
        return day - timedelta(days=27), day, errors
    return since, until, []


def _units(scope: frozenset[int] | None) -> list[tuple[int, str]]:
    query = select(ServiceLocation.id, ServiceLocation.name).order_by(ServiceLocation.name, ServiceLocation.id)
    if scope is not None:
        query = query.where(ServiceLocation.id.in_(sorted(scope)))
    return [(location_id, name) for location_id, name in db.session.execute(query)]


def _read() -> tuple[metrics.Figures, metrics.Filters, list[FormError], dict[str, str]]:
    args = request.args
    scope = None if is_management() else g.actor.location_ids
    values = {
        "period": args.get("period", "4w") if args.get("period") in PERIODS else "4w",
        "from": args.get("from", "")[:MAX_TEXT],
        "to": args.get("to", "")[:MAX_TEXT],
        "event": args.get("event", "")[:40],
        "unit": args.get("unit", "")[:12],
        "language": args.get("language", "") if args.get("language") in LANGUAGES else "",
        "by": args.get("by", "") if args.get("by") in metrics.BUCKETS else "",
    }
    location_id = None
    if values["unit"]:
        if not values["unit"].isdigit():
            abort(404)
        location_id = int(values["unit"])
        if scope is not None and location_id not in scope:
            abort(404)
        if db.session.get(ServiceLocation, location_id) is None:
            abort(404)
    if values["event"] and values["event"] not in life_events():
        abort(404)
    since, until, errors = _period(args)
    filters = metrics.Filters(values["event"] or None, location_id, values["language"] or None)
    figures = metrics.figures(since, until, scope, filters, event_ids=list(life_events()), bucket=values["by"] or None)
    return figures, filters, errors, values


def _steps(event_id: str) -> dict[str, str]:
    event = life_events().get(event_id)
    return {step.id: fast_gettext(step.title) for step in event.steps} if event else {}


@bp.get("/<any(fi,sv,en):lang_code>/organiser/dashboard")
@staff_required
def dashboard() -> ResponseReturnValue:
    figures, filters, errors, values = _read()
    scope = None if is_management() else g.actor.location_ids
    trend = [(metrics.bucket_label(point.start, figures.bucket), point) for point in figures.trend]
    funnels = [
        (fast_gettext(life_events()[f.event_id].title), f, _steps(f.event_id)) for f in figures.funnels if f.started
    ]
    return (
        render_template(
            "organisers/dashboard.html",
            staff=g.staff,
            figures=figures,
            values=values,
            errors=[(None, error) for error in errors],
            error_for={error.field: error for error in errors},
            management=is_management(),
            units=_units(scope),
            events=[(key, fast_gettext(event.title)) for key, event in life_events().items()],
            languages=[(key, gettext(label)) for key, label in LANGUAGES.items()],
            channel_labels={key: gettext(label) for key, label in CHANNEL_LABELS.items()},
            trend=trend,
            score_trends=score_trends(figures),
            buckets=[(key, gettext(label)) for key, label in BUCKET_LABELS.items()],
            trend_max=max([p.feedback for _, p in trend] + [p.reservations for _, p in trend] + [1]),
            funnels=funnels,
            score_text=metrics.score_text,
            min_answers=metrics.MIN_RATINGS,
            csv_args={key: value for key, value in values.items() if value},
        ),
        400 if errors else 200,
    )


def csv_rows(figures: metrics.Figures) -> list[tuple[object, ...]]:
    """The dashboard's figures as (figure, part, period start, value, answers) rows."""

    def score(name: str, s: metrics.Score) -> tuple[object, ...]:
        return (name, "", figures.since.isoformat(), "" if s.value is None else s.value, s.answers)

    rows: list[tuple[object, ...]] = [
        score("csat_percent", figures.csat),
        score("ces_average", figures.ces),
        score("nps", figures.nps),
        ("reservations_made", "", figures.since.isoformat(), figures.reservations_made, ""),
        ("reservations_cancelled", "", figures.since.isoformat(), figures.reservations_cancelled, ""),
    ]
    for point in figures.trend:
        start = point.start.isoformat()
        rows.append((f"trend_{figures.bucket}_feedback", "", start, point.feedback, ""))
        rows.append(
            (
                f"trend_{figures.bucket}_csat_percent",
                "",
                start,
                "" if point.csat.value is None else point.csat.value,
                point.csat.answers,
            )
        )
        rows.append((f"trend_{figures.bucket}_reservations", "", start, point.reservations, ""))
        for name, trend_score in (("ces_average", point.ces), ("nps", point.nps)):
            value = "" if trend_score.value is None else trend_score.value
            rows.append((f"trend_{figures.bucket}_{name}", "", start, value, trend_score.answers))
    for f in figures.funnels:
        rows.append(("funnel_started", f.event_id, figures.since.isoformat(), f.started, ""))
        for step in f.steps:
            rows.append(("funnel_reached", f"{f.event_id}/{step.step}", figures.since.isoformat(), step.reached, ""))
            rows.append(("funnel_left", f"{f.event_id}/{step.step}", figures.since.isoformat(), step.left, ""))
        rows.append(("funnel_plan", f.event_id, figures.since.isoformat(), f.plan, ""))
        rows.append(("funnel_saved", f.event_id, figures.since.isoformat(), f.saved, ""))
    for share in figures.channels:
        rows.append(("channel", share.channel, figures.since.isoformat(), share.count, ""))
    return rows


@bp.get("/<any(fi,sv,en):lang_code>/organiser/dashboard.csv")
@staff_required
def dashboard_csv() -> ResponseReturnValue:
    figures, _filters, errors, _values = _read()
    if errors:
        abort(400)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(("figure", "part", "period_start", "value", "answers"))
    writer.writerow(("period", "", figures.since.isoformat(), figures.until.isoformat(), ""))
    for row in csv_rows(figures):
        writer.writerow([_safe_cell(value) for value in row])
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="polku-dashboard.csv"', "Cache-Control": "no-store"},
    )
