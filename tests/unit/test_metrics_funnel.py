"""The funnel and channel-share queries on counters written directly (portal/metrics/funnel.py): the step order,
"left" derived from the next step and the plan, the period and language filters, and shares that add up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from portal.extensions import db
from portal.metrics.funnel import channel_shares, funnel
from portal.metrics.models import ChannelCount, JourneyCount
from tests.conftest import build_app

MONDAY, TUESDAY, LATER = date(2026, 11, 16), date(2026, 11, 17), date(2026, 12, 1)


@pytest.fixture()
def counted(tmp_path: Path) -> Flask:
    app = build_app(f"sqlite:///{tmp_path / 'funnel.db'}")
    rows = [
        # English on Monday: 10 started; 10, 7, 7, 5, 4 reached the steps; 3 the plan; 1 saved
        ("en", MONDAY, "started", "", 10),
        *(
            ("en", MONDAY, "reached", s, n)
            for s, n in zip(("child", "care", "places", "family", "providers"), (10, 7, 7, 5, 4), strict=True)
        ),
        ("en", MONDAY, "plan", "", 3),
        ("en", MONDAY, "saved", "", 1),
        # Finnish on Tuesday: more reached "places" than "care" (a language switch midway): left is 0, not -1
        ("fi", TUESDAY, "started", "", 2),
        ("fi", TUESDAY, "reached", "child", 2),
        ("fi", TUESDAY, "reached", "care", 1),
        ("fi", TUESDAY, "reached", "places", 2),
        # outside the period
        ("en", LATER, "started", "", 100),
    ]
    with app.app_context():
        for language, day, measure, step, count in rows:
            db.session.add(
                JourneyCount(day=day, event_id="ecec", step=step, language=language, measure=measure, count=count)
            )
        for language, channel, count in (("en", "eservice", 6), ("en", "phone", 2), ("fi", "in_person", 2)):
            db.session.add(
                ChannelCount(
                    day=MONDAY,
                    event_id="ecec",
                    task_id="apply_for_ecec",
                    channel=channel,
                    language=language,
                    count=count,
                )
            )
        db.session.add(
            ChannelCount(day=MONDAY, event_id="business", task_id="x", channel="phone", language="en", count=5)
        )
        db.session.commit()
    return app


def test_funnel_in_step_order_with_left_derived(counted: Flask) -> None:
    with counted.app_context():
        en = funnel("ecec", MONDAY, TUESDAY, "en")
        assert [(s.step, s.reached, s.left) for s in en.steps] == [
            ("child", 10, 3),
            ("care", 7, 0),
            ("places", 7, 2),
            ("family", 5, 1),
            ("providers", 4, 1),  # reached the last step, never saw the plan
        ]
        assert (en.started, en.plan, en.saved, en.left) == (10, 3, 1, 7)
        fi = funnel("ecec", MONDAY, TUESDAY, "fi")
        assert [(s.step, s.reached, s.left) for s in fi.steps][:3] == [
            ("child", 2, 1),
            ("care", 1, 0),
            ("places", 2, 2),
        ]
        both = funnel("ecec", MONDAY, TUESDAY)
        assert both.started == 12 and both.steps[0].reached == 12
        assert funnel("ecec", TUESDAY, TUESDAY).started == 2
        assert funnel("ecec", MONDAY, LATER, "en").started == 110
        with pytest.raises(KeyError):
            funnel("no_such_event", MONDAY, TUESDAY)


def test_channel_shares_in_a_fixed_order_and_adding_up(counted: Flask) -> None:
    with counted.app_context():
        shares = channel_shares("ecec", MONDAY, TUESDAY)
        assert [(s.channel, s.count) for s in shares] == [("eservice", 6), ("phone", 2), ("in_person", 2)]
        assert [s.share for s in shares] == pytest.approx([0.6, 0.2, 0.2])
        assert [s.count for s in channel_shares(None, MONDAY, TUESDAY)] == [6, 7, 2]
        assert [s.count for s in channel_shares("ecec", MONDAY, TUESDAY, "fi")] == [0, 0, 2]
        assert [s.share for s in channel_shares("ecec", LATER, LATER)] == [0.0, 0.0, 0.0]
