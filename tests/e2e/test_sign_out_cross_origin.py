"""Sign-in and sign-out in Chromium with the identity provider on another origin (issue 13, hole 2).

A real provider is never on the portal's origin. Here the same app is served twice: the portal at
http://127.0.0.1:<port A> (BASE_URL) and the development provider at http://localhost:<port B>/dev-idp
(DEV_IDP_ISSUER): another host and port, so another origin and site, with cookies of its own. Sign-out is a
form whose answer is a redirect to the provider's end-session endpoint; with `form-action 'self'` alone
Chromium refused that redirect, the provider's single sign-on session lived on, and the next "Sign in" on the
same computer signed the previous person straight in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from tests.accessibility.axe_support import BROWSER_LOCALES, DESKTOP, TIMEOUT_MS
from tests.conftest import build_app
from tests.e2e.journeys import PEOPLE, answer_welcome, choose_by_label, on_chooser

SIGN_ON_COOKIE = "dev_idp_sign_on"
# Written to the console by the init script below; a CSP violation is also logged by Chromium itself.
VIOLATION = "securitypolicyviolation"
INIT_SCRIPT = """document.addEventListener('securitypolicyviolation', e =>
  console.error('securitypolicyviolation ' + e.violatedDirective + ' ' + e.blockedURI));"""


@dataclass
class TwoOrigins:
    app: Flask
    portal: str  # http://127.0.0.1:<port A>
    provider: str  # http://localhost:<port B>


def serve(app: Flask) -> tuple[BaseWSGIServer, threading.Thread]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def two_origins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoOrigins]:
    """One app (one database, one provider), served on two ports; which one is "the provider" is configuration."""
    app = build_app(f"sqlite:///{tmp_path_factory.mktemp('two-origins') / 'polku-two-origins.db'}")
    portal, _ = serve(app)
    provider, _ = serve(app)
    origins = TwoOrigins(app, f"http://127.0.0.1:{portal.server_port}", f"http://localhost:{provider.server_port}")
    app.config.update(OIDC_ISSUER="", BASE_URL=origins.portal, DEV_IDP_ISSUER=f"{origins.provider}/dev-idp")
    try:
        yield origins
    finally:
        portal.shutdown()
        provider.shutdown()


@dataclass
class Watched:
    """A page, with the CSP violations and console errors of every document it showed, and every request."""

    page: Any
    context: Any
    messages: list[str]
    requests: list[str]

    def violations(self) -> list[str]:
        return [m for m in self.messages if VIOLATION in m or "Content Security Policy" in m]

    def sign_on_cookies(self, origins: TwoOrigins) -> list[dict[str, Any]]:
        return [c for c in self.context.cookies(f"{origins.provider}/dev-idp/") if c["name"] == SIGN_ON_COOKIE]


@pytest.fixture()
def watched(pw_browser: Any) -> Iterator[Watched]:
    context = pw_browser.new_context(
        locale=BROWSER_LOCALES["en"], viewport=DESKTOP, extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(INIT_SCRIPT)  # added by the DevTools protocol: the pages' CSP does not apply to it
    page = context.new_page()
    found = Watched(page, context, [], [])
    page.on(
        "console",
        lambda message: found.messages.append(f"{message.type}: {message.text}") if message.type == "error" else None,
    )
    context.on("request", lambda request: found.requests.append(request.url))
    try:
        yield found
    finally:
        context.close()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def wait_until(page: Any, condition: Any, seconds: float = 10) -> bool:
    """Poll ``condition``, letting Playwright deliver its events in between (a plain sleep would not)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        page.wait_for_timeout(100)
    return bool(condition())


def press_sign_in(watched: Watched, origins: TwoOrigins) -> None:
    """The header's "Sign in" link on the portal's front page; lands on the provider, or straight back."""
    page = watched.page
    page.goto(f"{origins.portal}/en/")
    page.locator(".account-nav a[href*='/sign-in']").click()
    wait_until(
        page,
        lambda: (
            on_chooser(page)
            or (origin_of(page.url) == origins.portal and "/sign-in" not in page.url and "/auth/" not in page.url)
        ),
    )
    page.wait_for_load_state()


def test_sign_in_and_sign_out_across_origins_end_the_providers_session(
    two_origins: TwoOrigins, watched: Watched
) -> None:
    page, origins = watched.page, two_origins

    # Sign in: the chooser is on the provider's origin, and its answer returns to the portal's.
    press_sign_in(watched, origins)
    assert on_chooser(page) and origin_of(page.url) == origins.provider, page.url
    choose_by_label(page, page.get_by_label(PEOPLE["Aino"], exact=True))
    with page.expect_navigation(url=lambda url: origin_of(url) == origins.portal):
        page.locator("button[name=action][value=sign_in]").click()
    page.wait_for_load_state()
    if urlsplit(page.url).path == "/en/own/welcome":
        answer_welcome(page, ())
    assert origin_of(page.url) == origins.portal and urlsplit(page.url).path == "/en/", page.url  # back where it began
    assert PEOPLE["Aino"] in page.locator(".account-nav form[action$='/sign-out']").inner_text()
    assert watched.violations() == []
    assert len(watched.sign_on_cookies(origins)) == 1, "the provider keeps no single sign-on session"

    # Sign out: through the provider's end-session endpoint (another origin) and back to the portal.
    watched.requests.clear()
    page.locator(".account-nav form[action$='/sign-out'] button").click()
    wait_until(
        page,
        lambda: watched.violations() or (origin_of(page.url) == origins.portal and urlsplit(page.url).path == "/en/"),
    )
    page.wait_for_load_state()
    assert watched.violations() == [], "the redirect to the provider's end-session endpoint was refused"
    assert any(url.startswith(f"{origins.provider}/dev-idp/logout?") for url in watched.requests), (
        f"the browser never reached the provider's end-session endpoint: {watched.requests}"
    )
    assert origin_of(page.url) == origins.portal and urlsplit(page.url).path == "/en/", page.url
    assert page.locator(".account-nav a[href*='/sign-in']").count() == 1, "still signed in at the portal"
    assert watched.sign_on_cookies(origins) == [], "the provider's single sign-on cookie outlived the sign-out"

    # Sign in again on the same computer: the provider asks who it is, it does not sign Aino straight in.
    press_sign_in(watched, origins)
    assert on_chooser(page) and origin_of(page.url) == origins.provider, (
        f"the previous person was signed in again without the chooser: {page.url}"
    )
    assert watched.violations() == []


def test_without_signing_out_the_next_sign_in_passes_straight_through(
    two_origins: TwoOrigins, watched: Watched
) -> None:
    """The control: the provider's single sign-on session is real, so the sign-out above is what ended it."""
    page, origins = watched.page, two_origins
    press_sign_in(watched, origins)
    choose_by_label(page, page.get_by_label(PEOPLE["Sirkka"], exact=True))
    with page.expect_navigation(url=lambda url: origin_of(url) == origins.portal):
        page.locator("button[name=action][value=sign_in]").click()
    page.wait_for_load_state()
    if urlsplit(page.url).path == "/en/own/welcome":
        answer_welcome(page, ())
    page.context.clear_cookies(domain="127.0.0.1")  # the portal forgets the person; the provider does not
    press_sign_in(watched, origins)
    assert not on_chooser(page) and origin_of(page.url) == origins.portal, page.url
    assert PEOPLE["Sirkka"] in page.locator(".account-nav").inner_text()
    assert watched.violations() == []
