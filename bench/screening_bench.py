"""Screening benchmark: read the facts of every referral and decide each, printing the time.

Uses a SQLite database that already holds the referrals, unscreened (by default the web
benchmark's kept database of 100,000; build it with `make bench-web` or bench/web_bench.py).
Aim: under 30 s on SQLite on the standard machine. It works on copies, so it can be run again:

1. reading the facts and deciding, in one process, with nothing written;
2. `beaconport screen --all`'s code in one process (the baseline), storing every decision;
3. the same with the reading done in other processes (what the command does), then again with
   nothing changed.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from beaconport.db import dispose_engine, session_scope
from beaconport.screening import queries, runner
from beaconport.screening.decision import screen
from beaconport.screening.rules import CURRENT

DEFAULT = Path("var") / "bench" / "web-100000-seed7.db"


def read_and_decide(url: str, chunk: int) -> None:
    started = time.perf_counter()
    read = decide = 0.0
    decisions: Counter[str] = Counter()
    with session_scope(url) as session:
        ids = queries.referral_ids(session)
        for part in queries.chunks(ids, chunk):
            t0 = time.perf_counter()
            facts = queries.load_facts(session, part)
            t1 = time.perf_counter()
            for referral in facts.values():
                decisions[screen(referral, CURRENT).decision] += 1
            read += t1 - t0
            decide += time.perf_counter() - t1
    total = time.perf_counter() - started
    print(f"read and decided {len(ids):,} referrals with {CURRENT.name} in {total:.1f} s "
          f"(reading facts {read:.1f} s, deciding {decide:.1f} s), writing nothing")
    print("decisions:", ", ".join(f"{k} {v:,}" for k, v in sorted(decisions.items())))


def screen_all(source: Path, folder: Path, *, other_processes: bool) -> None:
    copy = folder / ("readers.db" if other_processes else "one-process.db")
    shutil.copyfile(source, copy)
    url = f"sqlite:///{copy.as_posix()}"
    how = "reading in other processes" if other_processes else "one process (baseline)"
    for attempt in ("first", "again") if other_processes else ("first",):
        started = time.perf_counter()
        _, outcome = runner.run(lambda: session_scope(url), actor="bench", rules=CURRENT,
                                database_url=url if other_processes else None)
        print(f"screen --all, {how}, {attempt}: {outcome.screened:,} screened, "
              f"{outcome.changed:,} stored as new or changed, in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    dispose_engine(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", type=Path, default=DEFAULT,
                        help="a SQLite file of unscreened referrals (left unchanged)")
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args()
    read_and_decide(f"sqlite:///{args.database.as_posix()}", args.chunk)
    with tempfile.TemporaryDirectory(dir=args.database.parent) as folder:
        screen_all(args.database, Path(folder), other_processes=False)
        screen_all(args.database, Path(folder), other_processes=True)


if __name__ == "__main__":
    main()
