"""What the portal keeps about a signed-in person: profile, consents, saved plans, reservations,
messages, feedback and share links.

Everything hangs off ``person`` with delete-orphan cascades, so "delete my account" removes all
of it in one transaction and "download my data" can walk the same relationships.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from configurator import clock

from .extensions import db
from .models import AppointmentSlot, ServiceLocation

# Issue 18: "suggestions" (life events suggested from what the portal knows) and "keep_private" (keep the answers
# of a plan's private questions, e.g. a long-term condition's care plan, in the saved plan instead of only the
# browser session; explicit consent, GDPR article 9(2)(a) for health).
CONSENT_PURPOSES = ("prefill", "reminders", "suggestions", "keep_private")
RESERVATION_KINDS = ("appointment", "ecec_place")
RESERVATION_STATES = ("confirmed", "cancelled")
FEEDBACK_KINDS = ("journey", "service", "general", "report")  # report: an error in a unit's or task's information
# How an organiser marks a piece of feedback about their unit (issue 16).
FEEDBACK_CATEGORIES = ("praise", "problem", "idea", "data_error")


def timestamp() -> datetime:
    """When something happened, as the timestamp columns keep it: the naive Helsinki wall time, to the second.

    The real moment, also when POLKU_TODAY fixes "today" for a demo: a record says when it was made. The
    servers run in UTC, so this comes from ``configurator.clock``, never from the machine's local time.
    """
    return clock.local_naive(clock.now()).replace(microsecond=0)


class Person(db.Model):
    """A person who signed in; ``claims`` are the identity provider's latest claims (the profile)."""

    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(200))
    claims: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    last_signed_in_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    consents: Mapped[list[Consent]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Consent.id"
    )
    plans: Mapped[list[SavedPlan]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="SavedPlan.id"
    )
    reservations: Mapped[list[Reservation]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Reservation.id"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Message.id.desc()"
    )
    feedback: Mapped[list[Feedback]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="Feedback.id"
    )
    dismissed_suggestions: Mapped[list[DismissedSuggestion]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="DismissedSuggestion.key"
    )
    # AUTOINCREMENT on SQLite: an id is never given again after an account is deleted (SQLite would otherwise
    # reuse the highest one); PostgreSQL's sequences never do.
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_person_issuer_subject"),
        {"sqlite_autoincrement": True},
    )


class Consent(db.Model):
    """A consent given for one purpose; withdrawing sets ``withdrawn_at`` (the record stays as evidence)."""

    __tablename__ = "consent"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(30))
    given_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    person: Mapped[Person] = relationship(back_populates="consents")


