"""The manual-check list (manual-checks.yaml) is well-formed: real WCAG success criteria, allowed
statuses, and a date and a name for every check that was done. No browser needed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from .report import SC_TITLES

PATH = Path(__file__).resolve().parent / "manual-checks.yaml"
STATUSES = {"not_tested", "pass", "fail", "not_applicable"}
KEYS = {"criterion", "title", "how_to_test", "status", "date", "who", "notes"}
OPTIONAL = {"statement"}  # for a failed check: what the accessibility statement says, in fi, sv and en
NOT_SC = {"plain-language"}  # checks that are not a WCAG success criterion
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
    assert KEYS <= set(check) <= KEYS | OPTIONAL, f"keys {sorted(set(check) ^ KEYS)} differ from {sorted(KEYS)}"
    criterion = check["criterion"]
    assert isinstance(criterion, str), f'criterion {criterion!r} must be quoted in YAML ("1.4.3")'
    assert criterion in SC_TITLES or criterion in NOT_SC, f"{criterion} is not a WCAG 2.2 A/AA success criterion"
    assert isinstance(check["title"], str) and check["title"].strip()
    assert isinstance(check["how_to_test"], str) and len(check["how_to_test"].strip()) >= 20
    assert check["status"] in STATUSES, f"status {check['status']!r} is not one of {sorted(STATUSES)}"
    assert check["notes"] is None or isinstance(check["notes"], str)
    if check["status"] in ("pass", "fail"):
        assert isinstance(check["date"], (dt.date, str)) and check["date"], "a done check needs a date"
        if isinstance(check["date"], str):
            dt.date.fromisoformat(check["date"])
        assert isinstance(check["who"], str) and check["who"].strip(), "a done check needs who did it"
    elif check["date"] is not None:
        dt.date.fromisoformat(str(check["date"]))
    if check["status"] == "not_applicable":
        assert check["notes"], "say why the check does not apply"
    if check["status"] == "fail":
        statement = check.get("statement") or {}
        assert set(statement) == {"fi", "sv", "en"} and all(str(v).strip() for v in statement.values()), (
            "a failed check needs `statement:` texts in fi, sv and en for the accessibility statement"
        )


def test_sc_ids_look_like_wcag() -> None:
    import re

    for check in CHECKS:
        assert re.fullmatch(r"[1-4]\.\d\.\d{1,2}", check["criterion"]) or check["criterion"] in NOT_SC
