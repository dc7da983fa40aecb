"""Life events as data: the domain types (``model``) and the loader that checks an event file (``loader``).

A life event is a YAML file in configurator/events/. Its strings are English message ids that the web layer
translates; its conditions are names of predicates in configurator.predicates.
"""

from __future__ import annotations

from .loader import EventFile, default_life_events, load_life_events, parse_life_event
from .model import (
    ALIGNMENTS,
    CHANNELS,
    DAY_OF_MONTH_UNIT,
    EVENTS_DIR,
    MAP_LAYERS,
    MAX_DECIMALS,
    MAX_MINUTES,
    OFFSET_UNITS,
    PERIOD_UNITS,
    REPEAT_FROM,
    AtHand,
    BeforeYouStart,
    ChecklistItem,
    ComparisonSpec,
    Condition,
    ContinueWith,
    DueRule,
    LifeEvent,
    LifeEventError,
    Option,
    OrganisationRef,
    Question,
    Repeat,
    Step,
)

__all__ = [
    "ALIGNMENTS",
    "CHANNELS",
    "DAY_OF_MONTH_UNIT",
    "EVENTS_DIR",
    "MAP_LAYERS",
    "MAX_DECIMALS",
    "MAX_MINUTES",
    "OFFSET_UNITS",
    "PERIOD_UNITS",
    "REPEAT_FROM",
    "AtHand",
    "BeforeYouStart",
    "ChecklistItem",
    "ComparisonSpec",
    "Condition",
    "ContinueWith",
    "DueRule",
    "EventFile",
    "LifeEvent",
    "LifeEventError",
    "Option",
    "OrganisationRef",
    "Question",
    "Repeat",
    "Step",
    "default_life_events",
    "load_life_events",
    "parse_life_event",
]