class SavedPlan(db.Model):
    """A life-event plan kept in the own space: the raw answers (never the private ones) and progress.

    ``acting_for`` says whose matter it is: ``self``, ``child:<id>`` or ``company:<business id>``,
    so a guardian keeps one plan per child and a founder one per company.
    """

    __tablename__ = "saved_plan"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(40))
    acting_for: Mapped[str] = mapped_column(String(80), default="self")
    acting_for_name: Mapped[str | None] = mapped_column(String(200))
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    person: Mapped[Person] = relationship(back_populates="plans")
    progress: Mapped[list[TaskProgress]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="TaskProgress.task_id"
    )
    share_links: Mapped[list[ShareLink]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    calendar_feeds: Mapped[list[CalendarFeed]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    # Answers to the event's private questions, kept only while the person's "keep_private" consent is in force
    # (withdrawing it empties this); NULL otherwise: the private answers then live in the browser session only.
    private_answers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("person_id", "event_id", "acting_for", name="uq_saved_plan_subject"),)

    def done_tasks(self) -> dict[str, date]:
        return {p.task_id: p.done_on for p in self.progress}


class TaskProgress(db.Model):
    """A checklist task ticked done; kept by task id so that changing answers keeps it."""

    __tablename__ = "task_progress"
    plan_id: Mapped[int] = mapped_column(ForeignKey("saved_plan.id", ondelete="CASCADE"), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    done_on: Mapped[date] = mapped_column(Date)
    plan: Mapped[SavedPlan] = relationship(back_populates="progress")


class ShareLink(db.Model):
    """An unguessable token that shows a plan's tasks and deadlines, and nothing personal."""

    __tablename__ = "share_link"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("saved_plan.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    plan: Mapped[SavedPlan] = relationship(back_populates="share_links")


class CalendarFeed(db.Model):
    """A secret, revocable calendar address of a saved plan, which calendar applications poll (issue 18).

    Only the SHA-256 of the token in the address is kept (like a guest visit's cancellation link); revoking
    deletes the row, so the address answers 404 from then on.
    """

    __tablename__ = "calendar_feed"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("saved_plan.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    last_read_at: Mapped[datetime | None] = mapped_column(DateTime)
    plan: Mapped[SavedPlan] = relationship(back_populates="calendar_feeds")


class DismissedSuggestion(db.Model):
    """A suggested life event the person dismissed for good, by the suggestion's key (issue 18)."""

    __tablename__ = "dismissed_suggestion"
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    person: Mapped[Person] = relationship(back_populates="dismissed_suggestions")


CONFIRMED_ECEC_PLACE = "status = 'confirmed' AND kind = 'ecec_place'"
CONFIRMED_APPOINTMENT = "status = 'confirmed' AND kind = 'appointment'"


class Reservation(db.Model):
    """An appointment time at a service point, or a place at an ECEC unit, held for a person.

    The place itself is taken with a guarded UPDATE of ``appointment_slot.booked`` or
    ``availability.free_places`` in the same transaction, so two people never get the last one.

    Two partial unique indexes (over confirmed rows only, on SQLite and PostgreSQL alike) keep the
    reservation rules in the database, whatever the page or a script does:

    - ``uq_reservation_ecec_child_start``: one confirmed ECEC place per child (``acting_for`` of the
      person) and start date, so one child cannot hold places at several units and distort the free
      places every other family sees;
    - ``uq_reservation_appointment_day``: one confirmed appointment per person it is for, service point
      and day, per ``day_ordinal``. The service numbers a person's appointments of a day at a point
      1, 2, ... up to the point's ``appointments_per_person_per_day`` (default 1), so with the default the
      index alone allows one; an organiser who allows more gets as many distinct numbers.

    ``appointment_on`` is the slot's day (Helsinki wall time), kept here because an index cannot reach
    into ``appointment_slot``; the CHECKs make every appointment carry it and its number.
    """

    __tablename__ = "reservation"
    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a guest's visit to an ECEC unit (portal/reservations/visits.py): booked with a name and a phone number
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[int] = mapped_column(ForeignKey("service_location.id"), index=True)
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("appointment_slot.id"), index=True)
    age_group: Mapped[str | None] = mapped_column(String(20))
    starts_on: Mapped[date | None] = mapped_column(Date)  # an ECEC place: the day care starts
    acting_for: Mapped[str] = mapped_column(String(80), default="self")
    acting_for_name: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12), default="confirmed")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    appointment_on: Mapped[date | None] = mapped_column(Date)  # an appointment: the slot's day in Helsinki
    day_ordinal: Mapped[int | None] = mapped_column(Integer)  # an appointment: 1.. the point's daily limit
    phone: Mapped[str | None] = mapped_column(String(40))  # an appointment by phone: the number to call
    # A guest's visit (no person): the name and number given, deleted when the visit is cancelled or has passed
    # (``flask purge-visits``), and the SHA-256 of the private cancellation link's token (the token is never stored).
    guest_name: Mapped[str | None] = mapped_column(String(100))
    guest_phone: Mapped[str | None] = mapped_column(String(40))
    guest_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    person: Mapped[Person | None] = relationship(back_populates="reservations")
    location: Mapped[ServiceLocation] = relationship()
    slot: Mapped[AppointmentSlot | None] = relationship()
    __table_args__ = (
        CheckConstraint("kind IN ('appointment', 'ecec_place')", name="ck_reservation_kind"),
        CheckConstraint("status IN ('confirmed', 'cancelled')", name="ck_reservation_status"),
        CheckConstraint("(kind = 'appointment') = (slot_id IS NOT NULL)", name="ck_reservation_slot"),
        CheckConstraint("(kind = 'appointment') = (appointment_on IS NOT NULL)", name="ck_reservation_appointment_on"),
        CheckConstraint(
            "(kind = 'appointment') = (day_ordinal IS NOT NULL AND day_ordinal >= 1)", name="ck_reservation_day_ordinal"
        ),
        CheckConstraint("kind <> 'ecec_place' OR starts_on IS NOT NULL", name="ck_reservation_ecec_starts_on"),
        Index(
            "uq_reservation_ecec_child_start",
            "person_id",
            "acting_for",
            "starts_on",
            unique=True,
            sqlite_where=text(CONFIRMED_ECEC_PLACE),
            postgresql_where=text(CONFIRMED_ECEC_PLACE),
        ),
        Index(
            "uq_reservation_appointment_day",
            "person_id",
            "acting_for",
            "location_id",
            "appointment_on",
            "day_ordinal",
            unique=True,
            sqlite_where=text(CONFIRMED_APPOINTMENT),
            postgresql_where=text(CONFIRMED_APPOINTMENT),
        ),
    )


class Message(db.Model):
    """A message in the own space, stored as a kind and values so it reads in the reader's language."""

    __tablename__ = "message"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))  # a path in the portal, without the language
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    person: Mapped[Person] = relationship(back_populates="messages")
    __table_args__ = (UniqueConstraint("person_id", "dedupe_key", name="uq_message_dedupe"),)


