"""The ECEC results page's unit cards, built in Python: the same markup as templates/comparisons/_ecec_unit.html
(the card's readable definition), at a fraction of its cost.

Twenty cards were half of the results page's rendering (about 350 µs each): every ``{% include %}`` copies the
template context, and each card made some forty template calls (translations, filters, the ``sep()`` macro,
escaping). Most of a card depends only on the unit and the language (its name, type, provider, languages,
address, opening hours, accessibility facts, the hidden ": name" suffixes), so those parts are rendered once per
unit record and language and kept in a small LRU cache (``UNIT_PARTS_SIZE``) whose key *is* the data they are
made of: a unit whose name or hours change in the catalogue has a new key, so it never gets a stale card. What
depends on the person (distances, free places for the child's age, cost, why it does not suit, others'
experiences, the chosen box, the reserve and visit links) is put together per request from texts translated once
per page. tests/web/test_unit_cards.py renders pages both ways and compares them byte for byte.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, g
from markupsafe import Markup, escape

from configurator.catalogue import ACCESSIBILITY_FACTS, EcecUnitRecord

from ..feedback.experiences import summary_text
from ..i18n import day_range, eur, format_date, number, request_locale, request_translations
from .results import UNIT_SLOT_PARAM, mismatch_reason, report_url_pattern, reserve_place_url, shared_breakdown

UNIT_PARTS_SIZE = 4096
"""Units kept rendered: the three languages of a few thousand units (a results page shows twenty; the cards a
region's people look at are a small part of a large catalogue). About 2 kB each."""

HIDDEN_NAME = '<span class="visually-hidden">: {}</span>'


def _t(message: str, **variables: Any) -> Markup:
    """``_()`` as the templates call it (portal/i18n.py template_gettext): the catalog's text as Markup,
    %-formatted with the escaped variables."""
    return Markup(request_translations().ugettext(message)) % variables


# ------------------------------------------------------------------ the parts that depend on the unit only


@dataclass(frozen=True)
class UnitParts:
    """A unit's card in a language, cut where the person's parts go in (see ``_card``)."""

    head: str  # the name and the meta line (type · provider · languages, shift care)
    hidden_name: str  # the visually hidden ": name" after each link and summary
    pick: str  # the checkbox up to its (un)checked state
    details: str  # after the checkbox: its label, the details' summary, address and opening hours
    access: str  # the accessibility facts, up to the report link's address
    report: str  # the report link's text, to the end of the card


def _unit_key(unit: EcecUnitRecord, lang: str, locale: str) -> tuple[Any, ...]:
    """Everything ``_unit_parts`` reads: the key is the data, so a changed record never finds an old card."""
    facts = unit.accessibility
    return (
        lang,
        locale,
        unit.id,
        unit.name,
        unit.name_sv,
        unit.care_type,
        unit.provider_type,
        unit.languages,
        unit.shift_care,
        unit.street_address,
        unit.postal_code,
        unit.opening_hours,
        tuple(facts.get(key) for key in ACCESSIBILITY_FACTS),
    )


_parts: OrderedDict[tuple[Any, ...], UnitParts] = OrderedDict()
_parts_lock = threading.Lock()


def unit_parts(unit: EcecUnitRecord, lang: str, names: Any, locale: str) -> UnitParts:
    """The unit's parts in ``lang`` (and the request's ``locale``, which names the days), from the LRU cache or
    rendered now (``names``: the request's translated tables)."""
    key = _unit_key(unit, lang, locale)
    try:
        with _parts_lock:
            found = _parts.get(key)
            if found is not None:
                _parts.move_to_end(key)
                return found
    except TypeError:  # a record built with lists (unhashable): rendered, never kept
        return _unit_parts(unit, lang, names)
    found = _unit_parts(unit, lang, names)
    with _parts_lock:
        _parts[key] = found
        while len(_parts) > UNIT_PARTS_SIZE:
            _parts.popitem(last=False)
    return found


def clear_unit_parts() -> None:
    with _parts_lock:
        _parts.clear()


def _sep() -> str:
    """The dot between the facts of a line (macros/tags.html ``sep()``), as the macro renders it."""
    return str(current_app.jinja_env.get_template("macros/tags.html").module.sep())


def _unit_parts(unit: EcecUnitRecord, lang: str, names: Any) -> UnitParts:
    name = escape(unit.display_name(lang))
    hidden = HIDDEN_NAME.format(name)
    sep = _sep()
    languages = ", ".join(str(escape(names.languages[code])) for code in unit.languages)
    shift = (
        f'<span class="visually-hidden">, </span> <strong class="tag">{_t("Shift care")}</strong>'
        if unit.shift_care
        else ""
    )
    head = (
        '  <div class="option__head">\n'
        f'    <h4 class="heading-s option__title"><span class="unit-name">{name}</span></h4>\n'
        f'    <p class="option__meta">{escape(names.care_types[unit.care_type])}{sep}'
        f"{escape(names.provider_types[unit.provider_type])}{sep}{languages}{shift}</p>\n"
        "  </div>\n"
    )
    pick = (
        '\n    <div class="option__pick checkboxes--small"><div class="checkboxes__item">\n'
        f'      <input class="checkboxes__input" type="checkbox" name="compare" value="{unit.id}" id="compare-{unit.id}"'
    )
    details = (
        ">\n"
        f'      <label class="checkboxes__label" for="compare-{unit.id}">{_t("Choose to compare")}{hidden}</label>\n'
        "    </div></div>\n"
        "  </div>\n"
        '  <details class="details option__details">\n'
        '    <summary class="details__summary"><span>'
        f"{_t('Opening hours, accessibility and cost details')}{hidden}</span></summary>\n"
        '    <div class="details__text">\n'
        '      <dl class="option__more">\n'
        f"        <div><dt>{_t('Address')}</dt><dd>{escape(unit.street_address)}, {escape(unit.postal_code)}</dd></div>\n"
        f"        <div><dt>{_t('Opening hours')}</dt><dd>{_hours(unit)}</dd></div>\n"
        "        "
    )
    facts = "".join(
        f"<li>{escape(label)}: {escape(names.fact_values[unit.accessibility.get(key)])}</li>"
        for key, label in names.accessibility_facts.items()
    )
    access = (
        f'        <div><dt>{_t("Accessibility")}</dt><dd><ul class="facts">{facts}</ul></dd></div>\n'
        "      </dl>\n"
        '      <p class="option__report"><a href="'
    )
    report = f'">{_t("Report an error in this information")}{hidden}</a></p>\n    </div>\n  </details>\n</li>'
    return UnitParts(head, hidden, pick, details, access, report)


def _hours(unit: EcecUnitRecord) -> str:
    if not unit.opening_hours:
        return "–"
    round_the_clock = _t("round the clock")
    return "<br>".join(
        f"{escape(day_range(h.days))} "
        + (
            str(round_the_clock)
            if h.opens == "00:00" and h.closes == "24:00"
            else f"{escape(h.opens)}–{escape(h.closes)}"
        )
        for h in unit.opening_hours
    )


# ------------------------------------------------------------------------ the parts that depend on the person


class _Page:
    """What every card of a page shares: the comparison, the choices, the texts translated once, and the
    request's catalog (each look-up through Flask's ``g`` costs more than the translation itself)."""

    def __init__(self, cmp: Any, chosen: Sequence[int], can_reserve: Any, names: Any) -> None:
        self.lang: str = g.lang_code
        self.locale = str(request_locale())
        self.catalog = request_translations()
        self.names = names
        self.age_group: str = cmp.age_group
        self.chosen = frozenset(chosen)
        self.can_reserve = bool(can_reserve)
        self.visit_url = current_app.jinja_env.globals.get("visit_url")
        self.report_url = report_url_pattern()
        self.updated: dict[tuple[Any, str], str] = {}  # "Updated <date> by <who>", a few per page
        self.counted: dict[tuple[str, int], str] = {}  # "3 free places", "Queue about 2 weeks"
        self.home_km = str(Markup(self.catalog.ugettext("Home: %(km)s km")))
        self.work_km = str(Markup(self.catalog.ugettext("Work: %(km)s km")))
        t = self.t
        estimate = current_app.jinja_env.get_template("macros/tags.html").module.estimate_tag()
        self.l_estimate = str(estimate)
        self.l_share = t("Your share with the service voucher")
        self.l_how_fee = t("How the municipal fee is calculated")
        self.l_no_places = t("No free places")
        self.l_distance = t("Distance")
        self.l_places = t("Free places")
        self.l_cost = t("Cost a month")
        self.l_mismatch = t("Does not match your answers")
        self.l_not_age = t("This unit does not take children of this age group.")
        self.l_experiences = t("Others' experiences")
        self.l_visit = t("Book a visit")
        self.l_reserve = t("Reserve a place") if self.can_reserve else ""
        self.no_experiences = str(escape(summary_text(None)))

    def t(self, message: str, **variables: Any) -> str:
        """``_()`` as the templates call it (template_gettext): Markup text, escaped variables."""
        return str(Markup(self.catalog.ugettext(message)) % variables)

    def nt(self, singular: str, plural: str, num: int) -> str:
        """``ngettext()`` as the templates call it (template_ngettext), each count's text once per page."""
        key = (singular, num)
        text = self.counted.get(key)
        if text is None:
            text = self.counted[key] = str(Markup(self.catalog.ungettext(singular, plural, num)) % {"num": num})
        return text

    def km(self, text: str, distance: float) -> str:
        """'Home: 2.2 km': ``text`` is the translated "%(km)s" message, filled as Markup fills it."""
        return text % {"km": escape(number(distance, 1))}

    def updated_text(self, availability: Any) -> str:
        key = (availability.updated_at.date(), availability.updated_by)
        text = self.updated.get(key)
        if text is None:
            who = self.names.reporter_roles.get(availability.updated_by, availability.updated_by)
            text = self.updated[key] = self.t(
                "Updated %(date)s by %(who)s", date=format_date(key[0], format="short"), who=who
            )
        return text


def ecec_cards(rows: Iterable[Any], cmp: Any, chosen: Sequence[int], can_reserve: Any, names: Any) -> Markup:
    """The cards of ``rows`` (EcecRow) as ``{% for row in rows %}{% include 'comparisons/_ecec_unit.html' %}``
    renders them; ``chosen`` are the ids ticked for the side-by-side view, ``can_reserve`` whether the person may
    reserve a place (signed in), ``names`` the translated label tables."""
    page = _Page(cmp, chosen, can_reserve, names)
    return Markup("".join(_card(row, page) for row in rows))


def _card(row: Any, page: _Page) -> str:
    u = row.unit
    parts = unit_parts(u, page.lang, page.names, page.locale)
    hidden = parts.hidden_name
    out = [
        '\n\n\n<li class="option',
        " option--mismatch" if row.mismatches else "",
        f'" id="unit-{u.id}">\n',
        parts.head,
        "  ",
    ]
    if row.mismatches:
        reasons = "".join(
            f"<li>{escape(mismatch_reason(code, u.languages, page.age_group))}</li>" for code in row.mismatches
        )
        out.append(
            '\n  <div class="option__mismatch">\n'
            f'    <strong class="tag tag--missing">{page.l_mismatch}</strong>\n'
            f'    <ul class="option__reasons">{reasons}</ul>\n'
            "  </div>\n  "
        )
    distances = page.km(page.home_km, row.distance_home_km)
    if row.distance_work_km is not None:
        distances += "<br>" + page.km(page.work_km, row.distance_work_km)
    out.append(
        '\n  <dl class="option__facts">\n'
        f'    <div class="option__fact" data-fact="distance"><dt>{page.l_distance}</dt>\n'
        f"      <dd>{distances}</dd></div>\n"
        f'    <div class="option__fact" data-fact="room"><dt>{page.l_places}</dt>\n'
        f"      <dd>{_room(row, page)}</dd></div>\n"
        f'    <div class="option__fact" data-fact="cost"><dt>{page.l_cost}</dt>\n'
        f"      <dd>{_cost(row, page)}</dd></div>\n"
        f'    <div class="option__fact option__fact--wide" data-fact="experiences"><dt>{page.l_experiences}</dt>'
        f"<dd>{_experiences(row, page, hidden)}</dd></div>\n"
        "  </dl>\n"
        '  <div class="option__actions">\n    '
    )
    if page.can_reserve and row.has_room:
        out.append(f'<a href="{escape(reserve_place_url(row))}">{page.l_reserve}{hidden}</a>')
    out.append("\n    ")
    visit = page.visit_url(u.id) if page.visit_url is not None else None
    if visit:
        out.append(f'<a href="{escape(visit)}">{page.l_visit}{hidden}</a>')
    out.append(parts.pick)
    if u.id in page.chosen:
        out.append(" checked")
    out.append(parts.details)
    if row.availability:
        out.append(f"<div><dt>{page.l_places}</dt><dd>{page.updated_text(row.availability)}</dd></div>")
    out.append("\n        ")
    cost = row.cost
    if cost:
        if cost.kind == "voucher_copayment":
            how = shared_breakdown(cost.breakdown, f"breakdown-{u.id}")
        else:
            how = f'<a href="#fee-breakdown-title">{page.l_how_fee}</a>'
        out.append(f"<div><dt>{page.l_cost}</dt><dd>{how}</dd></div>")
    out.append("\n")
    out.append(parts.access)
    out.append(str(escape(page.report_url.replace(UNIT_SLOT_PARAM, f"location={int(u.id)}", 1))))
    out.append(parts.report)
    return "".join(out)


def _room(row: Any, page: _Page) -> str:
    if row.has_room:
        free = page.nt("%(num)s free place", "%(num)s free places", row.availability.free_places)
        return f'<strong class="tag tag--room">{free}</strong>'
    if not row.unit.serves(page.age_group):
        return page.l_not_age
    if row.availability and row.availability.queue_weeks:
        return page.nt("Queue about %(num)s week", "Queue about %(num)s weeks", row.availability.queue_weeks)
    return page.l_no_places


def _cost(row: Any, page: _Page) -> str:
    c = row.cost
    if not c:
        return page.t(row.cost_problem) if row.cost_problem else "–"
    if c.monthly is not None:
        text = f"<strong>{escape(eur(c.monthly))}</strong>"
    else:
        text = f"{escape(eur(c.minimum))}–{escape(eur(c.maximum))}"
    if c.estimate:
        text += f" {page.l_estimate}"
    if c.kind == "voucher_copayment":
        text += f'<br><span class="hint">{page.l_share}</span>'
    return text


def _experiences(row: Any, page: _Page, hidden: str) -> str:
    exp = row.experiences
    if exp is None:
        return page.no_experiences
    text = str(escape(summary_text(exp)))
    if exp.comments:
        count = page.nt("%(num)s comment from others", "%(num)s comments from others", len(exp.comments))
        comments = current_app.jinja_env.get_template("comparisons/_comments.html").render(exp=exp)
        text += (
            '\n    <details class="details experiences__details">\n'
            f'      <summary class="details__summary"><span>{count}{hidden}</span></summary>\n'
            f'      <div class="details__text">{comments}</div>\n'
            "    </details>"
        )
    return text
