"""The ECEC comparison: every unit within reach, with distance, room and this family's monthly cost."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import Any, overload

import numpy as np

from ..answers import LocationAnswer, parse_number
from ..catalogue import (
    AGE_GROUPS,
    CARE_TYPES,
    LANGUAGES,
    PROVIDER_TYPES,
    Availability,
    EcecCatalogue,
    EcecUnitRecord,
    MunicipalPricing,
)
from ..geo import Coverage, CoverageGap, Point, coverage_gap, distance_from
from ..i18n import N_
from ..parameters import default_parameters
from ..predicates import age_in_years
from ..rules import BreakdownStep, InvalidInput
from ..rules.ecec_fee import (
    FeeResult,
    MissingMunicipalRules,
    MunicipalFeeRules,
    PartTimeStep,
    ecec_fee,
    part_time_coefficient,
)
from ..rules.home_care import AllowanceResult, home_care_allowance
from ..rules.service_voucher import VoucherRules, voucher_copayment
from . import ComparisonKind, ExperienceLookup, Experiences, ecec_columns, register
from .ecec_columns import Bools, Ints
from .ratings import best_rated_first, min_rating_from_query, rated_at_least

SORTS = ("distance", "cost", "availability", "rating", "name")
DEFAULT_REACH_KM = 10.0


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the comparison to; empty sets mean 'all'.

    ``languages`` and ``shift_care`` are None until the person changes them in the filter form: until then
    the answers decide (care_language, shift_care), so the list starts from what the family told us.
    ``max_km`` None means the comparison's reach. ``show_all`` lists the units that do not suit the child too.
    """

    care_types: frozenset[str] = frozenset()
    languages: frozenset[str] | None = None
    providers: frozenset[str] = frozenset()
    max_km: float | None = None
    only_with_room: bool = False
    sort: str = "distance"
    shift_care: bool | None = None
    show_all: bool = False
    min_rating: Decimal | None = None  # only units others rated at least this (on average, as shown)

    @classmethod
    def from_query(cls, query: Mapping[str, Iterable[str]]) -> Filters:
        """Read filters from query parameters, ignoring values that are not options (never an error).

        The filter form sends ``filtered=1``: then an unticked language or shift care box means the person
        unticked it, and the answers no longer decide them.
        """

        def pick(name: str, allowed: Iterable[str]) -> frozenset[str]:
            return frozenset(v for v in query.get(name, ()) if v in allowed)

        def ticked(name: str) -> bool:
            return bool({"1", "on"}.intersection(query.get(name, ())))

        form = "1" in query.get("filtered", ())
        sort = next(iter(query.get("sort", ())), "distance")
        max_km = None
        for text in query.get("max_km", ()):
            try:  # ASCII digits, up to two decimals, as parse_number reads them (float() takes '٣', 'nan', '1e9')
                max_km = max(0.5, min(float(parse_number(text, decimals=2)), 100.0))
            except ValueError:
                max_km = None
        return cls(
            care_types=pick("care_type", CARE_TYPES),
            languages=pick("language", LANGUAGES) if form or "language" in query else None,
            providers=pick("provider", PROVIDER_TYPES),
            max_km=max_km,
            only_with_room=ticked("room"),
            sort=sort if sort in SORTS else "distance",
            shift_care=ticked("shift") if form or "shift" in query else None,
            show_all="all" in query.get("show", ()),
            min_rating=min_rating_from_query(query),
        )


# Why a unit does not suit the child (EcecRow.mismatches); the reserve link and the API carry these codes.
MISMATCH_LANGUAGE = "language"
MISMATCH_NO_SHIFT_CARE = "no_shift_care"
MISMATCH_SHIFT_CARE_ONLY = "shift_care_only"
MISMATCH_AGE_GROUP = "age_group"
MISMATCHES = (MISMATCH_LANGUAGE, MISMATCH_NO_SHIFT_CARE, MISMATCH_SHIFT_CARE_ONLY, MISMATCH_AGE_GROUP)
_ONLY_LANGUAGE = {"fi": N_("Care in Finnish only"), "sv": N_("Care in Swedish only"), "en": N_("Care in English only")}
_ONLY_AGE_GROUP = {"under_3": N_("Only for children under 3"), "3_and_over": N_("Only for children aged 3 or over")}
_MISMATCH_TEXTS = {
    MISMATCH_LANGUAGE: N_("Care is not in the language you chose"),
    MISMATCH_NO_SHIFT_CARE: N_("No shift care"),
    MISMATCH_SHIFT_CARE_ONLY: N_("Only for children who need shift care"),
}


