"""Public service points as the domain sees them: advice, authorities and care near a place.

Life events other than ECEC compare the service points that serve the user's municipality
(business advice, the food control authority, the employment area, debt advice, health care):
where they are, when they are open or answer the phone, in which languages, how accessible,
what they cost and when the next free appointment is. The portal maps database rows onto these
records; the comparison never sees SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Protocol

from pydantic import BeforeValidator

from .catalogue import OpeningHours
from .i18n import N_
from .names import Localized, localized
from .schemas.fields import (
    EuroAmount,
    MunicipalityCode,
    PositiveInt,
    PostalCode,
    enum_schema,
    one_of,
)

# The kinds of service a life event can ask for ("service_kinds" in a comparison or an organisation).
SERVICE_KINDS = {
    "business_advice": N_("Business advice"),
    "food_control": N_("Food control authority"),
    "employment_services": N_("Employment services"),
    "rural_business": N_("Rural business services"),
    "debt_advice": N_("Debt advice"),
    "health_centre": N_("Health centre"),
    "mental_health": N_("Mental health services"),
}
CHARGES = {"free": N_("Free"), "chargeable": N_("Chargeable")}
FEE_UNITS = {"visit": N_("{fee} a visit"), "hour": N_("{fee} an hour"), "decision": N_("{fee} a decision")}
# The nearby-services comparison's language filter: the languages a point can say it serves in, as the choice
# reads ("Serves in Swedish"). The page's own language is not assumed: a person reading in Swedish may want
# Finnish service and the other way round, so nothing is filtered until the person chooses.
SERVES_IN = {"fi": N_("Serves in Finnish"), "sv": N_("Serves in Swedish"), "en": N_("Serves in English")}
# How an appointment is held.
APPOINTMENT_CHANNELS = {"in_person": N_("At the service point"), "phone": N_("By phone"), "video": N_("By video")}

# The vocabularies as field types (see configurator.catalogue).
ServiceKind = Annotated[str, BeforeValidator(one_of(SERVICE_KINDS, "kind")), enum_schema(SERVICE_KINDS)]
Charge = Annotated[str, BeforeValidator(one_of(CHARGES, "charge")), enum_schema(CHARGES)]
FeeUnit = Annotated[str, BeforeValidator(one_of(FEE_UNITS, "fee_unit")), enum_schema(FEE_UNITS)]
AppointmentChannel = Annotated[
    str, BeforeValidator(one_of(APPOINTMENT_CHANNELS, "appointment channel")), enum_schema(APPOINTMENT_CHANNELS)
]


@dataclass(frozen=True)
class ServicePointRecord:
    """One place where a service is given, with what a person needs to choose it."""

    id: PositiveInt
    kind: ServiceKind
    service_name: dict[str, str]  # by language: {"fi": ..., "sv": ..., "en": ...}
    organisation: str  # its name in Finnish; organisation_names has the other languages it has
    name: str
    name_sv: str | None
    street_address: str
    postal_code: PostalCode
    municipality_code: MunicipalityCode
    latitude: float
    longitude: float
    languages: tuple[str, ...]
    serves_municipalities: frozenset[MunicipalityCode]
    opening_hours: tuple[OpeningHours, ...] = ()
    phone_hours: tuple[OpeningHours, ...] = ()
    charge: Charge = "free"
    fee: EuroAmount | None = None  # EUR, when chargeable and the fee is known
    fee_unit: FeeUnit | None = None  # "visit", "hour", "decision": what the fee is for (FEE_UNITS)
    next_free_appointment: datetime | None = None
    appointment_channels: tuple[AppointmentChannel, ...] = ()
    accessibility: dict[str, bool | None] = field(default_factory=dict)
    phone: str | None = None
    email: str | None = None
    web_url: str | None = None
    eservice_url: str | None = None
    is_demo: bool = True
    # The language versions of web_url and eservice_url where the catalogue knows them (``address`` picks one).
    web_urls: Localized | None = None
    eservice_urls: Localized | None = None
    organisation_names: Localized | None = None

    def organisation_name(self, locale: str | None) -> str:
        """The responsible organisation's name in the page's language, else in Finnish."""
        return self.organisation_names.display(locale) if self.organisation_names else self.organisation

    @property
    def names(self) -> Localized:
        return Localized(self.name, self.name_sv)

    def address(self, locale: str | None) -> str | None:
        """The e-service (else web) address in the page's language, where the site has that version."""
        versions = self.eservice_urls or self.web_urls
        return versions.display(locale) if versions else (self.eservice_url or self.web_url)

    def display_name(self, locale: str) -> str:
        return self.names.display(locale)

    def service_display_name(self, locale: str) -> str:
        names = localized(self.service_name.get("fi"), self.service_name.get("sv"), self.service_name.get("en"))
        return names.display(locale) if names else self.name

    def serves(self, municipality_code: str) -> bool:
        return municipality_code in self.serves_municipalities

    def serves_in(self, language: str | None) -> bool:
        """Whether the point gives service in this language (None: any language will do)."""
        return language is None or language in self.languages


class ServiceCatalogue(Protocol):
    """The queries the service comparison and the checklist need; implemented over the database."""

    def service_points(self, kinds: tuple[str, ...], municipality_code: str, now: datetime) -> list[ServicePointRecord]:
        """Points of these kinds that serve the municipality (the area the service is responsible for),
        each with its next free appointment at or after ``now``."""
        ...
