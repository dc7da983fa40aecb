"""Every user-facing string is in the fi, sv and en catalogs, translated, not fuzzy, placeholders intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fi", "sv", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """Extract afresh, so a string added to code or data without a catalog entry fails here."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def catalog(lang: str):
    with (ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_extraction_finds_life_event_content(extracted: set[str]) -> None:
    assert "Enter your child's date of birth" in extracted  # from configurator/events/ecec.yaml
    assert "Apply for early childhood education" in extracted
    assert "Skip to main content" in extracted  # from templates


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_string_is_translated(lang: str, extracted: set[str]) -> None:
    messages = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog(lang) if m.id}
    missing = sorted(extracted - set(messages))
    assert not missing, f"{lang}: not in the catalog (run make translations-update): {missing[:10]}"
    untranslated = [
        mid
        for mid in extracted
        if not all(messages[mid].string if isinstance(messages[mid].string, tuple) else [messages[mid].string])
    ]
    assert not untranslated, f"{lang}: untranslated: {untranslated[:10]}"
    fuzzy = [mid for mid in extracted if messages[mid].fuzzy]
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    for message in catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = {a or b for a, b in PLACEHOLDER.findall(ids[-1])}
        for string in strings:
            found = {a or b for a, b in PLACEHOLDER.findall(string)}
            if len(ids) > 1 and "num" in expected:
                found |= {"num"}  # a singular form may spell the number out
            assert found == expected, f"{lang}: {message.id!r} -> {string!r}"
