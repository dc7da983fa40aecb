"""Screen-reader transcripts (issue 19 item 3; evidence for WCAG 1.3.1, 2.4.6, 4.1.2 and 4.1.3): what a
screen reader says reading each page state of the manifest from top to bottom, in Finnish, Swedish and
English, compared with the reviewed files in tests/accessibility/transcripts/<lang>/<page>-<state>.txt (one
spoken phrase a line). The reader is @guidepup/virtual-screen-reader in Chromium (transcript_support), on
the page the state's axe, HTML_CodeSniffer and ARIA snapshot checks read (conftest.reached: one reach).

Volatile content is normalised as in the ARIA snapshots (test_aria_snapshots.normalise): the server's address,
plan numbers, calendar, share and visit tokens, an error page's reference; what is said inside a map (tiles and markers come with JavaScript timing) is
one placeholder line. A change to what is spoken fails until the file is written again: run with
POLKU_UPDATE_TRANSCRIPTS=1 (and `-k <state>`), then review the diff in git before committing.

Besides the comparison, every transcript is checked for a control spoken without a name ("button"), which a
listener cannot recover from. The reader's own words (roles, "end of", states) are English in every language.
And the live estimate of the ECEC family step is listened to while answers change: one short announcement per
refresh, of only what changed, and nothing when nothing changed.

Cost: one page.evaluate per page state and language (the whole walk in the page); its time and the number of
phrases go to reports/accessibility/raw-transcripts/<lang>/<page>-<state>.json.
"""

from __future__ import annotations

import difflib
import json
import os
import time
from pathlib import Path

import pytest

from tests.helpers import translated

from .axe_support import HERE, LANGUAGES, REPORT_DIR, PlaywrightBrowser, page_states, polku_js_ready, state_params
from .test_aria_snapshots import MAP_NAMES
from .transcript_support import (
    MAP_PLACEHOLDER,
    heard,
    listen,
    normalise,
    spoken_phrases,
    unnamed_controls,
    vsr_version,
)

TRANSCRIPT_DIR = HERE / "transcripts"
RAW_DIR = REPORT_DIR / "raw-transcripts"
UPDATE_VARIABLE = "POLKU_UPDATE_TRANSCRIPTS"
STATES = page_states()


# The states whose spoken content depends on what other states did on the same test server before them (which
# xdist worker runs which states, and in what order, differs between `make test` and a run of some files): they
# list everyone's feedback, the change log, the dashboard's counts, the bookings. Their transcripts are still
# made and checked for unnamed controls, and written for review to reports/accessibility/transcripts/, but not
# compared with a stored file. The reason says what varies.
_FEEDBACK = "lists the open feedback that earlier states gave (one more per state, language and run)"
_TIMES = "lists the unit's appointment or visit times and bookings, which earlier states add, book and cancel"
_LOG = "the change log and its times of day: every earlier organiser state adds entries"
_DASHBOARD = "counts the journeys, plans and feedback of every earlier state"
_MESSAGES = "the person's messages and earlier plans, share links and consents (not a fresh account)"
_UPDATED = "the units' free places and prices, with when they were updated: earlier organiser states change them"
UNSTABLE: dict[str, str] = {
    "organiser-home-manager": _FEEDBACK + "; and which units' free places were confirmed",
    "organiser-home-director": _FEEDBACK,
    "organiser-home-open-feedback": _FEEDBACK,
    "organiser-feedback-result": _FEEDBACK,
    "organiser-unit-result": _TIMES,
    "organiser-unit-times-added": _TIMES,
    "organiser-times-empty": _TIMES,
    "organiser-times-errors": _TIMES,
    "organiser-times-cancel-errors": _TIMES,
    "organiser-times-visits-booked": _TIMES,
    "visit-new-empty": _TIMES,
    "visit-new-errors": _TIMES,
    "visit-cancel-confirm": _TIMES + " (the last free time is chosen)",
    "visit-cancelled": _TIMES + " (the first free time is booked and cancelled)",
    "organiser-availability-empty": _UPDATED,
    "organiser-availability-errors": _UPDATED,
    "organiser-availability-all-empty": _UPDATED,
    "organiser-availability-all-errors": _UPDATED,
    "organiser-availability-all-confirmed": _UPDATED,
    "organiser-prices-empty": _UPDATED,
    "organiser-prices-errors": _UPDATED,
    "organiser-pricing-empty": _UPDATED,
    "organiser-pricing-errors": _UPDATED,
    "organiser-pricing-saved": _UPDATED,
    "organiser-unit-availability-saved": _UPDATED,
    "organiser-unit-availability-confirmed": _UPDATED,
    "organiser-unit-price-saved": _UPDATED,
    "reservation-new-place-empty": _UPDATED + "; and the places reserved before",
    "reservation-new-place-does-not-match": _UPDATED + "; and the places reserved before",
    "reservation-new-place-replace-confirm": _UPDATED + "; and the places reserved before",
    "organiser-log-result": _LOG,
    "organiser-log-unit": _LOG,
    "organiser-dashboard-result": _DASHBOARD,
    "organiser-dashboard-trend-by-week": _DASHBOARD,
    "live-preview-updated": "the status line says what the last of several refreshes while typing changed, and "
    "which refresh is last depends on timing (test_a_refresh_of_the_live_estimate_is_heard_once_and_briefly "
    "listens to the refreshes one by one)",
    "start-signed-in": _MESSAGES,
    "business-start-signed-in": _MESSAGES,
    "unemployment-start-signed-in": _MESSAGES,
    "start-errors-acting-for": _MESSAGES,
    "own-plan-plan-saved": _MESSAGES + " (a recurring task ticked before repeats)",
    "own-index-plan-deleted": _MESSAGES,
    "own-plan-progress-saved": _MESSAGES,
    "own-plan-share-made": _MESSAGES,
    "own-plan-calendar-address-stopped": _MESSAGES,
    "own-messages-with-messages": _MESSAGES,
    "own-messages-answered-feedback": _MESSAGES,
    "own-my-data-consent-saved": _MESSAGES,
    "own-my-data-errors-confirm": _MESSAGES,
    "reservations-index-with-reservations": _MESSAGES,
    "reservation-new-appointment-empty": _MESSAGES,
    "reservation-new-appointment-errors-missing": _MESSAGES,
    "reservation-new-appointment-phone-empty": _MESSAGES,
    "reservation-new-appointment-errors-phone": _MESSAGES,
}


