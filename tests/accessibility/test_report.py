"""report.py on small fake raw results (no browser): grouping by WCAG success criterion and EN 301 549
clause, exclusions, and the list of items to review."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from . import report

CONTRAST = {
    "id": "color-contrast",
    "impact": "serious",
    "help": "Elements must meet minimum color contrast ratio thresholds",
    "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
    "tags": ["cat.color", "wcag2aa", "wcag143", "EN-301-549", "EN-9.1.4.3"],
}
LABEL = {  # no EN tag: the clause is derived from the WCAG SC
    "id": "label",
    "impact": "critical",
    "help": "Form elements must have labels",
    "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/label",
    "tags": ["cat.forms", "wcag2a", "wcag412"],
}
REFLOW_LIKE = {"id": "fake-reflow", "impact": "minor", "help": "Fake", "helpUrl": "u", "tags": ["wcag21aa", "wcag1410"]}
REGION = {
    "id": "region",
    "impact": "moderate",
    "help": "All page content should be contained by landmarks",
    "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/region",
    "tags": ["cat.keyboard", "best-practice"],
}


def node(target: str, message: str = "failed", **extra: Any) -> dict[str, Any]:
    return {
        "target": [target],
        "html": f"<x id='{target}'>",
        "impact": "serious",
        "any": [{"id": "c", "message": message}],
        "all": [],
        "none": [],
        "failureSummary": f"Fix any of the following:\n  {message}",
        **extra,
    }


def rule(base: dict[str, Any], *nodes: dict[str, Any]) -> dict[str, Any]:
    return {**base, "nodes": list(nodes)}


def write_raw(
    raw: Path, engine: str, lang: str, page: str, state: str, *, violations=(), incomplete=(), passes=(), excluded=()
) -> None:
    record = {
        "engine": engine,
        "language": lang,
        "page": page,
        "state": state,
        "url": f"http://x/{lang}/{page}",
        "axe_version": "4.14.1",
        "run_options": {"runOnly": {"type": "tag", "values": report.DEFAULT_TAGS}},
        "excluded": list(excluded),
        "results": {
            "testEngine": {"name": "axe-core", "version": "4.14.1"},
            "testEnvironment": {"userAgent": "HeadlessChrome/1"},
            "violations": list(violations),
            "incomplete": list(incomplete),
            "passes": list(passes),
            "inapplicable": [],
        },
    }
    path = raw / engine / lang / f"{page}-{state}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")


@pytest.fixture()
def built(tmp_path: Path) -> tuple[dict[str, Any], Path]:
    raw = tmp_path / "raw"
    write_raw(
        raw,
        "playwright",
        "fi",
        "plan",
        "results",
        violations=[rule(LABEL, node("#a"), node("#b")), rule(REGION, node("#c"))],
        incomplete=[rule(CONTRAST, node("#map .tip", "Background could not be determined"))],
        passes=[rule(CONTRAST, node("h1"))],
    )
    write_raw(
        raw,
        "selenium",
        "sv",
        "home",
        "empty",
        violations=[rule(LABEL, node("#skip"), node("#x"))],
        excluded=[rule(LABEL, node("#skip", excluded_because="A reviewed false positive"))],
        incomplete=[rule(CONTRAST, node("#hero", "Pseudo element"))],
        passes=[rule(REFLOW_LIKE, node("body"))],
    )
    write_raw(raw, "playwright", "en", "home", "empty", passes=[rule(CONTRAST, node("h1")), rule(LABEL, node("#q"))])
    (raw / "playwright" / "en" / "broken-state.json").write_text("{not json", encoding="utf-8")
    package = tmp_path / "package.json"
    package.write_text(json.dumps({"version": "4.14.1"}), encoding="utf-8")
    data = report.build(raw, tmp_path / "out", axe_package=package)
    return data, tmp_path / "out"


@pytest.mark.parametrize(
    ("tag", "sc"),
    [
        ("wcag143", "1.4.3"),
        ("wcag412", "4.1.2"),
        ("wcag1410", "1.4.10"),
        ("wcag258", "2.5.8"),
        ("wcag2aa", None),
        ("wcag21a", None),
        ("wcag22aa", None),
        ("best-practice", None),
        ("EN-9.1.4.3", None),
    ],
)
def test_sc_from_tag(tag, sc):
    assert report.sc_from_tag(tag) == sc


def test_en_clause_from_tag_or_derived_from_the_sc():
    assert report.en_clauses(["EN-301-549", "EN-9.1.4.3"], ["1.4.3"]) == ["9.1.4.3"]
    assert report.en_clauses(["wcag2a", "wcag412"], ["4.1.2"]) == ["9.4.1.2"]
    assert report.level_from_tags(["cat.x", "wcag21aa"]) == "AA (WCAG 2.1)"


def test_groups_by_wcag_success_criterion(built):
    data, _ = built
    label = data["by_wcag"]["4.1.2"]
    assert label["title"] == "Name, Role, Value"
    assert label["rules"] == ["label"]
    assert label["violations"] == 3  # #a and #b on plan, #x on home (#skip is excluded)
    assert label["excluded"] == 1
    assert label["outcome"] == "violations"
    assert label["pages"] == ["home", "plan"] and label["languages"] == ["fi", "sv"]
    contrast = data["by_wcag"]["1.4.3"]
    assert (contrast["violations"], contrast["incomplete"], contrast["passes"]) == (0, 2, 2)
    assert contrast["outcome"] == "needs review"
    assert data["by_wcag"]["1.4.10"]["outcome"] == "passed"
    assert data["by_wcag"]["best-practice"]["rules"] == ["region"]
    assert list(data["by_wcag"]) == ["1.4.3", "1.4.10", "4.1.2", "best-practice"]  # numeric order


def test_rule_details_keep_what_an_auditor_needs(built):
    data, _ = built
    label = data["rules"]["label"]
    assert label["impact"] == "critical"
    assert label["help"] == "Form elements must have labels"
    assert label["helpUrl"].endswith("/label")
    assert label["states"] == ["home-empty", "plan-results"]
    assert label["engines"] == ["playwright", "selenium"]
    assert label["violation_runs"] == ["playwright/fi/plan-results", "selenium/sv/home-empty"]
    assert label["pass_runs"] == ["playwright/en/home-empty"]
    assert label["excluded_reasons"] == ["A reviewed false positive"]


def test_groups_by_en_301_549_clause(built):
    data, _ = built
    clauses = data["by_en_301_549"]
    assert clauses["9.1.4.3"]["rules"] == ["color-contrast"]  # from the EN-9.1.4.3 tag
    assert clauses["9.4.1.2"]["rules"] == ["label"]  # derived from wcag412
    assert clauses["9.4.1.2"]["wcag"] == ["4.1.2"]
    assert clauses["9.4.1.2"]["title"] == "Name, Role, Value"
    assert clauses["9.4.1.2"]["violations"] == 3


def test_totals_tools_and_unreadable_files(built):
    data, _ = built
    totals = data["totals"]
    assert totals["runs"] == 3 and totals["failing_runs"] == 2
    assert totals["violations"] == 4  # 3 label + 1 region
    assert totals["incomplete"] == 2 and totals["excluded"] == 1
    assert data["tools"]["axe-core"] == "4.14.1"
    assert data["tags"] == report.DEFAULT_TAGS
    assert len(data["unreadable"]) == 1 and "broken-state.json" in data["unreadable"][0]


def test_incomplete_lists_every_item(built):
    _, out = built
    text = (out / "incomplete.md").read_text(encoding="utf-8")
    assert "## Still to review (2 groups, 2 items)" in text  # grouped by contrast_review (test_contrast_review.py)
    assert (
        "| color-contrast | plan | results | fi | playwright | `#map .tip` | Background could not be determined |"
        in text
    )
    assert "| color-contrast | home | empty | sv | selenium | `#hero` | Pseudo element |" in text
    items = json.loads((out / "summary.json").read_text(encoding="utf-8"))["incomplete_items"]
    assert {(i["page"], i["language"], i["engine"], i["rule"]) for i in items} == {
        ("plan", "fi", "playwright", "color-contrast"),
        ("home", "sv", "selenium", "color-contrast"),
    }


def test_summary_markdown_and_json(built):
    _, out = built
    text = (out / "summary.md").read_text(encoding="utf-8")
    assert "## By WCAG 2.2 success criterion" in text and "## By EN 301 549 clause" in text
    assert "| 4.1.2 | Name, Role, Value | violations | 3 |" in text
    assert "| 9.1.4.3 | Contrast (Minimum) | needs review | 0 | 2 |" in text
    assert "### label (critical)" in text and "A reviewed false positive" in text
    assert "axe-core: 4.14.1" in text and "`wcag22aa`" in text
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["by_wcag"]) == {"1.4.3", "1.4.10", "4.1.2", "best-practice"}


def test_keeps_the_session_summary_keys(tmp_path):
    raw = tmp_path / "raw"
    write_raw(raw, "playwright", "fi", "home", "empty", passes=[rule(LABEL, node("#q"))])
    (tmp_path / "summary.json").write_text(json.dumps({"runs": 1, "violations_by_rule": {}}), encoding="utf-8")
    report.build(raw)
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["runs"] == 1 and summary["violations_by_rule"] == {} and "by_wcag" in summary


def test_no_raw_results(tmp_path, capsys):
    data = report.build(tmp_path / "raw", tmp_path)
    assert data["totals"]["runs"] == 0
    assert "Nothing to review." in (tmp_path / "incomplete.md").read_text(encoding="utf-8")
    assert report.main([str(tmp_path / "missing")]) == 1


# --- the auditor's report by success criterion (audit.py) --------------------------------------------------

from . import audit  # noqa: E402

# WCAG 2.2 levels A and AA, counted by hand from https://www.w3.org/TR/WCAG22/ (31 A, 24 AA; 4.1.1 removed).
LEVEL_A = (
    "1.1.1 1.2.1 1.2.2 1.2.3 1.3.1 1.3.2 1.3.3 1.4.1 1.4.2 2.1.1 2.1.2 2.1.4 2.2.1 2.2.2 2.3.1 2.4.1 2.4.2 2.4.3 "
    "2.4.4 2.5.1 2.5.2 2.5.3 2.5.4 3.1.1 3.2.1 3.2.2 3.2.6 3.3.1 3.3.2 3.3.7 4.1.2"
).split()
LEVEL_AA = (
    "1.2.4 1.2.5 1.3.4 1.3.5 1.4.3 1.4.4 1.4.5 1.4.10 1.4.11 1.4.12 1.4.13 2.4.5 2.4.6 2.4.7 2.4.11 2.5.7 2.5.8 "
    "3.1.2 3.2.3 3.2.4 3.3.3 3.3.4 3.3.8 4.1.3"
).split()
NEW_IN_22 = {"2.4.11", "2.5.7", "2.5.8", "3.2.6", "3.3.7", "3.3.8"}


def test_the_criteria_list_is_whole():
    criteria = audit.load_criteria()["criteria"]
    assert (len(LEVEL_A), len(LEVEL_AA)) == (31, 24)
    assert [c["sc"] for c in criteria] == sorted(LEVEL_A + LEVEL_AA, key=report.sort_key)
    for c in criteria:
        assert c["level"] == ("A" if c["sc"] in LEVEL_A else "AA"), c["sc"]
        assert c["title"] == report.SC_TITLES[c["sc"]]  # the statement's msgid
        if c["sc"] in NEW_IN_22:
            assert c["en_301_549"] is None and "V3.2.1" in c["en_note"], c["sc"]
        else:
            assert c["en_301_549"] == f"9.{c['sc']}", c["sc"]  # EN 301 549 V3.2.1 clause 9 = WCAG 2.1
        assert set(c.get("tests") or []) <= {p.name for p in Path(audit.HERE).glob("test_*.py")}
    assert "4.1.1" not in {c["sc"] for c in criteria}
    assert [e["clause"] for e in audit.load_criteria()["en_only"]] == ["9.4.1.1"]


def write_htmlcs(raw: Path, lang: str, page: str, state: str, **messages: list) -> None:
    record = {
        "engine": "htmlcs",
        "standard": "WCAG2AA",
        "htmlcs_version": "2.5.1",
        "language": lang,
        "page": page,
        "state": state,
        "url": "u",
        "errors": [],
        "excluded": [],
        "warnings": [],
        "notices": [],
        **messages,
    }
    path = raw / lang / f"{page}-{state}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record), encoding="utf-8")


def message(code: str, **extra: Any) -> dict[str, Any]:
    return {"code": f"WCAG2AA.{code}", "message": "m", "selector": "#x", "html": "<x>", **extra}


def test_every_criterion_has_a_clause_a_status_and_evidence(built):
    data, out = built
    rows = {row["sc"]: row for row in data["audit"]["criteria"]}
    assert list(rows) == sorted(LEVEL_A + LEVEL_AA, key=report.sort_key)
    for row in rows.values():
        assert row["status"] in audit.STATUSES and row["status_text"] == audit.STATUSES[row["status"]]
        assert row["en_301_549"] or row["en_note"]
        assert {"axe", "htmlcs", "tests", "manual"} <= set(row)
    # The fake runs: label fails 4.1.2 (3 counted violations: the excluded one does not count).
    assert rows["4.1.2"]["status"] == "failed" and rows["4.1.2"]["axe"]["violations"] == 3
    assert [r["id"] for r in rows["4.1.2"]["axe"]["rules"]] == ["label"]
    # Contrast undecided in 2 runs, and its manual check is not done: needs review.
    assert rows["1.4.3"]["status"] == "needs_review" and rows["1.4.3"]["axe"]["needs_review"] == 2
    assert rows["1.4.3"]["manual"]["check"] == "1.4.3"
    # 1.4.10: one axe rule passed, no manual check listed.
    assert rows["1.4.10"]["status"] == "automated_passed"
    # No evidence at all, no manual check: a person has to assess it.
    assert rows["3.2.3"]["status"] == "not_assessed" and rows["3.2.3"]["manual"] is None
    # Media: the manual check says not applicable.
    assert rows["1.2.1"]["status"] == "not_applicable"
    assert sum(data["audit"]["counts"].values()) == 55
    saved = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert [r["sc"] for r in saved["criteria"]] == list(rows)
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert page.count('<tr><th scope="row">') == 55
    assert (
        '<th scope="row"><a href="#sc-1.4.3">1.4.3</a></th><td>Contrast (Minimum)</td><td>AA</td><td>9.1.4.3</td>'
        "<td>needs review</td>" in page
    )
    assert "<td>2.5.8" not in page and "none (not in EN 301 549 V3.2.1" in page


def test_html_codesniffer_counts_beside_axe_and_decides_status(tmp_path):
    raw, sniffed = tmp_path / "raw", tmp_path / "raw-htmlcs"
    write_raw(raw, "playwright", "fi", "home", "empty", passes=[rule(LABEL, node("#q"))])
    write_htmlcs(
        sniffed,
        "fi",
        "home",
        "empty",
        errors=[message("Principle1.Guideline1_3.1_3_5.H98")],
        warnings=[message("Principle1.Guideline1_3.1_3_1.H48"), message("Principle1.Guideline1_3.1_3_1_A.G141")],
        notices=[message("Principle2.Guideline2_4.2_4_2.H25.2")],
        excluded=[message("Principle4.Guideline4_1.4_1_1.F77", excluded_because="reviewed")],
    )
    write_htmlcs(sniffed, "sv", "home", "empty")
    data = report.build(raw, tmp_path)
    sniffer = data["htmlcs"]
    assert (sniffer["runs"], sniffer["states"], sniffer["languages"]) == (2, 1, ["fi", "sv"])
    assert (sniffer["errors"], sniffer["warnings"], sniffer["notices"], sniffer["excluded"]) == (1, 2, 1, 1)
    assert sniffer["codes"]["WCAG2AA.Principle1.Guideline1_3.1_3_1_A.G141"]["wcag"] == "1.3.1"
    rows = {row["sc"]: row for row in data["audit"]["criteria"]}
    assert rows["1.3.5"]["status"] == "failed" and rows["1.3.5"]["htmlcs"]["errors"] == 1
    assert rows["1.3.1"]["status"] == "needs_review" and rows["1.3.1"]["htmlcs"]["warnings"] == 2
    assert data["audit"]["en_only"][0]["htmlcs"]["excluded"] == 1
    assert data["audit"]["en_only"][0]["status"] == "automated_passed"  # the only F77 was excluded
    text = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert (
        "## HTML_CodeSniffer (second engine)" in text
        and "| `WCAG2AA.Principle1.Guideline1_3.1_3_5.H98` | 1.3.5 | 1 |" in text
    )
    assert data["tools"]["html_codesniffer"] == "2.5.1"


def test_manual_results_and_failed_tests_decide_the_status():
    summary = {"rules": {}, "totals": {}}
    empty = {"codes": {}}
    checks = [
        {
            "criterion": "1.4.1",
            "status": "pass",
            "who": "A",
            "date": "2026-12-01",
            "assistive_technology": "none",
            "title": "t",
            "notes": "",
        },
        {
            "criterion": "1.4.11",
            "status": "fail",
            "who": "B",
            "date": "2026-12-02",
            "assistive_technology": "none",
            "title": "t",
            "notes": "markers",
        },
        {"criterion": "3.3.7", "status": "not_tested", "title": "t"},
    ]
    junit = {"source": "j.xml", "files": {"test_keyboard.py": {"passed": 10, "failed": 1, "skipped": 0}}}
    rows = {r["sc"]: r for r in audit.build_audit(summary, empty, junit, manual=checks)["criteria"]}
    assert rows["1.4.1"]["status"] == "manual_passed"
    assert rows["1.4.1"]["manual"] | {} == {
        "check": "1.4.1",
        "title": "t",
        "status": "pass",
        "tester": "A",
        "date": "2026-12-01",
        "assistive_technology": "none",
        "notes": "",
    }
    assert rows["1.4.11"]["status"] == "manual_failed"
    assert rows["3.3.7"]["status"] == "not_assessed"
    assert rows["2.4.1"]["status"] == "failed"  # test_keyboard.py failed
    assert rows["2.4.1"]["tests"] == [{"file": "test_keyboard.py", "passed": 10, "failed": 1, "skipped": 0}]
    assert rows["3.1.1"]["status"] == "not_assessed"  # test_language.py did not run


def test_junit_outcomes_by_test_file(tmp_path):
    (tmp_path / "accessibility-junit.xml").write_text(
        "<testsuites><testsuite>"
        '<testcase classname="tests.accessibility.test_keyboard" name="a"/>'
        '<testcase classname="tests.accessibility.test_keyboard" name="b"><failure message="x"/></testcase>'
        '<testcase classname="tests.accessibility.test_language" name="c"><skipped/></testcase>'
        '<testcase classname="tests.web.test_other" name="d"/>'
        "</testsuite></testsuites>",
        encoding="utf-8",
    )
    outcome = audit.junit_outcomes(tmp_path)
    assert outcome["files"] == {
        "test_keyboard.py": {"passed": 1, "failed": 1, "skipped": 0},
        "test_language.py": {"passed": 0, "failed": 0, "skipped": 1},
    }
    assert audit.junit_outcomes(tmp_path / "none") == {"source": None, "files": {}}


@pytest.mark.browser
def test_the_audit_page_is_accessible_itself(built, pw_browser):
    """audit.html passes axe and HTML_CodeSniffer like every page of the portal."""
    from .axe_support import AXE_OPTIONS, new_context, run_axe_playwright
    from .htmlcs_support import run_htmlcs

    _, out = built
    context = new_context(pw_browser, "en")
    try:
        page = context.new_page()
        page.goto((out / "audit.html").as_uri())
        results = run_axe_playwright(page)
        assert AXE_OPTIONS["runOnly"]["values"]
        assert results["violations"] == []
        assert [m for m in run_htmlcs(page) if m["type"] == "error"] == []
    finally:
        context.close()


def test_the_statement_draft_is_generated_from_the_report(tmp_path):
    """HTML_CodeSniffer's errors are problems of their criterion in the statement, its warnings undecided items;
    a criterion nobody checks is disclosed as not yet checked."""
    from portal.pages.accessibility_statement import generate, generate_file

    raw, sniffed = tmp_path / "raw", tmp_path / "raw-htmlcs"
    write_raw(raw, "playwright", "fi", "home", "empty", passes=[rule(REFLOW_LIKE, node("body"))])
    write_htmlcs(
        sniffed,
        "fi",
        "home",
        "empty",
        errors=[message("Principle1.Guideline1_3.1_3_5.H98")],
        warnings=[message("Principle1.Guideline1_3.1_3_1.H48")],
    )
    write_htmlcs(sniffed, "sv", "step", "empty", errors=[message("Principle1.Guideline1_3.1_3_5.H98")])
    report.build(raw, tmp_path)
    manual = tmp_path / "manual.yaml"
    manual.write_text("checks: []\n", encoding="utf-8")
    statement = generate_file(tmp_path / "summary.json", manual, tmp_path / "statement.yaml")
    items = {(i.kind, i.criterion): i for i in statement.items}
    assert (items[("violation", "1.3.5")].count, items[("violation", "1.3.5")].pages) == (2, 2)
    assert items[("violation", "1.3.5")].rules == ("WCAG2AA.Principle1.Guideline1_3.1_3_5.H98",)
    assert items[("needs_review", "1.3.1")].count == 1
    assert ("not_tested", "3.2.3") in items  # no evidence (test_consistency.py did not run), no manual check
    assert ("not_tested", "1.4.10") not in items  # an axe rule of 1.4.10 passed
    assert statement.tools["html_codesniffer"] == "2.5.1"
    assert statement.automated["htmlcs_errors"] == 2 and statement.compliance == "partial"
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    passed = [{"criterion": "1.3.1", "status": "pass"}]
    assert ("needs_review", "1.3.1") not in {(i["kind"], i["criterion"]) for i in generate(summary, passed)["items"]}


def _contrast_audit(undecided: int) -> dict[str, Any]:
    """1.4.3 of an audit where axe's color-contrast passed in 4 runs and left ``undecided`` items, and
    HTML_CodeSniffer warned 5 times that it could not compute a contrast and once about something else."""
    contrast = {
        "id": "color-contrast",
        "wcag": ["1.4.3"],
        "violations": 0,
        "incomplete": undecided,
        "excluded": 0,
        "passes": 4,
        "pass_runs": ["playwright/fi/home-empty"],
    }
    codes = {
        code: {"code": code, "wcag": "1.4.3", "errors": 0, "excluded": 0, "warnings": n, "notices": 0, "message": "m"}
        | {"states": ["home-empty"]}
        for code, n in (
            ("WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Abs", 3),
            ("WCAG2AA.Principle1.Guideline1_4.1_4_3.G145.Alpha", 2),
        )
    }
    manual = [{"criterion": "1.4.3", "status": "not_tested", "title": "t"}]
    built = audit.build_audit({"rules": {"color-contrast": contrast}}, {"codes": codes}, {"files": {}}, manual=manual)
    return next(r for r in built["criteria"] if r["sc"] == "1.4.3")


def test_contrast_warnings_html_codesniffer_could_not_compute_are_decided_by_axe_and_the_pixel_check():
    decided = _contrast_audit(undecided=0)
    assert (decided["htmlcs"]["warnings"], decided["htmlcs"]["decided_by_axe"]) == (0, 5)
    assert decided["status"] == "not_assessed"  # no doubt left from the tools; the manual check is still to do
    assert "5 of these warnings say only that it could not compute the contrast" in "".join(
        audit._evidence_items(decided)
    )
    # One element still undecided by axe and the pixel check: HTML_CodeSniffer's warnings stay to review.
    open_one = _contrast_audit(undecided=1)
    assert (open_one["htmlcs"]["warnings"], open_one["htmlcs"]["decided_by_axe"]) == (5, 0)
    assert open_one["status"] == "needs_review"
