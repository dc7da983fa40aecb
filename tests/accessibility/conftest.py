"""Fixtures of the accessibility tests: one Chromium for the session (Playwright), one Selenium
ChromeDriver, a fresh browser context per test, a second server for the 500 page and a third one without
an identity provider (the "Sign-in is not available" page)."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import LiveServer, build_app

from . import axe_support


@pytest.fixture(scope="session")
def pw_browser(request: pytest.FixtureRequest) -> Any:
    return axe_support.playwright_browser(request.config)


@pytest.fixture()
def new_page(pw_browser: Any, live_server: LiveServer) -> Iterator[axe_support.PageFactory]:
    """`new_page(lang, js=True, viewport=None)`: a page in a fresh browser context (no answers yet)."""
    factory = axe_support.PageFactory(pw_browser, live_server.url)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def error_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal with one route that fails, to show the 500 page as a real visitor would see it, and a request
    size limit of 64 bytes, so that sending any form shows the 413 page (the real limit is 64 KiB)."""
    database = tmp_path_factory.mktemp("errors") / "polku-errors.db"
    app = build_app(f"sqlite:///{database}", PROPAGATE_EXCEPTIONS=False, POLKU_MAX_REQUEST_BYTES=64)

    def fail(lang: str) -> None:
        raise RuntimeError("a deliberate failure for the accessibility test of the 500 page")

    app.add_url_rule("/<any(fi,sv,en):lang>/__test__/server-error", "test_server_error", fail)
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def no_sign_in_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal without any identity provider (no OIDC_ISSUER and the development provider off), as a
    deployment where signing in is not set up: the "Sign-in is not available" page (503)."""
    database = tmp_path_factory.mktemp("no-sign-in") / "polku-no-sign-in.db"
    app = build_app(f"sqlite:///{database}", DEV_IDP_ENABLED=False, OIDC_ISSUER="")
    with LiveServer(app) as server:
        yield server


SERVER_FIXTURES = {"errors": "error_server", "no-sign-in": "no_sign_in_server"}


@pytest.fixture()
def base_url_for(request: pytest.FixtureRequest, live_server: LiveServer) -> Any:
    def base_url(state: axe_support.PageState) -> str:
        if state.server in SERVER_FIXTURES:
            return request.getfixturevalue(SERVER_FIXTURES[state.server]).url
        return live_server.url
    return base_url


@pytest.fixture(scope="session")
def selenium_driver() -> Iterator[Any]:
    pytest.importorskip("selenium")
    driver = axe_support.selenium_driver()
    try:
        yield driver
    finally:
        driver.quit()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    axe_support.write_summary()
    if axe_support._SESSION_RESULTS:  # raw results were written: rebuild the auditor's report
        try:
            from . import report

            report.build(axe_support.RAW_DIR, axe_support.REPORT_DIR)
        except Exception as error:  # noqa: BLE001 - a report failure must not hide the test results
            message = f"WARNING: the accessibility report (tests/accessibility/report.py) could not be built: {error!r}"
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(message, yellow=True)
            else:
                print(message, file=sys.stderr)
