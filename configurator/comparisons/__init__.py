"""Comparisons a life event can name in its data file ("comparison: kind: ecec_units")."""
from __future__ import annotations

from typing import Any, Callable

COMPARISONS: dict[str, Callable[..., Any]] = {}


def comparison(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a comparison builder under the name life-event files use."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        COMPARISONS[kind] = func
        return func

    return register


from . import ecec  # noqa: E402,F401  (registers the builders)
