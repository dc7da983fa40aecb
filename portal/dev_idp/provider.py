"""The development OpenID Connect provider, built on Authlib's provider side: the one registered client, the
authorization code grant with OpenID Connect and PKCE (S256 only), the userinfo and end-session endpoints,
the signing key, and the storage of codes, tokens and single sign-on sessions in the portal's database
(portal/dev_idp/models.py), so that a sign-in started in one process or machine can end in another. Every
storage call runs on a connection of its own and commits at once; a code is redeemed by one guarded UPDATE,
so it works once even when two processes race for it."""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, InvalidScopeError, TokenMixin
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6749.util import scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin, OpenIDCode, UserInfo, UserInfoEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import current_app, g
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import Connection, delete, exists, insert, select, update

from ..config import base_url, dev_idp_issuer
from ..extensions import db
from .models import DevIdpCode, DevIdpSignOn, DevIdpToken
from .people import Person
from .staff import StaffPerson

Anyone = Person | StaffPerson  # a citizen or a staff test person

SCOPES = ("openid", "profile", "address", "household", "company", "polku_staff")
CODE_LIFETIME = 5 * 60
ACCESS_TOKEN_LIFETIME = 60 * 60
ID_TOKEN_LIFETIME = 60 * 60
NONCE_MEMORY = 60 * 60  # a nonce used in a code is refused again for this long
SIGN_ON_LIFETIME = 8 * 60 * 60  # the provider's own single sign-on session, as real providers keep one
ALG = "RS256"


def issuer() -> str:
    """The configured issuer (DEV_IDP_ISSUER), never the request's Host header: it is in every ID token the
    portal believes, and a request naming another host must not make the provider speak for that host."""
    return dev_idp_issuer(current_app.config)


def callback_uri() -> str:
    """The only redirect URI: the portal's /auth/callback on its configured address (BASE_URL)."""
    return base_url(current_app.config) + "/auth/callback"


def portal_address() -> str:
    """The registered client's address: where it may be sent back to after signing out."""
    return base_url(current_app.config)


def same_origin(uri: str, base: str) -> bool:
    a, b = urlsplit(uri), urlsplit(base)
    return bool(a.scheme and a.netloc) and (a.scheme, a.netloc) == (b.scheme, b.netloc)


# ----- the signing key -----


def load_signing_key(path: Path) -> RSAKey:
    """The RSA signing key, kept in ``path`` (0600) so ID tokens survive a restart of `make run`; created once,
    atomically, when missing (parallel processes end up with the same key)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = RSAKey.generate_key(2048, private=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dev_idp_key.")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(key.as_pem(private=True))
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process won: use its key
        finally:
            os.unlink(tmp)
    key = RSAKey.import_key(path.read_bytes())
    if not key.is_private:
        raise ValueError(f"{path} holds no private key")
    return RSAKey.import_key(key.as_dict(private=True) | {"kid": key.thumbprint(), "use": "sig", "alg": ALG})


# ----- models -----


class Client(ClientMixin):
    """The portal, registered as a confidential client; its redirect URI is its own /auth/callback."""

    client_metadata: dict[str, Any] = {}

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # OpenID Connect: the request must name its redirect_uri

    def get_allowed_scope(self, scope: str | None) -> str:
        return " ".join(s for s in scope_to_list(scope or "") if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == callback_uri()

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post") if endpoint == "token" else True

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    sub: str
    nonce: str | None
    auth_time: int
    code_challenge: str
    code_challenge_method: str
    expires_at: float

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


@dataclass
class Token(TokenMixin):
    access_token: str
    client: Client
    user: Anyone
    scope: str
    issued_at: float
    expires_in: int
    revoked: bool = False

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> Anyone:
        return self.user

    def get_client(self) -> Client:
        return self.client


@dataclass(frozen=True)
class SignOn:
    """The provider's single sign-on session of one browser: who chose to sign in there, and when."""

    sub: str
    auth_time: int
    expires_at: float


def digest(secret: str) -> str:
    """What is stored of a code, token or sign-on id: its SHA-256, so the tables do not hold usable secrets."""
    return hashlib.sha256(secret.encode()).hexdigest()


CODES, TOKENS, SIGN_ONS = DevIdpCode.__table__, DevIdpToken.__table__, DevIdpSignOn.__table__


