"""The ECEC comparison: every unit within reach, with distance, room and this family's monthly cost."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Mapping

from ..answers import LocationAnswer
from ..catalogue import CARE_TYPES, LANGUAGES, PROVIDER_TYPES, Availability, EcecCatalogue, EcecUnitRecord, MunicipalPricing
from ..geo import distance_km
from ..i18n import N_
from ..predicates import age_in_years
from ..parameters import default_parameters
from ..rules import BreakdownStep, InvalidInput
from ..rules.ecec_fee import FeeResult, MissingMunicipalRules, MunicipalFeeRules, PartTimeStep, ecec_fee, part_time_coefficient
from ..rules.home_care import AllowanceResult, home_care_allowance
from ..rules.service_voucher import VoucherRules, voucher_copayment
from . import ComparisonKind, register

SORTS = ("distance", "cost", "availability", "name")
DEFAULT_REACH_KM = 10.0


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the comparison to; empty sets mean 'all'."""

    care_types: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    providers: frozenset[str] = frozenset()
    max_km: float | None = None
    only_with_room: bool = False
    sort: str = "distance"

    @classmethod
    def from_query(cls, query: Mapping[str, Iterable[str]]) -> "Filters":
        """Read filters from query parameters, ignoring values that are not options (never an error)."""

        def pick(name: str, allowed: Iterable[str]) -> frozenset[str]:
            return frozenset(v for v in query.get(name, ()) if v in allowed)

        sort = next(iter(query.get("sort", ())), "distance")
        max_km = None
        for text in query.get("max_km", ()):
            try:
                max_km = max(0.5, min(float(text.replace(",", ".")), 100.0))
            except ValueError:
                max_km = None
        return cls(
            care_types=pick("care_type", CARE_TYPES), languages=pick("language", LANGUAGES),
            providers=pick("provider", PROVIDER_TYPES), max_km=max_km,
            only_with_room="1" in query.get("room", ()) or "on" in query.get("room", ()),
            sort=sort if sort in SORTS else "distance",
        )


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


@dataclass(frozen=True)
class EcecComparison:
    rows: tuple[EcecRow, ...]
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

    @property
    def cost_range(self) -> tuple[Decimal, Decimal] | None:
        costs = [r.cost for r in self.rows if r.cost is not None]
        if not costs:
            return None
        return min(c.minimum for c in costs), max(c.maximum for c in costs)


def age_group_on(birth: date, on: date) -> str:
    return "under_3" if age_in_years(birth, on) < 3 else "3_and_over"


def municipal_fee_rules(pricing: MunicipalPricing | None) -> MunicipalFeeRules | None:
    if pricing is None:
        return None
    steps = tuple(PartTimeStep(max_hours=h, coefficient=c) for h, c in pricing.part_time_steps)
    return MunicipalFeeRules(municipality_code=pricing.municipality_code, part_time_steps=steps,
                             source=pricing.source, valid_from=pricing.valid_from)


def _voucher_rules(pricing: MunicipalPricing) -> VoucherRules:
    return VoucherRules(municipality_code=pricing.municipality_code, value_under_3=pricing.voucher_under_3,
                        value_3_and_over=pricing.voucher_3_and_over, max_surcharge=pricing.max_surcharge,
                        valid_from=pricing.valid_from, source=pricing.source)


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

    def __post_init__(self) -> None:
        a = self.answers
        rank = (a.get("younger_children_in_ecec") or 0) + 1
        try:
            rules = municipal_fee_rules(self.pricing)
            self.fee = ecec_fee(family_size=a["family_size"], income=a.get("income"),
                                hours_per_week=Decimal(a["hours_per_week"]), child_rank=rank,
                                municipal=rules, on=self.start)
            self.coefficient, _ = part_time_coefficient(Decimal(a["hours_per_week"]), rules, self.start,
                                                        default_parameters())
            f = self.fee
            self.client_fee = Cost("client_fee", f.monthly_fee, f.minimum, f.maximum, f.breakdown, f.estimate)
        except MissingMunicipalRules:
            self.problem = N_("The home municipality's part-time fee steps are not in the catalogue, so the fee cannot be computed.")
        except InvalidInput as exc:
            self.problem = exc.message

    def cost(self, unit: EcecUnitRecord) -> tuple[Cost | None, str | None]:
        if self.fee is None:
            return None, self.problem
        if unit.provider_type != "private_voucher":
            return self.client_fee, None
        if unit.monthly_price is None or self.pricing is None:
            return None, N_("The provider has not published a price.")
        if unit.monthly_price not in self._copayments:
            result = voucher_copayment(provider_price=unit.monthly_price,
                                       child_age_years=age_in_years(self.answers["child_birth_date"], self.start),
                                       voucher=_voucher_rules(self.pricing), fee=self.fee, coefficient=self.coefficient)
            self._copayments[unit.monthly_price] = Cost("voucher_copayment", result.monthly, result.minimum,
                                                        result.maximum, result.breakdown, result.estimate)
        return self._copayments[unit.monthly_price], None


