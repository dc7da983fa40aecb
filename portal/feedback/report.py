"""Feedback figures for the organisers, per life event and per service location.

- CSAT: the share of ratings (1–5) that are 4 or 5, in per cent.
- CES (Customer Effort Score): the average agreement (1–7) with "... made it easy for me to handle my
  matter", and the share of answers that are 5–7 ("easy"), in per cent.

Rows without a rating or an effort answer do not count in that figure's denominator. Comments are
reported as their text only: never the person, even when the feedback was given signed in.

``flask feedback-report [--since YYYY-MM-DD] [--format text|json]`` prints the summary.

``flask feedback-report --lang fi|sv|en [--since YYYY-MM-DD] [--until YYYY-MM-DD]`` prints instead the organisers'
dashboard figures for all units (what management sees: CSAT, CES, NPS, reservations, the trend, the journey funnels
and channel shares), in that language, from the same code as the page (``portal.metrics.dashboard``); the period is
the last 4 weeks unless given, at most 366 days.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import click
from flask import Flask, current_app
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from configurator.i18n import N_

from ..account_models import Feedback
from ..context import today
from ..extensions import db
from ..i18n import FORMAT_LOCALES, fast_gettext, format_date, number
from ..metrics import dashboard
from ..models import ServiceLocation

LATEST_COMMENTS = 5
CHANNEL_LABELS = {"eservice": N_("E-service"), "phone": N_("Phone"), "in_person": N_("In person")}


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean(total: int | None, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _figures(
    count: int,
    rated: int,
    rating_sum: int | None,
    satisfied: int | None,
    effort_answers: int,
    effort_sum: int | None,
    easy: int | None,
) -> dict[str, Any]:
    return {
        "count": count,
        "ratings": rated,
        "average_rating": _mean(rating_sum, rated),
        "csat_percent": _share(satisfied or 0, rated),
        "effort_answers": effort_answers,
        "average_effort": _mean(effort_sum, effort_answers),
        "ces_easy_percent": _share(easy or 0, effort_answers),
    }


def _aggregates() -> tuple[Any, ...]:
    return (
        func.count(Feedback.id),
        func.count(Feedback.rating),
        func.sum(Feedback.rating),
        func.sum(case((Feedback.rating >= 4, 1), else_=0)),
        func.count(Feedback.effort),
        func.sum(Feedback.effort),
        func.sum(case((Feedback.effort >= 5, 1), else_=0)),
    )


def _since_datetime(since: date | datetime | None) -> datetime | None:
    if since is None or isinstance(since, datetime):
        return since
    return datetime.combine(since, time.min)


def summary(
    session: Session, since: date | datetime | None = None, latest_comments: int = LATEST_COMMENTS
) -> dict[str, Any]:
    """Counts, average rating, CSAT %, average CES and CES "easy" % per (kind, life event or location),
    overall, and each group's latest comments (newest first), for feedback given on or after ``since``."""
    start = _since_datetime(since)
    where = [Feedback.created_at >= start] if start is not None else []

    overall = session.execute(select(*_aggregates()).where(*where)).one()
    rows = session.execute(
        select(Feedback.kind, Feedback.event_id, Feedback.location_id, ServiceLocation.name, *_aggregates())
        .outerjoin(ServiceLocation, ServiceLocation.id == Feedback.location_id)
        .where(*where)
        .group_by(Feedback.kind, Feedback.event_id, Feedback.location_id, ServiceLocation.name)
        .order_by(Feedback.kind, Feedback.event_id, ServiceLocation.name, Feedback.location_id)
    ).all()

    newest = (
        func.row_number()
        .over(
            partition_by=(Feedback.kind, Feedback.event_id, Feedback.location_id),
            order_by=(Feedback.created_at.desc(), Feedback.id.desc()),
        )
        .label("n")
    )
    ranked = (
        select(Feedback.kind, Feedback.event_id, Feedback.location_id, Feedback.comment, newest)
        .where(Feedback.comment.is_not(None), Feedback.comment != "", *where)
        .subquery()
    )
    comments: dict[tuple[Any, ...], list[str]] = {}
    for kind, event_id, location_id, comment, _n in session.execute(
        select(ranked).where(ranked.c.n <= latest_comments).order_by(ranked.c.n)
    ):
        comments.setdefault((kind, event_id, location_id), []).append(comment)

    groups = []
    for kind, event_id, location_id, location_name, *figures in rows:
        groups.append(
            {
                "kind": kind,
                "event_id": event_id,
                "location_id": location_id,
                "location": location_name,
                **_figures(*figures),
                "latest_comments": comments.get((kind, event_id, location_id), []),
            }
        )
    return {
        "since": start.date().isoformat() if start is not None else None,
        "overall": _figures(*overall),
        "groups": groups,
    }


def _number(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:g}{unit}"


def _subject(group: dict[str, Any]) -> str:
    if group["kind"] == "service":
        return f"Service: {group['location'] or '?'} (location {group['location_id']})"
    if group["event_id"]:
        event = current_app.extensions.get("polku.life_events", {}).get(group["event_id"])
        title = f" – {event.title}" if event is not None else ""
        return f"Life event: {group['event_id']}{title}"
    return "Polku in general"


