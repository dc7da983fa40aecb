"""The accessibility statement (saavutettavuusseloste) required by Act 306/2019, as a generated draft.

The statement is generated from evidence, not written from memory: the auditor's report of the
automated accessibility suite (reports/accessibility/summary.json: axe-core and HTML_CodeSniffer, and
audit.json: every WCAG 2.2 A/AA criterion with its status) and the manual-check list
(tests/accessibility/manual-checks.yaml). `flask accessibility-statement` writes the draft to
portal/content/accessibility_statement.yaml; the statement page renders that file in fi, sv and en.

A generator cannot know that a service is accessible: automated tools find only part of the
problems. So the generated draft never claims full compliance. It says "partially compliant" while
anything is open (a violation, a failed manual check, an unchecked criterion, an item axe could not
decide), and otherwise "awaiting confirmation". Only a person can make the claim, by writing
``compliance: full`` together with their name and the date of signing; the loader refuses ``full``
without a signature.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from configurator import clock
from configurator.i18n import N_

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "content" / "accessibility_statement.yaml"

# WCAG 2.2 success criteria (A and AA, plus the AAA ones axe can tag), titles as msgids.
SC_TITLES: dict[str, str] = {
    "1.1.1": N_("Non-text Content"),
    "1.2.1": N_("Audio-only and Video-only (Prerecorded)"),
    "1.2.2": N_("Captions (Prerecorded)"),
    "1.2.3": N_("Audio Description or Media Alternative (Prerecorded)"),
    "1.2.4": N_("Captions (Live)"),
    "1.2.5": N_("Audio Description (Prerecorded)"),
    "1.3.1": N_("Info and Relationships"),
    "1.3.2": N_("Meaningful Sequence"),
    "1.3.3": N_("Sensory Characteristics"),
    "1.3.4": N_("Orientation"),
    "1.3.5": N_("Identify Input Purpose"),
    "1.4.1": N_("Use of Color"),
    "1.4.2": N_("Audio Control"),
    "1.4.3": N_("Contrast (Minimum)"),
    "1.4.4": N_("Resize Text"),
    "1.4.5": N_("Images of Text"),
    "1.4.6": N_("Contrast (Enhanced) (AAA)"),
    "1.4.10": N_("Reflow"),
    "1.4.11": N_("Non-text Contrast"),
    "1.4.12": N_("Text Spacing"),
    "1.4.13": N_("Content on Hover or Focus"),
    "2.1.1": N_("Keyboard"),
    "2.1.2": N_("No Keyboard Trap"),
    "2.1.3": N_("Keyboard (No Exception) (AAA)"),
    "2.1.4": N_("Character Key Shortcuts"),
    "2.2.1": N_("Timing Adjustable"),
    "2.2.2": N_("Pause, Stop, Hide"),
    "2.3.1": N_("Three Flashes or Below Threshold"),
    "2.4.1": N_("Bypass Blocks"),
    "2.4.2": N_("Page Titled"),
    "2.4.3": N_("Focus Order"),
    "2.4.4": N_("Link Purpose (In Context)"),
    "2.4.5": N_("Multiple Ways"),
    "2.4.6": N_("Headings and Labels"),
    "2.4.7": N_("Focus Visible"),
    "2.4.9": N_("Link Purpose (Link Only) (AAA)"),
    "2.4.10": N_("Section Headings (AAA)"),
    "2.4.11": N_("Focus Not Obscured (Minimum)"),
    "2.5.1": N_("Pointer Gestures"),
    "2.5.2": N_("Pointer Cancellation"),
    "2.5.3": N_("Label in Name"),
    "2.5.4": N_("Motion Actuation"),
    "2.5.7": N_("Dragging Movements"),
    "2.5.8": N_("Target Size (Minimum)"),
    "3.1.1": N_("Language of Page"),
    "3.1.2": N_("Language of Parts"),
    "3.2.1": N_("On Focus"),
    "3.2.2": N_("On Input"),
    "3.2.3": N_("Consistent Navigation"),
    "3.2.4": N_("Consistent Identification"),
    "3.2.6": N_("Consistent Help"),
    "3.3.1": N_("Error Identification"),
    "3.3.2": N_("Labels or Instructions"),
    "3.3.3": N_("Error Suggestion"),
    "3.3.4": N_("Error Prevention (Legal, Financial, Data)"),
    "3.3.7": N_("Redundant Entry"),
    "3.3.8": N_("Accessible Authentication (Minimum)"),
    "4.1.1": N_("Parsing (obsolete in WCAG 2.2)"),
    "4.1.2": N_("Name, Role, Value"),
    "4.1.3": N_("Status Messages"),
}
# Manual checks that are not a WCAG success criterion, with their titles.
OTHER_CHECKS: dict[str, str] = {"plain-language": N_("Plain language")}

LANGUAGES = ("fi", "sv", "en")
COMPLIANCE = ("partial", "not_compliant", "awaiting_confirmation", "full")
KINDS = ("violation", "manual_fail", "needs_review", "not_tested")
PROBLEM_KINDS = ("violation", "manual_fail")
MANUAL_STATUSES = ("not_tested", "pass", "fail", "not_applicable")

# How each kind of open item reads in the statement.
KIND_TEXTS: dict[str, str] = {
    "violation": N_("The automated tests found {count} problems on {pages} page states."),
    "manual_fail": N_("A manual check found a problem."),
    "needs_review": N_(
        "The automated tool could not decide {count} items on {pages} page states; a person has not yet reviewed them."
    ),
    "not_tested": N_("Not yet checked by a person."),
}


class StatementError(ValueError):
    """The statement file is malformed or claims more than its signature allows."""


@dataclass(frozen=True)
class OpenItem:
    """Something the statement must disclose: a problem found, or a criterion not yet assessed."""

    kind: str
    criterion: str | None
    count: int = 0
    pages: int = 0
    rules: tuple[str, ...] = ()
    description: dict[str, str] = field(default_factory=dict)

    @property
    def is_problem(self) -> bool:
        return self.kind in PROBLEM_KINDS

    def title(self) -> str | None:
        """The criterion's title msgid (None for a best-practice rule with no criterion)."""
        if self.criterion is None:
            return None
        return SC_TITLES.get(self.criterion) or OTHER_CHECKS.get(self.criterion)


