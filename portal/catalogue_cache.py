"""An in-memory spatial index of the ECEC catalogue, kept in step with the database by two revisions and a log.

Results pages read hundreds of units per request, while the catalogue changes a few times a day (location
data) and its figures many times a day (every reservation and cancellation changes free places). The
``catalogue_state`` row carries two counters, raised in the same transaction as the write, so a cached index
is never stale after a commit: every request compares them with its index's and catches up first.

- ``revision`` rises with every write to the catalogue: locations and units, availability, unit prices and
  municipal pricing (``bump_revision(session)``, which reservations, cancellations and organisers' edits call
  first, as their lock order).
- ``locations_revision`` rises too when a ``service_location`` or ``ecec_unit`` row is inserted, changed or
  deleted (coordinates, names, languages, opening hours, existence): the units themselves, not only their
  figures, must be read again.

Which units changed is in the ``catalogue_change`` log: database triggers on ``availability``, ``unit_price``,
``ecec_unit`` and ``service_location`` write (revision, unit) for every row written, through the ORM or not
(portal/models.py CHANGE_LOG_TRIGGERS). A cached index behind the database reads the log after its revision
and reads again only those units: their availability and price history when only figures changed (a
reservation: no location columns, the grid untouched), or the whole units when locations changed, moved to
their new cells (a unit that left the catalogue is dropped). That is O(changed units), whatever the size of
the catalogue; only the cells that change are copied, every other cell and record is shared with the previous
index, so a request still reading it is not disturbed. When the log may have been pruned past the cached
revision (KEEP_CHANGES), or more than a quarter of the units changed (a demo reload), every unit's figures are
read again, or, when locations changed, the index is rebuilt: every unit is read and placed in its cell (O(N),
with ``gc.freeze()`` after it); so is the first index of a process. Municipal pricing is not cached (it is
read per request).

The grid is the spatial index (issue 17, item 3): units are kept in cells of CELL_DEGREES × CELL_DEGREES
(about 5.5 km north-south, 2.7 km east-west at 60° N), keyed by the cell's integer coordinates. A search of
radius r reads only the cells that overlap the bounding box of the circle, about
(2r / 5.5 + 1) × (2r / 2.7 + 1) cells (for 10 km: 5 × 9 = 45 cells), and tests the exact distance of the units
in them; the work is O(cells + units in those cells), independent of the size of the whole catalogue. The
same code runs on SQLite and PostgreSQL (no PostGIS needed). `scripts/bench.py --index` measures it.

Each cell also has its units as columns (numpy arrays of coordinates, codes, figures and prices, see
configurator/comparisons/ecec_columns.py), made when a request first reads the cell and kept with the index: the
results page counts and orders the thousands of units in reach from them (``near_columns``). A catch-up drops the
columns of the cells whose units changed (figures, prices or locations), so they are made again when next read.
"""

from __future__ import annotations

import gc
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, event, insert, select, update
from sqlalchemy.orm import Session

from configurator.catalogue import Availability as AvailabilityRecord
from configurator.catalogue import EcecUnitRecord
from configurator.comparisons import ecec_columns
from configurator.geo import bounding_box, distance_km

from .models import (
    Availability,
    CatalogueChange,
    CatalogueState,
    EcecUnit,
    MunicipalEcecPricing,
    ServiceLocation,
    UnitPrice,
)

LOCATION_TABLES = {m.__table__.name for m in (ServiceLocation, EcecUnit)}
FIGURE_TABLES = {m.__table__.name for m in (Availability, UnitPrice, MunicipalEcecPricing)}
CATALOGUE_TABLES = LOCATION_TABLES | FIGURE_TABLES
CELL_DEGREES = 0.05  # about 5.5 km north-south
STATE = CatalogueState.__table__
CHANGES = CatalogueChange.__table__
KEEP_CHANGES = 1000  # revisions of change log kept; an index further behind reads every unit again
PRUNE_EVERY = 100


def bump_revision(session: Session, *, locations: bool = False) -> None:
    """Mark the catalogue changed (Core statements, so no ORM event fires again): its figures only, or with
    ``locations`` its units too (the index then reads the changed units whole, not only their figures). Every
    PRUNE_EVERY revisions it also deletes the change log's entries older than KEEP_CHANGES revisions."""
    connection = session.connection()
    values = {"revision": STATE.c.revision + 1}
    if locations:
        values["locations_revision"] = STATE.c.locations_revision + 1
    revision = connection.execute(
        update(STATE).where(STATE.c.id == 1).values(**values).returning(STATE.c.revision)
    ).scalar()
    if revision is None:
        connection.execute(insert(STATE).values(id=1, revision=1, locations_revision=1))
    elif revision % PRUNE_EVERY == 0:
        connection.execute(delete(CHANGES).where(CHANGES.c.revision <= revision - KEEP_CHANGES))


