"""Moved to ``portal.journey`` (issue 14, item 4); these names stay until their importers switch
(see /tmp/coord/moves.md)."""
from __future__ import annotations

import importlib
from typing import Any

_MOVED = {"bp": "portal.journey.views", "current_walk": "portal.journey.store", "raw_answers": "portal.journey.store",
          "mismatch_reason": "portal.journey.results"}


def __getattr__(name: str) -> Any:
    """A moved name, looked up when first read (PEP 562): importing this shim never starts an import cycle
    (portal.journey -> portal.own -> portal.reservations -> here -> portal.journey)."""
    if name not in _MOVED:
        raise AttributeError(name)
    return getattr(importlib.import_module(_MOVED[name]), name)
