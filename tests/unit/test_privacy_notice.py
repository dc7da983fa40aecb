"""The privacy notice accounts for every column the portal stores (issue 13, hole 9): a column added to a
model without a line in portal/content/privacy.yaml fails here."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from portal import account_models, models  # noqa: F401 - every mapped table on db.metadata
from portal.extensions import db
from portal.pages.privacy import (
    DEFAULT_PATH,
    PrivacyNoticeError,
    check_coverage,
    coverage_problems,
    load,
    parse,
    retention_values,
)


@pytest.fixture(scope="module")
def notice():
    return load()


def copy_of_tables() -> MetaData:
    """The real tables in a throwaway MetaData, so a test can add to them without touching the models."""
    metadata = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    return metadata


def raw_notice() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_every_stored_column_is_in_the_notice(notice) -> None:
    assert coverage_problems(notice, db.metadata) == []
    check_coverage(notice, db.metadata)  # does not raise


def test_the_tables_that_hold_personal_data_are_described() -> None:
    described = {t.name for t in load().tables}
    assert described == {
        "web_session",
        "person",
        "consent",
        "saved_plan",
        "task_progress",
        "share_link",
        "calendar_feed",
        "dismissed_suggestion",
        "reservation",
        "message",
        "feedback",
        "rate_limit",
    }


def test_no_table_linked_to_a_person_hides_among_the_catalogue(notice) -> None:
    """A table with a path to person (a foreign key to it, or to a table that has one) is personal, whatever
    the file says."""
    linked = {"person"}
    changed = True
    while changed:
        changed = False
        for name, table in db.metadata.tables.items():
            if name not in linked and any(fk.column.table.name in linked for fk in table.foreign_keys):
                linked.add(name)
                changed = True
    # rate_limit holds client addresses and person numbers in its keys, without a foreign key
    assert linked | {"rate_limit"} == {t.name for t in notice.tables}
    assert not linked & set(notice.catalogue)


def test_a_new_table_fails_the_check(notice) -> None:
    metadata = copy_of_tables()
    Table(
        "pet",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("person_id", ForeignKey("person.id")),
        Column("owner_nickname", String(80)),
    )
    assert coverage_problems(notice, metadata) == ["table pet is not in the privacy notice"]
    with pytest.raises(PrivacyNoticeError, match="table pet"):
        check_coverage(notice, metadata)


def test_a_new_column_of_a_personal_table_fails_the_check(notice) -> None:
    metadata = copy_of_tables()
    metadata.tables["person"].append_column(Column("shoe_size", Integer))
    metadata.tables["feedback"].append_column(Column("email", String(120)))
    assert coverage_problems(notice, metadata) == [
        "feedback.email is not in the privacy notice",
        "person.shoe_size is not in the privacy notice",
    ]


def test_a_new_column_of_a_catalogue_table_fails_the_check_too(notice) -> None:
    metadata = copy_of_tables()
    metadata.tables["service_location"].append_column(Column("manager_name", String(200)))
    assert coverage_problems(notice, metadata) == ["service_location.manager_name is not in the privacy notice"]


def test_a_described_column_or_table_that_does_not_exist_fails_the_check(notice) -> None:
    metadata = MetaData()
    for table in db.metadata.sorted_tables:
        if table.name == "share_link":
            continue
        columns = [Column(c.name, c.type) for c in table.columns if (table.name, c.name) != ("reservation", "phone")]
        Table(table.name, metadata, *columns)
    assert coverage_problems(notice, metadata) == [
        "reservation.phone is in the privacy notice but not in the table",
        "table share_link is in the privacy notice but not in the database",
    ]


def test_every_field_has_a_text_basis_retention_and_source(notice) -> None:
    for table in notice.tables:
        assert table.title and table.summary and table.why and table.bases and table.sources and table.kept
        for field in table.fields:
            assert field.label and field.why and field.bases and field.sources and field.kept, (table.name, field)


def test_retention_and_bases_read_from_the_code(notice) -> None:
    """What the file says about a few fields, as the code does it: private answers live in the session only,
    the session ends by the configured timeouts, consent records are kept as evidence."""
    session_data = next(f for f in notice.table("web_session").fields if f.column == "data")
    assert [b.id for b in session_data.bases] == ["public_task", "your_choice"]
    assert notice.table("web_session").kept.id == "session"
    assert "{idle_minutes}" in notice.retention["session"].summary
    assert "{max_hours}" in notice.retention["session"].summary
    assert [b.id for b in notice.table("consent").bases] == ["legal_obligation"]
    claims = next(f for f in notice.table("person").fields if f.column == "claims")
    assert [b.id for b in claims.bases] == ["public_task", "consent"]
    assert [s.id for s in claims.sources] == ["population_register"]


def test_retention_values_are_the_configured_timeouts() -> None:
    config = {"SESSION_IDLE_TIMEOUT": timedelta(minutes=45), "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=6)}
    assert retention_values(config) == {"idle_minutes": 45, "max_hours": 6}
    config = {"SESSION_IDLE_TIMEOUT": timedelta(seconds=90), "SESSION_ABSOLUTE_TIMEOUT": timedelta(minutes=90)}
    assert retention_values(config) == {"idle_minutes": 1.5, "max_hours": 1.5}


def test_an_unknown_basis_retention_or_source_is_refused() -> None:
    data = raw_notice()
    data["tables"]["person"]["fields"]["name"]["basis"] = ["legitimate_interest"]
    data["tables"]["feedback"]["kept"] = "forever"
    data["tables"]["message"]["from"] = ["rumour"]
    with pytest.raises(PrivacyNoticeError) as error:
        parse(data)
    problems = error.value.problems
    assert "tables.person.fields.name.basis: unknown legitimate_interest" in problems
    assert "tables.feedback.kept: unknown forever" in problems
    assert "tables.feedback.fields.comment.kept: unknown forever" in problems  # fields inherit the table's
    assert "tables.message.from: unknown rumour" in problems
    assert all("unknown" in p and ("person.fields.name" in p or "feedback" in p or "message" in p) for p in problems)


def test_a_field_without_a_purpose_an_unknown_placeholder_and_a_double_entry_are_refused() -> None:
    data = raw_notice()
    del data["tables"]["reservation"]["fields"]["phone"]["why"]
    data["kept"]["plan"]["summary"] = "For {years} years."
    data["tables"]["consent"]["not_personal"]["purpose"] = "a code"
    with pytest.raises(PrivacyNoticeError) as error:
        parse(data)
    assert error.value.problems == [
        "kept.plan: unknown placeholders ['years']",
        "tables.consent.purpose: both described and listed as not personal",
        "tables.reservation.fields.phone: 'why' must be a text",
    ]
