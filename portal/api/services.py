"""What the API's operations do, from validated requests to response models.

Why apart from the views: the OpenAPI document's examples are made by calling these same functions
(``openapi.py``), and the views stay a line of request plumbing each. The plan is validated by the journey's
own rules (``configurator.journey``) on the raw fields a form would post, so one rule set serves both doors.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from pydantic import ValidationError

from configurator.answers import AnswerError, raw_from_json
from configurator.comparisons.ecec import municipal_fee_rules
from configurator.geo import FINLAND_BBOX, distance_km, in_finland
from configurator.i18n import N_
from configurator.journey import Walk, parse_step, walk
from configurator.lifeevents import LifeEvent, Question, Step
from configurator.parameters import ParameterError, default_parameters
from configurator.plan import Plan, filters_from_query, make_plan
from configurator.rules import InvalidInput
from configurator.rules.business_start import business_start_costs
from configurator.rules.ecec_fee import (
    FeeResult,
    MissingMunicipalRules,
    MunicipalFeeRules,
    ecec_fee,
    part_time_coefficient,
)
from configurator.rules.unemployment import unemployment_allowances

from ..context import catalogue, directory, life_events, places, sources
from ..feedback.experiences import lookup as experience_lookup
from . import models as m
from . import serialize
from .problems import (
    MAX_ECHO,
    ApiProblem,
    FieldProblem,
    refused,
    translate,
    validation_problems,
)
from .types import Money, money, number

# The JSON types each question type takes (of those PlanRequest admits), and the message when an answer has
# another: the one table of the API that is keyed by question type (the content is the journey's to check).
TEXT_ANSWER = N_("Give this answer as text of at most {max} characters.")
NUMERIC = (str, int, float)
ANSWER_FORMATS: dict[str, tuple[tuple[type, ...], str]] = {
    "choice": ((str,), TEXT_ANSWER),
    "postal_code": ((str,), TEXT_ANSWER),
    "date": ((str,), N_("Give the date as text, YYYY-MM-DD.")),
    "number": (NUMERIC, N_("Give a number, or the number as text.")),
    "money": (NUMERIC, N_("Give an amount in euros as a number or as text.")),
    "yesno": ((bool, str), N_("Use true or false.")),
    "choices": ((str, list), N_("Give a list of the option values, at most {max}.")),
    "location": (
        (str, m.LocationAnswer),
        N_("Give the place as an object with postal_code, street_address, lat and lon."),
    ),
}


def rule_problem(exc: InvalidInput) -> ApiProblem:
    """A rule's own input error, named after the query parameter (they share names)."""
    return refused(400, exc.field, exc.message, **exc.values)


def event_or_404(event_id: str) -> LifeEvent:
    event = life_events().get(event_id)
    if event is None:
        raise refused(404, "life_event", N_("There is no life event {id}."), id=event_id[:MAX_ECHO])
    return event


# --- the ECEC fee ------------------------------------------------------------------------------------------------


def municipal_rules(code: str | None, on: date) -> MunicipalFeeRules | None:
    """The municipality's part-time steps from the catalogue, as the comparison passes them."""
    return municipal_fee_rules(catalogue(on).municipal_pricing(code, on)) if code else None


def computed_fee(query: m.EcecFeeQuery, on: date) -> FeeResult:
    """The fee; the part-time coefficient is checked separately because ecec_fee stops early at a zero base fee,
    and whether the municipality is needed should depend on the hours only."""
    code, hours = query.municipality, query.hours_per_week
    try:
        rules = municipal_rules(code, on)
        fee = ecec_fee(
            family_size=query.family_size,
            income=query.income,
            hours_per_week=hours,
            child_rank=query.child_rank,
            municipal=rules,
            on=on,
        )
        part_time_coefficient(hours, rules, on, default_parameters())
    except InvalidInput as exc:
        raise rule_problem(exc) from None
    except MissingMunicipalRules:
        if code is None:
            raise refused(
                400,
                "municipality",
                N_(
                    "The fee for {hours} h a week depends on the municipality's "
                    "part-time steps: give the municipality code."
                ),
                hours=hours,
            ) from None
        raise refused(
            400, "municipality", N_("The catalogue has no part-time fee steps for municipality {code}."), code=code
        ) from None
    except ParameterError:
        raise refused(400, "on", N_("The fee rules are not known for {on}."), on=on) from None
    return fee


def ecec_fee_calculation(query: m.EcecFeeQuery, today: date) -> m.EcecFeeCalculation:
    on = query.on or today
    fee = computed_fee(query, on)
    return m.EcecFeeCalculation(
        monthly_fee=Money.of(fee.monthly_fee or 0),
        minimum=Money.of(fee.minimum),
        maximum=Money.of(fee.maximum),
        estimate=fee.estimate,
        on=on,
        municipality=query.municipality,
        inputs=m.EcecFeeInputs(
            family_size=query.family_size,
            income=Money.of(query.income),
            hours_per_week=number(query.hours_per_week),
            child_rank=query.child_rank,
        ),
        breakdown=serialize.breakdown(fee.breakdown),
    )


