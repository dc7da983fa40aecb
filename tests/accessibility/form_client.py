"""Forms sent the way a browser sends them, without drawing the pages in between.

Reaching a page state took 4-5 s on an idle machine (and four times that with three workers on two cores),
almost all of it page loads on the way: every answer step twice, the live preview after each typed field,
the redirects of a sign-in. Only the last page is audited. So the manifest's `answer` and `sign_in` send
their forms over HTTP with the browser's own cookies: each form is read from the page the server sends
(its hidden fields and CSRF token, the values already filled in, the choices already made), the test's
values are put in where a user would type or tick them, and the form is serialised as a browser does
(HTML's "constructing the entry list"). A value the page does not offer (a radio button that is not there, a
hidden field) fails as it would in the browser. The last redirect is left to the browser, so a page that
shows a notice once shows it there.

The forms themselves are driven in real browsers elsewhere: the end-to-end journeys (tests/e2e), the
keyboard-only journeys (test_keyboard.py), and every step page's own states in the manifest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urlencode, urljoin

REDIRECTS = (301, 302, 303, 307, 308)


class FormError(AssertionError):
    """The form cannot be filled in as asked (what a user could not do in the browser either)."""


@dataclass
class Control:
    tag: str  # input, select, textarea, button
    type: str
    name: str
    value: str = ""
    checked: bool = False
    disabled: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # select: (value, selected)


@dataclass
class Form:
    action: str
    method: str
    in_main: bool
    controls: list[Control] = field(default_factory=list)

    def submitter(self, press: tuple[str, str] | None = None) -> Control | None:
        """The first submit button (the one `submit: <form>` presses), or the one with that name and value."""
        buttons = [c for c in self.controls if c.type == "submit" and not c.disabled]
        if press is not None:
            buttons = [c for c in buttons if (c.name, c.value) == press]
        return next(iter(buttons), None)

    def names(self) -> set[str]:
        return {c.name for c in self.controls if c.name and c.type != "submit"}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.main_depth = 0
        self.form: Form | None = None
        self.select: Control | None = None
        self.option: list[Any] | None = None  # [value or None, selected, text]
        self.textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "main":
            self.main_depth += 1
        elif tag == "form":
            self.form = Form(a.get("action", ""), a.get("method", "get").lower(), self.main_depth > 0)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            default = "on" if kind in ("checkbox", "radio") else ""
            self._add(
                Control("input", kind, a.get("name", ""), a.get("value", default), "checked" in a, "disabled" in a)
            )
        elif tag == "button":
            self._add(Control("button", a.get("type", "submit").lower(), a.get("name", ""), a.get("value", "")))
        elif tag == "select":
            self.select = Control("select", "select", a.get("name", ""), disabled="disabled" in a)
            self._add(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
        elif tag == "textarea":
            self.textarea = Control("textarea", "textarea", a.get("name", ""), disabled="disabled" in a)
            self._add(self.textarea)

    def _add(self, control: Control) -> None:
        assert self.form is not None
        self.form.controls.append(control)

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option[2] += data
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.main_depth -= 1
        elif tag == "form":
            self.form = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value, selected, text = self.option
            self.select.options.append((value if value is not None else text.strip(), selected))
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def main_form(html: str, action_ends: str | None = None) -> Form:
    """The page's first form inside <main> (the manifest's `main form`), or the one whose action ends so."""
    for form in forms_of(html):
        if form.in_main and (action_ends is None or form.action.split("?")[0].endswith(action_ends)):
            return form
    raise FormError(f"no form{' for ' + action_ends if action_ends else ''} in <main>")


def _values(given: Any) -> list[str]:
    return [str(v) for v in (given if isinstance(given, list) else [given])]


def entry_list(form: Form, answers: dict[str, Any], press: tuple[str, str] | None = None) -> list[tuple[str, str]]:
    """What the browser sends for this form after the user put ``answers`` in and pressed its first submit
    button (or the one named ``press``: name, value). A checkbox already ticked stays ticked (Browser.fill
    does not click it off either)."""
    offered: dict[str, set[str]] = {}
    for c in form.controls:
        if c.name and c.tag == "input" and c.type in ("radio", "checkbox"):
            offered.setdefault(c.name, set()).add(c.value)
    for name, given in answers.items():
        kinds = {c.type for c in form.controls if c.name == name}
        if not kinds:
            raise FormError(f"no field {name} in the form")
        if kinds == {"hidden"}:
            raise FormError(f"{name} is a hidden field: a user cannot fill it in")
        if name in offered and not set(_values(given)) <= offered[name]:
            raise FormError(f"{name}: no choice {sorted(set(_values(given)) - offered[name])} on the page")
    pairs: list[tuple[str, str]] = []
    for c in form.controls:
        if not c.name or c.disabled or c.type in ("submit", "button", "reset", "image", "file"):
            continue
        given = _values(answers[c.name]) if c.name in answers else None
        if c.type == "checkbox":
            if c.checked or (given is not None and c.value in given):
                pairs.append((c.name, c.value))
        elif c.type == "radio":
            if (c.value == given[0]) if given is not None else c.checked:
                pairs.append((c.name, c.value))
        elif c.tag == "select":
            values = [v for v, _ in c.options]
            value = given[0] if given is not None else next((v for v, s in c.options if s), values[0] if values else "")
            if given is not None and value not in values:
                raise FormError(f"{c.name}: no option {value!r}")
            pairs.append((c.name, value))
        else:
            pairs.append((c.name, given[0] if given is not None else c.value))
    button = form.submitter(press)
    if press is not None and button is None:
        raise FormError(f"no button {press[0]}={press[1]} in the form")
    if button is not None and button.name:
        pairs.append((button.name, button.value))
    return pairs


@dataclass
class Response:
    status: int
    url: str
    location: str | None
    text: str
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


# A transport sends one request with the browser's cookies and gives back the response without following
# a redirect: (method, absolute url, urlencoded body or None) -> Response.
Transport = Callable[[str, str, str | None], Response]


class FormClient:
    """Pages fetched and forms sent over one browser's cookies, redirects followed by hand (so the last one
    can be left to the browser)."""

    def __init__(self, transport: Transport, base_url: str) -> None:
        self.send = transport
        self.base_url = base_url

    def url(self, path_or_url: str, relative_to: str | None = None) -> str:
        return urljoin(relative_to or self.base_url + "/", path_or_url)

    def get(self, path_or_url: str) -> Response:
        """GET, following redirects: the page a user who opened the address reads."""
        response = self.send("GET", self.url(path_or_url), None)
        return self.follow(response)

    def follow(self, response: Response, limit: int = 10) -> Response:
        for _ in range(limit):
            if response.status not in REDIRECTS or not response.location:
                return response
            response = self.send("GET", self.url(response.location, response.url), None)
        raise FormError(f"more than {limit} redirects from {response.url}")

    def submit(
        self,
        page: Response,
        answers: dict[str, Any],
        action_ends: str | None = None,
        press: tuple[str, str] | None = None,
    ) -> Response:
        """Fill in the page's main form and send it; the response as it comes (a redirect is not followed)."""
        return self.send_form(page, main_form(page.text, action_ends), answers, press)

    def send_form(
        self, page: Response, form: Form, answers: dict[str, Any], press: tuple[str, str] | None = None
    ) -> Response:
        """Send one form of the page with the answers put in (its first submit button, or ``press``)."""
        body = urlencode(entry_list(form, answers, press))
        # The fragment of the action stays in the browser (it is never sent), so it goes before the query is made.
        target = urldefrag(self.url(form.action or page.url, page.url)).url
        if form.method == "post":
            return self.send("POST", target, body)
        return self.send("GET", f"{target.split('?')[0]}?{body}", None)


def present(form: Form, names: Iterable[str]) -> list[str]:
    """Which of the names the form has a field for (a question shown only after an earlier answer is not there
    at first)."""
    have = form.names()
    return [name for name in names if name in have]


def _headers(accept_language: str, body: str | None) -> dict[str, str]:
    headers = {"Accept-Language": accept_language}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return headers


def playwright_transport(context: Any, accept_language: str) -> Transport:
    """Requests through the browser context's own request API: its cookie store, so the pages that follow
    in the browser have the session the forms made."""

    def send(method: str, url: str, body: str | None) -> Response:
        r = context.request.fetch(
            url, method=method, data=body, headers=_headers(accept_language, body), max_redirects=0
        )
        return Response(r.status, r.url, r.headers.get("location"), r.text(), dict(r.headers))

    return send
