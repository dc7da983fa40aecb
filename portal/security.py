"""Security headers: a strict Content-Security-Policy with no inline code, and the usual hardening."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, current_app


def tile_origin(tile_url: str) -> str | None:
    """The origin of the configured tile server, allowed as an image source; None when tiles are off."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy() -> str:
    images = ["'self'", "data:"]
    origin = tile_origin(current_app.config.get("MAP_TILE_URL", ""))
    if origin:
        images.append(origin)
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {' '.join(images)}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def add_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=(), payment=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)


def local_path(raw: str | None) -> str | None:
    """``raw`` if it is a path on this site (no scheme, host, '//', backslash or control characters), else
    None: where a form or the sign-in returns to must never send the visitor to another site."""
    if (raw and len(raw) <= 1000 and raw.startswith("/") and not raw.startswith(("//", "/\\"))
            and not any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in raw)):
        parts = urlsplit(raw)
        if not parts.scheme and not parts.netloc:
            return urlunsplit(("", "", parts.path, parts.query, ""))
    return None