def mismatch_text(code: str, unit_languages: Iterable[str], child_age_group: str) -> str | None:
    """The msgid that says why a unit does not suit the child; None for a code that is not one (from a URL)."""
    languages = tuple(unit_languages)
    if code == MISMATCH_LANGUAGE and len(languages) == 1 and languages[0] in _ONLY_LANGUAGE:
        return _ONLY_LANGUAGE[languages[0]]
    if code == MISMATCH_AGE_GROUP and child_age_group in AGE_GROUPS:
        return _ONLY_AGE_GROUP["3_and_over" if child_age_group == "under_3" else "under_3"]
    return _MISMATCH_TEXTS.get(code)


@dataclass(frozen=True)
class Needs:
    """What a unit must offer to suit the child: the answers, or the filters the person changed them with."""

    languages: frozenset[str]  # empty: any language
    shift_care: bool
    age_group: str

    @classmethod
    def of(cls, answers: Mapping[str, Any], filters: Filters, age_group: str) -> Needs:
        answered = answers.get("care_language")
        languages = (
            filters.languages
            if filters.languages is not None
            else (frozenset({answered}) if answered in LANGUAGES else frozenset())
        )
        shift_care = filters.shift_care if filters.shift_care is not None else answers.get("shift_care") is True
        return cls(languages, shift_care, age_group)

    def mismatches(self, unit: EcecUnitRecord) -> tuple[str, ...]:
        """Each reason this unit does not suit the child, in the order the page lists them."""
        found = []
        if self.languages and not self.languages.intersection(unit.languages):
            found.append(MISMATCH_LANGUAGE)
        if self.shift_care and not unit.shift_care:
            found.append(MISMATCH_NO_SHIFT_CARE)
        if not self.shift_care and unit.shift_care_only:
            found.append(MISMATCH_SHIFT_CARE_ONLY)
        if not unit.serves(self.age_group):
            found.append(MISMATCH_AGE_GROUP)
        return tuple(found)


@dataclass(frozen=True)
class Cost:
    """A monthly cost for this family: exact when income is known, otherwise a range."""

    kind: str  # "client_fee" or "voucher_copayment"
    monthly: Decimal | None
    minimum: Decimal
    maximum: Decimal
    breakdown: tuple[BreakdownStep, ...]
    estimate: bool

    @property
    def sort_key(self) -> Decimal:
        return self.monthly if self.monthly is not None else self.maximum


@dataclass(frozen=True)
class EcecRow:
    unit: EcecUnitRecord
    distance_home_km: float
    distance_work_km: float | None
    availability: Availability | None
    has_room: bool
    cost: Cost | None
    cost_problem: str | None = None  # a msgid when the cost cannot be computed
    mismatches: tuple[str, ...] = ()  # why the unit does not suit the child (MISMATCHES); empty: it does
    experiences: Experiences | None = None  # others' ratings and published comments; None: nothing to show

    @property
    def average_rating(self) -> Decimal | None:
        return self.experiences.average_rating if self.experiences is not None else None

    @property
    def matches(self) -> bool:
        return not self.mismatches

    @property
    def nearest_km(self) -> float:
        home, work = self.distance_home_km, self.distance_work_km
        return home if work is None or home <= work else work


