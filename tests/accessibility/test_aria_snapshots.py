"""Screen-reader structure snapshots (evidence for WCAG 1.3.1 Info and relationships and 4.1.2 Name,
role, value): the accessibility tree of the key page states, as Playwright reads it
(`locator("body").aria_snapshot()`, ARIA snapshot YAML), in English and Finnish, compared with the
reviewed files in tests/accessibility/aria-snapshots/<lang>/<page>-<state>.yaml.

Volatile content is normalised before comparing and storing: the test server's address
(`http://127.0.0.1:<port>` becomes `http://server`), the number of a message or a saved plan in the own space's
addresses (`/own/plans/<n>/` becomes `/own/plans/ID/`, and `?plan=<n>` of its counted task links `?plan=ID`: it
depends on how many plans earlier tests saved), the token of a calendar address (`/shared/calendar/TOKEN.ics`:
a new one is made each time) and the content of the Leaflet maps (whatever is below a region named like a map
is replaced by one placeholder line, because tiles and markers appear with JavaScript timing). Dates are stable
because the tests fix today (tests/conftest.py), and the numbers of units and the free appointment times are
deterministic with the demo data, so they stay. The signed-in states start from a new account
(`sign_in` with `fresh: true` in pages.yaml), so their messages and ticks do not depend on earlier tests.

A missing snapshot fails; run with POLKU_UPDATE_ARIA_SNAPSHOTS=1 to write (or rewrite) the files,
then review the diff in git before committing.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

import pytest

from .axe_support import HERE, page_states

pytestmark = pytest.mark.browser

SNAPSHOT_DIR = HERE / "aria-snapshots"
UPDATE_VARIABLE = "POLKU_UPDATE_ARIA_SNAPSHOTS"
LANGUAGES = ("en", "fi")
STATE_IDS = (
    "home-empty",
    "start-empty",
    "step-child-empty",
    "step-care-empty",
    "step-places-empty",
    "step-family-empty",
    "step-providers-empty",
    "step-child-errors-missing",
    "check-complete",
    "plan-results",
    "accessibility-empty",
    "privacy-empty",
    "business-step-idea-empty",
    "business-plan-results",
    "unemployment-step-support-empty",
    "unemployment-plan-results",
    "unemployment-plan-services-language-filtered",
    "moving-step-health-empty",
    "moving-plan-results",
    "own-plan-results",
    "own-plan-calendar-address-made",
    "own-plan-recurring-task-done",
    "own-index-with-suggestions",
    "reservation-new-appointment-empty",
)
STATES = {s.id: s for s in page_states() if s.id in STATE_IDS}
MAP_PLACEHOLDER = "- text: (map content is not compared)"

# The accessible names of the maps in the page: the results map is labelled by its heading, the map
# pickers of the places step get an aria-label from polku.js.
MAP_NAMES = """() => [...document.querySelectorAll('.map')].map(el => {
  const by = el.getAttribute('aria-labelledby');
  const label = by ? by.split(/\\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ')
                   : (el.getAttribute('aria-label') || '');
  return label.replace(/\\s+/g, ' ').trim();
}).filter(Boolean)"""


def update_mode() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def snapshot_path(lang: str, state_id: str) -> Path:
    return SNAPSHOT_DIR / lang / f"{state_id}.yaml"


def normalise(snapshot: str, map_names: list[str]) -> str:
    """The snapshot without what may change between runs (see the module's docstring)."""
    text = re.sub(r"https?://(?:127\.0\.0\.1|localhost):\d+", "http://server", snapshot)
    text = re.sub(r"/own/plans/\d+(?=[/?#\s\"']|$)", "/own/plans/ID", text, flags=re.M)
    text = re.sub(r"([?&]plan=)\d+", r"\1ID", text)  # a plan's counted channel links (portal/metrics/links.py)
    text = re.sub(r"/own/messages/\d+(?=[/?#\s\"']|$)", "/own/messages/ID", text, flags=re.M)  # ids by run order
    text = re.sub(r"webcal://(?:127\.0\.0\.1|localhost):\d+", "webcal://server", text)
    text = re.sub(r"/shared/calendar/[\w-]+\.ics", "/shared/calendar/TOKEN.ics", text)  # a new one each time
    lines, out, skip_deeper_than = text.splitlines(), [], None
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        if skip_deeper_than is not None:
            if indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        out.append(line.rstrip())
        match = re.match(r'^\s*- \'?region "(?P<name>(?:[^"\\]|\\.)*)"', line)
        if match and _is_map(match.group("name"), map_names):
            # `- region "name":` with children below it, or `- region "name"` alone: same placeholder.
            out[-1] = out[-1].rstrip(":") + ":"
            out.append(" " * (indent + 2) + MAP_PLACEHOLDER)
            skip_deeper_than = indent
    return "\n".join(out).rstrip() + "\n"


def _is_map(name: str, map_names: list[str]) -> bool:
    name = name.replace('\\"', '"').replace("''", "'")
    return any(name == m or name.startswith(m) for m in map_names)


def take(reached: Any, state_id: str, lang: str) -> str:
    page, _ = reached(STATES[state_id], lang)
    page.wait_for_load_state("networkidle")
    return normalise(page.locator("body").aria_snapshot(), page.evaluate(MAP_NAMES))


def test_every_chosen_state_is_in_the_manifest():
    missing = sorted(set(STATE_IDS) - set(STATES))
    assert not missing, f"states missing from pages.yaml: {missing}"


@pytest.mark.shares_page("read")
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("state_id", STATE_IDS)
def test_aria_snapshot(reached, state_id, lang):
    if state_id not in STATES:
        pytest.fail(f"{state_id} is not in pages.yaml")
    found = take(reached, state_id, lang)
    path = snapshot_path(lang, state_id)
    relative = path.relative_to(HERE.parents[1])
    if update_mode():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != found:
            path.write_text(found, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(
            f"no stored ARIA snapshot {relative}: create it with "
            f"`{UPDATE_VARIABLE}=1 python -m pytest tests/accessibility/test_aria_snapshots.py`, "
            "review it and commit it"
        )
    stored = path.read_text(encoding="utf-8")
    if stored != found:
        diff = "".join(
            difflib.unified_diff(
                stored.splitlines(keepends=True),
                found.splitlines(keepends=True),
                fromfile=f"{relative} (stored)",
                tofile=f"{state_id} [{lang}] (this run)",
            )
        )
        pytest.fail(
            f"the accessibility tree of {state_id} [{lang}] changed; if the change is intended, "
            f"rerun with {UPDATE_VARIABLE}=1 and review the diff:\n{diff}",
            pytrace=False,
        )


def test_normalise_replaces_ports_plan_numbers_and_map_content():
    raw = (
        '- link "Home":\n  - /url: http://127.0.0.1:51234/en/\n'
        '- region "The same units on a map":\n  - button "Zoom in"\n  - img "Marker"\n'
        "- paragraph: After the map\n"
        "- 'region \"Map for choosing: Your home\"':\n  - img\n  - text: 1 km\n"
        '- link "Printable plan":\n  - /url: /en/own/plans/17/print\n'
    )
    assert normalise(raw, ["The same units on a map", "Map for choosing: Your home"]) == (
        '- link "Home":\n  - /url: http://server/en/\n'
        f'- region "The same units on a map":\n  {MAP_PLACEHOLDER}\n'
        "- paragraph: After the map\n"
        f"- 'region \"Map for choosing: Your home\"':\n  {MAP_PLACEHOLDER}\n"
        '- link "Printable plan":\n  - /url: /en/own/plans/ID/print\n'
    )
