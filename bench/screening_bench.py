"""Screening benchmark: read the facts of every referral and decide each, printing the time.

Uses a database that already holds the referrals (by default the web benchmark's kept SQLite
database of 100,000; build it with `make bench-web` or bench/web_bench.py). Aim: under 30 s on
SQLite on the standard machine. Then it runs the real thing, `beaconport screen --all`'s code,
twice: the first run stores every decision, the second finds nothing changed.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from beaconport.db import session_scope
from beaconport.screening import queries, runner
from beaconport.screening.decision import screen
from beaconport.screening.rules import CURRENT

DEFAULT = Path("var") / "bench" / "web-100000-seed7.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=f"sqlite:///{DEFAULT.as_posix()}")
    parser.add_argument("--chunk", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    read = decide = 0.0
    decisions: Counter[str] = Counter()
    with session_scope(args.database_url) as session:
        ids = queries.referral_ids(session)
        for chunk in queries.chunks(ids, args.chunk):
            t0 = time.perf_counter()
            facts = queries.load_facts(session, chunk)
            t1 = time.perf_counter()
            for referral in facts.values():
                decisions[screen(referral, CURRENT).decision] += 1
            read += t1 - t0
            decide += time.perf_counter() - t1
    total = time.perf_counter() - started
    print(f"screened {len(ids):,} referrals with {CURRENT.name} in {total:.1f} s "
          f"(reading facts {read:.1f} s, deciding {decide:.1f} s)")
    print("decisions:", ", ".join(f"{k} {v:,}" for k, v in sorted(decisions.items())))
    for attempt in ("first", "again"):
        started = time.perf_counter()
        _, outcome = runner.run(lambda: session_scope(args.database_url), actor="bench",
                                rules=CURRENT)
        print(f"screen --all ({attempt}): {outcome.screened:,} screened, {outcome.changed:,} "
              f"stored as new or changed, in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
