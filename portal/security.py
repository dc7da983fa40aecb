"""Security headers: a strict Content-Security-Policy with no inline code, and the usual hardening."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import Flask, Response, abort, current_app, g, redirect, request
from flask.typing import ResponseReturnValue
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

# The health checks (portal/health.py) answer whatever the Host and the scheme: a load balancer or an orchestrator
# asks the machine by its own address over plain HTTP, and must get the real answer, not a 400 or a redirect
# (Kubernetes counts any status below 400 as healthy, so a 308 would hide a dead database). They show nothing
# that depends on the Host.
UNGUARDED_ENDPOINTS = frozenset({"health.healthz", "health.readyz"})


def tile_origin(tile_url: str) -> str | None:
    """The origin of the configured tile server, allowed as an image source; None when tiles are off."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url.replace("{s}", "a"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def origin_of(url: str | None) -> str | None:
    """scheme://host[:port] of an absolute http(s) URL, else None."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def content_security_policy() -> str:
    """Nothing is allowed by default ('none'); each kind of resource the pages use is added back from this
    site only. Forms may also go to the identity provider's origin: signing out is a form that the portal
    redirects to the provider's end-session endpoint, and Chromium applies form-action to that redirect, so
    with 'self' alone the provider's single sign-on session was never ended."""
    images = ["'self'", "data:"]
    tiles = tile_origin(current_app.config.get("MAP_TILE_URL", ""))
    if tiles:
        images.append(tiles)
    forms = ["'self'"]
    config = current_app.config
    provider = origin_of(
        config.get("OIDC_ISSUER") or (config.get("DEV_IDP_ISSUER") if config.get("DEV_IDP_ENABLED") else None)
    )
    if provider:
        forms.append(provider)
    # A view whose forms are answered by a redirect elsewhere names that origin (the development provider's
    # chooser, which returns to the portal's callback when the two are on different origins).
    forms += [origin for origin in g.get("form_action_origins", ()) if origin and origin not in forms]
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {' '.join(images)}",
            "connect-src 'self'",
            "manifest-src 'self'",
            "base-uri 'none'",
            f"form-action {' '.join(forms)}",
            "frame-ancestors 'none'",
        ]
    )


def strict_transport_security() -> str | None:
    """HSTS once the site is served over TLS (a secure session cookie says so); preload only when asked for,
    as a preload listing is hard to undo."""
    config = current_app.config
    if not (config.get("SESSION_COOKIE_SECURE") or config.get("FORCE_HTTPS")):
        return None
    value = "max-age=63072000; includeSubDomains"
    return value + "; preload" if config.get("HSTS_PRELOAD") else value


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers["Content-Security-Policy"] = content_security_policy()
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=(), payment=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    hsts = strict_transport_security()
    if hsts:
        headers["Strict-Transport-Security"] = hsts
    return response


def refuse_other_hosts() -> None:
    """With ALLOWED_HOSTS (POLKU_ALLOWED_HOSTS; in production by default the host of POLKU_BASE_URL), a request
    for another Host gets 400 before anything reads the host: no page, redirect or link is built on a forged one.
    Flask 3.1's TRUSTED_HOSTS does the same check, but before routing, where the health checks cannot be let
    through; the port is not compared (a load balancer may add it)."""
    allowed = current_app.config.get("ALLOWED_HOSTS")
    if not allowed or request.endpoint in UNGUARDED_ENDPOINTS:
        return
    if not host_is_trusted(request.environ.get("HTTP_HOST") or request.environ.get("SERVER_NAME"), allowed):
        current_app.logger.warning("refused a request for the host %r", (request.environ.get("HTTP_HOST") or "")[:100])
        abort(400)


def redirect_to_https() -> ResponseReturnValue | None:
    """With FORCE_HTTPS, a plain-HTTP request is sent to the same address over HTTPS (308 keeps a POST a POST).
    Behind a TLS proxy, TRUSTED_PROXIES must count the proxies so that the scheme they forward is believed."""
    if request.endpoint in UNGUARDED_ENDPOINTS:
        return None
    if current_app.config.get("FORCE_HTTPS") and not request.is_secure:
        return redirect(request.url.replace("http://", "https://", 1), code=308)
    return None


def init_security(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    # first of all (after the request id, portal/logs.py): before the redirect, which is built on the host
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_other_hosts)
    app.before_request(redirect_to_https)
    app.after_request(add_security_headers)


def local_path(raw: str | None) -> str | None:
    """``raw`` if it is a path on this site (no scheme, host, '//', backslash or control characters), else
    None: where a form or the sign-in returns to must never send the visitor to another site."""
    if (
        raw
        and len(raw) <= 1000
        and raw.startswith("/")
        and not raw.startswith(("//", "/\\"))
        and not any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in raw)
    ):
        parts = urlsplit(raw)
        if not parts.scheme and not parts.netloc:
            return urlunsplit(("", "", parts.path, parts.query, ""))
    return None
