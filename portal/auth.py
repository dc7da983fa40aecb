"""Sign-in with OpenID Connect through Authlib: authorization code flow with PKCE, state and nonce.

The provider comes from the environment (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), so the
same code signs in through Suomi.fi e-Identification's OIDC interface or any other provider. Without
OIDC_ISSUER, and never in production, the embedded development provider serves at DEV_IDP_ISSUER
(by default /dev-idp under BASE_URL, possibly on another origin); the portal still runs the whole
protocol against it over HTTP. Every address given to or fetched from the provider is built from
configuration, never from the request's Host header.
"""
from __future__ import annotations

import hashlib
from typing import Any

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from joserfc.errors import JoseError
from requests.exceptions import RequestException

from .account import current_person, find_person, sign_in_person
from .config import base_url, dev_idp_issuer
from .extensions import db
from .i18n import add_lang_code, pull_lang_code, use_language
from .rate_limits import limited
from .security import local_path
from .sessions import end_sessions_of, rotate

oauth = OAuth()
bp = Blueprint("auth", __name__)
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)


def init_auth(app: Flask) -> None:
    oauth.init_app(app)
    app.register_blueprint(bp)


def issuer() -> str | None:
    """The configured provider, else the development provider (outside production) at DEV_IDP_ISSUER: always
    from configuration, never from the request's Host header, since the portal sends its client secret there
    and believes the tokens it answers with."""
    if current_app.config.get("OIDC_ISSUER"):
        return current_app.config["OIDC_ISSUER"].rstrip("/")
    if current_app.config.get("DEV_IDP_ENABLED"):
        return dev_idp_issuer(current_app.config)
    return None


def portal_url(path: str) -> str:
    """An absolute address of ``path`` on the portal, on BASE_URL: the redirect URI and the address to return
    to after sign-out are given to the provider, so a forged Host header must not change them."""
    return base_url(current_app.config) + path


def sign_in_available() -> bool:
    return issuer() is not None


def client() -> Any:
    """The Authlib client for the current issuer, registered on first use (metadata by discovery)."""
    url = issuer()
    if url is None:
        raise LookupError("no identity provider configured")
    name = "idp_" + hashlib.sha256(url.encode()).hexdigest()[:12]
    found = oauth.create_client(name)
    if found is not None:
        return found
    config = current_app.config
    dev = not config.get("OIDC_ISSUER")
    return oauth.register(
        name=name,
        client_id=config["DEV_IDP_CLIENT_ID"] if dev else config["OIDC_CLIENT_ID"],
        client_secret=config["DEV_IDP_CLIENT_SECRET"] if dev else config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{url}/.well-known/openid-configuration",
        client_kwargs={
            "scope": config["OIDC_SCOPE"],
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": config["OIDC_TOKEN_ENDPOINT_AUTH_METHOD"],
            "timeout": 10,
        },
    )


def _safe_next(target: str | None, lang: str) -> str:
    """Only a path on this site, so the sign-in cannot redirect elsewhere."""
    return local_path(target) or url_for("own.index", lang_code=lang)


@bp.get("/<any(fi,sv,en):lang_code>/sign-in")
@limited("sign_in")  # starts and callbacks share one budget per client address
def sign_in() -> ResponseReturnValue:
    lang = g.get("lang_code", "fi")
    if not sign_in_available():
        return render_template("auth/unavailable.html"), 503
    session["sign_in_next"] = _safe_next(request.args.get("next"), lang)
    session["sign_in_lang"] = lang
    try:
        return client().authorize_redirect(portal_url(url_for("auth.callback")), ui_locales=lang)
    except (RequestException, AuthlibBaseError, JoseError, ValueError):
        current_app.logger.exception("identity provider not reachable")
        return render_template("auth/failed.html"), 502


@bp.get("/auth/callback")
@limited("sign_in")  # starts and callbacks share one budget per client address
def callback() -> ResponseReturnValue:
    """The provider's answer: Authlib checks state, sends the PKCE verifier, verifies the ID token
    (signature, issuer, audience, expiry, nonce); anything wrong leaves the visitor signed out."""
    lang = session.get("sign_in_lang", "fi")
    try:
        token = client().authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            raise ValueError("no verified ID token")
        endpoint = client().load_server_metadata().get("userinfo_endpoint")
        if endpoint:
            extra = dict(client().userinfo(token=token))
            if extra.get("sub") != claims["sub"]:
                raise ValueError("userinfo is about someone else")
            claims = extra | claims
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError, LookupError):
        current_app.logger.warning("sign-in failed", exc_info=True)
        session.pop("person_id", None)
        use_language(lang)  # the page, its <html lang> and switcher in the language the sign-in began in
        with force_locale(lang):
            return render_template("auth/failed.html", lang_code=lang), 400
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


def end_provider_session(id_token: str | None, lang: str, back_to: str) -> ResponseReturnValue:
    """After the portal's own session has ended: the provider's end-session endpoint (RP-initiated logout,
    with id_token_hint and post_logout_redirect_uri ``back_to``), which ends its single sign-on session and
    returns to ``back_to``; straight to ``back_to`` when the provider has no such endpoint. Without it the
    next "Sign in" on a shared computer would let the provider sign in the previous person again."""
    if not sign_in_available():
        return redirect(back_to)
    try:
        endpoint = client().load_server_metadata().get("end_session_endpoint")
    except (RequestException, AuthlibBaseError, ValueError):
        current_app.logger.warning("identity provider not reachable for sign-out", exc_info=True)
        endpoint = None
    if not endpoint:
        return redirect(back_to)
    return client().logout_redirect(post_logout_redirect_uri=back_to, id_token_hint=id_token, ui_locales=lang)
