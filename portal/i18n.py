"""Language wiring: /fi/, /sv/, /en/ URL prefixes, Accept-Language at '/', locale-aware formatting."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale, dates, numbers
from flask import Flask, current_app, g, request, url_for
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations, gettext
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from configurator.babel_extract import source_msgid, source_parts

from .page_links import asset_url, fixed_url
from .template_globals import use_fast_template_globals

LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


def supported() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


# The Babel locale that formats each language's dates and numbers. English pages write day-month-year as the
# UK does ("12 April 2027", "12/04/2027"), not the US month first ("April 12, 2027", "4/12/27"), which a reader
# in Finland would misread. The catalog stays "en": gettext falls back from en_GB to en.
FORMAT_LOCALES = {"en": "en_GB"}


def select_language() -> str:
    """The page's language code (fi, sv, en): from the URL, else the browser's Accept-Language."""
    lang = getattr(g, "lang_code", None)
    if lang in supported():
        return lang
    return request.accept_languages.best_match(supported()) or current_app.config["BABEL_DEFAULT_LOCALE"]


def format_locale(lang: str) -> str:
    """The Babel locale for a language code (see FORMAT_LOCALES)."""
    return FORMAT_LOCALES.get(lang, lang)


def select_locale() -> str:
    """Flask-Babel's locale selector: the page's language, formatted as FORMAT_LOCALES says."""
    return format_locale(select_language())


def pull_lang_code(endpoint: str | None, values: dict[str, Any] | None) -> None:
    if values and "lang_code" in values:
        g.lang_code = values.pop("lang_code")


def add_lang_code(endpoint: str, values: dict[str, Any]) -> None:
    if "lang_code" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        return
    values["lang_code"] = getattr(g, "lang_code", None) or select_language()


def switch_language_url(lang: str) -> str:
    """The same page in another language, keeping the query (filters) and, through the session, the answers."""
    if request.endpoint is None or not current_app.url_map.is_endpoint_expecting(request.endpoint, "lang_code"):
        return url_for("pages.home", lang_code=lang)
    args = dict(request.view_args or {})
    args["lang_code"] = lang
    if request.method == "GET":
        for key in request.args:
            values = request.args.getlist(key)
            args[key] = values if len(values) > 1 else values[0]
    return url_for(request.endpoint, **args)


def use_language(lang: str) -> None:
    """Switch this request to ``lang`` after it started in another (a page rendered for a language chosen
    elsewhere, e.g. where a sign-in began): <html lang>, the switcher and the cached catalog follow."""
    g.lang_code = lang
    for cached in ("_polku_translations", "_polku_locale", "_polku_locale_key"):
        g.pop(cached, None)


def _request_store() -> dict[str, Any]:
    """The attributes of ``g`` as a plain dict, reached through Flask's application context variable: a page
    looks up its catalog and locale some 900 times, and each ``g.get`` goes through Werkzeug's proxy (about
    1 µs, ten times the dict look-up). The same values as ``g``'s: ``g.get(name)`` reads this dict, and
    use_language empties it through ``g.pop``."""
    return _cv_app.get().g.__dict__


def request_locale() -> Locale:
    """The request's Babel locale, looked up once (Flask-Babel resolves it on every format call)."""
    store = _request_store()
    cached = store.get("_polku_locale")
    if cached is None:
        cached = store["_polku_locale"] = get_locale() or Locale.parse(current_app.config["BABEL_DEFAULT_LOCALE"])
    return cached


# Formatted numbers and dates, shared by every request of the process: a results page formats the same
# distances, fees and dates on every card and on every request, and Babel parses its pattern and quantizes the
# value each time (it was a fifth of the page's rendering). The key is everything the text depends on: what is
# formatted (the value's type and exact text, so 1, 1.0 and Decimal('1.00') stay apart), how (the function and
# its pattern) and the locale. The cache is emptied when it grows past FORMAT_CACHE_SIZE (a few MB at most).
FORMAT_CACHE_SIZE = 20_000
_formatted: dict[tuple[Any, ...], str] = {}


def _locale_key() -> str:
    """The request's locale as a short cache key ('fi', 'en_GB'), computed once per request."""
    store = _request_store()
    cached = store.get("_polku_locale_key")
    if cached is None:
        cached = store["_polku_locale_key"] = str(request_locale())
    return cached


def request_locale_key() -> str:
    """The request's locale as a short text ('fi', 'en_GB'): a cache key of what is rendered in the page's
    language."""
    return _locale_key()


def _cached_format(kind: str, value: Any, pattern: str, make: Callable[[Locale], str]) -> str:
    """``make(locale)``'s text, formatted once per value, pattern and locale (see _formatted)."""
    key = (kind, value.__class__, str(value), pattern, _locale_key())
    text = _formatted.get(key)
    if text is None:
        if len(_formatted) >= FORMAT_CACHE_SIZE:
            _formatted.clear()
        text = _formatted[key] = make(request_locale())
    return text


