"""The review list (incomplete.md): what the automated checks could not decide, grouped so a person can
review it.

axe-core reports "incomplete" per element and run, so one undecided pattern (every fact of every
checklist task, say) came out as thousands of lines. Here the items are grouped by rule, component, the
element's CSS selector pattern (ids, :nth-child() and attribute values left out: the same kind of element
wherever it is) and the reason axe gave; each group names where it occurs, shows one screenshot (taken in
the test run by contrast_pixels, under reports/accessibility/review-shots/) and is reviewed once.

Colour-contrast items that the pixel check (contrast_pixels.py) measured are decided: passed (listed
apart, with the lowest ratio measured) or failed (the test failed already). An item of another run of
the same page state, language and element (the Selenium engine audits the very page Playwright reached)
takes that verdict too. What stays is listed under "Still to review".

report.py calls apply_pixel_verdicts, recount and review_markdown.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

CONTRAST_RULE = "color-contrast"

_ID = re.compile(r"#(?:\\.|[\w-])+")
_NTH = re.compile(r":nth-(?:child|of-type|last-child|last-of-type)\([^)]*\)")
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SPACES = re.compile(r"\s+")


def pattern_of(target: list[Any] | str) -> str:
    """The selector pattern of an axe target: ids become "#id", :nth-child() and attribute selectors go, and
    it starts at the last step that names a class (axe writes a longer path only where a short one is not
    unique, so one kind of element gets one pattern).
    '#task-vat > .checklist__facts > div:nth-child(2) > dd > a[href="tel:+358"]' -> '.checklist__facts > div > dd > a'."""
    parts = [target] if isinstance(target, str) else [" ".join(p) if isinstance(p, list) else str(p) for p in target]
    selector = " >>> ".join(parts)
    selector = _SPACES.sub(" ", _ATTRIBUTE.sub("", _NTH.sub("", _ID.sub("#id", selector)))).strip()
    steps = selector.split(" > ")
    named = [i for i, step in enumerate(steps) if "." in step]
    return " > ".join(steps[named[-1] :]) if named else selector


def component_of(pattern: str, html: str = "") -> str:
    """The component a pattern belongs to: the block of its first BEM or Leaflet class (".checklist__facts" ->
    "checklist", ".leaflet-control-scale-line" -> "leaflet"), else the element's own class, else its tag."""
    classes = re.findall(r"\.([A-Za-z][\w-]*)", pattern)
    if not classes:
        match = re.search(r'class="([^"]+)"', html)
        classes = match.group(1).split() if match else []
    for name in classes:
        if name.startswith("leaflet"):
            return "leaflet (map)"
        return name.split("__")[0].split("--")[0]
    tag = re.match(r"<([a-zA-Z0-9-]+)", html)
    return tag.group(1).lower() if tag else "page"


def reason_of(message: str) -> str:
    """axe's message without its figures, so that items differing only in a measured number group together."""
    return _NUMBER.sub("N", message).strip()


def _where_key(item: dict[str, Any]) -> tuple[str, str, str, str]:
    return item["page"], item["state"], item["language"], item["target"]


def apply_pixel_verdicts(items: list[dict[str, Any]]) -> None:
    """Give every colour-contrast item its pixel verdict ("decided": "pass", "fail" or None), its own or that
    of the same element in another engine's run of the same state and language."""
    measured: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for item in items:
        check = item.get("pixel_check") or {}
        if item["rule"] == CONTRAST_RULE and check.get("verdict") in ("pass", "fail"):
            measured.setdefault(_where_key(item), check)
    for item in items:
        item["decided"] = None
        if item["rule"] != CONTRAST_RULE:
            continue
        check = item.get("pixel_check") or measured.get(_where_key(item)) or {}
        if check.get("verdict") in ("pass", "fail"):
            item["decided"] = check["verdict"]
            item["pixel_check"] = check
            item["screenshot"] = item.get("screenshot") or check.get("screenshot")