class Store:
    """Codes, tokens, used nonces and single sign-on sessions in the database, shared by every process. Each
    call is one short transaction on a connection of its own (never the request's session)."""

    def __init__(self, people: dict[str, Anyone], client: Client) -> None:
        self.people = people
        self.client = client

    @staticmethod
    def _prune(connection: Connection, now: float) -> None:
        connection.execute(delete(CODES).where(CODES.c.kept_until <= now))
        connection.execute(delete(TOKENS).where(TOKENS.c.expires_at <= now))
        connection.execute(delete(SIGN_ONS).where(SIGN_ONS.c.expires_at <= now))

    def start_sign_on(self, sub: str) -> str:
        """A new single sign-on session for ``sub``; its random id goes in the provider's cookie."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with db.engine.begin() as connection:
            self._prune(connection, now)
            connection.execute(
                insert(SIGN_ONS).values(
                    id_hash=digest(token), sub=sub, auth_time=int(now), expires_at=now + SIGN_ON_LIFETIME
                )
            )
        return token

    def sign_on(self, token: str) -> SignOn | None:
        with db.engine.connect() as connection:
            row = connection.execute(
                select(SIGN_ONS).where(SIGN_ONS.c.id_hash == digest(token), SIGN_ONS.c.expires_at > time.time())
            ).first()
        return SignOn(sub=row.sub, auth_time=row.auth_time, expires_at=row.expires_at) if row is not None else None

    def end_sign_on(self, token: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(SIGN_ONS).where(SIGN_ONS.c.id_hash == digest(token)))

    def save_code(self, item: AuthorizationCode) -> None:
        with db.engine.begin() as connection:
            self._prune(connection, time.time())
            connection.execute(
                insert(CODES).values(
                    code_hash=digest(item.code),
                    client_id=item.client_id,
                    redirect_uri=item.redirect_uri,
                    scope=item.scope,
                    sub=item.sub,
                    nonce=item.nonce,
                    auth_time=item.auth_time,
                    code_challenge=item.code_challenge,
                    code_challenge_method=item.code_challenge_method,
                    expires_at=item.expires_at,
                    # remembered after it ends, so that a replay is recognised and the nonce stays used
                    kept_until=item.expires_at + NONCE_MEMORY,
                    used=False,
                )
            )

    def take_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        """The code, once: taking it uses it up, whether the exchange then succeeds or not (one guarded UPDATE:
        of two processes redeeming it at once, one wins). A code used a second time revokes the tokens issued
        for it (RFC 6749, section 4.1.2)."""
        hashed = digest(code)
        with db.engine.begin() as connection:
            taken = connection.execute(
                update(CODES).where(CODES.c.code_hash == hashed, CODES.c.used.is_(False)).values(used=True)
            ).rowcount
            if taken != 1:
                connection.execute(update(TOKENS).where(TOKENS.c.code_hash == hashed).values(revoked=True))
                return None
            row = connection.execute(select(CODES).where(CODES.c.code_hash == hashed)).one()
        if row.client_id != client_id or row.expires_at <= time.time():
            return None
        return AuthorizationCode(
            code=code,
            client_id=row.client_id,
            redirect_uri=row.redirect_uri,
            scope=row.scope,
            sub=row.sub,
            nonce=row.nonce,
            auth_time=row.auth_time,
            code_challenge=row.code_challenge,
            code_challenge_method=row.code_challenge_method,
            expires_at=row.expires_at,
        )

    def nonce_used(self, client_id: str, nonce: str) -> bool:
        with db.engine.connect() as connection:
            return bool(
                connection.scalar(
                    select(
                        exists().where(
                            CODES.c.client_id == client_id, CODES.c.nonce == nonce, CODES.c.kept_until > time.time()
                        )
                    )
                )
            )

    def save_token(self, token: Token, code: AuthorizationCode | None) -> None:
        with db.engine.begin() as connection:
            self._prune(connection, time.time())
            connection.execute(
                insert(TOKENS).values(
                    token_hash=digest(token.access_token),
                    client_id=token.client.client_id,
                    sub=token.user.sub,
                    scope=token.scope,
                    issued_at=token.issued_at,
                    expires_in=token.expires_in,
                    expires_at=token.issued_at + token.expires_in,
                    revoked=token.revoked,
                    code_hash=digest(code.code) if code is not None else None,
                )
            )

    def get_token(self, value: str) -> Token | None:
        with db.engine.connect() as connection:
            row = connection.execute(select(TOKENS).where(TOKENS.c.token_hash == digest(value))).first()
        user = self.people.get(row.sub) if row is not None else None
        if row is None or user is None or row.client_id != self.client.client_id:
            return None
        return Token(
            access_token=value,
            client=self.client,
            user=user,
            scope=row.scope,
            issued_at=row.issued_at,
            expires_in=row.expires_in,
            revoked=row.revoked,
        )

    def revoke_tokens(self, client_id: str, sub: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                update(TOKENS).where(TOKENS.c.client_id == client_id, TOKENS.c.sub == sub).values(revoked=True)
            )


# ----- the grant and its extensions -----


class S256CodeChallenge(CodeChallenge):
    """PKCE is required of every authorization request, with the S256 method only."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE (RFC 7636) is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)


