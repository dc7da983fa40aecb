"""The manual-check list (manual-checks.yaml) is well-formed: real WCAG success criteria, allowed
statuses, and a date and a name for every check that was done. No browser needed."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from . import manual_checks
from .manual_checks import NOT_SC, CheckError, problems, record

PATH = manual_checks.PATH
REQUIRED = {
    "1.1.1",
    "1.2.1",
    "1.3.1",
    "1.3.3",
    "1.4.1",
    "1.4.3",
    "1.4.5",
    "1.4.11",
    "1.4.13",
    "2.1.1",
    "2.1.2",
    "2.4.3",
    "2.4.6",
    "2.4.7",
    "2.4.11",
    "2.5.3",
    "2.5.7",
    "2.5.8",
    "3.1.2",
    "3.2.6",
    "3.3.1",
    "3.3.3",
    "3.3.7",
    "3.3.8",
    "4.1.2",
    "plain-language",
}


def load() -> list[dict[str, Any]]:
    with PATH.open(encoding="utf-8") as f:
        return list(yaml.safe_load(f)["checks"])


CHECKS = load()


def test_the_list_covers_what_automation_cannot_judge() -> None:
    missing = REQUIRED - {str(check.get("criterion")) for check in CHECKS}
    assert not missing, f"manual-checks.yaml has no entry for {sorted(missing)}"


@pytest.mark.parametrize("check", CHECKS, ids=[f"{c.get('criterion')}-{i}" for i, c in enumerate(CHECKS)])
def test_check_is_well_formed(check: dict[str, Any]) -> None:
    assert problems(check) == []


def test_one_entry_per_criterion() -> None:
    criteria = [str(check["criterion"]) for check in CHECKS]
    assert len(criteria) == len(set(criteria)), "a check is named by its criterion: one entry each"


def test_sc_ids_look_like_wcag() -> None:
    import re

    for check in CHECKS:
        assert re.fullmatch(r"[1-4]\.\d\.\d{1,2}", check["criterion"]) or check["criterion"] in NOT_SC


# --- recording a result (manual_checks.record and scripts/record_accessibility_check.py) ---------------------

TODAY = dt.date(2026, 12, 4)
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "record_accessibility_check.py"


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "manual-checks.yaml"
    shutil.copyfile(PATH, target)
    return target


def test_records_a_passed_check_and_keeps_the_rest_of_the_file(copy: Path) -> None:
    before = copy.read_text(encoding="utf-8").splitlines()
    entry = record(
        "4.1.2",
        "passed",
        tester="Aino Auditor",
        date="2026-12-04",
        at="NVDA 2024.4 + Firefox 133",
        note="The whole ECEC journey and the plan",
        path=copy,
        today=TODAY,
    )
    assert entry["status"] == "pass" and entry["date"] == dt.date(2026, 12, 4)
    assert (entry["who"], entry["assistive_technology"]) == ("Aino Auditor", "NVDA 2024.4 + Firefox 133")
    assert entry["notes"] == "The whole ECEC journey and the plan"
    after = copy.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [b.strip() for _, b in changed] == [
        "status: pass",
        "date: 2026-12-04",
        "who: Aino Auditor",
        "assistive_technology: NVDA 2024.4 + Firefox 133",
        "notes: The whole ECEC journey and the plan",
    ]
    checks = manual_checks.by_id(manual_checks.load(copy))
    assert all(problems(check, TODAY) == [] for check in checks.values())
    assert checks["1.4.3"]["status"] == "not_tested"  # the others untouched


def test_a_failed_check_carries_the_statement_and_a_later_pass_removes_it(copy: Path) -> None:
    texts = {
        "fi": "Kartan merkit erottuvat vain värin avulla.",
        "sv": "Kartans markörer skiljs åt bara med färg.",
        "en": "The map markers differ only by colour.",
    }
    entry = record(
        "1.4.1",
        "failed",
        tester="A",
        date="2026-12-03",
        at="none: greyscale in Chromium 131",
        statement=texts,
        path=copy,
        today=TODAY,
    )
    assert entry["status"] == "fail" and entry["statement"] == texts
    entry = record("1.4.1", "passed", tester="A", date="2026-12-04", at="none", path=copy, today=TODAY)
    assert entry["status"] == "pass" and "statement" not in entry
    assert problems(entry, TODAY) == []


@pytest.mark.parametrize(
    ("check_id", "result", "kwargs", "message"),
    [
        ("9.9.9", "passed", {}, "no manual check"),
        ("4.1.2", "great", {}, "result"),
        ("4.1.2", "passed", {"date": "2026-12-04", "at": "NVDA"}, "--tester is required"),
        ("4.1.2", "passed", {"tester": "A", "at": "NVDA"}, "needs --date"),
        ("4.1.2", "passed", {"tester": "A", "date": "4.12.2026", "at": "NVDA"}, "not a date"),
        ("4.1.2", "passed", {"tester": "A", "date": "2026-12-05", "at": "NVDA"}, "in the future"),
        ("4.1.2", "passed", {"tester": "A", "date": "2026-12-04"}, "--at"),
        ("4.1.2", "passed", {"tester": "A\nB", "date": "2026-12-04", "at": "NVDA"}, "one line"),
        ("4.1.2", "failed", {"tester": "A", "date": "2026-12-04", "at": "NVDA"}, "--statement-fi"),
        ("4.1.2", "not-applicable", {}, "--note"),
    ],
)
def test_rejects_bad_input_and_writes_nothing(copy: Path, check_id, result, kwargs, message) -> None:
    before = copy.read_bytes()
    arguments = {"tester": None, "date": None, "at": None} | kwargs
    with pytest.raises(CheckError, match=message):
        record(check_id, result, path=copy, today=TODAY, **arguments)
    assert copy.read_bytes() == before


def test_the_command(copy: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(SCRIPT), *args, "--file", str(copy)]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)

    done = run("2.1.2", "--result", "passed", "--tester", "Ville", "--date", "2026-11-30", "--at", "keyboard only")
    assert done.returncode == 0, done.stderr
    assert "Recorded 2.1.2: pass" in done.stdout
    assert manual_checks.by_id(manual_checks.load(copy))["2.1.2"]["who"] == "Ville"
    refused = run("2.1.2", "--result", "passed", "--tester", "Ville", "--date", "2026-11-30")
    assert refused.returncode == 2 and "Not recorded: --at" in refused.stderr
    listing = run("--list")
    assert "2.1.2" in listing.stdout and "pass" in listing.stdout
