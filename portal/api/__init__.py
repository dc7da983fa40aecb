"""The open JSON API, version 2 (``/api/v2``, described by ``/api/v2/openapi.json``).

Why a package: the API is one capability with its own parts: the models that are its contract
(``models``, ``types``), the problem details it answers errors with (``problems``), what its operations do
(``services``, ``serialize``), the views (``routes``) and the document generated from the models
(``openapi``). Version 1 is gone: its hand-written document had drifted from its serializers.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v2")

from . import organiser_routes, routes  # noqa: E402, F401 - the views register themselves on bp, so it must exist first
