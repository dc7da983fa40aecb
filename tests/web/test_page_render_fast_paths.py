"""The results page's cheaper per-call paths (issue 17) give what the slower ones gave: a text filled with only the
values it names is the text filled with all of them, the catalog and locale come from ``g`` as before (and follow
use_language), templates' imports see the same globals through portal/template_globals.py, the quick feedback form
kept per language is the form with each page's CSRF token, task report links are url_for's, and a task's facts built
in Python are journey/_task_facts.html's bytes for the tasks of every life event."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from flask import g, render_template_string, url_for
from jinja2 import DictLoader, Environment

from configurator.checklist import Contact
from portal.feedback.views import task_report_url
from portal.i18n import (
    placeholder_names,
    request_locale,
    request_translations,
    translate_with,
    use_language,
)
from portal.journey.task_facts import task_facts
from portal.template_globals import TemplateGlobals, use_fast_template_globals
from tests.helpers import complete_business, complete_ecec, complete_moving, complete_unemployment


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Apply by {date}: {amount} € a month", {"date", "amount"}),
        ("{child.name} and {rows[0]}", {"child", "rows"}),
        ("{{literal}} and {value!r:>3}", {"value"}),
        ("No placeholders", set()),
    ],
)
def test_placeholder_names_are_the_fields_format_reads(text: str, names: set[str]) -> None:
    assert placeholder_names(text) == names


@pytest.mark.parametrize("text", ["{}", "{0} days", "{amount:{width}}", "{unclosed", "closing } alone"])
def test_positional_nested_or_broken_fields_fall_back_to_every_value(text: str) -> None:
    assert placeholder_names(text) is None


def test_a_text_is_filled_as_with_every_value(app) -> None:
    values = {"date": date(2027, 8, 12), "amount": Decimal("80.90"), "unused": "Ignored", "other": 3}
    with app.test_request_context("/en/"):
        g.lang_code = "en"
        assert translate_with("Apply by {date}: {amount} €", values) == "Apply by 12 August 2027: 80.90 €"
        assert translate_with("No placeholders", values) == "No placeholders"
        assert translate_with("Missing {nothing}", values) == "Missing {nothing}"  # a KeyError shows the text
        assert translate_with("{} positional", values) == "{} positional"  # an IndexError too


def test_catalog_and_locale_are_the_requests(app) -> None:
    with app.test_request_context("/sv/"):
        g.lang_code = "sv"
        assert str(request_locale()) == "sv"
        assert request_translations().ugettext("Your plan") == "Din plan"
        assert g.get("_polku_translations") is request_translations()  # the same per-request slot as g's
        use_language("fi")  # empties the slot: the catalog is looked up again
        assert g.get("_polku_translations") is None


TEMPLATES = {
    "macros.html": "{% macro hello() %}{{ greeting }}, {{ name() }}{% endmacro %}",
    "page.html": "{% from 'macros.html' import hello %}{{ hello() }}",
    "with_context.html": "{% from 'macros.html' import hello with context %}{{ hello() }}",
}


def _env(fast: bool) -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES))
    if fast:
        use_fast_template_globals(env)
    env.globals["greeting"] = "Hei"
    return env


def test_template_globals_keys_are_every_maps_names() -> None:
    chain = TemplateGlobals({"own": 1}, {"shared": 2, "own": 3})
    assert chain.keys() == {"own", "shared"}
    assert chain["own"] == 1 and chain["shared"] == 2


def _renders(fast: bool) -> list[str]:
    """What the same templates render in a series of steps: globals added after loading (an imported module is
    made once and keeps the globals it saw), a template loaded with globals of its own, a render's variables
    imported with context."""
    env = _env(fast)
    env.globals["name"] = lambda: "Sirkka"
    texts = [env.get_template("page.html").render()]
    env.globals["greeting"] = "Moi"
    texts.append(env.get_template("page.html").render())
    texts.append(env.get_template("with_context.html").render(greeting="Terve"))
    texts.append(env.get_template("page.html", globals={"name": lambda: "Liisa"}).render())
    texts.append(env.from_string("{% import 'macros.html' as m %}{{ m.hello() }}", {"greeting": "Hej"}).render())
    # a global the imported template lacks: Jinja makes it a new module, which sees today's globals
    texts.append(env.from_string("{% import 'macros.html' as m %}{{ m.hello() }}", {"extra": 1}).render())
    return texts


def test_templates_render_as_with_jinjas_own_globals() -> None:
    assert isinstance(_env(True).get_template("page.html").globals, TemplateGlobals)
    assert _renders(True) == _renders(False)
    assert _renders(True) == [
        "Hei, Sirkka",
        "Hei, Sirkka",
        "Terve, Sirkka",
        "Hei, Sirkka",
        "Hei, Sirkka",
        "Moi, Sirkka",
    ]


QUICK = {"kind": "journey", "event_id": "ecec", "next_url": "/fi/events/ecec/plan", "heading_level": 2}


def _quick_forms(app, lang: str, url: str, **params: object) -> tuple[str, str]:
    """The quick form partial as the page shows it (kept form) and as the form template renders it in full."""
    with app.test_request_context(url):
        g.lang_code = lang
        kept = render_template_string("{% include 'feedback/_quick.html' %}", **params)
        full = render_template_string(
            "{% set p = id_prefix|default('feedback', true) %}{% set h = heading_level|int %}"
            "{% set fkind = kind %}{% set fvalues = {} %}{% set ferrors = {} %}{% set fnext = next_url %}"
            "{% set heading_class = 'heading-l' if h <= 2 else 'heading-m' %}{% set thanked = false %}"
            "{% include 'feedback/_quick_form.html' %}",
            **params,
        )
        return kept, full


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_kept_quick_form_is_the_form_template_with_this_pages_token(app, lang: str) -> None:
    tokens = []
    for _ in range(2):  # rendered, then kept
        kept, full = _quick_forms(app, lang, "/fi/events/ecec/plan", **QUICK)
        assert kept.strip() == full.strip()
        tokens.append(re.search(r'name="csrf_token" value="([^"]+)"', kept).group(1))
        assert "polku-quick-feedback-csrf-slot" not in kept
    assert tokens[0] != tokens[1]  # two visitors (sessions), each with their own token in the kept form
    assert app.extensions["polku_quick_feedback_forms"]


def test_the_kept_quick_form_follows_the_signed_in_note(app) -> None:
    note = "saved with your account"
    with app.test_request_context("/en/events/ecec/plan"):
        g.lang_code = "en"
        render = "{% include 'feedback/_quick.html' %}"
        assert note not in render_template_string(render, signed_in=None, **QUICK)
        assert note in render_template_string(render, signed_in={"name": "Sirkka"}, **QUICK)
        assert note not in render_template_string(render, signed_in=None, **QUICK)


def test_a_thanks_or_an_answer_is_never_kept(app) -> None:
    with app.test_request_context("/en/events/ecec/plan?feedback=thanks"):
        g.lang_code = "en"
        page = render_template_string("{% include 'feedback/_quick.html' %}", **QUICK)
        assert "Thank you for your feedback" in page and "<form" not in page
    with app.test_request_context("/en/events/ecec/plan"):
        g.lang_code = "en"
        page = render_template_string(
            "{% include 'feedback/_quick.html' %}", feedback_values={"comment": "Hyvä palvelu"}, **QUICK
        )
        assert "Hyvä palvelu</textarea>" in page


@pytest.mark.parametrize("task", ["apply_for_place", "ask-the-unit", "odd id/ä"])
def test_task_report_links_are_url_fors(app, task: str) -> None:
    with app.test_request_context("/sv/events/ecec/plan"):
        g.lang_code = "sv"
        expected = url_for("feedback.report", event="ecec", task=task, next="/sv/events/ecec/plan")
        assert task_report_url("ecec", "first_task") == url_for(
            "feedback.report", event="ecec", task="first_task", next="/sv/events/ecec/plan"
        )
        assert task_report_url("ecec", task) == expected


JOURNEYS = {
    "ecec": complete_ecec,
    "business": complete_business,
    "unemployment": complete_unemployment,
    "moving": complete_moving,
}


def _plan_entries(app, csrf_off_client, monkeypatch, event: str, lang: str) -> tuple[list, object]:
    """The checklist entries and counting links the plan page of ``event`` renders (after its helper's answers)."""
    import portal.journey.views as views

    seen: dict[str, object] = {}

    def keep(name: str, **context: object) -> str:
        seen.update(context)
        return "kept"

    JOURNEYS[event](csrf_off_client, lang)
    monkeypatch.setattr(views, "render_template", keep)
    assert csrf_off_client.get(f"/{lang}/events/{event}/plan").status_code == 200
    return list(seen["checklist"]), seen["go"]


def _variants(entry):
    """The entry, and the same task overdue, without a deadline, and with a contact whose texts need escaping."""
    return [
        entry,
        replace(entry, overdue=not entry.overdue),
        replace(entry, due=None),
        replace(entry, contact=Contact(name="Aalto & Co <Oy>", url="https://example.fi/?a=1&b=2", phone="09 123 4")),
    ]


@pytest.mark.parametrize("event", sorted(JOURNEYS))
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_task_facts_in_python_are_the_templates_bytes(app, csrf_off_client, monkeypatch, event: str, lang: str):
    entries, go = _plan_entries(app, csrf_off_client, monkeypatch, event, lang)
    assert entries and any(e.figures for e in entries) or event != "ecec"
    compared = 0
    with app.test_request_context(f"/{lang}/events/{event}/plan"):
        g.lang_code = lang
        for entry in entries:
            for variant in _variants(entry):
                include = "{% include 'journey/_task_facts.html' %}"
                assert str(task_facts(variant, go)) == render_template_string(include, entry=variant, go=go)
                assert str(task_facts(variant)) == render_template_string(include, entry=variant)
                compared += 1
    assert compared == 4 * len(entries)
