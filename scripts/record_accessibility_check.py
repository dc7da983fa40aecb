"""Record the result of a manual accessibility check in tests/accessibility/manual-checks.yaml.

    .venv/bin/python scripts/record_accessibility_check.py 4.1.2 --result passed --tester "Name" \\
        --date 2026-12-04 --at "NVDA 2024.4 + Firefox 133" --note "Whole ECEC journey and the plan"
    .venv/bin/python scripts/record_accessibility_check.py --list

A check is named by its criterion ("1.4.3", "plain-language"). --result is passed, failed, not-applicable or
not-tested; a passed or failed check needs --tester, --date (not in the future) and --at (the assistive
technology and browser with versions, or "none" and the tools used); a failed one also --statement-fi,
--statement-sv and --statement-en, the sentences the accessibility statement says about the problem. The input
is checked before anything is written (exit status 2 and a message otherwise); only that entry's result fields
change. Then `make accessibility-statement` generates the statement draft, and the next report shows the result.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.accessibility.manual_checks import PATH, RESULTS, CheckError, by_id, load, record  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record a manual accessibility check's result.")
    parser.add_argument("check", nargs="?", help='the check, by its criterion ("1.4.3", "plain-language")')
    parser.add_argument("--result", choices=sorted(RESULTS), help="the result")
    parser.add_argument("--tester", help="who did the check")
    parser.add_argument("--date", help="when, YYYY-MM-DD")
    parser.add_argument("--at", help='assistive technology and browser with versions, or "none" and the tools')
    parser.add_argument("--note", help="what was checked and found")
    for lang in ("fi", "sv", "en"):
        parser.add_argument(f"--statement-{lang}", help=f"for a failed check: the statement's text in {lang}")
    parser.add_argument("--file", default=str(PATH), help="the manual-check list (default: %(default)s)")
    parser.add_argument("--list", action="store_true", help="list the checks and their status")
    args = parser.parse_args(argv)
    if args.list:
        for check_id, check in by_id(load(Path(args.file))).items():
            print(f"{check_id:15} {check['status']:15} {check['title']}")
        return 0
    if not args.check or not args.result:
        parser.error("give the check and --result (or --list)")
    try:
        entry = record(
            args.check,
            args.result,
            tester=args.tester,
            date=args.date,
            at=args.at,
            note=args.note,
            statement={"fi": args.statement_fi, "sv": args.statement_sv, "en": args.statement_en},
            path=Path(args.file),
        )
    except CheckError as error:
        print(f"Not recorded: {error}", file=sys.stderr)
        return 2
    print(f"Recorded {args.check}: {entry['status']} ({entry.get('date')}, {entry.get('who')}) in {args.file}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
