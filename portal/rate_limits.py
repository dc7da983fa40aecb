"""Rate limits on what costs the portal or its people something: sign-in, feedback, reservations, API plans
and calculators (issue 13, hole 7: 300 anonymous feedback posts were stored in 5.8 s).

Flask-Limiter counts; the counters live where every process and machine of the portal sees them. The default
is the portal's own database (``database://``, the ``rate_limit`` table, below): no cache server is needed, and
two processes behind a load balancer share one budget. ``POLKU_RATE_LIMIT_STORAGE`` may name any storage of
the ``limits`` library instead (``redis://host:6379``, or ``memory://`` for one process only).

What counts, and by what (the limits are ``limits`` strings from the configuration, ``portal/config.py``):

- each kind has one budget per client address, shared by its views (the quick and the full feedback form
  spend the same budget). The address is ``request.remote_addr``, which ProxyFix sets from X-Forwarded-For
  when TRUSTED_PROXIES counts the proxies; an IPv6 address counts by its /64 network, which one household
  or device usually holds whole;
- feedback and reservations also have a budget per signed-in person, so one account cannot spend a whole
  office's shared address, nor go on from another address;
- only what writes or calls out counts: POSTs of feedback and reservations, every sign-in start and callback,
  every plan and calculator call of the API. Pages of a journey are never limited (people go back and forth).

A request over a limit gets 429 with Retry-After: under /api the API's JSON error, elsewhere a translated page
(templates/errors/429.html). What the refused request carried is not stored; the page says to go back and
send it again when the wait is over.

One Limiter serves the process, as the decorators in the blueprints need it at import time; what may differ
between apps (the limits, on or off, the database) is read from the app of the request.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, render_template, request, session
from flask_limiter import Limiter
from limits import parse_many
from limits.storage import Storage
from sqlalchemy import Float, Integer, String, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import HTTPException

from configurator import clock
from configurator.i18n import N_

from .extensions import db

View = TypeVar("View", bound=Callable[..., Any])

TOO_MANY = N_("Too many requests: wait {seconds} s and try again.")
# Expired counters of other clients are deleted at most this often per process (one DELETE).
SWEEP_EVERY_SECONDS = 600


@dataclass(frozen=True)
class Kind:
    """A budget: the setting of its per-address limit, of its per-person limit (if any), and the methods that
    count (None: all)."""

    address_setting: str
    person_setting: str | None
    methods: tuple[str, ...] | None


KINDS: dict[str, Kind] = {
    "sign_in": Kind("POLKU_RATE_LIMIT_SIGN_IN", None, None),
    "feedback": Kind("POLKU_RATE_LIMIT_FEEDBACK", "POLKU_RATE_LIMIT_FEEDBACK_PERSON", ("POST",)),
    "reservations": Kind("POLKU_RATE_LIMIT_RESERVATIONS", "POLKU_RATE_LIMIT_RESERVATIONS_PERSON", ("POST",)),
    "api": Kind("POLKU_RATE_LIMIT_API", None, None),
    "organiser_edit": Kind("POLKU_RATE_LIMIT_ORGANISER_EDITS", None, ("POST",)),
    "organiser_api": Kind("POLKU_RATE_LIMIT_ORGANISER_EDITS", None, ("PUT", "POST", "DELETE")),  # its own budget
    "calendar_feed": Kind("POLKU_RATE_LIMIT_CALENDAR_FEED", None, None),  # a plan's calendar address (GET)
}
SETTINGS = tuple(name for kind in KINDS.values() for name in (kind.address_setting, kind.person_setting) if name)


# --- who is counted ---------------------------------------------------------------------------------------


def client_address() -> str:
    """The client's address (after ProxyFix), an IPv6 one as its /64 network: one device may use many of those."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def signed_in_person() -> int | None:
    value = session.get("person_id")
    return value if isinstance(value, int) else None


def person_key() -> str:
    return f"person:{signed_in_person()}"


def not_signed_in() -> bool:
    return signed_in_person() is None


def limits_off() -> bool:
    """POLKU_RATE_LIMITS_ENABLED=0 turns every limit off (read per request, as one Limiter serves every app)."""
    return not current_app.config.get("POLKU_RATE_LIMITS_ENABLED", True)


limiter = Limiter(
    key_func=client_address,
    key_prefix="polku",
    strategy="fixed-window",
    headers_enabled=False,  # Retry-After is set on the 429 (below), from the same clock the counters use
    # A storage that fails does not stop people from reserving or giving feedback; the error is logged.
    swallow_errors=True,
)
limiter.request_filter(limits_off)


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config.get(name) or ""


def limited(kind_name: str) -> Callable[[View], View]:
    """Count the view's requests against the ``kind_name`` budget of the client's address, and of the signed-in
    person where the kind has one. Put it below the route decorator."""
    kind = KINDS[kind_name]
    methods = list(kind.methods) if kind.methods else None

    def decorate(view: View) -> View:
        limited_view = limiter.shared_limit(_setting(kind.address_setting), scope=kind_name, methods=methods)(view)
        if kind.person_setting:
            limited_view = limiter.shared_limit(
                _setting(kind.person_setting),
                scope=f"{kind_name}-person",
                key_func=person_key,
                exempt_when=not_signed_in,
                methods=methods,
            )(limited_view)
        return limited_view

    return decorate


