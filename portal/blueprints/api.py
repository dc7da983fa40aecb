"""Open JSON API, version 1 (described by /api/v1/openapi.json). Filled in by the API module."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi() -> dict:
    return {"openapi": "3.1.0", "info": {"title": "Polku API", "version": "1"}, "paths": {}}
