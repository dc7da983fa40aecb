"""Load and fault test (issue 17, item 5): two `make serve` instances on one PostgreSQL, driven over loopback.

What it does, all on 127.0.0.1 and bounded by --seconds and --max-requests:

1. starts a PostgreSQL cluster of its own (initdb in a temporary directory, a free port; never the suite's shared
   one, because it restarts it), runs the migrations once (`flask init-db`) and loads the demo data;
2. starts two gunicorn instances as `make serve` does (gunicorn.conf.py, development settings) with one shared
   SECRET_KEY and the same DATABASE_URL; both are given the first instance's address as POLKU_BASE_URL: the
   driver plays the load balancer in front of them and sends each request of a visitor to the other instance
   than the one before, so a sign-in started on one instance is finished on the other;
3. runs virtual visitors (threads) that answer the ECEC journey anonymously, sign in with the development
   provider, save their plan, and race for the same few appointment slots and the same few ECEC places, and
   cancel some of them so that the places keep being fought over;
4. mid-run kills one gunicorn worker (SIGKILL; its master starts another) and restarts PostgreSQL
   (``pg_ctl restart -m fast``);
5. reports requests per second, p50/p95 per kind of request and the errors by kind, split into those that
   overlap a fault (the requests in flight when a worker died or while the database restarted) and all the
   others; then checks the database: every plan save that was answered with success exists exactly once,
   every reservation answered as made exists (and is confirmed unless cancelled), none is duplicated, and no
   slot or place is overbooked (booked <= capacity, counters equal the confirmed reservations).

The exit status is 0 only when every check holds and no error happened outside the fault windows (and the
fault-window errors stay within --fault-error-budget). ``--json FILE`` writes the report for tests/load.

Why threads and ``requests`` rather than locust: locust needs gevent, which monkey-patches sockets, threads and
``subprocess`` of the whole process; this runner also drives PostgreSQL and gunicorn processes and reads the
database with psycopg, and it is run from pytest (on xdist workers). A few threads with blocking clients give
all the load a two-core machine can take for this test, with nothing patched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECRET_KEY = "load-test-shared-secret-" + "k" * 24  # shared by both instances, as by every machine in production
LANG = "en"
# The ECEC journey's answers are the tests' (tests/helpers.py ECEC_STEPS): the same on every visit, so a person's
# saved plan never differs from what a new visit typed before signing in (a difference would make the person
# choose on a step instead of saving).
sys.path.insert(0, str(ROOT))
from tests.helpers import ECEC_STEPS  # noqa: E402

PEOPLE = (  # the development provider's citizens (portal/dev_idp/people.yaml)
    "0bb8ac72-7c30-415a-af73-87d2d3e2e58a",
    "6d76d80a-2420-42a4-a209-c91ec0eb89ee",
    "a1ae38a8-721d-40d8-aa89-21de02eb7153",
    "caaa8035-7048-43be-9d4e-1b4026df4b2d",
)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PERSON_OPTION = re.compile(r'name="person"[^>]*value="([^"]+)"')
PLAN_SAVED = re.compile(r"/own/plans/(\d+)\?saved=plan")
RESERVED = re.compile(r"/own/reservations/(\d+)\?done=reserved")
CANCELLED = re.compile(r"/own/reservations/(\d+)\?done=cancelled")


# ---------- PostgreSQL of its own ----------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_bindir() -> Path:
    found = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin")) if (Path(p) / "initdb").exists()]
    if shutil.which("pg_config"):
        configured = Path(subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip())
        if (configured / "initdb").exists():
            found.append(configured)
    if not found:
        raise SystemExit("load_test: PostgreSQL server binaries (initdb) not found; install the 'postgresql' package")
    return found[-1]


class Postgres:
    """A throw-away cluster on 127.0.0.1:<free port>, trust authentication, fsync off. As root it runs as the
    'postgres' system user (PostgreSQL refuses root), as scripts/with-postgres.sh does."""

    def __init__(self, workdir: Path) -> None:
        self.bindir = postgres_bindir()
        self.dir = workdir / "pg"
        self.dir.mkdir()
        self.port = free_port()
        self.as_owner: list[str] = []
        if os.getuid() == 0:
            shutil.chown(workdir, "postgres")
            shutil.chown(self.dir, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+psycopg://polku@127.0.0.1:{self.port}/polku"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_owner, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        data = str(self.dir / "data")
        self._run(
            str(self.bindir / "initdb"), "-D", data, "-U", "polku", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        self._pg_ctl("start")
        self._run(str(self.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "polku", "polku")

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "server.log"),
            "-w",
            "-o",
            options,
            action,
            *extra,
        )

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        try:
            self._pg_ctl("stop", "-m", "immediate")
        except (subprocess.SubprocessError, OSError):
            pass


# ---------- two gunicorn instances ----------


def portal_env(database_url: str, base_url: str, provider: str) -> dict[str, str]:
    """`make serve`'s development settings, with one key and one database for every instance; every rate limit
    off (all the load comes from one address), no fixed date (the demo slots are made from today). The
    development provider's issuer is a third instance of its own (see ``run``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLKU_", "OIDC_", "STAFF_OIDC_"))}
    env |= {
        "FLASK_APP": "portal",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "SESSION_COOKIE_SECURE": "0",
        "POLKU_BASE_URL": base_url,
        "POLKU_DEV_IDP_ISSUER": provider + "/dev-idp",
        "POLKU_RATE_LIMITS_ENABLED": "0",
        "POLKU_LOG_FORMAT": "json",
        "POLKU_GRACEFUL_TIMEOUT": "3",
    }
    env.pop("POLKU_ENV", None)
    return env


