"""Triage benchmark: the triage queue over 100,000 referrals, through the real server.

Aim: the queue's first page renders in under 200 ms (p95) on the standard machine. Uses the web
benchmark's kept SQLite database of 100,000 referrals (build it with bench/web_bench.py), copied
once to var/bench/triage-100000-seed7.db, screened and scored (each step timed and printed the
first time). Then one signed-in reviewer asks, one request at a time, for: the first page, the
first page of rape allegations, one force's first page, a page deep in the queue, and one case's
breakdown; each is timed from request to last byte.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
import web_bench
from beaconport import migrate
from beaconport.db import dispose_engine, session_scope
from beaconport.review import prioritise
from beaconport.review.models import TriagePriority
from beaconport.screening import runner
from beaconport.screening.rules import CURRENT

AIM_P95_MS = 200.0
SOURCE = web_bench.ROOT / "var" / "bench" / "web-100000-seed7.db"
DATABASE = web_bench.ROOT / "var" / "bench" / "triage-100000-seed7.db"
REVIEWER = web_bench.username(1)  # the web benchmark's even-numbered users are reviewers


def prepare(source: Path, database: Path) -> str:
    url = f"sqlite:///{database.as_posix()}"
    if database.exists():
        migrate.upgrade(url)
        return url
    building = database.with_name(database.stem + ".building.db")
    shutil.copyfile(source, building)
    building_url = f"sqlite:///{building.as_posix()}"
    migrate.upgrade(building_url)
    started = time.perf_counter()
    _, outcome = runner.run(lambda: session_scope(building_url), actor="bench", rules=CURRENT,
                            database_url=building_url)
    print(f"screened {outcome.screened:,} referrals in {time.perf_counter() - started:.1f} s: "
          f"{outcome.decisions['eligible']:,} eligible")
    started = time.perf_counter()
    with session_scope(building_url) as session:
        done = prioritise.refresh(session, actor="bench")
    print(f"scored {done.scored:,} eligible cases for the triage queue in "
          f"{time.perf_counter() - started:.1f} s (weights {done.weights})")
    dispose_engine(building_url)
    building.replace(database)
    return url


def timed(client: httpx.Client, path: str, count: int) -> list[float]:
    for _ in range(3):  # warm the worker's caches
        client.get(path)
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:300]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    args = parser.parse_args()
    if not args.source.exists():
        raise SystemExit(f"{args.source} is missing: build it with bench/web_bench.py")
    url = prepare(args.source, DATABASE)
    web_bench.ensure_bench_users(url, 2)
    with session_scope(url) as session:
        queued = session.query(TriagePriority).count()
        first = session.scalar(select(TriagePriority.referral_id)
                               .order_by(TriagePriority.score.desc()).limit(1))
        force = session.scalar(select(TriagePriority.force_code).limit(1))
    pages = -(-queued // 25)
    paths = {"first page": "/triage", "rape allegations, first page": "/triage?rape=yes",
             "one force, first page": f"/triage?force={force}",
             f"page {pages // 2:,} of {pages:,}": f"/triage?page={pages // 2}",
             "one case's breakdown": f"/triage/{first}"}
    with tempfile.TemporaryDirectory() as folder, \
            web_bench.running_server(url, 1, Path(folder) / "server.log") as (base, _), \
            httpx.Client(base_url=base, timeout=30) as client:
        web_bench.sign_in(client, url, REVIEWER)
        print(f"triage queue: {queued:,} cases; {args.requests} requests per page, one at a "
              f"time, one server worker")
        print(f"{'page':<32}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
        for label, path in paths.items():
            ms = sorted(timed(client, path, args.requests))
            p95 = ms[int(0.95 * (len(ms) - 1))]
            print(f"{label:<32}{statistics.median(ms):>8.1f}{p95:>8.1f}{ms[-1]:>8.1f}"
                  + (f"   aim {AIM_P95_MS:.0f} ms: {'met' if p95 < AIM_P95_MS else 'NOT met'}"
                     if label == "first page" else ""))
    dispose_engine(url)


if __name__ == "__main__":
    main()
