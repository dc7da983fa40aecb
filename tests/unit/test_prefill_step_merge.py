"""No lost answers: a posted step is merged into the newest kept answers question by question
(configurator.journey.read_submission), with the version of what the page showed.

The business event's money step (turnover, work_income, employees) is the example of issue 12: turnover was
120,000 when tab A showed the page; tab B set 50,000; tab A then sends the money step.
"""

from __future__ import annotations

from datetime import date

from configurator.geo import StaticPlaces
from configurator.journey import VERSION_FIELD, Choice, read_submission, same_answer, step_version
from configurator.lifeevents import default_life_events

TODAY = date(2026, 11, 22)
PLACES = StaticPlaces({})
BUSINESS = default_life_events()["business"]
MONEY = BUSINESS.step("money")
IDEA = BUSINESS.step("idea")
STORE = "plan-7"
KEPT = {"turnover": "120000", "work_income": "24000", "employees": "1", "partners": "alone"}


def same(question, a, b) -> bool:
    return same_answer(question, a, b, TODAY, PLACES)


def page(step, raw, store=STORE, **fields):
    """What a browser sends from a page of `step` rendered when the kept answers were `raw`."""
    return {
        VERSION_FIELD: [step_version(step.questions, raw, store)],
        **{k: v if isinstance(v, list) else [v] for k, v in fields.items()},
    }


def test_unchanged_since_shown_applies_what_was_sent() -> None:
    sent = page(MONEY, KEPT, turnover="130000", work_income="24000", employees="2")
    result = read_submission(MONEY, KEPT, sent, STORE, same)
    assert not result.conflicts and result.answered == {"turnover", "work_income", "employees"}
    assert result.apply(KEPT) == {**KEPT, "turnover": "130000", "employees": "2"}


def test_the_issues_example_is_a_conflict_shown_not_applied() -> None:
    tab_a = page(MONEY, KEPT, turnover="120000", work_income="24000", employees="1")  # rendered earlier
    newest = {**KEPT, "turnover": "50000"}  # tab B
    result = read_submission(MONEY, newest, tab_a, STORE, same)
    assert result.conflicts == {"turnover": Choice("window", {"turnover": "50000"}, {"turnover": "120000"})}
    assert result.apply(newest)["turnover"] == "50000", "50,000 never goes back to 120,000 unseen"
    assert result.answered == {"work_income", "employees"}, "the questions nobody else changed are kept as sent"


def test_a_question_changed_elsewhere_to_what_this_page_sends_is_no_conflict() -> None:
    tab_a = page(MONEY, KEPT, turnover="50 000", work_income="24000", employees="1")
    result = read_submission(MONEY, {**KEPT, "turnover": "50000"}, tab_a, STORE, same)
    assert not result.conflicts


def test_only_the_posted_steps_questions_change() -> None:
    newest = {**KEPT, "turnover": "50000"}
    stale_idea = page(IDEA, KEPT, industries=["farming"], organic="yes")
    result = read_submission(IDEA, newest, stale_idea, STORE, same)
    merged = result.apply(newest)
    assert merged["turnover"] == "50000" and merged["employees"] == "1"
    assert merged["industries"] == "farming"


def test_a_question_not_on_the_page_is_left_as_it_is() -> None:
    kept = {**KEPT, "industries": "farming", "organic": "yes"}
    shown = [q for q in IDEA.questions if q.id == "industries"]
    sent = {VERSION_FIELD: [step_version(shown, kept, STORE)], "industries": ["retail"]}
    merged = read_submission(IDEA, kept, sent, STORE, same).apply(kept)
    assert merged["organic"] == "yes" and merged["industries"] == "retail"


def test_checkboxes_left_unticked_on_the_page_clear_the_answer() -> None:
    kept = {**KEPT, "industries": "farming,animals"}
    shown = [q for q in IDEA.questions if q.id == "industries"]
    sent = {VERSION_FIELD: [step_version(shown, kept, STORE)]}
    assert "industries" not in read_submission(IDEA, kept, sent, STORE, same).apply(kept)


def test_a_page_shown_for_another_plan_changes_nothing_unseen() -> None:
    eelis_page = page(MONEY, KEPT, store="plan-6", turnover="90000", work_income="24000", employees="1")
    result = read_submission(MONEY, KEPT, eelis_page, STORE, same)
    assert set(result.conflicts) == {"turnover"}, "what differs is offered as a choice"
    assert result.apply(KEPT)["turnover"] == "120000"


def test_a_choice_made_applies_the_chosen_answer_whole() -> None:
    newest = {**KEPT, "turnover": "50000"}
    offered = page(
        MONEY,
        newest,
        **{
            "turnover-choice-kind": "window",
            "saved-turnover": "50000",
            "other-turnover": "120000",
            "turnover-choice": "other",
            "work_income": "24000",
            "employees": "1",
        },
    )
    result = read_submission(MONEY, newest, offered, STORE, same)
    assert not result.conflicts and "turnover" in result.answered
    assert result.apply(newest)["turnover"] == "120000"


def test_a_choice_not_made_is_asked_again_and_nothing_applied() -> None:
    newest = {**KEPT, "turnover": "50000"}
    offered = page(
        MONEY,
        newest,
        **{
            "turnover-choice-kind": "window",
            "saved-turnover": "50000",
            "other-turnover": "120000",
            "work_income": "24000",
            "employees": "1",
        },
    )
    result = read_submission(MONEY, newest, offered, STORE, same)
    assert result.unchosen == {"turnover": Choice("window", {"turnover": "50000"}, {"turnover": "120000"})}
    assert result.apply(newest)["turnover"] == "50000"


def test_a_choice_made_on_a_page_that_is_stale_again_is_a_new_conflict() -> None:
    shown_with = {**KEPT, "turnover": "50000"}
    offered = page(
        MONEY,
        shown_with,
        **{
            "turnover-choice-kind": "window",
            "saved-turnover": "50000",
            "other-turnover": "120000",
            "turnover-choice": "saved",
            "work_income": "24000",
            "employees": "1",
        },
    )
    newest = {**KEPT, "turnover": "60000"}  # a third window meanwhile
    result = read_submission(MONEY, newest, offered, STORE, same)
    assert result.conflicts["turnover"] == Choice("window", {"turnover": "60000"}, {"turnover": "50000"})


def test_a_post_without_a_version_replaces_the_steps_fields_as_before() -> None:
    result = read_submission(MONEY, KEPT, {"turnover": ["85000"], "work_income": ["24000"]}, STORE, same)
    merged = result.apply(KEPT)
    assert merged["turnover"] == "85000" and "employees" not in merged and merged["partners"] == "alone"
