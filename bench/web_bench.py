"""Web benchmark: concurrent signed-in users over the referral list, filter and detail pages.

For each engine (SQLite, PostgreSQL) it
  1. builds (once, then reuses) a database of N generated referrals loaded with the real import
     (`import_file`), the demo accounts (`create_demo_accounts`, as `beaconport demo-data
     accounts` makes them) and one benchmark account per user, each with a screener or reviewer
     role and a known second-factor secret;
  2. starts the real server, `beaconport serve --workers W`, on a free local port;
  3. signs every user in through the real pages (password, then a TOTP code, CSRF tokens and the
     session cookie as a browser keeps them);
  4. has the users request pages back to back for a fixed time: the list at random pages, the
     list filtered and sorted, the same as htmx partials, and referrals' detail pages;
  5. prints request count, throughput and p50/p95/p99/max latency per page kind and overall.

This is a benchmark, not a test: it reports, it asserts nothing (a failed request is counted and
printed). The server runs with BEACONPORT_COOKIE_SECURE=false because the benchmark speaks plain
HTTP to 127.0.0.1. Usage:

    .venv/bin/python bench/web_bench.py [--referrals 100000] [--users 20] [--duration 60]
        [--engines sqlite,postgresql] [--workers 2] [--rebuild] [--explain]

Databases are kept between runs: SQLite files under var/bench/, PostgreSQL databases named
beaconport_bench_web_<N>_s<SEED>. A database is given its final name only once it is complete, so
an interrupted build is started again, never reused.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from beaconport import migrate
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts as auth_accounts
from beaconport.auth import totp
from beaconport.auth.models import UserAccount
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import dispose_engine, get_engine, session_scope
from beaconport.demo.accounts import DEMO_PASSWORD, create_demo_accounts, demo_secret
from beaconport.demo.generator import generate
from beaconport.reference.loaders import load_reference_data
from beaconport.referrals import browse
from beaconport.referrals.carriers import write_referrals
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import Crime, PersonRecord, Referral, ReferralVersion
from beaconport.referrals.schemas import PAGE_SIZE, ReferralFilter

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get("BEACONPORT_TEST_POSTGRES_URL",
                          "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
AIM_P95_MS = 150.0
ACTOR = "bench"
BENCH_ROLES = (Role.SCREENER, Role.REVIEWER)
#: The mix of requests: kind and its share. List and filter requests are sent as htmx
#: partials (HX-Request: true, as the filter form does) this often.
MIX = (("list", 0.35), ("filter", 0.40), ("detail", 0.25))
HTMX_SHARE = 0.3
KINDS = ("list", "filter", "detail")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- Building and caching the databases ------------------------------------------------------

class Source:
    """The generated JSON Lines file, made at most once per run and only if a build needs it."""

    def __init__(self, referrals: int, seed: int, folder: Path) -> None:
        self.referrals, self.seed, self.folder = referrals, seed, folder
        self._path: Path | None = None

    def path(self) -> Path:
        if self._path is None:
            path = self.folder / "referrals.jsonl"
            start = time.perf_counter()
            write_referrals(generate(self.referrals, self.seed).documents, path)
            log(f"generated {self.referrals:,} referrals (seed {self.seed}, "
                f"{path.stat().st_size / 1e6:.0f} MB JSON Lines) in "
                f"{time.perf_counter() - start:.1f} s")
            self._path = path
        return self._path


def username(index: int) -> str:
    return f"bench-user-{index + 1:02d}"


def ensure_bench_users(url: str, count: int) -> list[str]:
    """The benchmark's accounts, created through the auth service if missing: the password of
    the demo accounts, a screener or reviewer role, and a known confirmed second factor (the
    demo accounts' derivation, allowed because the database is marked as a demonstration)."""
    names = [username(i) for i in range(count)]
    with session_scope(url) as session:
        existing = set(session.scalars(select(UserAccount.username)))
        for i, name in enumerate(names):
            if name in existing:
                continue
            auth_accounts.create_user(session, actor=ACTOR, username=name,
                                      display_name=f"Bench user {i + 1:02d}",
                                      password=DEMO_PASSWORD)
            auth_accounts.grant_role(session, actor=ACTOR, username=name,
                                     role=BENCH_ROLES[i % len(BENCH_ROLES)])
            auth_accounts.enrol_demo_second_factor(session, actor=ACTOR, username=name,
                                                   secret=demo_secret(name))
    return names


def load(url: str, source: Source, users: int) -> None:
    """Schema, reference data, the real import, the demo accounts and the benchmark accounts."""
    migrate.upgrade(url)
    with session_scope(url) as session:
        load_reference_data(session, actor=ACTOR)
    path = source.path()
    done = 0
    step = max(1000, source.referrals // 10)
    start = time.perf_counter()

    def progress(count: int) -> None:
        nonlocal done
        before, done = done, done + count
        if done // step != before // step:
            log(f"  imported {done:,} referrals, {time.perf_counter() - start:.0f} s")

    def unit_of_work() -> AbstractContextManager[Session]:
        return session_scope(url)

    outcome = import_file(path, actor=ACTOR, unit_of_work=unit_of_work, progress=progress)
    log(f"  import: {outcome.summary.accepted:,} accepted, {outcome.summary.rejected:,} rejected "
        f"in {time.perf_counter() - start:.1f} s")
    with session_scope(url) as session:
        create_demo_accounts(session, actor=ACTOR)
    ensure_bench_users(url, users)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def prepare_sqlite(args: argparse.Namespace, source: Source) -> str:
    folder = Path(args.cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"web-{args.referrals}-seed{args.seed}.db"
    building = final.with_name(final.stem + ".building.db")
    if args.rebuild:
        remove_sqlite(final)
    remove_sqlite(building)  # an interrupted build is never reused
    if final.exists():
        log(f"sqlite: reusing {final.relative_to(ROOT) if final.is_relative_to(ROOT) else final}")
    else:
        log(f"sqlite: building {final.name} (the real import of {args.referrals:,} referrals)")
        url = sqlite_url(building)
        load(url, source, args.users)
        with get_engine(url).connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        dispose_engine(url)
        remove_sqlite(building, keep_main=True)
        building.replace(final)
    url = sqlite_url(final)
    migrate.upgrade(url)
    ensure_bench_users(url, args.users)
    return url


def remove_sqlite(path: Path, *, keep_main: bool = False) -> None:
    for suffix in ("-wal", "-shm", "-journal") if keep_main else ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def pg_admin() -> Engine:
    return create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")


def pg_url(name: str) -> str:
    return make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def pg_exists(admin: Engine, name: str) -> bool:
    with admin.connect() as conn:
        return conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                            {"n": name}).first() is not None


def pg_drop(admin: Engine, name: str) -> None:
    dispose_engine(pg_url(name))
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def prepare_postgresql(args: argparse.Namespace, source: Source) -> str:
    final = f"beaconport_bench_web_{args.referrals}_s{args.seed}"
    building = f"{final}_building"
    admin = pg_admin()
    try:
        if args.rebuild:
            pg_drop(admin, final)
        pg_drop(admin, building)  # an interrupted build is never reused
        if pg_exists(admin, final):
            log(f"postgresql: reusing database {final}")
        else:
            log(f"postgresql: building database {final} (the real import of "
                f"{args.referrals:,} referrals)")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{building}"'))
            url = pg_url(building)
            load(url, source, args.users)
            dispose_engine(url)
            # What autovacuum would do within minutes of a real import; done here so that every
            # run starts from the same statistics.
            maintenance = create_engine(url, isolation_level="AUTOCOMMIT")
            with maintenance.connect() as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
            maintenance.dispose()
            with admin.connect() as conn:
                conn.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{final}"'))
    finally:
        admin.dispose()
    url = pg_url(final)
    migrate.upgrade(url)
    ensure_bench_users(url, args.users)
    return url


# -- Facts about the machine and the data ------------------------------------------------------

def data_facts(url: str) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    with session_scope(url) as session:
        for label, model in (("referrals", Referral), ("versions", ReferralVersion),
                             ("person_records", PersonRecord), ("crimes", Crime),
                             ("audit_events", AuditEvent)):
            facts[label] = session.scalar(select(func.count()).select_from(model))
        if url.startswith("postgresql"):
            facts["engine_version"] = "PostgreSQL " + str(
                session.scalar(text("SHOW server_version")))
            facts["database_mb"] = round(int(session.scalar(
                text("SELECT pg_database_size(current_database())")) or 0) / 1e6)
        else:
            facts["engine_version"] = f"SQLite {sqlite3.sqlite_version}"
            path = Path(make_url(url).database or "")
            size = sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal")
                       if Path(f"{path}{s}").exists())
            facts["database_mb"] = round(size / 1e6)
    return facts


# -- What the users ask for ----------------------------------------------------------------

@dataclass
class Workload:
    """Values for the requests, read from the database before the run."""

    total: int
    ids: list[str]
    forces: list[tuple[str, int]]
    rape_yes: int
    fragments: list[str]
    crime_refs: list[str]
    windows: list[tuple[str, str, int]]

    def pages(self, count: int) -> int:
        return max(1, math.ceil(count / PAGE_SIZE))


def _windows(session: Session, rng: random.Random) -> list[tuple[str, str, int]]:
    """Referred-on date ranges (a month, a quarter, a year) with how many referrals fall in each,
    counted as the list counts them."""
    low, high = session.execute(select(func.min(Referral.referred_on),
                                       func.max(Referral.referred_on))).one()
    if not low:
        return []
    first, last = int(str(low)[:4]), int(str(high)[:4])
    windows = []
    for _ in range(24):
        year = rng.randint(first, last)
        months = rng.choice((1, 3, 12))
        month = 1 if months == 12 else rng.randint(1, 13 - months)
        start = date(year, month, 1)
        end_month = month + months
        end = (date(year + 1, 1, 1) if end_month > 12 else date(year, end_month, 1)) \
            - timedelta(days=1)
        count = session.scalar(select(func.count()).select_from(Referral).where(
            Referral.referred_on >= start.isoformat(),
            Referral.referred_on < (end + timedelta(days=1)).isoformat())) or 0
        windows.append((start.isoformat(), end.isoformat(), count))
    return windows


def read_workload(url: str, seed: int) -> Workload:
    rng = random.Random(seed)
    with session_scope(url) as session:
        total = session.scalar(select(func.count()).select_from(Referral)) or 0
        ids = [str(i) for i in session.scalars(
            select(Referral.id).order_by(func.random()).limit(5000))]
        forces = [(str(c), int(n)) for c, n in session.execute(
            select(Referral.force_code, func.count()).group_by(Referral.force_code))]
        rape_yes = session.scalar(select(func.count()).select_from(Referral)
                                  .where(Referral.involves_rape.is_(True))) or 0
        references = list(session.scalars(
            select(Referral.force_reference).order_by(func.random()).limit(200)))
        crime_refs = list(session.scalars(
            select(Crime.crime_reference).order_by(func.random()).limit(200)))
        windows = _windows(session, rng)
    fragments = []
    for ref in references:
        if rng.random() < 0.3:
            fragments.append(ref)  # the whole reference, as pasted from an email
        else:
            size = min(len(ref), rng.randint(4, 8))
            at = rng.randint(0, len(ref) - size)
            fragments.append(ref[at:at + size].lower())
    return Workload(total, ids, forces, rape_yes, fragments, crime_refs, windows)


@dataclass(frozen=True, slots=True)
class Request:
    kind: str
    variant: str
    path: str
    params: dict[str, str]
    htmx: bool


def _page(rng: random.Random, pages: int) -> str:
    """Half the time the first page, otherwise anywhere in the results."""
    return "1" if rng.random() < 0.5 else str(rng.randint(1, pages))


def next_request(rng: random.Random, w: Workload) -> Request:
    roll, kind = rng.random(), KINDS[-1]
    for name, share in MIX:
        if roll < share:
            kind = name
            break
        roll -= share
    htmx = kind != "detail" and rng.random() < HTMX_SHARE
    if kind == "detail":
        return Request(kind, "detail", f"/referrals/{rng.choice(w.ids)}", {}, False)
    if kind == "list":
        # The default sort (newest received first) at any page, as deep as the data goes.
        page = str(rng.randint(1, w.pages(w.total)))
        return Request(kind, "list", "/referrals", {"page": page}, htmx)
    variant = rng.choice(("force", "rape", "q", "crime-ref", "dates", "sort-reference",
                          "sort-suspects", "combined"))
    params: dict[str, str]
    if variant == "force":
        code, count = rng.choice(w.forces)
        params = {"force": code, "page": _page(rng, w.pages(count))}
    elif variant == "rape":
        params = {"rape": "yes", "page": _page(rng, w.pages(w.rape_yes))}
    elif variant == "q":
        params = {"q": rng.choice(w.fragments)}
    elif variant == "crime-ref":
        params = {"q": rng.choice(w.crime_refs)}
    elif variant == "dates" and w.windows:
        start, end, count = rng.choice(w.windows)
        params = {"referred_from": start, "referred_to": end, "page": _page(rng, w.pages(count))}
    elif variant == "sort-reference":
        params = {"sort": "reference", "order": rng.choice(("asc", "desc")),
                  "page": _page(rng, w.pages(w.total))}
    elif variant == "sort-suspects":
        params = {"sort": "suspects", "order": "desc", "page": _page(rng, w.pages(w.total))}
    else:
        variant = "combined"
        code, _ = rng.choice(w.forces)
        params = {"force": code, "rape": "yes", "sort": "referred", "order": "desc"}
        if w.windows:
            start, end, _ = rng.choice(w.windows)
            params |= {"referred_from": start[:4] + "-01-01", "referred_to": end[:4] + "-12-31"}
    return Request(kind, variant, "/referrals", params, htmx)


# -- The server -------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def beaconport_command() -> list[str]:
    script = Path(sys.executable).with_name("beaconport")
    return [str(script)] if script.exists() else [sys.executable, "-m", "beaconport.cli"]


@contextmanager
def running_server(url: str, workers: int, log_path: Path) -> Iterator[tuple[str, int]]:
    """The real server in its own process group; yields its base address and process id."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEACONPORT_")}
    env |= {"BEACONPORT_DATABASE_URL": url, "BEACONPORT_COOKIE_SECURE": "false"}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as out:
        proc = subprocess.Popen(
            [*beaconport_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server stopped (status {proc.returncode}):\n"
                                   + log_path.read_text()[-3000:])
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /health within 90 s:\n"
                                   + log_path.read_text()[-3000:])
            time.sleep(0.25)
        yield base, proc.pid
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # uvicorn stops its workers and then itself
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the group this benchmark started
                proc.wait()


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds used so far by a process and its children (Linux only; None elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            stat = Path(f"/proc/{current}/stat").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            if current == pid:
                return None
            continue  # a child that has just ended
        fields = stat[stat.rindex(")") + 2:].split()
        total += (int(fields[11]) + int(fields[12])) / tick
        todo.extend(int(c) for c in children)
    return total


# -- Signing in -----------------------------------------------------------------------------

def _csrf(page: httpx.Response) -> str:
    found = CSRF_FIELD.search(page.text)
    if found is None:
        raise RuntimeError(f"no csrf_token on {page.url} (status {page.status_code})")
    return found.group(1)


def _expect(response: httpx.Response, status: int, what: str) -> httpx.Response:
    if response.status_code != status:
        raise RuntimeError(f"{what}: expected {status}, got {response.status_code}: "
                           f"{response.text[:300]}")
    return response


def code_to_send(url: str, name: str) -> str:
    """The code the user's authenticator shows now, or the next step's if this step's code was
    used already (a rerun within 30 s): the server accepts one step of drift, never a step twice."""
    with session_scope(url) as session:
        last = session.scalar(select(UserAccount.totp_last_step)
                              .where(UserAccount.username == name))
    while True:
        now = totp.step_at(datetime.now(UTC))
        step = now if last is None else max(now, last + 1)
        if step <= now + totp.DRIFT_STEPS:
            break
        time.sleep(1)
    return totp.current_code(demo_secret(name), datetime.fromtimestamp(
        step * totp.STEP_SECONDS, UTC))


def sign_in(client: httpx.Client, url: str, name: str) -> None:
    """Password, then the second factor, through the pages, as a browser does."""
    form = _expect(client.get("/sign-in"), 200, "GET /sign-in")
    _expect(client.post("/sign-in", data={
        "username": name, "password": DEMO_PASSWORD, "csrf_token": _csrf(form)}),
        303, f"POST /sign-in as {name}")
    second = _expect(client.get("/sign-in/second-factor"), 200, "GET /sign-in/second-factor")
    done = _expect(client.post("/sign-in/second-factor", data={
        "code": code_to_send(url, name), "csrf_token": _csrf(second)}),
        303, f"POST /sign-in/second-factor as {name}")
    if done.headers.get("location") != "/":
        raise RuntimeError(f"second factor for {name} went to {done.headers.get('location')}")
    _expect(client.get("/"), 200, f"GET / signed in as {name}")


# -- The load -------------------------------------------------------------------------------

@dataclass
class Sample:
    user: int
    number: int
    kind: str
    variant: str
    htmx: bool
    status: int | str
    ms: float
    ended: float


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def user_loop(user: int, client: httpx.Client, workload: Workload, run: Run,
              start: threading.Barrier, stop: Callable[[int], bool], think: float,
              seed: int) -> None:
    rng = random.Random(seed * 1000 + user)
    mine: list[Sample] = []
    start.wait()
    sent = 0
    while not stop(sent):
        req = next_request(rng, workload)
        headers = {"HX-Request": "true"} if req.htmx else None
        began = time.perf_counter()
        try:
            response = client.get(req.path, params=req.params, headers=headers)
            status: int | str = response.status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        ended = time.perf_counter()
        mine.append(Sample(user, sent, req.kind, req.variant, req.htmx, status,
                           (ended - began) * 1000, ended))
        sent += 1
        if think:
            time.sleep(rng.expovariate(1 / think))
    with run.lock:
        run.samples.extend(mine)


def percentile(ordered: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    ms = sorted(s.ms for s in samples)
    failed = [s for s in samples if s.status != 200]
    if not ms:
        return {"requests": 0, "failed": 0}
    p95 = percentile(ms, 95)
    return {"requests": len(ms), "per_second": round(len(ms) / seconds, 1),
            "mean_ms": round(sum(ms) / len(ms), 1), "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(p95, 1),
            "p99_ms": round(percentile(ms, 99), 1), "max_ms": round(ms[-1], 1),
            "failed": len(failed), "p95_within_aim": p95 < AIM_P95_MS}


def drive(base: str, url: str, names: list[str], workload: Workload, args: argparse.Namespace,
          server_pid: int) -> dict[str, Any]:
    clients = [httpx.Client(base_url=base, timeout=60, follow_redirects=False) for _ in names]
    try:
        start = time.perf_counter()
        for client, name in zip(clients, names, strict=True):
            sign_in(client, url, name)
        log(f"  signed in {len(names)} users through the pages in "
            f"{time.perf_counter() - start:.1f} s")
        run = Run()
        barrier = threading.Barrier(len(names) + 1)
        t0 = [0.0]
        warm_until = [0.0]

        per_user: int = args.requests_per_user + args.warmup_requests
        window: float = args.warmup + args.duration

        def stop(sent: int) -> bool:
            if args.requests_per_user:
                return sent >= per_user
            return time.perf_counter() >= t0[0] + window

        threads = [threading.Thread(
            target=user_loop, daemon=True,
            args=(i, client, workload, run, barrier, stop, args.think_ms / 1000, args.seed))
            for i, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        server_before = process_tree_cpu(server_pid)
        t0[0] = time.perf_counter()
        warm_until[0] = t0[0] + (args.warmup if not args.requests_per_user else 0)
        barrier.wait()
        for thread in threads:
            thread.join()
        t_end = time.perf_counter()
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
        server_after = process_tree_cpu(server_pid)
    finally:
        for client in clients:
            client.close()
    if args.requests_per_user:
        # Each user's first requests are its warm-up.
        measured = [s for s in run.samples if s.number >= args.warmup_requests]
        first = min((s.ended - s.ms / 1000 for s in measured), default=t0[0])
    else:
        measured = [s for s in run.samples if s.ended - s.ms / 1000 >= warm_until[0]]
        first = warm_until[0]
    seconds = max(1e-9, t_end - first)
    wall = t_end - t0[0]
    result: dict[str, Any] = {"seconds": round(seconds, 1),
                              "overall": summarise(measured, seconds)}
    for kind in KINDS:
        result[kind] = summarise([s for s in measured if s.kind == kind], seconds)
    variants = sorted({(s.kind, s.variant, s.htmx) for s in measured})
    result["variants"] = {
        f"{k}:{v}{' (htmx)' if h else ''}": summarise(
            [s for s in measured if (s.kind, s.variant, s.htmx) == (k, v, h)], seconds)
        for k, v, h in variants}
    failures: dict[str, int] = {}
    for s in run.samples:  # warm-up included: every response must be 200
        if s.status != 200:
            key = f"{s.kind}:{s.variant} {s.status}"
            failures[key] = failures.get(key, 0) + 1
    result["requests_including_warmup"] = len(run.samples)
    result["failures"] = failures
    client_cpu = (cpu_after.ru_utime + cpu_after.ru_stime
                  - cpu_before.ru_utime - cpu_before.ru_stime)
    result["load_generator_cpu_share"] = round(client_cpu / wall, 2)
    if server_before is not None and server_after is not None and run.samples:
        result["server_cpu_share"] = round((server_after - server_before) / wall, 2)
        result["server_cpu_ms_per_request"] = round(
            (server_after - server_before) * 1000 / len(run.samples), 1)
    return result


# -- Query plans ----------------------------------------------------------------------------

EXPLAINED: tuple[tuple[str, dict[str, Any]], ...] = (
    ("list, default sort, first page", {}),
    ("list, default sort, last page", {"page": 100_000}),
    ("filter force (busiest), deep page", {"force": "*", "page": 100_000}),
    ("filter rape=yes", {"rape": "yes"}),
    ("filter q (part of a reference)", {"q": "*q"}),
    ("filter referred_from/referred_to (a year)", {"referred_from": "*from",
                                                    "referred_to": "*to"}),
    ("sort by reference, middle page", {"sort": "reference", "order": "asc", "page": "*mid"}),
    ("sort by suspects, middle page", {"sort": "suspects", "order": "desc", "page": "*mid"}),
)


def explain(url: str, workload: Workload) -> list[dict[str, Any]]:
    """Run the list's real queries in this process, capture their SQL, and show each plan
    (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN) and its time."""
    engine = get_engine(url)
    principal = Principal(id=uuid.uuid4(), name="bench", display_name="Bench",
                          grants=(Grant(Role.SCREENER),))
    busiest = max(workload.forces, key=lambda f: f[1])[0] if workload.forces else "none"
    year = workload.windows[0][0][:4] if workload.windows else "2020"
    fill = {"*": busiest, "*q": workload.fragments[0] if workload.fragments else "x",
            "*from": f"{year}-01-01", "*to": f"{year}-12-31",
            "*mid": max(1, workload.pages(workload.total) // 2)}
    postgres = url.startswith("postgresql")
    results = []
    for label, raw in EXPLAINED:
        params = {k: fill.get(v, v) if isinstance(v, str) else v for k, v in raw.items()}
        captured: list[tuple[str, Any]] = []

        def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any,
                    into: list[tuple[str, Any]] = captured) -> None:
            into.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        try:
            with session_scope(url) as session:
                began = time.perf_counter()
                browse.list_referrals(session, principal, ReferralFilter(**params))
                took = (time.perf_counter() - began) * 1000
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        plans = []
        with engine.connect() as conn:
            for statement, parameters in captured:
                prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
                rows = conn.exec_driver_sql(prefix + statement, parameters).all()
                plans.append([str(r[0]) for r in rows] if postgres else _tree(rows))
        results.append({"query": label, "filters": params, "ms_in_process": round(took, 1),
                        "plans": plans})
    return results


def _tree(rows: Sequence[Any]) -> list[str]:
    """SQLite's plan rows (id, parent, -, detail), indented by depth."""
    depth = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + str(detail))
    return lines


