"""The accessibility statement draft: generated from the report and the manual checks, never claiming
full compliance on its own, and the committed draft agrees with the manual-check list."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.pages.accessibility_statement import (
    DEFAULT_PATH,
    StatementError,
    generate,
    load,
    write,
)

MANUAL = Path(__file__).resolve().parents[1] / "accessibility" / "manual-checks.yaml"


def summary(**rules: dict) -> dict:
    return {
        "generated_at": "2026-11-20T10:00:00+00:00",
        "tags": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        "tools": {"axe-core": "4.14.1", "chromium": "Chromium 131", "pytest": "8.3", "user agents": ["x"]},
        "totals": {
            "runs": 12,
            "states": 4,
            "violations": 3,
            "incomplete": 5,
            "languages": ["en", "fi", "sv"],
            "pages": ["home", "plan"],
        },
        "rules": {rule_id: {"id": rule_id, **rule} for rule_id, rule in rules.items()},
    }


def check(criterion: str, status: str, **extra: object) -> dict:
    return {"criterion": criterion, "status": status, **extra}


CONTRAST_UNDECIDED = {
    "wcag": ["1.4.3"],
    "violations": 0,
    "incomplete": 5,
    "violation_runs": [],
    "incomplete_runs": ["playwright/fi/plan-results", "selenium/fi/plan-results", "playwright/en/home-empty"],
}
LABEL_VIOLATION = {
    "wcag": ["1.3.1", "4.1.2"],
    "violations": 3,
    "incomplete": 0,
    "violation_runs": ["playwright/fi/plan-results"],
    "incomplete_runs": [],
}
REGION = {
    "wcag": [],
    "violations": 1,
    "incomplete": 0,
    "violation_runs": ["playwright/sv/home-empty"],
    "incomplete_runs": [],
}


def test_violations_become_problems_per_criterion() -> None:
    data = generate(summary(label=LABEL_VIOLATION, region=REGION), [])
    problems = [(i["kind"], i["criterion"], i["count"], i["pages"]) for i in data["items"]]
    assert problems == [("violation", "1.3.1", 3, 1), ("violation", "4.1.2", 3, 1), ("violation", None, 1, 1)]
    assert data["compliance"] == "partial"
    assert data["generated_on"] == "2026-11-20"


@pytest.mark.parametrize(
    "generated_at, day",
    [
        ("2026-11-20T21:59:00+00:00", "2026-11-20"),
        ("2026-11-20T22:30:00+00:00", "2026-11-21"),
        ("2026-06-20T21:30:00+00:00", "2026-06-21"),
        ("2026-11-20", "2026-11-20"),
    ],
)
def test_the_statement_is_dated_on_the_helsinki_date_of_the_run(generated_at: str, day: str) -> None:
    assert generate({**summary(), "generated_at": generated_at}, [])["generated_on"] == day


def test_undecided_items_stay_open_until_the_manual_check_passes() -> None:
    open_ = generate(summary(contrast=CONTRAST_UNDECIDED), [check("1.4.3", "not_tested")])
    assert [(i["kind"], i["criterion"], i.get("count"), i.get("pages")) for i in open_["items"]] == [
        ("needs_review", "1.4.3", 5, 2),
        ("not_tested", "1.4.3", None, None),
    ]  # 2 page states over engines/languages
    reviewed = generate(
        summary(contrast=CONTRAST_UNDECIDED), [check("1.4.3", "pass", date="2026-11-21", who="A. Auditor")]
    )
    assert reviewed["items"] == []


def test_a_clean_run_is_never_declared_fully_compliant_by_the_generator() -> None:
    data = generate(summary(), [check("1.4.3", "pass", date="2026-11-21", who="A. Auditor")])
    assert data["items"] == []
    assert data["compliance"] == "awaiting_confirmation"
    assert data["signed_by"] is None


def test_failed_manual_check_carries_its_published_text(tmp_path: Path) -> None:
    text = {"fi": "Kartan merkit ovat pieniä.", "sv": "Kartans markörer är små.", "en": "The map markers are small."}
    data = generate(summary(), [check("2.5.8", "fail", date="2026-11-21", who="A. Auditor", statement=text)])
    path = tmp_path / "statement.yaml"
    write(data, path)
    statement = load(path)
    assert [(p.kind, p.criterion, p.description) for p in statement.problems] == [("manual_fail", "2.5.8", text)]
    assert statement.manual["fail"] == 1 and statement.is_draft


def test_method_keeps_tool_versions_and_tags(tmp_path: Path) -> None:
    path = tmp_path / "statement.yaml"
    write(generate(summary(), []), path)
    statement = load(path)
    assert statement.tools == {"axe-core": "4.14.1", "chromium": "Chromium 131"}
    assert "wcag22aa" in statement.tags
    assert statement.automated == {"runs": 12, "states": 4, "violations": 3, "incomplete": 5, "pages": 2}


def _with(path: Path, **changes: object) -> Path:
    data = generate(summary(label=LABEL_VIOLATION), [])
    data.update(changes)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_full_compliance_needs_a_signature(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="signed"):
        load(_with(tmp_path / "a.yaml", compliance="full", items=[]))
    signed = load(
        _with(tmp_path / "b.yaml", compliance="full", items=[], signed_by="Maija Vastuullinen", signed_on="2026-11-22")
    )
    assert signed.compliance == "full" and not signed.is_draft


def test_full_compliance_with_open_problems_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="problems"):
        load(_with(tmp_path / "a.yaml", compliance="full", signed_by="M", signed_on="2026-11-22"))


@pytest.mark.parametrize(
    "change",
    [
        {"compliance": "mostly"},
        {"items": [{"kind": "violation", "criterion": "9.9.9"}]},
        {"items": [{"kind": "manual_fail", "criterion": "1.4.3"}]},
    ],
)
def test_malformed_statements_are_refused(tmp_path: Path, change: dict) -> None:
    with pytest.raises(StatementError):
        load(_with(tmp_path / "a.yaml", **change))


def test_committed_statement_agrees_with_the_manual_checks() -> None:
    """Regenerate with `flask accessibility-statement` after changing manual-checks.yaml."""
    statement = load(DEFAULT_PATH)
    checks = yaml.safe_load(MANUAL.read_text(encoding="utf-8"))["checks"]
    expected = {
        (("manual_fail" if c["status"] == "fail" else "not_tested"), str(c["criterion"]))
        for c in checks
        if c["status"] in ("fail", "not_tested")
    }
    listed = {(i.kind, i.criterion) for i in statement.items if i.kind in ("manual_fail", "not_tested")}
    assert listed == expected
    assert statement.manual == {
        s: sum(1 for c in checks if c["status"] == s) for s in ("not_tested", "pass", "fail", "not_applicable")
    }
    assert statement.compliance != "full" or not statement.is_draft
