"""Language versions of the outside sites the demo catalogue links to.

A web or e-service address in ``turku_region.yaml`` or ``service_points.yaml`` is either a plain
address (a site in one language) or ``{fi: .., sv: .., en: ..}``. The database keeps one address per
column, the Finnish (or only) version, as a real catalogue row would; the page picks the version in its
language by looking that address up here. A real catalogue (PTV) gives each language's address itself,
so a row this table does not know is shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from configurator.names import Localized, parse_localized

DEMO_DIR = Path(__file__).parent
DEMO_FILES = ("turku_region.yaml", "service_points.yaml")
URL_KEYS = frozenset({"web_url", "eservice_url", "ecec_eservice_url"})


def _mappings(node: Any) -> Iterator[Mapping[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in URL_KEYS and isinstance(value, Mapping):
                yield value
            else:
                yield from _mappings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _mappings(item)


@lru_cache(maxsize=1)
def link_versions() -> dict[str, Localized]:
    """Every address of the demo files that has language versions, by the version the database keeps."""
    found: dict[str, Localized] = {}
    for name in DEMO_FILES:
        with (DEMO_DIR / name).open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        for mapping in _mappings(data):
            versions = parse_localized(mapping, name, url=True)
            if versions is not None:
                found[versions.display("fi")] = versions
    return found


def link(url: str | None) -> Localized | None:
    """The language versions of a stored address (just itself when it has none); None for no address."""
    if not url:
        return None
    return link_versions().get(url) or Localized(fi=url)
