"""The results page's cheaper per-call paths (issue 17) give what the slower ones gave: a text filled with only the
values it names is the text filled with all of them, the catalog and locale come from ``g`` as before (and follow
use_language), templates' imports see the same globals through portal/template_globals.py, the quick feedback form
kept per language is the form with each page's CSRF token, task report links are url_for's, and a task's facts built
in Python are journey/_task_facts.html's bytes for the tasks of every life event, so are the cost breakdowns the
breakdown_template macro's, and the layout's fixed links are url_for's (a static file's following its modification
time)."""

from __future__ import annotations

import os
import re
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from flask import g, render_template_string, url_for
from jinja2 import DictLoader, Environment

from configurator.checklist import Contact
from configurator.rules import BreakdownStep
from portal.feedback.views import task_report_url
from portal.i18n import (
    placeholder_names,
    request_locale,
    request_translations,
    translate_with,
    use_language,
)
from portal.journey.breakdown import breakdown_html, figures_html
from portal.journey.task_facts import task_facts
from portal.page_links import asset_url, fixed_url
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


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_fixed_links_are_url_fors_in_each_language(app, lang: str) -> None:
    calls = [
        ("pages.home", {"lang_code": lang}),
        ("feedback.form", {"lang_code": lang}),
        ("api.openapi", {}),
        ("journey.check", {"event_id": "ecec"}),
        ("journey.continue_with", {"event_id": "moving", "item_id": "apply_for_place"}),
        ("vendor.asset", {"package": "leaflet", "filename": "leaflet.css"}),
    ]
    for _ in range(2):  # built, then kept
        with app.test_request_context(f"/{lang}/events/ecec/plan"):
            g.lang_code = lang
            for endpoint, values in calls:
                assert fixed_url(endpoint, **values) == url_for(endpoint, **values)
            assert fixed_url("journey.check", event_id="business") != fixed_url("journey.check", event_id="ecec")
    with app.test_request_context("/"):  # no language in the address: the browser's, url_for each time
        assert fixed_url("pages.home") == url_for("pages.home")


def test_static_addresses_follow_the_files_modification_time(app, monkeypatch) -> None:
    import portal.page_links as page_links

    built: list[str] = []

    def counting_url_for(endpoint: str, **values: object) -> str:
        built.append(endpoint)
        return url_for(endpoint, **values)

    monkeypatch.setattr(page_links, "url_for", counting_url_for)
    app.extensions.pop("polku_page_links", None)  # other tests' pages kept the file's address already
    path = os.path.join(app.static_folder, "css", "print.css")
    times = os.stat(path)
    try:
        with app.test_request_context("/fi/"):
            g.lang_code = "fi"
            first = asset_url("css/print.css")
            assert first == url_for("static", filename="css/print.css") and "?v=" in first
            assert asset_url("css/print.css") == first and built == ["static"]  # kept
            os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns + 1_000_000_000))
            assert asset_url("css/print.css") == first and built == ["static", "static"]  # built again
            assert asset_url("css/missing.css") == url_for("static", filename="css/missing.css")
    finally:
        os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))


def _step_lists(value: object, depth: int = 0) -> list[tuple]:
    """Every tuple of BreakdownSteps inside ``value`` (a comparison's result, its rows and costs)."""
    if depth > 6 or value is None or isinstance(value, str | bytes | int | float | date):
        return []
    if isinstance(value, tuple | list) and value and all(isinstance(step, BreakdownStep) for step in value):
        return [tuple(value)]
    if isinstance(value, tuple | list):
        return [found for item in list(value)[:40] for found in _step_lists(item, depth + 1)]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _step_lists(item, depth + 1)]
    if is_dataclass(value):
        return [found for f in fields(value) for found in _step_lists(getattr(value, f.name), depth + 1)]
    return []


@pytest.mark.parametrize("event", sorted(JOURNEYS))
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_breakdowns_in_python_are_the_macros_bytes(app, csrf_off_client, monkeypatch, event: str, lang: str):
    import portal.journey.views as views

    seen: dict[str, object] = {}
    JOURNEYS[event](csrf_off_client, lang)
    monkeypatch.setattr(views, "render_template", lambda name, **context: seen.update(context) or "kept")
    assert csrf_off_client.get(f"/{lang}/events/{event}/plan").status_code == 200
    with app.test_request_context(f"/{lang}/events/{event}/plan"):
        g.lang_code = lang
        lists = [entry.figures for entry in seen["checklist"] if entry.figures]
        for comparison in seen["plan"].comparisons:
            lists += _step_lists(comparison.result)
        assert lists
        macros = app.jinja_env.get_template("journey/_breakdown.html").module
        for steps in lists:
            for variant in (steps, tuple(replace(step, estimate=not step.estimate) for step in steps)):
                expected = str(macros.breakdown_template(variant, "fee-breakdown"))
                assert str(breakdown_html(variant, "fee-breakdown")) == expected
                assert str(macros.breakdown(variant, "fee-breakdown")) == expected
        assert str(breakdown_html(lists[0], 'a"<b>')) == str(macros.breakdown_template(lists[0], 'a"<b>'))
        for steps in lists:  # the same steps as a task's figures, rules grouped
            for variant in (steps, tuple(replace(step, estimate=not step.estimate) for step in steps)):
                expected = str(macros.figures_template(variant, "figures-task"))
                assert str(figures_html(variant, "figures-task")) == expected
                assert str(macros.figures(variant, "figures-task")) == expected


def test_figures_group_rules_as_jinjas_groupby(app) -> None:
    """Rules that differ only in case are one group, shown as the first step's; the latest date and every
    source of a group on its line."""
    step = BreakdownStep("Fee {amount} €", {"amount": 10}, None, "Rule B", date(2026, 1, 1), "Source 1", False)
    steps = (
        step,
        replace(step, rule="Rule A", source="Source 2", estimate=True),
        replace(step, rule="rule b", valid_from=date(2027, 8, 1), source="Source 3"),
    )
    with app.test_request_context("/en/events/ecec/plan"):
        g.lang_code = "en"
        macros = app.jinja_env.get_template("journey/_breakdown.html").module
        html = str(figures_html(steps, "x"))
        assert html == str(macros.figures_template(steps, "x"))
        assert html.index("<li>Rule A.") < html.index(
            "<li>Rule B. Valid from 1 August 2027. Source: Source 1; Source 3"
        )