# -- Report ---------------------------------------------------------------------------------

def print_table(engine_name: str, result: dict[str, Any], users: int,
                steady: bool) -> None:
    header = (f"{'engine':<11}{'pages':<30}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
              f"{'p99 ms':>9}{'max ms':>9}{'failed':>8}  p95 < {AIM_P95_MS:.0f} ms")
    print(header)
    rows = [(k, result[k]) for k in (*KINDS, "overall")]
    rows += [(f"  {k}", v) for k, v in result["variants"].items()]
    for label, r in rows:
        if not r.get("requests"):
            print(f"{engine_name:<11}{label:<30}{0:>9}")
            continue
        print(f"{engine_name:<11}{label:<30}{r['requests']:>9,}{r['per_second']:>8}"
              f"{r['p50_ms']:>9}{r['p95_ms']:>9}{r['p99_ms']:>9}{r['max_ms']:>9}"
              f"{r['failed']:>8}  {'yes' if r['p95_within_aim'] else 'NO'}")
    print(f"{engine_name:<11}{result['requests_including_warmup']:,} requests in all, warm-up "
          f"included; {sum(result['failures'].values()):,} not 200")
    if result["failures"]:
        print(f"{engine_name:<11}FAILED REQUESTS (warm-up included): " + ", ".join(
            f"{k} x{n}" for k, n in sorted(result["failures"].items())))
    cpu = f"load generator {result['load_generator_cpu_share']:.2f} cores"
    if "server_cpu_share" in result:
        cpu += (f", Beaconport's server processes {result['server_cpu_share']:.2f} cores "
                f"({result['server_cpu_ms_per_request']} ms per request; the database server's "
                "own processes not counted)")
    print(f"{engine_name:<11}CPU while driving: {cpu}, of {os.cpu_count()} cores")
    overall = result["overall"]
    if overall.get("requests") and steady:
        little = users / overall["per_second"] * 1000
        print(f"{engine_name:<11}mean latency {overall['mean_ms']} ms; users / throughput = "
              f"{users} / {overall['per_second']} req/s = {little:.0f} ms (Little's law): what "
              "the server's own time does not explain is waiting for a free CPU")


