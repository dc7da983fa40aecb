"""The API's shapes in the tests: money as the API writes it, and the fields a problem names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def eur(value: int | float | str | Decimal) -> dict[str, str]:
    """Money as the API answers it: {"amount": "80.90", "currency": "EUR"} (the figure is hand-derived)."""
    return {"amount": f"{Decimal(str(value)):.2f}", "currency": "EUR"}


def problem_fields(response: Any) -> list[str]:
    """The fields an RFC 9457 problem names, after checking its media type and members."""
    assert response.mimetype == "application/problem+json", response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == response.status_code and body["title"] and body["detail"]
    assert "{" not in body["detail"]
    return [error["field"] for error in body["errors"]]