@dataclass(frozen=True)
class EcecComparison:
    """The units within reach: ``rows`` suit the child and pass the filters, ``others`` pass the filters only.

    ``in_reach`` and ``with_room`` count the units that suit the child (before the narrowing filters),
    ``not_matching`` the units that do not; ``candidates`` is every unit in reach, for the side-by-side view.
    """

    rows: Sequence[EcecRow]
    in_reach: int
    with_room: int
    age_group: str
    start: date
    reach_km: float
    filters: Filters
    municipal_fee: FeeResult | None
    home_care: AllowanceResult | None
    pricing: MunicipalPricing | None
    problems: tuple[str, ...] = field(default_factory=tuple)
    others: Sequence[EcecRow] = ()
    not_matching: int = 0
    needs: Needs | None = None
    candidates: Sequence[EcecRow] = ()
    gap: CoverageGap | None = None  # no units listed: home outside the catalogue's area, or without a point

    @property
    def cost_range(self) -> tuple[Decimal, Decimal] | None:
        costs = [r.cost for r in self.rows if r.cost is not None]
        if not costs:
            return None
        return min(c.minimum for c in costs), max(c.maximum for c in costs)

    @property
    def listed(self) -> Sequence[EcecRow]:
        """What the list shows: the units that suit the child, then (when asked for) the others."""
        if not self.filters.show_all:
            return self.rows
        if isinstance(self.rows, Rows) and isinstance(self.others, Rows):
            return self.rows.then(self.others)
        return tuple(self.rows) + tuple(self.others)

    def picked(self, ids: Iterable[int], most: int = 3) -> tuple[EcecRow, ...]:
        """The units chosen for the side-by-side view, in the order chosen, at most ``most`` of them."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return ()
        if isinstance(self.candidates, Rows):
            return self.candidates.of_units(wanted, most)
        by_id = {row.unit.id: row for row in self.candidates}
        chosen = [i for i in wanted if i in by_id]
        return tuple(by_id[i] for i in chosen[:most])


def age_group_on(birth: date, on: date) -> str:
    return "under_3" if age_in_years(birth, on) < 3 else "3_and_over"


def municipal_fee_rules(pricing: MunicipalPricing | None) -> MunicipalFeeRules | None:
    if pricing is None:
        return None
    steps = tuple(PartTimeStep(max_hours=h, coefficient=c) for h, c in pricing.part_time_steps)
    return MunicipalFeeRules(
        municipality_code=pricing.municipality_code,
        part_time_steps=steps,
        source=pricing.source,
        valid_from=pricing.valid_from,
    )


def _voucher_rules(pricing: MunicipalPricing) -> VoucherRules:
    return VoucherRules(
        municipality_code=pricing.municipality_code,
        value_under_3=pricing.voucher_under_3,
        value_3_and_over=pricing.voucher_3_and_over,
        max_surcharge=pricing.max_surcharge,
        valid_from=pricing.valid_from,
        source=pricing.source,
    )


@dataclass
class _CostModel:
    """Computes each unit's cost; the client fee is the same for every municipal unit, so it is computed once."""

    answers: Mapping[str, Any]
    start: date
    pricing: MunicipalPricing | None
    fee: FeeResult | None = None
    coefficient: Decimal | None = None
    problem: str | None = None
    client_fee: Cost | None = None  # the same for every municipal and purchased unit
    _copayments: dict[Decimal, Cost] = field(default_factory=dict)  # private units share prices
    _child_age: int | None = None  # in years on the start date, for every price's co-payment (computed once)

    def __post_init__(self) -> None:
        a = self.answers
        rank = (a.get("younger_children_in_ecec") or 0) + 1
        try:
            rules = municipal_fee_rules(self.pricing)
            self.fee = ecec_fee(
                family_size=a["family_size"],
                income=a.get("income"),
                hours_per_week=Decimal(a["hours_per_week"]),
                child_rank=rank,
                municipal=rules,
                on=self.start,
            )
            self.coefficient, _ = part_time_coefficient(
                Decimal(a["hours_per_week"]), rules, self.start, default_parameters()
            )
            f = self.fee
            self.client_fee = Cost("client_fee", f.monthly_fee, f.minimum, f.maximum, f.breakdown, f.estimate)
        except MissingMunicipalRules:
            self.problem = N_(
                "The home municipality's part-time fee steps are not in the catalogue, so the fee cannot be computed."
            )
        except InvalidInput as exc:
            self.problem = exc.message

    def _age(self) -> int:
        if self._child_age is None:
            self._child_age = age_in_years(self.answers["child_birth_date"], self.start)
        return self._child_age

    def cost(self, unit: EcecUnitRecord) -> tuple[Cost | None, str | None]:
        if self.fee is None:
            return None, self.problem
        if unit.provider_type != "private_voucher":
            return self.client_fee, None
        if unit.monthly_price is None or self.pricing is None:
            return None, N_("The provider has not published a price.")
        if unit.monthly_price not in self._copayments:
            assert self.coefficient is not None  # set with the fee, which a problem would have stopped above
            result = voucher_copayment(
                provider_price=unit.monthly_price,
                child_age_years=self._age(),
                voucher=_voucher_rules(self.pricing),
                fee=self.fee,
                coefficient=self.coefficient,
            )
            self._copayments[unit.monthly_price] = Cost(
                "voucher_copayment", result.monthly, result.minimum, result.maximum, result.breakdown, result.estimate
            )
        return self._copayments[unit.monthly_price], None


def _narrows(filters: Filters) -> bool:
    """Whether any narrowing filter is set (otherwise every row passes and none needs checking)."""
    return bool(
        filters.care_types
        or filters.providers
        or filters.only_with_room
        or filters.min_rating is not None
        or filters.max_km is not None
    )


