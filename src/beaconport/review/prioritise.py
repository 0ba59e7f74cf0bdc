"""Triage commands: score the cases waiting in the queue, and store new weights.

A case is scored again only when something it was scored from changed: its screening decision,
the current weights, or the nominal index (a linkage run). ``everything`` scores every queued
case again, for the factor that moves with the calendar (years since the decision): a nightly
``beaconport triage score`` keeps it current. Cases no longer eligible leave the queue.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.bulk import insert_rows
from beaconport.db import new_id
from beaconport.errors import Conflict
from beaconport.review import queries
from beaconport.review.models import TriagePriority, TriageWeightSet
from beaconport.review.triage import prioritise
from beaconport.review.weights import TriageWeights
from beaconport.screening.queries import chunks

CHUNK = 1000


@dataclass(frozen=True, slots=True)
class Refreshed:
    scored: int
    left: int
    weights: str


def refresh(session: Session, *, actor: str | audit.Actor,
            referral_ids: Sequence[uuid.UUID] | None = None, everything: bool = False,
            progress: Callable[[int], None] | None = None) -> Refreshed:
    """Bring the queue's scores up to date: for these referrals and those whose suspects they
    share (None: every case)."""
    weights = queries.current_weights(session)
    run = queries.latest_linkage_run(session)
    scope: list[uuid.UUID] | None = None
    if referral_ids is not None:
        scope = list(set(referral_ids) | queries.sharing_suspects(session, referral_ids))
    waiting = queries.eligible(session, scope)
    before = queries.scored(session, scope)
    gone = [rid for rid in before if rid not in waiting]
    stale: dict[uuid.UUID, tuple[str, uuid.UUID]] = {
        rid: (force, decision) for rid, (force, decision) in waiting.items()
             if decision is not None and (everything or before.get(rid) != (
                 decision, weights.version, run))}
    for part in chunks(gone, queries.IN_LIST):
        session.execute(delete(TriagePriority).where(TriagePriority.referral_id.in_(part)))
    ids = list(stale)
    today, now = clock.today(), clock.now()
    for part in chunks(ids, CHUNK):
        cases = {rid: stale[rid] for rid in part}
        rows = []
        for case in queries.to_score(session, cases, today):
            priority = prioritise(case.facts, weights)
            rows.append({
                "referral_id": case.referral_id, "force_code": case.force_code,
                "involves_rape": case.facts.rape, "score": priority.score,
                "breakdown": priority.breakdown(), "weights_version": weights.version,
                "decision_id": case.decision_id, "linkage_run_id": run,
                "scored_at_utc": now})
        session.execute(delete(TriagePriority).where(TriagePriority.referral_id.in_(part)))
        insert_rows(session, TriagePriority.__table__, rows)
        if progress:
            progress(len(part))
    if ids or gone:
        audit.record(session, actor=actor, action=AuditAction.TRIAGE_SCORED,
                     subject=audit.Subject("triage_queue", weights.version),
                     data={"scored": len(ids), "left": len(gone), "weights": weights.version,
                           "everything": everything})
    return Refreshed(len(ids), len(gone), weights.version)


def add_weights(session: Session, *, actor: str | audit.Actor,
                weights: TriageWeights) -> None:
    """Store new weights as the current version (the queue is scored again by the caller)."""
    if session.scalar(select(TriageWeightSet.id)
                      .where(TriageWeightSet.version == weights.version)) is not None:
        raise Conflict(f"Weights version '{weights.version}' already exists: versions are "
                       "never changed, so give the new weights a new version name.")
    session.execute(update(TriageWeightSet).values(current=False))
    session.add(TriageWeightSet(id=new_id(), version=weights.version,
                                document=weights.document(), note=weights.note, current=True,
                                created_at_utc=clock.now(), created_by=audit.name_of(actor)))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.TRIAGE_WEIGHTS_ADDED,
                 subject=audit.Subject("triage_weights", weights.version),
                 data=weights.document())
