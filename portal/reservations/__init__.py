"""Reservations: appointment times at service points and places at ECEC units, reserved at once when there
is room, never overbooked, and cancellable.

``views`` holds the routes (blueprint ``reservations``), ``forms`` the fixed forms and their error texts,
``services`` the reserving and cancelling itself (no Flask: the views, scripts and concurrency tests call it).
Templates: ``templates/reservations/``.
"""

from .views import bp

__all__ = ["bp"]
