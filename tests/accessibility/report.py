"""The auditor's report of the axe-core runs, built from the raw results.

Reads reports/accessibility/raw/<engine>/<lang>/<page>-<state>.json (written by axe_support.judge) and
writes, next to raw/:

- summary.md    results grouped by WCAG success criterion and by EN 301 549 clause, with the tool
                versions, the axe tags used and the date;
- summary.json  the same data for machines (the keys written by axe_support.write_summary for the
                current test session are kept);
- incomplete.md every "incomplete" (needs review) item axe found: a person has to judge these;
- audit.html and audit.json: every WCAG 2.2 A/AA success criterion with its EN 301 549 clause, status and
                evidence (audit.py), from axe, HTML_CodeSniffer (raw-htmlcs/), the other tests' JUnit XML and
                the manual checks.

Run it by hand with `python -m tests.accessibility.report [raw dir] [output dir]`; the accessibility
tests' conftest runs it at the end of every pytest session that wrote raw results.

Counting: a violation or an incomplete item is one element (axe "node") in one run; a run is one
page state, in one language, with one engine. axe is run with resultTypes [violations, incomplete],
so for passing rules it reports only the first element: passes are therefore counted in runs, not in
elements. Violations listed in exclusions.yaml are reported apart ("excluded") with their reason and
are not counted as violations.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
REPORT_DIR = PROJECT / "reports" / "accessibility"
RAW_DIR = REPORT_DIR / "raw"
HTMLCS_RAW_DIR = REPORT_DIR / "raw-htmlcs"
AXE_PACKAGE = PROJECT / "node_modules" / "axe-core" / "package.json"
DEFAULT_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
OUTCOMES = ("violations", "incomplete", "passes")
BEST_PRACTICE = "best-practice"
NO_CLAUSE = "none"
IMPACTS = [None, "minor", "moderate", "serious", "critical"]

# WCAG 2.2 success criteria at levels A and AA, with their (English) titles: one table for the report and
# the accessibility statement.
from portal.pages.accessibility_statement import SC_TITLES  # noqa: E402

SC_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")
LEVEL_TAG = re.compile(r"^wcag2(\d?)(a{1,3})$")
EN_TAG = re.compile(r"^EN-(9(?:\.\d+){3,4})$")


# HTML_CodeSniffer's message codes name the criterion: "WCAG2AA.Principle1.Guideline1_3.1_3_5.H98" is 1.3.5,
# "…Guideline1_3.1_3_1_A.G141" is 1.3.1.
HTMLCS_SC = re.compile(r"\.Guideline\d+_\d+\.(\d+)_(\d+)_(\d+)(?:_[A-Za-z]+)?\.")


def sc_of_htmlcs_code(code: str) -> str | None:
    """The WCAG success criterion of an HTML_CodeSniffer message code, or None."""
    match = HTMLCS_SC.search(code + ".")
    return ".".join(match.groups()) if match else None


def sc_from_tag(tag: str) -> str | None:
    """ "wcag143" -> "1.4.3", "wcag1410" -> "1.4.10"; level tags such as "wcag21aa" -> None."""
    match = SC_TAG.match(tag)
    return ".".join(match.groups()) if match else None


def level_from_tags(tags: list[str]) -> str | None:
    """ "A", "AA" or "AAA" (with the WCAG version that added it) from tags like "wcag2a", "wcag22aa"."""
    for tag in tags:
        match = LEVEL_TAG.match(tag)
        if match:
            version = "2." + (match.group(1) or "0")
            return f"{match.group(2).upper()} (WCAG {version})"
    return None


def en_clauses(tags: list[str], scs: list[str]) -> list[str]:
    """EN 301 549 clauses: the "EN-9.x.y.z" tags of axe 4.14, else clause 9 (web) + the WCAG SC."""
    found = [m.group(1) for m in map(EN_TAG.match, tags) if m]
    return found or [f"9.{sc}" for sc in scs]


def sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split(".") if p.isdigit()) if number[:1].isdigit() else (999,)


# --- reading the raw results ------------------------------------------------------------------


@dataclass
class Run:
    engine: str
    language: str
    page: str
    state: str
    url: str
    results: dict[str, Any]
    excluded: list[dict[str, Any]]
    axe_version: str | None = None
    tags: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def where(self) -> str:
        return f"{self.engine}/{self.language}/{self.page}-{self.state}"


def read_runs(raw_dir: Path = RAW_DIR) -> tuple[list[Run], list[str]]:
    """Every raw result file under raw_dir, and the files that could not be read."""
    runs, unreadable = [], []
    for path in sorted(Path(raw_dir).glob("*/*/*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            engine, lang = path.parent.parent.name, path.parent.name
            page, state = record.get("page"), record.get("state")
            if not page or not state:
                page, _, state = path.stem.partition("-")
            options = record.get("run_options") or {}
            tags = list((options.get("runOnly") or {}).get("values") or [])
            runs.append(
                Run(
                    engine=record.get("engine", engine),
                    language=record.get("language", lang),
                    page=page,
                    state=state,
                    url=record.get("url", ""),
                    results=record.get("results") or {},
                    excluded=list(record.get("excluded") or []),
                    tags=tags,
                    path=str(path),
                    axe_version=record.get("axe_version")
                    or (record.get("results") or {}).get("testEngine", {}).get("version"),
                )
            )
        except (OSError, ValueError, AttributeError, TypeError) as error:
            unreadable.append(f"{path}: {error}")
    return runs, unreadable


def _targets(node: dict[str, Any]) -> str:
    target = node.get("target") or []
    return " ".join(" ".join(t) if isinstance(t, list) else str(t) for t in target)


def counted_nodes(run: Run, rule: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The violation's elements that count, and those excluded by exclusions.yaml (with their reason)."""
    excluded = [n for v in run.excluded if v.get("id") == rule.get("id") for n in v.get("nodes", [])]
    excluded_targets = {_targets(n) for n in excluded}
    counted = [n for n in rule.get("nodes", []) if _targets(n) not in excluded_targets]
    return counted, excluded


