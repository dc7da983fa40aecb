"""An in-memory spatial index of the ECEC catalogue, reloaded when the catalogue's revision changes.

Results pages read hundreds of units per request, while the catalogue changes a few
times a day (availability reports). Every ORM write to a catalogue table bumps
`catalogue_state.revision` in the same transaction, so a cached index is never stale
after a commit: the next request sees the new revision and reloads.
"""

from __future__ import annotations

import gc
import math
import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from configurator.catalogue import EcecUnitRecord
from configurator.geo import bounding_box, distance_km

from .models import Availability, CatalogueState, EcecUnit, MunicipalEcecPricing, ServiceLocation, UnitPrice

CATALOGUE_TABLES = {
    m.__table__.name for m in (ServiceLocation, EcecUnit, Availability, UnitPrice, MunicipalEcecPricing)
}
CELL_DEGREES = 0.05  # about 5.5 km north-south


def bump_revision(session: Session) -> None:
    """Mark the catalogue changed (Core statements, so no ORM event fires again)."""
    connection = session.connection()
    changed = connection.execute(
        update(CatalogueState.__table__)
        .where(CatalogueState.__table__.c.id == 1)
        .values(revision=CatalogueState.__table__.c.revision + 1)
    ).rowcount
    if not changed:
        connection.execute(insert(CatalogueState.__table__).values(id=1, revision=1))


def current_revision(session: Session) -> int:
    return session.scalar(select(CatalogueState.revision).where(CatalogueState.id == 1)) or 0


def _touches_catalogue(objects: object) -> bool:
    return any(getattr(getattr(o, "__table__", None), "name", None) in CATALOGUE_TABLES for o in objects)


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, flush_context: object, instances: object) -> None:
    if _touches_catalogue(list(session.new) + list(session.dirty) + list(session.deleted)):
        bump_revision(session)


@event.listens_for(Session, "do_orm_execute")
def _on_bulk(state: object) -> None:
    """Bulk ORM inserts, updates and deletes (the demo loaders use them) bypass flush events."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    tables = {getattr(m.entity, "__tablename__", None) for m in state.all_mappers}
    if tables & CATALOGUE_TABLES:
        bump_revision(state.session)


@dataclass
class _Index:
    revision: int
    cells: dict[tuple[int, int], list[EcecUnitRecord]]
    prices: dict[int, list[tuple[date, Decimal]]]

    def within(self, lat: float, lon: float, radius_km: float, on: date) -> list[EcecUnitRecord]:
        south, west, north, east = bounding_box(lat, lon, radius_km)
        found = []
        for x in range(_cell(south), _cell(north) + 1):
            for y in range(_cell(west), _cell(east) + 1):
                for unit in self.cells.get((x, y), ()):
                    if distance_km(lat, lon, unit.latitude, unit.longitude) <= radius_km:
                        found.append(self._priced(unit, on))
        return found

    def _priced(self, unit: EcecUnitRecord, on: date) -> EcecUnitRecord:
        history = self.prices.get(unit.id)
        if not history:
            return unit
        valid = [price for start, price in history if start <= on]
        price = valid[-1] if valid else None
        return unit if price == unit.monthly_price else replace(unit, monthly_price=price)


def _cell(degrees: float) -> int:
    return math.floor(degrees / CELL_DEGREES)


class CatalogueCache:
    """Holds one index per database; thread-safe reloads."""

    def __init__(self) -> None:
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()

    def index(self, session: Session, load_all: callable) -> _Index:
        key = str(session.get_bind().url)
        revision = current_revision(session)
        cached = self._indexes.get(key)
        if cached is not None and cached.revision == revision:
            return cached
        with self._lock:
            cached = self._indexes.get(key)
            if cached is None or cached.revision != revision:
                cached = self._build(session, revision, load_all)
                self._indexes[key] = cached
        return cached

    @staticmethod
    def _build(session: Session, revision: int, load_all: callable) -> _Index:
        cells: dict[tuple[int, int], list[EcecUnitRecord]] = defaultdict(list)
        for unit in load_all():
            cells[(_cell(unit.latitude), _cell(unit.longitude))].append(unit)
        prices: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
        for row in session.execute(
            select(UnitPrice.location_id, UnitPrice.valid_from, UnitPrice.monthly_price).order_by(UnitPrice.valid_from)
        ):
            prices[row.location_id].append((row.valid_from, Decimal(row.monthly_price)))
        index = _Index(revision, dict(cells), dict(prices))
        # The index lives until the next revision: keep the cyclic GC from re-scanning its
        # objects on every collection (this is what made the slowest requests slow).
        gc.collect()
        gc.freeze()
        return index


CACHE = CatalogueCache()