def _passes(row: EcecRow, filters: Filters) -> bool:
    """The narrowing filters (type, provider, room, distance); whether a unit suits the child is Needs'."""
    unit = row.unit
    if filters.care_types and unit.care_type not in filters.care_types:
        return False
    if filters.providers and unit.provider_type not in filters.providers:
        return False
    if filters.only_with_room and not row.has_room:
        return False
    if not rated_at_least(row.experiences, filters.min_rating):
        return False  # a unit without enough ratings is not known to be rated that well
    return filters.max_km is None or row.nearest_km <= filters.max_km


def _sort_key(sort: str) -> Callable[[EcecRow], tuple[Any, ...]]:
    def by_distance(row: EcecRow) -> tuple[Any, ...]:
        return (row.nearest_km, row.unit.name)

    keys = {
        "distance": by_distance,
        "cost": lambda r: (r.cost is None, r.cost.sort_key if r.cost else 0, by_distance(r)),
        "availability": lambda r: (
            not r.has_room,
            r.availability.queue_weeks if r.availability else 999,
            by_distance(r),
        ),
        "rating": lambda r: (*best_rated_first(r.experiences), by_distance(r)),  # unrated last, nearest first
        "name": lambda r: (r.unit.name.casefold(),),
    }
    return keys[sort]


def _units_in_reach(
    catalogue: EcecCatalogue, home: Point, work: Point | None, reach_km: float
) -> dict[int, EcecUnitRecord]:
    units = {u.id: u for u in catalogue.units_within(home.latitude, home.longitude, reach_km)}
    if work is not None:
        units.update({u.id: u for u in catalogue.units_within(work.latitude, work.longitude, reach_km)})
    return units


def _distance_from(point: Point) -> Callable[[float, float], float]:
    """distance_km from a fixed point (configurator.geo.distance_from): the same kilometres to the last bit."""
    return distance_from(point.latitude, point.longitude)


WORK_WITHOUT_POINT = N_("Choose your workplace on the map to see day care near it too.")


def _near(
    catalogue: EcecCatalogue, home: Point | None, work: Point | None, reach_km: float
) -> list[tuple[EcecUnitRecord, float, float | None]] | ecec_columns.Near:
    """Each unit within ``reach_km`` of home or work, with its distances to both (unrounded): home's units first,
    then those only near work. A catalogue with ``units_near_columns`` (the portal's index) gives them as columns
    (ecec_columns.Near), each distance computed once; any other is asked units_within() of both points."""
    if home is None:
        return []  # no units without the home's point (see coverage_gap)
    units_near_columns = getattr(catalogue, "units_near_columns", None)
    if units_near_columns is not None:
        near: ecec_columns.Near = units_near_columns(
            (home.latitude, home.longitude), (work.latitude, work.longitude) if work is not None else None, reach_km
        )
        return near
    from_home = _distance_from(home)
    from_work = _distance_from(work) if work is not None else None
    found = []
    for unit in _units_in_reach(catalogue, home, work, reach_km).values():
        d_home = from_home(unit.latitude, unit.longitude)
        d_work = from_work(unit.latitude, unit.longitude) if from_work is not None else None
        if (d_home if d_work is None or d_home <= d_work else d_work) <= reach_km:
            found.append((unit, d_home, d_work))
    return found


# What every unit in reach needs before its row is built (to count, filter and sort): the unit, its distances from
# home and work (unrounded), the nearer of them rounded as the row shows it (EcecRow.nearest_km), its availability
# for the child's age group, whether it has room, why it does not suit the child, and its sort key by distance.
# A tuple, as thousands are made per request in a national catalogue.
Entry = tuple[
    EcecUnitRecord, float, "float | None", float, "Availability | None", bool, tuple[str, ...], tuple[float, str]
]


def _entries(near: list[tuple[EcecUnitRecord, float, float | None]], group: str, needs: Needs) -> list[Entry]:
    """An entry for each unit in reach. The nearer distance is rounded once: round() never changes which of two
    numbers is smaller, so the rounded nearer distance is the nearer of the rounded ones (what nearest_km gives).
    Why a unit does not suit the child is worked out once for each kind of unit (its languages, whether it takes
    the age group; shift care units each on their own, as their hours count)."""
    mismatches: dict[tuple[tuple[str, ...], bool], tuple[str, ...]] = {}
    entries: list[Entry] = []
    append = entries.append
    under_3 = group == "under_3"
    for unit, d_home, d_work in near:
        serves = unit.serves_under_3 if under_3 else unit.serves_3_and_over
        availability = unit.availability.get(group) if serves else None
        if unit.shift_care:
            why = needs.mismatches(unit)
        else:
            kind = (unit.languages, serves)
            found = mismatches.get(kind)
            why = mismatches[kind] = needs.mismatches(unit) if found is None else found
        nearest = round(d_home if d_work is None or d_home <= d_work else d_work, 1)
        append(
            (
                unit,
                d_home,
                d_work,
                nearest,
                availability,
                availability is not None and availability.free_places > 0,
                why,
                (nearest, unit.name),
            )
        )
    return entries


