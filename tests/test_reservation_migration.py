"""The reservation-rules migration (cc3856c1966c) on a database that already breaks the rules.

Before the partial unique indexes can be created, the later duplicates must go: a child's second confirmed
ECEC place from the same start date, a person's second appointment at a service point on one day. They are
cancelled with their places given back and a message to the person; an appointment that has already happened
is kept (it gets the next ordinal of its day instead). Downgrade and upgrade again work with the data in place.
Runs on SQLite here and on PostgreSQL from tests/test_postgres.py.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import sqlalchemy as sa
from flask import Flask

from tests.conftest import build_app

BEFORE = "97b7b60ddd1d"
REVISION = "cc3856c1966c"
FUTURE = date(2099, 3, 2)  # the migration compares with the real clock: far enough from it either way
PAST = date(2001, 3, 2)

# The tables as they are before the migration (the models already have the new columns).
OLD = sa.MetaData()


TYPES = {
    "claims": sa.JSON,
    "values": sa.JSON,
    "starts_on": sa.Date,
    "created_at": sa.DateTime,
    "cancelled_at": sa.DateTime,
    "last_signed_in_at": sa.DateTime,
    "starts_at": sa.DateTime,
}


def _table(name: str, *columns: str) -> sa.Table:
    return sa.Table(
        name,
        OLD,
        sa.Column("id", sa.Integer, primary_key=True),
        *(
            sa.Column(
                c,
                TYPES.get(
                    c,
                    sa.Integer
                    if c.endswith(("_id", "_places", "booked", "capacity", "minutes", "revision"))
                    else sa.String,
                ),
            )
            for c in columns
        ),
    )


reservation = _table(
    "reservation",
    "person_id",
    "kind",
    "location_id",
    "slot_id",
    "age_group",
    "starts_on",
    "acting_for",
    "acting_for_name",
    "status",
    "created_at",
    "cancelled_at",
)
person = _table("person", "issuer", "subject", "name", "claims", "created_at", "last_signed_in_at")
slot = _table("appointment_slot", "location_id", "starts_at", "duration_minutes", "channel", "capacity", "booked")
availability = _table("availability", "location_id", "age_group", "free_places")
message = _table("message", "person_id", "kind", "values", "link")
catalogue_state = _table("catalogue_state", "revision")


def check_migration_cancels_duplicates(app: Flask) -> None:
    from flask_migrate import downgrade, upgrade

    from portal.extensions import db

    with app.app_context():
        engine = db.engine
        db.session.remove()
        downgrade(revision=BEFORE)
        made = datetime(2026, 11, 1, 12, 0)
        with engine.begin() as connection:
            people = []
            for n in (1, 2):
                people.append(
                    connection.execute(
                        sa.insert(person).values(
                            issuer="migration-test",
                            subject=f"migration-{n}",
                            name=f"Person {n}",
                            claims={},
                            created_at=made,
                            last_signed_in_at=made,
                        )
                    ).inserted_primary_key[0]
                )
            one, two = people
            group, unit_a, unit_b = _two_units(connection)
            free_before = _free(connection, group, unit_a, unit_b)
            point = connection.execute(
                sa.text(
                    "SELECT service_location.id FROM service_location JOIN service ON service.id = "
                    "service_location.service_id WHERE service.kind IS NOT NULL ORDER BY service_location.id"
                )
            ).first()[0]
            slots = {}
            for key, day, minute in (
                ("s1", FUTURE, 1),
                ("s2", FUTURE, 3),
                ("s3", date(2099, 3, 3), 1),
                ("p1", PAST, 1),
                ("p2", PAST, 3),
            ):
                slots[key] = connection.execute(
                    sa.insert(slot).values(
                        location_id=point,
                        starts_at=datetime.combine(day, time(4, minute)),
                        duration_minutes=30,
                        channel="in_person",
                        capacity=3,
                        booked=0,
                    )
                ).inserted_primary_key[0]

            def add(**values: object) -> int:
                values = {
                    "acting_for": "self",
                    "acting_for_name": None,
                    "status": "confirmed",
                    "created_at": made,
                    **values,
                }
                if values["kind"] == "appointment" and values["status"] == "confirmed":
                    connection.execute(
                        sa.update(slot).where(slot.c.id == values["slot_id"]).values(booked=slot.c.booked + 1)
                    )
                return connection.execute(sa.insert(reservation).values(**values)).inserted_primary_key[0]

            place_first = add(
                person_id=one,
                kind="ecec_place",
                location_id=unit_a,
                age_group=group,
                starts_on=FUTURE,
                acting_for="child:1",
                acting_for_name="Eeli",
            )
            place_cancelled = add(
                person_id=one,
                kind="ecec_place",
                location_id=unit_b,
                age_group=group,
                starts_on=FUTURE,
                acting_for="child:1",
                acting_for_name="Eeli",
                status="cancelled",
                cancelled_at=made,
            )
            place_second = add(
                person_id=one,
                kind="ecec_place",
                location_id=unit_b,
                age_group=group,
                starts_on=FUTURE,
                acting_for="child:1",
                acting_for_name="Eeli",
            )
            place_sibling = add(
                person_id=one,
                kind="ecec_place",
                location_id=unit_b,
                age_group=group,
                starts_on=FUTURE,
                acting_for="child:2",
                acting_for_name="Helmi",
            )
            s1 = add(person_id=one, kind="appointment", location_id=point, slot_id=slots["s1"])
            s2 = add(person_id=one, kind="appointment", location_id=point, slot_id=slots["s2"])
            s3 = add(person_id=one, kind="appointment", location_id=point, slot_id=slots["s3"])
            p1 = add(person_id=one, kind="appointment", location_id=point, slot_id=slots["p1"])
            p2 = add(person_id=one, kind="appointment", location_id=point, slot_id=slots["p2"])
            other = add(person_id=two, kind="appointment", location_id=point, slot_id=slots["s2"])
            revision = connection.scalar(sa.select(catalogue_state.c.revision).where(catalogue_state.c.id == 1)) or 0
        try:
            upgrade()
            rows = {
                r.id: r
                for r in db.session.execute(
                    sa.text(
                        "SELECT id, status, cancelled_at, appointment_on, day_ordinal FROM reservation "
                        "WHERE person_id IN (:one, :two)"
                    ).columns(appointment_on=sa.Date, cancelled_at=sa.DateTime),
                    {"one": one, "two": two},
                )
            }
            status = {
                key: rows[rid].status
                for key, rid in (
                    ("place_first", place_first),
                    ("place_cancelled", place_cancelled),
                    ("place_second", place_second),
                    ("place_sibling", place_sibling),
                    ("s1", s1),
                    ("s2", s2),
                    ("s3", s3),
                    ("p1", p1),
                    ("p2", p2),
                    ("other", other),
                )
            }
            assert status == {
                "place_first": "confirmed",
                "place_cancelled": "cancelled",
                "place_second": "cancelled",  # the same child and start date, made later
                "place_sibling": "confirmed",  # another child
                "s1": "confirmed",
                "s2": "cancelled",  # the same person, point and day
                "s3": "confirmed",  # another day
                "p1": "confirmed",
                "p2": "confirmed",  # happened already: kept
                "other": "confirmed",
            }  # another person
            assert rows[place_second].cancelled_at is not None and rows[s2].cancelled_at is not None
            assert [(rows[r].appointment_on, rows[r].day_ordinal) for r in (s1, s3, p1, p2)] == [
                (FUTURE, 1),
                (date(2099, 3, 3), 1),
                (PAST, 1),
                (PAST, 2),
            ]
            assert rows[place_first].appointment_on is None and rows[place_first].day_ordinal is None
            # The cancelled ones' places are free again; the catalogue cache hears of it.
            assert _free(db.session, group, unit_a, unit_b) == free_before[:1] + [free_before[1] + 1]
            booked = dict(
                db.session.execute(sa.select(slot.c.id, slot.c.booked).where(slot.c.id.in_(list(slots.values())))).all()
            )
            assert {key: booked[sid] for key, sid in slots.items()} == {"s1": 1, "s2": 1, "s3": 1, "p1": 1, "p2": 1}
            assert (
                db.session.scalar(sa.select(catalogue_state.c.revision).where(catalogue_state.c.id == 1))
                == revision + 1
            )
            told = db.session.execute(
                sa.select(message.c.kind, message.c.link, message.c["values"]).where(message.c.person_id == one)
            ).all()
            assert sorted((kind, link) for kind, link, _ in told) == sorted(
                [
                    ("reservation_cancelled", f"/own/reservations/{place_second}"),
                    ("reservation_cancelled", f"/own/reservations/{s2}"),
                ]
            )
            values = {link: v for _, link, v in told}
            assert values[f"/own/reservations/{place_second}"]["starts_on"] == FUTURE.isoformat()
            assert values[f"/own/reservations/{s2}"]["starts_at"] == "2099-03-02T04:03:00"
            assert (
                db.session.scalar(sa.select(sa.func.count()).select_from(message).where(message.c.person_id == two))
                == 0
            )
            db.session.commit()

            # The indexes hold now: a second confirmed place for the same child and start date is refused.
            with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
                connection.execute(
                    sa.insert(reservation).values(
                        person_id=one,
                        kind="ecec_place",
                        location_id=unit_b,
                        age_group=group,
                        starts_on=FUTURE,
                        acting_for="child:1",
                        status="confirmed",
                        created_at=made,
                    )
                )

            # Down and up again with the data in place.
            db.session.remove()
            downgrade(revision=BEFORE)
            columns = {c["name"] for c in sa.inspect(engine).get_columns("reservation")}
            assert {"appointment_on", "day_ordinal", "phone"}.isdisjoint(columns)
            assert "appointments_per_person_per_day" not in {
                c["name"] for c in sa.inspect(engine).get_columns("service_location")
            }
        finally:
            db.session.remove()
            upgrade()
            with engine.begin() as connection:
                connection.execute(sa.delete(message).where(message.c.person_id.in_(people)))
                connection.execute(sa.delete(reservation).where(reservation.c.person_id.in_(people)))
                connection.execute(sa.delete(slot).where(slot.c.id.in_(list(slots.values()))))
                connection.execute(sa.delete(person).where(person.c.id.in_(people)))
                for unit, free in zip((unit_a, unit_b), free_before):
                    connection.execute(
                        sa.update(availability)
                        .where(availability.c.location_id == unit, availability.c.age_group == group)
                        .values(free_places=free)
                    )
        assert {"appointment_on", "day_ordinal", "phone"} <= {
            c["name"] for c in sa.inspect(engine).get_columns("reservation")
        }


def _two_units(connection: sa.Connection) -> tuple[str, int, int]:
    group = connection.scalar(sa.select(availability.c.age_group).order_by(availability.c.location_id).limit(1))
    first, second = connection.scalars(
        sa.select(availability.c.location_id)
        .where(availability.c.age_group == group)
        .order_by(availability.c.location_id)
        .limit(2)
    ).all()
    return group, first, second


def _free(connection: object, group: str, *units: int) -> list[int]:
    return [
        connection.scalar(
            sa.select(availability.c.free_places).where(
                availability.c.location_id == unit, availability.c.age_group == group
            )
        )
        for unit in units
    ]


def test_migration_cancels_duplicates_on_sqlite(tmp_path) -> None:
    check_migration_cancels_duplicates(build_app(f"sqlite:///{tmp_path / 'migration.db'}"))
