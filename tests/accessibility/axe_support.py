"""Shared machinery of the browser tests: the page manifest, reaching a page state in Playwright through
the real forms, running axe-core, and the raw reports.

The end-to-end tests (tests/e2e) use the same browser helpers, so the whole browser suite starts
Chromium once per test session.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import yaml

from tests.conftest import CHROMIUM_ARGS, chromium_path
from tests.helpers import ECEC_STEPS, LIISA_STEPS, MATTI_STEPS, SIRKKA_STEPS

from . import form_client

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
MANIFEST_PATH = HERE / "pages.yaml"
EXCLUSIONS_PATH = HERE / "exclusions.yaml"
AXE_PATH = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
REPORT_DIR = PROJECT / "reports" / "accessibility"
RAW_DIR = REPORT_DIR / "raw"

LANGUAGES = ("fi", "sv", "en")
BROWSER_LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations", "incomplete"],
}
# The actions that can read and send a page over HTTP before it is drawn (Browser._act_over_http).
HTTP_ACTIONS = ("fill", "choose", "submit", "click")
ACTIONS = {
    "goto",
    "answer",
    "fill",
    "choose",
    "submit",
    "click",
    "expire_session",
    "live_preview",
    "sign_in",
    "clear_cookies",
}
# The keys an action may have besides its own name.
ACTION_OPTIONS = {"answer": {"with"}, "sign_in": {"fresh", "next"}}
# The test servers a state can ask for (`server:`): the portal, the one that can fail on purpose (the 500
# page), and one without any identity provider (the "Sign-in is not available" page).
SERVERS = {"main", "errors", "no-sign-in"}
PEOPLE_PATH = PROJECT / "portal" / "dev_idp" / "people.yaml"
CONSENTS = ("prefill", "reminders")  # the welcome page's checkboxes (templates/own/welcome.html)
DESKTOP = {"width": 1280, "height": 900}
# The valid answers `answer:` types in, per life event (tests/helpers.py); a list ticks several checkboxes.
EVENT_ANSWERS: dict[str, dict[str, dict[str, Any]]] = {
    "ecec": ECEC_STEPS,
    "business": LIISA_STEPS,
    "unemployment": MATTI_STEPS,
    "moving": SIRKKA_STEPS,
}
PAGE_KEYS = {"endpoint", "error", "event", "states"}
TIMEOUT_MS = 15_000


# --- the manifest -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PageState:
    page: str
    state: str
    endpoint: str | None
    error: int | None
    actions: tuple[dict[str, Any], ...]
    expect: dict[str, Any]
    js_required: bool = False
    server: str = "main"
    note: str = ""
    event: str = "ecec"  # the life event that {event} and `answer:` mean (the page's `event:`, else the top-level one)

    @property
    def id(self) -> str:
        return f"{self.page}-{self.state}"


def load_manifest() -> dict[str, Any]:
    with MANIFEST_PATH.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def page_states(manifest: dict[str, Any] | None = None) -> list[PageState]:
    manifest = manifest or load_manifest()
    found = []
    for page_id, page in manifest["pages"].items():
        for state_id, state in page["states"].items():
            found.append(
                PageState(
                    page=page_id,
                    state=state_id,
                    endpoint=page.get("endpoint"),
                    error=page.get("error"),
                    actions=tuple(state["actions"]),
                    expect=dict(state.get("expect") or {}),
                    js_required=state.get("js") == "required",
                    server=state.get("server", "main"),
                    note=state.get("note", ""),
                    # a state may be reached through another life event than its page's (a plan of the own space)
                    event=state.get("event", page.get("event", manifest["event"])),
                )
            )
    return found


def event_id() -> str:
    """The manifest's default life event (pages without their own `event:`)."""
    return load_manifest()["event"]


def fill_in(text: str, lang: str, event: str | None = None) -> str:
    return text.replace("{lang}", lang).replace("{event}", event or event_id())


def dev_idp_people() -> dict[str, str]:
    """The development identity provider's test people (portal/dev_idp/people.yaml) by their given name in
    lower case, as `sign_in:` names them ("aino"): the subject, which is the value of their radio button on
    the provider's chooser."""
    with PEOPLE_PATH.open(encoding="utf-8") as f:
        people = yaml.safe_load(f)["people"]
    return {str(p["given_name"]).lower(): str(p["sub"]) for p in people}