class _RowMaker:
    """Builds the rows of entries when they are read: the cost of each (one per price, _CostModel) and others'
    experiences, looked up for the rows being built in one query unless ``found`` already has all of them (the
    rating sort and filter need every unit's). Each unit's row is built once per comparison."""

    def __init__(self, costs: _CostModel, lookup: ExperienceLookup | None, found: Mapping[int, Experiences] | None):
        self.costs = costs
        self.lookup = lookup
        self.found = found
        self.made: dict[int, EcecRow] = {}

    def rows(self, entries: Iterable[Entry]) -> list[EcecRow]:
        wanted = [entry for entry in entries if entry[0].id not in self.made]
        if wanted:
            found = self.found
            if found is None:
                found = self.lookup([entry[0].id for entry in wanted]) if self.lookup is not None else {}
            cost = self.costs.cost
            for unit, d_home, d_work, _nearest, availability, room, why, _key in wanted:
                self.made[unit.id] = EcecRow(
                    unit,
                    round(d_home, 1),
                    None if d_work is None else round(d_work, 1),
                    availability,
                    room,
                    *cost(unit),
                    why,
                    found.get(unit.id),
                )
        return [self.made[entry[0].id] for entry in entries]


class _EntryList:
    """Entries in a list, ordered by ``key`` when read (a stable order: ties keep the catalogue's order); the first
    entries are picked without sorting the rest."""

    def __init__(self, entries: list[Entry], key: Callable[[Entry], Any] | None, ordered: bool = False) -> None:
        self._entries = entries
        self._key = key
        self._sorted = ordered or key is None

    def __len__(self) -> int:
        return len(self._entries)

    def first(self, stop: int) -> list[Entry]:
        """The first ``stop`` entries in order (heapq.nsmallest is sorted()[:stop], ties included)."""
        if not self._sorted:
            if stop * 8 < len(self._entries):
                return heapq.nsmallest(stop, self._entries, key=self._key)
            self._entries = sorted(self._entries, key=self._key)
            self._sorted = True
        return self._entries[:stop]

    def of_units(self, ids: list[int]) -> list[Entry]:
        by_id = {entry[0].id: entry for entry in self._entries}
        return [by_id[i] for i in ids if i in by_id]


class _ColumnEntries:
    """The entries of some units of a ``Near`` (``chosen``: their positions), made only when read: the first ones
    in order are picked from the columns (ecec_columns.first_positions on the leading terms of the order, exact
    small integers), then those few are made and ordered by the whole key, as _EntryList orders every entry."""

    def __init__(
        self,
        chosen: Ints,
        keys: Callable[[Ints], list[Ints]],
        key: Callable[[Entry], Any],
        make: Callable[[Iterable[int]], list[Entry]],
        ids: Ints,
    ) -> None:
        self._chosen = chosen
        self._keys = keys
        self._key = key
        self._make = make
        self._ids = ids
        self._first: list[Entry] = []  # the first entries in order, as many as were asked for (ties included)

    def __len__(self) -> int:
        return len(self._chosen)

    def first(self, stop: int) -> list[Entry]:
        stop = min(stop, len(self._chosen))
        if len(self._first) < stop:
            positions = self._chosen[ecec_columns.first_positions(self._keys(self._chosen), stop)]
            self._first = sorted(self._make(positions.tolist()), key=self._key)
        return self._first[:stop]

    def of_units(self, ids: list[int]) -> list[Entry]:
        ids_here = self._ids[self._chosen]
        wanted = [i for i in ids if isinstance(i, int)]
        hits = np.flatnonzero(np.isin(ids_here, wanted)).tolist() if wanted else []
        at = {int(ids_here[i]): int(self._chosen[i]) for i in hits}
        return self._make([at[i] for i in wanted if i in at])


