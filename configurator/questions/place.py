"""Questions answered with a place: a postal code, or a location (postal code, map point, street address)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

from ..geo import Place, PlaceResolver, in_finland
from ..i18n import N_
from .base import AnswerError, ParseContext, QuestionSpec, QuestionType, Raw, raw_text

POSTAL_CODE_MESSAGES: Mapping[str, str] = {
    "required": N_("Enter a postal code"),
    "invalid": N_("Enter a postal code of five digits, like 20100"),
    "unknown": N_("Enter a postal code that exists in Finland"),
}


@dataclass(frozen=True)
class LocationAnswer:
    place: Place
    street_address: str | None = None


def parse_postal_code(text: str, field_name: str, places: PlaceResolver) -> str:
    code = text.strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{5}", code):  # ASCII: \d would let '٢٠١٠٠' through to the lookup
        raise AnswerError(POSTAL_CODE_MESSAGES["invalid"], field_name)
    if not places.postal_code_exists(code):
        raise AnswerError(POSTAL_CODE_MESSAGES["unknown"], field_name, kind="unknown")
    return code


class PostalCodeType(QuestionType):
    """Five digits that name a Finnish postal area (every code of Finland is known)."""

    name = "postal_code"
    messages = POSTAL_CODE_MESSAGES

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> str:
        return parse_postal_code(raw_text(raw, question.id).strip(), question.id, ctx.places)


def location_fields(qid: str) -> tuple[str, str, str, str]:
    return f"{qid}-street_address", f"{qid}-postal_code", f"{qid}-lat", f"{qid}-lon"


# A map point's coordinate as the map picker writes it: plain decimal degrees in ASCII digits (float() would
# also take '٦٠', '1e309', 'nan' and 'inf').
_COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,15})?")


class LocationType(QuestionType):
    """A postal code, a map point, or both (the street address is kept as given, never geocoded).

    The postal code decides the municipality (every Finnish code names one, with or without a known
    centroid); a map point alone takes the municipality of the nearest postal area with a centroid. A
    point far from every known centroid needs the postal code: the point is kept and only the postal
    code is asked for. A postal code without a centroid gives a place without a point: valid, and the
    comparisons that measure distances say they need a point.
    """

    name = "location"
    messages: ClassVar[Mapping[str, str]] = {
        "required": N_("Enter a postal code or choose a point on the map"),
        "outside": N_("Choose a point in Finland"),
        "needs_postal_code": N_(
            "Enter the postal code as well: the point on the map does not tell which municipality it is in"
        ),
    }
    prefill_shapes = ("address",)
    is_place = True

    def field_names(self, qid: str) -> tuple[str, ...]:
        return location_fields(qid)

    def first_field(self, qid: str) -> str:
        return f"{qid}-postal_code"

    @property
    def error_kinds(self) -> frozenset[str]:
        return super().error_kinds | {"unknown"}  # its postal code's errors

    def _point(self, lat_text: str, lon_text: str, field_name: str) -> tuple[float, float]:
        if not (_COORDINATE.fullmatch(lat_text) and _COORDINATE.fullmatch(lon_text)):
            raise AnswerError(self.messages["outside"], field_name, kind="outside")
        lat, lon = float(lat_text), float(lon_text)
        if not in_finland(lat, lon):
            raise AnswerError(self.messages["outside"], field_name, kind="outside")
        return lat, lon

    def parse(self, question: QuestionSpec, raw: Raw, ctx: ParseContext) -> LocationAnswer:
        street_f, postal_f, lat_f, lon_f = location_fields(question.id)
        street = raw_text(raw, street_f).strip() or None
        lat_text, lon_text = raw_text(raw, lat_f).strip(), raw_text(raw, lon_f).strip()
        point = self._point(lat_text, lon_text, postal_f) if lat_text and lon_text else None
        postal_text = raw_text(raw, postal_f).strip()
        if postal_text or point is None:
            area = ctx.places.by_postal_code(parse_postal_code(postal_text, postal_f, ctx.places))
        else:
            area = ctx.places.nearest(*point)
        if area is None:
            raise AnswerError(self.messages["needs_postal_code"], postal_f, kind="needs_postal_code")
        if point is None:
            return LocationAnswer(area, street)
        return LocationAnswer(replace(area, latitude=point[0], longitude=point[1], precise=True), street)

    def raw_from_json(self, qid: str, value: Any) -> dict[str, str]:
        """``{"postal_code", "street_address", "lat", "lon"}`` (any of them), or a postal code on its own."""
        if value is None:
            return {}
        street_f, postal_f, lat_f, lon_f = location_fields(qid)
        if not isinstance(value, Mapping):
            return {postal_f: str(value)}
        mapping = {street_f: "street_address", postal_f: "postal_code", lat_f: "lat", lon_f: "lon"}
        return {name: str(value[key]) for name, key in mapping.items() if value.get(key) is not None}
