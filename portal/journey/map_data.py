"""What an optional map on the results page shows: the same places as its table, and the person's own points."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_babel import gettext

from configurator.i18n import N_

from ..i18n import map_labels
from ..labels import per_catalog

POINT_LABELS = {"home": N_("Your home"), "work": N_("Your workplace"), "premises": N_("Your business premises")}


def map_data(
    markers: list[dict[str, Any]], answers: dict[str, Any], keys: tuple[str, ...], labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """What an optional map shows: the same places as its table, and the user's own points (``keys``; a place
    without a point is left off). ``kind`` gives each point its own marker shape (home, work, premises)."""
    points = []
    for key in keys:
        location = answers.get(key)
        if location is not None and location.place.point is not None:
            points.append(
                {
                    "lat": location.place.latitude,
                    "lon": location.place.longitude,
                    "label": gettext(POINT_LABELS[key]),
                    "kind": key,
                }
            )
    return {
        "points": points,
        "units": markers,
        "tiles": current_app.config.get("MAP_TILE_URL", ""),
        "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION", ""),
        "labels": _map_labels() | (labels or {}),
    }


def _map_labels() -> dict[str, str]:
    """The map's texts, translated once per language; map_data copies them (``|``), so no page changes them."""
    return per_catalog("map", map_labels)


def ecec_markers(rows: tuple) -> list[dict[str, Any]]:
    lang = g.get("lang_code", "fi")
    return [
        {
            "id": r.unit.id,
            "lat": r.unit.latitude,
            "lon": r.unit.longitude,
            "name": r.unit.display_name(lang),
            "room": r.has_room,
        }
        for r in rows
    ]


def service_markers(rows: tuple) -> list[dict[str, Any]]:
    """Service points; "room" means a free appointment, and the table rows are #service-<id>."""
    lang = g.get("lang_code", "fi")
    return [
        {
            "id": f"service-{r.point.id}",
            "lat": r.point.latitude,
            "lon": r.point.longitude,
            "name": r.point.display_name(lang),
            "room": r.point.next_free_appointment is not None,
        }
        for r in rows
    ]


SERVICE_MAP_LABELS = {"freePlaces": N_("Free appointment times"), "noRoom": N_("No free appointment times")}
