"""Signing in: the OpenID Connect client (``client``), its routes (``views``, blueprint "auth"), the account
behind a sign-in (``services``) and the claims as a profile (``claims``). The development provider it signs in
against outside production is ``portal/dev_idp``, beside this package: it stands in for the external provider
and talks to this client only over HTTP, as Suomi.fi would."""

from __future__ import annotations

from flask import Flask

from .client import oauth
from .views import bp


def init_signin(app: Flask) -> None:
    """The OAuth registry and the sign-in routes."""
    oauth.init_app(app)
    app.register_blueprint(bp)


__all__ = ["bp", "init_signin"]
