"""The page manifest (pages.yaml) is complete and well-formed, so the browser tests cover every page.

No browser needed: these run with the unit tests.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask

from configurator.lifeevents import default_life_events

from .axe_support import (
    ACTION_OPTIONS,
    ACTIONS,
    EVENT_ANSWERS,
    LANGUAGES,
    PAGE_KEYS,
    SERVERS,
    dev_idp_people,
    load_exclusions,
    load_manifest,
    page_states,
)

# Routes that are not pages for people: static files, vendored libraries and the JSON API. Other routes that
# are no page (files, POST only, redirect only) are listed in pages.yaml under `not_pages`, each with a reason.
NOT_PAGES = ("static", "vendor.", "api.")
KNOWN_STATE_KEYS = {"actions", "expect", "js", "server", "note", "event"}
KNOWN_EXPECT_KEYS = {"status", "path", "selector", "absent"}


def page_endpoints(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not any(rule.endpoint == p or rule.endpoint.startswith(p) for p in NOT_PAGES)
    }


def test_every_route_of_the_app_is_in_the_manifest(app: Flask) -> None:
    manifest = load_manifest()
    listed = {page.get("endpoint") for page in manifest["pages"].values()} | set(manifest.get("not_pages") or {})
    missing = sorted(page_endpoints(app) - listed)
    assert not missing, (
        f"add these routes to tests/accessibility/pages.yaml, with their states (or, for a file, "
        f"a POST-only or redirect-only route, under not_pages with the reason): {missing}"
    )


def test_routes_that_are_not_pages_are_real_and_say_why(app: Flask) -> None:
    """Each `not_pages` entry names a route of the app that is not also a page, with a reason a reviewer can check."""
    manifest = load_manifest()
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    pages = {page.get("endpoint") for page in manifest["pages"].values()}
    for endpoint, reason in (manifest.get("not_pages") or {}).items():
        assert endpoint in endpoints, f"not_pages: no route {endpoint}"
        assert endpoint not in pages, f"not_pages: {endpoint} is also a page of the manifest"
        assert len(str(reason or "").strip()) >= 20, f"not_pages: {endpoint}: write down why it is not a page"
        methods = set().union(*(rule.methods or set() for rule in app.url_map.iter_rules(endpoint=endpoint)))
        if "GET" in methods and not any(word in str(reason) for word in ("Not a page", "Redirect only")):
            raise AssertionError(
                f"not_pages: {endpoint} answers GET: say why it is not a page "
                f"('Not a page; ...' or 'Redirect only; ...')"
            )


def test_manifest_names_only_real_routes(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for page_id, page in load_manifest()["pages"].items():
        assert ("endpoint" in page) != ("error" in page), f"{page_id}: give either endpoint or error"
        if "endpoint" in page:
            assert page["endpoint"] in endpoints, f"{page_id}: no route {page['endpoint']}"


def test_every_error_page_of_the_app_is_in_the_manifest(app: Flask) -> None:
    handled = {code for code in app.error_handler_spec[None] if code is not None}
    listed = {page["error"] for page in load_manifest()["pages"].values() if "error" in page}
    assert handled <= listed, f"error pages missing from the manifest: {sorted(handled - listed)}"
    for page in load_manifest()["pages"].values():
        if "error" in page:
            for state_id, state in page["states"].items():
                assert state["expect"].get("status") == page["error"], state_id


def page_prefix(manifest: dict, event_id: str) -> str:
    """Pages of the default event are `step-child`, `plan`, ...; those of another event carry its id."""
    return "" if event_id == manifest["event"] else f"{event_id}-"


def events_in_manifest(manifest: dict) -> list[str]:
    """The life events with pages in the manifest (the default event, and every page's `event:`)."""
    found = {manifest["event"]} | {page["event"] for page in manifest["pages"].values() if "event" in page}
    return [event_id for event_id in default_life_events() if event_id in found]


def test_every_life_event_is_in_the_manifest() -> None:
    """A life event without pages in the manifest is not tested in a browser at all."""
    missing = sorted(set(default_life_events()) - set(events_in_manifest(load_manifest())))
    assert not missing, (
        f"life events with no pages in tests/accessibility/pages.yaml (no browser test covers "
        f"them): {missing}; add their start, steps, check and plan with `event: <id>`"
    )


def test_every_step_of_every_life_event_has_its_states() -> None:
    manifest = load_manifest()
    events = default_life_events()
    for event_id in events_in_manifest(manifest):
        event = events[event_id]
        prefix = page_prefix(manifest, event_id)
        for step in event.steps:
            page_id = f"{prefix}step-{step.id}"
            page = manifest["pages"].get(page_id)
            assert page is not None, f"step {step.id} of {event_id} has no page {page_id} in the manifest"
            assert page["endpoint"] == "journey.step"
            assert page.get("event", manifest["event"]) == event_id, f"{page_id}: give `event: {event_id}`"
            states = set(page["states"])
            # The default event has every state of every step; another event at least each step empty.
            needed = {"empty", "errors-missing", "filled"} if not prefix else {"empty"}
            assert needed <= states, f"{page_id} has only {sorted(states)}"
        if prefix:
            states = {s.id for s in page_states(manifest) if s.event == event_id}
            assert any(s.endswith("-errors-missing") for s in states), f"{event_id}: no step with missing answers"
            assert any(s.endswith("-errors-invalid") for s in states), f"{event_id}: no step with invalid answers"


def test_every_life_event_has_its_journey_pages() -> None:
    manifest = load_manifest()
    for event_id in events_in_manifest(manifest):
        prefix = page_prefix(manifest, event_id)
        for page_id, endpoint, state in (
            (f"{prefix}start", "journey.start", "empty"),
            (f"{prefix}check", "journey.check", "complete"),
            (f"{prefix}plan", "journey.plan", "results"),
        ):
            page = manifest["pages"].get(page_id)
            assert page is not None, f"{event_id} has no page {page_id} in the manifest"
            assert page["endpoint"] == endpoint and page.get("event", manifest["event"]) == event_id, page_id
            assert state in page["states"], f"{page_id} has no state {state}"


def test_pages_have_the_states_a_user_meets() -> None:
    pages = load_manifest()["pages"]
    assert {"complete", "missing-answers"} <= set(pages["check"]["states"])
    assert {"results", "filtered", "no-matches"} <= set(pages["plan"]["states"])
    assert {"empty", "with-answers"} <= set(pages["start"]["states"])


def test_manifest_states_are_well_formed() -> None:
    manifest = load_manifest()
    assert tuple(manifest["languages"]) == LANGUAGES
    assert set(manifest) <= {"languages", "event", "pages", "not_pages"}, f"unknown keys {set(manifest)}"
    people = dev_idp_people()
    events = default_life_events()
    assert manifest["event"] in events
    for page_id, page in manifest["pages"].items():
        assert set(page) <= PAGE_KEYS, f"{page_id}: unknown keys {set(page) - PAGE_KEYS}"
        if "event" in page:
            assert page["event"] in events, f"{page_id}: no life event {page['event']}"
            assert page["event"] in EVENT_ANSWERS, (
                f"{page_id}: no answers for {page['event']} in axe_support.EVENT_ANSWERS"
            )
    for event_id, answers in EVENT_ANSWERS.items():
        assert event_id in events, f"EVENT_ANSWERS names an unknown life event {event_id}"
        assert list(answers) == [step.id for step in events[event_id].steps], f"{event_id}: answers for other steps"
    seen = set()
    for state in page_states(manifest):
        steps = {step.id for step in events[state.event].steps}
        assert state.id not in seen, f"duplicate state id {state.id}"
        seen.add(state.id)
        raw = manifest["pages"][state.page]["states"][state.state]
        assert set(raw) <= KNOWN_STATE_KEYS, f"{state.id}: unknown keys {set(raw) - KNOWN_STATE_KEYS}"
        assert set(state.expect) <= KNOWN_EXPECT_KEYS, f"{state.id}: unknown expectations"
        assert state.expect, f"{state.id}: say what proves the state was reached (expect)"
        assert state.actions, f"{state.id}: no actions"
        assert re.fullmatch(r"[a-z0-9-]+", state.id), f"{state.id}: use lower case and hyphens (report file names)"
        assert state.server in SERVERS, f"{state.id}: unknown server {state.server}"
        assert state.event in events, f"{state.id}: no life event {state.event}"
        for action in state.actions:
            name = next(iter(action))
            assert name in ACTIONS, f"{state.id}: unknown action {name}"
            assert set(action) <= {name} | ACTION_OPTIONS.get(name, set()), f"{state.id}: {action}"
            if name == "sign_in":
                assert str(action["sign_in"]).lower() in people, f"{state.id}: no test person {action['sign_in']}"
                assert str(action.get("next", "/")).startswith("/"), f"{state.id}: next is a path"
            if name == "answer":
                value = action["answer"]
                assert value == "all" or set(value) <= steps, f"{state.id}: unknown steps in {value}"
                assert set(action.get("with", {})) <= steps
            if name == "goto":
                assert action["goto"].startswith("/"), f"{state.id}: paths start with /"


@pytest.mark.parametrize("exclusion", load_exclusions() or [None])
def test_every_exclusion_is_narrow_and_has_a_reason(exclusion) -> None:
    if exclusion is None:
        return  # no exclusions: nothing to justify
    assert exclusion.get("rule"), "an exclusion names one axe rule"
    assert len(str(exclusion.get("reason", "")).strip()) >= 20, f"{exclusion['rule']}: write down why"
    assert set(exclusion) <= {"rule", "reason", "pages", "states", "languages", "engines", "target"}
    pages = load_manifest()["pages"]
    for page in exclusion.get("pages") or []:
        assert page in pages, f"exclusion for unknown page {page}"
