"""The auditor's report by success criterion: every WCAG 2.2 A and AA criterion (wcag-criteria.yaml) with its
EN 301 549 V3.2.1 clause, a status, and the evidence behind the status.

Auditors work by criterion and clause, not by tool rule, so this turns the results of both engines (axe-core's
rules by their wcagXYZ tags, HTML_CodeSniffer's messages by the criterion in their code), the other automated
tests of this folder (from the JUnit XML of the last run) and the manual checks (manual-checks.yaml) into one
row per criterion. report.build() writes it as reports/accessibility/audit.html (for people; it passes axe and
HTML_CodeSniffer itself) and audit.json (for machines, and the source of the accessibility statement draft).

The status of a criterion, first match wins:
  failed                      an automated check failed: an axe violation, an HTML_CodeSniffer error or a failed
                              test (exclusions do not count)
  manual: failed              the manual check failed
  manual: passed              the manual check passed (it is where a person records having reviewed what the
                              tools could not decide)
  not applicable              the manual check says so, with the reason
  needs review                a tool could not decide (axe "incomplete", HTML_CodeSniffer warnings); HTML_CodeSniffer's
                              "contrast not computed" warnings (CONTRAST_UNCOMPUTED) do not count when axe's
                              color-contrast, with the pixel check, decided every element of every state
  manual: not yet assessed    a manual check is listed and not done yet, or nothing checks the criterion at all
  passed by automated checks  automated checks ran on it and all passed, and no manual check is listed
Automated checks cover only part of a criterion: "passed by automated checks" is evidence, not conformance.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CRITERIA_PATH = HERE / "wcag-criteria.yaml"
MANUAL_PATH = HERE / "manual-checks.yaml"
JUNIT_FILES = ("accessibility-junit.xml", "junit.xml")  # in reports/, the newest one is read

STATUSES = {
    "failed": "failed",
    "manual_failed": "manual: failed",
    "manual_passed": "manual: passed",
    "not_applicable": "not applicable",
    "needs_review": "needs review",
    "not_assessed": "manual: not yet assessed",
    "automated_passed": "passed by automated checks",
}
OPEN = ("failed", "manual_failed", "needs_review", "not_assessed")
# HTML_CodeSniffer's warnings that it could not compute an element's contrast (positioned absolutely, a colour with
# alpha, a background image): not a doubt about the page, a limit of its method. axe-core's color-contrast rule checks
# the same elements in the same runs and, with the pixel check (contrast_pixels.py) for what it leaves undecided,
# gives each a verdict; when none is left undecided these warnings have their answer.
CONTRAST_UNCOMPUTED = {
    f"WCAG2AA.Principle1.Guideline1_4.1_4_3.{code}"
    for code in ("G18.Abs", "G18.Alpha", "G18.BgImage", "G145.Abs", "G145.Alpha", "G145.BgImage")
}


def load_criteria(path: Path = CRITERIA_PATH) -> dict[str, Any]:
    with Path(path).open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_manual(path: Path = MANUAL_PATH) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as f:
        return list(yaml.safe_load(f)["checks"])


# --- the other automated tests, from JUnit XML --------------------------------------------------


def junit_outcomes(reports_dir: Path) -> dict[str, Any]:
    """Passed, failed and skipped test cases per test file of this folder, from the newest JUnit XML in
    reports/ (`make test-a11y` or `make test`), with the file it came from; empty when there is none."""
    found = [Path(reports_dir) / name for name in JUNIT_FILES if (Path(reports_dir) / name).exists()]
    if not found:
        return {"source": None, "files": {}}
    newest = max(found, key=lambda p: p.stat().st_mtime)
    files: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0})
    try:
        root = ET.parse(newest).getroot()
    except (ET.ParseError, OSError):
        return {"source": str(newest), "files": {}, "unreadable": True}
    for case in root.iter("testcase"):
        module = (case.get("classname") or "").split(".")
        if len(module) < 3 or module[:2] != ["tests", "accessibility"]:
            continue
        counts = files[module[2] + ".py"]
        if case.find("failure") is not None or case.find("error") is not None:
            counts["failed"] += 1
        elif case.find("skipped") is not None:
            counts["skipped"] += 1
        else:
            counts["passed"] += 1
    return {"source": str(newest), "files": dict(files)}


# --- per criterion ------------------------------------------------------------------------------


def _axe_evidence(rules: dict[str, dict[str, Any]], sc: str) -> dict[str, Any]:
    mapped = [r for r in rules.values() if sc in (r.get("wcag") or [])]
    return {
        "rules": [
            {
                "id": r["id"],
                "violations": r["violations"],
                "needs_review": r["incomplete"],
                "excluded": r["excluded"],
                "runs_passed": r["passes"],
                "help": r.get("help"),
            }
            for r in sorted(mapped, key=lambda r: r["id"])
        ],
        "violations": sum(r["violations"] for r in mapped),
        "needs_review": sum(r["incomplete"] for r in mapped),
        "runs_passed": sum(r["passes"] for r in mapped),
        "states": sorted({s for r in mapped for s in _states(r)}),
    }


def _states(rule: dict[str, Any]) -> set[str]:
    runs = rule.get("violation_runs", []) + rule.get("incomplete_runs", []) + rule.get("pass_runs", [])
    return {str(run).split("/")[-1] for run in runs}


def _htmlcs_evidence(htmlcs: dict[str, Any], sc: str) -> dict[str, Any]:
    codes = [c for c in (htmlcs.get("codes") or {}).values() if c.get("wcag") == sc]
    total = lambda key: sum(c[key] for c in codes)  # noqa: E731
    return {
        "codes": [
            {k: c[k] for k in ("code", "errors", "excluded", "warnings", "notices", "message")}
            for c in sorted(codes, key=lambda c: c["code"])
        ],
        "errors": total("errors"),
        "excluded": total("excluded"),
        "warnings": total("warnings"),
        "decided_by_axe": 0,
        "notices": total("notices"),
        "states": sorted({s for c in codes if c["errors"] or c["warnings"] for s in c["states"]}),
    }


def decide_uncomputed_contrast(axe: dict[str, Any], htmlcs: dict[str, Any]) -> None:
    """Take HTML_CodeSniffer's "contrast not computed" warnings off the warnings to review (into
    ``decided_by_axe``) when axe's color-contrast rule ran on the pages and left nothing undecided."""
    contrast = next((r for r in axe["rules"] if r["id"] == "color-contrast"), None)
    if contrast is None or contrast["needs_review"] or not contrast["runs_passed"]:
        return
    decided = sum(c["warnings"] for c in htmlcs["codes"] if c["code"] in CONTRAST_UNCOMPUTED)
    htmlcs["warnings"] -= decided
    htmlcs["decided_by_axe"] = decided


