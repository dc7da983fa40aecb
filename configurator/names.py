"""Texts that exist in several languages: names of places, units and services, and links to outside sites.

One value type for all of them, so "the Swedish name on a Swedish page, else the Finnish" is decided in
one place. A name or a site has a version in some of Finnish, Swedish and English; a page in a language
the value has no version in gets the first of Finnish, Swedish, English that it has (a Finnish place
name on an English page, the Finnish address of a site without a Swedish version on a Swedish page).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("fi", "sv", "en")  # the portal's languages, in fallback order


class LocalizedError(ValueError):
    """A per-language value in a data file has the wrong shape."""


@dataclass(frozen=True)
class Localized:
    """A name or an address in Finnish and, where it has them, in Swedish and English."""

    fi: str | None = None
    sv: str | None = None
    en: str | None = None

    def __post_init__(self) -> None:
        if not (self.fi or self.sv or self.en):
            raise LocalizedError("a localized value needs at least one language")

    def display(self, locale: str | None) -> str:
        """The version in ``locale``, else the first of Finnish, Swedish, English that exists."""
        own = getattr(self, locale, None) if locale in LANGUAGES else None
        return str(own or next(text for lang in LANGUAGES if (text := getattr(self, lang))))

    def items(self) -> Iterator[tuple[str, str]]:
        """(language, text) of the versions that exist, in the order fi, sv, en."""
        for lang in LANGUAGES:
            text = getattr(self, lang)
            if text:
                yield lang, text

    def as_dict(self) -> dict[str, str]:
        return dict(self.items())

    @property
    def single(self) -> bool:
        """True when the value has one version only (a site in one language)."""
        return len(self.as_dict()) == 1


def localized(fi: str | None, sv: str | None = None, en: str | None = None) -> Localized | None:
    """A Localized of the versions given, or None when none is (an optional name or address)."""
    return Localized(fi or None, sv or None, en or None) if (fi or sv or en) else None


def parse_localized(value: Any, where: str, url: bool = False) -> Localized | None:
    """A data file's value: a plain string (one version for every language) or ``{fi: .., sv: .., en: ..}``.

    ``url`` requires every version to be an https address. None stays None.
    """
    if value is None:
        return None
    if isinstance(value, str):
        versions = {"fi": value}
    elif isinstance(value, Mapping):
        unknown = set(value) - set(LANGUAGES)
        if unknown:
            raise LocalizedError(f"{where}: unknown language(s) {sorted(unknown)}; use {list(LANGUAGES)}")
        versions = dict(value)
    else:
        raise LocalizedError(f"{where}: expected a text or a mapping of languages, not {type(value).__name__}")
    for lang, text in versions.items():
        if not isinstance(text, str) or not text.strip():
            raise LocalizedError(f"{where}: the '{lang}' version must be a non-empty text")
        if url and not text.startswith("https://"):
            raise LocalizedError(f"{where}: the '{lang}' address must start with https://, not {text!r}")
    if not versions:
        raise LocalizedError(f"{where}: give at least one language")
    return Localized(**versions)
