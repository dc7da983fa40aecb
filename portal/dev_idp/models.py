"""The development provider's state in the portal's database, so that every process and machine of the portal
sees the same codes, tokens and single sign-on sessions (issue 17: with two workers, a code issued by one was
unknown to the other). Codes, tokens and sign-on ids are stored only as SHA-256 digests; ``sub`` is the subject
of one of the made-up test people of people.yaml or staff.yaml. Times are seconds since the epoch. Rows are
deleted when they end (see provider.Store); in production the provider is off and the tables stay empty."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DevIdpCode(db.Model):
    """An authorization code: what it was issued for, and whether it has been redeemed (``used``, set by one
    guarded UPDATE, so a second redemption fails even in another process). A used code is kept until
    ``kept_until`` so that a replay revokes the tokens issued for it and its nonce cannot be used again."""

    __tablename__ = "dev_idp_code"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    sub: Mapped[str] = mapped_column(String(200))
    nonce: Mapped[str | None] = mapped_column(String(255), nullable=True)
    auth_time: Mapped[int] = mapped_column(Integer)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[float] = mapped_column(Float(precision=53))
    kept_until: Mapped[float] = mapped_column(Float(precision=53), index=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    __table_args__ = (Index("ix_dev_idp_code_client_id_nonce", "client_id", "nonce"),)


class DevIdpToken(db.Model):
    """An access token: for whom (``sub``), which client and scope, until when, whether revoked, and the code it
    was issued for (its digest)."""

    __tablename__ = "dev_idp_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    sub: Mapped[str] = mapped_column(String(200), index=True)
    scope: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[float] = mapped_column(Float(precision=53))
    expires_in: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float(precision=53), index=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)


class DevIdpSignOn(db.Model):
    """The provider's single sign-on session of one browser (the digest of its cookie's random id)."""

    __tablename__ = "dev_idp_sign_on"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    sub: Mapped[str] = mapped_column(String(200))
    auth_time: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float(precision=53), index=True)
