"""The portal's own static files (static/): cached by browsers for a year, under an address that changes when
the file does.

Without this every page asked again for its style sheets and script (a conditional request each, three per
page), which a citizen on a slow phone connection waits for before the page is shown. Every
``url_for('static', filename=...)`` gets ``?v=<the first 12 hex digits of the file's SHA-256>``; a request
that carries the current version is answered with ``Cache-Control: public, max-age=31536000``, any
other (an old version, none) with Flask's default (revalidate), so a changed file is never served stale.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, request

ONE_YEAR = 365 * 24 * 60 * 60


class StaticVersions:
    """Content hashes of the files under one folder, recomputed when a file's modification time changes
    (so `flask run --debug` serves edited files at once)."""

    def __init__(self, folder: str) -> None:
        self.folder = Path(folder).resolve()
        self._known: dict[str, tuple[float, str]] = {}

    def version(self, filename: str) -> str | None:
        path = (self.folder / filename).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        mtime = path.stat().st_mtime
        known = self._known.get(filename)
        if known is None or known[0] != mtime:
            known = (mtime, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self._known[filename] = known
        return known[1]


def init_static_files(app: Flask) -> None:
    if app.static_folder is None:
        return
    versions = StaticVersions(app.static_folder)
    default_max_age = app.get_send_file_max_age

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = versions.version(values["filename"])
            if version is not None:
                values["v"] = version

    def max_age(filename: str | None) -> int | None:
        if filename is not None and request.args.get("v") and request.args["v"] == versions.version(filename):
            return ONE_YEAR
        return default_max_age(filename)

    app.get_send_file_max_age = max_age  # type: ignore[method-assign]