def _figures_line(figures: dict[str, Any]) -> str:
    return (
        f"{figures['count']} answers; rating {_number(figures['average_rating'])} / 5, "
        f"CSAT {_number(figures['csat_percent'], ' %')} (of {figures['ratings']}); "
        f"CES {_number(figures['average_effort'])} / 7, easy {_number(figures['ces_easy_percent'], ' %')} "
        f"(of {figures['effort_answers']})"
    )


def as_text(report: dict[str, Any]) -> str:
    """The summary for reading in a terminal (English: it is for the organisers' staff)."""
    lines = [
        f"Feedback since {report['since']}" if report["since"] else "Feedback, all time",
        f"Overall: {_figures_line(report['overall'])}",
    ]
    for group in report["groups"]:
        lines += ["", _subject(group), f"  {_figures_line(group)}"]
        for comment in group["latest_comments"]:
            lines.append("  - " + " ".join(comment.split()))
    return "\n".join(lines)


def dashboard_text(figures: dashboard.Figures) -> str:
    """The dashboard's figures as text in the request's language (``flask feedback-report --lang``)."""
    events = current_app.extensions.get("polku.life_events", {})
    lines = [
        gettext(
            "Feedback and reservations %(since)s – %(until)s, all units",
            since=format_date(figures.since, "short"),
            until=format_date(figures.until, "short"),
        ),
        gettext("A figure is shown from %(num)s answers on.", num=dashboard.MIN_RATINGS),
    ]
    for label, score, unit in (
        (N_("CSAT: ratings 4 or 5 of 5"), figures.csat, " %"),
        (N_("CES: average ease, 1 very hard to 7 very easy"), figures.ces, ""),
        (N_("NPS: recommenders (9–10) minus critics (0–6)"), figures.nps, ""),
    ):
        answers = ngettext("%(num)s answer", "%(num)s answers", score.answers)
        lines.append(f"{gettext(label)}: {dashboard.score_text(score, unit)} ({answers})")
    lines.append(f"{gettext('Reservations made')}: {figures.reservations_made}")
    lines.append(f"{gettext('Reservations cancelled')}: {figures.reservations_cancelled}")
    lines += ["", gettext("Trend by week") if figures.bucket == "week" else gettext("Trend by month")]
    for point in figures.trend:
        line = "  " + gettext(
            "%(period)s: feedback %(feedback)s, reservations %(reservations)s",
            period=dashboard.bucket_label(point.start, figures.bucket),
            feedback=point.feedback,
            reservations=point.reservations,
        )
        # The week's or month's scores as on the dashboard's trend charts, each only when it is shown there.
        for name, score, unit in (("CSAT", point.csat, " %"), ("CES", point.ces, ""), ("NPS", point.nps, "")):
            if score.value is not None:
                line += f", {gettext(name)} {dashboard.score_text(score, unit)}"
        lines.append(line)
    if figures.funnels:
        lines += ["", gettext("Journeys step by step")]
    for funnel in figures.funnels:
        event = events.get(funnel.event_id)
        titles = {step.id: fast_gettext(step.title) for step in event.steps} if event is not None else {}
        lines.append(
            "  "
            + gettext(
                "%(event)s: started %(started)s, saw the plan %(plan)s, saved %(saved)s",
                event=fast_gettext(event.title) if event is not None else funnel.event_id,
                started=funnel.started,
                plan=funnel.plan,
                saved=funnel.saved,
            )
        )
        for step in funnel.steps:
            lines.append(
                "    "
                + gettext(
                    "%(step)s: reached %(reached)s, left %(left)s",
                    step=titles.get(step.step, step.step),
                    reached=step.reached,
                    left=step.left,
                )
            )
    if figures.channels:
        lines += ["", gettext("Channels")]
        for share in figures.channels:
            label = gettext(CHANNEL_LABELS.get(share.channel, share.channel))
            lines.append(f"  {label}: {share.count} ({number(100 * share.share, 0)} %)")
    return "\n".join(lines)


def register_feedback_cli(app: Flask) -> None:
    @app.cli.command("feedback-report")
    @click.option(
        "--since",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Only feedback given on or after this date (YYYY-MM-DD).",
    )
    @click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
    @click.option(
        "--lang",
        type=click.Choice(["fi", "sv", "en"]),
        default=None,
        help="Print the organisers' dashboard figures for all units in this language instead.",
    )
    @click.option(
        "--until",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="With --lang: the last day of the period (YYYY-MM-DD); today unless given.",
    )
    def feedback_report(since: datetime | None, output: str, lang: str | None, until: datetime | None) -> None:
        """Feedback figures for the organisers: count, rating, CSAT %, CES and latest comments."""
        if lang is not None:
            last = until.date() if until else today()
            first = since.date() if since else last - timedelta(days=27)
            if last < first or (last - first).days >= dashboard.MAX_DAYS:
                raise click.BadParameter("the period must run forwards and be at most 366 days", param_hint="--since")
            # the web's locale for the language: English dates day first, as on the dashboard (i18n.FORMAT_LOCALES)
            with app.test_request_context(f"/{lang}/"), force_locale(FORMAT_LOCALES.get(lang, lang)):
                figures = dashboard.figures(first, last, None, event_ids=list(app.extensions["polku.life_events"]))
                click.echo(dashboard_text(figures))
            return
        report = summary(db.session, since.date() if since else None)
        click.echo(json.dumps(report, ensure_ascii=False, indent=2) if output == "json" else as_text(report))
