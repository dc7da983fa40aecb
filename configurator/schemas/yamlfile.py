"""Reading a data file: safe YAML where floats stay exact and a repeated key is an error.

Why not ``yaml.safe_load``: it reads 0.107 as a binary float and lets a second ``2024-01-01:`` key
silently replace the first period.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError, Problem


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that reads floats as Decimal and rejects duplicate keys."""


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(None, None, f"unsupported number {text!r}", node.start_mark) from None
    if not number.is_finite():
        raise yaml.constructor.ConstructorError(None, None, f"non-finite number {text!r}", node.start_mark)
    return number


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str, file: str | Path) -> Any:
    """The parsed text of a data file; DataFileError with the line when it is not YAML or repeats a key."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        context = f" ({error.context})" if error.context else ""
        raise DataFileError(file, [Problem("", f"cannot read: {where}{error.problem}{context}")]) from None
    except yaml.YAMLError as error:
        raise DataFileError(file, [Problem("", f"cannot read: {error}")]) from None


def load_yaml(path: Path) -> Any:
    """Read and parse ``path`` (see ``parse_yaml``); DataFileError when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(path, [Problem("", f"cannot read: {error}")]) from None
    return parse_yaml(text, path)
