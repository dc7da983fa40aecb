"""Fixtures of the accessibility tests: one Chromium for the session (Playwright), Selenium's ChromeDriver
attached to it, a fresh browser context per test, a page state reached once for all the checks that read it
(`reached`), a second server for the 500 page and a third one without an identity provider (the "Sign-in
is not available" page). Under pytest-xdist each worker has its own of each.

The checks of one page state share a worker (an xdist group per state, for `--dist loadgroup`) and run one
after another in the order of axe_support's stages, so each state is reached once per language there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    """The portal with one route that fails, to show the 500 page as a real visitor would see it, a request
    size limit of 64 bytes, so that sending any form shows the 413 page (the real limit is 64 KiB), and one
    sign-in start a day, so that the second opening of /{lang}/sign-in shows the 429 page."""
    database = tmp_path_factory.mktemp("errors") / "polku-errors.db"
    app = build_app(
        f"sqlite:///{database}",
        PROPAGATE_EXCEPTIONS=False,
        POLKU_MAX_REQUEST_BYTES=64,
        POLKU_RATE_LIMIT_SIGN_IN="1 per day",
    )

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
def selenium_driver(request: pytest.FixtureRequest) -> Iterator[Any]:
    """ChromeDriver attached to the session's Chromium (quitting it leaves that browser running)."""
    pytest.importorskip("selenium")
    driver = axe_support.selenium_driver(request.config)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def shared_states(pw_browser: Any) -> Iterator[axe_support.SharedStates]:
    states = axe_support.SharedStates(pw_browser)
    yield states
    states.close()


@pytest.fixture()
def reached(
    request: pytest.FixtureRequest,
    shared_states: axe_support.SharedStates,
    base_url_for: Callable[[axe_support.PageState], str],
) -> Callable[..., tuple[Any, Any]]:
    """`reached(state, lang)`: (page, PlaywrightBrowser) in that state with JavaScript on, at desktop size,
    shared with the other checks of the state; the test's `shares_page` mark names its stage."""
    mark = request.node.get_closest_marker("shares_page")
    stage = axe_support.STAGES[mark.args[0] if mark else "read"]

    def reach(state: axe_support.PageState, lang: str) -> tuple[Any, Any]:
        return shared_states.page(base_url_for(state), state, lang, stage)

    return reach


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "shares_page(stage, lang=None): the check reads the page state reached "
        "once for all its checks (`reached`), at that stage (axe_support.STAGES); "
        "lang: the check's one language when it is not a parameter",
    )


def _shared_key(item: pytest.Item) -> tuple[str, str, int] | None:
    """(state id, language, stage) of a check that uses the shared page, else None."""
    mark = item.get_closest_marker("shares_page")
    params = getattr(getattr(item, "callspec", None), "params", {})
    if mark is None:
        return None
    state = params.get("state")
    state_id = state.id if isinstance(state, axe_support.PageState) else params.get("state_id")
    lang = params.get("lang", mark.kwargs.get("lang"))
    if not state_id or not lang:
        return None
    return state_id, lang, axe_support.STAGES[mark.args[0]]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The checks of one page state together, in the order language, stage (the order they can share a
    page in), in one xdist group per state; they take the place of the first of them, the other tests
    keep theirs."""
    keys = {item: _shared_key(item) for item in items}
    shared = [item for item in items if keys[item]]
    if not shared:
        return
    position = {item: index for index, item in enumerate(items)}
    first_state = {}
    for item in shared:
        first_state.setdefault(keys[item][0], position[item])
    shared.sort(key=lambda item: (first_state[keys[item][0]], keys[item][1], keys[item][2], position[item]))
    for item in shared:
        item.add_marker(pytest.mark.xdist_group(f"state-{keys[item][0]}"))
    start = position[next(item for item in items if keys[item])]
    before = [item for item in items[:start] if not keys[item]]
    after = [item for item in items[start:] if not keys[item]]
    items[:] = before + shared + after


def pytest_collection_finish(session: pytest.Session) -> None:
    """Stop at once when `--dist loadgroup` does not group (each check would reach its state again on
    another worker, silently doubling the suite's time): pytest-xdist marks a grouped test by adding
    "@<group>" to its node id, which pytest 9.2 no longer lets it do (pytest-dev/pytest-xdist#1386)."""
    if not getattr(session.config.option, "loadgroup", False):
        return  # not an xdist worker with --dist loadgroup
    for item in session.items:
        group = item.get_closest_marker("xdist_group")
        if group is not None and not item.nodeid.endswith(f"@{group.args[0]}"):
            raise pytest.UsageError(
                f"--dist loadgroup did not group {item.nodeid} (see pyproject.toml's pin of pytest)"
            )
