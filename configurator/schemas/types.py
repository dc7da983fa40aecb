"""Field types shared by the data-file models and the API's models: dates, euro amounts, codes, opening
hours, accessibility facts and the catalogue's vocabularies, gathered from ``fields`` (no domain imports)
and from the domain modules that own each vocabulary.

Why one module: the same rule (a municipality code is three digits, an amount has at most cents, a care
type is one of the catalogue's) must hold in a YAML file and in an API request or response.
"""

from __future__ import annotations

from pydantic import StrictBool

from ..catalogue import (
    ACCESSIBILITY_FACTS,
    AgeGroup,
    CareType,
    ProviderType,
    ReporterRole,
)
from ..service_points import AppointmentChannel, Charge, FeeUnit, ServiceKind
from .fields import (
    BUSINESS_ID_PATTERN,
    BusinessId,
    DayRange,
    DecimalText,
    EuroAmount,
    FileModel,
    IsoDate,
    IsoDateTime,
    LanguageList,
    Link,
    MunicipalityCode,
    NonEmpty,
    NonNegativeInt,
    Number,
    OpeningHoursEntry,
    OpeningHoursList,
    PositiveInt,
    PostalCode,
    Text,
    TimeOfDay,
    business_id_check_digit,
    enum_schema,
    one_of,
    valid_business_id,
)

__all__ = [
    "BUSINESS_ID_PATTERN",
    "Accessibility",
    "AgeGroup",
    "AppointmentChannel",
    "BusinessId",
    "CareType",
    "Charge",
    "DayRange",
    "DecimalText",
    "EuroAmount",
    "FeeUnit",
    "FileModel",
    "IsoDate",
    "IsoDateTime",
    "LanguageList",
    "Link",
    "MunicipalityCode",
    "NonEmpty",
    "NonNegativeInt",
    "Number",
    "OpeningHoursEntry",
    "OpeningHoursList",
    "PositiveInt",
    "PostalCode",
    "ProviderType",
    "ReporterRole",
    "ServiceKind",
    "Text",
    "TimeOfDay",
    "business_id_check_digit",
    "enum_schema",
    "one_of",
    "valid_business_id",
]


class Accessibility(FileModel):
    """The accessibility facts of a place: true, false or null (not known; never shown as "no")."""

    step_free_entrance: StrictBool | None = None
    accessible_toilet: StrictBool | None = None
    accessible_parking: StrictBool | None = None
    induction_loop: StrictBool | None = None

    def facts(self) -> dict[str, bool | None]:
        """Every fact of ``configurator.catalogue.ACCESSIBILITY_FACTS`` by name."""
        return {fact: getattr(self, fact) for fact in ACCESSIBILITY_FACTS}


assert set(Accessibility.model_fields) == set(ACCESSIBILITY_FACTS), "Accessibility must list every fact"
