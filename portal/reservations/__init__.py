"""Reservations: appointment times at service points and places at ECEC units, reserved at once when there
is room, never overbooked, and cancellable.

``views`` holds the routes (blueprint ``reservations``), ``forms`` the fixed forms and their error texts,
``services`` the reserving and cancelling itself (no Flask: the views, scripts and concurrency tests call it).
``visits`` the visits to ECEC units before deciding, also without signing in (issue 16).
Templates: ``templates/reservations/``.
"""

from .views import bp
from .visits import bp as visits_bp

__all__ = ["bp", "visits_bp"]
