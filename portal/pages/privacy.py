"""The privacy notice (GDPR articles 13 and 14), generated from what the portal actually stores.

A notice written from memory drifts from the database: a column is added for a feature and nobody tells
the people whose data it holds. So the notice is data (portal/content/privacy.yaml) checked against the
real tables: ``coverage_problems`` lists every column of every mapped table that is neither described
nor listed as not personal, and every described column that does not exist. The tests run it over
``db.metadata``; the page renders the same file, with the session timeouts of the configuration.

The check is not run when the app starts: a new table must fail the tests, not take the portal down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask import Flask
from sqlalchemy import MetaData

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "content" / "privacy.yaml"
# Placeholders a retention text may use (see retention_values).
RETENTION_PLACEHOLDERS = frozenset({"idle_minutes", "max_hours"})
DEFAULT_CONTACT_EMAIL = "tietosuoja@polku.example.fi"


class PrivacyNoticeError(ValueError):
    """The notice file is malformed or does not match the tables."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Basis:
    id: str
    title: str
    summary: str


@dataclass(frozen=True)
class Retention:
    id: str
    summary: str


@dataclass(frozen=True)
class Source:
    id: str
    label: str


@dataclass(frozen=True)
class StoredField:
    """One column that holds personal data or is linked to a person."""

    column: str
    label: str
    hint: str | None
    why: str
    bases: tuple[Basis, ...]
    kept: Retention
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class StoredTable:
    """A table with data about a person; its basis, retention and sources are the default of its fields."""

    name: str
    title: str
    summary: str
    why: str
    bases: tuple[Basis, ...]
    kept: Retention
    sources: tuple[Source, ...]
    fields: tuple[StoredField, ...]
    not_personal: Mapping[str, str]

    def columns(self) -> set[str]:
        return {f.column for f in self.fields} | set(self.not_personal)


@dataclass(frozen=True)
class Notice:
    tables: tuple[StoredTable, ...]
    catalogue: Mapping[str, tuple[str, ...]]  # table -> its columns, none personal
    bases: Mapping[str, Basis]
    retention: Mapping[str, Retention]
    sources: Mapping[str, Source]

    def table(self, name: str) -> StoredTable:
        return next(t for t in self.tables if t.name == name)

    def described_columns(self) -> dict[str, set[str]]:
        """Every column the file accounts for, personal or not, by table."""
        return {t.name: t.columns() for t in self.tables} | {name: set(cols) for name, cols in self.catalogue.items()}


