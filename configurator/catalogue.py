"""The service catalogue as the domain sees it: plain, immutable records and the query it needs.

The portal maps database rows onto these records; the comparison never sees SQL. The records stay
stdlib dataclasses (built for hundreds of units per request, from rows the file models and the database
have already checked), but their fields are annotated with the shared field types
(``configurator.schemas.fields``) and the vocabulary types below, so ``pydantic.TypeAdapter(EcecUnitRecord)``
validates and describes one with the same rules and error paths as the data files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Protocol

from pydantic import BeforeValidator

from .i18n import N_
from .names import Localized
from .schemas.fields import (
    DayRange,
    EuroAmount,
    MunicipalityCode,
    NonNegativeInt,
    PositiveInt,
    PostalCode,
    TimeOfDay,
    enum_schema,
    one_of,
)

CARE_TYPES = {
    "day_care_centre": N_("Day care centre"),
    "group_family_day_care": N_("Group family day care"),
    "family_day_care": N_("Family day care"),
}
PROVIDER_TYPES = {
    "municipal": N_("Municipal"),
    "purchased": N_("Private, bought by the municipality"),
    "private_voucher": N_("Private, with a service voucher"),
}
AGE_GROUPS = {"under_3": N_("Under 3 years"), "3_and_over": N_("3 years or older")}
LANGUAGES = {"fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English")}
# Who reported availability: roles, so the report reads in the page's language.
REPORTER_ROLES = {
    "unit_director": N_("the unit director"),
    "family_day_care_supervisor": N_("the family day care supervisor"),
    "family_day_carer": N_("the family day carer"),
    "group_family_day_care_leader": N_("the group family day care leader"),
    "shift_care_coordinator": N_("the shift care coordinator"),
    "generator": N_("the test data generator"),
    "ecec_office": N_("the municipal early childhood education office"),
    "private_provider": N_("the day care provider"),
    "catalogue_admin": N_("the service catalogue administrator"),
}
ACCESSIBILITY_FACTS = {
    "step_free_entrance": N_("Step-free entrance"),
    "accessible_toilet": N_("Accessible toilet"),
    "accessible_parking": N_("Accessible parking"),
    "induction_loop": N_("Induction loop"),
}

# The vocabularies as field types: a value outside one is "unknown care_type 'x' (expected one of [...])".
CareType = Annotated[str, BeforeValidator(one_of(CARE_TYPES, "care_type")), enum_schema(CARE_TYPES)]
ProviderType = Annotated[str, BeforeValidator(one_of(PROVIDER_TYPES, "provider_type")), enum_schema(PROVIDER_TYPES)]
AgeGroup = Annotated[str, BeforeValidator(one_of(AGE_GROUPS, "age group")), enum_schema(AGE_GROUPS)]
ReporterRole = Annotated[str, BeforeValidator(one_of(REPORTER_ROLES, "reporter role")), enum_schema(REPORTER_ROLES)]


@dataclass(frozen=True)
class OpeningHours:
    days: DayRange  # "mo-fr", "mo-su"
    opens: TimeOfDay  # "06:30"
    closes: TimeOfDay  # "17:00", "24:00"


@dataclass(frozen=True)
class Availability:
    free_places: NonNegativeInt
    queue_weeks: NonNegativeInt
    updated_at: datetime
    updated_by: ReporterRole


@dataclass(frozen=True)
class EcecUnitRecord:
    id: PositiveInt
    name: str
    name_sv: str | None
    street_address: str
    postal_code: PostalCode
    municipality_code: MunicipalityCode
    latitude: float
    longitude: float
    languages: tuple[str, ...]
    care_type: CareType
    provider_type: ProviderType
    shift_care: bool
    serves_under_3: bool
    serves_3_and_over: bool
    opening_hours: tuple[OpeningHours, ...] = ()
    availability: dict[AgeGroup, Availability] = field(default_factory=dict)
    monthly_price: EuroAmount | None = None
    accessibility: dict[str, bool | None] = field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    web_url: str | None = None
    eservice_url: str | None = None
    is_demo: bool = True
    # The language versions of web_url and eservice_url where the catalogue knows them (``address`` picks one).
    web_urls: Localized | None = None
    eservice_urls: Localized | None = None

    def serves(self, age_group: str) -> bool:
        return self.serves_under_3 if age_group == "under_3" else self.serves_3_and_over

    @property
    def shift_care_only(self) -> bool:
        """A shift care unit open round the clock (a vuoropäiväkoti) takes only children who need shift care.

        The catalogue has no field for this yet; a unit with extended hours (evenings, weekends) also
        takes children who need day care only, so only round-the-clock opening counts.
        """
        return self.shift_care and any(h.opens == "00:00" and h.closes == "24:00" for h in self.opening_hours)

    @property
    def names(self) -> Localized:
        return Localized(self.name, self.name_sv)

    def address(self, locale: str | None) -> str | None:
        """The e-service (else web) address in the page's language, where the site has that version."""
        versions = self.eservice_urls or self.web_urls
        return versions.display(locale) if versions else (self.eservice_url or self.web_url)

    def display_name(self, locale: str) -> str:
        return self.names.display(locale)


class EcecCatalogue(Protocol):
    """The queries the ECEC comparison needs; implemented over the database by the portal."""

    def units_within(self, latitude: float, longitude: float, radius_km: float) -> list[EcecUnitRecord]: ...

    def municipal_pricing(self, municipality_code: str, on: date) -> MunicipalPricing | None: ...


@dataclass(frozen=True)
class MunicipalPricing:
    """A municipality's own ECEC fee decisions as plain data (part-time steps, voucher values)."""

    municipality_code: MunicipalityCode
    valid_from: date
    part_time_steps: tuple[tuple[Decimal, Decimal], ...]  # (max_hours, coefficient), ascending
    voucher_under_3: EuroAmount
    voucher_3_and_over: EuroAmount
    max_surcharge: EuroAmount
    source: str
