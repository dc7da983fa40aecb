"""Server-side sessions in the database: the cookie carries only a random id.

The signed cookie session kept the journey answers (private ones too), the ID token and the person's id in
the browser for 8 hours: a copied cookie kept working after sign-out, a deleted account's cookie opened the
next account that got the same id, and the cookie outgrew the 4 KB browsers keep. Here every session is a
``web_session`` row (``portal.account_models.WebSession``); the cookie holds a 256-bit random token and the
row is found by the token's SHA-256, so even a copy of the table opens no session.

Why our own ``SessionInterface`` rather than Flask-Session 0.8's SQLAlchemy backend: that backend keys a row
by the session id alone (no column for the person, so "end every session of this person" at sign-out and
account deletion would have to unpickle every row), has one expiry (no absolute limit beside the idle one),
creates its table itself instead of through our Alembic migrations, commits on the request's ORM session,
and re-writes the row on every request. The rules kept here:

- the id rotates at sign-in (``rotate``): the old row goes, so a planted or copied pre-sign-in cookie opens
  nothing of the signed-in session;
- ``end_sessions_of`` deletes every row of a person (sign-out, account deletion); ``person_id`` is copied
  from the session's data onto its row on every write for that;
- a row expires ``SESSION_IDLE_TIMEOUT`` after it was last used and ``SESSION_ABSOLUTE_TIMEOUT`` after it
  was made, whichever comes first; an expired row is deleted when it is presented, and all expired rows
  now and then and by ``flask purge-sessions``;
- a request writes the row only when it changed the session, and then only if the row still exists: a
  request that began before a sign-out or a rotation can never bring the ended session back, and a slow
  live-preview response (which changes nothing) never writes older answers over newer ones;
- the cookie is set only when a session is made or rotated (the token never changes otherwise), so a slow
  response cannot re-send an older cookie either; it expires with the absolute limit;
- data is serialised as Flask's cookie sessions do (tagged JSON), so every value they held still fits.

Times are naive Helsinki wall times, as everywhere in the database (``configurator.clock``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, Request, Response, current_app, request, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSession, SessionInterface, SessionMixin
from flask.typing import ResponseReturnValue
from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from configurator import clock

from .account_models import WebSession
from .extensions import database_gone, db

TOKEN_BYTES = 32
# The idle clock of a row is moved on at most this often, so reading pages does not write every time.
TOUCH_EVERY = timedelta(minutes=1)
# Expired rows of other browsers are swept at most this often per process (one DELETE).
SWEEP_EVERY = timedelta(minutes=10)
_serializer = TaggedJSONSerializer()
# The statements of every request, built once and run as Core on the request's connection: building a select and
# going through the ORM's execution for three columns cost more than the query (0.3 of 0.4 ms a page).
_READ = select(WebSession.data, WebSession.created_at, WebSession.last_seen_at).where(WebSession.id == bindparam("key"))
_TOUCH = update(WebSession).where(WebSession.id == bindparam("key")).values(last_seen_at=bindparam("now"))


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def key_of(token: str) -> str:
    """The row's id for a cookie token: its SHA-256, so the table alone opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def serialize(data: dict[str, Any]) -> str:
    return _serializer.dumps(data)


def deserialize(text: str) -> dict[str, Any]:
    return _serializer.loads(text)


def moment() -> datetime:
    """Now as the database keeps it (the real moment, also when POLKU_TODAY fixes the date)."""
    return clock.local_naive(clock.now())


def idle_timeout(app: Flask) -> timedelta:
    return app.config["SESSION_IDLE_TIMEOUT"]


def absolute_timeout(app: Flask) -> timedelta:
    return app.config["SESSION_ABSOLUTE_TIMEOUT"]


def expired(app: Flask, created_at: datetime, last_seen_at: datetime, now: datetime, *, staff: bool = False) -> bool:
    """A staff (organiser) session has its own, shorter limits (STAFF_SESSION_*); they are never longer than a
    citizen's, so ``purge_expired`` with the citizens' limits still removes every expired staff row eventually."""
    if staff:
        idle, absolute = app.config["STAFF_SESSION_IDLE_TIMEOUT"], app.config["STAFF_SESSION_ABSOLUTE_TIMEOUT"]
    else:
        idle, absolute = idle_timeout(app), absolute_timeout(app)
    return now - last_seen_at >= idle or now - created_at >= absolute


class ServerSession(SecureCookieSession):
    """The session dict of one request, with where it is kept: ``key`` is its row's id (None for a new
    session), ``token`` the cookie's value; ``rotate_requested`` asks for a new id when it is saved."""

    def __init__(
        self,
        initial: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        created_at: datetime | None = None,
        last_seen_at: datetime | None = None,
        stored: bool = True,
        unavailable: bool = False,
    ) -> None:
        super().__init__(initial)
        self.key = key
        self.created_at = created_at
        self.last_seen_at = last_seen_at
        self.rotate_requested = False
        self.stored = stored  # False: never written (requests for static files)
        self.unavailable = unavailable  # the database could not be read: the request is answered 503


def rotate(session: SessionMixin) -> None:
    """Give this session a new id when the response is sent; the old id stops working (sign-in)."""
    if isinstance(session, ServerSession):
        session.rotate_requested = True
        session.modified = True


