"""The change log says every field in words (portal/organisers/log.py): the service catalogue (PTV) import's
location fields, and their values where a number or a code would mean nothing to an organiser (the service by its
name, the languages of service by their names). The feedback handling fields are tested through the pages in
tests/web/test_feedback_handling.py."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape as html_unescape
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Service


def entry(field: str, old: str | None, new: str | None, minute: int) -> AuditEntry:
    return AuditEntry(
        at=datetime(2031, 1, 15, 8, minute),  # after anything else in the log
        actor_subject="ptv",
        actor_name="PTV",
        location_id=1001,
        object_type="service_location",
        object_id=1001,
        action="updated",
        field=field,
        old_value=old,
        new_value=new,
        channel="ptv-import",
    )


DIRECTOR = {
    "sub": "director",
    "issuer": "https://staff.test",
    "name": "Pirjo Heinonen",
    "roles": ["unit_director"],
    "organisations": [],
    "units": [1001],
}


def shown(app: Flask, lang: str) -> list[tuple[str, str, str]]:
    """The log page's entries of the import as (what, was, became)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["staff"] = dict(DIRECTOR)
    html = client.get(f"/{lang}/organiser/log?unit=1001").get_data(as_text=True)
    found = []
    for item in re.findall(r'<li class="change-log__entry">(.*?)</li>', html, re.S):
        what = re.sub(r"<[^>]+>", "", re.search(r"<strong>(.*?)</strong>", item, re.S).group(1)).strip()
        was, became = (v.strip() for v in re.findall(r"<dd>(.*?)</dd>", item, re.S))
        found.append((html_unescape(what), html_unescape(was), html_unescape(became)))
    return found


def test_ptv_location_fields_in_words(tmp_path: Path) -> None:
    from tests.conftest import build_app

    app: Flask = build_app(f"sqlite:///{tmp_path / 'log.db'}")
    with app.app_context():
        service = db.session.scalars(select(Service).where(Service.name_sv.is_not(None)).order_by(Service.id)).first()
        names = (service.name_en or service.name_fi, service.name_sv)
        # added oldest first; the page lists the newest first
        for minute, (field, old, new) in enumerate(
            (
                ("eservice_accessibility", None, "PartiallyCompliant"),
                ("street_address", "Kurjenkatu 1", "Kurjenkatu 3"),
                ("languages", '["fi"]', '["fi", "sv"]'),
                ("service_id", None, str(service.id)),
            )
        ):
            db.session.add(entry(field, old, new, minute))
        db.session.commit()
    assert shown(app, "en")[:4] == [
        ("Changed: Service", "–", names[0]),
        ("Changed: Languages of service", "Finnish", "Finnish, Swedish"),
        ("Changed: Street address", "Kurjenkatu 1", "Kurjenkatu 3"),
        ("Changed: Accessibility of the e-service", "–", "PartiallyCompliant"),
    ]
    swedish = shown(app, "sv")[:2]
    assert swedish[0][1:] == ("–", names[1]) and swedish[0][0].endswith("Tjänst")
    assert swedish[1][0].endswith("Servicespråk")
