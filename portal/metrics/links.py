"""The counting links the plan templates put on a task's channels (kept apart from ``views`` so the journey and
the own space can import it without importing the journey back)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import url_for

# Task ids and channels are names from the life events' files: with only these characters, nothing in them is
# quoted in an address, so the link can be written into an address built once (the same bytes url_for gives).
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
_TASK, _CHANNEL = "TASK0PLACE", "CHANNEL0PLACE"


def channel_links(event_id: str, plan_id: int | None = None) -> Callable[[str, str], str]:
    """For the plan templates: (task id, channel) -> the counting link (``go`` in their context); ``plan_id`` names
    the own space's saved plan whose answers give the task's address (else the journey in the session).

    A plan page has a dozen of these links: the address is built once with url_for and the task and channel are
    put in (url_for each time was 0.3 ms a page); anything else goes through url_for."""
    built = url_for("metrics.go", event_id=event_id, task_id=_TASK, channel=_CHANNEL, plan=plan_id)
    head, rest = built.split(_TASK, 1) if built.count(_TASK) == 1 else ("", "")
    middle, tail = rest.split(_CHANNEL, 1) if rest.count(_CHANNEL) == 1 and _CHANNEL not in head else ("", "")

    def link(task_id: str, channel: str) -> str:
        if middle and _PLAIN.fullmatch(task_id) and _PLAIN.fullmatch(channel):
            return f"{head}{task_id}{middle}{channel}{tail}"
        return url_for("metrics.go", event_id=event_id, task_id=task_id, channel=channel, plan=plan_id)

    return link
