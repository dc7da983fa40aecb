"""Babel extractors for YAML data, so its texts reach the catalogs through `pybabel extract`.

`polku_life_event` (pyproject entry point) extracts the texts of configurator/events/*.yaml;
`polku_sources` extracts the `source` citations of configurator/parameters/*.yaml and of the demo
catalogue, so pages can show them in their language while the API keeps the English (or original) text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import yaml

# Keys whose string values are user-facing text; everything else (ids, codes, predicate names) is not.
TEXT_KEYS = frozenset(
    {"title", "summary", "label", "hint", "intro", "why", "how", "explanation", "start_label", "name"}
)
TEXT_MAPPINGS = frozenset({"errors"})  # every value of these mappings is text


def _texts(node: yaml.Node, parent_key: str | None = None) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            if isinstance(value_node, yaml.ScalarNode) and (key in TEXT_KEYS or parent_key in TEXT_MAPPINGS):
                if value_node.value:
                    yield value_node.start_mark.line + 1, yaml.safe_load(yaml.serialize(value_node))
            else:
                yield from _texts(value_node, key)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _texts(item, parent_key)


def extract_life_event(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every text in a life-event file."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for line, text in _texts(root):
        yield line, None, str(text), []


def life_event_texts(data: Any) -> set[str]:
    """The same texts from an already-loaded file (for tests that compare with the catalogs)."""
    found: set[str] = set()

    def walk(value: Any, key: str | None = None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, str) and (k in TEXT_KEYS or key in TEXT_MAPPINGS):
                    found.add(v)
                else:
                    walk(v, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)

    walk(data)
    return found


SOURCE_KEY = "source"
SOURCE_SEPARATOR = ";"


def source_parts(source: str) -> list[str]:
    """A citation split the way `configurator.rules.join_sources` splits it, so every part shown on a page
    (alone or joined with other figures' sources) is one catalog entry."""
    return [part.strip() for part in source.split(SOURCE_SEPARATOR) if part.strip()]


def source_msgid(part: str) -> str:
    """The catalog id of a citation part: '%' doubled, as in every python-format id, because Babel takes
    '25.5 % of' for a '% o' placeholder and would reject every translation without one."""
    return part.replace("%", "%%")


def _sources(node: yaml.Node) -> Iterator[tuple[int, str]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == SOURCE_KEY and isinstance(value_node, yaml.ScalarNode):
                text = yaml.safe_load(yaml.serialize(value_node))
                if isinstance(text, str):
                    yield from ((value_node.start_mark.line + 1, source_msgid(part)) for part in source_parts(text))
            else:
                yield from _sources(value_node)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _sources(item)


def extract_sources(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Yield (line, funcname, message, comments) for every part of every `source` in a YAML file."""
    root = yaml.compose(fileobj.read().decode("utf-8"))
    if root is None:
        return
    for line, part in _sources(root):
        yield line, None, part, []


def source_texts(data: Any) -> set[str]:
    """The same catalog ids from an already-loaded file (for tests that compare with the catalogs)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == SOURCE_KEY and isinstance(item, str):
                    found.update(source_msgid(part) for part in source_parts(item))
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return found
