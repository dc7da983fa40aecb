"""Where sign-in, the welcome page and feedback forms return to: only paths on this site."""

import pytest

from portal.security import local_path


@pytest.mark.parametrize("raw", ["/fi/own/", "/en/events/ecec/plan?sort=cost&page=2", "/sv/"])
def test_paths_on_this_site_are_kept(raw: str) -> None:
    assert local_path(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "/fi/\\x",
        "javascript:alert(1)",
        "fi/own",
        "/fi/own /x",
        "/fi/\nown",
        "/" + "a" * 1000,
    ],
)
def test_anything_else_is_refused(raw: str | None) -> None:
    assert local_path(raw) is None


def test_a_fragment_is_dropped() -> None:
    assert local_path("/fi/own/#plans") == "/fi/own/"
