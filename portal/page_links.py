"""Addresses every page writes (the layout's links, style sheets and script, a plan page's own links), built with
url_for once per process instead of on every page.

url_for walks the blueprint's URL defaults and builds the rule each time, some 10-25 µs an address (a static file
also stats its file for its ``?v=`` version, portal/static_files.py), and a plan page writes some twenty of these
addresses that are the same on every request in its language. The address is kept under everything url_for's
answer depends on: the endpoint and its values, the page's language (which URL defaults put in), the host and
the path the app is served under; a static file's under its modification time as well, as static_files.py's
version is, so an edited file gets its new version at once. Kept per app (its URL map), emptied when full.
An address that depends on the request itself (a ``next`` of this page, the language switch) is not for these.
"""

from __future__ import annotations

import os
from typing import Any

from flask import current_app, g, has_request_context, request, url_for

LINKS_KEPT = 2048  # languages x endpoints x the few values they take (events, tasks, files)


def _kept(key: tuple[Any, ...], endpoint: str, values: dict[str, Any]) -> str:
    links: dict[tuple[Any, ...], str] = current_app.extensions.setdefault("polku_page_links", {})
    url = links.get(key)
    if url is None:
        if len(links) >= LINKS_KEPT:
            links.clear()
        url = links[key] = url_for(endpoint, **values)
    return url


def fixed_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)``, built once per process for the page's language (see the module's doc).
    Outside a language's pages (no language in the address) it is url_for each time: the language comes from
    the browser there; and outside a request (a page rendered for an e-mail or a command)."""
    lang = g.get("lang_code") if has_request_context() else None
    if lang is None or endpoint == "static":
        return url_for(endpoint, **values)
    key = (endpoint, tuple(values.items()), lang, request.host, request.script_root)
    try:
        return _kept(key, endpoint, values)
    except TypeError:  # a value that cannot be a key (a list): url_for each time
        return url_for(endpoint, **values)


def asset_url(filename: str) -> str:
    """``url_for('static', filename=filename)`` with its version, built again when the file's modification time
    changes (see the module's doc)."""
    if not has_request_context():
        return url_for("static", filename=filename)
    try:
        modified = os.stat(os.path.join(current_app.static_folder or "", filename)).st_mtime
    except OSError:
        return url_for("static", filename=filename)
    key = ("static", filename, modified, request.host, request.script_root)
    return _kept(key, "static", {"filename": filename})
