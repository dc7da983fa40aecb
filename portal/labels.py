"""The domain's label tables (care types, languages, channels, service kinds ...), translated once per request,
for every template: the comparison cards, the own space and the reservation pages all name things the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, SimpleNamespace
from typing import Any

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


# The tables of each catalog, translated once: they were a hundred translations on every page (a tenth of the
# results page's rendering). Keyed on the catalog itself (kept with them, so its id stays its own); read-only.
_NAMES: dict[int, tuple[Any, SimpleNamespace]] = {}
_NAMES_SIZE = 16  # catalogs: three languages, a few more in a test run that builds many apps


def translated_names() -> SimpleNamespace:
    """The label tables in the request's language."""
    catalog = request_translations()
    found = _NAMES.get(id(catalog))
    if found is None or found[0] is not catalog:
        if len(_NAMES) >= _NAMES_SIZE:
            _NAMES.clear()
        found = _NAMES[id(catalog)] = (catalog, _translate_names())
    return found[1]


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