def node_message(node: dict[str, Any]) -> str:
    messages = [check.get("message", "") for kind in ("any", "all", "none") for check in node.get(kind) or []]
    messages = [m for m in dict.fromkeys(messages) if m]
    if messages:
        return "; ".join(messages)
    summary = (node.get("failureSummary") or "").strip().splitlines()
    return " ".join(line.strip() for line in summary[1:] or summary)


def read_htmlcs(raw_dir: Path = HTMLCS_RAW_DIR) -> tuple[list[dict[str, Any]], list[str]]:
    """Every HTML_CodeSniffer raw result (htmlcs_support.judge) under raw_dir/<lang>/, and the unreadable files."""
    runs, unreadable = [], []
    for path in sorted(Path(raw_dir).glob("*/*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(record, dict) or "page" not in record:
                raise ValueError("not an HTML_CodeSniffer result")
            runs.append(record)
        except (OSError, ValueError) as error:
            unreadable.append(f"{path}: {error}")
    return runs, unreadable


def collect_htmlcs(runs: list[dict[str, Any]], unreadable: list[str] | None = None) -> dict[str, Any]:
    """HTML_CodeSniffer's results counted like axe's: messages (one element in one run) by message code, with
    the success criterion of the code and the page states where errors or warnings were found."""
    codes: dict[str, dict[str, Any]] = {}
    kinds = (("errors", "errors"), ("excluded", "excluded"), ("warnings", "warnings"), ("notices", "notices"))
    for run in runs:
        where = f"{run['page']}-{run['state']}"
        for key, count in kinds:
            for message in run.get(key) or []:
                code = str(message.get("code"))
                entry = codes.setdefault(
                    code,
                    {
                        "code": code,
                        "wcag": sc_of_htmlcs_code(code),
                        "errors": 0,
                        "excluded": 0,
                        "warnings": 0,
                        "notices": 0,
                        "message": message.get("message"),
                        "states": set(),
                        "languages": set(),
                        "excluded_reasons": set(),
                    },
                )
                entry[count] += 1
                if key in ("errors", "warnings", "excluded"):
                    entry["states"].add(where)
                    entry["languages"].add(run.get("language"))
                if message.get("excluded_because"):
                    entry["excluded_reasons"].add(message["excluded_because"])
    ordered = {
        code: {k: sorted(v) if isinstance(v, set) else v for k, v in codes[code].items()}
        for code in sorted(codes, key=lambda c: (sort_key(codes[c]["wcag"] or "9"), c))
    }
    return {
        "version": next((r.get("htmlcs_version") for r in runs if r.get("htmlcs_version")), None),
        "standard": next((r.get("standard") for r in runs if r.get("standard")), None),
        "runs": len(runs),
        "states": len({(r["page"], r["state"]) for r in runs}),
        "languages": sorted({r.get("language") for r in runs}),
        "failing_runs": sum(1 for r in runs if r.get("errors")),
        "seconds": round(sum(float(r.get("seconds") or 0) for r in runs), 1),  # HTMLCS's own time, all runs
        **{count: sum(c[count] for c in ordered.values()) for _, count in kinds},
        "unreadable": list(unreadable or []),
        "codes": ordered,
    }


def htmlcs_markdown(htmlcs: dict[str, Any]) -> list[str]:
    lines = [
        "## HTML_CodeSniffer (second engine)",
        "",
        f"HTML_CodeSniffer {htmlcs['version'] or '-'} ({htmlcs['standard'] or '-'}) on the pages axe read: "
        f"{htmlcs['runs']} runs over {htmlcs['states']} page states, languages {_cell(htmlcs['languages'])}. "
        f"Errors: {htmlcs['errors']} (in {htmlcs['failing_runs']} runs); excluded by htmlcs-exclusions.yaml: "
        f"{htmlcs['excluded']}; warnings (a person has to look): {htmlcs['warnings']}; notices (reminders of what to "
        f"check by hand): {htmlcs['notices']}. Only errors fail the tests. HTMLCS's own time over all runs: "
        f"{htmlcs['seconds']} s.",
        "",
    ]
    shown = [c for c in htmlcs["codes"].values() if c["errors"] or c["warnings"] or c["excluded"]]
    if shown:
        lines += [
            "| Code | SC | Errors | Excluded | Warnings | States | Message |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for c in shown:
            lines.append(
                f"| `{_cell(c['code'])}` | {c['wcag'] or '-'} | {c['errors']} | {c['excluded']} | {c['warnings']} "
                f"| {len(c['states'])} | {_cell(c['message'])} |"
            )
        lines.append("")
    return lines


# --- grouping ---------------------------------------------------------------------------------


def _empty_rule(rule: dict[str, Any]) -> dict[str, Any]:
    tags = list(rule.get("tags") or [])
    scs = sorted({sc for sc in map(sc_from_tag, tags) if sc}, key=sort_key)
    return {
        "id": rule.get("id"),
        "impact": None,
        "help": rule.get("help"),
        "description": rule.get("description"),
        "helpUrl": rule.get("helpUrl"),
        "tags": tags,
        "wcag": scs,
        "level": level_from_tags(tags),
        "en_301_549": en_clauses(tags, scs) if scs else [],
        "best_practice": BEST_PRACTICE in tags,
        "violations": 0,
        "violation_runs": [],
        "incomplete": 0,
        "incomplete_runs": [],
        "passes": 0,
        "pass_runs": [],
        "excluded": 0,
        "excluded_reasons": [],
        "pages": [],
        "states": [],
        "languages": [],
        "engines": [],
    }


def collect_rules(runs: list[Run]) -> dict[str, dict[str, Any]]:
    rules: dict[str, dict[str, Any]] = {}
    affected: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for run in runs:
        for outcome in OUTCOMES:
            for rule in run.results.get(outcome) or []:
                entry = rules.setdefault(rule["id"], _empty_rule(rule))
                if outcome != "passes" and IMPACTS.index(rule.get("impact")) > IMPACTS.index(entry["impact"]):
                    entry["impact"] = rule.get("impact")  # the most severe impact seen
                if outcome == "violations":
                    nodes, excluded = counted_nodes(run, rule)
                    entry["excluded"] += len(excluded)
                    for node in excluded:
                        reason = node.get("excluded_because")
                        if reason and reason not in entry["excluded_reasons"]:
                            entry["excluded_reasons"].append(reason)
                    if not nodes:
                        continue
                    entry["violations"] += len(nodes)
                    entry["violation_runs"].append(run.where)
                elif outcome == "incomplete":
                    entry["incomplete"] += len(rule.get("nodes") or [])
                    entry["incomplete_runs"].append(run.where)
                else:
                    entry["passes"] += 1
                    entry["pass_runs"].append(run.where)
                    continue
                # Pages, states, languages and engines where the rule found something to look at.
                for key, value in (
                    ("pages", run.page),
                    ("states", f"{run.page}-{run.state}"),
                    ("languages", run.language),
                    ("engines", run.engine),
                ):
                    affected[rule["id"]][key].add(value)
    for rule_id, keys in affected.items():
        for key, values in keys.items():
            rules[rule_id][key] = sorted(values)
    return rules


def _group(rules: dict[str, dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for rule in rules.values():
        for number in rule[key] or [BEST_PRACTICE if rule["best_practice"] else NO_CLAUSE]:
            group = groups.setdefault(
                number,
                {
                    "rules": [],
                    "violations": 0,
                    "incomplete": 0,
                    "passes": 0,
                    "excluded": 0,
                    "pages": set(),
                    "languages": set(),
                    "engines": set(),
                    "runs_checked": set(),
                },
            )
            group["rules"].append(rule["id"])
            for count in ("violations", "incomplete", "passes", "excluded"):
                group[count] += rule[count]
            for detail in ("pages", "languages", "engines"):
                group[detail].update(rule[detail])
            group["runs_checked"].update(rule["violation_runs"], rule["incomplete_runs"], rule["pass_runs"])
    ordered = {}
    for number in sorted(groups, key=sort_key):
        group = groups[number]
        sc = number[2:] if key == "en_301_549" and number.startswith("9.") else number
        ordered[number] = {
            "title": SC_TITLES.get(sc, "Best practice (no WCAG success criterion)" if number == BEST_PRACTICE else ""),
            **{k: (sorted(v) if isinstance(v, set) else v) for k, v in group.items() if k != "runs_checked"},
            "runs_checked": len(group["runs_checked"]),
            "rules": sorted(group["rules"]),
            "outcome": "violations" if group["violations"] else ("needs review" if group["incomplete"] else "passed"),
        }
        if key == "en_301_549":
            ordered[number]["wcag"] = sorted({sc for r in group["rules"] for sc in rules[r]["wcag"]}, key=sort_key)
    return ordered


def incomplete_items(runs: list[Run]) -> list[dict[str, Any]]:
    items = []
    for run in runs:
        for rule in run.results.get("incomplete") or []:
            for node in rule.get("nodes") or []:
                items.append(
                    {
                        "rule": rule.get("id"),
                        "impact": node.get("impact") or rule.get("impact"),
                        "help": rule.get("help"),
                        "helpUrl": rule.get("helpUrl"),
                        "wcag": sorted({sc for sc in map(sc_from_tag, rule.get("tags") or []) if sc}, key=sort_key),
                        "page": run.page,
                        "state": run.state,
                        "language": run.language,
                        "engine": run.engine,
                        "url": run.url,
                        "target": _targets(node),
                        "html": node.get("html", ""),
                        "message": node_message(node),
                        # the pixel contrast check's verdict and screenshot (contrast_pixels, contrast_review)
                        "pixel_check": node.get("pixel_check"),
                        "screenshot": (node.get("pixel_check") or {}).get("screenshot")
                        or node.get("review_screenshot"),
                    }
                )
    items.sort(key=lambda i: (i["rule"] or "", i["page"], i["state"], i["language"], i["engine"], i["target"]))
    return items


def _reasons(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    reasons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in items:
        reasons[item["rule"]][item["message"]] += 1
    return {rule: dict(messages) for rule, messages in reasons.items()}


# --- tool versions ----------------------------------------------------------------------------


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _chromium_version() -> str | None:
    path = os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium")
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def tool_versions(runs: list[Run], axe_package: Path = AXE_PACKAGE) -> dict[str, Any]:
    try:
        axe = json.loads(Path(axe_package).read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        axe = None
    user_agents = sorted({(r.results.get("testEnvironment") or {}).get("userAgent") for r in runs} - {None})
    return {
        "axe-core": axe,
        "axe-core in the raw results": sorted({r.axe_version for r in runs if r.axe_version}),
        "playwright": _package_version("playwright"),
        "selenium": _package_version("selenium"),
        "axe-selenium-python": _package_version("axe-selenium-python"),
        "pytest": _package_version("pytest"),
        "chromium": _chromium_version(),
        "user agents": user_agents,
        "python": sys.version.split()[0],
    }


# --- writing ----------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else ("" if value is None else str(value))
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _runs_text(where: list[str], limit: int = 12) -> str:
    shown = ", ".join(where[:limit])
    return shown + (f" and {len(where) - limit} more" if len(where) > limit else "")


def summary_markdown(data: dict[str, Any]) -> str:
    t = data["totals"]
    lines = [
        "# Accessibility report: automated checks (axe-core)",
        "",
        f"Generated {data['generated_at']} from {t['runs']} axe runs in `{data['raw_dir']}` and "
        f"{data['htmlcs']['runs']} HTML_CodeSniffer runs.",
        "",
        "By WCAG 2.2 success criterion, with the EN 301 549 clause, a status and the evidence of every criterion "
        "(both engines, the other tests and the manual checks): [audit.html](audit.html) (audit.json for machines).",
        "",
        "Automated checks find only part of the problems: see tests/accessibility/README.md for what they "
        "do not cover and tests/accessibility/manual-checks.yaml for the manual checks. Items axe could "
        "not decide are listed in [incomplete.md](incomplete.md) and must be reviewed by a person.",
        "",
        "## Totals",
        "",
        f"- Runs (page state x language x engine): {t['runs']}; with violations: {t['failing_runs']}",
        f"- Violations (elements): {t['violations']} in {t['violating_rules']} rule(s)",
        f"- Needs review (incomplete elements): {t['incomplete']} in {t['incomplete_rules']} rule(s); axe left "
        f"{t.get('incomplete_axe', t['incomplete'])} undecided, the pixel contrast check decided "
        f"{t.get('decided_by_pixels', 0)} ({t.get('passed_by_pixels', 0)} pass, {t.get('failed_by_pixels', 0)} fail; "
        f"{(t.get('pixel_check') or {}).get('elements', 0)} element(s) measured in "
        f"{(t.get('pixel_check') or {}).get('seconds', 0)} s)",
        f"- Excluded by exclusions.yaml (elements): {t['excluded']}",
        f"- Engines: {_cell(t['engines'])}; languages: {_cell(t['languages'])}; pages: {len(t['pages'])}, "
        f"states: {t['states']}",
        "",
        "## Tools",
        "",
    ]
    for name, version in data["tools"].items():
        lines.append(f"- {name}: {_cell(version) or 'unknown'}")
    lines += ["", f"axe tags run: {', '.join(f'`{tag}`' for tag in data['tags'])}", ""]
    if data["unreadable"]:
        lines += ["Raw files that could not be read:", ""] + [f"- {u}" for u in data["unreadable"]] + [""]

    header = (
        "| {k} | Title | Outcome | Violations | Needs review | Runs checked | Rule passes | Excluded | Rules |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    )
    for title, key, label in (
        ("By WCAG 2.2 success criterion", "by_wcag", "SC"),
        ("By EN 301 549 clause", "by_en_301_549", "Clause"),
    ):
        lines += [f"## {title}", "", header[0].format(k=label), header[1]]
        for number, g in data[key].items():
            lines.append(
                f"| {number} | {_cell(g['title'])} | {g['outcome']} | {g['violations']} | {g['incomplete']} "
                f"| {g['runs_checked']} | {g['passes']} | {g['excluded']} | {_cell(g['rules'])} |"
            )
        lines.append("")
    lines += [
        "Violations and needs review count elements; runs checked counts the runs in which a rule of "
        "the row gave a result; rule passes counts (rule, run) pairs that passed.",
        "",
        "EN 301 549 clauses come from axe's `EN-9.x.y.z` tags; where a rule has none, clause 9 (web) "
        "+ the WCAG success criterion is used.",
        "",
    ]

    lines += htmlcs_markdown(data["htmlcs"])
    lines += ["## Rules with violations or items to review", ""]
    found = [r for r in data["rules"].values() if r["violations"] or r["incomplete"] or r["excluded"]]
    if not found:
        lines += ["None: every rule run passed or did not apply.", ""]
    for rule in sorted(found, key=lambda r: (-r["violations"], -r["incomplete"], r["id"])):
        lines += [
            f"### {rule['id']} ({rule['impact'] or 'no impact given'})",
            "",
            f"- {rule['help']}. Help: {rule['helpUrl']}",
            f"- WCAG: {_cell(rule['wcag']) or 'best practice'} {('- ' + rule['level']) if rule['level'] else ''}".rstrip(),
            f"- EN 301 549: {_cell(rule['en_301_549']) or '-'}",
            f"- Violations: {rule['violations']} element(s) in {len(rule['violation_runs'])} run(s)"
            + (f": {_runs_text(rule['violation_runs'])}" if rule["violation_runs"] else ""),
            f"- Needs review: {rule['incomplete']} element(s) in {len(rule['incomplete_runs'])} run(s)",
            f"- Passed in {rule['passes']} run(s)",
            f"- Pages: {_cell(rule['pages'])}; languages: {_cell(rule['languages'])}; engines: {_cell(rule['engines'])}",
            f"- States: {_cell(rule['states'])}",
        ]
        reasons = data.get("incomplete_reasons", {}).get(rule["id"], {})
        for message, count in sorted(reasons.items(), key=lambda kv: -kv[1])[:8]:
            lines.append(f"- Needs review because: {_cell(message)} ({count})")
        if rule["excluded"]:
            lines.append(f"- Excluded: {rule['excluded']} element(s). Reason: {_cell(rule['excluded_reasons'])}")
        lines.append("")
    return "\n".join(lines)


def build(
    raw_dir: Path | str = RAW_DIR,
    out_dir: Path | str | None = None,
    axe_package: Path | str = AXE_PACKAGE,
    htmlcs_dir: Path | str | None = None,
) -> dict[str, Any]:
    """Write summary.md, summary.json, incomplete.md, audit.html and audit.json into out_dir (default: raw_dir's
    parent); HTML_CodeSniffer's raw results are read from htmlcs_dir (default: raw-htmlcs beside raw_dir)."""
    from . import audit, contrast_review

    raw_dir = Path(raw_dir)
    out_dir = Path(out_dir) if out_dir is not None else raw_dir.parent
    htmlcs = collect_htmlcs(*read_htmlcs(Path(htmlcs_dir) if htmlcs_dir else raw_dir.parent / "raw-htmlcs"))
    runs, unreadable = read_runs(raw_dir)
    rules = collect_rules(runs)
    items = incomplete_items(runs)
    # What the pixel contrast check decided is no longer "needs review" (contrast_review.py).
    contrast_review.apply_pixel_verdicts(items)
    review = contrast_review.recount(rules, items)
    review["pixel_check"] = contrast_review.pixel_check_cost([r.results for r in runs])
    generated_at = datetime.now(UTC).isoformat(timespec="seconds")
    tags = sorted({t for r in runs for t in r.tags}, key=lambda t: DEFAULT_TAGS.index(t) if t in DEFAULT_TAGS else 99)
    data = {
        "generated_at": generated_at,
        "raw_dir": str(raw_dir),
        "tags": tags or DEFAULT_TAGS,
        "tools": tool_versions(runs, Path(axe_package)),
        "unreadable": unreadable,
        "totals": {
            "runs": len(runs),
            "failing_runs": sum(
                1 for r in runs if any(counted_nodes(r, v)[0] for v in r.results.get("violations") or [])
            ),
            "violations": sum(r["violations"] for r in rules.values()),
            "violating_rules": sum(1 for r in rules.values() if r["violations"]),
            "incomplete": review["still_to_review"],
            "incomplete_rules": sum(1 for r in rules.values() if r["incomplete"]),
            **review,
            "excluded": sum(r["excluded"] for r in rules.values()),
            "engines": sorted({r.engine for r in runs}),
            "languages": sorted({r.language for r in runs}),
            "pages": sorted({r.page for r in runs}),
            "states": len({(r.page, r.state) for r in runs}),
        },
        "incomplete_reasons": _reasons([i for i in items if not i.get("decided")]),  # what is still to review
        "by_wcag": _group(rules, "wcag"),
        "by_en_301_549": _group(rules, "en_301_549"),
        "rules": rules,
        "htmlcs": htmlcs,
    }
    data["tools"]["html_codesniffer"] = htmlcs["version"]
    out_dir.mkdir(parents=True, exist_ok=True)
    summary_json = out_dir / "summary.json"
    try:  # keep what axe_support.write_summary wrote for this session
        previous = json.loads(summary_json.read_text(encoding="utf-8"))
        if not isinstance(previous, dict):
            previous = {}
    except (OSError, ValueError):
        previous = {}
    session = {k: v for k, v in previous.items() if k not in data}
    summary_json.write_text(
        json.dumps({**session, **data, "incomplete_items": items}, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    (out_dir / "summary.md").write_text(summary_markdown(data), encoding="utf-8")
    (out_dir / "incomplete.md").write_text(contrast_review.review_markdown(items, generated_at), encoding="utf-8")
    data["audit"] = audit.build_audit(data, htmlcs, audit.junit_outcomes(out_dir.parent))
    audit.write(data["audit"], out_dir)
    return data


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    raw_dir = Path(args[0]) if args else RAW_DIR
    out_dir = Path(args[1]) if len(args) > 1 else None
    if not raw_dir.is_dir():
        print(f"No raw results in {raw_dir}: run `make test-a11y` first.", file=sys.stderr)
        return 1
    data = build(raw_dir, out_dir)
    out = out_dir or raw_dir.parent
    t = data["totals"]
    print(
        f"{t['runs']} runs: {t['violations']} violation(s), {t['incomplete']} item(s) to review. "
        f"HTML_CodeSniffer: {data['htmlcs']['runs']} runs, {data['htmlcs']['errors']} error(s). "
        f"Wrote {out / 'summary.md'}, {out / 'summary.json'}, {out / 'incomplete.md'} and {out / 'audit.html'}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