@dataclass(frozen=True)
class Statement:
    """The statement's data: who decides on it, what was tested and how, and what is open."""

    generated_on: dt.date
    compliance: str
    signed_by: str | None
    signed_on: dt.date | None
    tools: dict[str, str]
    tags: tuple[str, ...]
    automated: dict[str, int]
    languages: tuple[str, ...]
    manual: dict[str, int]
    items: tuple[OpenItem, ...]

    @property
    def is_draft(self) -> bool:
        return not (self.signed_by and self.signed_on)

    @property
    def problems(self) -> tuple[OpenItem, ...]:
        return tuple(item for item in self.items if item.is_problem)

    @property
    def not_assessed(self) -> tuple[OpenItem, ...]:
        return tuple(item for item in self.items if not item.is_problem)


# --- generating -------------------------------------------------------------------------------


def _generated_on(generated_at: Any) -> str:
    """The Helsinki date of the run (the report stamps it in UTC: a run at 23:00 UTC is the next day here),
    or today when the report does not say."""
    if not generated_at:
        return clock.today().isoformat()
    try:
        return clock.aware(dt.datetime.fromisoformat(str(generated_at))).date().isoformat()
    except ValueError:
        return str(generated_at)[:10]


def generate(
    summary: dict[str, Any], checks: Iterable[dict[str, Any]], audit: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The statement draft as plain data, from the report summary (axe and HTML_CodeSniffer), the manual-check
    list and the auditor's report by success criterion (audit.json, tests/accessibility/audit.py).

    An item a tool could not decide stays open until the manual check of every one of its success
    criteria has passed: that check is where a person records having reviewed incomplete.md. A criterion
    that the audit could not assess at all (no automated evidence and no manual check listed) is disclosed
    as not yet checked, so a criterion nobody looks at cannot drop out of the statement.
    """
    checks = list(checks)
    passed = {str(c["criterion"]) for c in checks if c.get("status") == "pass"}
    items = _report_items(summary, passed) + _manual_items(checks) + _unassessed_items(audit, checks)
    items.sort(key=lambda item: (KINDS.index(item["kind"]), _criterion_key(item["criterion"])))
    generated = _generated_on(summary.get("generated_at"))
    totals = summary.get("totals") or {}
    return {
        "generated_on": generated,
        "compliance": _compliance(items),
        "signed_by": None,
        "signed_on": None,
        "method": {
            "tools": {
                name: _version_text(v)
                for name, v in (summary.get("tools") or {}).items()
                if name in ("axe-core", "html_codesniffer", "chromium", "playwright", "selenium", "axe-selenium-python")
                and v
            },
            "tags": list(summary.get("tags") or []),
            "automated": {key: int(totals.get(key) or 0) for key in ("runs", "states", "violations", "incomplete")}
            | {"pages": len(totals.get("pages") or [])}
            | _htmlcs_counts(summary),
            "languages": list(totals.get("languages") or []),
            "manual": {status: sum(1 for c in checks if c.get("status") == status) for status in MANUAL_STATUSES},
        },
        "items": items,
    }


def _htmlcs_counts(summary: dict[str, Any]) -> dict[str, int]:
    """HTML_CodeSniffer's runs, errors and warnings, when the report ran it."""
    htmlcs = summary.get("htmlcs") or {}
    return {f"htmlcs_{key}": int(htmlcs.get(key) or 0) for key in ("runs", "errors", "warnings")} if htmlcs else {}


def _version_text(value: Any) -> str:
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _compliance(items: list[dict[str, Any]]) -> str:
    """Never "full": a generator cannot know that; a person signs that claim."""
    return "partial" if items else "awaiting_confirmation"


def _report_items(summary: dict[str, Any], passed: set[str]) -> list[dict[str, Any]]:
    """Violations and undecided items from the report, one item per criterion and kind."""
    grouped: dict[tuple[str, str | None], dict[str, Any]] = {}
    for rule in (summary.get("rules") or {}).values():
        criteria = [str(sc) for sc in rule.get("wcag") or []] or [None]
        outcomes = (
            ("violation", rule.get("violations"), rule.get("violation_runs")),
            ("needs_review", rule.get("incomplete"), rule.get("incomplete_runs")),
        )
        for kind, count, runs in outcomes:
            if not count:
                continue
            reviewed = [sc for sc in criteria if sc]
            if kind == "needs_review" and reviewed and all(sc in passed for sc in reviewed):
                continue
            for criterion in criteria:
                item = grouped.setdefault(
                    (kind, criterion), {"kind": kind, "criterion": criterion, "count": 0, "runs": set(), "rules": []}
                )
                item["count"] += int(count)
                item["runs"].update(_page_states(runs or []))
                item["rules"].append(str(rule.get("id")))
    # The second engine, HTML_CodeSniffer: errors are problems, warnings are undecided, per criterion of its code.
    for code in ((summary.get("htmlcs") or {}).get("codes") or {}).values():
        criterion = code.get("wcag")
        if criterion not in SC_TITLES:
            continue  # 4.1.1 (no WCAG 2.2 criterion) and codes without one: in the report, not the statement
        for kind, count in (("violation", code.get("errors")), ("needs_review", code.get("warnings"))):
            if not count or (kind == "needs_review" and criterion in passed):
                continue
            item = grouped.setdefault(
                (kind, criterion), {"kind": kind, "criterion": criterion, "count": 0, "runs": set(), "rules": []}
            )
            item["count"] += int(count)
            item["runs"].update(str(state) for state in code.get("states") or [])
            item["rules"].append(str(code.get("code")))
    return [
        {
            "kind": i["kind"],
            "criterion": i["criterion"],
            "count": i["count"],
            "pages": len(i["runs"]),
            "rules": sorted(set(i["rules"])),
        }
        for i in grouped.values()
    ]


def _page_states(runs: Iterable[str]) -> set[str]:
    """Runs are named "<engine>/<lang>/<page>-<state>"; a page state counts once over engines and languages."""
    return {str(run).split("/")[-1] for run in runs}


def _unassessed_items(audit: dict[str, Any] | None, checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Criteria the audit marks not yet assessed that have no manual check of their own (those are listed by
    _manual_items already)."""
    listed = {str(c["criterion"]) for c in checks}
    return [
        {"kind": "not_tested", "criterion": str(row["sc"])}
        for row in (audit or {}).get("criteria") or []
        if row.get("status") == "not_assessed" and str(row["sc"]) not in listed and str(row["sc"]) in SC_TITLES
    ]


def _manual_items(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    items = []
    for check in checks:
        status = check.get("status")
        if status == "fail":
            items.append(
                {
                    "kind": "manual_fail",
                    "criterion": str(check["criterion"]),
                    "description": dict(check.get("statement") or {}),
                }
            )
        elif status == "not_tested":
            items.append({"kind": "not_tested", "criterion": str(check["criterion"])})
    return items


def _criterion_key(criterion: str | None) -> tuple[int, ...]:
    if criterion is None or criterion not in SC_TITLES:
        return (99,)
    return tuple(int(part) for part in criterion.split("."))


def generate_file(
    summary_path: Path | str,
    manual_path: Path | str,
    output: Path | str = DEFAULT_PATH,
    audit_path: Path | str | None = None,
) -> Statement:
    """Generate the draft from the evidence files (the audit by criterion: audit.json beside the summary unless
    given), write it and read it back (which validates it)."""
    summary = json.loads(Path(summary_path).read_text(encoding="utf-8"))
    checks = yaml.safe_load(Path(manual_path).read_text(encoding="utf-8"))["checks"]
    audit_file = Path(audit_path) if audit_path else Path(summary_path).with_name("audit.json")
    audit = json.loads(audit_file.read_text(encoding="utf-8")) if audit_file.exists() else None
    write(generate(summary, checks, audit), Path(output))
    return load(output)


def write(data: dict[str, Any], path: Path = DEFAULT_PATH) -> None:
    """Write the draft with a header that tells the signer which fields are theirs."""
    header = (
        "# Accessibility statement draft, generated by `flask accessibility-statement` from\n"
        "# reports/accessibility/summary.json and tests/accessibility/manual-checks.yaml.\n"
        "# Do not edit the evidence by hand: fix the product or record the manual check, then generate again.\n"
        "# The person responsible reviews the draft and signs it by filling in signed_by and signed_on;\n"
        "# only a signed statement may say `compliance: full`.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


# --- loading ----------------------------------------------------------------------------------


def load(path: Path | str = DEFAULT_PATH) -> Statement:
    """Read and check the statement file; raise StatementError if it is malformed or overclaims."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise StatementError(f"cannot read {path}: {error}") from error
    if not isinstance(data, dict):
        raise StatementError(f"{path}: expected a mapping")
    try:
        return _statement(data)
    except (KeyError, TypeError, ValueError) as error:
        raise StatementError(f"{path}: {error}") from error


def _statement(data: dict[str, Any]) -> Statement:
    compliance = data["compliance"]
    if compliance not in COMPLIANCE:
        raise StatementError(f"compliance {compliance!r} is not one of {COMPLIANCE}")
    signed_by, signed_on = data.get("signed_by"), _date_or_none(data.get("signed_on"))
    if compliance == "full" and not (signed_by and signed_on):
        raise StatementError("only a statement signed by a person (signed_by, signed_on) may claim full compliance")
    method = data["method"]
    items = tuple(_item(raw) for raw in data.get("items") or [])
    if compliance == "full" and any(item.is_problem for item in items):
        raise StatementError("a statement that lists problems cannot claim full compliance")
    return Statement(
        generated_on=_date(data["generated_on"]),
        compliance=compliance,
        signed_by=signed_by,
        signed_on=signed_on,
        tools={str(k): str(v) for k, v in (method.get("tools") or {}).items()},
        tags=tuple(method.get("tags") or ()),
        automated={str(k): int(v) for k, v in (method.get("automated") or {}).items()},
        languages=tuple(method.get("languages") or ()),
        manual={status: int((method.get("manual") or {}).get(status, 0)) for status in MANUAL_STATUSES},
        items=items,
    )


def _item(raw: dict[str, Any]) -> OpenItem:
    kind, criterion = raw["kind"], raw.get("criterion")
    if kind not in KINDS:
        raise StatementError(f"item kind {kind!r} is not one of {KINDS}")
    if criterion is not None and str(criterion) not in SC_TITLES and str(criterion) not in OTHER_CHECKS:
        raise StatementError(f"{criterion!r} is not a WCAG 2.2 success criterion or a known check")
    description = {str(k): str(v) for k, v in (raw.get("description") or {}).items()}
    if kind == "manual_fail" and set(description) != set(LANGUAGES):
        raise StatementError(f"a failed manual check of {criterion} needs a description in {LANGUAGES}")
    return OpenItem(
        kind=kind,
        criterion=None if criterion is None else str(criterion),
        count=int(raw.get("count") or 0),
        pages=int(raw.get("pages") or 0),
        rules=tuple(raw.get("rules") or ()),
        description=description,
    )


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _date_or_none(value: Any) -> dt.date | None:
    return None if value in (None, "") else _date(value)


def main(argv: list[str] | None = None) -> int:
    """`python -m portal.pages.accessibility_statement`: works even when the app cannot start (no statement yet)."""
    parser = argparse.ArgumentParser(description="Generate the accessibility statement draft.")
    parser.add_argument(
        "--summary", default="reports/accessibility/summary.json", help="the report written by `make test-a11y`"
    )
    parser.add_argument("--manual", default="tests/accessibility/manual-checks.yaml", help="the manual-check list")
    parser.add_argument(
        "--audit", default=None, help="the audit by success criterion (default: audit.json beside the summary)"
    )
    parser.add_argument("--output", default=str(DEFAULT_PATH), help="where to write the draft")
    args = parser.parse_args(argv)
    statement = generate_file(args.summary, args.manual, args.output, args.audit)
    print(
        f"Wrote {args.output}: compliance {statement.compliance}, {len(statement.problems)} problem(s), "
        f"{len(statement.not_assessed)} item(s) not yet assessed. A person reviews and signs it."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