# --- business start-up costs -----------------------------------------------------------------------------------


def business_start_calculation(query: m.BusinessStartQuery, today: date) -> m.BusinessStartCalculation:
    on = query.on or today
    try:
        costs = business_start_costs(
            query.company_form,
            query.turnover,
            query.work_income,
            on,
            age=query.age,
            previous_year_turnover=query.previous_year_turnover,
        )
    except InvalidInput as exc:
        raise rule_problem(exc) from None
    except ParameterError:
        raise refused(400, "on", N_("The figures are not known for {on}."), on=on) from None
    return m.BusinessStartCalculation(
        **serialize.business_costs_fields(costs),
        on=on,
        inputs=m.BusinessStartInputs(
            company_form=query.company_form,
            turnover=Money.of(query.turnover),
            work_income=Money.of(query.work_income),
            age=query.age,
            previous_year_turnover=money(query.previous_year_turnover),
        ),
    )


# --- the unemployment allowance --------------------------------------------------------------------------------


def unemployment_calculation(query: m.UnemploymentQuery, today: date) -> m.UnemploymentCalculation:
    """An entrepreneur whose business ended gives ``yel_income`` instead of ``monthly_wage``."""
    if query.monthly_wage is None and query.yel_income is None:
        raise refused(400, "monthly_wage", N_("This parameter is required."))
    on = query.on or today
    try:
        result = unemployment_allowances(
            query.monthly_wage,
            query.fund_member,
            on,
            query.paid_days,
            yel_income=query.yel_income,
            work_condition_year=query.work_condition_year,
        )
    except InvalidInput as exc:
        raise rule_problem(exc) from None
    except ParameterError:
        raise refused(400, "on", N_("The figures are not known for {on}."), on=on) from None
    return m.UnemploymentCalculation(
        on=on,
        inputs=m.UnemploymentInputs(
            monthly_wage=money(query.monthly_wage),
            fund_member=query.fund_member,
            paid_days=query.paid_days,
            yel_income=money(query.yel_income),
            work_condition_year=query.work_condition_year,
        ),
        earnings_related=serialize.allowance(result.earnings_related),
        earnings_related_reason=serialize.optional_text(result.earnings_related_reason),
        kela=serialize.allowance(result.kela),
        estimate=result.estimate,
    )


# --- ECEC units near a point --------------------------------------------------------------------------------------


def units_near(query: m.EcecUnitsQuery, today: date) -> m.UnitPoints:
    """The units within radius_km of a point in Finland, nearest first (at most MAX_UNITS)."""
    lat, lon = float(query.lat), float(query.lon)
    if not in_finland(lat, lon):
        south, _west, north, _east = FINLAND_BBOX
        raise refused(400, "lat" if not south <= lat <= north else "lon", N_("Choose a point in Finland"))
    if query.radius_km < m.RADIUS_MIN:
        raise refused(400, "radius_km", N_("Enter a number of at least {minimum}."), minimum=m.RADIUS_MIN)
    if query.radius_km > m.RADIUS_MAX:
        raise refused(400, "radius_km", N_("Enter a number of at most {max}"), max=m.RADIUS_MAX)
    found = catalogue(today).units_within(lat, lon, float(query.radius_km))  # the in-memory index
    nearest = sorted(found, key=lambda u: (distance_km(lat, lon, u.latitude, u.longitude), u.id))[: m.MAX_UNITS]
    rated = experience_lookup()([u.id for u in nearest]) if nearest else {}  # one query for all of them
    return m.UnitPoints(units=[serialize.unit_point(u, rated.get(u.id)) for u in nearest], count=len(nearest))


# --- the plan ------------------------------------------------------------------------------------------------------


def questions_of(event: LifeEvent) -> dict[str, tuple[Question, Step]]:
    return {q.id: (q, step) for step in event.steps for q in step.questions}


def answer_problem(question: Question, step: Step) -> FieldProblem:
    """An answer of a JSON type its question does not take, named by its question, like the journey's errors."""
    limit = len(question.options) if question.type == "choices" else m.MAX_ANSWER_TEXT
    msgid = ANSWER_FORMATS.get(question.type, ((str,), TEXT_ANSWER))[1]
    return FieldProblem(field=question.id, input=question.id, step=step.id, detail=translate(msgid, {"max": limit}))


def no_question(qid: str) -> FieldProblem:
    return FieldProblem(
        field=qid[:MAX_ECHO],
        input=qid[:MAX_ECHO],
        detail=translate(N_("There is no question {id} in this life event."), {"id": qid[:MAX_ECHO]}),
    )


def well_typed(question: Question, value: Any) -> bool:
    """Whether an answer (of one of PlanRequest's JSON types) has a type its question takes; a list of choices
    has at most one item per option."""
    types = ANSWER_FORMATS.get(question.type, ((str,), TEXT_ANSWER))[0]
    if isinstance(value, bool) and bool not in types:
        return False
    if isinstance(value, list):
        return list in types and len(value) <= len(question.options)
    return isinstance(value, types)


