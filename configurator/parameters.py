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

The dotted name of that leaf is ``<file>.income_limit.family_2``. The file's model is
``configurator.schemas.parameters``: a malformed file fails at load with one line per problem,
``<file>: <path>: <problem>``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from .schemas import DataFileError, Problem, load_yaml, validate_file
from .schemas.parameters import LeafModel, ParameterFileModel

PACKAGE_DIRECTORY = Path(__file__).with_name("parameters")


class ParameterError(LookupError):
    """No usable value: unknown name, a date before the first period, or a malformed file
    (``ParameterFileError``)."""


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
    def load(cls, directory: Path | None = None) -> Parameters:
        """Load and validate every *.yaml file in ``directory`` (default: the package's own)."""
        directory = Path(directory) if directory is not None else PACKAGE_DIRECTORY
        files = sorted(directory.glob("*.yaml"))
        if not files:
            raise ParameterFileError.one(directory, "", "no parameter files (*.yaml)")
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


class ParameterFileError(ParameterError, DataFileError):
    """A parameter file breaks its model: one ``<file>: <path>: <problem>`` line per problem.

    Both a ParameterError (what callers of the lookup catch) and a DataFileError (what every data file raises).
    """

    def __init__(self, file: str | Path, problems: Sequence[Problem]) -> None:
        DataFileError.__init__(self, file, problems)  # LookupError's own __init__ would come first in the MRO


def _load_file(path: Path) -> list[_Leaf]:
    try:
        model = validate_file(ParameterFileModel, load_yaml(path), path)
    except DataFileError as error:
        raise ParameterFileError(error.file, error.problems) from None
    leaves = [_leaf(name, node) for name, node in model.leaves(path.stem)]
    if not leaves:
        raise ParameterFileError.one(path, "", "no parameters (no mapping with 'values')")
    return leaves


def _leaf(name: str, node: LeafModel) -> _Leaf:
    periods = tuple(
        _Period(start=start, value=period.value, source=period.source, unconfirmed=period.status == "unconfirmed")
        for start, period in node.periods()
    )
    return _Leaf(name=name, description=node.description, unit=node.unit, periods=periods)
