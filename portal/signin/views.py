"""Sign-in and sign-out routes: the authorization code flow with PKCE, state and nonce (Authlib checks them),
a new session on sign-in, and sign-out here and at the provider. The blueprint keeps its name "auth"."""

from __future__ import annotations

from authlib.common.errors import AuthlibBaseError
from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from joserfc.errors import JoseError
from requests.exceptions import RequestException

from ..extensions import db
from ..i18n import add_lang_code, pull_lang_code, use_language
from ..identity import current_person
from ..rate_limits import limited
from ..security import local_path
from ..sessions import end_sessions_of, rotate
from .claims import staff_from_claims
from .client import KINDS, client, end_provider_session, issuer, portal_url, sign_in_available
from .services import find_person, sign_in_person

bp = Blueprint("auth", __name__)
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)


def _safe_next(target: str | None, lang: str) -> str:
    """Only a path on this site, so the sign-in cannot redirect elsewhere."""
    return local_path(target) or url_for("own.index", lang_code=lang)


def start_sign_in(kind: str, lang: str, target: str) -> ResponseReturnValue:
    """Send the visitor to the provider of this kind ("citizen" or "staff"); the callback is the same address
    for both, and the session remembers which sign-in it began. Staff always choose the account (prompt=login):
    a citizen's single sign-on at the same provider must not sign them in as staff."""
    if not sign_in_available(kind):
        return render_template("auth/unavailable.html"), 503
    session["sign_in_next"] = target
    session["sign_in_lang"] = lang
    session["sign_in_kind"] = kind
    extra = {"prompt": "login"} if kind == "staff" else {}
    try:
        return client(kind).authorize_redirect(portal_url(url_for("auth.callback")), ui_locales=lang, **extra)
    except (RequestException, AuthlibBaseError, JoseError, ValueError):
        current_app.logger.exception("identity provider not reachable")
        return render_template("auth/failed.html"), 502


@bp.get("/<any(fi,sv,en):lang_code>/sign-in")
@limited("sign_in")  # starts and callbacks share one budget per client address
def sign_in() -> ResponseReturnValue:
    lang = g.get("lang_code", "fi")
    return start_sign_in("citizen", lang, _safe_next(request.args.get("next"), lang))


@bp.get("/auth/callback")
@limited("sign_in")  # starts and callbacks share one budget per client address
def callback() -> ResponseReturnValue:
    """The provider's answer: Authlib checks state, sends the PKCE verifier, verifies the ID token
    (signature, issuer, audience, expiry, nonce); anything wrong leaves the visitor signed out."""
    lang = session.get("sign_in_lang", "fi")
    kind = session.get("sign_in_kind", "citizen")
    if kind not in KINDS:
        kind = "citizen"
    try:
        token = client(kind).authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            raise ValueError("no verified ID token")
        endpoint = client(kind).load_server_metadata().get("userinfo_endpoint")
        if endpoint:
            extra = dict(client(kind).userinfo(token=token))
            if extra.get("sub") != claims["sub"]:
                raise ValueError("userinfo is about someone else")
            claims = extra | claims
        staff = staff_from_claims(claims, claims.get("iss") or issuer(kind) or "") if kind == "staff" else None
        if kind == "staff" and staff is None:
            raise ValueError("the staff provider gave no organiser role")
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError, LookupError):
        current_app.logger.warning("sign-in failed", exc_info=True)
        session.pop("person_id", None)
        session.pop("staff", None)
        use_language(lang)  # the page, its <html lang> and switcher in the language the sign-in began in
        with force_locale(lang):
            return render_template("auth/failed.html", lang_code=lang), 400
    if staff is not None:  # staff and citizen sign-ins never share a session: nothing of the citizen's is kept
        target = session.pop("sign_in_next", None) or url_for("organisers.index", lang_code=lang)
        session.clear()
        session["staff"] = staff
        session["id_token"] = token.get("id_token")
        rotate(session)
        return redirect(target)
    signed_by = claims.get("iss") or issuer() or ""
    first_time = find_person(signed_by, claims["sub"]) is None
    person = sign_in_person(signed_by, claims)
    target = session.pop("sign_in_next", None) or url_for("own.index", lang_code=lang)
    keep = {key: session[key] for key in ("answers",) if key in session}
    session.clear()  # a new session on sign-in (no fixation), keeping the journey answers given so far
    session.update(keep)
    session["person_id"] = person.id
    session["id_token"] = token.get("id_token")
    rotate(session)  # a new id: the cookie from before the sign-in opens nothing any more
    if first_time:  # what the own space keeps, and the consents, once
        return redirect(url_for("own.welcome", lang_code=lang, next=target))
    return redirect(target)


@bp.post("/<any(fi,sv,en):lang_code>/sign-out")
def sign_out() -> ResponseReturnValue:
    """End every session of the person here (on every device: a copied cookie opens nothing after this),
    then the provider's session too (RP-initiated logout)."""
    lang = g.get("lang_code", "fi")
    id_token = session.get("id_token")
    person = current_person()
    if person is not None:
        end_sessions_of(person.id)
        db.session.commit()
    session.clear()
    rotate(session)  # anything kept after this goes to a new session
    home = portal_url(url_for("pages.home", lang_code=lang))
    return end_provider_session(id_token, lang, home) if person is not None else redirect(home)
