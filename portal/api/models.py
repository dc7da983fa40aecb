"""Every input and output of the JSON API as pydantic models: the one description of the API.

Why models and not serializers plus a hand-written document: the views validate requests with these models,
build their answers as these models, and ``openapi.py`` generates the OpenAPI document from them, so one
edit to a field changes the response, the document and (through schemathesis) the test at once.

Money is always ``types.Money`` (``{"amount": "80.90", "currency": "EUR"}``); figures that are not money
(hours, kilometres, percentages, counts) are JSON numbers; dates are ``YYYY-MM-DD``; date-times ISO 8601
with the Europe/Helsinki offset. Every error is a ``Problem`` (RFC 9457, application/problem+json).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    WithJsonSchema,
)

from configurator.answers import MAX_FIELD_TEXT
from configurator.catalogue import CARE_TYPES, LANGUAGES, PROVIDER_TYPES
from configurator.comparisons.ecec import SORTS
from configurator.comparisons.services import SORTS as SERVICE_SORTS
from configurator.i18n import N_
from configurator.rules.business_start import COMPANY_FORMS
from configurator.service_points import SERVES_IN

from .types import (
    DATE_MESSAGE,
    ISO_DATE,
    Age,
    Boolean,
    Coordinate,
    Hours,
    IsoDate,
    Kilometres,
    Money,
    MonthlyIncome,
    MonthlyWage,
    MunicipalityCode,
    WholeNumber,
    YearlyEuros,
    choice,
    date_between,
    refuse,
    to_date,
)

MAX_ANSWERS = 100  # answers in one plan request: the longest life event asks far fewer questions
MAX_ANSWER_TEXT = MAX_FIELD_TEXT  # characters of one text answer, as the forms keep
MAX_UNITS = 200  # the most units /ecec-units returns
RADIUS_MIN, RADIUS_DEFAULT, RADIUS_MAX = Decimal("0.1"), Decimal(5), Decimal(25)  # radius_km of /ecec-units
MAX_KM = 100  # filters.max_km of a plan
# filters.sort of a plan: every comparison's sorts (a comparison takes one it does not know as "distance")
PLAN_SORTS = tuple(dict.fromkeys(SORTS + SERVICE_SORTS))

Message = tuple[str, dict[str, Any]]
DateTime = Annotated[
    str,
    Field(
        json_schema_extra={"format": "date-time"},
        description="ISO 8601 with the Europe/Helsinki offset (+02:00 or +03:00).",
    ),
]
Figure = int | float  # not money: hours, kilometres, percentages


class Model(BaseModel):
    """Responses are built by the portal's own code: extra keys are a bug, so they are refused."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- query parameters -----------------------------------------------------------------------------------------


class Query(BaseModel):
    """Query parameters: each field's type says the notation it takes; ``lang`` and unknown ones are ignored."""

    model_config = ConfigDict(extra="ignore")


class EcecFeeQuery(Query):
    family_size: WholeNumber = Field(
        description="Persons in the family: the parents living together and their "
        "children under 18 in the household (at least 2).",
        examples=["3"],
    )
    income: MonthlyIncome = Field(description="The family's gross monthly income in euros.", examples=["6000"])
    hours_per_week: Hours = Field(description="Weekly care time, above 0 and at most 168.", examples=["40"])
    child_rank: WholeNumber = Field(
        1,
        description="1 for the youngest child in ECEC, 2 for the next, 3 for "
        "further children; at most family_size − 1.",
    )
    municipality: MunicipalityCode = Field(
        None,
        description="Municipality code. Required when 20 < "
        "hours_per_week < 35: its part-time steps (from the catalogue) decide "
        "the share.",
        examples=["853"],
    )
    on: IsoDate = Field(
        None,
        description="The date the fee is for; default today. Figures not yet known for "
        "the date are taken from the latest known period and flagged as estimates.",
        examples=["2025-01-01"],
    )


