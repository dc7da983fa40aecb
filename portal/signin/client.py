"""The portal's OpenID Connect client (Authlib): which provider, its registration, and RP-initiated logout.

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
from flask import current_app, redirect
from flask.typing import ResponseReturnValue
from requests.exceptions import RequestException

from ..config import base_url, dev_idp_issuer

oauth = OAuth()


KINDS = ("citizen", "staff")
# The settings of each kind of sign-in: citizens through Suomi.fi (OIDC_*), staff through their organisation's
# provider (STAFF_OIDC_*). One registry (``oauth``), one registration per provider and kind.
PREFIX = {"citizen": "OIDC_", "staff": "STAFF_OIDC_"}


def issuer(kind: str = "citizen") -> str | None:
    """The configured provider of this kind, else the development provider (outside production) at DEV_IDP_ISSUER:
    always from configuration, never from the request's Host header, since the portal sends its client secret
    there and believes the tokens it answers with. The development provider serves staff too."""
    configured = current_app.config.get(PREFIX[kind] + "ISSUER")
    if configured:
        return str(configured).rstrip("/")
    if current_app.config.get("DEV_IDP_ENABLED"):
        return dev_idp_issuer(current_app.config)
    return None


def portal_url(path: str) -> str:
    """An absolute address of ``path`` on the portal, on BASE_URL: the redirect URI and the address to return
    to after sign-out are given to the provider, so a forged Host header must not change them."""
    return base_url(current_app.config) + path


def sign_in_available(kind: str = "citizen") -> bool:
    return issuer(kind) is not None


def client(kind: str = "citizen") -> Any:
    """The Authlib client for the current issuer of this kind, registered on first use (metadata by discovery)."""
    url = issuer(kind)
    if url is None:
        raise LookupError("no identity provider configured")
    config = current_app.config
    prefix = PREFIX[kind]
    name = f"{kind}_" + hashlib.sha256(url.encode()).hexdigest()[:12]
    found = oauth.create_client(name)
    if found is not None:
        return found
    dev = not config.get(prefix + "ISSUER")
    return oauth.register(
        name=name,
        client_id=config["DEV_IDP_CLIENT_ID"] if dev else config[prefix + "CLIENT_ID"],
        client_secret=config["DEV_IDP_CLIENT_SECRET"] if dev else config[prefix + "CLIENT_SECRET"],
        server_metadata_url=f"{url}/.well-known/openid-configuration",
        client_kwargs={
            "scope": config[prefix + "SCOPE"],
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": config[prefix + "TOKEN_ENDPOINT_AUTH_METHOD"],
            "timeout": 10,
        },
    )


def end_provider_session(id_token: str | None, lang: str, back_to: str, kind: str = "citizen") -> ResponseReturnValue:
    """After the portal's own session has ended: the provider's end-session endpoint (RP-initiated logout,
    with id_token_hint and post_logout_redirect_uri ``back_to``), which ends its single sign-on session and
    returns to ``back_to``; straight to ``back_to`` when the provider has no such endpoint. Without it the
    next "Sign in" on a shared computer would let the provider sign in the previous person again."""
    if not sign_in_available(kind):
        return redirect(back_to)
    try:
        endpoint = client(kind).load_server_metadata().get("end_session_endpoint")
    except (RequestException, AuthlibBaseError, ValueError):
        current_app.logger.warning("identity provider not reachable for sign-out", exc_info=True)
        endpoint = None
    if not endpoint:
        return redirect(back_to)
    return client(kind).logout_redirect(post_logout_redirect_uri=back_to, id_token_hint=id_token, ui_locales=lang)