def end_sessions_of(person_id: int) -> int:
    """Delete every session of the person, on every device (sign-out, account deletion); not committed.

    The request's own session is among them: clear it too, and ``rotate`` it so that anything put in it
    afterwards goes to a new row."""
    result = db.session.execute(
        delete(WebSession).where(WebSession.person_id == person_id).execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def purge_expired(app: Flask, now: datetime | None = None) -> int:
    """Delete every expired row (not committed): idle too long, or older than the absolute limit."""
    now = now or moment()
    result = db.session.execute(
        delete(WebSession)
        .where(
            or_(
                WebSession.last_seen_at <= now - idle_timeout(app), WebSession.created_at <= now - absolute_timeout(app)
            )
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


class DatabaseSessionInterface(SessionInterface):
    """Flask's session on ``web_session`` rows (see the module's docstring for the rules)."""

    def __init__(self) -> None:
        self._last_sweep: datetime | None = None

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        if request.path.startswith(f"{app.static_url_path}/") or request.path.startswith("/vendor/"):
            return ServerSession(stored=False)
        token = request.cookies.get(self.get_cookie_name(app))
        if not token or len(token) > 100:
            return ServerSession()
        try:
            return self._read(app, key_of(token))
        except SQLAlchemyError:
            # The database is restarting or gone. A new empty session would put a new cookie over the person's
            # (their answers lost for good) and an error here leaves Flask without a session for its error page
            # (gunicorn then answers a bare 500): the request gets an unstored session and a 503 instead.
            database_gone("the session could not be read")
            return ServerSession(stored=False, unavailable=True)

    def _read(self, app: Flask, key: str) -> ServerSession:
        row = db.session.connection().execute(_READ, {"key": key}).first()
        if row is None:
            return ServerSession()  # unknown, ended or purged: a new session (never the presented id)
        now = moment()
        data = deserialize(row.data)
        if expired(app, row.created_at, row.last_seen_at, now, staff="staff" in data):
            db.session.execute(delete(WebSession).where(WebSession.id == key))
            db.session.commit()
            return ServerSession()
        return ServerSession(data, key=key, created_at=row.created_at, last_seen_at=row.last_seen_at)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not isinstance(session, ServerSession) or not session.stored:
            return
        response.vary.add("Cookie")
        # What the request left uncommitted is abandoned anyway (Flask-SQLAlchemy rolls it back when the
        # request ends); rolling back first means no lock of it is held while the session is written.
        db.session.rollback()
        try:
            if self._write(app, session, response):
                db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            if session.modified:
                raise
            current_app.logger.warning("could not note that a session was used", exc_info=True)

    def _write(self, app: Flask, session: ServerSession, response: Response) -> bool:
        """Write what the request changed; False when nothing was to be written (most page views: then there is
        nothing to commit either)."""
        now = moment()
        if session.rotate_requested:
            if session.key is not None:
                db.session.execute(delete(WebSession).where(WebSession.id == session.key))
            if not session:
                self._forget_cookie(app, response)
                return session.key is not None
            self._insert(app, session, response, now)
            return True
        if session.key is None:
            if session and session.modified:
                self._insert(app, session, response, now)
                return True
            return False
        if not session:
            if session.modified:
                db.session.execute(delete(WebSession).where(WebSession.id == session.key))
                self._forget_cookie(app, response)
            return session.modified
        if session.modified:  # only a row that still exists: an ended session is not brought back
            db.session.execute(
                update(WebSession)
                .where(WebSession.id == session.key)
                .values(data=serialize(dict(session)), person_id=_person_id(session), last_seen_at=now)
            )
            return True
        if session.last_seen_at is None or now - session.last_seen_at >= TOUCH_EVERY:
            db.session.connection().execute(_TOUCH, {"key": session.key, "now": now})
            return True
        return False

    def _insert(self, app: Flask, session: ServerSession, response: Response, now: datetime) -> None:
        token = new_token()
        db.session.execute(
            insert(WebSession).values(
                id=key_of(token),
                person_id=_person_id(session),
                data=serialize(dict(session)),
                created_at=now,
                last_seen_at=now,
            )
        )
        session.key, session.created_at, session.last_seen_at = key_of(token), now, now
        response.set_cookie(
            self.get_cookie_name(app),
            token,
            expires=clock.now() + absolute_timeout(app),
            httponly=self.get_cookie_httponly(app),
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            partitioned=self.get_cookie_partitioned(app),
            samesite=self.get_cookie_samesite(app),
        )
        if self._last_sweep is None or now - self._last_sweep >= SWEEP_EVERY:
            self._last_sweep = now
            purge_expired(app, now)

    def _forget_cookie(self, app: Flask, response: Response) -> None:
        if self.get_cookie_name(app) in request.cookies:
            response.delete_cookie(
                self.get_cookie_name(app),
                domain=self.get_cookie_domain(app),
                path=self.get_cookie_path(app),
                secure=self.get_cookie_secure(app),
                partitioned=self.get_cookie_partitioned(app),
                samesite=self.get_cookie_samesite(app),
                httponly=self.get_cookie_httponly(app),
            )


def _person_id(session: SessionMixin) -> int | None:
    value = session.get("person_id")
    return value if isinstance(value, int) else None


def no_store(response: Response) -> Response:
    """Pages show answers and personal data (also anonymous check and plan pages): no browser or proxy
    keeps them. Static files and front-end libraries keep their own caching."""
    if request.endpoint != "static" and request.blueprint != "vendor" and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def unavailable_session() -> ResponseReturnValue | None:
    """A request whose session could not be read is answered 503 (the error page says the answers are kept),
    except the health checks, which answer without a session."""
    if getattr(session, "unavailable", False) and request.blueprint != "health":
        from .pages.errors import unavailable_page

        return unavailable_page()
    return None


def init_sessions(app: Flask) -> None:
    app.session_interface = DatabaseSessionInterface()
    app.before_request(unavailable_session)
    app.after_request(no_store)
