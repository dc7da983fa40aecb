"""The domain's results as the API's response models, with every text in the current language.

Why apart from the views: the same conversions serve the views and the examples of the OpenAPI document,
which are made by calling the real calculators (``openapi.py``), so an example cannot drift from a response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g, url_for
from flask_babel import gettext

from configurator import clock
from configurator.catalogue import (
    AGE_GROUPS,
    CARE_TYPES,
    PROVIDER_TYPES,
    REPORTER_ROLES,
    EcecUnitRecord,
)
from configurator.checklist import ChecklistEntry, text_values
from configurator.comparisons import Experiences
from configurator.comparisons.company_forms import CompanyFormComparison
from configurator.comparisons.ecec import EcecComparison, EcecRow, mismatch_text
from configurator.comparisons.income import IncomeComparison
from configurator.comparisons.services import ServiceComparison, ServiceRow
from configurator.geo import CoverageGap
from configurator.lifeevents import CHANNELS, Condition, LifeEvent, Question, Step
from configurator.plan import Plan
from configurator.rules import BreakdownStep
from configurator.rules.business_start import BusinessStartCosts
from configurator.rules.ecec_fee import FeeResult
from configurator.rules.home_care import AllowanceResult
from configurator.rules.unemployment import AllowanceResult as UnemploymentAllowance
from configurator.rules.unemployment import AllowanceTimeline
from configurator.service_points import SERVICE_KINDS

from ..own.calendar_export import recurrence_rule, repeat_text
from . import models as m
from .problems import translate
from .types import Money, money, number


def lang() -> str:
    return g.get("lang_code", "fi")


def optional_text(msgid: str | None) -> str | None:
    return gettext(msgid) if msgid else None


def date_time(value: datetime | None) -> str | None:
    """ISO 8601 with the Helsinki offset (stored date-times are naive Helsinki wall time): without it a client
    in another zone would read 09:00 as its own 09:00."""
    return clock.iso(value) if value is not None else None


def plain(value: Any) -> Any:
    """A placeholder or rule value as JSON data: Decimal as a number, a date as YYYY-MM-DD, sets sorted,
    anything else as text."""
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def breakdown(steps: Iterable[BreakdownStep]) -> list[m.BreakdownStep]:
    """Each step as text for people and as msgid + values for programs, with the figure's provenance."""
    return [
        m.BreakdownStep(
            text=translate(s.label, s.values),
            label=s.label,
            values={k: plain(v) for k, v in s.values.items()},
            amount=money(s.amount),
            rule=gettext(s.rule),
            valid_from=s.valid_from,
            source=s.source,
            estimate=s.estimate,
        )
        for s in steps
    ]


def fee(result: FeeResult | None) -> m.Fee | None:
    if result is None:
        return None
    return m.Fee(
        monthly_fee=money(result.monthly_fee),
        minimum=Money.of(result.minimum),
        maximum=Money.of(result.maximum),
        estimate=result.estimate,
        breakdown=breakdown(result.breakdown),
    )


# --- life events -------------------------------------------------------------------------------------------------


def conditions(condition: Condition) -> list[str] | None:
    """A show-if condition as a list of predicate names (all must hold; 'not x' negates), or null."""
    if condition is None:
        return None
    return [condition] if isinstance(condition, str) else list(condition)


def question(q: Question, values: Mapping[str, Any]) -> m.Question:
    """``values`` are the event's figures that its hints name in {braces}."""
    return m.Question(
        id=q.id,
        type=q.type,
        required=q.required,
        label=gettext(q.label),
        hint=translate(q.hint, values) if q.hint else None,
        options=[m.QuestionOption(value=o.value, label=gettext(o.label)) for o in q.options],
        show_if=conditions(q.show_if),
        rules=plain(dict(q.rules)),
    )


def step(s: Step, values: Mapping[str, Any]) -> m.Step:
    return m.Step(
        id=s.id,
        title=gettext(s.title),
        intro=optional_text(s.intro),
        show_if=conditions(s.show_if),
        questions=[question(q, values) for q in s.questions],
    )


def event_fields(event: LifeEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": gettext(event.title),
        "summary": gettext(event.summary),
        "codes": dict(event.codes),
        "links": m.LifeEventLinks(
            self_=url_for("api.life_event", event_id=event.id), plan=url_for("api.plan", event_id=event.id)
        ),
    }


def life_event_list(events: Iterable[LifeEvent]) -> m.LifeEventList:
    return m.LifeEventList(life_events=[m.LifeEventSummary(**event_fields(e)) for e in events])