def has_cents(amount: Decimal | int | float) -> bool:
    """Whether an amount is shown with two decimals: only when it has cents ("80,90 €"; "81 €", never "80,9 €")."""
    value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    return value != value.to_integral_value()


def eur(amount: Decimal | int | float | None) -> str:
    """Euros in the page's locale, the one money format of the pages: '80,90 €' / '81 €' in Finnish and
    Swedish, '€80.90' / '€81' in English."""
    if amount is None:
        return "–"
    suffix = _request_store().get("lang_code") in (
        "fi",
        "sv",
    )  # the pattern follows the page's language, not only its locale
    return _cached_format("eur", amount, "suffix" if suffix else "prefix", lambda locale: _eur(amount, suffix, locale))


def _eur(amount: Decimal | int | float, suffix: bool, locale: Locale) -> str:
    pattern = "#,##0.00 ¤" if suffix else "¤#,##0.00"
    if not has_cents(amount):
        pattern = pattern.replace(".00", "")
    return numbers.format_currency(amount, "EUR", format=pattern, currency_digits=False, locale=locale)


def euro_number(amount: Decimal | int | float) -> str:
    """An amount for a text that writes "€" itself ("{amount} €"): the number as eur() shows it."""
    return _cached_format(
        "euro_number",
        amount,
        "",
        lambda locale: numbers.format_decimal(
            amount, format="#,##0.00" if has_cents(amount) else "#,##0", locale=locale
        ),
    )


def number(value: Any, digits: int = 1) -> str:
    pattern = "#,##0." + "#" * digits if digits else "#,##0"
    return _cached_format(
        "number", value, pattern, lambda locale: numbers.format_decimal(value, format=pattern, locale=locale)
    )


def format_date(value: date, format: str = "medium") -> str:
    """flask_babel.format_date without its per-call locale lookup (templates call it per table row), each
    day's text formatted once per format and locale (see _formatted). None is Babel's today, never cached."""
    if value is None:
        return dates.format_date(None, format=format, locale=request_locale())
    return _cached_format("date", value, format, lambda locale: dates.format_date(value, format=format, locale=locale))


def format_time(value: datetime | time) -> str:
    return dates.format_time(value, format="short", locale=request_locale())


DAY_CODES = ("mo", "tu", "we", "th", "fr", "sa", "su")


def day_range(code: str) -> str:
    """'mo-fr' as the locale writes weekday ranges ('ma–pe', 'mån–fre', 'Mon–Fri'), from CLDR day names;
    'mo-su' is every day. An unknown code is shown as it is."""
    if code == "mo-su":
        return gettext("Every day")
    names = dates.get_day_names("abbreviated", locale=request_locale())
    parts = code.split("-")
    if not all(part in DAY_CODES for part in parts):
        return code
    text = "–".join(names[DAY_CODES.index(part)] for part in parts)
    return text[:1].upper() + text[1:]


def long_date(value: date) -> str:
    return format_date(value, "long")


def format_value(key: str, value: Any, money: bool = False) -> str:
    """Format a breakdown value for the locale; labels carry their own units (€, %, h), and a value the label
    writes as "{key} €" is money (see money_keys)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return fast_gettext(value) if value and value[0].isupper() else value
    if money and not isinstance(value, bool):
        return euro_number(value)
    return number(value, 2)


@cache
def money_keys(msgid: str) -> frozenset[str]:
    """The placeholders a domain message writes as euros ("{amount} €"), read from its English msgid."""
    return frozenset(re.findall(r"\{(\w+)\} €", msgid))


_placeholders: dict[str, frozenset[str] | None] = {}
_FORMATTER = string.Formatter()


def placeholder_names(text: str) -> frozenset[str] | None:
    """The names of the ``{name}`` fields ``text.format`` reads, once per text; None where that is not plain
    (positional or nested fields, a text str.format cannot parse), and then every value is formatted."""
    if text in _placeholders:
        return _placeholders[text]
    names: frozenset[str] | None
    try:
        fields = [(field, spec) for _text, field, spec, _conversion in _FORMATTER.parse(text) if field is not None]
        heads = {re.split(r"[.\[]", field, maxsplit=1)[0] for field, _spec in fields}
        plain = all(head and not head.isdigit() for head in heads) and not any(
            "{" in (spec or "") for _f, spec in fields
        )
        names = frozenset(heads) if plain else None
    except ValueError:
        names = None
    if len(_placeholders) >= FORMAT_CACHE_SIZE:
        _placeholders.clear()
    _placeholders[text] = names
    return names


def translate_with(msgid: str, values: Mapping[str, Any] | None = None) -> str:
    """Translate a domain message id and fill its named placeholders with locale-formatted values.

    A ``Plural`` msgid picks its form by the value it names.
    """
    count = values.get(getattr(msgid, "count_key", ""), None) if values else None
    text = fast_ngettext(msgid, msgid.plural, int(count)) if count is not None else fast_gettext(msgid)
    if not values:
        return text
    euros = money_keys(str(msgid))
    used = placeholder_names(text)
    if used is not None:  # only the values the text shows: a task's values are all of the plan's answers
        values = {key: values[key] for key in used if key in values}
    formatted = {key: format_value(key, value, key in euros) for key, value in values.items()}
    try:
        return text.format(**formatted)
    except (KeyError, IndexError, ValueError):
        return text


def option_pairs(question: Any) -> list[tuple[str, str]]:
    """A choice question's options as (value, translated label) pairs for the radios macro."""
    return [(option.value, gettext(option.label)) for option in question.options]


