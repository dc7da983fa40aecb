"""A cost breakdown ("How this is calculated") built in Python: the markup of the ``breakdown_template`` macro of
templates/journey/_breakdown.html, which stays its readable definition; the ``breakdown`` macro every page calls
writes this.

A plan page shows a breakdown for the municipal fee and one per distinct price among its unit cards (portal/
journey/results.py ``shared_breakdown``), seven or so: each step of one was six template calls (translations,
the date, the source, the estimate tag), some 0.1 ms a breakdown. A step's rule, date and source come from the
parameter files, not from the person, and are written once per language (``_rules``).
tests/web/test_page_render_fast_paths.py renders the breakdowns of every life event's plan both ways and compares
them byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from ..i18n import format_date, marked_gettext, request_locale_key, source_text, translate_with

RULES_KEPT = 4096  # languages x the rules, dates and sources of the parameter files; emptied when full
_rules: dict[tuple[Any, ...], str] = {}


def breakdown_html(steps: Iterable[Any], element_id: str) -> Markup:
    """The breakdown of ``steps`` (BreakdownStep) as a details element whose list has the id ``element_id``."""
    out = [
        '<details class="details">\n  <summary class="details__summary"><span>',
        marked_gettext("How this is calculated"),
        '</span></summary>\n  <div class="details__text">\n    <ol class="breakdown" id="',
        escape(element_id),
        '">\n      ',
    ]
    locale = request_locale_key()
    for step in steps:
        out += [
            '\n      <li>\n        <span class="breakdown__formula">',
            escape(translate_with(step.label, step.values)),
        ]
        out += [
            '</span>\n        <span class="breakdown__rule">',
            _rule_text(step, locale),
            "</span>\n      </li>\n      ",
        ]
    out.append("\n    </ol>\n  </div>\n</details>")
    return Markup("".join(out))


def _rule_text(step: Any, locale: str) -> str:
    """A step's rule, its date and source (and the estimate tag): parameter data, the same for everyone, so
    written once per language and kept."""
    key = (locale, step.rule, step.valid_from, step.source, step.estimate)
    text = _rules.get(key)
    if text is None:
        parts = [marked_gettext(step.rule), ". "]
        parts += [marked_gettext("Valid from %(date)s.", date=format_date(step.valid_from, "long")), " "]
        parts += [marked_gettext("Source:"), " ", escape(source_text(step.source))]
        if step.estimate:
            tags = current_app.jinja_env.get_template("macros/tags.html").module
            parts += [" ", tags.estimate_tag()]  # type: ignore[attr-defined]
        if len(_rules) >= RULES_KEPT:
            _rules.clear()
        text = _rules[key] = "".join(parts)
    return text
