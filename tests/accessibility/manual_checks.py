"""The manual-check list (manual-checks.yaml): reading it, checking an entry, and recording a result.

A person records what they found with scripts/record_accessibility_check.py instead of editing the YAML: the
input is checked first (a known check, a real date not in the future, who tested, with which assistive
technology, and for a failure what the accessibility statement says in fi, sv and en), and only the result's
fields of that one entry are rewritten, so the file's comments and the other entries stay as they are.
test_manual_checks.py checks the whole file with the same rules (`problems`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from portal.pages.accessibility_statement import SC_TITLES

PATH = Path(__file__).resolve().parent / "manual-checks.yaml"
STATUSES = ("not_tested", "pass", "fail", "not_applicable")
# What the command accepts for --result, and the status it writes.
RESULTS = {
    "passed": "pass",
    "pass": "pass",
    "failed": "fail",
    "fail": "fail",
    "not-applicable": "not_applicable",
    "not_applicable": "not_applicable",
    "not-tested": "not_tested",
    "not_tested": "not_tested",
}
KEYS = ("criterion", "title", "how_to_test", "status", "date", "who", "assistive_technology", "notes")
OPTIONAL = ("statement",)  # for a failed check: what the accessibility statement says, in fi, sv and en
RESULT_KEYS = ("status", "date", "who", "assistive_technology", "notes", "statement")  # what `record` rewrites
NOT_SC = {"plain-language"}  # checks that are not a WCAG success criterion
LANGUAGES = ("fi", "sv", "en")
MAX_NAME = 120
MAX_NOTE = 2000


class CheckError(ValueError):
    """The input of a recorded result, or an entry of the file, is not valid."""


def load(path: Path = PATH) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as f:
        return list(yaml.safe_load(f)["checks"])


def by_id(checks: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The checks by their id, which is their criterion ("1.4.3", "plain-language"): one entry per criterion."""
    return {str(check.get("criterion")): check for check in checks}


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def problems(check: dict[str, Any], today: dt.date | None = None) -> list[str]:
    """What is wrong with one entry (empty when it is well-formed)."""
    found = []
    keys = set(check)
    if not set(KEYS) <= keys <= set(KEYS) | set(OPTIONAL):
        found.append(f"keys {sorted(keys ^ set(KEYS) - set(OPTIONAL))} differ from {list(KEYS)}")
    criterion = check.get("criterion")
    if not isinstance(criterion, str):
        found.append(f'criterion {criterion!r} must be quoted in YAML ("1.4.3")')
    elif criterion not in SC_TITLES and criterion not in NOT_SC:
        found.append(f"{criterion} is not a WCAG 2.2 A/AA success criterion")
    if not (isinstance(check.get("title"), str) and check["title"].strip()):
        found.append("no title")
    if not (isinstance(check.get("how_to_test"), str) and len(check["how_to_test"].strip()) >= 20):
        found.append("how_to_test is missing or too short")
    status = check.get("status")
    if status not in STATUSES:
        found.append(f"status {status!r} is not one of {list(STATUSES)}")
    notes = check.get("notes")
    if notes is not None and not isinstance(notes, str):
        found.append("notes must be text")
    date = check.get("date")
    if date is not None:
        try:
            if _date(date) > (today or dt.date.today()):
                found.append(f"date {date} is in the future")
        except ValueError:
            found.append(f"date {date!r} is not YYYY-MM-DD")
    if status in ("pass", "fail"):
        if date is None:
            found.append("a done check needs a date")
        for key, what in (("who", "who did it"), ("assistive_technology", "the assistive technology used")):
            if not (isinstance(check.get(key), str) and check[key].strip()):
                found.append(f"a done check needs {what} ({key})")
    if status == "not_applicable" and not notes:
        found.append("say in notes why the check does not apply")
    statement = check.get("statement")
    if status == "fail":
        if not (
            isinstance(statement, dict)
            and set(statement) == set(LANGUAGES)
            and all(str(v).strip() for v in statement.values())
        ):
            found.append("a failed check needs `statement:` texts in fi, sv and en for the accessibility statement")
    elif statement is not None:
        found.append("only a failed check has a `statement:`")
    return found