def status_of(
    axe: dict[str, Any], htmlcs: dict[str, Any], tests: list[dict[str, Any]], manual: dict[str, Any] | None
) -> str:
    """The criterion's status (the module's docstring explains the order)."""
    if axe["violations"] or htmlcs["errors"] or any(t["failed"] for t in tests):
        return "failed"
    manual_status = (manual or {}).get("status")
    if manual_status == "fail":
        return "manual_failed"
    if manual_status == "pass":
        return "manual_passed"
    if manual_status == "not_applicable":
        return "not_applicable"
    if axe["needs_review"] or htmlcs["warnings"]:
        return "needs_review"
    if manual is not None:
        return "not_assessed"
    if axe["runs_passed"] or any(t["passed"] for t in tests):
        return "automated_passed"
    return "not_assessed"


def build_audit(
    summary: dict[str, Any],
    htmlcs: dict[str, Any],
    junit: dict[str, Any],
    criteria: dict[str, Any] | None = None,
    manual: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """audit.json's data: the criteria with status and evidence, the counts by status, and what was run."""
    criteria = criteria if criteria is not None else load_criteria()
    checks = {str(c["criterion"]): c for c in (manual if manual is not None else load_manual())}
    rules = summary.get("rules") or {}
    rows = []
    for entry in criteria["criteria"]:
        sc = str(entry["sc"])
        axe = _axe_evidence(rules, sc)
        sniffer = _htmlcs_evidence(htmlcs, sc)
        decide_uncomputed_contrast(axe, sniffer)
        tests = [
            {"file": name, **(junit["files"].get(name) or {"passed": 0, "failed": 0, "skipped": 0})}
            for name in entry.get("tests") or []
        ]
        check = checks.get(sc)
        status = status_of(axe, sniffer, tests, check)
        rows.append(
            {
                "sc": sc,
                "title": entry["title"],
                "level": entry["level"],
                "wcag_version": entry["wcag_version"],
                "en_301_549": entry.get("en_301_549"),
                "en_note": entry.get("en_note"),
                "status": status,
                "status_text": STATUSES[status],
                "axe": axe,
                "htmlcs": sniffer,
                "tests": tests,
                "manual": _manual_evidence(check),
            }
        )
    en_only = []
    for entry in criteria.get("en_only") or []:
        sc = str(entry["clause"])[2:]
        sniffer = _htmlcs_evidence(htmlcs, sc)
        status = "failed" if sniffer["errors"] else ("needs_review" if sniffer["warnings"] else "automated_passed")
        en_only.append({**entry, "status": status, "status_text": STATUSES[status], "htmlcs": sniffer})
    counts = {key: sum(1 for r in rows if r["status"] == key) for key in STATUSES}
    totals = summary.get("totals") or {}
    return {
        "generated_at": summary.get("generated_at"),
        "standard": "WCAG 2.2 levels A and AA; EN 301 549 V3.2.1 (2021-03) clause 9",
        "criteria": rows,
        "en_only": en_only,
        "counts": counts,
        "engines": {
            "axe-core": {
                "version": (summary.get("tools") or {}).get("axe-core"),
                "tags": summary.get("tags"),
                "runs": totals.get("runs", 0),
                "states": totals.get("states", 0),
                "engines": totals.get("engines", []),
                "languages": totals.get("languages", []),
                "violations": totals.get("violations", 0),
                "needs_review": totals.get("incomplete", 0),
            },
            "html_codesniffer": {k: v for k, v in htmlcs.items() if k != "codes"},
        },
        "junit": {"source": junit.get("source"), "files": junit.get("files")},
    }


def _manual_evidence(check: dict[str, Any] | None) -> dict[str, Any] | None:
    if check is None:
        return None
    return {
        "check": str(check["criterion"]),
        "title": check.get("title"),
        "status": check.get("status"),
        "tester": check.get("who"),
        "date": None if check.get("date") is None else str(check["date"]),
        "assistive_technology": check.get("assistive_technology"),
        "notes": check.get("notes") or "",
    }


# --- writing --------------------------------------------------------------------------------------


def write(audit: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "audit.json").write_text(json.dumps(audit, indent=1, ensure_ascii=False), encoding="utf-8")
    (out_dir / "audit.html").write_text(audit_html(audit), encoding="utf-8")


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _evidence_items(row: dict[str, Any]) -> list[str]:
    items = []
    axe = row["axe"]
    if axe["rules"]:
        rules = ", ".join(
            f"<code>{_e(r['id'])}</code> ({r['violations']} violations, {r['needs_review']} to review, "
            f"passed in {r['runs_passed']} runs)"
            for r in axe["rules"]
        )
        items.append(f"axe-core rules: {rules}; page states: {len(axe['states'])}.")
    else:
        items.append("axe-core: no rule of this criterion applied to the pages.")
    sniffer = row["htmlcs"]
    if sniffer["codes"]:
        codes = ", ".join(
            f"<code>{_e(c['code'].split('.', 4)[-1])}</code> ({c['errors']} errors, {c['warnings']} warnings, "
            f"{c['notices']} notices)"
            for c in sniffer["codes"]
        )
        decided = sniffer.get("decided_by_axe")
        if decided:
            codes += (
                f"; {decided} of these warnings say only that it could not compute the contrast, and axe-core's "
                "color-contrast rule, with the pixel check, decided every element"
            )
        items.append(f"HTML_CodeSniffer: {codes}.")
    else:
        items.append("HTML_CodeSniffer: no message for this criterion.")
    for test in row["tests"]:
        items.append(
            f"<code>{_e(test['file'])}</code>: {test['passed']} passed, {test['failed']} failed, "
            f"{test['skipped']} skipped."
        )
    manual = row["manual"]
    if manual is None:
        items.append("Manual check: none listed in manual-checks.yaml.")
    else:
        done = (
            f" by {_e(manual['tester'])} on {_e(manual['date'])} with {_e(manual['assistive_technology'])}"
            if manual["tester"]
            else ""
        )
        notes = f" Notes: {_e(manual['notes'])}" if manual["notes"] else ""
        items.append(f"Manual check “{_e(manual['title'])}”: {_e(manual['status'])}{done}.{notes}")
    return items


def audit_html(audit: dict[str, Any]) -> str:
    """The report as one HTML page: a table of every criterion, then the evidence of each. Plain semantic
    HTML (headings, a captioned table with header cells, lists), no scripts; the status is always a word."""
    engines = audit["engines"]
    axe, sniffer = engines["axe-core"], engines["html_codesniffer"]
    counts = "".join(f"<li>{_e(text)}: {audit['counts'].get(key, 0)}</li>" for key, text in STATUSES.items())
    rows = []
    for row in audit["criteria"]:
        clause = _e(row["en_301_549"]) if row["en_301_549"] else f"none ({_e(row['en_note'])})"
        rows.append(
            f'<tr><th scope="row"><a href="#sc-{_e(row["sc"])}">{_e(row["sc"])}</a></th><td>{_e(row["title"])}</td>'
            f"<td>{_e(row['level'])}</td><td>{clause}</td><td>{_e(row['status_text'])}</td></tr>"
        )
    details = []
    for row in audit["criteria"]:
        items = "".join(f"<li>{item}</li>" for item in _evidence_items(row))
        clause = f"EN 301 549 {_e(row['en_301_549'])}" if row["en_301_549"] else "no EN 301 549 V3.2.1 clause"
        details.append(
            f'<section aria-labelledby="sc-{_e(row["sc"])}"><h3 id="sc-{_e(row["sc"])}">{_e(row["sc"])} '
            f"{_e(row['title'])} (level {_e(row['level'])}, {clause})</h3>"
            f"<p>Status: <strong>{_e(row['status_text'])}</strong></p><ul>{items}</ul></section>"
        )
    en_only = "".join(
        f"<li>{_e(e['clause'])} {_e(e['title'])}: {_e(e['status_text'])}. HTML_CodeSniffer: "
        f"{e['htmlcs']['errors']} errors, {e['htmlcs']['warnings']} warnings. {_e(e['note'])}</li>"
        for e in audit["en_only"]
    )
    junit = audit["junit"]["source"] or "none found (run make test-a11y)"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accessibility audit of Polku by WCAG 2.2 success criterion</title>
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; margin: 1rem auto; max-width: 70rem; padding: 0 1rem;
  color: #0b0c0c; background: #fff; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #505a5f; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }}
a {{ color: #1d4f91; }}
a:focus {{ outline: 3px solid #0b0c0c; background: #fd0; }}
</style>
</head>
<body>
<header><p>Polku: accessibility evidence for auditors</p></header>
<main>
<h1>Accessibility audit by WCAG 2.2 success criterion</h1>
<p>Generated {_e(audit["generated_at"])}. Standard: {_e(audit["standard"])}. Every level A and AA success
criterion of WCAG 2.2 is listed with its EN 301 549 clause, its status and the evidence behind it. Automated
checks cover only part of a criterion: “passed by automated checks” is evidence, not conformance. How a status is
decided is written in tests/accessibility/audit.py; record a manual check with
<code>scripts/record_accessibility_check.py</code>.</p>
<h2>Summary</h2>
<ul>{counts}</ul>
<ul>
<li>axe-core {_e(axe["version"])}: {axe["runs"]} runs over {axe["states"]} page states
({_e(", ".join(axe["engines"]))}; {_e(", ".join(axe["languages"]))}), {axe["violations"]} violations,
{axe["needs_review"]} items to review.</li>
<li>HTML_CodeSniffer {_e(sniffer.get("version"))} ({_e(sniffer.get("standard"))}): {sniffer.get("runs", 0)} runs over
{sniffer.get("states", 0)} page states ({_e(", ".join(sniffer.get("languages") or []))}), {sniffer.get("errors", 0)}
errors, {sniffer.get("excluded", 0)} excluded, {sniffer.get("warnings", 0)} warnings, {sniffer.get("notices", 0)}
notices.</li>
<li>Other automated tests: from {_e(junit)}.</li>
</ul>
<h2>Success criteria</h2>
<table>
<caption>WCAG 2.2 A and AA success criteria, their EN 301 549 V3.2.1 clause and status</caption>
<thead><tr><th scope="col">Criterion</th><th scope="col">Title</th><th scope="col">Level</th>
<th scope="col">EN 301 549</th><th scope="col">Status</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<h2>EN 301 549 clauses without a WCAG 2.2 criterion</h2>
<ul>{en_only}</ul>
<h2>Evidence by criterion</h2>
{chr(10).join(details)}
</main>
</body>
</html>
"""