class _Chain:
    """One list of entries, then another's (the units that suit the child, then the others)."""

    def __init__(self, head: _Source, tail: _Source) -> None:
        self._head = head
        self._tail = tail

    def __len__(self) -> int:
        return len(self._head) + len(self._tail)

    def first(self, stop: int) -> list[Entry]:
        head = self._head.first(stop)
        return head + self._tail.first(stop - len(self._head)) if stop > len(self._head) else head

    def of_units(self, ids: list[int]) -> list[Entry]:
        found = {entry[0].id: entry for entry in self._tail.of_units(ids)}
        found.update({entry[0].id: entry for entry in self._head.of_units(ids)})
        return [found[i] for i in ids if i in found]


_Source = _EntryList | _ColumnEntries | _Chain


class Rows(Sequence[EcecRow]):
    """A sorted list of rows that builds only the rows read: a page of a comparison shows 20 of thousands of units
    in reach, while its counts need only their number. Its entries come in order from ``source`` (_EntryList
    sorts entries, _ColumnEntries picks the first ones from columns); ``key`` orders them as _sort_key orders their
    rows. Reading every row (the API, iterating) builds them all, in order, as a tuple of them would be."""

    __slots__ = ("_maker", "_source")

    def __init__(self, source: _Source, maker: _RowMaker) -> None:
        self._source = source
        self._maker = maker

    def __len__(self) -> int:
        return len(self._source)

    @overload
    def __getitem__(self, index: int) -> EcecRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[EcecRow, ...]: ...

    def __getitem__(self, index: int | slice) -> EcecRow | tuple[EcecRow, ...]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self._source))
            if step != 1:
                return tuple(self)[index]
            return tuple(self._maker.rows(self._source.first(stop)[start:stop])) if start < stop else ()
        position = index + len(self._source) if index < 0 else index
        if not 0 <= position < len(self._source):
            raise IndexError("row index out of range")
        return self._maker.rows(self._source.first(position + 1)[position : position + 1])[0]

    def __iter__(self) -> Iterator[EcecRow]:
        return iter(self._maker.rows(self._source.first(len(self._source))))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows | tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({len(self._source)} rows)"

    def then(self, other: Rows) -> Rows:
        """These rows, then ``other``'s (the list with the units that do not suit the child after the others)."""
        return Rows(_Chain(self._source, other._source), self._maker)

    def of_units(self, ids: Iterable[int], most: int) -> tuple[EcecRow, ...]:
        """The rows of the units ``ids`` that are in this list, in the order given, at most ``most`` of them."""
        chosen = self._source.of_units(list(dict.fromkeys(ids)))[:most]
        return tuple(self._maker.rows(chosen))


def _entry_key(sort: str, costs: _CostModel, found: Mapping[int, Experiences] | None) -> Callable[[Entry], Any]:
    """The sort key of an entry: what _sort_key gives for its row (the same tuple, so the same order)."""

    def by_cost(e: Entry) -> tuple[Any, ...]:
        cost = costs.cost(e[0])[0]
        return (cost is None, cost.sort_key if cost else 0, e[7])

    def by_rating(e: Entry) -> tuple[Any, ...]:
        return (*best_rated_first((found or {}).get(e[0].id)), e[7])

    keys: dict[str, Callable[[Entry], Any]] = {
        "distance": itemgetter(7),  # (nearest_km, name), made with the entry
        "cost": by_cost,
        "availability": lambda e: (not e[5], e[4].queue_weeks if e[4] else 999, e[7]),
        "rating": by_rating,
        "name": lambda e: (e[0].name.casefold(),),
    }
    return keys[sort]


def _entry_passes(entry: Entry, filters: Filters, found: Mapping[int, Experiences] | None) -> bool:
    """_passes for an entry: the narrowing filters (type, provider, room, rating, distance)."""
    unit = entry[0]
    if filters.care_types and unit.care_type not in filters.care_types:
        return False
    if filters.providers and unit.provider_type not in filters.providers:
        return False
    if filters.only_with_room and not entry[5]:
        return False
    if filters.min_rating is not None and not rated_at_least((found or {}).get(unit.id), filters.min_rating):
        return False  # a unit without enough ratings is not known to be rated that well
    return filters.max_km is None or entry[3] <= filters.max_km


def _entry_lists(
    entries: list[Entry], filters: Filters, costs: _CostModel, found: Mapping[int, Experiences] | None
) -> tuple[_Source, _Source, _Source, int, int]:
    """The lists of a comparison from an entry for every unit in reach: the units that suit the child and pass the
    filters, the others that pass them, every unit (the side-by-side view), and the counts in reach and with room
    of those that suit the child."""
    key = _entry_key(filters.sort, costs, found)
    suits = [e for e in entries if not e[6]]
    with_room = sum(1 for e in suits if e[5])
    narrowed = _narrows(filters)
    shown = [e for e in suits if _entry_passes(e, filters, found)] if narrowed else suits
    others = [e for e in entries if e[6] and (not narrowed or _entry_passes(e, filters, found))]
    return _EntryList(shown, key), _EntryList(others, key), _EntryList(entries, key), len(suits), with_room


