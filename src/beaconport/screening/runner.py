"""Screening many referrals: chunk by chunk, each chunk its own transaction, so a run over
100,000 referrals keeps memory flat and a failure loses at most one chunk.

Given the database's URL, a long run reads and decides in a second process while this one keeps
what was decided: reading the facts is most of a run, and keeping them the rest, so the two
overlap on two cores. The second process only reads; every write stays here, in order.
"""

from __future__ import annotations

import multiprocessing
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager

from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.db import session_scope
from beaconport.screening import queries, service
from beaconport.screening.rules import RuleSet

UnitOfWork = Callable[[], AbstractContextManager[Session]]
CHUNK = 1000
#: Chunks decided ahead of the one being kept: enough to keep the reader busy.
AHEAD = 3
#: Processes reading and deciding: with the one keeping, enough to use two cores.
READERS = 2


def run(unit_of_work: UnitOfWork, *, actor: str | audit.Actor, rules: RuleSet,
        referral_ids: Sequence[uuid.UUID] | None = None,
        progress: Callable[[int], None] | None = None,
        database_url: str | None = None) -> tuple[uuid.UUID, service.Outcome]:
    """Screen the given referrals (None: every referral) and keep the run's report.
    ``database_url`` (the database ``unit_of_work`` opens) lets a run of more than one chunk
    read in a second process."""
    with unit_of_work() as session:
        ids = list(referral_ids) if referral_ids is not None else queries.referral_ids(session)
        run_id = service.start_run(session, actor=actor, rules=rules)
    outcome = service.Outcome()
    chunks = list(queries.chunks(ids, CHUNK))
    with _Reader(database_url if len(chunks) > 1 else None, chunks, rules) as decided:
        for chunk in chunks:
            with unit_of_work() as session:
                found = decided.next(session)
                outcome.add(service.keep(session, actor=actor, decided=found, rules=rules,
                                         run_id=run_id))
            if progress:
                progress(len(chunk))
    with unit_of_work() as session:
        service.finish_run(session, actor=actor, run_id=run_id, outcome=outcome)
    return run_id, outcome


def decide_elsewhere(database_url: str, referral_ids: Sequence[uuid.UUID],
                     rules: RuleSet) -> list[service.Decided]:
    """What the second process runs for each chunk (a read-only transaction of its own)."""
    with session_scope(database_url) as session:
        return service.decide(session, referral_ids, rules)


class _Reader:
    """The chunks' decisions in order: from the second process when there is a URL to give it,
    else read in the keeping transaction itself."""

    def __init__(self, database_url: str | None, chunks: list[Sequence[uuid.UUID]],
                 rules: RuleSet) -> None:
        self.url, self.rules = database_url, rules
        self.pending: Iterator[Sequence[uuid.UUID]] = iter(chunks)
        self.ahead: deque[Future[list[service.Decided]]] = deque()
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> _Reader:
        if self.url is not None:
            # spawn, not fork: a forked child would share this process's database connections.
            self.pool = ProcessPoolExecutor(
                READERS, mp_context=multiprocessing.get_context("spawn"))
            for _ in range(AHEAD):
                self._submit()
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _submit(self) -> None:
        chunk = next(self.pending, None)
        if chunk is not None and self.pool is not None and self.url is not None:
            self.ahead.append(self.pool.submit(decide_elsewhere, self.url, list(chunk),
                                               self.rules))

    def next(self, session: Session) -> list[service.Decided]:
        if self.pool is None:
            return service.decide(session, next(self.pending), self.rules)
        found = self.ahead.popleft().result()
        self._submit()
        return found
