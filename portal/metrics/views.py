"""The counting links of a plan's tasks: ``GET /<lang>/go/<event>/<task>/<channel>`` counts which channel a task's
link led to and redirects (302) there.

Why a redirect through the server rather than a script that reports clicks: it works without JavaScript, sets
no cookie, calls no third party, and the link's text and accessible name stay what they were (only its address
changes). The address is never taken from the request: it is the task's own contact in the catalogue and the
life event's data, worked out as the plan page did (the journey's answers in the session, or the saved plan
named by ``?plan=<id>``, which must be the signed-in person's), so the endpoint cannot send anyone elsewhere
(no open redirect). When the answers are gone (the session ended), the task's organisation's general contact
from the life event's file is used. An unknown event, task or channel, or a channel the task has no address
for, is a 404.

The channels and where they lead:

- ``eservice``: the task's web address, when the task is done through an e-service or a website;
- ``phone``: a ``tel:`` address of the contact's phone number; browsers hand a redirect to ``tel:`` to the
  phone app just as they do a ``tel:`` link, and the number stays visible as the link's text for anyone who
  dials it by hand (those calls cannot be counted);
- ``in_person``: a task done in person has no address of its own to follow, so its link leads to the
  responsible organisation's web page (where its service points and opening hours are); counted when followed.

Rate limit: a script could follow one link thousands of times and make a channel look popular, so each client
address (as the portal's other limits count it, ``portal.rate_limits.client_address``) counts at most
``POLKU_RATE_LIMIT_COUNTING`` follows (default ``DEFAULT_COUNTING_LIMIT``) in the shared Limiter's storage (the
``rate_limit`` table by default). Past the limit the link still leads where it did (302), but the follow is not
counted: a 429 would break the citizen's phone or e-service link for the sake of a statistic, and the counts are
what the limit protects. That is also why this is not the ``@limited`` decorator, which answers 429. When the
limits are off (``POLKU_RATE_LIMITS_ENABLED=0``) every follow counts; when the storage fails, the follow counts
too (as ``swallow_errors`` lets the other limited requests through) and the error is logged.
"""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, abort, current_app, redirect, request
from flask.typing import ResponseReturnValue
from limits import RateLimitItem, parse_many

from configurator.checklist import ChecklistEntry, Contact, build_checklist
from configurator.lifeevents import LifeEvent

from .. import saved_plans
from ..account_models import SavedPlan
from ..context import directory, life_event_or_404, places, today
from ..forms import whole_number
from ..i18n import add_lang_code, pull_lang_code
from ..identity import owned
from ..journey.store import current_walk
from ..rate_limits import client_address, limiter, limits_off
from .counting import count_channel
from .models import CHANNELS

bp = Blueprint("metrics", __name__, url_prefix="/<any(fi,sv,en):lang_code>/go")
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)

WEB_CHANNELS = ("eservice", "web")  # the task channels whose contact address is the e-service
COUNTING_LIMIT_SETTING = "POLKU_RATE_LIMIT_COUNTING"
DEFAULT_COUNTING_LIMIT = "20 per minute; 200 per day"  # a person follows a few links of one plan, not hundreds


@lru_cache(maxsize=8)
def _limit_items(text: str) -> tuple[RateLimitItem, ...]:
    try:
        return tuple(parse_many(text))
    except ValueError:
        current_app.logger.error(
            "%s is not a rate limit: %r; using %r", COUNTING_LIMIT_SETTING, text, DEFAULT_COUNTING_LIMIT
        )
        return tuple(parse_many(DEFAULT_COUNTING_LIMIT))


def counting_limit() -> str:
    """The app's ``POLKU_RATE_LIMIT_COUNTING`` (portal/config.py reads it with the other limits); empty: no limit."""
    return str(current_app.config.get(COUNTING_LIMIT_SETTING, DEFAULT_COUNTING_LIMIT)).strip()


def may_count() -> bool:
    """Whether this follow is within the client address's counting budget (and spends it); see the module's doc."""
    text = counting_limit()
    if limits_off() or not text:
        return True
    items = _limit_items(text)
    try:
        strategy = limiter.limiter
        address = client_address()
        return all([strategy.hit(item, "polku", "counting", address) for item in items])  # every window spent
    except Exception:  # noqa: BLE001 - a failing storage must not stop counting or the link
        current_app.logger.warning("could not check the counting links' rate limit", exc_info=True)
        return True


def channel_address(channel: str, task_channel: str, contact: Contact) -> str | None:
    """Where a task's ``channel`` link leads, from the task's channel and contact; None: the task has no such link.

    The plan's templates show a link exactly when this gives an address, so every link shown can be followed."""
    if channel == "eservice" and task_channel in WEB_CHANNELS and contact.url:
        return contact.url
    if channel == "phone" and contact.phone:
        return "tel:" + contact.phone.replace(" ", "")
    if channel == "in_person" and task_channel == "in_person" and contact.url:
        return contact.url
    return None


def _personal_checklist(event: LifeEvent) -> list[ChecklistEntry]:
    """The checklist the plan page showed: of the saved plan named by ?plan= (the person's own, else 404), or of
    the journey in this session."""
    raw_plan = request.args.get("plan")
    if raw_plan is not None:
        plan_id = whole_number(raw_plan)
        if plan_id is None:
            abort(404)
        saved = owned(SavedPlan, plan_id)
        if saved.event_id != event.id:
            abort(404)
        return saved_plans.view(saved, event, today(), places(), directory()).checklist
    state = current_walk(event)
    return build_checklist(event, state.answers, today(), directory()) if state.complete else []


def _general_contact(event: LifeEvent, task_id: str) -> tuple[str, Contact]:
    """The task's channel and its organisation's contact in the life event's file (no answers needed)."""
    item = next((i for i in event.checklist if i.id == task_id), None)
    if item is None:
        abort(404)
    org = event.organisations[item.responsible]
    locale = directory().locale
    return item.channel, Contact(name_msgid=org.name, url=org.url.display(locale) if org.url else None, phone=org.phone)


@bp.get("/<event_id>/<task_id>/<channel>")
def go(event_id: str, task_id: str, channel: str) -> ResponseReturnValue:
    """Count the channel a task's link led to (within the address's counting limit), and go there (302)."""
    event = life_event_or_404(event_id)
    if channel not in CHANNELS or not any(i.id == task_id for i in event.checklist):
        abort(404)
    entry = next((e for e in _personal_checklist(event) if e.item.id == task_id), None)
    task_channel, contact = (entry.item.channel, entry.contact) if entry else _general_contact(event, task_id)
    address = channel_address(channel, task_channel, contact)
    if address is None:
        abort(404)
    if may_count():
        count_channel(event.id, task_id, channel)
    response = redirect(address, 302)
    response.headers["Cache-Control"] = "no-store"  # every click is a request, so every click counts
    return response
