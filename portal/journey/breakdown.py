"""A cost breakdown ("How this is calculated") and a checklist task's figures built in Python: the markup of the
``breakdown_template`` and ``figures_template`` macros of templates/journey/_breakdown.html, which stay their
readable definitions; the ``breakdown`` and ``figures`` macros every page calls write these.

A plan page shows a breakdown for the municipal fee and one per distinct price among its unit cards (portal/
journey/results.py ``shared_breakdown``), seven or so: each step of one was six template calls (translations,
the date, the source, the estimate tag), some 0.1 ms a breakdown. A step's rule, date and source come from the
parameter files, not from the person, and are written once per language (``_rules``).
tests/web/test_page_render_fast_paths.py renders the breakdowns of every life event's plan both ways and compares
them byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from itertools import groupby
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
            parts += [" ", _estimate_tag()]
        if len(_rules) >= RULES_KEPT:
            _rules.clear()
        text = _rules[key] = "".join(parts)
    return text


def figures_html(steps: Sequence[Any], element_id: str) -> Markup:
    """A checklist task's figures (BreakdownStep), as the ``figures_template`` macro of journey/_breakdown.html
    writes them: the amounts in a list with the id ``element_id``, then each rule's latest date and sources once,
    the rules grouped and ordered as Jinja's ``groupby`` does (by the rule's lower case, the first step's own)."""
    estimate = _estimate_tag() if any(step.estimate for step in steps) else ""
    out = ['<ul class="list" id="', escape(element_id), '">\n  ']
    for step in steps:
        out += ["<li>", escape(translate_with(step.label, step.values))]
        out += [" ", estimate, "</li>"] if step.estimate else ["</li>"]
    out += [
        '\n</ul>\n<details class="details">\n  <summary class="details__summary"><span>',
        marked_gettext("Rules and sources"),
        '</span></summary>\n  <div class="details__text">\n    <ul class="list">\n      ',
    ]
    locale = request_locale_key()
    for _key, grouped in groupby(sorted(steps, key=_rule_order), _rule_order):
        group = list(grouped)
        latest, sources = max(step.valid_from for step in group), "; ".join(step.source for step in group)
        out += ["\n      <li>", _group_text(locale, group[0].rule, latest, sources), "</li>\n      "]
    out.append("\n    </ul>\n  </div>\n</details>")
    return Markup("".join(out))


def _rule_order(step: Any) -> Any:
    return step.rule.lower() if isinstance(step.rule, str) else step.rule


def _group_text(locale: str, rule: str, latest: date, sources: str) -> str:
    """A rule's line in a task's figures (parameter data, kept per language like ``_rule_text``)."""
    key = ("figures", locale, rule, latest, sources)
    text = _rules.get(key)
    if text is None:
        parts = [marked_gettext(rule), ". ", marked_gettext("Valid from %(date)s.", date=format_date(latest, "long"))]
        parts += [" ", marked_gettext("Source:"), " ", escape(source_text(sources))]
        if len(_rules) >= RULES_KEPT:
            _rules.clear()
        text = _rules[key] = "".join(parts)
    return text


def _estimate_tag() -> Markup:
    return current_app.jinja_env.get_template("macros/tags.html").module.estimate_tag()  # type: ignore[attr-defined,no-any-return]