class BusinessStartQuery(Query):
    company_form: choice(COMPANY_FORMS) = Field(
        description="toiminimi (sole trader), oy (private limited "
        "company), ay (general partnership) or ky (limited "
        "partnership).",
        examples=["toiminimi"],
    )
    turnover: YearlyEuros = Field(
        description="Expected yearly turnover (sales without VAT) in euros.", examples=["20000"]
    )
    work_income: YearlyEuros = Field(
        description="The founder's yearly work income in euros, as for YEL.", examples=["9423.09"]
    )
    age: Age = Field(None, description="The founder's age: YEL is obligatory at ages 18-68.")
    previous_year_turnover: YearlyEuros = Field(
        None, description="Turnover of the previous calendar year: from 2025 it also makes the business liable for VAT."
    )
    on: IsoDate = Field(
        None,
        description="The day the business starts; default today. Dates before the first "
        "recorded period of a figure are refused.",
        examples=["2026-03-01"],
    )


class UnemploymentQuery(Query):
    monthly_wage: MonthlyWage = Field(
        None,
        description="Gross monthly wage before unemployment; required unless yel_income is given.",
        examples=["3200"],
    )
    yel_income: YearlyEuros = Field(
        None,
        description="For an entrepreneur whose business ended: the confirmed "
        "YEL work income a year (the daily wage is income / 12 / 21.5).",
    )
    fund_member: Boolean = Field(
        description="Whether the person is a member of an unemployment fund.", examples=["true"]
    )
    paid_days: WholeNumber = Field(0, description="Allowance days already paid (for the step-downs), 0 or more.")
    work_condition_year: WholeNumber = Field(
        None,
        description="The year the work condition was met: the "
        "fund applies that year's statutory deduction. Default: the year "
        "of the first day of unemployment.",
    )
    on: IsoDate = Field(None, description="The first day of unemployment; default today.", examples=["2026-12-01"])


class EcecUnitsQuery(Query):
    lat: Coordinate = Field(description="Latitude of the centre, inside Finland.", examples=["60.4518"])
    lon: Coordinate = Field(description="Longitude of the centre, inside Finland.", examples=["22.2666"])
    radius_km: Kilometres = Field(
        RADIUS_DEFAULT,
        description=f"Great-circle distance from the centre in kilometres, {RADIUS_MIN} to {RADIUS_MAX}.",
        examples=["2"],
    )


# --- the plan request ---------------------------------------------------------------------------------------------

AnswerText = Annotated[StrictStr, Field(max_length=MAX_ANSWER_TEXT)]
FiniteNumber = StrictInt | Annotated[float, Field(allow_inf_nan=False, strict=True)]


class LocationAnswer(BaseModel):
    """A place: a postal code is enough (every Finnish code names its municipality; distances need a point,
    which only the demo region's codes have); lat and lon alone are enough near a known postal area."""

    model_config = ConfigDict(extra="forbid")

    postal_code: AnswerText | None = None
    street_address: AnswerText | None = None
    lat: FiniteNumber | AnswerText | None = None
    lon: FiniteNumber | AnswerText | None = None


Answer = (
    AnswerText
    | StrictInt
    | Annotated[float, Field(allow_inf_nan=False, strict=True)]
    | StrictBool
    | LocationAnswer
    | Annotated[list[AnswerText], Field(description="A choices question's option values.")]
    | None
)


