"""A saved plan's calendar address (issue 18): a secret, revocable address that calendar applications poll, so
changed answers and a recurring task's next date reach the calendar without a new download.

Only the SHA-256 of the address's token is kept (CalendarFeed.token_hash): a copy of the database opens no
calendar. The token has 256 random bits, so the hash is looked up directly (the primary key): what the lookup's
timing could tell is about hashes, which say nothing of another token; the found row's hash is compared once
more in constant time. A plan has at most one address: making one deletes the old one, and stopping deletes it,
so either answers 404 from then on, like an address that never existed.

What the calendar holds: the plan's tasks with a date, as the plan page shows them, recurring tasks with their
RRULE, in the language of the address (the page's language when it was made: ``/sv/shared/calendar/...``), so
nothing new is stored for it. It is built without the answers kept private (``saved_plans.view(private=False)``),
like a shared plan: a calendar service reads what it polls, and a care plan's tasks would tell it of an illness;
the page says so and offers the .ics file, which has them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from ..account_models import CalendarFeed, SavedPlan, timestamp
from ..extensions import db

TOKEN_BYTES = 32
# Calendars may keep the answer this long (and proxies not at all: private). Short enough that a changed answer
# shows within the hour calendars usually poll at; long enough that one application's many requests cost little.
MAX_AGE_SECONDS = 900
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def token_hash(token: str) -> str:
    """The hex SHA-256 that is kept instead of the token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def new_address(saved: SavedPlan) -> str:
    """A new token for the plan's calendar address (not committed); the plan's earlier address stops. The token
    is returned once, to be shown once: it is not kept anywhere."""
    stop(saved)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    saved.calendar_feeds.append(CalendarFeed(token_hash=token_hash(token), created_at=timestamp()))
    return token


def stop(saved: SavedPlan) -> None:
    """Delete the plan's calendar addresses (not committed): they answer 404 from then on."""
    for feed in list(saved.calendar_feeds):
        saved.calendar_feeds.remove(feed)
        db.session.delete(feed)


def find(token: str) -> CalendarFeed | None:
    """The calendar address of this token, or None (malformed, unknown or stopped)."""
    if not _TOKEN.fullmatch(token):
        return None
    digest = token_hash(token)
    feed = db.session.get(CalendarFeed, digest)
    if feed is None or not hmac.compare_digest(feed.token_hash, digest):
        return None
    return feed


def webcal(url: str) -> str:
    """The same address with the webcal scheme, which opens a calendar application's subscription dialogue."""
    return re.sub(r"^https?://", "webcal://", url)
