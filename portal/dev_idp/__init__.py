"""An embedded development OpenID Connect provider at /dev-idp, for `make run` and the tests; never in production.

The portal signs in against it with the real protocol (authorization code flow with PKCE S256 and a nonce, the
token and JWKS endpoints over HTTP). Its test people come from people.yaml; the tester picks one on a chooser
page instead of authenticating. Like a real provider it then keeps a single sign-on session of its own (a cookie
on its origin, path /dev-idp): the next sign-in in that browser passes straight through as the same person,
until the portal's sign-out sends the browser to the end-session endpoint, which ends it. Its issuer is
DEV_IDP_ISSUER (configuration, never the request's Host), and it may be served on another origin than the
portal's BASE_URL. Codes, tokens and sign-on sessions live in the portal's database (models.py), so that every
process and machine of the portal shares them; the RSA signing key is kept in ``instance/dev_idp_key.pem``
(0600), or DEV_IDP_KEY_FILE, which several machines must then share.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Flask, Response, current_app, g, jsonify, make_response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from ..config import base_url, dev_idp_issuer
from ..extensions import csrf
from ..i18n import select_language, use_language
from ..security import origin_of
from .people import LANGUAGES, load_people
from .provider import ALG, SCOPES, SIGN_ON_LIFETIME, Anyone, DevProvider, SignOn, issuer, load_signing_key
from .staff import STAFF_SCOPE, StaffPerson, load_staff

__all__ = ["bp", "init_dev_idp", "issuer"]

bp = Blueprint("dev_idp", __name__, url_prefix="/dev-idp", static_folder="static")

EXTENSION = "polku.dev_idp"
SIGN_ON_COOKIE = "dev_idp_sign_on"  # the provider's single sign-on session; path /dev-idp on its own origin
CLAIMS = (
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "at_hash",
    "name",
    "given_name",
    "family_name",
    "birthdate",
    "locale",
    "address",
    "workplace",
    "household",
    "company_roles",
    "polku_roles",
    "polku_organisations",
    "polku_units",
)
# Errors a client asked for with prompt=none: they go back to the (validated) redirect URI, per OIDC Core 3.1.2.6.
INTERACTION_ERRORS = ("login_required", "consent_required", "account_selection_required", "interaction_required")


def init_dev_idp(app: Flask) -> None:
    """Register the provider when DEV_IDP_ENABLED (development and tests only); people.yaml is validated here."""
    if not app.config.get("DEV_IDP_ENABLED"):
        return
    configured = dev_idp_issuer(app.config)
    if urlsplit(configured).path != bp.url_prefix or not origin_of(configured):
        raise ValueError(f"DEV_IDP_ISSUER must be an http(s) origin followed by {bp.url_prefix}, not {configured!r}")

    people: dict[str, Anyone] = dict(
        load_people(Path(app.config.get("DEV_IDP_PEOPLE") or Path(__file__).with_name("people.yaml")))
    )
    people |= load_staff(Path(app.config.get("DEV_IDP_STAFF") or Path(__file__).with_name("staff.yaml")))
    key = load_signing_key(Path(app.config.get("DEV_IDP_KEY_FILE") or Path(app.instance_path) / "dev_idp_key.pem"))
    app.extensions[EXTENSION] = DevProvider(
        people, app.config["DEV_IDP_CLIENT_ID"], app.config["DEV_IDP_CLIENT_SECRET"], key
    )
    app.register_blueprint(bp)
    # Server-to-server endpoints (client or bearer authentication), and the logout the client's page links to.
    # The chooser's POST to /dev-idp/authorize keeps its CSRF token.
    for view in (token, userinfo, logout):
        csrf.exempt(view)


def provider() -> DevProvider:
    return current_app.extensions[EXTENSION]


@bp.before_request
def allow_forms_back_to_the_portal() -> None:
    """The chooser's form is answered with a redirect to the portal's callback, and Chromium checks redirects
    of a form against form-action: on the provider's pages it must name the portal's origin too when the
    provider is on another one (portal/security.py reads this)."""
    g.form_action_origins = (origin_of(base_url(current_app.config)),)


def _language(ui_locales: str | None) -> str:
    """The first language of ui_locales ('sv fi', 'en-GB') the portal speaks, else the browser's."""
    for tag in (ui_locales or "").split():
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return select_language()