def _one_line(value: str | None, what: str, required: bool, limit: int = MAX_NAME) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise CheckError(f"{what} is required")
        return None
    if "\n" in text or len(text) > limit:
        raise CheckError(f"{what} must be one line of at most {limit} characters")
    return text


def record(
    check_id: str,
    result: str,
    *,
    tester: str | None,
    date: str | dt.date | None,
    at: str | None,
    note: str | None = None,
    statement: dict[str, str | None] | None = None,
    path: Path = PATH,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Write one check's result into the file and return the entry as read back. Raises CheckError (and
    writes nothing) when the input is not valid."""
    text = Path(path).read_text(encoding="utf-8")
    checks = by_id(yaml.safe_load(text)["checks"])
    if check_id not in checks:
        raise CheckError(f"no manual check {check_id!r}; the checks are: {', '.join(checks)}")
    if result not in RESULTS:
        raise CheckError(f"result {result!r} is not one of {', '.join(sorted(RESULTS))}")
    status = RESULTS[result]
    done = status in ("pass", "fail")
    try:
        day = None if date in (None, "") else _date(date)
    except ValueError as error:
        raise CheckError(f"date {date!r} is not a date (YYYY-MM-DD)") from error
    if done and day is None:
        raise CheckError("a passed or failed check needs --date")
    if day is not None and day > (today or dt.date.today()):
        raise CheckError(f"date {day} is in the future")
    fields: dict[str, Any] = {
        "status": status,
        "date": day,
        "who": _one_line(tester, "--tester", done),
        "assistive_technology": _one_line(at, "--at (the assistive technology and browser, or 'none')", done, 200),
        "notes": _one_line(note, "--note", status == "not_applicable", MAX_NOTE)
        if note is not None or status == "not_applicable"
        else checks[check_id].get("notes") or "",
    }
    if status == "fail":
        texts = {
            lang: _one_line((statement or {}).get(lang), f"--statement-{lang}", True, MAX_NOTE) for lang in LANGUAGES
        }
        fields["statement"] = texts
    entry = {**{k: v for k, v in checks[check_id].items() if k not in RESULT_KEYS}, **fields}
    wrong = problems(entry, today)
    if wrong:
        raise CheckError("; ".join(wrong))
    new_text = _replace_result(text, check_id, fields)
    after = by_id(yaml.safe_load(new_text)["checks"])[check_id]
    Path(path).write_text(new_text, encoding="utf-8")
    return after


_ENTRY = re.compile(r"^  - ")
_KEY = re.compile(r"^    ([a-z_]+):")


def _replace_result(text: str, check_id: str, fields: dict[str, Any]) -> str:
    """The file with the result fields of one entry replaced; every other line kept as it was."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _ENTRY.match(line)]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        block = lines[start:end]
        entry = yaml.safe_load("".join(block))[0]
        if str(entry.get("criterion")) != check_id:
            continue
        kept, skipping = [], False
        for index, line in enumerate(block):
            key = _KEY.match(line)
            if index == 0 or key:
                skipping = bool(key) and key.group(1) in RESULT_KEYS
            elif line.strip() and not line.startswith("      "):
                skipping = False
            if not skipping:
                kept.append(line)
        while kept and not kept[-1].strip():  # the blank lines between entries go after the new fields
            kept.pop()
        trailing = _trailing_blank(block)
        rendered = yaml.safe_dump(
            {k: v for k, v in fields.items() if v is not None or k != "statement"},
            allow_unicode=True,
            sort_keys=False,
            width=110,
            default_flow_style=False,
        )
        new = "".join("    " + line if line.strip() else line for line in rendered.splitlines(keepends=True))
        return "".join(lines[:start] + kept) + new + "\n" * trailing + "".join(lines[end:])
    raise CheckError(f"no manual check {check_id!r}")


def _trailing_blank(block: list[str]) -> int:
    count = 0
    for line in reversed(block):
        if line.strip():
            break
        count += 1
    return count
