"""The ECEC units near home and work as columns (numpy arrays), so a results page costs the same whatever the size
of the catalogue (issue 17).

Why: with a national catalogue thousands of units lie within the 10 km reach, and the page needs of them only
counts (in reach and suiting the child, with room, matching the filters) and its 20 rows. Turning every unit in
reach into Python tuples to count and order them cost tens of milliseconds; arrays of each unit's coordinates and
codes, built once per grid cell of the catalogue's index and kept until the cell's units change, let a request
compute every distance, count and pick its first rows in a few vectorised operations. Python objects are made
only for the rows the page shows (and for every row when something reads them all, the API).

What is shown stays exactly what the plain definition gives (configurator/comparisons/ecec.py, tests in
tests/unit/test_ecec_columns.py): numpy's sin, cos and arcsin may differ from math's in the last bits, so the
vectorised kilometres are only trusted where those bits cannot matter. A unit whose distance lies within EPSILON_KM
of the reach, or whose nearer distance lies within EPSILON_KM of a rounding boundary (x.x5 km, as the page rounds
to 0.1 km), has its distances computed again with configurator.geo.distance_from; so do the units whose rows are
built. Every other unit's rounded distance, and whether it is in reach, cannot differ from the exact one.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_right
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import accumulate
from typing import Any

import numpy as np
import numpy.typing as npt

from ..catalogue import EcecUnitRecord
from ..geo import EARTH_RADIUS_KM, distance_from

EPSILON_KM = 1e-9  # far above numpy's few-ulp differences (about 1e-14 km at 10 km), far below what is shown

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Prices = dict[int, list[tuple[date, Decimal]]]  # a unit's price history, oldest first (the index's)

# The columns of the integer array, one row per unit.
ID, CARE, PROVIDER, KIND, FREE_UNDER_3, QUEUE_UNDER_3, FREE_3_AND_OVER, QUEUE_3_AND_OVER, PRICE, PRICE_FROM = range(10)
INT_COLUMNS = 10
# The columns of the float array: the latitude in radians and its cosine (math's, so exact), the longitude.
LAT_RAD, COS_LAT, LON = range(3)
NO_AVAILABILITY = -1  # FREE_* of a unit without figures for the age group
NO_PRICE = -1


class Codes:
    """Small integers for values (care types, kinds of unit, prices), the same in every cell and request, with
    one example of each value's holder (what a kind of unit means is asked of its example). Interned under a
    lock: cells are built by concurrent requests."""

    def __init__(self) -> None:
        self._codes: dict[Hashable, int] = {}
        self.values: list[Hashable] = []
        self.examples: list[Any] = []
        self._lock = threading.Lock()

    def code(self, value: Hashable, example: Any = None) -> int:
        found = self._codes.get(value)
        if found is None:
            with self._lock:
                found = self._codes.get(value)
                if found is None:
                    found = len(self.values)
                    self.values.append(value)
                    self.examples.append(example)
                    self._codes[value] = found
        return found

    def find(self, value: Hashable) -> int:
        """The code of a value, -1 when no unit has it (a filter's value)."""
        return self._codes.get(value, -1)


WORDS = Codes()  # care types and provider types
KINDS = Codes()  # what decides whether a unit suits a child (Needs.mismatches): one example unit each
PRICES = Codes()  # monthly prices (Decimal)


def kind_of(unit: EcecUnitRecord) -> tuple[Any, ...]:
    """Everything Needs.mismatches reads of a unit: units of one kind suit or do not suit a child alike."""
    return (unit.languages, unit.shift_care, unit.shift_care_only, unit.serves_under_3, unit.serves_3_and_over)


@dataclass(frozen=True, eq=False)
class UnitColumns:
    """The units of one grid cell as arrays (see the module's docstring); ``units`` in the cell's order."""

    units: Sequence[EcecUnitRecord]
    floats: Floats  # (n, 3): LAT_RAD, COS_LAT, LON
    ints: Ints  # (n, INT_COLUMNS)
    cell: Hashable  # the cell's key in the index: a cell under both points' boxes is read twice


def columns_of(units: Sequence[EcecUnitRecord], prices: Prices, cell: Hashable) -> UnitColumns:
    """The columns of a cell's units. A unit's price is its newest price in ``prices`` with the day it starts
    (a request on an earlier day asks the index, see Near.priced), or its record's price without a history."""
    radians, cos = math.radians, math.cos
    floats = []
    ints = []
    for unit in units:
        p2 = radians(unit.latitude)
        floats.append((p2, cos(p2), unit.longitude))
        under_3 = unit.availability.get("under_3")
        over_3 = unit.availability.get("3_and_over")
        history = prices.get(unit.id)
        if history:
            start, newest = history[-1]
            price_code, price_from = PRICES.code(newest), start.toordinal()
        else:
            price = unit.monthly_price
            price_code, price_from = (NO_PRICE if price is None else PRICES.code(price)), 0
        ints.append(
            (
                unit.id,
                WORDS.code(unit.care_type),
                WORDS.code(unit.provider_type),
                KINDS.code(kind_of(unit), unit),
                NO_AVAILABILITY if under_3 is None else under_3.free_places,
                0 if under_3 is None else under_3.queue_weeks,
                NO_AVAILABILITY if over_3 is None else over_3.free_places,
                0 if over_3 is None else over_3.queue_weeks,
                price_code,
                price_from,
            )
        )
    return UnitColumns(
        units,
        np.array(floats, dtype=np.float64).reshape(-1, 3),
        np.array(ints, dtype=np.int64).reshape(-1, INT_COLUMNS),
        cell,
    )


class _Joined:
    """The units of some cells as one sequence by position, without a list of them all (thousands per request)."""

    def __init__(self, cells: Sequence[UnitColumns]) -> None:
        self._lists = [cell.units for cell in cells]
        self._starts = list(accumulate((len(units) for units in self._lists), initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, position: int) -> EcecUnitRecord:
        cell = bisect_right(self._starts, position) - 1  # an empty cell shares its start with the next one
        return self._lists[cell][position - self._starts[cell]]


def _columns(cells: Sequence[UnitColumns]) -> tuple[Floats, Ints]:
    if not cells:
        return np.empty((0, 3)), np.empty((0, INT_COLUMNS), dtype=np.int64)
    if len(cells) == 1:
        return cells[0].floats, cells[0].ints
    return np.concatenate([c.floats for c in cells]), np.concatenate([c.ints for c in cells])


def _haversine(point: tuple[float, float], floats: Floats) -> Floats:
    """distance_from's arithmetic, vectorised (the same operations in the same order; numpy's sin and arcsin may
    still differ from math's in the last bits, see EPSILON_KM)."""
    p1 = math.radians(point[0])
    cos_p1 = math.cos(p1)
    p2, cos_p2 = floats[:, LAT_RAD], floats[:, COS_LAT]
    a = np.sin((p2 - p1) / 2) ** 2 + cos_p1 * cos_p2 * np.sin(np.radians(floats[:, LON] - point[1]) / 2) ** 2
    result: Floats = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return result


def _exact_near(distances: Floats, limit: float, units: _Joined, point: tuple[float, float]) -> None:
    """Compute again, exactly, the distances within EPSILON_KM of ``limit`` (in place)."""
    close = np.flatnonzero(np.abs(distances - limit) <= EPSILON_KM).tolist()
    if close:
        exact = distance_from(*point)
        for i in close:
            distances[i] = exact(units[i].latitude, units[i].longitude)


class Near:
    """The units within reach of home or work (home's first, then those near work only, as the plain definition
    lists them), with their codes (``ints``), their distances to both and the nearer one rounded as the page
    shows it (``tenths``: tenths of a kilometre, exact). ``d_home`` and ``d_work`` are vectorised kilometres,
    exact only where the reach or the rounding depends on them; ``triple(i)`` gives a unit's exact ones.
    ``unit(i)`` is the ``i``-th unit (found in its cell: no list of them all is made)."""

    def __init__(
        self,
        found: Sequence[tuple[_Joined, Ints]],
        ints: Ints,
        d_home: Floats,
        d_work: Floats | None,
        home: tuple[float, float],
        work: tuple[float, float] | None,
        priced: Callable[[EcecUnitRecord], EcecUnitRecord],
        on: date,
    ) -> None:
        self._found = found  # (units, the positions of those in reach), home's then work's
        self.ints = ints
        self.d_home = d_home
        self.d_work = d_work
        self.priced = priced
        self.on = on
        self._from_home = distance_from(*home)
        self._from_work = distance_from(*work) if work is not None else None
        self.tenths = self._tenths()

    def __len__(self) -> int:
        return len(self.ints)

    def unit(self, i: int) -> EcecUnitRecord:
        for units, positions in self._found:
            if i < len(positions):
                return units[int(positions[i])]
            i -= len(positions)
        raise IndexError(i)

    @property
    def units(self) -> list[EcecUnitRecord]:
        return [self.unit(i) for i in range(len(self))]

    def _tenths(self) -> Ints:
        """round(nearer distance, 1) × 10, as integers: exact, as the units near a rounding boundary (x.x5) are
        measured again with the exact formula."""
        nearest = self.d_home if self.d_work is None else np.minimum(self.d_home, self.d_work)
        scaled = nearest * 10
        tenths = np.floor(scaled + 0.5).astype(np.int64)
        for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) <= EPSILON_KM * 10).tolist():
            _unit, d_home, d_work = self.triple(i)
            exact = d_home if d_work is None or d_home <= d_work else d_work
            tenths[i] = round(round(exact, 1) * 10)
        return tenths

    def triple(self, i: int) -> tuple[EcecUnitRecord, float, float | None]:
        """The unit priced for the day, with its exact distances from home and work (None: no workplace)."""
        unit = self.unit(i)
        d_work = None if self._from_work is None else self._from_work(unit.latitude, unit.longitude)
        return self.priced(unit), self._from_home(unit.latitude, unit.longitude), d_work

    def triples(self) -> list[tuple[EcecUnitRecord, float, float | None]]:
        """Every unit in reach with its exact distances: what the plain definition lists."""
        return [self.triple(i) for i in range(len(self))]

    def price_codes(self) -> Ints:
        """Each unit's price code (PRICES, NO_PRICE) on the day: a unit whose newest price starts later is asked
        of the index (an announced rise; rare)."""
        codes = self.ints[:, PRICE].copy()
        for i in np.flatnonzero(self.ints[:, PRICE_FROM] > self.on.toordinal()).tolist():
            price = self.priced(self.unit(i)).monthly_price
            codes[i] = NO_PRICE if price is None else PRICES.code(price)
        return codes


