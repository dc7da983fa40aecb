"""What a screen reader says on a page: @guidepup/virtual-screen-reader run in Chromium on the page a state's
other checks read (conftest.reached), its spoken phrases normalised into a transcript.

Why a virtual screen reader: the ARIA snapshots show the tree, not what is said from it. The virtual screen
reader walks the page as a screen reader user reading it line by line does ("next" from the start to "end of
document") and speaks each item as role, name, value, description and states ("heading, Your child, level 2";
"textbox, Postal code, invalid"), and it hears the live regions as they change. So a transcript shows what
a tree does not: a tag running into the next sentence, an announcement made twice, a control without a name.

The library is the package's own browser build (node_modules/@guidepup/virtual-screen-reader/lib/esm/
index.browser.js, pinned in package.json, nothing of it committed). It is an ES module that ends in one
`export{...}`; that line is turned into a property of `window` and the whole is run in a function through
the DevTools protocol (page.evaluate), like axe: the page keeps its real Content-Security-Policy.

The walk is one page.evaluate per page (start, "next" until "end of document", the spoken log, stop): a
round trip per item would cost a second or more on the long plan pages.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from .axe_support import PROJECT

VSR_PACKAGE = PROJECT / "node_modules" / "@guidepup" / "virtual-screen-reader"
VSR_PATH = VSR_PACKAGE / "lib" / "esm" / "index.browser.js"
GLOBAL_NAME = "__polkuVirtualScreenReader"
END = "end of document"
# An upper bound of items read on one page (the longest plan page has about 2,000): a walk that does not
# reach the end (a tree that keeps changing) stops here and fails the test, instead of running forever.
MAX_ITEMS = 8_000
MAP_PLACEHOLDER = "(map content is not compared)"

_EXPORT = re.compile(r"export\s*\{\s*([\w$]+)\s+as\s+Virtual\s*,\s*([\w$]+)\s+as\s+virtual\s*\}\s*;?")


def vsr_version() -> str:
    return str(json.loads((VSR_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"])


@cache
def vsr_source() -> str:
    """The browser build as a script that puts `{Virtual, virtual}` on window[GLOBAL_NAME] (once per page)."""
    source = VSR_PATH.read_text(encoding="utf-8")
    exports = _EXPORT.findall(source)
    if len(exports) != 1:
        raise RuntimeError(f"{VSR_PATH}: expected one `export{{… as Virtual, … as virtual}}`, found {len(exports)}")
    body = _EXPORT.sub(f"window.{GLOBAL_NAME} = {{ Virtual: {exports[0][0]}, virtual: {exports[0][1]} }};", source)
    body = body.replace("//# sourceMappingURL=", "//# (no source map) ")
    return f"(() => {{ 'use strict';\n{body}\n}})()"


def inject(page: Any) -> None:
    if not page.evaluate(f"() => typeof window.{GLOBAL_NAME} === 'object'"):
        page.evaluate(vsr_source())


# The whole walk in the page: the log of every item spoken from the start of the body to its end. Only the
# phrases of the walk: a live region changing while it runs (a map's tiles do not, but a script might) is
# spoken into the same log with a "polite: "/"assertive: " prefix, kept apart and returned on its own.
_WALK = f"""
async (maxItems) => {{
  const vsr = new window.{GLOBAL_NAME}.Virtual();
  await vsr.start({{ container: document.body }});
  try {{
    let steps = 0;
    while ((await vsr.lastSpokenPhrase()) !== "{END}" && steps < maxItems) {{
      await vsr.next();
      steps += 1;
    }}
    const log = [...(await vsr.spokenPhraseLog())];
    const live = log.filter(p => /^(polite|assertive): /.test(p));
    return {{ phrases: log.filter(p => !/^(polite|assertive): /.test(p)), live, complete: steps < maxItems }};
  }} finally {{
    await vsr.stop();
  }}
}}
"""


def spoken_phrases(page: Any, max_items: int = MAX_ITEMS) -> dict[str, Any]:
    """{"phrases": [...], "live": [...], "complete": bool} of reading the page from top to bottom."""
    inject(page)
    return dict(page.evaluate(_WALK, max_items))


def normalise_text(text: str) -> str:
    """A phrase without what changes from run to run (as test_aria_snapshots.normalise): the server's address,
    a saved plan's number, the token of a calendar address, a share link or a guest's visit, an error's reference."""
    text = re.sub(r"https?://(?:127\.0\.0\.1|localhost):\d+", "http://server", text)
    text = re.sub(r"webcal://(?:127\.0\.0\.1|localhost):\d+", "webcal://server", text)
    text = re.sub(r"/own/plans/\d+(?=[/?#\s\"',]|$)", "/own/plans/ID", text)
    text = re.sub(r"([?&]plan=)\d+", r"\1ID", text)
    text = re.sub(r"/shared/calendar/[\w-]+\.ics", "/shared/calendar/TOKEN.ics", text)
    text = re.sub(r"/shared/(?!calendar/)[\w-]{16,}", "/shared/TOKEN", text)  # a share link
    text = re.sub(r"/visits/[\w-]{16,}", "/visits/TOKEN", text)  # a guest's visit
    return re.sub(r"\b[0-9a-f]{12}\b", "REFERENCE", text)  # an error page's reference (portal/pages/errors.py)


