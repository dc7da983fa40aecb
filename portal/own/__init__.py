"""The own space: saved plans (list, page, print, share, calendar file), messages, My data and consents.

``views`` holds the routes (blueprints ``own`` and ``shared``), ``forms`` the fixed forms, and one module per
service: ``consents``, ``messages`` (``notify`` and the texts), ``export`` (the My data document) and
``calendar_export`` (the ``.ics`` file), ``suggestions`` (suggested life events and their routes). Templates: ``templates/own/``.
"""

from . import suggestions  # noqa: F401 - its routes are on the own space's blueprint
from .views import bp, shared_bp

__all__ = ["bp", "shared_bp"]