def near(
    home_cells: Sequence[UnitColumns],
    work_cells: Sequence[UnitColumns] | None,
    home: tuple[float, float],
    work: tuple[float, float] | None,
    radius_km: float,
    priced: Callable[[EcecUnitRecord], EcecUnitRecord],
    on: date,
) -> Near:
    """The units of ``home_cells`` within ``radius_km`` of home, then those of ``work_cells`` within it of work and
    not already found (the cells under each point's bounding box, in the index's order). A unit of a work cell
    was found already when its cell is under home's box too and it is within reach of home."""
    units = _Joined(home_cells)
    floats, ints = _columns(home_cells)
    d_home = _haversine(home, floats)
    _exact_near(d_home, radius_km, units, home)
    at_home = np.flatnonzero(d_home <= radius_km)
    if work is None or work_cells is None:
        return Near([(units, at_home)], ints[at_home], d_home[at_home], None, home, None, priced, on)
    w_units = _Joined(work_cells)
    w_floats, w_ints = _columns(work_cells)
    d_work = _haversine(work, w_floats)
    _exact_near(d_work, radius_km, w_units, work)
    at_work = np.flatnonzero(d_work <= radius_km)
    w_home = _haversine(home, w_floats[at_work])
    close = np.flatnonzero(np.abs(w_home - radius_km) <= EPSILON_KM).tolist()
    if close:
        exact = distance_from(*home)
        for i in close:
            unit = w_units[int(at_work[i])]
            w_home[i] = exact(unit.latitude, unit.longitude)
    home_keys = {cell.cell for cell in home_cells}
    shared = np.repeat(
        np.array([cell.cell in home_keys for cell in work_cells], dtype=np.bool_), [len(c.units) for c in work_cells]
    )
    new = ~(shared[at_work] & (w_home <= radius_km))  # not found near home already
    at_work = at_work[new]
    return Near(
        [(units, at_home), (w_units, at_work)],
        np.concatenate([ints[at_home], w_ints[at_work]]),
        np.concatenate([d_home[at_home], w_home[new]]),
        np.concatenate([_haversine(work, floats[at_home]), d_work[at_work]]),
        home,
        work,
        priced,
        on,
    )