class DevOpenIDCode(OpenIDCode):
    def __init__(self, provider: DevProvider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return self.provider.store.nonce_used(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.key

    def get_client_algorithm(self, client: Client) -> str:
        return ALG

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": ALG, "kid": self.provider.key.kid, "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        now = int(time.time())
        return {"iss": issuer(), "aud": client.get_client_id(), "iat": now, "exp": now + ID_TOKEN_LIFETIME}

    def generate_user_info(self, user: Anyone, scope: str) -> UserInfo:
        return UserInfo(user.claims(scope_to_list(scope)))


def make_grant(provider: DevProvider) -> type[AuthorizationCodeGrant]:
    class DevAuthorizationCodeGrant(AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def validate_authorization_request(self) -> str:
            redirect_uri = super().validate_authorization_request()
            if "openid" not in scope_to_list(self.request.scope or ""):
                raise InvalidScopeError("The scope must include 'openid'.", redirect_uri=redirect_uri)
            return redirect_uri

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            provider.store.save_code(
                AuthorizationCode(
                    code=code,
                    client_id=request.client.get_client_id(),
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.scope,
                    sub=request.user.sub,
                    nonce=data.get("nonce"),
                    # when the person chose on the chooser: earlier, if the single sign-on session let them through
                    auth_time=g.get("dev_idp_auth_time") or int(time.time()),
                    code_challenge=data["code_challenge"],
                    code_challenge_method=data["code_challenge_method"],
                    expires_at=time.time() + CODE_LIFETIME,
                )
            )

        def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
            return provider.store.take_code(code, client.get_client_id())

        def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
            pass  # taken (used up) in query_authorization_code

        def authenticate_user(self, authorization_code: AuthorizationCode) -> Anyone | None:
            return provider.people.get(authorization_code.sub)

    return DevAuthorizationCodeGrant


class DevUserInfoEndpoint(UserInfoEndpoint):
    def generate_user_info(self, user: Anyone, scope: str) -> UserInfo:
        return UserInfo(user.claims(scope_to_list(scope)))

    def get_issuer(self) -> str:
        return issuer()


class DevBearerTokenValidator(BearerTokenValidator):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def authenticate_token(self, token_string: str) -> Token | None:
        return self.store.get_token(token_string)


def make_end_session(provider: DevProvider) -> type[EndSessionEndpoint]:
    class DevEndSessionEndpoint(EndSessionEndpoint):
        """RP-initiated logout: revokes the person's access tokens (the view ends the browser's single
        sign-on session and its cookie). It redirects back only to the portal's own origin (BASE_URL)."""

        def get_server_jwks(self) -> KeySet:
            return provider.public_key_set()

        def get_algorithms(self) -> list[str]:
            return [ALG]

        def _is_valid_post_logout_redirect_uri(self, client: Client, post_logout_redirect_uri: str) -> bool:
            return same_origin(post_logout_redirect_uri, portal_address())

        def is_post_logout_redirect_uri_legitimate(
            self, request: Any, post_logout_redirect_uri: str, client: Client, logout_hint: str | None
        ) -> bool:
            return same_origin(post_logout_redirect_uri, portal_address())

        def end_session(self, end_session_request: Any) -> None:
            claims = end_session_request.id_token_claims
            if claims and end_session_request.client is not None:
                provider.store.revoke_tokens(end_session_request.client.get_client_id(), claims.get("sub", ""))

    return DevEndSessionEndpoint


class DevProvider:
    """Everything of one app's development provider: people, client, key, storage and the Authlib server."""

    def __init__(self, people: dict[str, Anyone], client_id: str, client_secret: str, key: RSAKey) -> None:
        self.people = people
        self.client = Client(client_id, client_secret)
        self.key = key
        self.store = Store(people, self.client)
        self.server = AuthorizationServer(query_client=self.query_client, save_token=self.save_token)
        self.server.load_config({"OAUTH2_TOKEN_EXPIRES_IN": {"authorization_code": ACCESS_TOKEN_LIFETIME}})
        self.server.scopes_supported = list(SCOPES)
        self.server.register_grant(make_grant(self), [DevOpenIDCode(self), S256CodeChallenge(required=True)])
        protector = ResourceProtector()
        protector.register_token_validator(DevBearerTokenValidator(self.store))
        self.server.register_endpoint(DevUserInfoEndpoint(resource_protector=protector))
        self.server.register_endpoint(make_end_session(self))

    def query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == self.client.client_id else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        self.store.save_token(
            Token(
                access_token=token["access_token"],
                client=request.client,
                user=request.user,
                scope=token.get("scope", ""),
                issued_at=time.time(),
                expires_in=int(token["expires_in"]),
            ),
            request.authorization_code,
        )

    def public_key_set(self) -> KeySet:
        return KeySet([RSAKey.import_key(self.key.as_dict(private=False))])

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}
