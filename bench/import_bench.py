"""Import benchmark: the whole import against a raw bulk insert of the same rows.

For each engine (SQLite, PostgreSQL) it
  1. imports N generated referrals with `import_file` (read, validate, compare, store, audit);
  2. reads back every row that import wrote, from every table;
  3. inserts those same rows into a fresh, identically migrated database with the driver's bulk
     path — sqlite3 `executemany`, PostgreSQL `COPY` — in one transaction;
and prints both times and their ratio. This is a benchmark, not a test: it reports, it does not
assert. Usage:

    .venv/bin/python bench/import_bench.py --referrals 100000 [--engines sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from beaconport import migrate
from beaconport.db import Base, dispose_engine, get_engine, session_scope
from beaconport.demo.generator import generate
from beaconport.reference.loaders import load_reference_data
from beaconport.referrals.carriers import write_referrals
from beaconport.referrals.importer import import_file

REFERENCE = {"reference_dataset", "force", "force_alias", "outcome_code", "offence",
             "ethnicity_code"}
PG_ADMIN = os.environ.get("BEACONPORT_TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def fresh_database(engine_name: str, folder: Path) -> str:
    if engine_name == "sqlite":
        url = f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    else:
        name = f"beaconport_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    with session_scope(url) as session:
        load_reference_data(session)
    return url


def drop_database(url: str) -> None:
    dispose_engine(url)
    if url.startswith("postgresql"):
        name = make_url(url).database
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def case_tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables if t.name not in REFERENCE]


def dump_rows(url: str) -> tuple[dict[str, object], int]:
    """Every row import wrote, per table, in the form the driver's bulk path takes back."""
    engine = get_engine(url)
    raw = engine.raw_connection()
    dumped: dict[str, object] = {}
    total = 0
    try:
        cursor = raw.cursor()
        for table in case_tables():
            if url.startswith("postgresql"):
                buffer = io.BytesIO()
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:  # type: ignore[attr-defined]
                    for block in copy:
                        buffer.write(block)
                dumped[table] = buffer.getvalue()
                cursor.execute(f'SELECT count(*) FROM "{table}"')
            else:
                cursor.execute(f'SELECT * FROM "{table}"')
                dumped[table] = cursor.fetchall()
                cursor.execute(f'SELECT count(*) FROM "{table}"')
            total += cursor.fetchone()[0]
    finally:
        raw.close()
    return dumped, total


def raw_insert(url: str, dumped: dict[str, object]) -> float:
    engine = get_engine(url)
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        start = time.perf_counter()
        for table in case_tables():
            data = dumped[table]
            if url.startswith("postgresql"):
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:  # type: ignore[attr-defined]
                    copy.write(data)
            elif data:
                rows = list(data)  # type: ignore[call-overload]
                marks = ", ".join("?" for _ in rows[0])
                cursor.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)
        raw.commit()
        return time.perf_counter() - start
    finally:
        raw.close()


def bench_engine(engine_name: str, source: Path, folder: Path, referrals: int) -> dict[str, object]:
    url = fresh_database(engine_name, folder)
    baseline_url = fresh_database(engine_name, folder)
    try:
        def unit_of_work() -> AbstractContextManager[Session]:
            return session_scope(url)

        start = time.perf_counter()
        outcome = import_file(source, actor="bench", unit_of_work=unit_of_work)
        import_seconds = time.perf_counter() - start
        again = time.perf_counter()
        second = import_file(source, actor="bench", unit_of_work=unit_of_work)
        reimport_seconds = time.perf_counter() - again
        dumped, rows = dump_rows(url)
        raw_seconds = raw_insert(baseline_url, dumped)
        return {
            "engine": engine_name,
            "referrals": referrals,
            "accepted": outcome.summary.accepted,
            "rejected": outcome.summary.rejected,
            "rows_written": rows,
            "import_seconds": round(import_seconds, 2),
            "referrals_per_second": round(referrals / import_seconds),
            "raw_insert_seconds": round(raw_seconds, 2),
            "ratio": round(import_seconds / raw_seconds, 2),
            "reimport_unchanged_seconds": round(reimport_seconds, 2),
            "reimport_unchanged": second.summary.unchanged,
        }
    finally:
        drop_database(url)
        drop_database(baseline_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "referrals.jsonl"
        start = time.perf_counter()
        write_referrals(generate(args.referrals, args.seed).documents, source)
        print(f"generated {args.referrals:,} referrals ({source.stat().st_size / 1e6:.0f} MB "
              f"JSON Lines) in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}", file=sys.stderr)
        results = []
        for engine_name in args.engines.split(","):
            result = bench_engine(engine_name, source, folder, args.referrals)
            results.append(result)
            print(f"{engine_name:<10} import {result['import_seconds']:>7} s  "
                  f"raw insert {result['raw_insert_seconds']:>7} s  "
                  f"ratio {result['ratio']:>5}  rows {result['rows_written']:,}  "
                  f"re-import (all unchanged) {result['reimport_unchanged_seconds']} s")
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
