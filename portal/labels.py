"""The domain's label tables (care types, languages, channels, service kinds ...), translated once per request,
for every template: the comparison cards, the own space and the reservation pages all name things the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType, SimpleNamespace
from typing import Any, TypeVar

from babel.lists import format_list
from flask import Flask
from flask_babel import get_locale, gettext

from configurator.catalogue import (
    ACCESSIBILITY_FACTS,
    AGE_GROUPS,
    CARE_TYPES,
    LANGUAGES,
    PROVIDER_TYPES,
    REPORTER_ROLES,
)
from configurator.lifeevents import CHANNELS
from configurator.service_points import (
    APPOINTMENT_CHANNELS,
    CHARGES,
    FEE_UNITS,
    SERVICE_KINDS,
)

from .i18n import request_translations


def label_context() -> dict[str, Any]:
    """``names`` (the translated tables; the results table reads them on every row) and ``name_list``."""
    return {"names": translated_names(), "name_list": name_list}


# Texts translated once per catalog: the label tables were a hundred translations on every page (a tenth of the
# results page's rendering), the sort and map labels a few dozen more. Keyed on the catalog object itself (kept
# with the texts, so its id stays its own); the values are read-only or copied by their users.
_PER_CATALOG: dict[tuple[str, int], tuple[Any, Any]] = {}
_PER_CATALOG_SIZE = 64  # three languages times a few tables; more catalogs in a test run that builds many apps

T = TypeVar("T")


def per_catalog(name: str, make: Callable[[], T]) -> T:
    """``make()`` (texts translated in the request's language) computed once per catalog and ``name``."""
    catalog = request_translations()
    key = (name, id(catalog))
    found = _PER_CATALOG.get(key)
    if found is None or found[0] is not catalog:
        if len(_PER_CATALOG) >= _PER_CATALOG_SIZE:
            _PER_CATALOG.clear()
        found = _PER_CATALOG[key] = (catalog, make())
    return found[1]


def translated_names() -> SimpleNamespace:
    """The label tables in the request's language."""
    return per_catalog("names", _translate_names)


def _translate_names() -> SimpleNamespace:
    def translated(table: dict[str, str]) -> Mapping[str, str]:
        return MappingProxyType({key: gettext(label) for key, label in table.items()})

    return SimpleNamespace(
        care_types=translated(CARE_TYPES),
        provider_types=translated(PROVIDER_TYPES),
        languages=translated(LANGUAGES),
        age_groups=translated(AGE_GROUPS),
        accessibility_facts=translated(ACCESSIBILITY_FACTS),
        channels=translated(CHANNELS),
        reporter_roles=translated(REPORTER_ROLES),
        service_kinds=translated(SERVICE_KINDS),
        charges=translated(CHARGES),
        fee_units=FEE_UNITS,
        appointment_channels=translated(APPOINTMENT_CHANNELS),
        fact_values=MappingProxyType({None: gettext("not known"), True: gettext("yes"), False: gettext("no")}),
    )


def name_list(names: list[str]) -> str:
    """Names joined as the page's language lists them: "Kaarina, Lieto ja Turku", "Kaarina, Lieto and Turku"."""
    return format_list(list(names), locale=str(get_locale() or "fi")) if names else ""


def init_labels(app: Flask) -> None:
    app.context_processor(label_context)
