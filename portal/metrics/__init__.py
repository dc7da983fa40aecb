"""Measuring without tracking people (issue 16): the server counts journeys per life event, step and language,
and which channel a task's link led to. Counts only: no person, no session, no cookie of its own.

``models`` holds the two counter tables, ``counting`` raises them (and remembers in the server-side session what
a journey has counted), ``views`` the counting links of a plan's tasks (blueprint ``metrics``; ``links`` builds
them for the templates), ``funnel`` the figures the organisers' dashboard and ``flask feedback-report`` read.
"""

from . import models  # noqa: F401 - its tables on db.metadata wherever the portal is imported
from .views import bp

__all__ = ["bp"]