COLUMN_SORTS = ("distance", "cost", "availability")  # the orders _column_lists picks from columns


def _column_lists(
    near: ecec_columns.Near, group: str, needs: Needs, filters: Filters, costs: _CostModel
) -> tuple[_Source, _Source, _Source, int, int]:
    """_entry_lists from columns (no rating filter, sorted by distance, cost or free places): the same counts and
    the same rows in the same order, but an entry is made only for the rows read. Whether a unit suits the child
    is asked once per kind of unit (Needs.mismatches of its example, ecec_columns.kind_of); the filters and the
    leading terms of the order are columns (_column_keys)."""
    ints = near.ints
    kinds = ints[:, ecec_columns.KIND]
    present = np.bincount(kinds)  # kinds are small integers
    suits_kind = np.zeros(len(present), dtype=np.bool_)
    serves_kind = np.zeros(len(present), dtype=np.bool_)
    for kind in np.flatnonzero(present).tolist():
        example = ecec_columns.KINDS.examples[kind]
        suits_kind[kind] = not needs.mismatches(example)
        serves_kind[kind] = example.serves(group)
    suits = suits_kind[kinds]
    under_3 = group == "under_3"
    free = ints[:, ecec_columns.FREE_UNDER_3 if under_3 else ecec_columns.FREE_3_AND_OVER]
    has = serves_kind[kinds] & (free != ecec_columns.NO_AVAILABILITY)  # the entry's availability is not None
    room = has & (free > 0)
    passes = np.ones(len(kinds), dtype=np.bool_)
    if filters.care_types:
        passes &= np.isin(ints[:, ecec_columns.CARE], [ecec_columns.WORDS.find(c) for c in filters.care_types])
    if filters.providers:
        passes &= np.isin(ints[:, ecec_columns.PROVIDER], [ecec_columns.WORDS.find(p) for p in filters.providers])
    if filters.only_with_room:
        passes &= room
    if filters.max_km is not None:
        passes &= near.tenths / 10 <= filters.max_km  # the rounded nearer distance, as the entry's
    sort_keys = _ColumnKeys(filters.sort, near, costs, room, has, under_3)

    def make(positions: Iterable[int]) -> list[Entry]:
        return _entries([near.triple(i) for i in positions], group, needs)

    key = _entry_key(filters.sort, costs, None)
    ids = ints[:, ecec_columns.ID]

    def source(chosen: Ints) -> _ColumnEntries:
        return _ColumnEntries(chosen, sort_keys.of, key, make, ids)

    in_reach = int(suits.sum())
    shown = source(np.flatnonzero(suits & passes))
    others = source(np.flatnonzero(~suits & passes))
    return shown, others, source(np.arange(len(kinds))), in_reach, int((suits & room).sum())


class _ColumnKeys:
    """The leading terms of _entry_key's order as exact integers, the first term last (np.lexsort), for the units
    at some positions of a Near: the rounded nearer distance in tenths, led by the rank of the cost (its None-ness
    and sort key) or by room and queue weeks. Ties are left to the whole key, on the few entries made."""

    def __init__(self, sort: str, near: ecec_columns.Near, costs: _CostModel, room: Bools, has: Bools, under_3: bool):
        self.sort = sort
        self.near = near
        self.costs = costs
        self.room = room
        self.has = has
        self.under_3 = under_3
        self._costs: dict[int, tuple[bool, Any]] = {}  # a cost class's sort terms (see of_costs)

    def of(self, chosen: Ints) -> list[Ints]:
        tenths = self.near.tenths[chosen]
        if self.sort == "availability":
            queue = self.near.ints[
                chosen, ecec_columns.QUEUE_UNDER_3 if self.under_3 else ecec_columns.QUEUE_3_AND_OVER
            ]
            return [tenths, np.where(self.has[chosen], queue, 999), (~self.room[chosen]).astype(np.int64)]
        if self.sort == "cost":
            return [tenths, self.cost_ranks(chosen)]
        return [tenths]

    def cost_ranks(self, chosen: Ints) -> Ints:
        """Each chosen unit's place in the order of their costs. A unit's cost depends only on whether it takes a
        service voucher and on its price of the day (_CostModel.cost), so it is asked once for each of those
        (a cost class), of an example unit, and only for the classes among the chosen units."""
        near = self.near
        voucher = ecec_columns.WORDS.find("private_voucher")
        classes = np.where(near.ints[chosen, ecec_columns.PROVIDER] == voucher, near.price_codes()[chosen], -2)
        values, first_at, inverse = np.unique(classes, return_index=True, return_inverse=True)
        found = []
        for value, at in zip(values.tolist(), first_at.tolist(), strict=True):
            if value not in self._costs:
                cost = self.costs.cost(near.triple(int(chosen[at]))[0])[0]
                self._costs[value] = (cost is None, cost.sort_key if cost else 0)
            found.append(self._costs[value])
        rank = {cost_key: place for place, cost_key in enumerate(sorted(set(found)))}
        ranks: Ints = np.array([rank[cost_key] for cost_key in found], dtype=np.int64)[inverse]
        return ranks


