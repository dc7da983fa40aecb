"""HTML_CodeSniffer, the second engine: run in Chromium on the page a state's other checks read, judged against
htmlcs-exclusions.yaml, its raw results written beside axe's.

Why a second engine: axe-core and HTML_CodeSniffer (the engine behind pa11y) implement the WCAG techniques
independently, and each finds things the other does not (issue 19: HTMLCS found 28 errors axe had passed,
`autocomplete="street-address"` on one-line inputs). It is injected like axe, through the DevTools protocol
(page.evaluate), so the page keeps its real Content-Security-Policy.

HTMLCS reports three kinds of message: errors (a technique failed for sure), warnings (probably a problem,
a person has to look) and notices (a reminder to check something by hand). Only errors fail a test; all
three are written to reports/accessibility/raw-htmlcs/<lang>/<page>-<state>.json and counted in the report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from .axe_support import PROJECT, REPORT_DIR, PageState
from .report import sc_of_htmlcs_code as sc_of

HERE = Path(__file__).resolve().parent
HTMLCS_PACKAGE = PROJECT / "node_modules" / "html_codesniffer"
HTMLCS_PATH = HTMLCS_PACKAGE / "build" / "HTMLCS.js"
EXCLUSIONS_PATH = HERE / "htmlcs-exclusions.yaml"
RAW_DIR = REPORT_DIR / "raw-htmlcs"
STANDARD = "WCAG2AA"
ENGINE = "htmlcs"
TYPES = {1: "error", 2: "warning", 3: "notice"}
EXCLUSION_KEYS = {"code", "reason", "pages", "states", "languages", "selector"}

# Runs HTMLCS on the document and returns its messages with what a person needs to find the element: a CSS
# selector (by id where there is one, else by position under the nearest ancestor with an id) and the start
# of its HTML. HTMLCS itself holds the element only as a DOM node, which does not cross to Python.
_RUN = """
([standard, language]) => new Promise((resolve, reject) => {
  const selector = (element) => {
    if (!element || element.nodeType !== 1) return element && element.nodeType === 9 ? 'document' : '';
    const parts = [];
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      if (e.id) { parts.unshift('#' + CSS.escape(e.id)); break; }
      let part = e.localName;
      const same = e.parentElement ? [...e.parentElement.children].filter(c => c.localName === e.localName) : [];
      if (same.length > 1) part += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
      parts.unshift(part);
    }
    return parts.join(' > ');
  };
  const html = (element) => {
    if (!element || element.nodeType !== 1) return '';
    const text = element.outerHTML;
    const open = text.indexOf('>') + 1;
    return (open > 0 && open < 300 ? text.slice(0, open) : text.slice(0, 300));
  };
  HTMLCS.process(standard, document, () => {
    resolve(HTMLCS.getMessages().map(m => ({
      type: m.type, code: m.code, message: m.msg, selector: selector(m.element), html: html(m.element),
    })));
  }, () => reject(new Error('HTML_CodeSniffer could not run')), language);
})
"""


def htmlcs_version() -> str:
    return str(json.loads((HTMLCS_PACKAGE / "package.json").read_text(encoding="utf-8"))["version"])


# HTMLCS 2.5.1's autocomplete check (1.3.5, H98) asks for its messages as "1_3_5_H98.InvalidAutoComplete_<group>"
# while its translations spell them "InvalidAutocomplete_<group>": the lookup gives undefined and the whole run
# stops with "Cannot read properties of undefined (reading 'replace')" on the first wrong token, so exactly the
# errors we want to see would never be reported (squizlabs/HTML_CodeSniffer#296, open; pa11y-webservice#164).
# The messages are copied under the spelling the check uses, in every language HTMLCS has.
_ALIAS_AUTOCOMPLETE_MESSAGES = """
() => {
  for (const messages of Object.values(window.translation || {})) {
    for (const key of Object.keys(messages)) {
      if (key.startsWith('1_3_5_H98.InvalidAutocomplete_')) {
        messages[key.replace('InvalidAutocomplete_', 'InvalidAutoComplete_')] = messages[key];
      }
    }
  }
}
"""


def run_htmlcs(page: Any) -> list[dict[str, Any]]:
    """HTMLCS's messages for the page as it is now (WCAG2AA: the A and AA techniques), in English."""
    if not page.evaluate("() => typeof window.HTMLCS === 'object'"):
        page.evaluate(HTMLCS_PATH.read_text(encoding="utf-8"))
        page.evaluate(_ALIAS_AUTOCOMPLETE_MESSAGES)
    messages = page.evaluate(_RUN, [STANDARD, "en"])
    return [{**m, "type": TYPES.get(m["type"], str(m["type"])), "wcag": sc_of(m["code"])} for m in messages]


def load_exclusions(path: Path = EXCLUSIONS_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    return list(data.get("exclusions") or [])


def excluded(
    message: dict[str, Any], state: PageState, lang: str, exclusions: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The exclusion that accepts this message, if any: `code` is a prefix of the message's code, the other
    keys narrow it (pages, states, languages, and `selector`, a substring of the element's selector)."""
    for rule in exclusions:
        if not str(message["code"]).startswith(str(rule.get("code"))):
            continue
        if rule.get("pages") and state.page not in rule["pages"]:
            continue
        if rule.get("states") and state.state not in rule["states"]:
            continue
        if rule.get("languages") and lang not in rule["languages"]:
            continue
        if rule.get("selector") and rule["selector"] not in str(message.get("selector") or ""):
            continue
        return rule
    return None


@dataclass
class HtmlcsOutcome:
    errors: list[dict[str, Any]]
    excluded: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)

    def message(self) -> str:
        lines = [f"{len(self.errors)} HTML_CodeSniffer error(s):"]
        for error in self.errors[:20]:
            lines.append(f"- {error['code']}\n    {error['selector']}: {error['message']}\n    {error['html']}")
        if len(self.errors) > 20:
            lines.append(f"... and {len(self.errors) - 20} more")
        return "\n".join(lines)


def judge(
    messages: list[dict[str, Any]],
    state: PageState,
    lang: str,
    url: str,
    exclusions: list[dict[str, Any]] | None = None,
    raw_dir: Path | None = RAW_DIR,
    seconds: float | None = None,
) -> HtmlcsOutcome:
    """Apply the written exclusions to the errors, save the raw result, and return what fails the test."""
    exclusions = load_exclusions() if exclusions is None else exclusions
    outcome = HtmlcsOutcome(errors=[])
    for message in messages:
        if message["type"] == "error":
            rule = excluded(message, state, lang, exclusions)
            if rule:
                outcome.excluded.append({**message, "excluded_because": rule["reason"]})
            else:
                outcome.errors.append(message)
        elif message["type"] == "warning":
            outcome.warnings.append(message)
        else:
            outcome.notices.append(message)
    if raw_dir is not None:
        record = {
            "engine": ENGINE,
            "standard": STANDARD,
            "htmlcs_version": htmlcs_version(),
            "language": lang,
            "page": state.page,
            "state": state.state,
            "url": url,
            "written_at": datetime.now(UTC).isoformat(),
            "seconds": None if seconds is None else round(seconds, 3),  # HTMLCS's own time on the page
            "error_count": len(outcome.errors),
            "errors": outcome.errors,
            "excluded": outcome.excluded,
            "warnings": outcome.warnings,
            "notices": outcome.notices,
        }
        target = Path(raw_dir) / lang / f"{state.id}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    return outcome