def optional_date(value: Any) -> date | None:
    """``today`` of a plan: left out, empty or null for today; else a YYYY-MM-DD date from 1900 to 2200."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not re.fullmatch(ISO_DATE, value):
        raise refuse(DATE_MESSAGE)
    parsed_date = to_date(value)
    date_between(parsed_date)
    return parsed_date


def list_of(values: Any) -> Any:
    """A filter: a list of the option values (at most one each)."""
    return Annotated[list[Literal[tuple(values)]], Field(max_length=len(values))]


class PlanFilters(BaseModel):
    """Narrow and sort the plan's comparisons, as the plan page's filter forms do; empty lists mean all.
    ``language`` and ``shift_care`` left out (or null) mean "as the answers say" (care_language, shift_care);
    given, they decide which ECEC units suit. The nearby services comparison takes ``sort`` ("distance",
    "rating" or "next_free"; any other sort leaves its points nearest first), ``min_rating`` and ``serves_in``,
    and no other filter (``language`` is the ECEC units' language of care, not the service points'); the ECEC
    units take "next_free" as "distance"."""

    model_config = ConfigDict(extra="ignore")

    care_type: list_of(CARE_TYPES) = []
    language: list_of(LANGUAGES) | None = None
    provider: list_of(PROVIDER_TYPES) = []
    max_km: Annotated[FiniteNumber, Field(gt=0, le=MAX_KM)] | None = Field(
        None, description="Distance from home or work at most (km); null: no limit."
    )
    room: StrictBool | None = Field(None, description="Only units with a free place; null: false.")
    shift_care: StrictBool | None = None
    sort: Literal[PLAN_SORTS] = Field(
        "distance",
        description="The ECEC units sort by distance, cost, availability, rating or name, the nearby service points "
        "by distance, rating or next_free (the soonest next free appointment first); a comparison takes a sort it "
        "does not have as distance.",
    )
    min_rating: Annotated[float, Field(strict=True, ge=1, le=5, allow_inf_nan=False)] | None = Field(
        None,
        description="Only units and service points whose average rating (from at least 5 ratings, one decimal) "
        "is at least this; null: no rating filter. Sort 'rating' lists the best rated first, those without enough "
        "ratings last (the service points within each kind).",
    )
    serves_in: Literal[tuple(SERVES_IN)] | None = Field(
        None,
        description="Only service points that serve in this language (fi, sv or en); null: any language. "
        "Never assumed from the request's language.",
    )


class PlanRequest(BaseModel):
    """The answers, keyed by question id in the formats the life event's questions take, with the day the plan
    is for and the comparison's filters. An answer to no question, or of a type its question does not take,
    is an error naming the question; numbers and dates in ASCII digits."""

    model_config = ConfigDict(extra="ignore")

    answers: Annotated[dict[str, Answer], Field(max_length=MAX_ANSWERS)]
    today: Annotated[
        date | None,
        BeforeValidator(optional_date),
        WithJsonSchema(
            {
                "anyOf": [{"type": "string", "format": "date", "pattern": ISO_DATE}, {"enum": ["", None]}],
                "description": "Left out, empty or null: today in Helsinki; from 1900 to 2200.",
            }
        ),
    ] = None
    filters: PlanFilters | None = Field(None, description="Left out or null: no filters beyond the answers.")

    # The message of a refused field (path: dotted field names; 'path:error_type' wins over 'path').
    messages: ClassVar[dict[str, Message]] = {
        "answers": (N_("Give the answers as an object keyed by question id."), {}),
        "answers:too_long": (N_("Give at most {max} answers."), {"max": MAX_ANSWERS}),
        "filters": (N_("Give the filters as an object."), {}),
        "filters.care_type": (N_("Use a list of these values: {allowed}."), {"allowed": ", ".join(CARE_TYPES)}),
        "filters.language": (N_("Use a list of these values: {allowed}."), {"allowed": ", ".join(LANGUAGES)}),
        "filters.provider": (N_("Use a list of these values: {allowed}."), {"allowed": ", ".join(PROVIDER_TYPES)}),
        "filters.max_km": (N_("Enter a distance in kilometres above 0 and at most 100."), {}),
        "filters.room": (N_("Use true or false."), {}),
        "filters.shift_care": (N_("Use true or false."), {}),
        "filters.sort": (N_("Use a list of these values: {allowed}."), {"allowed": ", ".join(PLAN_SORTS)}),
        "filters.min_rating": (N_("Enter a rating from 1 to 5."), {}),
        "filters.serves_in": (N_("Use one of these values: {allowed}."), {"allowed": ", ".join(SERVES_IN)}),
    }


# --- problems (RFC 9457) ------------------------------------------------------------------------------------------


class FieldProblem(Model):
    """One refused input: the field (a query parameter, a body member as a dotted path, or a question id) and
    why, in the requested language. Answer problems also name the form input and the step, as the form does."""

    field: str
    detail: str
    input: str | None = Field(None, description="The form input of a plan answer (e.g. home-postal_code).")
    step: str | None = Field(None, description="The life event's step of a plan answer.")


class Problem(Model):
    """An error as RFC 9457 problem details (application/problem+json). ``detail`` is in the requested
    language; ``errors`` names every refused input (empty when no input is to blame)."""

    type: str = "about:blank"
    title: str = Field(description="The HTTP status phrase.")
    status: int
    detail: str
    errors: list[FieldProblem] = []


# --- shared parts of the answers ------------------------------------------------------------------------------------


class BreakdownStep(Model):
    """One explained step of a calculation, with where its figure comes from."""

    text: str = Field(description="The step in the requested language, numbers formatted.")
    label: str = Field(description="The English message id with {named} placeholders.")
    values: dict[str, int | float | str | bool | None] = Field(
        description="The placeholders' values as numbers or text (for formatting the label; not Money)."
    )
    amount: Money | None = Field(description="The amount this step results in, if any.")
    rule: str = Field(description="The legal or municipal rule applied (translated).")
    valid_from: date = Field(description="Start of the figure's period.")
    source: str
    estimate: bool = Field(
        description="True when the figure for the asked period is not known yet and an earlier one was used."
    )


class Fee(Model):
    monthly_fee: Money | None = Field(description="A month; null when income is not given.")
    minimum: Money
    maximum: Money
    estimate: bool
    breakdown: list[BreakdownStep]


class OpeningHours(Model):
    days: str
    opens: str
    closes: str


class Contact(Model):
    phone: str | None
    email: str | None
    web_url: str | None
    eservice_url: str | None


class CoverageGap(Model):
    """Why a comparison lists no distances: the place's municipality is outside the catalogue's area
    (``outside``) or the place has no point (``no_point``), with the municipalities it covers."""

    reason: str
    municipality_code: str | None
    municipality: str | None
    postal_code: str | None
    covered_municipalities: list[str]


# --- life events ----------------------------------------------------------------------------------------------------


class LifeEventLinks(Model):
    self_: str = Field(alias="self")
    plan: str


class LifeEventSummary(Model):
    id: str
    title: str
    summary: str
    codes: dict[str, str] = Field(
        description="Classification codes of the Finnish service catalogue: "
        "life_event, target_group, service_class (those it has)."
    )
    links: LifeEventLinks


class LifeEventList(Model):
    life_events: list[LifeEventSummary]


class QuestionOption(Model):
    value: str
    label: str


class Question(Model):
    """Answer formats by type: date 'YYYY-MM-DD'; yesno true/false; number a number or its text; money a
    number or text like '4 500,50'; choice one option value; choices a list of option values; postal_code a
    five-digit string; location a LocationAnswer or a postal code."""

    id: str
    type: str
    required: bool
    label: str
    hint: str | None
    options: list[QuestionOption]
    show_if: list[str] | None = Field(description="Conditions that must all hold ('not x' negates); null: always.")
    rules: dict[str, Any] = Field(
        description="Validation rules: min, max, max_answer, decimals for numbers; "
        "not_before_today, not_after_today, after, max_years_before_today, "
        "max_years_after_today for dates."
    )


class Step(Model):
    id: str
    title: str
    intro: str | None
    show_if: list[str] | None
    questions: list[Question]


class LifeEvent(LifeEventSummary):
    steps: list[Step]


# --- the plan -------------------------------------------------------------------------------------------------------


class Responsible(Model):
    name: str | None
    organisation: str | None
    url: str | None
    phone: str | None
    email: str | None


class Recurrence(Model):
    """A task that comes back: ``due`` is its next date; after that it recurs as ``rrule`` says."""

    unit: str = Field(description="days, weeks, months or years.")
    interval: int = Field(description="How many units apart the dates are (12 months: 12).")
    text: str = Field(description='How often, in the request\'s language ("Every 12 months").')
    count_from: str = Field(
        description=(
            "done: the next date counts from the day the task is done; "
            "due: a fixed schedule from the first due date (a VAT return every month)."
        )
    )
    until: date | None = Field(description="The last day it may come back; null when it has no end date.")
    rrule: str = Field(description="The dates from `due` on as an iCalendar (RFC 5545) RRULE value.")


class ChecklistEntry(Model):
    id: str
    title: str
    due: date | None
    overdue: bool
    due_explanation: str | None
    recurrence: Recurrence | None = Field(default=None, description="Null for a task that is done once.")
    responsible: Responsible
    channel: str
    channel_label: str
    why: str
    how: str | None
    figures: list[BreakdownStep]


class HomeCareAllowance(Model):
    monthly: Money
    supplement: Money | None = Field(description="Null when income is not given.")
    supplement_max: Money
    estimate: bool
    breakdown: list[BreakdownStep]


class Cost(Model):
    kind: str = Field(description="client_fee or voucher_copayment.")
    monthly: Money | None
    minimum: Money
    maximum: Money
    estimate: bool
    breakdown: list[BreakdownStep]


class PublishedComment(Model):
    text: str
    date: Annotated[date, Field(description="The day it was given (shown only once an organiser published it).")]


class Experiences(Model):
    """Others' experiences of a unit or service point, from the feedback people gave on it. Figures only from at
    least 5 answers (fewer could let a single person be recognised); never who gave a rating or comment."""

    average_rating: float | None = Field(description="Average rating, 1 (very poor) to 5 (very good), one decimal.")
    rating_count: int | None = Field(description="How many rated; null (and no average) below 5 ratings.")
    easy_share: int | None = Field(
        description="Percent (0 to 100) of those who answered the effort question (1 very hard to 7 very easy) "
        "who found it easy (5 to 7); null below 5 answers."
    )
    comments: list[PublishedComment] = Field(
        description="Comments an organiser published, newest first, at most 3; without who gave them."
    )


class Mismatch(Model):
    code: str
    text: str | None


class EcecRow(Model):
    id: int
    name: str
    care_type: str
    care_type_label: str
    provider_type: str
    provider_type_label: str
    languages: list[str]
    distance_home_km: float | None
    distance_work_km: float | None
    free_places: int | None
    queue_weeks: int | None
    availability_updated_at: DateTime | None
    availability_updated_by: str | None
    availability_updated_by_label: str | None
    has_room: bool
    cost: Cost | None
    cost_problem: str | None
    shift_care: bool
    opening_hours: list[OpeningHours]
    accessibility: dict[str, bool | None]
    address: str | None
    postal_code: str | None
    municipality_code: str | None
    lat: float
    lon: float
    contact: Contact
    is_demo: bool
    matches: bool
    mismatches: list[Mismatch]
    experiences: Experiences | None = Field(description="Null: nobody's experiences to show yet.")


class AppliedFilters(Model):
    care_type: list[str]
    language: list[str]
    shift_care: bool | None
    provider: list[str]
    max_km: float | None
    room: bool
    sort: str
    min_rating: float | None


class EcecComparison(Model):
    kind: Literal["ecec_units"]
    coverage_gap: CoverageGap | None
    age_group: str
    age_group_label: str
    start: date
    reach_km: Figure
    in_reach: int
    with_room: int
    shown: int
    not_matching: int
    filters: AppliedFilters
    municipal_fee: Fee | None
    home_care: HomeCareAllowance | None
    problems: list[str]
    rows: list[EcecRow]
    other_rows: list[EcecRow]


class BusinessStartCosts(Model):
    company_form: str
    registration_fee: Money
    vat_required: bool
    yel_required: bool | None = Field(description="Null: no YEL threshold is recorded for the date.")
    yel_applies: bool | None
    vat_threshold: Money
    yel_threshold: Money | None
    yel_contribution: Money | None
    yel_contribution_first_entrepreneur: Money | None
    estimate: bool
    breakdown: list[BreakdownStep]


class CompanyFormRow(Model):
    form: str
    name: str
    chosen: bool
    fits: bool | None
    reasons: list[str]
    founders: str
    registration_fee: Money | None
    minimum_capital: Money | None
    liability: str
    taxation: str
    pension: str
    administration: str
    source: str
    estimate: bool


class CompanyFormComparison(Model):
    kind: Literal["company_forms"]
    start: date
    chosen: str | None
    estimate: bool
    forms: list[CompanyFormRow]
    costs: BusinessStartCosts | None


class ServicePoint(Model):
    id: int
    kind: str
    kind_label: str
    name: str
    service: str | None
    organisation: str | None
    distance_km: float | None
    next_free_appointment: DateTime | None
    appointment_channels: list[str]
    opening_hours: list[OpeningHours]
    phone_hours: list[OpeningHours]
    languages: list[str]
    charge: str | None
    fee: Money | None
    fee_unit: str | None
    accessibility: dict[str, bool | None]
    address: str | None
    postal_code: str | None
    municipality_code: str | None
    lat: float | None
    lon: float | None
    contact: Contact
    is_demo: bool
    experiences: Experiences | None = Field(description="Null: nobody's experiences to show yet.")


class AppliedServiceFilters(Model):
    sort: Literal[SERVICE_SORTS] = Field(
        description="distance: nearest first; rating: best rated first; next_free: the soonest next free "
        "appointment first, the points without one after them (each group nearest first)."
    )
    min_rating: float | None
    serves_in: Literal[tuple(SERVES_IN)] | None = Field(
        description="The language the points serve in that the rows were narrowed to; null: any language."
    )


class ServiceComparison(Model):
    """The service points that serve the place, grouped by kind in the life event's order, sorted within each
    kind; ``rows`` pass the rating and language filters, ``in_area`` counts every point that serves the place."""

    kind: Literal["nearby_services"]
    near: str | None
    kinds: list[str]
    missing_kinds: list[str] = Field(description="Kinds asked for that no service point serves here.")
    coverage_gap: CoverageGap | None
    in_area: int
    filters: AppliedServiceFilters
    rows: list[ServicePoint]


class UnemploymentAllowance(Model):
    kind: str
    daily_allowance: Money
    monthly_estimate: Money
    daily_wage: Money | None
    step_down_percent: Figure | None
    estimate: bool
    breakdown: list[BreakdownStep]


class TimelinePeriod(Model):
    first_paid_day: int
    last_paid_day: int
    start: date
    end: date
    daily_allowance: Money
    monthly_estimate: Money
    step_down_percent: Figure


class AllowanceTimeline(Model):
    kind: str
    waiting_weekdays: int
    waiting_period_start: date
    waiting_period_end: date
    first_paid_date: date
    max_paid_days: int
    application_deadline: date
    periods: list[TimelinePeriod]
    estimate: bool
    breakdown: list[BreakdownStep]


class IncomeOption(Model):
    kind: str
    applies: bool
    allowance: UnemploymentAllowance | None
    timeline: AllowanceTimeline


class IncomeComparison(Model):
    kind: Literal["unemployment_income"]
    first_day: date
    estimate: bool
    note: str | None
    options: list[IncomeOption]


Comparison = Annotated[
    EcecComparison | CompanyFormComparison | ServiceComparison | IncomeComparison, Field(discriminator="kind")
]


class Plan(Model):
    """The plan as the HTML plan page shows it: the checklist by due date (undated last), then one
    comparison per comparison of the life event."""

    life_event: str
    today: date
    checklist: list[ChecklistEntry]
    comparisons: list[Comparison]


# --- calculators ----------------------------------------------------------------------------------------------------


class EcecFeeInputs(Model):
    family_size: int
    income: Money
    hours_per_week: Figure
    child_rank: int


class EcecFeeCalculation(Fee):
    """One child's monthly ECEC client fee (0.00 when no fee is charged) with its breakdown."""

    monthly_fee: Money
    on: date
    municipality: str | None
    inputs: EcecFeeInputs


class BusinessStartInputs(Model):
    company_form: str
    turnover: Money
    work_income: Money
    age: int | None
    previous_year_turnover: Money | None


class BusinessStartCalculation(BusinessStartCosts):
    on: date
    inputs: BusinessStartInputs


class UnemploymentInputs(Model):
    monthly_wage: Money | None
    fund_member: bool
    paid_days: int
    yel_income: Money | None
    work_condition_year: int | None


class UnemploymentCalculation(Model):
    on: date
    inputs: UnemploymentInputs
    earnings_related: UnemploymentAllowance | None
    earnings_related_reason: str | None
    kela: UnemploymentAllowance | None
    estimate: bool


# --- the catalogue --------------------------------------------------------------------------------------------------


class UnitPoint(Model):
    id: int
    name: str
    lat: float
    lon: float
    care_type: str
    provider_type: str
    languages: list[str]
    municipality_code: str | None
    postal_code: str | None
    experiences: Experiences | None = Field(description="Null: nobody's experiences to show yet.")


class UnitPoints(Model):
    units: list[UnitPoint] = Field(max_length=MAX_UNITS)
    count: int