# The account menu's link to the messages with its count of unread ones ("Messages 2 unread"): how many depends on
# what earlier states sent the person (organisers' answers, reminders), so it is read as the link alone.
_UNREAD = re.compile(r"^link, (?P<label>\S+) (?P<count>\d+ \S+)$")


def without_unread_counts(phrases: list[str]) -> list[str]:
    """The phrases with "link, Messages 2 unread", "Messages", "2 unread", "end of link, Messages 2 unread" read as
    "link, Messages" (what is said with no unread message)."""
    out: list[str] = []
    index = 0
    while index < len(phrases):
        match = _UNREAD.match(phrases[index])
        label = match and match.group("label")
        if match and phrases[index + 1 : index + 4] == [
            label,
            match.group("count"),
            f"end of {phrases[index]}",
        ]:
            out.append(f"link, {label}")
            index += 4
            continue
        out.append(phrases[index])
        index += 1
    return out


def normalise(phrases: list[str], map_names: list[str]) -> str:
    """The transcript: one phrase a line, normalised; what is said inside a map (from "region, <map name>" to
    its "end of region, <map name>") is one placeholder line; the unread messages' count is left out."""
    out: list[str] = []
    inside: str | None = None
    for phrase in without_unread_counts([normalise_text(" ".join(p.split())) for p in phrases]):
        if inside is not None:
            if phrase == inside:
                out.append(phrase)
                inside = None
            continue
        out.append(phrase)
        name = phrase.removeprefix("region, ")
        if phrase.startswith("region, ") and any(name == m or name.startswith(m) for m in map_names):
            out.append(MAP_PLACEHOLDER)
            inside = f"end of region, {name}"
    return "\n".join(out) + "\n"


# The roles of what a person operates: spoken without a name, a listener hears "button" and cannot know what it
# does (WCAG 4.1.2). What may follow the role in a phrase without being a name: the states and properties the
# reader speaks (its own words, in English whatever the page's language).
CONTROL_ROLES = {
    "button", "checkbox", "combobox", "link", "listbox", "menuitem", "option", "radio", "searchbox", "slider",
    "spinbutton", "switch", "tab", "textbox",
}  # fmt: skip
_STATE_LABEL = re.compile(
    r"^(?:not )?(?:checked|pressed|selected|expanded|invalid|required|disabled|readonly|busy|modal)$"
    r"|^(?:collapsed|current \w+|has popup(?: \w+)?|multi-?line|multi-?selectable|level \d+|position \d+"
    r"|set size \d+|orientation is \w+|autocomplete(?: is)? \w+|partially checked|max value .+|min value .+)$"
)


def unnamed_controls(lines: list[str]) -> list[str]:
    """The lines that speak a control's role with nothing but states after it ("button"; "textbox, required")."""
    found = []
    for line in lines:
        role, *rest = line.split(", ")
        if role in CONTROL_ROLES and all(_STATE_LABEL.match(part) for part in rest):
            found.append(line)
    return found


# Listening to a page while something changes it: a reader started on the body hears every live region change
# (its MutationObserver), as "polite: <text>" or "assertive: <text>", one phrase per change it would speak.
_LISTEN = f"""
async () => {{
  const vsr = window.__polkuListener = new window.{GLOBAL_NAME}.Virtual();
  await vsr.start({{ container: document.body }});
  await vsr.clearSpokenPhraseLog();
}}
"""
_HEARD = """
async () => {
  const vsr = window.__polkuListener;
  const heard = (await vsr.spokenPhraseLog()).filter(p => /^(polite|assertive): /.test(p));
  await vsr.clearSpokenPhraseLog();
  return heard;
}
"""


def listen(page: Any) -> None:
    """Start a reader on the page that records the live announcements from now on (read them with `heard`)."""
    inject(page)
    page.evaluate(_LISTEN)


def heard(page: Any) -> list[str]:
    """The live announcements since `listen` or the last `heard`, in order; the record starts empty again."""
    return list(page.evaluate(_HEARD))
