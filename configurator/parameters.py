"""Legal figures as dated parameter data (in the spirit of OpenFisca parameters).

Figures change by law, ministry notice or Kela index decision on known dates,
and some future figures are not published yet. Keeping them in YAML files with
a validity start date and a citation per value lets the rules stay free of
literals, lets a reviewer check every figure against its source, and lets the
product say honestly when it is using an older figure as an estimate.

File layout (configurator/parameters/<file>.yaml)::

    description: What the file is about
    income_limit:                 # a group: nested mapping
      description: ...
      family_2:                   # a leaf: has `values`
        description: ...
        unit: currency-EUR
        values:
          2024-08-01:
            value: 4066
            source: Kuntaliitto circular 19/2023
          2026-08-01:
            value: null           # not known yet
            status: unconfirmed
            source: Ministry notice 1028/2025 (limits not yet found)

The dotted name of that leaf is ``<file>.income_limit.family_2``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

import yaml

PACKAGE_DIRECTORY = Path(__file__).with_name("parameters")

_STATUSES = frozenset({"confirmed", "unconfirmed"})
_LEAF_KEYS = frozenset({"description", "unit", "values", "reference"})
_PERIOD_KEYS = frozenset({"value", "source", "status", "note"})


class ParameterError(LookupError):
    """No usable value: unknown name, a date before the first period, or a malformed file."""


@dataclass(frozen=True)
class ParameterValue:
    """One figure as used for a date, with where it came from.

    ``valid_from`` is the start of the period whose figure is returned;
    ``asked_period_from`` is the start of the period the asked date falls in.
    They differ when the asked period's figure is not known yet, and then
    ``estimate`` is True so the product can show an "estimate" badge.
    """

    name: str
    value: Decimal
    valid_from: date
    source: str
    estimate: bool
    asked_period_from: date
    unit: str = ""


@dataclass(frozen=True)
class _Period:
    start: date
    value: Decimal | None
    source: str
    unconfirmed: bool


@dataclass(frozen=True)
class _Leaf:
    name: str
    description: str
    unit: str
    periods: tuple[_Period, ...]  # ascending by start


class Parameters:
    """All loaded parameter leaves, looked up by dotted name and date."""

    def __init__(self, leaves: dict[str, _Leaf]) -> None:
        self._leaves = dict(leaves)

    @classmethod
    def load(cls, directory: Path | None = None) -> "Parameters":
        """Load and validate every *.yaml file in ``directory`` (default: the package's own)."""
        directory = Path(directory) if directory is not None else PACKAGE_DIRECTORY
        files = sorted(directory.glob("*.yaml"))
        if not files:
            raise ParameterError(f"{directory}: no parameter files (*.yaml)")
        leaves: dict[str, _Leaf] = {}
        for path in files:
            for leaf in _load_file(path):
                leaves[leaf.name] = leaf
        return cls(leaves)

    def names(self) -> list[str]:
        """Dotted names of all leaves, sorted."""
        return sorted(self._leaves)

    def description(self, name: str) -> str:
        """The leaf's description, for pages that list the figures used."""
        return self._leaf(name).description

    def unit(self, name: str) -> str:
        """The leaf's unit ("months", "currency-EUR" ...): a deadline can only count in a time unit."""
        return self._leaf(name).unit

    def known_values(self, name: str) -> tuple[Decimal, ...]:
        """Every known value the leaf has had, so a restated copy of any of them can be recognised."""
        return tuple(period.value for period in self._leaf(name).periods if period.value is not None)

    def at(self, name: str, on: date) -> ParameterValue:
        """The figure of ``name`` for the date ``on``.

        When the period containing ``on`` has no known figure, the latest
        earlier known figure is returned with ``estimate=True`` rather than
        inventing one; an unconfirmed figure is flagged the same way.
        """
        leaf = self._leaf(name)
        on = on.date() if isinstance(on, datetime) else on
        asked_index = _period_index(leaf, on)
        for period in reversed(leaf.periods[: asked_index + 1]):
            if period.value is not None:
                asked = leaf.periods[asked_index]
                return ParameterValue(
                    name=name,
                    value=period.value,
                    valid_from=period.start,
                    source=period.source,
                    estimate=period.unconfirmed or period is not asked,
                    asked_period_from=asked.start,
                    unit=leaf.unit,
                )
        raise ParameterError(f"{name}: no known value on or before {on.isoformat()}")

    def _leaf(self, name: str) -> _Leaf:
        try:
            return self._leaves[name]
        except KeyError:
            raise ParameterError(f"unknown parameter {name!r}") from None


@functools.lru_cache(maxsize=1)
def default_parameters() -> Parameters:
    """The package's parameter files, loaded once per process."""
    return Parameters.load()


def _period_index(leaf: _Leaf, on: date) -> int:
    """Index of the period containing ``on``; ParameterError before the first one."""
    index = -1
    for i, period in enumerate(leaf.periods):
        if period.start <= on:
            index = i
    if index < 0:
        first = leaf.periods[0].start.isoformat()
        raise ParameterError(f"{leaf.name}: no value before {first} (asked {on.isoformat()})")
    return index


# --- loading and validation -------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML loader that reads floats as Decimal and rejects duplicate keys.

    Going through the scalar text keeps 0.107 exact; duplicate keys would
    otherwise silently drop a period.
    """


def _construct_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise yaml.constructor.ConstructorError(
            None, None, f"unsupported number {text!r}", node.start_mark
        ) from None
    if not number.is_finite():
        raise yaml.constructor.ConstructorError(
            None, None, f"non-finite number {text!r}", node.start_mark
        )
    return number


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_file(path: Path) -> list[_Leaf]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(f"{path}: cannot read parameters: {exc}") from exc
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: top level must be a mapping")
    leaves = list(_walk(path, path.stem, data))
    if not leaves:
        raise ParameterError(f"{path}: no parameters (no mapping with 'values')")
    return leaves


def _walk(path: Path, name: str, node: dict[Any, Any]) -> Iterator[_Leaf]:
    """Yield the leaves under ``node``; a mapping with ``values`` is a leaf."""
    if "values" in node:
        yield _parse_leaf(path, name, node)
        return
    for key, child in node.items():
        if key == "description":
            _require_text(path, name, "description", child)
            continue
        if not isinstance(key, str) or not key.isidentifier():
            raise ParameterError(f"{path}: {name}: bad key {key!r} (use identifiers)")
        if not isinstance(child, dict):
            raise ParameterError(f"{path}: {name}.{key}: expected a mapping, got {child!r}")
        yield from _walk(path, f"{name}.{key}", child)


def _parse_leaf(path: Path, name: str, node: dict[Any, Any]) -> _Leaf:
    unknown = set(node) - _LEAF_KEYS
    if unknown:
        raise ParameterError(f"{path}: {name}: unknown keys {sorted(map(str, unknown))}")
    description = _require_text(path, name, "description", node.get("description"))
    unit = _require_text(path, name, "unit", node.get("unit"))
    values = node["values"]
    if not isinstance(values, dict) or not values:
        raise ParameterError(f"{path}: {name}: 'values' must be a non-empty mapping of dates")
    periods = sorted(
        (_parse_period(path, name, key, entry) for key, entry in values.items()),
        key=lambda period: period.start,
    )
    if periods[0].value is None:
        raise ParameterError(f"{path}: {name}: the first period needs a known value")
    return _Leaf(name=name, description=description, unit=unit, periods=tuple(periods))


def _parse_period(path: Path, name: str, key: Any, entry: Any) -> _Period:
    start = _parse_date(path, name, key)
    where = f"{path}: {name}.values.{start.isoformat()}"
    if not isinstance(entry, dict):
        raise ParameterError(f"{where}: expected a mapping with value and source")
    unknown = set(entry) - _PERIOD_KEYS
    if unknown:
        raise ParameterError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    if "value" not in entry:
        raise ParameterError(f"{where}: missing 'value' (write null if not known)")
    source = _require_text(path, f"{name}.values.{start.isoformat()}", "source", entry.get("source"))
    status = entry.get("status", "confirmed")
    if status not in _STATUSES:
        raise ParameterError(f"{where}: status must be one of {sorted(_STATUSES)}")
    value = _parse_value(where, entry["value"])
    if value is None and status != "unconfirmed":
        raise ParameterError(f"{where}: a null value must have 'status: unconfirmed'")
    return _Period(start=start, value=value, source=source, unconfirmed=status == "unconfirmed")


def _parse_date(path: Path, name: str, key: Any) -> date:
    if isinstance(key, date) and not isinstance(key, datetime):
        return key
    if isinstance(key, str):
        try:
            return date.fromisoformat(key)
        except ValueError:
            pass
    raise ParameterError(f"{path}: {name}: period key {key!r} is not an ISO date (YYYY-MM-DD)")


def _parse_value(where: str, raw: Any) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise ParameterError(f"{where}: value must be a number or null, got {raw!r}")
    return Decimal(raw)


def _require_text(path: Path, name: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(f"{path}: {name}: '{key}' must be a non-empty string")
    return value.strip()
