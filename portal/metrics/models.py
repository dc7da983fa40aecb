"""The counters: one row per day and what was counted, its count raised in place (never a row per visit).

Nothing here can be linked to a person: no person, session, address or time of day is kept, only the date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

# started: a journey's first step opened; reached: a step opened (once per journey); plan: the plan shown;
# saved: the plan saved to the own space.
JOURNEY_MEASURES = ("started", "reached", "plan", "saved")
CHANNELS = ("eservice", "phone", "in_person")


class JourneyCount(db.Model):
    """How many journeys of a life event, in a language, did ``measure`` (at ``step``) on a day."""

    __tablename__ = "journey_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    event_id: Mapped[str] = mapped_column(String(40))
    step: Mapped[str] = mapped_column(String(40), default="")  # "" for the measures of the whole journey
    language: Mapped[str] = mapped_column(String(2))
    measure: Mapped[str] = mapped_column(String(12))
    count: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("day", "event_id", "step", "language", "measure", name="uq_journey_count"),)


class ChannelCount(db.Model):
    """How many times a task's link to a channel (e-service, phone, in person) was followed on a day."""

    __tablename__ = "channel_count"
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    event_id: Mapped[str] = mapped_column(String(40))
    task_id: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(2))
    count: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("day", "event_id", "task_id", "channel", "language", name="uq_channel_count"),)