def life_event(event: LifeEvent, on: date) -> m.LifeEvent:
    values = text_values(event, on)
    return m.LifeEvent(**event_fields(event), steps=[step(s, values) for s in event.steps])


# --- the plan ----------------------------------------------------------------------------------------------------


def checklist_entry(entry: ChecklistEntry) -> m.ChecklistEntry:
    item, contact = entry.item, entry.contact
    rule = entry.due_rule
    return m.ChecklistEntry(
        id=item.id,
        title=gettext(item.title),
        due=entry.due,
        overdue=entry.overdue,
        due_explanation=translate(rule.explanation, entry.values) if rule and rule.explanation else None,
        recurrence=recurrence(entry),
        responsible=m.Responsible(
            name=optional_text(contact.name_msgid) or contact.name,
            organisation=contact.name,
            url=contact.url,
            phone=contact.phone,
            email=contact.email,
        ),
        channel=item.channel,
        channel_label=gettext(CHANNELS[item.channel]),
        why=translate(item.why, entry.values),
        how=translate(item.how, entry.values) if item.how else None,
        figures=breakdown(entry.figures),
    )


def recurrence(entry: ChecklistEntry) -> m.Recurrence | None:
    """A recurring task's interval and RRULE (the calendar export's; an API plan has no ticks, so the dates
    run from the first due date)."""
    found = entry.recurrence
    if found is None or entry.due is None:
        return None
    rule, _exdates, _rdates = recurrence_rule(entry.due, found)
    return m.Recurrence(
        unit=found.unit,
        interval=found.interval,
        text=repeat_text(found),
        count_from=found.repeat.count_from,
        until=found.until,
        rrule=rule.to_ical().decode("ascii"),
    )


def home_care(allowance: AllowanceResult | None) -> m.HomeCareAllowance | None:
    if allowance is None:
        return None
    return m.HomeCareAllowance(
        monthly=Money.of(allowance.monthly),
        supplement=money(allowance.supplement),
        supplement_max=Money.of(allowance.supplement_max),
        estimate=allowance.estimate,
        breakdown=breakdown(allowance.breakdown),
    )


def reporter_label(role: str) -> str:
    """Who reported the availability, as a translated role (an unknown role is shown as given, as the page does)."""
    return gettext(REPORTER_ROLES[role]) if role in REPORTER_ROLES else role


def hours(items: Iterable[Any]) -> list[m.OpeningHours]:
    return [m.OpeningHours(days=h.days, opens=h.opens, closes=h.closes) for h in items]


def contact(record: Any) -> m.Contact:
    return m.Contact(phone=record.phone, email=record.email, web_url=record.web_url, eservice_url=record.eservice_url)


def experiences(found: Experiences | None) -> m.Experiences | None:
    """Others' experiences as the comparison shows them (the portal left out what may not be shown)."""
    if found is None:
        return None
    return m.Experiences(
        average_rating=number(found.average_rating),
        rating_count=found.rating_count,
        easy_share=found.easy_percent,
        comments=[m.PublishedComment(text=c.text, date=c.given_on) for c in found.comments],
    )


def mismatch(code: str, unit: EcecUnitRecord, age_group: str) -> m.Mismatch:
    """Why a unit does not suit the child, in the words of the plan's cards."""
    return m.Mismatch(code=code, text=optional_text(mismatch_text(code, tuple(unit.languages), age_group)))


def ecec_row(row: EcecRow, age_group: str) -> m.EcecRow:
    """A unit with whether it suits the child and, when not, why (the same reasons the plan page shows)."""
    unit, availability, cost = row.unit, row.availability, row.cost
    return m.EcecRow(
        id=unit.id,
        name=unit.display_name(lang()),
        care_type=unit.care_type,
        care_type_label=gettext(CARE_TYPES[unit.care_type]),
        provider_type=unit.provider_type,
        provider_type_label=gettext(PROVIDER_TYPES[unit.provider_type]),
        languages=list(unit.languages),
        distance_home_km=row.distance_home_km,
        distance_work_km=row.distance_work_km,
        free_places=availability.free_places if availability else None,
        queue_weeks=availability.queue_weeks if availability else None,
        availability_updated_at=date_time(availability.updated_at) if availability else None,
        availability_updated_by=availability.updated_by if availability else None,
        availability_updated_by_label=reporter_label(availability.updated_by) if availability else None,
        has_room=row.has_room,
        cost=None
        if cost is None
        else m.Cost(
            kind=cost.kind,
            monthly=money(cost.monthly),
            minimum=Money.of(cost.minimum),
            maximum=Money.of(cost.maximum),
            estimate=cost.estimate,
            breakdown=breakdown(cost.breakdown),
        ),
        cost_problem=optional_text(row.cost_problem),
        shift_care=unit.shift_care,
        opening_hours=hours(unit.opening_hours),
        accessibility=dict(unit.accessibility),
        address=unit.street_address,
        postal_code=unit.postal_code,
        municipality_code=unit.municipality_code,
        lat=unit.latitude,
        lon=unit.longitude,
        contact=contact(unit),
        is_demo=unit.is_demo,
        matches=row.matches,
        mismatches=[mismatch(code, unit, age_group) for code in row.mismatches],
        experiences=experiences(row.experiences),
    )


