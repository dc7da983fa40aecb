"""The organisers' side (issue 15): staff roles, access and pages (R-roles: ``access``, ``staleness``, ``views``),
and the write services (M-model: ``changes``, ``audit``, ``actor``). Blueprint "organisers" at /<lang>/organiser/."""

from __future__ import annotations

from flask import Blueprint

from ..i18n import add_lang_code, pull_lang_code

bp = Blueprint("organisers", __name__)
bp.url_value_preprocessor(pull_lang_code)
bp.url_defaults(add_lang_code)

from . import availability, csv_io, dashboard, feedback, log, prices, pricing, times, views  # noqa: E402,F401  (the routes register themselves on bp)

__all__ = ["bp"]
