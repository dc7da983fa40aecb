"""The counting links the plan templates put on a task's channels (kept apart from ``views`` so the journey and
the own space can import it without importing the journey back)."""

from __future__ import annotations

from collections.abc import Callable

from flask import url_for


def channel_links(event_id: str, plan_id: int | None = None) -> Callable[[str, str], str]:
    """For the plan templates: (task id, channel) -> the counting link (``go`` in their context); ``plan_id`` names
    the own space's saved plan whose answers give the task's address (else the journey in the session)."""

    def link(task_id: str, channel: str) -> str:
        return url_for("metrics.go", event_id=event_id, task_id=task_id, channel=channel, plan=plan_id)

    return link
