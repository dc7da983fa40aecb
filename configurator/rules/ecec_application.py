"""When to apply for early childhood education, and what a late application means.

Act on early childhood education 540/2018 s.17: apply at least four months
before care starts, or two weeks when the need comes suddenly from a job, a
study place or training, or from moving to the municipality for work or
studies. The municipality must arrange a place within the same period of the
application. So a family that is already past the deadline is not refused:
it should apply now, and care can start once that period has run from today.
Saying so plainly keeps families from giving up or from expecting a place on a
date the municipality is not bound to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from configurator.i18n import N_
from configurator.legal_calendar import last_day_of_time_limit
from configurator.parameters import Parameters, default_parameters
from configurator.rules import BreakdownStep, StepValue, step

RULE_ACT = N_("Act on early childhood education 540/2018, s.17")
_P = "ecec_application."


@dataclass(frozen=True)
class ApplicationTiming:
    """The application deadline for the start date, and the earliest start if it has passed.

    ``earliest_start`` is None when the application is on time.
    """

    deadline: date
    late: bool
    earliest_start: date | None
    breakdown: tuple[BreakdownStep, ...]


def application_timing(
    start: date, sudden_need: bool, today: date, params: Parameters | None = None
) -> ApplicationTiming:
    """The deadline to apply for care starting on ``start``, from the lead time in force on that date.

    The deadline moves off weekends and holidays as the law counts time limits.
    """
    params = params or default_parameters()
    if sudden_need:
        lead = params.at(_P + "sudden_need_lead_time_weeks", start)
        shift = relativedelta(weeks=int(lead.value))
        on_time = N_("Apply by {deadline}: at least {count} weeks before the start, because the need comes suddenly")
        late = N_(
            "The deadline {deadline} has passed. Apply now: the municipality must arrange a place within "
            "{count} weeks of your application, so care can start on {earliest} at the earliest"
        )
    else:
        lead = params.at(_P + "lead_time_months", start)
        shift = relativedelta(months=int(lead.value))
        on_time = N_("Apply by {deadline}: at least {count} months before the start")
        late = N_(
            "The deadline {deadline} has passed. Apply now: the municipality must arrange a place within "
            "{count} months of your application, so care can start on {earliest} at the earliest"
        )
    deadline = last_day_of_time_limit(start - shift)
    values: dict[str, StepValue] = {"deadline": deadline.isoformat(), "count": int(lead.value)}
    if today <= deadline:
        return ApplicationTiming(deadline, False, None, (step(on_time, values, None, RULE_ACT, lead),))
    earliest = today + shift
    values["earliest"] = earliest.isoformat()
    return ApplicationTiming(deadline, True, earliest, (step(late, values, None, RULE_ACT, lead),))