def load_exclusions() -> list[dict[str, Any]]:
    with EXCLUSIONS_PATH.open(encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return list(data.get("exclusions") or [])


# --- browsers ---------------------------------------------------------------------------------


class _Shared:
    """One Playwright and one Chromium for the whole test session, whichever directory asks first."""

    lock = threading.Lock()
    playwright: Any = None
    browser: Any = None
    devtools_address = ""  # where ChromeDriver attaches to the same Chromium (selenium_driver)
    registered = False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def playwright_browser(config: pytest.Config) -> Any:
    with _Shared.lock:
        if _Shared.browser is None:
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:  # pragma: no cover - the test extra is not installed
                pytest.skip("playwright is not installed")
            if not Path(chromium_path()).exists():
                pytest.skip(f"Chromium not found at {chromium_path()}")
            _Shared.playwright = sync_playwright().start()
            port = _free_port()
            # Never download browsers: use the system Chromium. It also listens for DevTools on a loopback
            # port, so that Selenium's ChromeDriver audits the very pages Playwright reached.
            _Shared.browser = _Shared.playwright.chromium.launch(
                executable_path=chromium_path(),
                args=[*CHROMIUM_ARGS, f"--remote-debugging-port={port}"],
                headless=True,
            )
            _Shared.devtools_address = f"127.0.0.1:{port}"
        if not _Shared.registered:
            config.add_cleanup(_close_playwright)
            _Shared.registered = True
        return _Shared.browser


def _close_playwright() -> None:
    with _Shared.lock:
        if _Shared.browser is not None:
            _Shared.browser.close()
            _Shared.playwright.stop()
        _Shared.browser = _Shared.playwright = None
        _Shared.registered = False


def new_context(
    browser: Any, lang: str, js: bool = True, viewport: dict[str, int] | None = None, reduced_motion: bool = True
) -> Any:
    """A browser context of its own (fresh cookies, so fresh answers) asking for ``lang``."""
    context = browser.new_context(
        java_script_enabled=js,
        locale=BROWSER_LOCALES[lang],
        viewport=viewport or DESKTOP,
        extra_http_headers={"Accept-Language": f"{BROWSER_LOCALES[lang]},{lang};q=0.9"},
        reduced_motion="reduce" if reduced_motion else "no-preference",
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def open_page(context: Any, js: bool = True) -> Any:
    page = context.new_page()
    page.js_enabled = js  # type: ignore[attr-defined]
    return page


class PageFactory:
    """New browser contexts (fresh cookies, so fresh answers) for one test; closed after it."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[Any] = []

    def __call__(
        self, lang: str = "en", js: bool = True, viewport: dict[str, int] | None = None, reduced_motion: bool = True
    ) -> Any:
        context = new_context(self.browser, lang, js, viewport, reduced_motion)
        self.contexts.append(context)
        return open_page(context, js)

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


def selenium_driver(config: pytest.Config) -> Any:
    """ChromeDriver attached to the session's Chromium (playwright_browser): Selenium audits the pages Playwright
    reached, with its own injection and run of axe, instead of reaching every state again in a second browser."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not Path("/usr/bin/chromedriver").exists():
        pytest.skip("chromedriver is missing")
    browser = playwright_browser(config)
    options = webdriver.ChromeOptions()
    options.debugger_address = _Shared.devtools_address
    # ChromeDriver attaches only to a browser with a page open.
    context = browser.new_context()
    context.new_page()
    try:
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    finally:
        context.close()
    driver.set_script_timeout(120)
    return driver


def target_id(page: Any) -> str:
    """The DevTools target id of a Playwright page: ChromeDriver's window handle for the same page."""
    session = page.context.new_cdp_session(page)
    try:
        return str(session.send("Target.getTargetInfo")["targetInfo"]["targetId"])
    finally:
        session.detach()


# --- one reached page for every check that reads it -------------------------------------------
# Reaching a state (answers, sign-in, forms) costs more than most checks of it. The checks of a state in
# one language (axe, the ARIA snapshot, the language and layout checks, the skip link, 320 px, text size
# and spacing) share one page reached once, in this order of stages: a page goes on to a later stage, and
# to another reading check at READ, never back, since the later stages change it (focus, viewport, styles).
# tests/accessibility/conftest.py runs the checks of a state one after another on one worker in this order;
# a check that finds the page in a later stage (a run of some files only, say) reaches the state anew.

READ = 0  # reads the page as it was reached (axe, ARIA snapshot, language, layout)
FIRST_TAB = 1  # the first press of Tab from the top of the page (moves focus)
NARROW_VIEW = 2  # the page at 320 CSS pixels (resizes the viewport)
RESTYLE = 3  # text size and spacing (adds styles; the last stage)
STAGES = {"read": READ, "first-tab": FIRST_TAB, "narrow": NARROW_VIEW, "restyle": RESTYLE}


# How often this process reached a shared page state and how often a check used one already reached.
SHARED_PAGE_COUNTS = {"reached": 0, "reused": 0}


@dataclass
class _Reached:
    key: tuple[str, str, str]
    context: Any
    page: Any
    browser: PlaywrightBrowser
    stage: int


class SharedStates:
    """The page state reached last, in Playwright with JavaScript on at desktop size, kept open for the
    checks that follow it (one test worker's; see the stages above)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.current: _Reached | None = None
        # One browser context per language, kept for the worker's session: a state starts in a new page with
        # the context's cookies cleared (so with no answers and no sign-in), which costs less than a new
        # context and keeps the static files cached, as they are for a returning user. The portal's script
        # keeps nothing in web storage (static/js/polku.js), so cookies are all a state could inherit.
        self.contexts: dict[str, Any] = {}
        self.pages: dict[str, Any] = {}  # the shared page of each language (_page_of)

    def page(self, base_url: str, state: PageState, lang: str, stage: int = READ) -> tuple[Any, PlaywrightBrowser]:
        key = (base_url, state.id, lang)
        here = self.current
        if here is not None and here.key == key and (here.stage < stage or here.stage == stage == READ):
            SHARED_PAGE_COUNTS["reused"] += 1
            if stage >= NARROW_VIEW:  # as a fresh page: nothing focused, at the top, at desktop size
                here.page.evaluate(
                    "() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }"
                )
                here.page.set_viewport_size(DESKTOP)
            here.stage = stage
            return here.page, here.browser
        self.current = None
        if lang not in self.contexts:
            self.contexts[lang] = new_context(self.browser, lang)
        context = self.contexts[lang]
        context.clear_cookies()
        page = self._page_of(lang, context)
        try:
            browser = PlaywrightBrowser(page, base_url, lang)
            browser.reach(state)
        except BaseException:
            self.pages.pop(lang).close()
            raise
        SHARED_PAGE_COUNTS["reached"] += 1
        self.current = _Reached(key, context, page, browser, stage)
        return page, browser

    def _page_of(self, lang: str, context: Any) -> Any:
        """The language's page, kept from state to state: navigating it to the next state replaces the
        document (and with it focus, scroll, added styles and the injected axe), and costs less than a new
        page, whose renderer has to start. Only its size outlives a state: back to the desktop's."""
        page = self.pages.get(lang)
        if page is None or page.is_closed():
            page = self.pages[lang] = open_page(context)
        else:
            page.set_viewport_size(DESKTOP)
        return page

    def kept_page(self, lang: str, js: bool = True, purpose: str = "own") -> Any:
        """A page with no cookies, kept for ``purpose`` in a context of its own (not the shared pages' one,
        whose current page keeps its session), from one test to the next: the next test navigates it."""
        key = f"{lang}-{purpose}-{'js' if js else 'nojs'}"
        if key not in self.contexts:
            self.contexts[key] = new_context(self.browser, lang, js=js)
        self.contexts[key].clear_cookies()
        page = self.pages.get(key)
        if page is None or page.is_closed():
            page = self.pages[key] = open_page(self.contexts[key], js)
        return page

    def close(self) -> None:
        self.current = None
        self.pages.clear()
        for context in self.contexts.values():
            context.close()
        self.contexts.clear()


# --- reaching a page state --------------------------------------------------------------------


class StateNotReached(AssertionError):
    pass


def path_of(url: str, query: bool = False) -> str:
    """The path of an address (with its query string when ``query``), without the server and fragment."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if query and parts.query else "")


class Browser:
    """What the manifest's actions need from a browser; one subclass per engine."""

    js_enabled = True

    def __init__(self, base_url: str, lang: str, event: str | None = None) -> None:
        self.base_url = base_url
        self.lang = lang
        self.event = event or event_id()  # the life event of {event} and `answer`; reach() sets the state's
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.fresh = True  # no page opened yet: no cookies
        # Where the last form sent over HTTP (`answer`, `sign_in`) redirected: the browser opens it before
        # anything reads the page (settle), unless the next action opens another address anyway.
        self.pending: str | None = None
        # The page the manifest's actions read and send forms of over HTTP (`goto`, `fill`, `choose`, `submit`,
        # `click`) without the browser drawing it, and what was typed into its forms; drawn when a check or an
        # action that needs the browser comes (settle). See _act_over_http.
        self.doc: form_client.Response | None = None
        self.typed: dict[str, Any] = {}

    # engine-specific
    def transport(self) -> form_client.Transport:
        raise NotImplementedError

    def get_cookies(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def accept_language(self) -> str:
        return f"{BROWSER_LOCALES[self.lang]},{self.lang};q=0.9"

    def set_cookies(self, cookies: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def goto(self, path: str) -> None:
        raise NotImplementedError

    def field_kind(self, name: str) -> str:
        raise NotImplementedError

    def type_text(self, name: str, value: str) -> None:
        raise NotImplementedError

    def choose(self, name: str, value: str) -> None:
        raise NotImplementedError

    def select(self, name: str, value: str) -> None:
        raise NotImplementedError

    def navigate_by(self, selector: str) -> None:
        raise NotImplementedError

    def run(self, script: str, arg: Any = None) -> Any:
        raise NotImplementedError

    def count(self, selector: str) -> int:
        raise NotImplementedError

    def path(self) -> str:
        raise NotImplementedError

    def wait_for_text_change(self, selector: str, before: str) -> bool:
        raise NotImplementedError

    def clear_cookies(self) -> None:
        raise NotImplementedError

    def is_checked(self, name: str, value: str) -> bool:
        raise NotImplementedError

    # shared
    def fill(self, fields: dict[str, Any]) -> None:
        for name, value in fields.items():
            kind = self.field_kind(name)
            if kind in ("radio", "checkbox"):
                values = value if isinstance(value, list) else [value]
                for one in values:
                    if kind == "checkbox" and self.is_checked(name, str(one)):
                        continue  # already ticked (kept from an earlier answer): clicking would untick it
                    self.choose(name, str(one))
            elif kind == "select":
                self.select(name, str(value))
            elif kind == "hidden":
                raise StateNotReached(f"{name} is a hidden field: a user cannot fill it in")
            else:
                self.type_text(name, str(value))

    def submit(self, form: str) -> None:
        self.navigate_by(f"{form} [type=submit]")

    def choose_first(self, selector: str) -> None:
        """Choose the first radio button or checkbox that matches the selector by clicking its label (for
        choices whose values are not known beforehand, like the first free appointment time)."""
        found = self.run(
            "sel => { const e = document.querySelector(sel); return e ? [e.name, e.value] : null; }", selector
        )
        if not found:
            raise StateNotReached(f"no {selector} to choose on {self.path()}")
        self.choose(*found)

    def forms(self) -> form_client.FormClient:
        """Forms sent over HTTP with this browser's cookies (form_client)."""
        return form_client.FormClient(self.transport(), self.base_url)

    def settle(self) -> None:
        """Open the page the last form sent over HTTP redirected to, as the browser would have, or draw the page
        the last form sent over HTTP answered with (a form's errors, a confirmation)."""
        if self.pending is not None:
            where, self.pending = self.pending, None
            self.goto(where)
        elif self.doc is not None:
            doc, self.doc = self.doc, None
            self.typed = {}
            self.draw(doc)

    def pass_by(self) -> None:
        """The next action opens another address: the page the last form redirected to is still fetched (as
        the browser would have opened it: a notice shown once is shown there), but not drawn."""
        self.doc, self.typed = None, {}
        if self.pending is not None:
            where, self.pending = self.pending, None
            self.forms().get(where)

    def draw(self, doc: form_client.Response) -> None:
        """Show a response already fetched over HTTP as the browser's page (engine-specific)."""
        raise NotImplementedError

    def _act_over_http(self, name: str, value: Any) -> bool:
        """Do `fill`, `choose`, `submit` or `click` on the page that is not drawn yet, as form_client does for
        `answer`: read the page's HTML (its forms, fields and links, found by the same CSS selectors), send the
        form or follow the link over HTTP with the browser's cookies, and leave the page it led to for the next
        action or the checks. Reaching a state then draws one page, not every page on the way (each drawing cost
        more than the request). False: the action needs the drawn page (a link within the page), and nothing
        was done."""
        from bs4 import BeautifulSoup

        client = self.forms()
        if self.pending is not None:
            where, self.pending = self.pending, None
            self.doc, self.typed = client.get(where), {}
        assert self.doc is not None
        soup = BeautifulSoup(self.doc.text, "html.parser")
        if name == "fill":
            for field_name, given in value.items():
                element = soup.select_one(f'[name="{field_name}"]')
                if element is None:
                    raise StateNotReached(f"no field {field_name} on {path_of(self.doc.url)}")
                if element.name == "input" and (element.get("type") or "").lower() == "hidden":
                    raise StateNotReached(f"{field_name} is a hidden field: a user cannot fill it in")
                self._type(field_name, given)
            return True
        element = soup.select_one(f"{value} [type=submit]" if name == "submit" else value)
        if element is None:
            raise StateNotReached(f"no {value} on {path_of(self.doc.url)}")
        if name == "choose":
            if element.name != "input" or (element.get("type") or "").lower() not in ("radio", "checkbox"):
                raise StateNotReached(f"{value} is not a radio button or checkbox")
            self._type(str(element.get("name")), str(element.get("value", "on")), tick=True)
            return True
        if element.name == "a":
            href = str(element.get("href") or "")
            if not href or href.startswith("#"):
                return False
            self.pending = path_of(client.url(href, self.doc.url), query=True)
            self.doc, self.typed = None, {}
            return True
        if (element.get("type") or "submit").lower() != "submit" or element.find_parent("form") is None:
            return False
        self._send(client, soup, element)
        return True

    def _type(self, field_name: str, given: Any, tick: bool = False) -> None:
        """Remember a value typed or ticked into the undrawn page (a checkbox ticked twice stays ticked)."""
        if tick and field_name in self.typed and isinstance(self.typed[field_name], list):
            self.typed[field_name] = [*self.typed[field_name], given]
        elif tick:
            self.typed[field_name] = [given] if self._is_checkbox(field_name) else given
        else:
            self.typed[field_name] = given

    def _is_checkbox(self, field_name: str) -> bool:
        assert self.doc is not None
        return any(
            c.name == field_name and c.type == "checkbox"
            for f in form_client.forms_of(self.doc.text)
            for c in f.controls
        )

    def _send(self, client: form_client.FormClient, soup: Any, button: Any) -> None:
        """Send the button's form with what was typed into it; a redirect is left for later (pending)."""
        assert self.doc is not None
        page = self.doc
        index = soup.find_all("form").index(button.find_parent("form"))
        form = form_client.forms_of(page.text)[index]
        answers = {k: v for k, v in self.typed.items() if k in form.names()}
        press = (str(button.get("name")), str(button.get("value", ""))) if button.get("name") else None
        try:
            response = client.send_form(page, form, answers, press)
        except form_client.FormError as error:
            raise StateNotReached(f"{path_of(page.url)}: {error}") from error
        self.doc, self.typed = None, {}
        if response.status in form_client.REDIRECTS and response.location:
            self.pending = path_of(client.url(response.location, response.url), query=True)
        else:
            self.doc = response

    def answer(
        self, steps: list[str] | str, changes: dict[str, dict[str, Any]] | None = None, settle: bool = True
    ) -> None:
        """Answer steps of this browser's life event: each step page's form is read and sent with the answers
        over HTTP (form_client; the step pages in a browser are tested by tests/e2e and by their own states).
        A set of answers is sent once per test session; a later fresh browser of the same engine that needs
        the same answers gets a session of its own with a copy of what that browser's session held then
        (``session_copy``: the session lives on the server and the first browser goes on using it). The
        browser ends on the page the last step led to (with ``settle``; else when the next action needs it)."""
        key = (
            type(self).__name__,
            self.js_enabled,
            self.base_url,
            self.event,
            json.dumps([steps, changes], sort_keys=True),
        )
        if self.fresh and key in _ANSWERED:
            cookies, data, where, lang = _ANSWERED[key]
            self.set_cookies(session_copy(self.base_url, cookies, data))
            # Where the last form sent the user, in this browser's language.
            self.pending = re.sub(rf"^/{lang}/", f"/{self.lang}/", where)
            self.fresh = False
        else:
            fresh = self.fresh
            self.pass_by()
            client = self.forms()
            answers = EVENT_ANSWERS[self.event]
            names = list(answers) if steps == "all" else list(steps)
            for step in names:
                self.pending = self.send_step(client, step, {**answers[step], **(changes or {}).get(step, {})})
            self.fresh = False
            if fresh and self.pending is not None:
                cookies = self.get_cookies()
                data = session_data(self.base_url, cookies)
                if data is not None:
                    _ANSWERED[key] = (cookies, data, self.pending, self.lang)
        if settle:
            self.settle()

    def send_step(self, client: form_client.FormClient, step: str, fields: dict[str, Any]) -> str:
        """Fill in one step's form and send it, over HTTP; the path it redirected to. A question shown only
        after an earlier answer of the same step (show_if) is not in the form at first: as a user would, send
        what is there, then fill in what appeared, until nothing is left (the same as answer_step_here)."""
        page = client.get(f"/{self.lang}/events/{self.event}/steps/{step}")
        left = dict(fields)
        while True:
            try:
                form = form_client.main_form(page.text)
                here = {name: left.pop(name) for name in form_client.present(form, list(left))}
                if not here:
                    break
                response = client.submit(page, here)
            except form_client.FormError as error:
                raise StateNotReached(f"step {step}: {error}") from error
            if response.status in form_client.REDIRECTS and response.location:
                missing = sorted(name for name, value in left.items() if value not in ("", [], None))
                if missing:
                    raise StateNotReached(f"step {step} was accepted without the fields {missing}")
                return path_of(client.url(response.location, response.url), query=True)
            page = response  # the step again: with an error, or with the questions the answers revealed
        summary = re.search(r'class="error-summary".*?</div>', page.text, re.S)
        said = re.sub(r"<[^>]+>|\s+", " ", summary.group(0)) if summary else "no error summary"
        missing = sorted(name for name, value in left.items() if value not in ("", [], None))
        raise StateNotReached(
            f"step {step} was not accepted (status {page.status}; fields not on the page: {missing}; {said})"
        )

    def answer_step_here(self, step: str, fields: dict[str, Any]) -> None:
        """Fill in the step page that is open and send it. A question shown only after an earlier answer
        (show_if: the idea step's organic and alcohol questions appear once the industries are chosen, the
        months of fund membership after a yes) is not on the page at first: as a user would, fill in what
        is there, send, and fill in what appeared, until nothing is left. The page with the new question
        may or may not report it as missing (a question the user has not seen is asked, not an error):
        what counts is whether the step page is still open."""
        left = dict(fields)
        step_path = self.path()
        while True:
            here = {name: value for name, value in left.items() if self.count(f'[name="{name}"]')}
            if not here:
                break
            self.fill(here)
            for name in here:
                del left[name]
            self.submit("main form")
            if self.path() != step_path:
                break  # accepted: the next page
        # An empty answer to a question that is not shown is no answer to give.
        missing = sorted(name for name, value in left.items() if value not in ("", [], None))
        if self.count(".error-summary") or missing or self.path() == step_path:
            raise StateNotReached(
                f"step {step} was not accepted ({self.run('document.title')}); fields not on the page: {missing}"
            )

    def expire_session(self) -> None:
        self.run("document.querySelectorAll('input[name=csrf_token]').forEach(e => { e.value = 'expired'; })")

    def live_preview(self, fields: dict[str, str]) -> None:
        if not self.js_enabled:
            raise StateNotReached("the live preview needs JavaScript")
        if not polku_js_ready(self.base_url):
            raise StateNotReached("static/js/polku.js is not served: the live preview cannot work")
        before = self.run("document.querySelector('#preview').innerText")
        self.fill(fields)
        if not self.wait_for_text_change("#preview", before):
            raise StateNotReached("#preview did not change after typing an answer")

    def sign_in(self, who: str, fresh: bool = False, next_path: str | None = None, settle: bool = True) -> None:
        """Sign in as a test person through the real development identity provider, its forms sent over HTTP
        with this browser's cookies (form_client; the sign-in in a browser is tested in tests/e2e and by the
        keyboard journey): /<lang>/sign-in?next=<next_path> (default: the own space), the person chosen on
        the provider's chooser and "Sign in" pressed. On the person's first sign-in the portal shows its
        welcome page: both consents are ticked and "Continue" pressed. The browser ends up at next_path (with
        ``settle``; else when the next action needs it).

        The live server keeps people (and their plans, ticks and reservations) between tests. With
        `fresh`, an account that already exists is deleted first through My data (tick the confirmation,
        "Delete your account"), and the person signs in again to a new, empty account, so the state does not
        depend on what other tests left behind."""
        people = dev_idp_people()
        if str(who).lower() not in people:
            raise ValueError(f"sign_in: no test person {who!r} in {PEOPLE_PATH.name} (one of {sorted(people)})")
        subject = people[str(who).lower()]
        target = fill_in(next_path or "/{lang}/own/", self.lang, self.event)
        self.pass_by()
        client = self.forms()
        try:
            landing = self._sign_in_once(client, subject, target)
            if fresh and not isinstance(landing, form_client.Response):
                self.delete_account(client)
                landing = self._sign_in_once(client, subject, target)
                if not isinstance(landing, form_client.Response):
                    raise StateNotReached(f"no welcome page after deleting the account of {who} ({landing})")
            if isinstance(landing, form_client.Response):  # the welcome page of a first sign-in
                response = client.submit(landing, {purpose: "yes" for purpose in CONSENTS})
                if response.status not in form_client.REDIRECTS or not response.location:
                    raise StateNotReached(f"the welcome page did not accept the consents (status {response.status})")
                landing = path_of(client.url(response.location, response.url), query=True)
        except form_client.FormError as error:
            raise StateNotReached(f"signing in as {who}: {error}") from error
        self.fresh = False
        self.pending = landing
        where = target.split("#")[0].split("?")[0]
        if path_of(landing) != where:
            raise StateNotReached(f"signed in as {who}, the sign-in led to {landing}, expected {where}")
        if settle:
            self.settle()

    def _sign_in_once(self, client: form_client.FormClient, subject: str, target: str) -> form_client.Response | str:
        """One pass through the sign-in: the welcome page (a first sign-in), else the path it led to."""
        chooser = client.get(f"/{self.lang}/sign-in?next={quote(target, safe='/')}")
        if not path_of(chooser.url).startswith("/dev-idp/") or 'name="person"' not in chooser.text:
            raise StateNotReached(f"the sign-in did not open the development provider's chooser ({chooser.url})")
        response = client.submit(chooser, {"person": subject}, press=("action", "sign_in"))
        while response.status in form_client.REDIRECTS and response.location:
            here = client.url(response.location, response.url)
            if not path_of(here).startswith(("/dev-idp/", "/auth/")):
                break
            response = client.send("GET", here, None)
        else:
            raise StateNotReached(f"the sign-in did not come back to the portal ({response.url}: {response.status})")
        landing = path_of(here, query=True)
        if path_of(landing) == f"/{self.lang}/own/welcome":
            return client.get(here)
        return landing

    def delete_account(self, client: form_client.FormClient) -> None:
        """My data: tick "I want to delete my account", press "Delete your account"; back on the front page."""
        page = client.get(f"/{self.lang}/own/data")
        response = client.follow(client.submit(page, {"confirm": "yes"}, action_ends="/delete-account"))
        if path_of(response.url) != f"/{self.lang}/":
            raise StateNotReached(f"deleting the account did not lead to the front page ({response.url})")

    def perform(self, action: dict[str, Any]) -> None:
        name, value = next(iter(action.items()))
        if name not in ("answer", "sign_in"):
            self.fresh = False
        if name == "goto":  # opened when a check or the next action reads it
            self.pass_by()
            self.pending = fill_in(value, self.lang, self.event).replace("{server}", quote(self.base_url, safe=""))
            return
        if name in HTTP_ACTIONS and (self.pending is not None or self.doc is not None):
            if self._act_over_http(name, value):
                return
        if name not in ("answer", "sign_in"):
            self.settle()
        if name == "answer":
            self.answer(value, action.get("with"), settle=False)
        elif name == "fill":
            self.fill(value)
        elif name == "choose":
            self.choose_first(value)
        elif name == "submit":
            self.submit(value)
        elif name == "click":
            self.navigate_by(value)
        elif name == "expire_session":
            self.expire_session()
        elif name == "live_preview":
            self.live_preview(value)
        elif name == "sign_in":
            self.sign_in(value, fresh=bool(action.get("fresh")), next_path=action.get("next"), settle=False)
        elif name == "clear_cookies":
            self.clear_cookies()
        else:
            raise ValueError(f"unknown action {name!r}")

    def check(self, expect: dict[str, Any]) -> None:
        self.settle()
        problems = []
        if "status" in expect and self.status is not None and self.status != expect["status"]:
            problems.append(f"status {self.status}, expected {expect['status']}")
        if "path" in expect and self.path() != fill_in(expect["path"], self.lang, self.event):
            problems.append(f"at {self.path()}, expected {fill_in(expect['path'], self.lang, self.event)}")
        if "selector" in expect and not self.count(expect["selector"]):
            problems.append(f"no {expect['selector']}")
        if "absent" in expect and self.count(expect["absent"]):
            problems.append(f"unexpected {expect['absent']}")
        lang = self.run("document.documentElement.lang")
        if lang != self.lang:
            problems.append(f'<html lang="{lang}">, expected {self.lang}')
        if problems:
            raise StateNotReached(f"{self.path()}: " + "; ".join(problems))

    def reach(self, state: PageState) -> None:
        self.event = state.event
        for action in state.actions:
            self.perform(action)
        self.check(state.expect)


# Response headers a drawn page does not take again: its cookies are set already, and the body is whole.
DRAWN_WITHOUT = ("set-cookie", "content-length", "content-encoding", "transfer-encoding")


class PlaywrightBrowser(Browser):
    def __init__(self, page: Any, base_url: str, lang: str, event: str | None = None) -> None:
        super().__init__(base_url, lang, event)
        self.page = page
        self.js_enabled = getattr(page, "js_enabled", True)

    def goto(self, path: str) -> None:
        self.fresh = False
        self._loaded(self.page.goto(self.base_url + path))

    def get_cookies(self) -> list[dict[str, Any]]:
        return self.page.context.cookies()

    def clear_cookies(self) -> None:
        """The same address in a browser without this one's cookies (another person's, say)."""
        self.page.context.clear_cookies()
        self._loaded(self.page.reload())

    def set_cookies(self, cookies: list[dict[str, Any]]) -> None:
        self.page.context.add_cookies(cookies)

    def transport(self) -> form_client.Transport:
        return form_client.playwright_transport(self.page.context, self.accept_language())

    def draw(self, doc: form_client.Response) -> None:
        """The response fetched over HTTP becomes the page: its address opened, and the document request answered
        with that response (status, headers with the Content-Security-Policy, body); the style sheets, scripts
        and images come from the server. Its cookies are already in the context (the same cookie store)."""
        url = doc.url.split("#")[0]
        headers = {k: v for k, v in doc.headers.items() if k not in DRAWN_WITHOUT}

        def this_document(address: str) -> bool:
            return address.split("#")[0] == url

        def serve(route: Any) -> None:
            if route.request.resource_type == "document":
                route.fulfill(status=doc.status, headers=headers, body=doc.text)
            else:
                route.continue_()

        self.page.route(this_document, serve)
        try:
            self._loaded(self.page.goto(url))
        finally:
            self.page.unroute(this_document, serve)
        self.fresh = False

    def _loaded(self, response: Any) -> None:
        self.status = response.status if response else None
        self.headers = dict(response.headers) if response else {}

    def field_kind(self, name: str) -> str:
        return self.page.locator(f'[name="{name}"]').first.evaluate(
            "e => e.tagName === 'SELECT' ? 'select' : (e.type || 'text')"
        )

    def type_text(self, name: str, value: str) -> None:
        self.page.locator(f'[name="{name}"]').fill(value)

    def choose(self, name: str, value: str) -> None:
        box = self.page.locator(f'[name="{name}"][value="{value}"]')
        self.page.locator(f'label[for="{box.get_attribute("id")}"]').click()
        if not box.is_checked():
            raise StateNotReached(f"clicking the label did not choose {name}={value}")

    def is_checked(self, name: str, value: str) -> bool:
        return self.page.locator(f'[name="{name}"][value="{value}"]').is_checked()

    def select(self, name: str, value: str) -> None:
        self.page.locator(f'select[name="{name}"]').select_option(value)

    def navigate_by(self, selector: str) -> None:
        with self.page.expect_navigation() as navigation:
            self.page.locator(selector).first.click()
        self._loaded(navigation.value)

    def run(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def path(self) -> str:
        return re.sub(r"^https?://[^/]+", "", self.page.url).split("?")[0].split("#")[0]

    def wait_for_text_change(self, selector: str, before: str) -> bool:
        try:
            self.page.wait_for_function(
                "([sel, before]) => { const e = document.querySelector(sel); return e && e.innerText !== before; }",
                arg=[selector, before],
                timeout=TIMEOUT_MS,
            )
            return True
        except Exception:  # noqa: BLE001 - a timeout is the answer
            return False


_POLKU_JS: dict[str, bool] = {}
_ANSWERED: dict[tuple[str, bool, str, str], tuple[list[dict[str, Any]], str, str, str]] = {}


# --- copies of answered sessions ----------------------------------------------------------------
# Sessions live on the server (portal/sessions.py): the cookie is only an id, and the browser that typed the
# answers goes on to change, rotate (sign-in) or end (sign-out, account deletion) that very session. So the
# answered session's data is copied when it is typed, and a later browser gets a new session with that copy.


def serving_app(base_url: str) -> Any | None:
    """The Flask app of the in-process test server at ``base_url`` (tests/conftest.LiveServer runs
    werkzeug's ``serve_forever`` in a thread of this process), or None."""
    port = urlsplit(base_url).port
    for thread in threading.enumerate():
        server = getattr(getattr(thread, "_target", None), "__self__", None)
        if getattr(server, "server_port", None) == port and hasattr(server, "app"):
            return server.app
    return None


def session_data(base_url: str, cookies: list[dict[str, Any]]) -> str | None:
    """What the session of these cookies holds now (None: no session, or no server of this process)."""
    from portal.account_models import WebSession
    from portal.extensions import db
    from portal.sessions import key_of

    app = serving_app(base_url)
    token = next((c["value"] for c in cookies if c["name"] == "session"), None)
    if app is None or token is None:
        return None
    with app.app_context():
        row = db.session.get(WebSession, key_of(token))
        return row.data if row is not None else None


def session_copy(base_url: str, cookies: list[dict[str, Any]], data: str) -> list[dict[str, Any]]:
    """The cookies, with a new session of its own that holds ``data``."""
    from sqlalchemy import insert

    from portal.account_models import WebSession
    from portal.extensions import db
    from portal.sessions import deserialize, key_of, moment, new_token

    app = serving_app(base_url)
    token, now = new_token(), moment()
    with app.app_context():
        person = deserialize(data).get("person_id")
        db.session.execute(
            insert(WebSession).values(id=key_of(token), person_id=person, data=data, created_at=now, last_seen_at=now)
        )
        db.session.commit()
    return [c | {"value": token} if c["name"] == "session" else c for c in cookies]


def polku_js_ready(base_url: str) -> bool:
    """Whether the other half of the front end (static/js/polku.js) exists yet."""
    if base_url not in _POLKU_JS:
        from urllib.request import urlopen

        try:
            with urlopen(f"{base_url}/static/js/polku.js", timeout=10) as response:
                _POLKU_JS[base_url] = response.status == 200 and len(response.read().strip()) > 0
        except OSError:
            _POLKU_JS[base_url] = False
    return _POLKU_JS[base_url]


# --- axe-core ---------------------------------------------------------------------------------


def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_version() -> str:
    return json.loads((AXE_PATH.parent / "package.json").read_text(encoding="utf-8"))["version"]


def run_axe_playwright(page: Any) -> dict[str, Any]:
    # evaluate() runs through the DevTools protocol, which the page's CSP does not apply to; the page
    # itself keeps its real CSP (no bypass_csp), so a CSP problem in the app still shows up.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)


def replay_with_scripts_blocked(new_page: Callable[..., Any], browser: PlaywrightBrowser, lang: str) -> Any:
    """The JavaScript-off page as it is now, in a page where axe can run.

    axe-core needs timers, and a page with JavaScript disabled runs none, even for scripts injected
    through the DevTools protocol. So the state is reached with JavaScript really off, and its DOM
    (with the response's status and headers, CSP included) is served again to a JavaScript-enabled
    page in which every script of the app is blocked: the same document a user without JavaScript
    gets, with only axe running in it.
    """
    html = browser.page.content()
    url = browser.page.url.split("#")[0]
    status = browser.status or 200
    headers = {
        k: v for k, v in browser.headers.items() if k in ("content-type", "content-security-policy", "content-language")
    }
    page = new_page(lang, js=True)

    def serve(route: Any) -> None:
        request = route.request
        if request.resource_type == "document" and request.url.split("#")[0] == url:
            route.fulfill(status=status, headers=headers, body=html)
        elif request.resource_type == "script":
            route.abort()
        else:
            route.continue_()

    page.route("**/*", serve)
    try:
        page.goto(url)
    finally:
        page.unroute("**/*", serve)  # the page may be kept for the next replay
    if page.evaluate("() => document.documentElement.outerHTML.length") < len(html) // 2:
        raise StateNotReached("the JavaScript-off page could not be replayed")
    return page


def excluded(
    violation: dict[str, Any],
    node: dict[str, Any],
    state: PageState,
    lang: str,
    engine: str,
    exclusions: list[dict[str, Any]],
) -> dict[str, Any] | None:
    for rule in exclusions:
        if rule.get("rule") != violation["id"]:
            continue
        if rule.get("pages") and state.page not in rule["pages"]:
            continue
        if rule.get("states") and state.state not in rule["states"]:
            continue
        if rule.get("languages") and lang not in rule["languages"]:
            continue
        if rule.get("engines") and engine not in rule["engines"]:
            continue
        if rule.get("target") and rule["target"] not in " ".join(map(str, node.get("target", []))):
            continue
        return rule
    return None


@dataclass
class AxeOutcome:
    violations: list[dict[str, Any]]
    excluded: list[dict[str, Any]] = field(default_factory=list)
    incomplete: list[dict[str, Any]] = field(default_factory=list)

    def message(self) -> str:
        lines = [f"{len(self.violations)} axe violation(s):"]
        for v in self.violations:
            lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}")
            for node in v["nodes"][:6]:
                lines.append(f"    {node['target']}: {(node.get('failureSummary') or '').splitlines()[-1:]}")
            if len(v["nodes"]) > 6:
                lines.append(f"    ... and {len(v['nodes']) - 6} more")
        return "\n".join(lines)


_SESSION_RESULTS: list[dict[str, Any]] = []


def judge(
    results: dict[str, Any], state: PageState, lang: str, engine: str, url: str, extra: dict[str, Any] | None = None
) -> AxeOutcome:
    """Apply the written exclusions, save the raw results, and return what counts as a failure."""
    exclusions = load_exclusions()
    counted, skipped = [], []
    for violation in results.get("violations", []):
        nodes, dropped = [], []
        for node in violation["nodes"]:
            rule = excluded(violation, node, state, lang, engine, exclusions)
            (dropped if rule else nodes).append(node if not rule else {**node, "excluded_because": rule["reason"]})
        if nodes:
            counted.append({**violation, "nodes": nodes})
        if dropped:
            skipped.append({**violation, "nodes": dropped})
    outcome = AxeOutcome(counted, skipped, list(results.get("incomplete", [])))
    record = {
        "engine": engine,
        "language": lang,
        "page": state.page,
        "state": state.state,
        "url": url,
        "endpoint": state.endpoint,
        "axe_version": results.get("testEngine", {}).get("version"),
        "run_options": AXE_OPTIONS,
        "written_at": datetime.now(UTC).isoformat(),
        "violation_count": sum(len(v["nodes"]) for v in counted),
        "excluded": skipped,
        **(extra or {}),
        "results": results,
    }
    target = RAW_DIR / engine / lang / f"{state.id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    _SESSION_RESULTS.append(
        {
            "engine": engine,
            "language": lang,
            "page": state.page,
            "state": state.state,
            "violations": {v["id"]: len(v["nodes"]) for v in counted},
            "incomplete": {v["id"]: len(v["nodes"]) for v in outcome.incomplete},
            "excluded": {v["id"]: len(v["nodes"]) for v in skipped},
        }
    )
    return outcome


def session_results() -> list[dict[str, Any]]:
    """The axe runs of this process (one test worker's part of the session, or the whole session)."""
    return list(_SESSION_RESULTS)


def write_summary(runs: list[dict[str, Any]] | None = None) -> None:
    """reports/accessibility/summary.json: every axe run of this session (default: of this process; under
    pytest-xdist the controller passes every worker's runs), violations by rule."""
    runs = sorted(
        _SESSION_RESULTS if runs is None else runs, key=lambda r: (r["engine"], r["language"], r["page"], r["state"])
    )
    if not runs:
        return
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    by_rule: dict[str, list[str]] = {}
    for run in runs:
        for rule in run["violations"]:
            by_rule.setdefault(rule, []).append(f"{run['engine']}/{run['language']}/{run['page']}-{run['state']}")
    summary = {
        "axe_version": axe_version(),
        "tags": AXE_TAGS,
        "runs": len(runs),
        "failing_runs": sum(1 for r in runs if r["violations"]),
        "violations_by_rule": by_rule,
        "details": runs,
    }
    (REPORT_DIR / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")


def state_params(
    states: list[PageState],
    languages: tuple[str, ...] | list[str],
    marks: Callable[[PageState], list[Any]] | None = None,
) -> list[Any]:
    return [
        pytest.param(state, lang, id=f"{state.id}-{lang}", marks=(marks(state) if marks else []))
        for state in states
        for lang in languages
    ]
