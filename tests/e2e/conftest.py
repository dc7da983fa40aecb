"""Fixtures of the end-to-end tests: the same Chromium as the accessibility tests (one per session),
a fresh browser context per test, and the app's own translations for the expected texts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.accessibility.conftest import new_page, pw_browser  # noqa: F401 - shared fixtures


class Localized:
    """Expected texts computed from the app's gettext catalogs, so tests hold before and after translation."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def text(self, lang: str, msgid: str, **values: Any) -> str:
        from flask_babel import force_locale, gettext

        with self.app.test_request_context(f"/{lang}/"), force_locale(lang):
            return gettext(msgid, **values)

    def render(self, lang: str, source: str, **context: Any) -> str:
        """A Jinja snippet rendered as a page in `lang` would render it (the app's filters: eur, number, ...)."""
        from flask import g, render_template_string
        from flask_babel import force_locale

        with self.app.test_request_context(f"/{lang}/"), force_locale(lang):
            g.lang_code = lang
            return render_template_string(source, **context)

    def date(self, lang: str, day: date, format: str = "long") -> str:
        """A date as the pages write it: English day-month-year (en_GB), see tests/web/test_formats.py."""
        from flask_babel import force_locale, format_date

        from portal.i18n import format_locale

        with self.app.test_request_context(f"/{lang}/"), force_locale(format_locale(lang)):
            return format_date(day, format=format)


@pytest.fixture(scope="session")
def localized(app: Flask) -> Localized:
    return Localized(app)
