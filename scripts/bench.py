"""Benchmark: server-side cost of the ECEC results page, the same page filtered and sorted, and the live preview,
with the catalogue scaled up (``--sizes``, default 1,000, 10,000 and 100,000 synthetic locations), in one table.

Prints wall and CPU p50/p95 over repeated requests through the WSGI app (no network, one process, one core),
after warm-up, and each page's share of a bare Flask hello-world's throughput measured in the same run, then how
much the largest catalogue costs against the smallest. Issue 17's targets: results page CPU p50 at most 8 ms
with 10,000 locations (at least 5 % of the hello-world's throughput); 100,000 locations at most 1.5x 1,000.

``--index`` measures the catalogue's spatial index instead (portal/catalogue_cache.py), for each catalogue size
of ``--sizes``: building it (a process's first request), catching up with one changed unit (a reservation,
an organiser's edit of a unit), reading every unit's figures again, and one 10 km lookup beside a scan of
every unit, with how many
grid cells and units the lookup reads. The lookup should stay flat as the catalogue grows; the scan does not.

``--profile N`` profiles the results page instead (cProfile over ``--runs`` requests) and prints its N costliest
calls by cumulative and by own time: where the page's time goes at a catalogue size.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import build_app  # noqa: E402
from tests.helpers import complete_ecec  # noqa: E402


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(client, method: str, path: str, runs: int, **kwargs) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per request (CPU time is steadier on a shared machine)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.open(path, method=method, **kwargs)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return wall, cpu


def _ms(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return (time.perf_counter() - start) * 1000, result


def _index_row(size: int, runs: int, radius_km: float) -> str:
    """One catalogue size: build, refreshes, lookups (see bench_index)."""
    import random

    from sqlalchemy import update

    from configurator.geo import bounding_box, distance_km
    from portal.catalogue_cache import CACHE, CELL_DEGREES, bump_revision
    from portal.catalogue_repo import SqlEcecCatalogue
    from portal.demo.generator import generate_catalogue
    from portal.extensions import db
    from portal.models import Availability, ServiceLocation
    from tests.conftest import TODAY

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(f"sqlite:///{tmp}/index.db", TESTING=False)
        with app.app_context():
            generate_catalogue(db.session, size, seed=1)
            db.session.commit()
            catalogue = SqlEcecCatalogue(db.session, TODAY)

            def current():
                return CACHE.index(db.session, catalogue._all_units, catalogue._availability, catalogue._units)

            bump_revision(db.session, locations=True)  # a location changed: the grid is rebuilt
            db.session.commit()
            build, index = _ms(current)
            every = [unit for cell in index.cells.values() for unit in cell]
            # a reservation: one unit's free places change (logged by the trigger), then the refresh
            table = Availability.__table__
            bump_revision(db.session)
            db.session.execute(update(table).where(table.c.location_id == every[0].id).values(version=table.c.version))
            db.session.commit()
            partial, _ = _ms(current)
            locations = ServiceLocation.__table__  # an organiser renames one unit: that unit is read again
            bump_revision(db.session, locations=True)
            db.session.execute(
                update(locations).where(locations.c.id == every[0].id).values(name=locations.c.name + " (renamed)")
            )
            db.session.commit()
            one_location, _ = _ms(current)
            bump_revision(db.session)  # most units' figures change (as a demo reload does): all figures read again
            db.session.execute(update(table).values(version=table.c.version))
            db.session.commit()
            full, index = _ms(current)

            points = [(u.latitude, u.longitude) for u in random.Random(1).sample(every, min(runs, len(every)))]
            lookup, scan, cells, read, found, columns = [], [], [], [], [], []
            for lat, lon in points:
                elapsed, units = _ms(lambda lat=lat, lon=lon: index.within(lat, lon, radius_km, TODAY))
                lookup.append(elapsed)
                index.near_columns((lat, lon), None, radius_km, TODAY)  # the cells' columns made, as by a request
                columns.append(_ms(lambda lat=lat, lon=lon: index.near_columns((lat, lon), None, radius_km, TODAY))[0])
                found.append(len(units))
                scan.append(
                    _ms(
                        lambda lat=lat, lon=lon: [
                            u for u in every if distance_km(lat, lon, u.latitude, u.longitude) <= radius_km
                        ]
                    )[0]
                )
                south, west, north, east = bounding_box(lat, lon, radius_km)
                keys = [
                    (x, y)
                    for x in range(math.floor(south / CELL_DEGREES), math.floor(north / CELL_DEGREES) + 1)
                    for y in range(math.floor(west / CELL_DEGREES), math.floor(east / CELL_DEGREES) + 1)
                ]
                cells.append(len(keys))
                read.append(sum(len(index.cells.get(key, ())) for key in keys))
    return (
        f"{len(every):8d} {build:8.0f} {partial:8.1f} {one_location:8.1f} {full:8.0f} {statistics.median(lookup):9.2f}"
        f" {statistics.median(scan):8.1f} {statistics.median(cells):6.0f} {statistics.median(read):6.0f}"
        f" {statistics.median(found):6.0f} {statistics.median(columns):8.2f}"
    )


def bench_index(sizes: list[int], runs: int, radius_km: float = 10.0) -> None:
    """The spatial index at each catalogue size, in milliseconds: building it (a process's first index),
    refreshing one unit's figures (a reservation), reading one changed unit again (an organiser renamed it),
    refreshing every unit's figures, and a lookup beside a scan of every
    unit, with the grid cells and units the lookup reads and the units it finds, and the same lookup as columns
    (near_columns, what the results page reads, its cells' columns already made) (medians over ``runs`` points)."""
    from portal.catalogue_cache import CELL_DEGREES

    print(f"Spatial index: grid of {CELL_DEGREES}° cells, {radius_km:g} km lookups around {runs} units (ms)")
    print(
        f"{'units':>8s} {'build':>8s} {'1 unit':>8s} {'1 edited':>8s} {'all figs':>8s} {'lookup':>9s} {'scan':>8s} {'cells':>6s}"
        f" {'read':>6s} {'found':>6s} {'columns':>8s}"
    )
    for size in sizes:
        print(_index_row(size, runs, radius_km), flush=True)


def profile_page(client, path: str, runs: int, top: int) -> None:
    """Where a page's time goes: cProfile over ``runs`` requests after warm-up, the ``top`` calls by cumulative
    time (what a call and everything it calls cost) and by own time (what its own lines cost)."""
    import cProfile
    import pstats

    measure(client, "GET", path, 20)
    profiler = cProfile.Profile()
    profiler.enable()
    measure(client, "GET", path, runs)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"{path}: {runs} requests (times in s, summed; the profiler itself slows calls down)")
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


CASES = [
    ("results page", "GET", "/fi/events/ecec/plan", {}),
    ("sorted by cost, only with room", "GET", "/fi/events/ecec/plan?sort=cost&room=1", {}),
    ("live preview", "POST", "/fi/events/ecec/preview", {"data": {"income": "5200"}}),
]


def hello_world_cpu(runs: int) -> float:
    """CPU milliseconds per request of a bare Flask hello-world through the same test client: the yardstick the
    issue's targets are given in (a page's share of its throughput), measured in the same run on the same CPU."""
    from flask import Flask

    bare = Flask("hello")
    bare.get("/")(lambda: "Hello, World!")
    client = bare.test_client()
    measure(client, "GET", "/", 50)
    return statistics.median(measure(client, "GET", "/", runs * 5)[1])


def bench_pages(size: int, runs: int, profile: int = 0) -> dict[str, tuple[list[float], list[float]]]:
    """The pages' wall and CPU milliseconds with ``size`` synthetic locations besides the demo data."""
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(f"sqlite:///{tmp}/bench.db", WTF_CSRF_ENABLED=False, TESTING=False)
        from portal.demo.generator import generate_catalogue
        from portal.extensions import db

        with app.app_context():
            generate_catalogue(db.session, size, seed=1)
            db.session.commit()
        client = app.test_client()
        complete_ecec(client)
        if profile:
            profile_page(client, CASES[0][2], runs, profile)
            return {}
        found = {}
        for label, method, path, kwargs in CASES:
            measure(client, method, path, 20, **kwargs)
            found[label] = measure(client, method, path, runs, **kwargs)
        return found


def print_table(sizes: list[int], results: dict[int, dict], hello_ms: float, runs: int) -> None:
    print(f"Bare Flask hello-world: CPU p50 {hello_ms:.2f} ms per request")
    print(f"{runs} requests per row after 20 warm-up; milliseconds; share: of the hello-world's throughput")
    print(f"{'locations':>9s}  {'page':32s} {'p50':>6s} {'p95':>6s} {'CPU p50':>8s} {'CPU p95':>8s} {'share':>7s}")
    for size in sizes:
        for label, (wall, cpu) in results[size].items():
            share = hello_ms / statistics.median(cpu)
            print(
                f"{size:9d}  {label:32s} {statistics.median(wall):6.1f} {percentile(wall, 0.95):6.1f}"
                f" {statistics.median(cpu):8.1f} {percentile(cpu, 0.95):8.1f} {share:7.1%}"
            )
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        for label, _method, _path, _kwargs in CASES:
            ratio = statistics.median(results[last][label][1]) / statistics.median(results[first][label][1])
            print(f"{label}: {last:,} locations cost {ratio:.1f}x what {first:,} cost (CPU p50)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locations", type=int, help="one catalogue size (instead of --sizes)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--index", action="store_true", help="measure the spatial index instead of the pages")
    parser.add_argument("--sizes", default="1000,10000,100000", help="catalogue sizes, in one table")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="profile the results page and print its N costliest calls"
    )
    args = parser.parse_args()
    sizes = [args.locations] if args.locations else [int(size) for size in args.sizes.split(",")]
    if args.index:
        bench_index(sizes, args.runs)
        return
    if args.profile:
        bench_pages(sizes[0], args.runs, args.profile)
        return
    results = {}
    for size in sizes:
        print(f"measuring {size:,} locations ...", flush=True)
        results[size] = bench_pages(size, args.runs)
    print_table(sizes, results, hello_world_cpu(args.runs), args.runs)


if __name__ == "__main__":
    main()