def recount(rules: dict[str, dict[str, Any]], items: list[dict[str, Any]]) -> dict[str, int]:
    """Count as "incomplete" (needs review) only what is still undecided, per rule and in all; each rule keeps
    axe's own count as "incomplete_axe" and the pixel check's as "decided_by_pixels"."""
    undecided: dict[str, int] = defaultdict(int)
    decided: dict[str, int] = defaultdict(int)
    runs: dict[str, set[str]] = defaultdict(set)
    for item in items:
        if item.get("decided"):
            decided[item["rule"]] += 1
        else:
            undecided[item["rule"]] += 1
            runs[item["rule"]].add(f"{item['engine']}/{item['language']}/{item['page']}-{item['state']}")
    for rule_id, entry in rules.items():
        entry["incomplete_axe"] = entry.get("incomplete", 0)
        entry["decided_by_pixels"] = decided.get(rule_id, 0)
        entry["incomplete"] = undecided.get(rule_id, 0)
        entry["incomplete_runs"] = [r for r in entry.get("incomplete_runs", []) if r in runs.get(rule_id, set())]
    return {
        "incomplete_axe": len(items),
        "decided_by_pixels": sum(decided.values()),
        "passed_by_pixels": sum(1 for i in items if i.get("decided") == "pass"),
        "failed_by_pixels": sum(1 for i in items if i.get("decided") == "fail"),
        "still_to_review": sum(undecided.values()),
    }


def pixel_check_cost(results: list[dict[str, Any]]) -> dict[str, float]:
    """The pixel check's own time and number of elements over the runs' raw results (the suite's budget)."""
    checks = [r.get("pixel_check") or {} for r in results]
    return {
        "runs": sum(1 for c in checks if c),
        "elements": sum(int(c.get("elements") or 0) for c in checks),
        "seconds": round(sum(float(c.get("seconds") or 0) for c in checks), 1),
    }


def group_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items grouped by (rule, component, pattern, reason, decided), the largest groups first."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for item in items:
        pattern = pattern_of(item["target"])
        component = component_of(pattern, item.get("html", ""))
        reason = reason_of(item["message"])
        key = (item["rule"], component, pattern, reason, item.get("decided"))
        group = groups.setdefault(
            key,
            {
                "rule": item["rule"],
                "component": component,
                "pattern": pattern,
                "reason": reason,
                "decided": item.get("decided"),
                "help": item.get("help"),
                "helpUrl": item.get("helpUrl"),
                "wcag": item.get("wcag") or [],
                "items": [],
                "screenshot": None,
                "lowest_ratio": None,
                "required": None,
            },
        )
        group["items"].append(item)
        group["screenshot"] = group["screenshot"] or item.get("screenshot")
        check = item.get("pixel_check") or {}
        if item.get("decided") and check.get("ratio") is not None:
            if group["lowest_ratio"] is None or check["ratio"] < group["lowest_ratio"]:
                group["lowest_ratio"], group["required"] = check["ratio"], check.get("required")
    ordered = sorted(groups.values(), key=lambda g: (-len(g["items"]), g["rule"] or "", g["pattern"]))
    for group in ordered:
        group["states"] = sorted({f"{i['page']}/{i['state']}" for i in group["items"]})
        group["languages"] = sorted({i["language"] for i in group["items"]})
        group["engines"] = sorted({i["engine"] for i in group["items"]})
    return ordered


def _cell(value: Any) -> str:
    text = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value if value is not None else "")
    return text.replace("|", "\\|").replace("\n", " ")


def _list(values: list[str], limit: int = 6) -> str:
    shown = ", ".join(values[:limit])
    return shown + (f" and {len(values) - limit} more" if len(values) > limit else "")