def current_revision(session: Session) -> int:
    """The revision of any change to the catalogue."""
    return session.scalar(select(CatalogueState.revision).where(CatalogueState.id == 1)) or 0


def current_revisions(session: Session) -> tuple[int, int]:
    """(locations revision, revision of any change), in one query."""
    row = session.execute(select(STATE.c.locations_revision, STATE.c.revision).where(STATE.c.id == 1)).first()
    return (row.locations_revision, row.revision) if row is not None else (0, 0)


def _table_of(instance: object) -> str | None:
    return getattr(getattr(instance, "__table__", None), "name", None)


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, flush_context: object, instances: object) -> None:
    touched = [o for o in (*session.new, *session.dirty, *session.deleted) if _table_of(o) in CATALOGUE_TABLES]
    if not touched:
        return
    # A location whose only change is its collection (an availability row added through it) has not moved.
    locations = any(
        _table_of(o) in LOCATION_TABLES
        and (o not in session.dirty or session.is_modified(o, include_collections=False))
        for o in touched
    )
    bump_revision(session, locations=locations)


@event.listens_for(Session, "do_orm_execute")
def _on_bulk(state: object) -> None:
    """Bulk ORM inserts, updates and deletes (the demo loaders use them) bypass flush events."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    tables = {getattr(m.entity, "__tablename__", None) for m in state.all_mappers}
    if tables & CATALOGUE_TABLES:
        bump_revision(state.session, locations=bool(tables & LOCATION_TABLES))


Figures = dict[int, dict[str, AvailabilityRecord]]  # availability of every unit, by age group


@dataclass
class _Index:
    locations_revision: int
    revision: int
    cells: dict[tuple[int, int], list[EcecUnitRecord]]
    places: dict[int, tuple[tuple[int, int], int]]  # unit id -> (its cell, its position in the cell's list)
    prices: dict[int, list[tuple[date, Decimal]]]
    columns: dict[tuple[int, int], ecec_columns.UnitColumns] = field(default_factory=dict)

    def within(self, lat: float, lon: float, radius_km: float, on: date) -> list[EcecUnitRecord]:
        """Units within ``radius_km`` of the point: only the cells under the circle's bounding box are read."""
        south, west, north, east = bounding_box(lat, lon, radius_km)
        found = []
        for x in range(_cell(south), _cell(north) + 1):
            for y in range(_cell(west), _cell(east) + 1):
                for unit in self.cells.get((x, y), ()):
                    if distance_km(lat, lon, unit.latitude, unit.longitude) <= radius_km:
                        found.append(self._priced(unit, on))
        return found

    def near(
        self, home: tuple[float, float], work: tuple[float, float] | None, radius_km: float, on: date
    ) -> list[tuple[EcecUnitRecord, float, float | None]]:
        """The units within ``radius_km`` of home or of work (None: home only), each with its distances to both.

        What within() of home and then of work gives, in that order (home's units first, then those only near
        work), with the same kilometres (configurator.geo.distance_from computes as distance_km does), every
        distance computed once (tests/web/test_results_near.py): near_columns(), every unit made exact."""
        return self.near_columns(home, work, radius_km, on).triples()

    def near_columns(
        self, home: tuple[float, float], work: tuple[float, float] | None, radius_km: float, on: date
    ) -> ecec_columns.Near:
        """The units within ``radius_km`` of home or of work as columns (configurator/comparisons/ecec_columns.py):
        a results page counts and orders thousands of them without a Python object for each."""
        home_cells = self._box_columns(home[0], home[1], radius_km)
        work_cells = None if work is None else self._box_columns(work[0], work[1], radius_km)
        return ecec_columns.near(home_cells, work_cells, home, work, radius_km, lambda unit: self._priced(unit, on), on)

    def _box_columns(self, lat: float, lon: float, radius_km: float) -> list[ecec_columns.UnitColumns]:
        """The columns of the cells under the bounding box of a circle, in within()'s order. A cell's columns are
        made when first read and kept with the index; with_figures() and with_units() drop those of the cells
        whose units change (the rest are shared with the previous index, as its cells are)."""
        south, west, north, east = bounding_box(lat, lon, radius_km)
        cells, columns = self.cells, self.columns
        found = []
        for x in range(_cell(south), _cell(north) + 1):
            for y in range(_cell(west), _cell(east) + 1):
                key = (x, y)
                made = columns.get(key)
                if made is None:
                    units = cells.get(key)
                    if not units:
                        continue
                    made = columns[key] = ecec_columns.columns_of(units, self.prices, key)
                found.append(made)
        return found

    def _priced(self, unit: EcecUnitRecord, on: date) -> EcecUnitRecord:
        history = self.prices.get(unit.id)
        if not history:
            return unit
        start, price = history[-1]  # oldest first: the newest price, when it is already valid (the usual case)
        if start > on:
            valid = [price for start, price in history if start <= on]
            price = valid[-1] if valid else None
        return unit if price == unit.monthly_price else replace(unit, monthly_price=price)

    def with_figures(
        self,
        revision: int,
        figures: Figures,
        prices: dict[int, list[tuple[date, Decimal]]],
        changed: Collection[int] | None = None,
    ) -> _Index:
        """A new index on the same grid with these figures, for the units ``changed`` (None: every unit; a unit
        missing from ``figures`` has no availability): only the records whose availability changed are
        replaced, in copies of their cells' lists, so a request still reading this index is not disturbed."""
        cells = dict(self.cells)
        copied: set[tuple[int, int]] = set()
        # The columns of a changed unit's cell hold its figures and price: made again when next read. dict() copies
        # in one step (requests still reading this index may add columns to it meanwhile).
        units: Collection[tuple[int, tuple[tuple[int, int], int]]]
        if changed is None:
            units, columns = self.places.items(), {}
        else:
            units = [(i, self.places[i]) for i in changed if i in self.places]
            stale = {key for _unit_id, (key, _position) in units}
            columns = {key: made for key, made in dict(self.columns).items() if key not in stale}
        for unit_id, (key, position) in units:
            unit = cells[key][position]
            availability = figures.get(unit_id, {})
            if availability != unit.availability:
                if key not in copied:
                    cells[key] = list(cells[key])
                    copied.add(key)
                cells[key][position] = replace(unit, availability=availability)
        return _Index(self.locations_revision, revision, cells, self.places, prices, columns)

    def with_units(
        self,
        locations_revision: int,
        revision: int,
        records: dict[int, EcecUnitRecord],
        changed: set[int],
        prices: dict[int, list[tuple[date, Decimal]]],
    ) -> _Index:
        """A new index where the units ``changed`` are replaced by ``records`` (a changed unit missing from them
        is no longer an ECEC unit, or no longer exists): only the cells they leave or enter are copied."""
        cells = dict(self.cells)
        places = dict(self.places)
        entering: dict[tuple[int, int], list[EcecUnitRecord]] = defaultdict(list)
        for unit in records.values():
            entering[_cell_of(unit)].append(unit)
        touched = set(entering)
        for unit_id in changed:
            old = places.pop(unit_id, None)
            if old is not None:
                touched.add(old[0])
        for key in touched:
            units = [unit for unit in cells.get(key, ()) if unit.id not in changed] + entering.get(key, [])
            if units:
                cells[key] = units
                places.update((unit.id, (key, position)) for position, unit in enumerate(units))
            else:
                cells.pop(key, None)
        columns = {key: made for key, made in dict(self.columns).items() if key not in touched}  # (see with_figures)
        return _Index(locations_revision, revision, cells, places, prices, columns)