def _matches(row: EcecRow, filters: Filters) -> bool:
    unit = row.unit
    if filters.care_types and unit.care_type not in filters.care_types:
        return False
    if filters.providers and unit.provider_type not in filters.providers:
        return False
    if filters.languages and not filters.languages.intersection(unit.languages):
        return False
    if filters.only_with_room and not row.has_room:
        return False
    if filters.max_km is not None:
        nearest = min(d for d in (row.distance_home_km, row.distance_work_km) if d is not None)
        return nearest <= filters.max_km
    return True


def _sort_key(sort: str):
    def by_distance(row: EcecRow) -> tuple:
        return (min(d for d in (row.distance_home_km, row.distance_work_km) if d is not None), row.unit.name)

    keys = {
        "distance": by_distance,
        "cost": lambda r: (r.cost is None, r.cost.sort_key if r.cost else 0, by_distance(r)),
        "availability": lambda r: (not r.has_room, r.availability.queue_weeks if r.availability else 999, by_distance(r)),
        "name": lambda r: (r.unit.name.casefold(),),
    }
    return keys[sort]


def _units_in_reach(catalogue: EcecCatalogue, home: LocationAnswer, work: LocationAnswer | None,
                    reach_km: float) -> dict[int, EcecUnitRecord]:
    units = {u.id: u for u in catalogue.units_within(home.place.latitude, home.place.longitude, reach_km)}
    if work is not None:
        units.update({u.id: u for u in catalogue.units_within(work.place.latitude, work.place.longitude, reach_km)})
    return units


def build_ecec_comparison(options: Mapping[str, Any], answers: Mapping[str, Any], today: date,
                          catalogue: EcecCatalogue, filters: Filters | None = None) -> EcecComparison:
    """Rows for every unit within reach of home or work that serves the child's age group at the start date."""
    filters = filters or Filters()
    reach = float(options.get("reach_km", DEFAULT_REACH_KM))
    home: LocationAnswer = answers["home"]
    work: LocationAnswer | None = answers.get("work")
    start: date = answers["start_date"]
    group = age_group_on(answers["child_birth_date"], start)
    pricing = catalogue.municipal_pricing(home.place.municipality_code, start)
    costs = _CostModel(answers, start, pricing)
    rows = []
    for unit in _units_in_reach(catalogue, home, work, reach).values():
        if not unit.serves(group):
            continue
        d_home = distance_km(home.place.latitude, home.place.longitude, unit.latitude, unit.longitude)
        d_work = distance_km(work.place.latitude, work.place.longitude, unit.latitude, unit.longitude) if work else None
        if min(d for d in (d_home, d_work) if d is not None) > reach:
            continue
        if answers.get("shift_care") and not unit.shift_care:
            continue
        availability = unit.availability.get(group)
        cost, problem = costs.cost(unit)
        rows.append(EcecRow(unit, round(d_home, 1), None if d_work is None else round(d_work, 1), availability,
                            bool(availability and availability.free_places > 0), cost, problem))
    shown = sorted((r for r in rows if _matches(r, filters)), key=_sort_key(filters.sort))
    home_care = home_care_allowance(child_birth_date=answers["child_birth_date"], on=start,
                                    family_size=answers["family_size"], income=answers.get("income"))
    problems = tuple(p for p in (costs.problem,) if p)
    return EcecComparison(tuple(shown), len(rows), sum(r.has_room for r in rows), group, start, reach, filters,
                          costs.fee, home_care if home_care.eligible else None, pricing, problems)


register(ComparisonKind(
    name="ecec_units",
    build=lambda options, answers, today, sources, filters: build_ecec_comparison(
        options, answers, today, sources.ecec, filters),
    filters_from_query=Filters.from_query,
))
