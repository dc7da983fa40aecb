"""Every national classification code the product publishes exists in the Suomi.fi list.

The codes are shown in the API (life events; its OpenAPI examples are the real answers), stored on the demo
catalogue's services. The list is the project's reference copy of the Suomi.fi code lists
(../shared/reference/ptv/ptv_codes.csv: scheme, code, names); a code that is not on it, or is on it
under another scheme (KE7 is a divorce, P18 geodata), would misfile the service nationally.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
import yaml

from configurator.lifeevents import default_life_events
from portal.demo import loader as demo_loader

REPO = Path(__file__).resolve().parents[2]
SCHEMES = {"life_event": "life_event", "target_group": "target_group", "service_class": "service_class"}


def _code_list() -> dict[str, str]:
    candidates = [
        Path(os.environ["POLKU_SHARED"]) if os.environ.get("POLKU_SHARED") else None,
        REPO.parent / "shared",
        Path("/work/shared"),
    ]
    for base in filter(None, candidates):
        path = base / "reference" / "ptv" / "ptv_codes.csv"
        if path.is_file():
            with path.open(encoding="utf-8", newline="") as handle:
                return {row["code"]: row["scheme"] for row in csv.DictReader(handle)}
    raise AssertionError("ptv_codes.csv not found: set POLKU_SHARED to the shared reference folder")


CODES = _code_list()


def _published() -> list[tuple[str, str, str]]:
    """(where, scheme, code) for every code the product publishes."""
    found = [
        (f"event {event.id}", scheme, code)
        for event in default_life_events().values()
        for scheme, code in event.codes.items()
    ]
    points = yaml.safe_load((REPO / "portal" / "demo" / "service_points.yaml").read_text(encoding="utf-8"))
    for service in points["services"]:
        found.append((f"demo service {service['key']}", "service_class", str(service["service_class"])))
        found.append((f"demo service {service['key']}", "target_group", str(service["target_group"])))
    found.append(("demo ECEC units", "service_class", demo_loader.ECEC_SERVICE_CLASS))
    found.append(("demo ECEC units", "target_group", demo_loader.ECEC_TARGET_GROUP))
    return found


@pytest.mark.parametrize("where, scheme, code", _published(), ids=lambda v: str(v))
def test_published_code_is_in_the_national_list_under_its_scheme(where: str, scheme: str, code: str) -> None:
    assert scheme in SCHEMES, f"{where}: unknown code scheme {scheme!r}"
    assert CODES.get(code) == SCHEMES[scheme], f"{where}: {code} is not a {scheme} in ptv_codes.csv"


def test_the_events_carry_the_codes_of_their_life_situation() -> None:
    events = default_life_events()
    assert events["business"].codes == {"target_group": "KR2.8", "service_class": "P11.1"}
    assert events["unemployment"].codes["life_event"] == "KE8"
    assert events["unemployment"].codes["service_class"] == "P10.6"