# --- the counters in the database ---------------------------------------------------------------------------


class RateLimitCounter(db.Model):
    """One fixed window of one budget of one client or person: hits so far and when the window ends (seconds
    since the epoch, from configurator.clock). Rows whose window has ended are swept."""

    __tablename__ = "rate_limit"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, nullable=False)
    expires_at: Mapped[float] = mapped_column(Float(precision=53), nullable=False, index=True)


def _now() -> float:
    return clock.now().timestamp()


def purge_expired(now: float | None = None) -> int:
    """Delete every counter whose window has ended; committed on a connection of its own."""
    table = RateLimitCounter.__table__
    with db.engine.begin() as connection:
        result = connection.execute(delete(table).where(table.c.expires_at <= (_now() if now is None else now)))
    return result.rowcount or 0


class DatabaseStorage(Storage):
    """A ``limits`` storage on the portal's database (``database://``), for the fixed-window strategy.

    Every method runs on a connection of its own and commits at once, so a count never waits for, joins or
    commits the request's own transaction. ``incr`` is one INSERT … ON CONFLICT DO UPDATE … RETURNING, atomic
    on SQLite and PostgreSQL alike: many processes hitting one key at once each get their own count."""

    STORAGE_SCHEME = ["database"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._last_sweep: float | None = None

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        table = RateLimitCounter.__table__
        now = _now()
        engine = db.engine
        insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        statement = insert(table).values(key=key, hits=amount, expires_at=now + expiry)
        ended = table.c.expires_at <= now  # a new window begins with this hit
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "hits": case((ended, statement.excluded.hits), else_=table.c.hits + statement.excluded.hits),
                "expires_at": case((ended, statement.excluded.expires_at), else_=table.c.expires_at),
            },
        ).returning(table.c.hits)
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                # Take the write lock first, waiting for it: a deferred transaction that finds another writer
                # mid-way is refused at once ("database is locked") instead of waiting its turn.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            hits = connection.execute(statement).scalar_one()
            connection.commit()
        if self._last_sweep is None or now - self._last_sweep >= SWEEP_EVERY_SECONDS:
            self._last_sweep = now
            try:
                purge_expired(now)
            except SQLAlchemyError:  # the count stands; the next sweep deletes what this one could not
                current_app.logger.warning("could not delete ended rate-limit windows", exc_info=True)
        return hits

    def _live(self, key: str, column: Any) -> Any:
        table = RateLimitCounter.__table__
        with db.engine.connect() as connection:
            return connection.execute(select(column).where(table.c.key == key, table.c.expires_at > _now())).scalar()

    def get(self, key: str) -> int:
        return self._live(key, RateLimitCounter.__table__.c.hits) or 0

    def get_expiry(self, key: str) -> float:
        expires_at = self._live(key, RateLimitCounter.__table__.c.expires_at)
        return _now() if expires_at is None else expires_at

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(RateLimitCounter.__table__)).rowcount

    def clear(self, key: str) -> None:
        table = RateLimitCounter.__table__
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.key == key))


# --- the 429 answers ------------------------------------------------------------------------------------------


def retry_after_seconds() -> int:
    """Whole seconds until the breached window ends (at least 1), from the storage's own expiry."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    try:
        reset_at = breached.window.reset_time
    except Exception:  # noqa: BLE001 - a storage that fails here still gets a sensible wait
        current_app.logger.warning("could not read when a rate limit ends", exc_info=True)
        return 60
    return max(1, math.ceil(reset_at - _now()))


def too_many_requests(error: HTTPException) -> Response:
    """The 429 page with Retry-After in the request's language (under /api the API's problem details answer)."""
    from .limits import _language

    seconds = retry_after_seconds()
    lang = _language()
    g.lang_code = g.get("lang_code") or lang
    minutes = math.ceil(seconds / 60)
    response = Response(render_template("errors/429.html", seconds=seconds, minutes=minutes), mimetype="text/html")
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def init_rate_limits(app: Flask) -> None:
    """Check the configured limits (a typo fails at start, not at the first post), bind the Limiter and its
    storage to the app, and answer 429 with the portal's own pages."""
    for name in SETTINGS:
        value = app.config.get(name) or ""
        try:
            parse_many(value) if value else None
        except ValueError as error:
            raise ValueError(f"{name} is not a rate limit like '10 per minute; 100 per day': {value!r}") from error
    storage = app.config.setdefault("RATELIMIT_STORAGE_URI", "database://")
    if storage.split(":", 1)[0] in DatabaseStorage.STORAGE_SCHEME:
        with app.app_context():
            dialect = db.engine.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            raise ValueError(
                f"the database:// rate limit storage needs SQLite or PostgreSQL, not {dialect}; "
                "set POLKU_RATE_LIMIT_STORAGE to a redis:// address"
            )
    limiter.init_app(app)
