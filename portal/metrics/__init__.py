"""Measuring without tracking people (issue 16): the server counts journeys per life event, step and language,
and which channel a task's link led to. Counts only: no person, no session, no cookie of its own."""

from . import models  # noqa: F401 - its tables on db.metadata wherever the portal is imported