def coverage_gap(gap: CoverageGap | None) -> m.CoverageGap | None:
    if gap is None:
        return None
    return m.CoverageGap(
        reason=gap.reason,
        municipality_code=gap.place.municipality_code,
        municipality=gap.place.municipality_name(lang()),
        postal_code=gap.place.postal_code,
        covered_municipalities=gap.covered_names(lang()),
    )


def ecec_comparison(cmp: EcecComparison) -> m.EcecComparison:
    f, needs = cmp.filters, cmp.needs
    return m.EcecComparison(
        kind="ecec_units",
        coverage_gap=coverage_gap(cmp.gap),
        age_group=cmp.age_group,
        age_group_label=gettext(AGE_GROUPS[cmp.age_group]),
        start=cmp.start,
        reach_km=number(cmp.reach_km),
        in_reach=cmp.in_reach,
        with_room=cmp.with_room,
        shown=len(cmp.rows),
        not_matching=cmp.not_matching,
        filters=m.AppliedFilters(
            care_type=sorted(f.care_types),
            language=sorted(needs.languages),
            shift_care=needs.shift_care,
            provider=sorted(f.providers),
            max_km=f.max_km,
            room=f.only_with_room,
            sort=f.sort,
            min_rating=number(f.min_rating),
        ),
        municipal_fee=fee(cmp.municipal_fee),
        home_care=home_care(cmp.home_care),
        problems=[gettext(p) for p in cmp.problems],
        rows=[ecec_row(r, cmp.age_group) for r in cmp.rows],
        other_rows=[ecec_row(r, cmp.age_group) for r in cmp.others],
    )


def business_costs_fields(costs: BusinessStartCosts) -> dict[str, Any]:
    yel = costs.yel
    return {
        "company_form": costs.company_form,
        "registration_fee": Money.of(costs.registration_fee),
        "vat_required": costs.vat_required,
        "yel_required": costs.yel_required,
        "yel_applies": costs.yel_applies,
        "vat_threshold": Money.of(costs.vat.threshold),
        "yel_threshold": money(yel.threshold) if yel else None,
        "yel_contribution": money(yel.contribution) if yel else None,
        "yel_contribution_first_entrepreneur": money(yel.contribution_first_entrepreneur) if yel else None,
        "estimate": costs.estimate,
        "breakdown": breakdown(costs.breakdown),
    }


def company_forms(cmp: CompanyFormComparison) -> m.CompanyFormComparison:
    def row_of(row: Any) -> m.CompanyFormRow:
        facts, advice = row.facts, row.recommendation
        return m.CompanyFormRow(
            form=facts.form,
            name=gettext(facts.name),
            chosen=row.chosen,
            fits=advice.fits,
            reasons=[translate(reason, advice.values) for reason in advice.reasons],
            founders=translate(facts.founders, facts.values),
            registration_fee=money(facts.registration_fee),
            minimum_capital=money(facts.minimum_capital),
            liability=translate(facts.liability, facts.values),
            taxation=translate(facts.taxation, facts.values),
            pension=translate(facts.pension, facts.values),
            administration=translate(facts.administration, facts.values),
            source=facts.source,
            estimate=facts.estimate,
        )

    return m.CompanyFormComparison(
        kind="company_forms",
        start=cmp.start,
        chosen=cmp.chosen,
        estimate=cmp.estimate,
        forms=[row_of(row) for row in cmp.rows],
        costs=None if cmp.costs is None else m.BusinessStartCosts(**business_costs_fields(cmp.costs)),
    )


