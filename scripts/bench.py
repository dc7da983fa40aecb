"""Benchmark: server-side latency of the ECEC results page with the catalogue scaled up.

Prints p50 and p95 over repeated requests through the WSGI app (no network, one process,
one core), after warm-up. The goal is p95 under 50 ms with 10,000 locations.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(f"sqlite:///{tmp}/bench.db", WTF_CSRF_ENABLED=False, TESTING=False)
        from portal.demo.generator import generate_catalogue
        from portal.extensions import db

        with app.app_context():
            generate_catalogue(db.session, args.locations, seed=1)
            db.session.commit()
        client = app.test_client()
        complete_ecec(client)
        cases = [
            ("results page", "GET", "/fi/events/ecec/plan", {}),
            ("results, sorted by cost, only with room", "GET", "/fi/events/ecec/plan?sort=cost&room=1", {}),
            ("live preview", "POST", "/fi/events/ecec/preview", {"data": {"income": "5200"}}),
        ]
        print(f"Catalogue: {args.locations} synthetic + demo locations; {args.runs} requests each after 20 warm-up")
        for label, method, path, kwargs in cases:
            measure(client, method, path, 20, **kwargs)
            wall, cpu = measure(client, method, path, args.runs, **kwargs)
            print(
                f"{label:42s} p50 {statistics.median(wall):6.1f} ms   p95 {percentile(wall, 0.95):6.1f} ms"
                f"   (CPU p50 {statistics.median(cpu):5.1f} ms, p95 {percentile(cpu, 0.95):5.1f} ms)"
            )


if __name__ == "__main__":
    main()