def review_markdown(items: list[dict[str, Any]], generated_at: str) -> str:
    """incomplete.md: the groups still to review (each with its screenshot), then the groups the pixel
    check decided, then every item still to review."""
    groups = group_items(items)
    open_groups = [g for g in groups if not g["decided"]]
    decided_groups = [g for g in groups if g["decided"]]
    open_items = [i for i in items if not i.get("decided")]
    contrast = [i for i in items if i["rule"] == CONTRAST_RULE]
    decided = [i for i in contrast if i.get("decided")]
    lines = [
        "# Needs review: what the automated checks could not decide",
        "",
        f'Generated {generated_at}. axe-core left {len(items)} item(s) undecided ("incomplete"): an element in one '
        "run, a run being one page state in one language with one engine. The pixel contrast check "
        f"(tests/accessibility/contrast_pixels.py) measured the rendered text of {len(decided)} of the "
        f"{len(contrast)} colour-contrast items: {sum(1 for i in decided if i['decided'] == 'pass')} pass, "
        f"{sum(1 for i in decided if i['decided'] == 'fail')} fail. "
        f"**{len(open_items)} item(s) in {len(open_groups)} group(s) are still to review** by a person: a group is "
        "one kind of element (its CSS selector pattern, without ids and positions) with one reason, reviewed once "
        "with its screenshot; note the result in tests/accessibility/manual-checks.yaml.",
        "",
        f"## Still to review ({len(open_groups)} groups, {len(open_items)} items)",
        "",
    ]
    if not open_groups:
        lines += ["Nothing to review.", ""]
    for number, group in enumerate(open_groups, start=1):
        first = group["items"][0]
        lines += [
            f"### {number}. {group['rule']}: {group['component']} `{_cell(group['pattern'])}`",
            "",
            f"- Reason: {_cell(group['reason'])}",
            f"- Rule: {_cell(group['help'])}. WCAG {_cell(group['wcag']) or 'best practice'}. Help: {group['helpUrl']}",
            f"- {len(group['items'])} item(s) in {len(group['states'])} page state(s): {_list(group['states'])}; "
            f"languages {', '.join(group['languages'])}; engines {', '.join(group['engines'])}",
            f"- Example: `{_cell(first['target'])}` ({first['page']}/{first['state']}, {first['language']}): "
            f"`{_cell(first.get('html', '')[:160])}`",
        ]
        if (first.get("pixel_check") or {}).get("reason"):
            lines.append(f"- Pixel check: undecided, {_cell(first['pixel_check']['reason'])}")
        if group["screenshot"]:
            lines += ["", f"![{_cell(group['pattern'])}]({group['screenshot']})"]
        else:
            lines += [
                "- No screenshot in these runs (the element was not painted, or the runs are older than the pictures)."
            ]
        lines.append("")
    lines += [
        f"## Decided by the pixel contrast check ({len(decided_groups)} groups, {len(decided)} items)",
        "",
        "The lowest ratio is the worst over every text pixel of every element of the group, against the "
        "background measured under that pixel.",
        "",
        "| Verdict | Component | Pattern | Reason axe gave | Items | States | Lowest ratio | Required | Screenshot |",
        "|---|---|---|---|---:|---:|---:|---:|---|",
    ]
    for group in decided_groups:
        shot = f"[png]({group['screenshot']})" if group["screenshot"] else ""
        lines.append(
            f"| {group['decided']} | {_cell(group['component'])} | `{_cell(group['pattern'])}` | "
            f"{_cell(group['reason'])} | {len(group['items'])} | {len(group['states'])} | "
            f"{_cell(group['lowest_ratio'])}:1 | {_cell(group['required'])}:1 | {shot} |"
        )
    lines += [
        "",
        f"## Every item still to review ({len(open_items)})",
        "",
        "| Rule | Page | State | Language | Engine | Target | Message |",
        "|---|---|---|---|---|---|---|",
    ]
    for item in open_items:
        lines.append(
            f"| {item['rule']} | {_cell(item['page'])} | {_cell(item['state'])} | {item['language']} | "
            f"{item['engine']} | `{_cell(item['target'])}` | {_cell(item['message'])} |"
        )
    lines.append("")
    return "\n".join(lines)
