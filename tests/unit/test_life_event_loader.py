"""The loader validates every reference in a life-event file; the shipped files load cleanly."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from configurator.lifeevents import (
    EVENTS_DIR,
    LifeEventError,
    load_life_events,
    parse_life_event,
)
from configurator.predicates import PREDICATES
from configurator.questions import QUESTION_TYPES, DateType

ECEC = yaml.safe_load((EVENTS_DIR / "ecec.yaml").read_text(encoding="utf-8"))


def test_shipped_events_load_with_national_codes() -> None:
    events = load_life_events()
    ecec = events["ecec"]
    assert ecec.codes == {"life_event": "KE1", "target_group": "KR1.2", "service_class": "P3.4"}
    assert events["business"].codes == {"target_group": "KR2.8", "service_class": "P11.1"}
    assert events["unemployment"].codes == {"life_event": "KE8", "target_group": "KR1", "service_class": "P10.6"}
    assert [s.id for s in ecec.steps] == ["child", "care", "places", "family", "providers"]
    assert {q.type for q in ecec.questions()} >= {"date", "number", "money", "choice", "yesno", "location"}
    assert ecec.comparison is not None and ecec.comparison.kind == "ecec_units"
    assert [c.kind for c in ecec.comparisons] == ["ecec_units"]


def test_every_condition_in_shipped_events_names_a_predicate() -> None:
    for event in load_life_events().values():
        conditions = [q.show_if for q in event.questions()] + [i.show_if for i in event.checklist]
        conditions += [r.when for i in event.checklist for r in i.due]
        for condition in filter(None, conditions):
            for name in [condition] if isinstance(condition, str) else condition:
                assert name.removeprefix("not ") in PREDICATES


def _broken(mutate) -> dict:
    data = copy.deepcopy(ECEC)
    mutate(data)
    return data


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["steps"][0]["questions"][0].update(type="colour"), "unknown type"),
        (lambda d: d["steps"][2]["questions"][1].update(show_if="is_tuesday"), "unknown predicate"),
        (lambda d: d["checklist"][0]["due"][0].update(when="not nonexistent"), "unknown predicate"),
        (lambda d: d["checklist"][0].update(responsible="ministry_of_magic"), "unknown organisation"),
        (lambda d: d["checklist"][0].update(channel="pigeon"), "unknown channel"),
        (lambda d: d["checklist"][0]["due"][0].update({"from": "care_language"}), "date question"),
        (lambda d: d["checklist"][0]["due"][0].update(offset={"fortnights": 1}), "bad offset"),
        (lambda d: d["steps"][0]["questions"][1]["rules"].update(after="hours_per_week"), "'after' must name a date"),
        (lambda d: d["steps"][3]["questions"][2]["rules"].update(max_answer={"question": "nope"}), "max_answer"),
        (lambda d: d["steps"][1]["questions"][0]["rules"].update(not_before_today=True), "does not apply"),
        (lambda d: d.update(comparisons=[{"kind": "horoscopes"}]), "unknown comparison"),
        (lambda d: d.update(comparison={"kind": "ecec_units"}), "unknown key"),
        (lambda d: d["checklist"][0].update(figures=["lottery_win"]), "unknown figure"),
        (lambda d: d["organisations"][0].update(service_kind="astrology"), "service_kind"),
        (
            lambda d: d["comparisons"].append(
                {"kind": "nearby_services", "near": "child_birth_date", "services": [{"kind": "business_advice"}]}
            ),
            "location question",
        ),
        (
            lambda d: d["comparisons"].append(
                {"kind": "nearby_services", "near": "home", "services": [{"kind": "bakery"}]}
            ),
            "unknown service kind",
        ),
        (
            lambda d: d["comparisons"].append(
                {"kind": "nearby_services", "near": "home", "services": [{"kind": "debt_advice", "when": "is_lucky"}]}
            ),
            "unknown predicate",
        ),
        (lambda d: d["steps"][1]["questions"][1]["options"].append({"value": "fi", "label": "Again"}), "unique"),
        (lambda d: d["steps"][1]["questions"].append(dict(d["steps"][0]["questions"][0])), "unique"),
        (lambda d: d["steps"][0]["questions"][0].pop("label"), "'label' is required"),
        (lambda d: d["organisations"][0].update(municipality_of="office"), "no location question"),
        # Legal time limits are referred to, never restated: a literal 4 months or 2 weeks (or 14 days) is refused.
        (
            lambda d: (
                d["checklist"][0]["due"][1].update(offset={"months": -4}) or d["checklist"][0]["due"][1].pop("before")
            ),
            "restates the legal figure 'ecec_application.lead_time_months'",
        ),
        (lambda d: d["checklist"][3]["due"][0].update(offset={"weeks": -2}), "restates the legal figure"),
        (lambda d: d["checklist"][3]["due"][0].update(offset={"days": -14}), "restates the legal figure"),
        (lambda d: d["checklist"][0]["due"][1].update(before="ecec_application.no_such_limit"), "unknown parameter"),
        (lambda d: d["checklist"][0]["due"][1].update(before="ecec_fee.max_fee"), "not a time unit"),
        (
            lambda d: d["checklist"][0]["due"][1].update(before="unemployment.application_deadline_months"),
            "not in a parameter file listed",
        ),
        (lambda d: d["checklist"][0]["due"][1].update(after="ecec_application.lead_time_months"), "not both"),
        (lambda d: d["checklist"][0]["due"][1].update(within="ecec_application.lead_time_months"), "unknown key"),
        (lambda d: d.update(parameters=["ecec_application", "horoscopes"]), "unknown parameter file"),
        (lambda d: d["values"].update(price="ecec_fee.no_such_figure"), "unknown parameter"),
    ],
)
def test_loader_rejects_broken_references(mutate, message: str) -> None:
    with pytest.raises(LifeEventError, match=message):
        parse_life_event(_broken(mutate))


def test_every_legal_deadline_of_the_ecec_event_refers_to_its_parameter() -> None:
    ecec = load_life_events()["ecec"]
    periods = {rule.period for item in ecec.checklist for rule in item.due if rule.period}
    assert periods == {"ecec_application.lead_time_months", "ecec_application.sudden_need_lead_time_weeks"}
    assert ecec.parameters[0] == "ecec_application"
    literal = [dict(rule.offset) for item in ecec.checklist for rule in item.due if rule.offset]
    assert literal == [{"months": -1}]  # the familiarisation visits: advice, not law


def test_no_shipped_text_restates_a_figure_it_has_a_value_for() -> None:
    """Texts name {placeholders}; every placeholder is a value the event defines."""
    import string

    for event in load_life_events().values():
        texts = [q.hint for q in event.questions() if q.hint]
        texts += [t for i in event.checklist for t in (i.why, i.how) if t]
        texts += [r.explanation for i in event.checklist for r in i.due if r.explanation]
        for text in texts:
            names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert names <= set(event.values), (event.id, text)


def test_loader_rejects_duplicate_event_ids(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(ECEC), encoding="utf-8")
    with pytest.raises(LifeEventError, match="duplicate"):
        load_life_events(tmp_path)


@pytest.mark.parametrize(
    "mutate, path, problem",
    [
        (
            lambda d: d["steps"][2]["questions"][0].update(type="colour"),
            "steps[2].questions[0].type",
            "unknown type 'colour'",
        ),
        (lambda d: d["steps"][0]["questions"][1].pop("label"), "steps[0].questions[1].label", "'label' is required"),
        (
            lambda d: d["steps"][1]["questions"][0].update(colour="blue"),
            "steps[1].questions[0].colour",
            "unknown key 'colour'",
        ),
        (
            lambda d: d["steps"][1]["questions"][0].update(required="yes"),
            "steps[1].questions[0].required",
            "Input should be a valid boolean, not 'yes'",
        ),
        (
            lambda d: d["steps"][1]["questions"][1].update(errors={"too_late": "x"}),
            "steps[1].questions[1].errors",
            "no error of kind ['too_late'] on a 'choice' question",
        ),
        (
            lambda d: d["steps"][2]["questions"][1].update(show_if="is_tuesday"),
            "steps[2].questions[1].show_if",
            "unknown predicate 'is_tuesday'",
        ),
        (
            lambda d: d["checklist"][0]["due"][0].update(offset={"fortnights": 1}),
            "checklist[0].due[0].offset",
            "bad offset fortnights: 1",
        ),
        (
            lambda d: d["checklist"][0].update(responsible="ministry_of_magic"),
            "checklist[0].responsible",
            "unknown organisation 'ministry_of_magic'",
        ),
        (
            lambda d: d["checklist"][0]["due"][0].update({"from": "care_language"}),
            "checklist[0].due[0].from",
            "the due date must count from a date question or today",
        ),
        (
            lambda d: d["steps"][0]["questions"][1]["rules"].update(after="hours_per_week"),
            "steps[0].questions[1].rules.after",
            "'after' must name a date question",
        ),
        (lambda d: d["values"].update(price="ecec_fee.no_such_figure"), "values.price", "unknown parameter"),
    ],
)
def test_a_broken_file_names_the_file_the_path_and_the_problem(mutate, path: str, problem: str) -> None:
    with pytest.raises(LifeEventError) as caught:
        parse_life_event(_broken(mutate), "ecec.yaml")
    error = caught.value
    assert (error.file, error.path) == ("ecec.yaml", path)
    assert error.problem.startswith(problem), error.problem
    assert str(error).startswith(f"ecec.yaml: {path}: {problem}")


def test_every_problem_of_a_file_is_listed_one_a_line(tmp_path: Path) -> None:
    data = _broken(lambda d: (d["steps"][0]["questions"][0].update(type="colour"), d["checklist"][1].pop("why")))
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(LifeEventError) as caught:
        load_life_events(tmp_path)
    assert str(caught.value).splitlines() == [
        "broken.yaml: steps[0].questions[0].type: unknown type 'colour'",
        "broken.yaml: checklist[1].why: 'why' is required",
    ]


def test_the_question_type_is_the_registered_class() -> None:
    ecec = load_life_events()["ecec"]
    assert isinstance(ecec.question("child_birth_date").kind, DateType)
    assert all(q.kind is QUESTION_TYPES[q.type] for event in load_life_events().values() for q in event.questions())
