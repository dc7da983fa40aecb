"""Reservations: appointment times at service points and places at ECEC units, reserved at once when there
is room, never overbooked, and cancellable.

``views`` holds the routes (blueprint ``reservations``), ``forms`` the fixed forms and their error texts,
``services`` the reserving and cancelling itself (no Flask: the views, scripts and concurrency tests call it).
``visits`` the visits to ECEC units before deciding, also without signing in (issue 16).
Templates: ``templates/reservations/``.
"""

from . import visits  # noqa: F401  (the visit routes on the same blueprint)
from .views import bp

__all__ = ["bp"]