def update_mode() -> bool:
    return os.environ.get(UPDATE_VARIABLE) == "1"


def transcript_path(lang: str, state_id: str) -> Path:
    return TRANSCRIPT_DIR / lang / f"{state_id}.txt"


def transcript(page, state_id: str, lang: str) -> str:
    """The page's transcript: the phrases of one walk from top to bottom, normalised, one a line; the walk's
    cost and size written to the raw results."""
    page.wait_for_load_state("networkidle")
    started = time.perf_counter()
    walk = spoken_phrases(page)
    seconds = time.perf_counter() - started
    assert walk["complete"], f"{page.url}: the reader did not reach the end of the document"
    raw = RAW_DIR / lang / f"{state_id}.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "engine": f"@guidepup/virtual-screen-reader {vsr_version()}",
        "language": lang,
        "state": state_id,
        "url": page.url,
        "seconds": round(seconds, 3),
        "phrases": len(walk["phrases"]),
        "live_during_walk": walk["live"],
    }
    raw.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
    return normalise(walk["phrases"], page.evaluate(MAP_NAMES))


@pytest.mark.browser
@pytest.mark.shares_page("read")
@pytest.mark.parametrize(("state", "lang"), state_params(STATES, LANGUAGES))
def test_transcript(reached, state, lang):
    page, _ = reached(state, lang)
    found = transcript(page, state.id, lang)
    lines = found.splitlines()
    path = transcript_path(lang, state.id)
    relative = path.relative_to(HERE.parents[1])
    problems = [f"a control without a name: {p!r}" for p in unnamed_controls(lines)]
    if state.id in UNSTABLE:
        review = REPORT_DIR / "transcripts" / lang / f"{state.id}.txt"
        review.parent.mkdir(parents=True, exist_ok=True)
        review.write_text(found, encoding="utf-8")
    elif update_mode():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != found:
            path.write_text(found, encoding="utf-8")
    elif not path.exists():
        pytest.fail(
            f"no stored transcript {relative}: create it with `{UPDATE_VARIABLE}=1 python -m pytest "
            f"tests/accessibility/test_transcripts.py -k {state.id}-{lang}`, review it and commit it"
        )
    else:
        stored = path.read_text(encoding="utf-8")
        if stored != found:
            diff = "".join(
                difflib.unified_diff(
                    stored.splitlines(keepends=True),
                    found.splitlines(keepends=True),
                    fromfile=f"{relative} (stored)",
                    tofile=f"{state.id} [{lang}] (this run)",
                )
            )
            problems.insert(
                0, f"what is spoken changed; if intended, rerun with {UPDATE_VARIABLE}=1 and review the diff:\n{diff}"
            )
    assert not problems, f"{page.url} [{lang}]\n" + "\n".join(problems)


def test_every_transcript_belongs_to_a_state():
    """A transcript of a state no longer in the manifest (renamed, removed), or of an unstable one, is stale."""
    known = {transcript_path(lang, s.id) for s in STATES for lang in LANGUAGES if s.id not in UNSTABLE}
    stale = sorted(str(p.relative_to(TRANSCRIPT_DIR)) for p in TRANSCRIPT_DIR.rglob("*.txt") if p not in known)
    assert not stale, f"transcripts of no state in pages.yaml: {stale}"


