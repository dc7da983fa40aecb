"""The own space: saved plans (list, page, print, share, calendar file), messages, My data and consents.

``views`` holds the routes (blueprints ``own`` and ``shared``), ``forms`` the fixed forms, and one module per
service: ``consents``, ``messages`` (``notify`` and the texts), ``export`` (the My data document) and
``calendar_export`` (the ``.ics`` file). Templates: ``templates/own/``.
"""

from .views import bp, shared_bp

__all__ = ["bp", "shared_bp"]
