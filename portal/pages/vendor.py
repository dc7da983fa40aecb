"""Serves front-end libraries installed by `npm ci` from node_modules, without committing them."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from flask.typing import ResponseReturnValue

bp = Blueprint("vendor", __name__, url_prefix="/vendor")
# Only these package folders are public; everything else in node_modules stays private.
ALLOWED = {"leaflet": "leaflet/dist"}


@bp.get("/<package>/<path:filename>")
def asset(package: str, filename: str) -> ResponseReturnValue:
    folder = ALLOWED.get(package)
    if folder is None:
        abort(404)
    root = Path(current_app.config["NODE_MODULES"]) / folder
    return send_from_directory(root, filename, max_age=86400)
