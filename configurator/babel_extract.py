"""A Babel extractor for life-event files, so their texts reach the catalogs through `pybabel extract`.

Registered as the `polku_life_event` extraction method (pyproject entry point) and
used by babel.cfg for configurator/events/*.yaml.
"""
from __future__ import annotations

from typing import Any, BinaryIO, Iterator

import yaml

# Keys whose string values are user-facing text; everything else (ids, codes, predicate names) is not.
TEXT_KEYS = frozenset({"title", "summary", "label", "hint", "intro", "why", "how", "explanation", "start_label", "name"})
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


def extract_life_event(fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any) -> Iterator[tuple]:
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