def service_point(row: ServiceRow) -> m.ServicePoint:
    point = row.point
    return m.ServicePoint(
        id=point.id,
        kind=point.kind,
        kind_label=gettext(SERVICE_KINDS[point.kind]),
        name=point.display_name(lang()),
        service=point.service_display_name(lang()),
        organisation=point.organisation_name(lang()),
        distance_km=row.distance_km,
        next_free_appointment=date_time(point.next_free_appointment),
        appointment_channels=list(point.appointment_channels),
        opening_hours=hours(point.opening_hours),
        phone_hours=hours(point.phone_hours),
        languages=list(point.languages),
        charge=point.charge,
        fee=money(point.fee),
        fee_unit=point.fee_unit,
        accessibility=dict(point.accessibility),
        address=point.street_address,
        postal_code=point.postal_code,
        municipality_code=point.municipality_code,
        lat=point.latitude,
        lon=point.longitude,
        contact=contact(point),
        is_demo=point.is_demo,
        experiences=experiences(row.experiences),
    )


def services(cmp: ServiceComparison) -> m.ServiceComparison:
    return m.ServiceComparison(
        kind="nearby_services",
        near=cmp.near,
        kinds=list(cmp.kinds),
        missing_kinds=list(cmp.missing_kinds),
        coverage_gap=coverage_gap(cmp.gap),
        in_area=cmp.in_area,
        filters=m.AppliedServiceFilters(
            sort=cmp.filters.sort, min_rating=number(cmp.filters.min_rating), serves_in=cmp.filters.serves_in
        ),
        rows=[service_point(row) for row in cmp.rows],
    )


def allowance(result: UnemploymentAllowance | None) -> m.UnemploymentAllowance | None:
    if result is None:
        return None
    return m.UnemploymentAllowance(
        kind=result.kind,
        daily_allowance=Money.of(result.daily_allowance),
        monthly_estimate=Money.of(result.monthly_estimate),
        daily_wage=money(result.daily_wage),
        step_down_percent=number(result.step_down_percent),
        estimate=result.estimate,
        breakdown=breakdown(result.breakdown),
    )


def timeline(result: AllowanceTimeline) -> m.AllowanceTimeline:
    return m.AllowanceTimeline(
        kind=result.kind,
        waiting_weekdays=result.waiting_weekdays,
        waiting_period_start=result.waiting_period_start,
        waiting_period_end=result.waiting_period_end,
        first_paid_date=result.first_paid_date,
        max_paid_days=result.max_paid_days,
        application_deadline=result.application_deadline,
        periods=[
            m.TimelinePeriod(
                first_paid_day=p.first_paid_day,
                last_paid_day=p.last_paid_day,
                start=p.start,
                end=p.end,
                daily_allowance=Money.of(p.daily_allowance),
                monthly_estimate=Money.of(p.monthly_estimate),
                step_down_percent=number(p.step_down_percent),
            )
            for p in result.periods
        ],
        estimate=result.estimate,
        breakdown=breakdown(result.breakdown),
    )


def income(cmp: IncomeComparison) -> m.IncomeComparison:
    return m.IncomeComparison(
        kind="unemployment_income",
        first_day=cmp.first_day,
        estimate=cmp.estimate,
        note=translate(cmp.note, cmp.note_values) if cmp.note else None,
        options=[
            m.IncomeOption(
                kind=o.kind, applies=o.applies, allowance=allowance(o.allowance), timeline=timeline(o.timeline)
            )
            for o in cmp.options
        ],
    )


COMPARISONS = {
    "ecec_units": ecec_comparison,
    "company_forms": company_forms,
    "nearby_services": services,
    "unemployment_income": income,
}


def plan(result: Plan) -> m.Plan:
    entries = sorted(result.checklist, key=lambda e: (e.due is None, e.due or result.today))
    return m.Plan(
        life_event=result.event.id,
        today=result.today,
        checklist=[checklist_entry(e) for e in entries],
        comparisons=[COMPARISONS[c.kind](c.result) for c in result.comparisons],
    )


def unit_point(unit: EcecUnitRecord, found: Experiences | None = None) -> m.UnitPoint:
    """A unit on the map picker, with others' experiences of it as the comparison shows them."""
    return m.UnitPoint(
        id=unit.id,
        name=unit.display_name(lang()),
        lat=unit.latitude,
        lon=unit.longitude,
        care_type=unit.care_type,
        provider_type=unit.provider_type,
        languages=list(unit.languages),
        municipality_code=unit.municipality_code,
        postal_code=unit.postal_code,
        experiences=experiences(found),
    )