def _render(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    """Render in the language of ui_locales, with <html lang> to match."""
    lang = _language(request.values.get("ui_locales"))
    use_language(lang)
    with force_locale(lang):
        portal_home = base_url(current_app.config) + url_for("pages.home", lang_code=lang)
        return render_template(template, lang=lang, portal_home=portal_home, **context), status


# ----- the single sign-on session -----


def _signed_on() -> tuple[Anyone, SignOn] | None:
    """The person of this browser's single sign-on session, if it has one that has not ended."""
    token = request.cookies.get(SIGN_ON_COOKIE)
    sign_on = provider().store.sign_on(token) if token else None
    person = provider().people.get(sign_on.sub) if sign_on is not None else None
    return (person, sign_on) if person is not None and sign_on is not None else None


def _cookie_options() -> dict[str, Any]:
    """Host-only (no Domain), on the provider's own path, HttpOnly; Secure when the issuer is https. Lax, so
    that it comes with the top-level redirects from the portal to /authorize and /logout."""
    return {"path": bp.url_prefix, "secure": issuer().startswith("https:"), "httponly": True, "samesite": "Lax"}


def _start_sign_on(response: Response, person: Anyone) -> Response:
    """After the person chose on the chooser: a new single sign-on session (the old one, if any, ends)."""
    old = request.cookies.get(SIGN_ON_COOKIE)
    if old:
        provider().store.end_sign_on(old)
    response.set_cookie(
        SIGN_ON_COOKIE, provider().store.start_sign_on(person.sub), max_age=SIGN_ON_LIFETIME, **_cookie_options()
    )
    return response


def _end_sign_on(response: Response) -> Response:
    token = request.cookies.get(SIGN_ON_COOKIE)
    if token:
        provider().store.end_sign_on(token)
    response.delete_cookie(SIGN_ON_COOKIE, **_cookie_options())
    return response


# ----- discovery and keys -----


@bp.get("/.well-known/openid-configuration")
def discovery() -> ResponseReturnValue:
    base = issuer()
    return jsonify(
        {
            "issuer": base,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "jwks_uri": base + "/jwks",
            "userinfo_endpoint": base + "/userinfo",
            "end_session_endpoint": base + "/logout",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [ALG],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(SCOPES),
            "claims_supported": list(CLAIMS),
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "ui_locales_supported": list(LANGUAGES),
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
        }
    )


@bp.get("/jwks")
def jwks() -> ResponseReturnValue:
    return jsonify(provider().jwks())


# ----- authorization: the person chooser -----


def _authorization_error(error: OAuth2Error) -> ResponseReturnValue:
    """An invalid authorization request gets an error page, never a redirect to a URI that was not checked.
    Only the prompt=none answers go back to the client (its redirect URI was validated by then)."""
    if error.error in INTERACTION_ERRORS and error.redirect_uri:
        return provider().server.handle_error_response(None, error)
    return _render("dev_idp/error.html", 400, error_code=error.error, error_description=error.description or "")


def _is_staff(person: Anyone) -> bool:
    return isinstance(person, StaffPerson)


def _wants_staff(grant: Any) -> bool:
    """The organiser sign-in asks for the polku_staff scope: it is offered staff people only, and citizens'
    sign-in citizens only, so neither can sign in as the other."""
    return STAFF_SCOPE in (grant.request.scope or "").split()


def _chooser(grant: Any, status: int = 200, chosen: str | None = None, missing: bool = False) -> ResponseReturnValue:
    scopes = set((grant.request.scope or "").split())
    return _render(
        "dev_idp/authorize.html",
        status,
        people=[person for person in provider().people.values() if _is_staff(person) == _wants_staff(grant)],
        chosen=chosen,
        missing=missing,
        errors=missing,
        scopes=[scope for scope in SCOPES if scope in scopes and scope != "openid"],
        action=url_for("dev_idp.authorize") + ("?" + request.query_string.decode() if request.query_string else ""),
    )


@bp.route("/authorize", methods=["GET", "POST"])
def authorize() -> ResponseReturnValue:
    """GET validates the authorization request; with a single sign-on session (and no prompt=login or
    select_account) it issues a code for that person at once, as a real provider does, else it shows the
    chooser. POST (the chooser's form, with its CSRF token; the request's parameters stay in the query) issues
    a code and starts a single sign-on session, or answers access_denied on Cancel."""
    server = provider().server
    signed_on = _signed_on() if request.method == "GET" else None
    try:
        grant = server.get_consent_grant(end_user=signed_on[0] if signed_on else None)
    except OAuth2Error as error:
        return _authorization_error(error)
    if request.method == "GET":
        if signed_on is not None and grant.prompt is None and _is_staff(signed_on[0]) == _wants_staff(grant):
            g.dev_idp_auth_time = signed_on[1].auth_time
            return server.create_authorization_response(grant=grant, grant_user=signed_on[0])
        return _chooser(grant)
    if request.form.get("action") == "cancel":
        return server.create_authorization_response(grant=grant, grant_user=None)
    person = provider().people.get(request.form.get("person", ""))
    if person is None or _is_staff(person) != _wants_staff(grant):
        return _chooser(grant, missing=True)
    return _start_sign_on(make_response(server.create_authorization_response(grant=grant, grant_user=person)), person)


# ----- token, userinfo, logout -----


@bp.post("/token")
def token() -> ResponseReturnValue:
    return provider().server.create_token_response()


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> ResponseReturnValue:
    return provider().server.create_endpoint_response("userinfo")


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    """RP-initiated logout: ends this browser's single sign-on session (and deletes its cookie) in every case;
    then back to post_logout_redirect_uri (with state) when it is on the portal's origin, otherwise, or when the
    request is not valid (e.g. an id_token_hint this provider did not sign), a page."""
    server = provider().server
    try:
        end_session = server.validate_endpoint_request("end_session")
    except OAuth2Error:
        end_session = None
    if end_session is not None:
        response = server.create_endpoint_response("end_session", end_session)
        if response is not None:
            return _end_sign_on(make_response(response))
    return _end_sign_on(make_response(_render("dev_idp/signed_out.html")))
