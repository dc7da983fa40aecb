"""Moved to ``portal.own.messages``; kept only until every importer has switched (see /tmp/coord/moves.md)."""
from .own.messages import *  # noqa: F401,F403
from .own.messages import reminder_key, reminders_due  # noqa: F401
