"""An embedded development OpenID Connect provider at /dev-idp, for `make run` and the tests; never in production.

The portal signs in against it with the real protocol (authorization code flow with PKCE S256 and a nonce, the
token and JWKS endpoints over HTTP). Its test people come from people.yaml; the tester picks one on a chooser
page instead of authenticating. Codes and tokens live in memory (one process); the RSA signing key is kept in
``instance/dev_idp_key.pem`` (0600).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from authlib.oauth2 import OAuth2Error
from flask import Blueprint, Flask, current_app, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from ..i18n import use_language
from .people import LANGUAGES, Person, load_people
from .provider import ALG, SCOPES, DevProvider, issuer, load_signing_key

__all__ = ["bp", "init_dev_idp", "issuer"]

bp = Blueprint("dev_idp", __name__, url_prefix="/dev-idp", static_folder="static")

EXTENSION = "polku.dev_idp"
CLAIMS = ("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "name", "given_name", "family_name",
          "birthdate", "locale", "address", "workplace", "household", "company_roles")
# Errors a client asked for with prompt=none: they go back to the (validated) redirect URI, per OIDC Core 3.1.2.6.
INTERACTION_ERRORS = ("login_required", "consent_required", "account_selection_required", "interaction_required")


def init_dev_idp(app: Flask) -> None:
    """Register the provider when DEV_IDP_ENABLED (development and tests only); people.yaml is validated here."""
    if not app.config.get("DEV_IDP_ENABLED"):
        return
    from ..extensions import csrf

    people = load_people(Path(app.config.get("DEV_IDP_PEOPLE") or Path(__file__).with_name("people.yaml")))
    key = load_signing_key(Path(app.config.get("DEV_IDP_KEY_FILE") or Path(app.instance_path) / "dev_idp_key.pem"))
    app.extensions[EXTENSION] = DevProvider(
        people, app.config["DEV_IDP_CLIENT_ID"], app.config["DEV_IDP_CLIENT_SECRET"], key)
    app.register_blueprint(bp)
    # Server-to-server endpoints (client or bearer authentication), and the logout the client's page links to.
    # The chooser's POST to /dev-idp/authorize keeps its CSRF token.
    for view in (token, userinfo, logout):
        csrf.exempt(view)


def provider() -> DevProvider:
    return current_app.extensions[EXTENSION]


def _language(ui_locales: str | None) -> str:
    """The first language of ui_locales ('sv fi', 'en-GB') the portal speaks, else the browser's."""
    for tag in (ui_locales or "").split():
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    from ..i18n import select_language

    return select_language()


def _render(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    """Render in the language of ui_locales, with <html lang> to match."""
    lang = _language(request.values.get("ui_locales"))
    use_language(lang)
    with force_locale(lang):
        return render_template(template, lang=lang, **context), status


# ----- discovery and keys -----

@bp.get("/.well-known/openid-configuration")
def discovery() -> ResponseReturnValue:
    base = issuer()
    return jsonify({
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
    })


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


def _chooser(grant: Any, status: int = 200, chosen: str | None = None, missing: bool = False) -> ResponseReturnValue:
    scopes = set((grant.request.scope or "").split())
    return _render(
        "dev_idp/authorize.html", status,
        people=list(provider().people.values()), chosen=chosen, missing=missing, errors=missing,
        scopes=[scope for scope in SCOPES if scope in scopes and scope != "openid"],
        action=url_for("dev_idp.authorize") + ("?" + request.query_string.decode() if request.query_string else ""),
    )


@bp.route("/authorize", methods=["GET", "POST"])
def authorize() -> ResponseReturnValue:
    """GET validates the authorization request and shows the chooser; POST (the chooser's form, with its CSRF
    token; the request's parameters stay in the query) issues a code, or access_denied on Cancel."""
    server = provider().server
    try:
        grant = server.get_consent_grant(end_user=None)
    except OAuth2Error as error:
        return _authorization_error(error)
    if request.method == "GET":
        return _chooser(grant)
    if request.form.get("action") == "cancel":
        return server.create_authorization_response(grant=grant, grant_user=None)
    person: Person | None = provider().people.get(request.form.get("person", ""))
    if person is None:
        return _chooser(grant, missing=True)
    return server.create_authorization_response(grant=grant, grant_user=person)


# ----- token, userinfo, logout -----

@bp.post("/token")
def token() -> ResponseReturnValue:
    return provider().server.create_token_response()


@bp.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> ResponseReturnValue:
    return provider().server.create_endpoint_response("userinfo")


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> ResponseReturnValue:
    """RP-initiated logout: back to post_logout_redirect_uri (with state) when it is on the issuer's origin,
    otherwise, or when the request is not valid (e.g. an id_token_hint this provider did not sign), a page."""
    server = provider().server
    try:
        end_session = server.validate_endpoint_request("end_session")
    except OAuth2Error:
        end_session = None
    if end_session is not None:
        response = server.create_endpoint_response("end_session", end_session)
        if response is not None:
            return response
    return _render("dev_idp/signed_out.html")