def plan_request(event: LifeEvent, body: Any) -> m.PlanRequest:
    """The body as a PlanRequest, or every refused member at once; an answer is named by its question."""
    if not isinstance(body, dict):
        raise refused(400, "body", N_("Send a JSON object with the answers (Content-Type: application/json)."))
    try:
        request = m.PlanRequest.model_validate(body)
    except ValidationError as error:
        questions = questions_of(event)
        problems: dict[str, FieldProblem] = {}
        answers = [e for e in error.errors() if len(e["loc"]) > 1 and e["loc"][0] == "answers"]
        for item in answers:
            qid = str(item["loc"][1])
            if qid in questions:
                problems.setdefault(qid, answer_problem(*questions[qid]))
            else:
                problems.setdefault(qid, no_question(qid))
        for problem in validation_problems([e for e in error.errors() if e not in answers], m.PlanRequest):
            problems.setdefault(problem.field, problem)
        raise ApiProblem(400, list(problems.values())) from None
    return request


def raw_answers(event: LifeEvent, answers: Mapping[str, Any]) -> tuple[dict[str, str], list[FieldProblem]]:
    """The raw form fields of the answers, and a problem for each answer to no question or of a type its
    question does not take."""
    questions = questions_of(event)
    raw: dict[str, str] = {}
    problems = []
    for qid, value in answers.items():
        found = questions.get(qid)
        if found is None:
            problems.append(no_question(qid))
        elif value is not None and not well_typed(found[0], value):
            problems.append(answer_problem(*found))
        else:
            if isinstance(value, m.LocationAnswer):
                value = value.model_dump(exclude_none=True)
            raw.update({k: v[: m.MAX_ANSWER_TEXT] for k, v in raw_from_json(qid, found[0].type, value).items()})
    return raw, problems


def answer_problems(state: Walk, raw: Mapping[str, str], on: date) -> list[FieldProblem]:
    """Every visible step's errors, each step checked as the HTML step page checks it."""
    resolver = places()
    problems = []
    for step in state.steps:
        ids = {q.id for q in step.questions}
        earlier = {k: v for k, v in state.answers.items() if k not in ids}
        result = parse_step(step, raw, earlier, on, resolver)
        problems += [journey_problem(step, q, e) for q, e in result.errors]
    return problems


def journey_problem(step: Step, question: Question, error: AnswerError) -> FieldProblem:
    return FieldProblem(
        field=question.id, input=error.field, step=step.id, detail=translate(error.message, error.values)
    )


def filter_query(request: m.PlanFilters | None) -> dict[str, list[str]]:
    """The query the plan page's filter forms would send for these filters; ``language`` and ``shift_care`` left
    out mean "as the answers say"."""
    if request is None:
        return {}
    query: dict[str, list[str]] = {"care_type": list(request.care_type), "provider": list(request.provider)}
    if request.language is not None:
        query["language"] = list(request.language)
    if request.max_km is not None:
        query["max_km"] = [str(request.max_km)]
    if request.shift_care is not None:
        query["shift"] = ["1"] if request.shift_care else []
    if request.min_rating is not None:
        # averages have one decimal: "at least 4.25" is "at least 4.3"
        query["min_rating"] = [str(Decimal(str(request.min_rating)).quantize(Decimal("0.1"), rounding=ROUND_CEILING))]
    if request.serves_in is not None:
        query["serves_in"] = [request.serves_in]
    return {**query, "room": ["1"] if request.room else [], "sort": [request.sort]}


def filters_of(event: LifeEvent, request: m.PlanFilters | None) -> dict[str, Any]:
    """Each comparison's filters, read by the comparison kinds from that query as the HTML plan page reads its own
    (the ECEC units take all of them but ``serves_in``, the nearby services their sort, minimum rating and
    ``serves_in``)."""
    return filters_from_query(event, filter_query(request))


def built_plan(event: LifeEvent, state: Walk, on: date, filters: Mapping[str, Any]) -> Plan:
    """make_plan as the HTML plan page calls it; figures not known for the start date are an answer error."""
    start = state.answers.get("start_date", on)
    try:
        return make_plan(event, state.answers, on, sources(start), directory(), filters)
    except ParameterError:
        raise refused(
            400, "start_date", N_("The fee and allowance figures are not known for this start date.")
        ) from None


def plan(event: LifeEvent, body: Any, today: date) -> m.Plan:
    request = plan_request(event, body)
    on = request.today or today
    filters = filters_of(event, request.filters)
    raw, problems = raw_answers(event, request.answers)
    state = walk(event, raw, on, places())
    if not state.complete:
        named = {p.field for p in problems}  # an answer of the wrong type is not also "missing"
        problems += [p for p in answer_problems(state, raw, on) if p.field not in named]
    if problems:
        raise ApiProblem(400, problems)
    return serialize.plan(built_plan(event, state, on, filters))