class Feedback(db.Model):
    """A rating, Customer Effort answer and comment; the person is kept only when signed in."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    event_id: Mapped[str | None] = mapped_column(String(40))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("service_location.id"))
    rating: Mapped[int | None] = mapped_column(Integer)  # 1 (very poor) .. 5 (very good)
    effort: Mapped[int | None] = mapped_column(Integer)  # Customer Effort: 1 (very hard) .. 7 (very easy)
    comment: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=timestamp)
    # Issue 16: the recommend question of the long form (NPS, 0..10), a task a "report an error" is about,
    # an e-mail address an anonymous person left for an answer (deleted once answered), and the organiser's
    # handling: its mark, the comment published to the comparison (or not), the answer, and when it was handled
    # (NULL: an open item on the organiser's front page).
    recommend: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[str | None] = mapped_column(String(80))
    reply_email: Mapped[str | None] = mapped_column(String(254))
    category: Mapped[str | None] = mapped_column(String(12))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)
    person: Mapped[Person | None] = relationship(back_populates="feedback")
    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="ck_feedback_rating"),
        CheckConstraint("effort IS NULL OR effort BETWEEN 1 AND 7", name="ck_feedback_effort"),
        CheckConstraint("recommend IS NULL OR recommend BETWEEN 0 AND 10", name="ck_feedback_recommend"),
        Index("ix_feedback_location_published", "location_id", "published_at"),
    )


class WebSession(db.Model):
    """A browser's session, kept on the server (``portal.sessions``): the journey answers (private ones too,
    which are never saved in a plan and go with the row), the sign-in state and the ID token.

    ``id`` is the SHA-256 of the random token in the cookie; ``person_id`` is who is signed in on it, so
    that sign-out and account deletion can end every session of the person; ``data`` is Flask's session as
    tagged JSON. A row expires after ``SESSION_IDLE_TIMEOUT`` without use (``last_seen_at``) and
    ``SESSION_ABSOLUTE_TIMEOUT`` after ``created_at``, and is deleted then.
    """

    __tablename__ = "web_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)