# `flask init-db` then `flask load-demo`, as `make db` runs them, in one process (one start of the app, not two).
MIGRATE_AND_LOAD = """
import sys
from portal import create_app
runner = create_app().test_cli_runner()
for command in ("init-db", "load-demo"):
    done = runner.invoke(args=[command])
    if done.exit_code != 0:
        sys.exit(f"flask {command} failed: {done.output}{done.exception!r}")
"""


def migrate_and_load_demo(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_LOAD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise SystemExit(f"load_test: {done.stderr[-3000:]}")


@dataclass
class Instance:
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, env: dict[str, str], workers: int) -> None:
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"],
                cwd=ROOT,
                env=env | {"PORT": str(self.port), "POLKU_WORKERS": str(workers)},
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(self.address + "/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process is None or self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"load_test: gunicorn on {self.port} did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.3)

    def workers(self) -> list[int]:
        """The worker processes of this gunicorn master (its children)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def terminate(self) -> None:
        """Stop at once (SIGINT: gunicorn's quick shutdown), all instances together: the run is over."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self, deadline: float) -> None:
        """Wait until ``deadline`` for the stop asked by ``terminate`` (a second signal could turn it into a
        graceful one), then kill what is left."""
        if self.process is not None and self.process.poll() is None:
            try:
                self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:  # a busy machine: nothing of the run is left to keep
                for pid in self.workers():
                    os.kill(pid, signal.SIGKILL)
                self.process.kill()
                self.process.wait()


# ---------- what the visitors do, and what was answered ----------


class Done(Exception):
    """The run's time or its requests are used up: the visitor stops."""


class Flow(Exception):
    """A visitor's flow ended on an unexpected answer (already recorded as an error); the visitor starts over."""


@dataclass
class Record:
    kind: str
    started: float
    ended: float
    status: int  # 0: no answer (connection refused or reset, timeout)
    error: str | None  # None: an expected answer
    path: str = ""


@dataclass
class Results:
    records: list[Record] = field(default_factory=list)
    plans: list[tuple[str, int]] = field(default_factory=list)  # (person sub, plan id) answered as saved
    reserved: list[tuple[str, int]] = field(default_factory=list)  # (person sub, reservation id) answered as made
    cancelled: list[int] = field(default_factory=list)  # reservation ids answered as cancelled
    cancel_sent: set[int] = field(default_factory=set)  # ids whose cancelling was posted (the answer may be lost)
    refused: int = 0  # reservations answered with a refusal (taken, already held, the day's limit)
    faults: list[tuple[str, float, float]] = field(default_factory=list)  # (what, from, to)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: int = 0

    def take_ticket(self, limit: int) -> bool:
        with self.lock:
            if self.sent >= limit:
                return False
            self.sent += 1
            return True


@dataclass(frozen=True)
class Targets:
    """What the visitors race for: a few appointment slots (each of its own service point and day) and one ECEC
    unit's age group with few free places."""

    slots: list[tuple[int, int]]  # (location id, slot id)
    unit: int


def _browser() -> requests.Session:
    """A visitor's HTTP client: a new connection per request. The driver plays the load balancer, and a visitor
    alternates between the instances, so a kept-alive connection to one of them waits a whole request on the other;
    under load that is longer than gunicorn's keepalive (5 s), and the next request on it can meet the server
    closing it (a ConnectionError that no server error explains). A load balancer keeps its idle upstream
    connections shorter than the server's keepalive, or retries; a connection per request models that."""
    http = requests.Session()
    http.headers["Connection"] = "close"
    return http


class Visitor:
    """One browser: a cookie jar (cookies are not kept per port, so one jar serves both instances), each request
    to the other instance than the last one."""

    def __init__(self, number: int, instances: list[Instance], results: Results, stop: Callable[[], bool], limit: int):
        self.number = number
        self.instances = instances
        self.results = results
        self.stop = stop
        self.limit = limit
        self.turn = number
        self.random = random.Random(number)
        self.http = _browser()
        self.visits = 0  # visits that got through the races without an error

    def fresh_browser(self) -> None:
        self.http.close()
        self.http = _browser()

    def request(self, kind: str, method: str, path: str, expect: tuple[int, ...], **kwargs: Any) -> requests.Response:
        if self.stop() or not self.results.take_ticket(self.limit):
            raise Done
        self.turn += 1
        base = self.instances[self.turn % len(self.instances)].address
        started = time.monotonic()
        status, error, response = 0, None, None
        try:
            response = self.http.request(method, base + path, allow_redirects=False, timeout=30, **kwargs)
            status = response.status_code
            if status not in expect:
                error = f"HTTP {status}"
        except requests.RequestException as failed:
            error = type(failed).__name__
        ended = time.monotonic()
        with self.results.lock:
            self.results.records.append(Record(kind, started, ended, status, error, f"{method} {path}"))
        if error is not None or response is None:
            raise Flow(error)
        return response

    def get(self, kind: str, path: str, expect: tuple[int, ...] = (200,)) -> requests.Response:
        return self.request(kind, "GET", path, expect)

    def post(self, kind: str, path: str, data: dict[str, str], expect: tuple[int, ...] = (302,)) -> requests.Response:
        return self.request(kind, "POST", path, expect, data=data)

    # ----- flows -----

    def journey(self) -> None:
        """The ECEC journey's five steps and its plan page (a step page first: its form's CSRF token)."""
        token = csrf(self.get("journey", f"/{LANG}/events/ecec/steps/child"))
        for step, answers in ECEC_STEPS.items():
            self.post("journey", f"/{LANG}/events/ecec/steps/{step}", answers | {"csrf_token": token})
        self.get("journey", f"/{LANG}/events/ecec/plan")

    def sign_in(self, person: str) -> None:
        """The development provider's sign-in, from the portal's start to its callback (and the first-time
        welcome page), each request on the other instance than the one before."""
        started = self.get("sign-in", f"/{LANG}/sign-in?next=/{LANG}/events/ecec/plan", expect=(302,))
        chooser_path = path_of(started.headers["Location"])
        chooser = self.get("sign-in", chooser_path, expect=(200, 302))
        if chooser.status_code == 200:  # no single sign-on session yet at the provider: choose the person
            data = {"csrf_token": csrf(chooser), "action": "sign_in", "person": person}
            chooser = self.post("sign-in", chooser_path, data)
        callback = self.get("sign-in", path_of(chooser.headers["Location"]), expect=(302,))
        target = path_of(callback.headers["Location"])
        if "/own/welcome" in target:  # the person's first sign-in: the consents (none given)
            welcome = self.get("sign-in", target)
            data = {"csrf_token": csrf(welcome), "next": f"/{LANG}/events/ecec/plan"}
            self.post("sign-in", f"/{LANG}/own/welcome", data)

    def save_plan(self, person: str) -> None:
        token = csrf(self.get("save", f"/{LANG}/events/ecec/plan"))
        saved = self.post("save", f"/{LANG}/events/ecec/save", {"csrf_token": token})
        found = PLAN_SAVED.search(saved.headers["Location"])
        if found is None:
            self._unexpected("save", f"saved to {saved.headers['Location']}")
        with self.results.lock:
            self.results.plans.append((person, int(found.group(1))))

    def reserve_slot(self, person: str, targets: Targets) -> int | None:
        location, slot = self.random.choice(targets.slots)
        path = f"/{LANG}/own/reservations/new/appointment?location={location}"
        token = csrf(self.get("reserve", path))
        # 200: refused with a message (taken, already reserved that day); 302: reserved
        answer = self.post("reserve", path, {"csrf_token": token, "slot": str(slot)}, expect=(200, 302))
        return self._reserved(person, answer)

    def reserve_place(self, person: str, targets: Targets) -> int | None:
        path = f"/{LANG}/own/reservations/new/place?unit={targets.unit}"
        token = csrf(self.get("reserve", path))
        answer = self.post("reserve", path, {"csrf_token": token}, expect=(200, 302))
        return self._reserved(person, answer)

    def _reserved(self, person: str, answer: requests.Response) -> int | None:
        if answer.status_code != 302:
            with self.results.lock:
                self.results.refused += 1
            return None
        found = RESERVED.search(answer.headers["Location"])
        if found is None:
            self._unexpected("reserve", f"reserved to {answer.headers['Location']}")
        with self.results.lock:
            self.results.reserved.append((person, int(found.group(1))))
        return int(found.group(1))

    def cancel(self, reservation: int) -> None:
        path = f"/{LANG}/own/reservations/{reservation}/cancel"
        token = csrf(self.get("cancel", path))
        with self.results.lock:
            self.results.cancel_sent.add(reservation)
        answer = self.post("cancel", path, {"csrf_token": token}, expect=(302, 409))
        if answer.status_code == 302 and CANCELLED.search(answer.headers["Location"]):
            with self.results.lock:
                self.results.cancelled.append(reservation)

    def _unexpected(self, kind: str, what: str) -> None:
        now = time.monotonic()
        with self.results.lock:
            self.results.records.append(Record(kind, now, now, 0, what))
        raise Flow(what)

    def run(self, targets: Targets) -> None:
        """Visit after visit until the time or the requests run out: a fresh browser, the journey, sign-in as
        one of the test people, save the plan, give back most of what this visitor held, then race for a
        contested slot and place (so that the last places keep changing hands all through the run)."""
        person = PEOPLE[self.number % len(PEOPLE)]
        held: list[int] = []
        while True:
            self.fresh_browser()
            try:
                self.journey()
                self.sign_in(person)
                self.save_plan(person)
                for reservation in list(held):
                    if self.random.random() < 0.7:
                        held.remove(reservation)  # cancelled, or no longer cancellable: either way not held
                        self.cancel(reservation)
                for attempt in (self.reserve_slot, self.reserve_place):
                    made = attempt(person, targets)
                    if made is not None:
                        held.append(made)
                self.visits += 1
            except Done:
                return
            except Flow:
                time.sleep(0.5)  # as a person would, after an error page: then start again


def csrf(response: requests.Response) -> str:
    found = CSRF.search(response.text)
    if found is None:
        raise Flow("no CSRF token on " + response.url)
    return unescape(found.group(1))


def path_of(location: str) -> str:
    """The path and query of a redirect: the driver, as the load balancer, picks the instance itself."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# ---------- the database before and after ----------


@contextmanager
def database(url: str) -> Iterator[Any]:
    import psycopg

    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    with psycopg.connect(
        host=parts.hostname, port=parts.port, user=parts.username, dbname=parts.path.lstrip("/"), autocommit=True
    ) as connection:
        yield connection


def prepare_targets(url: str, slots: int, places: int) -> Targets:
    """The first few free slots not by phone from tomorrow on (within the 14 days the page shows), one per
    service point, each made to have room for 2; and an ECEC unit's under-3 group with ``places`` free places."""
    with database(url) as db:
        rows = db.execute(
            """
            SELECT DISTINCT ON (s.location_id) s.location_id, s.id FROM appointment_slot s
            JOIN service_location l ON l.id = s.location_id JOIN service v ON v.id = l.service_id
            WHERE v.kind IS NOT NULL AND s.channel <> 'phone' AND s.cancelled_at IS NULL AND s.booked = 0
              AND s.starts_at >= current_date + 1 AND s.starts_at < current_date + 10
            ORDER BY s.location_id, s.starts_at, s.id LIMIT %s
            """,
            (slots,),
        ).fetchall()
        if not rows:
            raise SystemExit("load_test: the demo data has no free appointment slot")
        db.execute("UPDATE appointment_slot SET capacity = 2 WHERE id = ANY(%s)", ([r[1] for r in rows],))
        unit = db.execute(
            """
            SELECT u.location_id FROM ecec_unit u JOIN availability a ON a.location_id = u.location_id
            WHERE u.serves_under_3 AND a.age_group = 'under_3' ORDER BY u.location_id LIMIT 1
            """
        ).fetchone()
        if unit is None:
            raise SystemExit("load_test: the demo data has no ECEC unit for under-3s")
        db.execute(
            "UPDATE availability SET free_places = %s WHERE location_id = %s AND age_group = 'under_3'",
            (places, unit[0]),
        )
    return Targets(slots=[(r[0], r[1]) for r in rows], unit=unit[0])


def check_database(url: str, results: Results, targets: Targets, places: int) -> dict[str, Any]:
    """What the database says against what the visitors were answered."""
    problems: list[str] = []
    with database(url) as db:
        people = dict(db.execute("SELECT subject, id FROM person").fetchall())
        plans = db.execute("SELECT id, person_id, event_id, acting_for FROM saved_plan").fetchall()
        by_id = {row[0]: row for row in plans}
        subjects = Counter((row[1], row[2], row[3]) for row in plans)
        for key, n in subjects.items():
            if n > 1:
                problems.append(f"{n} saved plans for one person, event and subject {key}")
        for sub, plan in set(results.plans):
            row = by_id.get(plan)
            if row is None:
                problems.append(f"plan {plan} was answered as saved but is not in the database")
            elif row[1] != people.get(sub) or row[2] != "ecec":
                problems.append(f"plan {plan} belongs to person {row[1]}, event {row[2]}, not to {sub}'s ECEC plan")
        per_person = {sub: {p for s, p in results.plans if s == sub} for sub, _ in results.plans}
        for sub, ids in per_person.items():
            if len(ids) > 1:
                problems.append(f"{sub} was answered with {len(ids)} different ECEC plans {sorted(ids)}")

        reservations = {
            row[0]: row
            for row in db.execute(
                "SELECT id, person_id, status, slot_id, location_id, age_group, acting_for, starts_on FROM reservation"
            ).fetchall()
        }
        answered = [r for _, r in results.reserved]
        if len(answered) != len(set(answered)):
            problems.append("one reservation id was answered as made twice")
        for sub, rid in results.reserved:
            row = reservations.get(rid)
            if row is None:
                problems.append(f"reservation {rid} was answered as made but is not in the database")
                continue
            if row[1] != people.get(sub):
                problems.append(f"reservation {rid} belongs to person {row[1]}, not to {sub}")
            wanted = "cancelled" if rid in results.cancelled else "confirmed"
            unknown = rid in results.cancel_sent and rid not in results.cancelled  # no answer, or 409
            if row[2] != wanted and not unknown:
                problems.append(f"reservation {rid} is {row[2]}, answered as {wanted}")
        confirmed = [r for r in reservations.values() if r[2] == "confirmed"]
        doubles = Counter((r[1], r[3] or r[4], r[6], r[7]) for r in confirmed if r[1] is not None)
        problems += [f"reservation made twice: {key} x{n}" for key, n in doubles.items() if n > 1]
        unanswered = sorted(set(reservations) - set(answered))
        slots = db.execute(
            "SELECT id, booked, capacity FROM appointment_slot WHERE id = ANY(%s)", ([s for _, s in targets.slots],)
        ).fetchall()
        for slot, booked, capacity in slots:
            holding = sum(1 for r in confirmed if r[3] == slot)
            if booked > capacity or booked != holding:
                problems.append(f"slot {slot}: booked {booked}, capacity {capacity}, confirmed reservations {holding}")
        free = db.execute(
            "SELECT free_places FROM availability WHERE location_id = %s AND age_group = 'under_3'", (targets.unit,)
        ).fetchone()[0]
        holding = sum(1 for r in confirmed if r[4] == targets.unit and r[5] == "under_3")
        if free < 0 or free + holding != places:
            problems.append(f"unit {targets.unit}: {free} places free + {holding} confirmed != {places} at the start")
    return {
        "problems": problems,
        "plans_answered_saved": len(results.plans),
        "plans_in_database": len(plans),
        "reservations_answered_made": len(answered),
        "reservations_cancelled": len(results.cancelled),
        "reservations_in_database": len(reservations),
        "reservations_not_answered": unanswered,  # committed, but the answer was lost (a fault): not an error
        "slots": [{"slot": s, "booked": b, "capacity": c} for s, b, c in slots],
        "unit_free_places": free,
    }


# ---------- faults ----------


def inject_faults(
    instances: list[Instance],
    postgres: Postgres,
    results: Results,
    started: float,
    seconds: float,
    done: threading.Event,
) -> None:
    """A worker of the second instance SIGKILLed at 30 % of the run, PostgreSQL restarted at 60 %."""
    if done.wait(max(0.0, started + seconds * 0.3 - time.monotonic())):
        return
    victim = instances[-1].workers()[0]
    at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    results.faults.append((f"SIGKILL gunicorn worker {victim}", at, time.monotonic()))
    if done.wait(max(0.0, started + seconds * 0.6 - time.monotonic())):
        return
    at = time.monotonic()
    postgres.restart()
    results.faults.append(("pg_ctl restart -m fast", at, time.monotonic()))


def in_fault(record: Record, faults: list[tuple[str, float, float]], grace: float) -> bool:
    """Whether the request overlaps a fault: from its start until ``grace`` seconds after it ended (a killed
    worker's requests in flight; the requests while PostgreSQL was down and the pools' first reconnects)."""
    return any(record.started <= end + grace and record.ended >= begin for _, begin, end in faults)


# ---------- the run ----------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(results: Results, elapsed: float, grace: float) -> dict[str, Any]:
    by_kind: dict[str, list[Record]] = defaultdict(list)
    for record in results.records:
        by_kind[record.kind].append(record)
    kinds = {}
    for kind, records in sorted(by_kind.items()):
        durations = [(r.ended - r.started) * 1000 for r in records if r.status]
        kinds[kind] = {
            "requests": len(records),
            "p50_ms": round(statistics.median(durations), 1) if durations else None,
            "p95_ms": round(percentile(durations, 0.95), 1) if durations else None,
            "errors_in_faults": dict(
                Counter(r.error for r in records if r.error and in_fault(r, results.faults, grace))
            ),
            "errors_outside_faults": dict(
                Counter(r.error for r in records if r.error and not in_fault(r, results.faults, grace))
            ),
        }
    total = sum(1 for r in results.records if r.status or r.error)
    outside = [r for r in results.records if r.error and not in_fault(r, results.faults, grace)]
    return {
        "seconds": round(elapsed, 1),
        "requests": total,
        "requests_per_second": round(total / elapsed, 1) if elapsed else 0.0,
        "kinds": kinds,
        "faults": [
            {"what": what, "at_s": round(begin, 2), "took_s": round(end - begin, 2)}
            for what, begin, end in results.faults
        ],
        "errors_in_faults": sum(sum(k["errors_in_faults"].values()) for k in kinds.values()),
        "errors_outside_faults": sum(sum(k["errors_outside_faults"].values()) for k in kinds.values()),
        "error_samples": [f"{r.started:.2f}s {r.path} {r.error}" for r in outside[:20]],
    }


def server_errors(logs: list[Path]) -> list[str]:
    """The portal's logged exceptions (JSON lines at ERROR), first line of each, for the report."""
    found = []
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            if not line.startswith("{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("level") in ("ERROR", "CRITICAL"):
                last = (entry.get("exception") or "").strip().splitlines()[-1:] or [""]
                found.append(f"{log.name} {entry.get('request_id')} {entry.get('message')} {last[0]}"[:400])
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="polku-load."))
    postgres = Postgres(workdir)
    instances = [Instance(free_port(), workdir / f"gunicorn-{i}.log") for i in (1, 2)]
    # The development provider's issuer: a third instance, as a real provider is another service. The portal's
    # callback asks the issuer for the tokens over HTTP; were the issuer one of the two instances, a sync worker
    # waiting for that answer could need the only other free worker of its own instance, and with every worker
    # in a callback at once none would answer (each then hangs until gunicorn's timeout).
    provider = Instance(free_port(), workdir / "gunicorn-provider.log")
    results = Results()
    phases: dict[str, float] = {}
    clock = time.monotonic()
    try:
        postgres.start()
        phases["postgres_s"] = round(time.monotonic() - clock, 1)
        env = portal_env(postgres.url, instances[0].address, provider.address)
        migrate_and_load_demo(env)
        targets = prepare_targets(postgres.url, args.slots, args.places)
        phases["migrations_and_demo_s"] = round(time.monotonic() - clock - phases["postgres_s"], 1)
        for instance in instances:
            instance.start(env, args.workers)
        provider.start(env, 1)  # a sign-in costs it two short requests
        for instance in (*instances, provider):
            instance.wait_ready()
        phases["setup_s"] = round(time.monotonic() - clock, 1)

        done = threading.Event()
        started = time.monotonic()
        stop_at = started + args.seconds
        # A busy machine may be slow: a visitor goes on past --seconds until it has made --min-visits whole visits
        # (a run that proves something however slow it is), but never past the hard stop.
        hard_stop = stop_at + args.overtime
        visitors = [Visitor(n, instances, results, lambda: True, args.max_requests) for n in range(args.users)]
        for visitor in visitors:
            visitor.stop = lambda v=visitor: (
                time.monotonic() >= hard_stop or (time.monotonic() >= stop_at and v.visits >= args.min_visits)
            )
        threads = [threading.Thread(target=v.run, args=(targets,), daemon=True) for v in visitors]
        faults = threading.Thread(
            target=inject_faults, args=(instances, postgres, results, started, args.seconds, done), daemon=True
        )
        if args.faults:
            faults.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + args.overtime + 90)
        elapsed = time.monotonic() - started
        done.set()
        if args.faults:
            faults.join(timeout=60)
        for record in results.records:  # times from the start of the run, for the report
            record.started -= started
            record.ended -= started
        results.faults = [(what, begin - started, end - started) for what, begin, end in results.faults]

        summary = report(results, elapsed, args.grace)
        summary["phases"] = phases
        summary["users"] = args.users
        summary["workers_per_instance"] = args.workers
        summary["reservations_refused"] = results.refused
        summary["hung_visitors"] = sum(1 for t in threads if t.is_alive())
        summary["database"] = check_database(postgres.url, results, targets, args.places)
        summary["server_errors"] = server_errors([i.log for i in (*instances, provider)])
        summary["fault_error_budget"] = args.fault_error_budget
        summary["ok"] = (
            not summary["database"]["problems"]
            and summary["errors_outside_faults"] == 0
            and summary["errors_in_faults"] <= args.fault_error_budget
            and summary["hung_visitors"] == 0
            and (not args.faults or len(results.faults) == 2)
        )
        return summary
    finally:
        for instance in (*instances, provider):
            instance.terminate()
        deadline = time.monotonic() + 2
        for instance in (*instances, provider):
            instance.stop(deadline)
        postgres.stop()
        if args.keep:
            print(f"load_test: kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def print_summary(summary: dict[str, Any]) -> None:
    print(
        f"{summary['requests']} requests in {summary['seconds']} s: {summary['requests_per_second']} requests/s "
        f"({summary['users']} visitors, 2 instances x {summary['workers_per_instance']} workers)"
    )
    print("setup: " + ", ".join(f"{k} {v}" for k, v in summary["phases"].items()))
    print(f"{'kind':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}  errors (in faults / outside)")
    for kind, k in summary["kinds"].items():
        print(
            f"{kind:<10} {k['requests']:>8} {k['p50_ms'] or '-':>8} {k['p95_ms'] or '-':>8}  "
            f"{k['errors_in_faults'] or '-'} / {k['errors_outside_faults'] or '-'}"
        )
    for fault in summary["faults"]:
        print(f"fault at {fault['at_s']} s ({fault['took_s']} s): {fault['what']}")
    db = summary["database"]
    print(
        f"plans answered saved {db['plans_answered_saved']} (in the database {db['plans_in_database']}); "
        f"reservations answered made {db['reservations_answered_made']}, refused {summary['reservations_refused']}, "
        f"cancelled {db['reservations_cancelled']}, "
        f"committed without an answer {len(db['reservations_not_answered'])}; slots {db['slots']}; "
        f"unit's free places {db['unit_free_places']}"
    )
    print(
        f"errors: {summary['errors_in_faults']} around the faults (budget {summary['fault_error_budget']}), "
        f"{summary['errors_outside_faults']} outside them"
    )
    for line in summary["error_samples"]:
        print("  error outside the faults:", line)
    for line in summary["server_errors"][:20]:
        print("  server:", line)
    for problem in db["problems"]:
        print("  PROBLEM:", problem)
    print("OK" if summary["ok"] else "FAILED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=90, help="how long the visitors run (default 90)")
    parser.add_argument("--min-visits", type=int, default=0, help="each visitor's whole visits before it stops")
    parser.add_argument("--overtime", type=float, default=60, help="seconds past --seconds for --min-visits")
    parser.add_argument("--max-requests", type=int, default=20000, help="at most this many requests in all")
    parser.add_argument("--users", type=int, default=12, help="virtual visitors at once (default 12)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance (default 3)")
    parser.add_argument("--slots", type=int, default=3, help="appointment slots raced for, 2 places each")
    parser.add_argument("--places", type=int, default=3, help="free places of the ECEC unit raced for")
    parser.add_argument("--grace", type=float, default=3.0, help="seconds after a fault still counted as its own")
    parser.add_argument("--fault-error-budget", type=int, default=None, help="errors allowed around the faults")
    parser.add_argument("--no-faults", dest="faults", action="store_false", help="no worker kill, no restart")
    parser.add_argument("--json", type=Path, help="write the report to this file too")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, database)")
    args = parser.parse_args(argv)
    if args.fault_error_budget is None:
        # The requests in flight at each fault and each visitor's next few tries while PostgreSQL restarts.
        args.fault_error_budget = 4 * args.users + 4
    summary = run(args)
    print_summary(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