def _text(data: Mapping[str, Any], key: str, where: str, problems: list[str], required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' must be a text")
        return None
    return " ".join(value.split())


def _refs(value: Any, known: Mapping[str, Any], where: str, problems: list[str]) -> tuple[Any, ...]:
    ids = value if isinstance(value, list) else [value]
    if not ids or not all(isinstance(i, str) for i in ids):
        problems.append(f"{where}: expected one or more ids")
        return ()
    unknown = [i for i in ids if i not in known]
    if unknown:
        problems.append(f"{where}: unknown {', '.join(unknown)}")
    return tuple(known[i] for i in ids if i in known)


def _definitions(data: Any, kind: str, problems: list[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict) or not data:
        problems.append(f"'{kind}' must be a mapping of ids")
        return {}
    return {key: value if isinstance(value, dict) else {} for key, value in data.items()}


def _retention(raw: dict[str, dict[str, Any]], problems: list[str]) -> dict[str, Retention]:
    kept = {}
    for rid, item in raw.items():
        summary = _text(item, "summary", f"kept.{rid}", problems) or ""
        unknown = set(re.findall(r"\{(\w*)\}", summary)) - RETENTION_PLACEHOLDERS
        if unknown:
            problems.append(f"kept.{rid}: unknown placeholders {sorted(unknown)}")
        kept[rid] = Retention(rid, summary)
    return kept


def _field(
    column: str, item: Any, table: dict[str, Any], refs: tuple[dict, dict, dict], where: str, problems: list[str]
) -> StoredField | None:
    bases, kept, sources = refs
    if not isinstance(item, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    return StoredField(
        column=column,
        label=_text(item, "label", where, problems) or "",
        hint=_text(item, "hint", where, problems, required=False),
        why=_text(item, "why", where, problems) or "",
        bases=_refs(item.get("basis", table.get("basis")), bases, f"{where}.basis", problems),
        kept=(_refs(item.get("kept", table.get("kept")), kept, f"{where}.kept", problems) or (None,))[0],
        sources=_refs(item.get("from", table.get("from")), sources, f"{where}.from", problems),
    )


def _table(name: str, item: Any, refs: tuple[dict, dict, dict], problems: list[str]) -> StoredTable:
    bases, kept, sources = refs
    item = item if isinstance(item, dict) else {}
    where = f"tables.{name}"
    fields_raw = item.get("fields") or {}
    not_personal = item.get("not_personal") or {}
    if not isinstance(fields_raw, dict) or not fields_raw:
        problems.append(f"{where}: 'fields' must describe the table's personal columns")
        fields_raw = {}
    if not isinstance(not_personal, dict) or not all(isinstance(r, str) and r for r in not_personal.values()):
        problems.append(f"{where}: 'not_personal' must give a reason for each column")
        not_personal = {}
    for column in set(fields_raw) & set(not_personal):
        problems.append(f"{where}.{column}: both described and listed as not personal")
    fields = [
        _field(column, value, item, refs, f"{where}.fields.{column}", problems) for column, value in fields_raw.items()
    ]
    return StoredTable(
        name=name,
        title=_text(item, "title", where, problems) or "",
        summary=_text(item, "summary", where, problems) or "",
        why=_text(item, "why", where, problems) or "",
        bases=_refs(item.get("basis"), bases, f"{where}.basis", problems),
        kept=(_refs(item.get("kept"), kept, f"{where}.kept", problems) or (None,))[0],
        sources=_refs(item.get("from"), sources, f"{where}.from", problems),
        fields=tuple(f for f in fields if f is not None),
        not_personal=dict(not_personal),
    )


def _catalogue(data: Any, problems: list[str]) -> dict[str, tuple[str, ...]]:
    catalogue = {}
    for name, item in (data or {}).items():
        if not isinstance(item, dict) or not item.get("reason") or not isinstance(item.get("columns"), list):
            problems.append(f"catalogue.{name}: needs a reason and the list of its columns")
            continue
        catalogue[name] = tuple(str(c) for c in item["columns"])
    return catalogue


def parse(data: Any) -> Notice:
    """The notice from the file's data; every id it refers to must be defined."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise PrivacyNoticeError(["the privacy notice must be a mapping"])
    bases = {
        bid: Basis(
            bid,
            _text(item, "title", f"bases.{bid}", problems) or "",
            _text(item, "summary", f"bases.{bid}", problems) or "",
        )
        for bid, item in _definitions(data.get("bases"), "bases", problems).items()
    }
    kept = _retention(_definitions(data.get("kept"), "kept", problems), problems)
    sources = {
        sid: Source(sid, _text(item, "label", f"sources.{sid}", problems) or "")
        for sid, item in _definitions(data.get("sources"), "sources", problems).items()
    }
    refs = (bases, kept, sources)
    tables = tuple(
        _table(name, item, refs, problems)
        for name, item in _definitions(data.get("tables"), "tables", problems).items()
    )
    catalogue = _catalogue(data.get("catalogue"), problems)
    for name in {t.name for t in tables} & set(catalogue):
        problems.append(f"{name}: both a personal table and a catalogue table")
    if problems:
        raise PrivacyNoticeError(problems)
    return Notice(tables, catalogue, bases, kept, sources)


def load(path: Path | str = DEFAULT_PATH) -> Notice:
    return parse(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def coverage_problems(notice: Notice, metadata: MetaData) -> list[str]:
    """What the notice misses or invents, compared with the tables: a column of a mapped table that is neither
    described nor listed as not personal, a table it does not name, and a column or table it names that does
    not exist. Empty when the notice accounts for everything stored."""
    problems = []
    described = notice.described_columns()
    for name, table in sorted(metadata.tables.items()):
        if name not in described:
            problems.append(f"table {name} is not in the privacy notice")
            continue
        actual = {c.name for c in table.columns}
        problems += [f"{name}.{c} is not in the privacy notice" for c in sorted(actual - described[name])]
        problems += [
            f"{name}.{c} is in the privacy notice but not in the table" for c in sorted(described[name] - actual)
        ]
    problems += [
        f"table {name} is in the privacy notice but not in the database"
        for name in sorted(set(described) - set(metadata.tables))
    ]
    return problems


def check_coverage(notice: Notice, metadata: MetaData) -> None:
    problems = coverage_problems(notice, metadata)
    if problems:
        raise PrivacyNoticeError(problems)


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def retention_values(config: Mapping[str, Any]) -> dict[str, int | float]:
    """The figures the retention texts name, from the configuration the sessions really use."""
    return {
        "idle_minutes": _whole(config["SESSION_IDLE_TIMEOUT"].total_seconds() / 60),
        "max_hours": _whole(config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds() / 3600),
    }


def contact(config: Mapping[str, Any]) -> dict[str, str]:
    """The controller and its contact address: PRIVACY_CONTROLLER and PRIVACY_CONTACT_EMAIL of the app's
    configuration, else POLKU_PRIVACY_CONTROLLER and POLKU_PRIVACY_EMAIL in the environment. A demonstration
    has no real controller, so the name stays empty (the page says so) rather than naming an organisation."""
    return {
        "controller": config.get("PRIVACY_CONTROLLER") or os.environ.get("POLKU_PRIVACY_CONTROLLER", ""),
        "email": config.get("PRIVACY_CONTACT_EMAIL") or os.environ.get("POLKU_PRIVACY_EMAIL") or DEFAULT_CONTACT_EMAIL,
    }


def private_questions(events: Iterable[Any]) -> list[tuple[Any, Any]]:
    """(event, question) for every question whose answers stay in the session and never reach a saved plan."""
    return [(event, question) for event in events for question in event.questions() if question.private]


def notice_of(app: Flask) -> Notice:
    """The notice, loaded once per app (PRIVACY_NOTICE in the configuration names another file)."""
    notice = app.extensions.get("polku.privacy_notice")
    if notice is None:
        notice = app.extensions["polku.privacy_notice"] = load(app.config.get("PRIVACY_NOTICE") or DEFAULT_PATH)
    return notice
