"""Security headers: a strict Content-Security-Policy with no inline code, and the usual hardening."""
from __future__ import annotations

from urllib.parse import urlsplit

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
