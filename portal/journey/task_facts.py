"""A checklist task's facts on the plan page, built in Python: the same markup as templates/journey/_task_facts.html
(the facts' readable definition, still what the own space's plan and print pages include).

A plan lists up to a dozen tasks, and each task's facts were some fifteen template calls (translations, the
counting links, escaping) through an ``{% include %}`` that copies the template context: after the unit cards
went to Python (portal/journey/unit_cards.py) the checklist was the largest part of the page's rendering. The
texts are the same calls the template makes (``_``, ``t``, ``format_date``, the label tables, the figures as
portal/journey/breakdown.py writes them),
escaped where the template escapes; tests/web/test_page_render_fast_paths.py renders the tasks of every life
event both ways and compares them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from markupsafe import Markup, escape

from configurator.checklist import ChecklistEntry

from ..i18n import format_date, marked_gettext, translate_with
from ..labels import per_catalog, translated_names
from .breakdown import figures_html

_LINKED_CHANNELS = ("eservice", "web", "in_person")


def task_facts(entry: ChecklistEntry, go: Callable[[str, str], str] | None = None) -> Markup:
    """The ``<dl>`` of ``entry``'s facts as journey/_task_facts.html renders it (with ``go``, the page's counting
    links, as that template's ``go``; without, the plain tel: and web addresses)."""
    item, contact, values = entry.item, entry.contact, entry.values
    words = per_catalog("task_facts", _words)
    out = ['\n\n      <dl class="checklist__facts">\n        <div><dt>', words["Deadline"], "</dt><dd>"]
    if entry.due:
        out += ['<time datetime="', escape(entry.due.isoformat()), '">', escape(format_date(entry.due, "long"))]
        out.append("</time>")
        if entry.overdue:
            out += [' <strong class="tag tag--overdue">', words["Date has passed: do this now"], "</strong>"]
        if entry.due_rule and entry.due_rule.explanation:
            out += [' <span class="hint">(', escape(translate_with(entry.due_rule.explanation, values)), ")</span>"]
    else:
        out.append(words["No deadline"])
    out.append("</dd></div>\n        ")
    if entry.recurrence:
        out += ["<div><dt>", words["Repeats"], "</dt><dd>", _joined_repeat_lines(entry.recurrence)]
        out.append("</dd></div>" if entry.recurrence.ended else ".</dd></div>")
    out += ["\n        <div><dt>", words["Who"], "</dt><dd>"]
    if contact.name_msgid:
        out.append(escape(translate_with(contact.name_msgid)))
    if contact.name:
        out += [" (", escape(contact.name), ")"]
    if contact.phone:
        link = go(item.id, "phone") if go is not None else "tel:" + contact.phone.replace(" ", "")
        out += [", ", words["phone"], ' <a href="', escape(link), '">', escape(contact.phone), "</a>"]
    out += ["</dd></div>\n        <div><dt>", words["How"], "</dt><dd>"]
    out.append(escape(translated_names().channels[item.channel]))
    if contact.url and item.channel in _LINKED_CHANNELS:
        channel = "in_person" if item.channel == "in_person" else "eservice"
        link = go(item.id, channel) if go is not None else contact.url
        out += [': <a href="', escape(link), '">', escape(contact.url), "</a>"]
    if item.how:
        out += [". ", escape(translate_with(item.how, values))]
    out += ["</dd></div>\n        <div><dt>", words["Why"], "</dt><dd>"]
    out += [escape(translate_with(item.why, values)), "</dd></div>\n        "]
    if entry.figures:
        out += ["<div><dt>", words["Figures"], "</dt><dd>"]
        out += [figures_html(entry.figures, "figures-" + str(item.id)), "</dd></div>"]
    out.append("\n      </dl>")
    return Markup("".join(out))


_WORDS = ("Deadline", "Date has passed: do this now", "No deadline", "Repeats", "Who", "phone", "How", "Why", "Figures")


def _words() -> dict[str, Markup]:
    """The facts' own words in the request's language, as ``_()`` gives them (translated once per catalog)."""
    return {word: marked_gettext(word) for word in _WORDS}


def _joined_repeat_lines(recurrence: Any) -> Markup:
    """``repeat_lines(recurrence)|join('. ')`` as the template writes it (each line escaped)."""
    repeat_lines = current_app.jinja_env.globals["repeat_lines"]
    return Markup(". ").join(repeat_lines(recurrence))  # type: ignore[operator]
