"""The model of the demo region's postal-area centroids (portal/demo/postal_centroids.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import model_validator

from .errors import validate_file
from .places import FINLAND_BBOX, inside
from .types import FileModel, NonEmpty, PostalCode


class Point(FileModel):
    """A WGS84 point in Finland, in decimal degrees."""

    lat: float
    lon: float

    @model_validator(mode="after")
    def _in_finland(self) -> Point:
        if not inside(self.lat, self.lon, FINLAND_BBOX):
            raise ValueError(f"({self.lat}, {self.lon}) is not in Finland")
        return self


def _code_keys(centroids: Any) -> Any:
    """YAML reads an unquoted 20100 as a number; the code is its five digits (leading zeros need quotes)."""
    if isinstance(centroids, dict):
        return {
            str(code) if isinstance(code, int) and not isinstance(code, bool) else code: point
            for code, point in centroids.items()
        }
    return centroids


class PostalCentroidsFile(FileModel):
    centroids: Annotated[dict[PostalCode, Point], NonEmpty]

    @model_validator(mode="before")
    @classmethod
    def _string_keys(cls, data: Any) -> Any:
        if isinstance(data, dict) and "centroids" in data:
            return {**data, "centroids": _code_keys(data["centroids"])}
        return data


def check_centroids(data: Any, file: str | Path) -> dict[str, tuple[float, float]]:
    """``{code: (lat, lon)}`` of a validated centroid file; DataFileError naming every problem otherwise."""
    centroids = validate_file(PostalCentroidsFile, data, file).centroids
    return {code: (point.lat, point.lon) for code, point in centroids.items()}