def bench_engine(engine_name: str, args: argparse.Namespace, source: Source) -> dict[str, Any]:
    url = prepare_sqlite(args, source) if engine_name == "sqlite" else (
        prepare_postgresql(args, source))
    names = [username(i) for i in range(args.users)]
    facts = data_facts(url)
    workload = read_workload(url, args.seed)
    log(f"{engine_name}: {facts['engine_version']}, {facts['referrals']:,} referrals, "
        f"{facts['versions']:,} versions, {facts['person_records']:,} person records, "
        f"{facts['audit_events']:,} audit events, {facts['database_mb']:,} MB")
    plans = explain(url, workload) if args.explain else []
    for item in plans:
        print(f"\n{engine_name}: {item['query']} {item['filters']} — "
              f"{item['ms_in_process']} ms in process")
        for plan in item["plans"]:
            print("\n".join(f"    {line}" for line in plan))
            print("    --")
    dispose_engine(url)  # nothing of this process holds the database during the run
    server_log = Path(args.cache_dir) / f"server-{engine_name}.log"
    with running_server(url, args.workers, server_log) as (base, pid):
        log(f"{engine_name}: server up at {base} with {args.workers} workers; driving "
            f"{args.users} users for "
            + (f"{args.requests_per_user} requests each" if args.requests_per_user
               else f"{args.duration:g} s after {args.warmup:g} s of warm-up"))
        result = drive(base, url, names, workload, args, pid)
    dispose_engine(url)
    steady = not args.think_ms and not args.requests_per_user
    print_table(engine_name, result, args.users, steady)
    return {"engine": engine_name, "data": facts, **result,
            **({"explain": plans} if plans else {})}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=20, help="concurrent signed-in users")
    parser.add_argument("--duration", type=float, default=60,
                        help="seconds of measured load per engine")
    parser.add_argument("--warmup", type=float, default=5,
                        help="seconds of load before measuring starts")
    parser.add_argument("--requests-per-user", type=int, default=0,
                        help="a fixed number of requests per user instead of --duration")
    parser.add_argument("--warmup-requests", type=int, default=3,
                        help="with --requests-per-user: unmeasured requests per user first")
    parser.add_argument("--think-ms", type=float, default=0,
                        help="mean pause between a user's requests (0: back to back)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--rebuild", action="store_true",
                        help="build the databases again even if a complete one is kept")
    parser.add_argument("--explain", action="store_true",
                        help="also print the plans of the list's queries before the load")
    parser.add_argument("--cache-dir", default=str(ROOT / "var" / "bench"),
                        help="where SQLite databases and server logs are kept")
    args = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"Python {platform.python_version()}")
    print(f"load: {args.users} users, back to back" if not args.think_ms else
          f"load: {args.users} users, mean pause {args.think_ms:g} ms", end="")
    print(f"; server: beaconport serve --workers {args.workers}, BEACONPORT_COOKIE_SECURE=false "
          "(plain HTTP on 127.0.0.1)")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        source = Source(args.referrals, args.seed, Path(tmp))
        for engine_name in args.engines.split(","):
            result = bench_engine(engine_name.strip(), args, source)
            data = result["data"]
            print(f"{engine_name:<11}data: {data['engine_version']}, {data['referrals']:,} "
                  f"referrals, {data['database_mb']:,} MB\n")
            results.append(result)
    print(json.dumps({"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                      "settings": {k: v for k, v in vars(args).items() if k != "cache_dir"},
                      "results": [{k: v for k, v in r.items() if k != "explain"}
                                  for r in results]}, indent=2))


if __name__ == "__main__":
    main()
