"""Life events as data: the domain types (``model``) and the loader that checks an event file (``loader``).

A life event is a YAML file in configurator/events/. Its strings are English message ids that the web layer
translates; its conditions are names of predicates in configurator.predicates.
"""

from __future__ import annotations

from .loader import EventFile, default_life_events, load_life_events, parse_life_event
from .model import (
    ALIGNMENTS,
    CHANNELS,
    EVENTS_DIR,
    MAP_LAYERS,
    MAX_DECIMALS,
    MAX_MINUTES,
    OFFSET_UNITS,
    PERIOD_UNITS,
    AtHand,
    BeforeYouStart,
    ChecklistItem,
    ComparisonSpec,
    Condition,
    DueRule,
    LifeEvent,
    LifeEventError,
    Option,
    OrganisationRef,
    Question,
    Step,
)

__all__ = [
    "ALIGNMENTS",
    "CHANNELS",
    "EVENTS_DIR",
    "MAP_LAYERS",
    "MAX_DECIMALS",
    "MAX_MINUTES",
    "OFFSET_UNITS",
    "PERIOD_UNITS",
    "AtHand",
    "BeforeYouStart",
    "ChecklistItem",
    "ComparisonSpec",
    "Condition",
    "DueRule",
    "EventFile",
    "LifeEvent",
    "LifeEventError",
    "Option",
    "OrganisationRef",
    "Question",
    "Step",
    "default_life_events",
    "load_life_events",
    "parse_life_event",
]
