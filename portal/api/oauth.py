"""OAuth 2.0 client credentials for the organisers' systems (issue 15): an ECEC system such as eVaka or a booking
system gets a short-lived bearer token at ``POST /api/v2/oauth/token`` and writes availability, prices and
appointment times with it.

Why these choices:
- the clients are configuration, not data a page edits: a YAML file (``API_CLIENTS_FILE``) names each client, the
  hash of its secret (never the secret), the organiser roles and organisations or units it acts for, and its
  scopes. What it may touch is worked out exactly as for a staff person (``organisers.access``), so a client and
  a person of the same organisation see the same units;
- tokens are signed JWTs (HS256 with a key derived from SECRET_KEY), valid for TOKEN_SECONDS: every process of
  the portal can check one without a token table, and a client whose entry is removed stops working within the
  token's lifetime (its entry is looked up again on every call);
- Authlib does the protocol: its ``AuthorizationServer`` with the client credentials grant issues the tokens, its
  ``ResourceProtector`` checks them and their scopes on every write.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import yaml
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant
from authlib.oauth2.rfc6750 import BearerTokenValidator
from flask import Flask, Response, current_app, g
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from werkzeug.security import check_password_hash

from configurator.i18n import N_

from ..extensions import db
from ..organisers.access import actor_for
from ..organisers.actor import Actor
from .problems import problem_response, translate

SCOPES = {
    "availability": N_("Read and change free places and queues."),
    "prices": N_("Read and change unit prices."),
    "appointment-times": N_("Read, add and cancel appointment times."),
}
TOKEN_SECONDS = 900
AUDIENCE = "polku-api"
DEMO_CLIENTS = Path(__file__).with_name("demo_clients.yaml")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ApiClient(ClientMixin):  # type: ignore[misc]
    """One organiser system, as the clients file names it."""

    client_id: str
    name: str
    secret_hash: str
    roles: tuple[str, ...]
    organisations: tuple[str, ...]
    units: tuple[int, ...]
    scopes: tuple[str, ...]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return " ".join(self.scopes)
        return " ".join(s for s in scope.split() if s in self.scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return False

    def check_client_secret(self, client_secret: str) -> bool:
        return check_password_hash(self.secret_hash, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint == "token" and method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return False

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "client_credentials"

    def staff(self) -> dict[str, Any]:
        """The client as ``organisers.access`` reads a staff person (so both are scoped by one rule)."""
        return {
            "issuer": "api-client",
            "sub": self.client_id,
            "name": self.name,
            "roles": list(self.roles),
            "organisations": list(self.organisations),
            "units": list(self.units),
        }


class ClientsFileError(ValueError):
    pass


def load_clients(path: Path) -> dict[str, ApiClient]:
    """The clients of a YAML file (``clients: [{client_id, name, secret_hash, roles, organisations, units,
    scopes}]``); a wrong entry stops the app at start, naming the file and the entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    clients: dict[str, ApiClient] = {}
    for index, entry in enumerate(data.get("clients") or []):
        where = f"{path}: clients[{index}]"
        try:
            client = ApiClient(
                client_id=str(entry["client_id"]),
                name=str(entry["name"]),
                secret_hash=str(entry["secret_hash"]),
                roles=tuple(entry.get("roles") or ()),
                organisations=tuple(str(o) for o in entry.get("organisations") or ()),
                units=tuple(int(u) for u in entry.get("units") or ()),
                scopes=tuple(entry.get("scopes") or ()),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ClientsFileError(f"{where}: {error!r}") from None
        unknown = set(client.scopes) - set(SCOPES)
        if unknown:
            raise ClientsFileError(f"{where}: unknown scopes {sorted(unknown)}")
        if client.client_id in clients:
            raise ClientsFileError(f"{where}: client_id {client.client_id!r} twice")
        clients[client.client_id] = client
    return clients


def clients() -> dict[str, ApiClient]:
    return current_app.extensions["polku.api_clients"]  # type: ignore[no-any-return]


def _signing_key() -> OctKey:
    raw = hmac.new(current_app.config["SECRET_KEY"].encode(), b"polku-api-tokens", hashlib.sha256).digest()
    return OctKey.import_key(raw)


CLAIMS = jwt.JWTClaimsRegistry(
    aud={"essential": True, "value": AUDIENCE}, exp={"essential": True}, client_id={"essential": True}
)


def issue_token(
    grant_type: str, client: ApiClient, user: Any = None, scope: str | None = None, **_: Any
) -> dict[str, Any]:
    """The token response of the client credentials grant: a signed JWT naming the client and its scopes."""
    now = int(time.time())
    scope = client.get_allowed_scope(scope)
    claims = {
        "iss": current_app.config.get("BASE_URL", ""),
        "aud": AUDIENCE,
        "sub": client.client_id,
        "client_id": client.client_id,
        "scope": scope,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "jti": secrets.token_urlsafe(12),
    }
    token = jwt.encode({"alg": "HS256", "typ": "at+jwt"}, claims, _signing_key(), algorithms=["HS256"])
    return {"token_type": "Bearer", "access_token": token, "expires_in": TOKEN_SECONDS, "scope": claims["scope"]}


class Token(dict[str, Any]):
    def get_scope(self) -> str:
        return str(self.get("scope", ""))

    def is_expired(self) -> bool:
        return int(self.get("exp", 0)) <= int(time.time())

    def is_revoked(self) -> bool:
        return self.get("client_id") not in clients()  # a client removed from the file is out at once


class SignedTokenValidator(BearerTokenValidator):  # type: ignore[misc]
    def authenticate_token(self, token_string: str) -> Token | None:
        try:
            token = jwt.decode(token_string, _signing_key(), algorithms=["HS256"])
            CLAIMS.validate(token.claims)
        except (JoseError, ValueError):
            return None
        return Token(token.claims)


server = AuthorizationServer()
protector = ResourceProtector()
protector.register_token_validator(SignedTokenValidator())


class Grant(ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


def init_oauth(app: Flask) -> None:
    path = app.config.get("API_CLIENTS_FILE") or (DEMO_CLIENTS if app.config.get("DEV_IDP_ENABLED") else None)
    app.extensions["polku.api_clients"] = load_clients(Path(path)) if path else {}
    server.init_app(app, query_client=lambda client_id: clients().get(client_id), save_token=lambda *a: None)
    server.register_grant(Grant)
    server.register_token_generator("client_credentials", issue_token)


UNAUTHORIZED = N_("Send a valid bearer token from /api/v2/oauth/token.")
FORBIDDEN_SCOPE = N_("The token does not have the scope {scope}.")


def client_required(scope: str) -> Callable[[F], F]:
    """A write or read of the organisers' API: a valid token with ``scope``. ``g.actor`` is the client with its
    units, for the same write services and audit as the organiser pages (channel "api")."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                token = protector.acquire_token([scope])
            except OAuth2Error as error:
                if error.error == "insufficient_scope":
                    return problem_response(403, translate(FORBIDDEN_SCOPE, {"scope": scope}))
                return problem_response(
                    401, translate(UNAUTHORIZED), headers={"WWW-Authenticate": 'Bearer realm="polku-api"'}
                )
            client = clients()[token["client_id"]]
            g.api_client = client
            g.actor = api_actor(client)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def api_actor(client: ApiClient) -> Actor:
    return actor_for(db.session, client.staff())


def token_response() -> Response:
    return server.create_token_response()  # type: ignore[no-any-return]