def test_unstable_states_are_in_the_manifest_with_a_reason():
    ids = {s.id for s in STATES}
    assert set(UNSTABLE) <= ids, sorted(set(UNSTABLE) - ids)
    assert all(len(reason) >= 20 for reason in UNSTABLE.values())


def test_normalise_collapses_maps_and_volatile_addresses():
    phrases = [
        "link, Printable plan",
        "region, The same units on a map",
        "button, Zoom in",
        "img, Marker",
        "end of region, The same units on a map",
        "link, http://127.0.0.1:51234/en/own/plans/17/print",
        "Subscribe: webcal://127.0.0.1:4000/shared/calendar/Ab-9_x.ics",
        "link, http://127.0.0.1:4000/sv/shared/ubgxjYfMMNurm47s8tDPt1rKM5EBq0Fx",
        "link, http://127.0.0.1:4000/sv/visits/bpmlXlriyjx3parZqoiwrVtYZ_3NX8LTnSvAcZf0owY/cancel",
        "Felreferens: b007cbc63663",
    ]
    assert normalise(phrases, ["The same units on a map"]).splitlines() == [
        "link, Printable plan",
        "region, The same units on a map",
        MAP_PLACEHOLDER,
        "end of region, The same units on a map",
        "link, http://server/en/own/plans/ID/print",
        "Subscribe: webcal://server/shared/calendar/TOKEN.ics",
        "link, http://server/sv/shared/TOKEN",
        "link, http://server/sv/visits/TOKEN/cancel",
        "Felreferens: REFERENCE",
    ]


def test_the_count_of_unread_messages_is_left_out():
    read = ["link, Messages 2 unread", "Messages", "2 unread", "end of link, Messages 2 unread", "link, Sign out"]
    assert normalise(read, []) == "link, Messages\nlink, Sign out\n"
    assert normalise(["link, Messages", "link, Sign out"], []) == "link, Messages\nlink, Sign out\n"


def test_unnamed_controls_are_found_by_role_and_states_alone():
    lines = [
        "button",  # unnamed
        "textbox, invalid, required",  # unnamed
        "checkbox, not checked",  # unnamed
        "button, Continue",
        "textbox, What is your child's date of birth? Day, invalid",
        "link, Sign in",
        "heading, Your plan, level 1",  # not a control
        "listitem, level 1, position 1, set size 2",  # not a control
    ]
    assert unnamed_controls(lines) == ["button", "textbox, invalid, required", "checkbox, not checked"]


# --- the live estimate ------------------------------------------------------------------------------------

FACTS = """() => Object.fromEntries(Array.from(document.querySelectorAll('#preview [data-announce]'),
  el => [el.dataset.previewFact, el.dataset.announce]))"""


def refresh_with(page, browser, fields: dict[str, str]) -> None:
    """Change fields and wait for the live preview's answer and the script's work on it."""
    with page.expect_response(lambda response: response.url.endswith("/preview")):
        browser.fill(fields)
        page.locator("main h1").click()  # leave the box: its change event sends the preview at once
    page.wait_for_timeout(300)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_refresh_of_the_live_estimate_is_heard_once_and_briefly(app, new_page, live_server, lang):
    """ECEC, family of 3, heard through the virtual screen reader: an income of 2,500 € a month is under the
    fee's income limit (fee 0 €), 20,000 € is far over it (the highest fee): that refresh is heard once, as
    "Estimate updated:" and the changed facts only (the fee; the units in reach do not depend on income), in
    fewer words than the box. 25,000 € changes nothing shown: nothing is heard. Back to 2,500 €: once again."""
    if not polku_js_ready(live_server.url):
        pytest.fail("static/js/polku.js is missing")
    page = new_page(lang, js=True)
    browser = PlaywrightBrowser(page, live_server.url, lang, event="ecec")
    browser.answer(["child", "care", "places"])
    browser.goto(f"/{lang}/events/ecec/steps/family")
    refresh_with(page, browser, {"family_size": "3", "income": "2500", "other_children_in_ecec": "0"})
    page.wait_for_timeout(1000)  # one preview per changed box: let the last of them arrive
    prefix = translated(app, lang, "Estimate updated:")
    listen(page)
    for income, changes in (("20000", True), ("25000", False), ("2500", True)):
        before = page.evaluate(FACTS)
        refresh_with(page, browser, {"income": income})
        after = page.evaluate(FACTS)
        changed = [text for name, text in after.items() if before.get(name) != text]
        said = heard(page)
        if not changes:
            assert after == before and said == [], (income, said)
            continue
        assert "fee" in after and before.get("fee") != after["fee"] and before["units"] == after["units"]
        assert said == [f"polite: {prefix} {'; '.join(changed)}"], (income, said)
        assert after["units"] not in said[0]
        assert len(said[0].split()) < len(page.locator("#preview").inner_text().split()) // 2
