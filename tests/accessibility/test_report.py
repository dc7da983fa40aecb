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
    assert "## color-contrast (2)" in text
    assert "| plan | results | fi | playwright | `#map .tip` | Background could not be determined |" in text
    assert "| home | empty | sv | selenium | `#hero` | Pseudo element |" in text
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