def first_positions(keys: Sequence[Ints], stop: int) -> Ints:
    """The positions (ascending) of the rows that can be among the first ``stop`` in an order whose leading terms
    are ``keys`` (the primary key last, as np.lexsort takes them): every row whose keys are at most those of the
    ``stop``-th row, ties included, so ordering these few by the whole key in Python gives the first ``stop``."""
    count = len(keys[0])
    if stop <= 0:
        return np.empty(0, dtype=np.int64)
    if stop >= count:
        return np.arange(count, dtype=np.int64)
    combined = _combined(keys)
    if combined is not None:  # one integer per row, in the same order: the stop-th smallest, without sorting
        threshold = np.partition(combined, stop - 1)[stop - 1]
        return np.flatnonzero(combined <= threshold)
    order = np.lexsort(keys)
    last = order[stop - 1]
    rest = order[stop:]
    same = np.ones(len(rest), dtype=np.bool_)
    for key in keys:
        same &= key[rest] == key[last]
    end = stop + (int(np.argmin(same)) if not same.all() else len(rest))
    return np.sort(order[:end])


def _combined(keys: Sequence[Ints]) -> Ints | None:
    """The keys (non-negative integers, the primary last) as one integer per row that orders the rows as they do,
    when it fits in 62 bits; None otherwise."""
    combined = np.zeros(len(keys[0]), dtype=np.int64)
    scale = 1
    for key in keys:
        low, high = int(key.min()), int(key.max())
        if low < 0 or scale * (high + 1) >= 1 << 62:
            return None
        combined += key * scale
        scale *= high + 1
    return combined
