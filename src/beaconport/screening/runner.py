"""Screening many referrals: chunk by chunk, each chunk its own transaction, so a run over
100,000 referrals keeps memory flat and a failure loses at most one chunk."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager

from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.screening import queries, service
from beaconport.screening.rules import RuleSet

UnitOfWork = Callable[[], AbstractContextManager[Session]]
CHUNK = 1000


def run(unit_of_work: UnitOfWork, *, actor: str | audit.Actor, rules: RuleSet,
        referral_ids: Sequence[uuid.UUID] | None = None,
        progress: Callable[[int], None] | None = None) -> tuple[uuid.UUID, service.Outcome]:
    """Screen the given referrals (None: every referral) and keep the run's report."""
    with unit_of_work() as session:
        ids = list(referral_ids) if referral_ids is not None else queries.referral_ids(session)
        run_id = service.start_run(session, actor=actor, rules=rules)
    outcome = service.Outcome()
    for chunk in queries.chunks(ids, CHUNK):
        with unit_of_work() as session:
            outcome.add(service.screen_referrals(session, actor=actor, referral_ids=chunk,
                                                 rules=rules, run_id=run_id))
        if progress:
            progress(len(chunk))
    with unit_of_work() as session:
        service.finish_run(session, actor=actor, run_id=run_id, outcome=outcome)
    return run_id, outcome