def _cell_of(unit: EcecUnitRecord) -> tuple[int, int]:
    return (_cell(unit.latitude), _cell(unit.longitude))


def _cell(degrees: float) -> int:
    return math.floor(degrees / CELL_DEGREES)


def _prices(session: Session, ids: Collection[int] | None = None) -> dict[int, list[tuple[date, Decimal]]]:
    """The price history, oldest first, of the units ``ids`` or of every unit (the price of a day is picked per
    request)."""
    query = select(UnitPrice.location_id, UnitPrice.valid_from, UnitPrice.monthly_price).order_by(UnitPrice.valid_from)
    listed = None if ids is None else list(ids)
    chunks = [None] if listed is None else [listed[i : i + 900] for i in range(0, len(listed), 900)]
    prices: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    for chunk in chunks:
        for row in session.execute(query if chunk is None else query.where(UnitPrice.location_id.in_(chunk))):
            prices[row.location_id].append((row.valid_from, Decimal(row.monthly_price)))
    return dict(prices)


def _merged_prices(session: Session, cached: _Index, changed: set[int]) -> dict[int, list[tuple[date, Decimal]]]:
    """The cached price histories, with those of the units ``changed`` read again."""
    prices = {unit: history for unit, history in cached.prices.items() if unit not in changed}
    prices.update(_prices(session, changed))
    return prices