def map_labels() -> dict[str, str]:
    """Translated texts for the map scripts (zoom controls, announcements), from the request's catalog."""
    return {
        "zoomIn": fast_gettext("Zoom in"),
        "zoomOut": fast_gettext("Zoom out"),
        "freePlaces": fast_gettext("Free places"),
        "noRoom": fast_gettext("No free places"),
        "chosen": fast_gettext("Chosen point: latitude %(lat)s, longitude %(lon)s"),
        "cleared": fast_gettext("The map point is removed."),
        "unitLink": fast_gettext("Show in the table"),
        "home": fast_gettext("Your home"),
        "work": fast_gettext("Your workplace"),
    }


def request_translations() -> Any:
    """The request's catalog, looked up once: Flask-Babel resolves locale and domain on every call,
    which dominated the render time of the results page."""
    store = _request_store()
    cached = store.get("_polku_translations")
    if cached is None:
        cached = store["_polku_translations"] = get_translations()
    return cached


def fast_gettext(message: str) -> str:
    return request_translations().ugettext(message)


def fast_ngettext(singular: str, plural: str, n: int) -> str:
    return request_translations().ungettext(singular, plural, n)


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    """``_()`` and ``gettext()`` in templates: what Jinja's newstyle gettext does with fast_gettext (the catalog's
    text, as Markup when autoescaping, always %-formatted with the escaped ``variables``), in one call. Jinja's
    own goes through three (an alias that looks up ``gettext``, its wrapper, the function), and a results page
    translates some 400 texts: the calls cost more than the look-ups. Positional-only, as a text's variables
    may have any name (``message=`` is one).

    It takes the evaluation context, not the template context as Jinja's does: all it reads is whether to
    autoescape, and a function that takes the template context is given a new copy of it at each call made
    after a ``{% set %}`` in a block or loop (Jinja's Context.call, ``derived``). A text without variables and
    without a % sign is what %-formatting would give, as it is."""
    if eval_ctx.autoescape:
        return marked_gettext(message, **variables)
    text = request_translations().ugettext(message)
    return text if not variables and "%" not in text else text % variables


def marked_gettext(message: str, /, **variables: Any) -> Markup:
    """What ``_()`` gives in an autoescaped template (see template_gettext), for Python that writes markup."""
    text = Markup(request_translations().ugettext(message))
    if not variables and "%" not in text:
        return text
    return text % variables


@pass_eval_context
def template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any) -> str:
    """``ngettext()`` in templates: Jinja's newstyle ngettext with fast_ngettext in one call (see template_gettext);
    ``num`` is a variable of the text unless given."""
    variables.setdefault("num", num)
    text = request_translations().ungettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def source_text(source: str | None) -> str:
    """A figure's citation in the page's language. The parameter files cite in English (the API shows that);
    each part of a joined citation is its own catalog entry, so parts are translated one by one, and a part
    repeated by several figures is shown once."""
    if not source:
        return ""
    catalog = request_translations()
    parts = dict.fromkeys(source_parts(source))
    return "; ".join(catalog.ugettext(source_msgid(part)).replace("%%", "%") for part in parts)


def init_i18n(app: Flask) -> None:
    """The templates' translation and formatting functions; and, as this sets up the Jinja environment the pages
    render with, the cheaper imports of portal/template_globals.py and the language's fixed page links
    (portal/page_links.py)."""
    use_fast_template_globals(app.jinja_env)
    app.jinja_env.globals.update(fixed_url=fixed_url, asset_url=asset_url)  # the pages' fixed links (page_links.py)
    app.jinja_env.install_gettext_callables(fast_gettext, fast_ngettext, newstyle=True)
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    app.jinja_env.filters["eur"] = eur
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["t"] = translate_with
    app.jinja_env.globals.update(
        switch_language_url=switch_language_url,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        t=translate_with,
        format_date=format_date,
        format_time=format_time,
        day_range=day_range,
        option_pairs=option_pairs,
        map_labels=map_labels,
        source_text=source_text,
    )