def build_ecec_comparison(
    options: Mapping[str, Any],
    answers: Mapping[str, Any],
    today: date,
    catalogue: EcecCatalogue,
    filters: Filters | None = None,
    coverage: Coverage | None = None,
    experiences: ExperienceLookup | None = None,
) -> EcecComparison:
    """Rows for every unit within reach of home or work, split by whether it suits the child.

    What suits the child starts from the answers (care language, shift care, the age group on the start
    date); a unit that does not is kept with its reasons, so the page can show it on request.

    Units are listed by distance, so they need the home's point and a home municipality with units in the
    catalogue (``coverage``): otherwise ``gap`` says which is missing and no unit is listed, while the fee and
    the home care allowance, which depend on neither, are computed as anywhere in Finland. A workplace without
    a point only adds no units of its own.

    The counts and the order cover every unit in reach, but a row (its cost, others' experiences) is built only
    when it is read (``Rows``): a page shows 20 of what can be thousands of units. ``experiences`` looks up
    others' ratings of the rows read, or of every unit in reach at once when the rating sorts or filters them.
    """
    filters = filters or Filters()
    reach = float(options.get("reach_km", DEFAULT_REACH_KM))
    home: LocationAnswer = answers["home"]
    work: LocationAnswer | None = answers.get("work")
    start: date = answers["start_date"]
    group = age_group_on(answers["child_birth_date"], start)
    needs = Needs.of(answers, filters, group)
    pricing = catalogue.municipal_pricing(home.place.municipality_code, start)
    costs = _CostModel(answers, start, pricing)
    gap = coverage_gap(home.place, coverage, coverage.ecec if coverage is not None else None)
    home_point = None if gap is not None else home.place.point
    work_point = work.place.point if work is not None else None
    near = _near(catalogue, home_point, work_point, reach)
    by_rating = filters.sort == "rating" or filters.min_rating is not None
    if isinstance(near, ecec_columns.Near) and filters.sort in COLUMN_SORTS and not by_rating:
        maker = _RowMaker(costs, experiences, None)
        shown, others, candidates, in_reach, with_room = _column_lists(near, group, needs, filters, costs)
    else:
        entries = _entries(near.triples() if isinstance(near, ecec_columns.Near) else near, group, needs)
        found = None
        if by_rating:  # every unit's average before the list is cut
            found = experiences([e[0].id for e in entries]) if experiences is not None and entries else {}
        maker = _RowMaker(costs, experiences, found)
        shown, others, candidates, in_reach, with_room = _entry_lists(entries, filters, costs, found)
    home_care = home_care_allowance(
        child_birth_date=answers["child_birth_date"],
        on=start,
        family_size=answers["family_size"],
        income=answers.get("income"),
    )
    work_unplaced = home_point is not None and work is not None and work_point is None
    problems = tuple(p for p in (costs.problem, WORK_WITHOUT_POINT if work_unplaced else None) if p)
    return EcecComparison(
        Rows(shown, maker),
        in_reach,
        with_room,
        group,
        start,
        reach,
        filters,
        costs.fee,
        home_care if home_care.eligible else None,
        pricing,
        problems,
        others=Rows(others, maker),
        not_matching=len(candidates) - in_reach,
        needs=needs,
        candidates=Rows(candidates, maker),
        gap=gap,
    )


register(
    ComparisonKind(
        name="ecec_units",
        build=lambda options, answers, today, sources, filters: build_ecec_comparison(
            options, answers, today, sources.ecec, filters, sources.coverage, sources.experiences
        ),
        filters_from_query=Filters.from_query,
    )
)