class CatalogueCache:
    """Holds one index per database; thread-safe rebuilds and refreshes. ``rebuilds``, ``partial_rebuilds``,
    ``refreshes`` and ``partial_refreshes`` count them (the tests check what a change costs)."""

    def __init__(self) -> None:
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()
        self.rebuilds = 0
        self.refreshes = 0  # of every unit's figures
        self.partial_refreshes = 0  # of the changed units' figures only
        self.partial_rebuilds = 0  # of the changed units only, when locations changed

    def index(
        self,
        session: Session,
        load_all: Callable[[], list[EcecUnitRecord]],
        load_figures: Callable[[Collection[int] | None], Figures],
        load_units: Callable[[Collection[int]], list[EcecUnitRecord]],
    ) -> _Index:
        """The index as of the database's current revisions: the cached one, or one caught up with the change
        log (only the changed units read again), or a new one. ``load_all()`` reads every unit,
        ``load_figures(ids)`` the availability of the units ``ids`` (None: of every unit), ``load_units(ids)``
        the units ``ids`` (those that are no longer ECEC units are left out)."""
        key = str(session.get_bind().url)
        locations_revision, revision = current_revisions(session)
        cached = self._indexes.get(key)
        if cached is not None and (cached.locations_revision, cached.revision) == (locations_revision, revision):
            return cached
        with self._lock:
            cached = self._indexes.get(key)
            if cached is None:
                cached = self._build(session, locations_revision, revision, load_all)
            elif (cached.locations_revision, cached.revision) != (locations_revision, revision):
                cached = self._catch_up(
                    session, cached, locations_revision, revision, load_all, load_figures, load_units
                )
            self._indexes[key] = cached
        return cached

    def _catch_up(
        self,
        session: Session,
        cached: _Index,
        locations_revision: int,
        revision: int,
        load_all: Callable[[], list[EcecUnitRecord]],
        load_figures: Callable[[Collection[int] | None], Figures],
        load_units: Callable[[Collection[int]], list[EcecUnitRecord]],
    ) -> _Index:
        """Read again only the units in the change log since the cached revision: their figures, or the whole
        units when locations changed. When the log may have been pruned that far, or most units changed, every
        unit's figures are read again, or the index is rebuilt when locations changed."""
        changed = set(session.scalars(select(CHANGES.c.location_id).where(CHANGES.c.revision > cached.revision)))
        # Pruning at revision R deletes entries up to R - KEEP_CHANGES: read after the log, so it is the later R.
        partial = (
            current_revision(session) - KEEP_CHANGES <= cached.revision and len(changed) <= len(cached.places) // 4
        )
        if cached.locations_revision != locations_revision:
            if not partial:
                return self._build(session, locations_revision, revision, load_all)
            self.partial_rebuilds += 1
            records = {unit.id: unit for unit in load_units(changed)}
            return cached.with_units(
                locations_revision, revision, records, changed, _merged_prices(session, cached, changed)
            )
        if not partial:
            self.refreshes += 1
            return cached.with_figures(revision, load_figures(None), _prices(session))
        self.partial_refreshes += 1
        return cached.with_figures(revision, load_figures(changed), _merged_prices(session, cached, changed), changed)

    def _build(
        self, session: Session, locations_revision: int, revision: int, load_all: Callable[[], list[EcecUnitRecord]]
    ) -> _Index:
        cells: dict[tuple[int, int], list[EcecUnitRecord]] = defaultdict(list)
        places: dict[int, tuple[tuple[int, int], int]] = {}
        for unit in load_all():
            key = _cell_of(unit)
            places[unit.id] = (key, len(cells[key]))
            cells[key].append(unit)
        index = _Index(locations_revision, revision, dict(cells), places, _prices(session))
        self.rebuilds += 1
        # The index lives until locations change: keep the cyclic GC from re-scanning its
        # objects on every collection (this is what made the slowest requests slow).
        gc.collect()
        gc.freeze()
        return index


CACHE = CatalogueCache()
