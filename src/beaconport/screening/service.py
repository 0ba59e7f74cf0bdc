"""Screening referrals and keeping what was decided: in runs, chunk by chunk, each chunk one
transaction (the caller's unit of work), each changed decision audited.

A referral is re-decided when screened again; a decision that comes out the same (same rule
set, same referral version, same verdicts and reasons) writes nothing. A changed one adds a new
current row, keeps the old one, moves the referral's status, and is listed in the run's report.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.bulk import JsonText, insert_rows
from beaconport.db import new_id
from beaconport.people import incremental
from beaconport.referrals import service as referrals
from beaconport.referrals import states
from beaconport.screening import duplicates, overrides, queries, requests
from beaconport.screening.decision import Screening, screen
from beaconport.screening.models import PossibleDuplicate, ScreeningDecision, ScreeningRun
from beaconport.screening.rules import CURRENT, RuleSet

#: How many changes a run's report lists (its counts are always whole).
REPORT_LIMIT = 2000


@dataclass(slots=True)
class Outcome:
    screened: int = 0
    changed: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    changes: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: Outcome) -> None:
        self.screened += other.screened
        self.changed += other.changed
        self.decisions.update(other.decisions)
        room = REPORT_LIMIT - len(self.changes)
        self.changes.extend(other.changes[:max(room, 0)])


def _results(s: Screening) -> list[dict[str, Any]]:
    # Written out rather than dataclasses.asdict, which copies deeply and was a third of the
    # time of screening 100,000 referrals. Keys in sorted order: see _digest.
    return [{"criterion": r.criterion, "evidence": list(r.evidence), "missing": list(r.missing),
             "reason": r.reason, "verdict": r.verdict} for r in s.results]


def start_run(session: Session, *, actor: str | audit.Actor, rules: RuleSet) -> uuid.UUID:
    run = ScreeningRun(ruleset=rules.name, started_at_utc=clock.now(),
                       actor=audit.name_of(actor))
    session.add(run)
    session.flush()
    return run.id


def finish_run(session: Session, *, actor: str | audit.Actor, run_id: uuid.UUID,
               outcome: Outcome) -> None:
    session.execute(update(ScreeningRun).where(ScreeningRun.id == run_id).values(
        finished_at_utc=clock.now(), screened=outcome.screened, changed=outcome.changed,
        report=outcome.changes))
    audit.record(session, actor=actor, action=AuditAction.SCREENING_RUN,
                 subject=audit.Subject("screening_run", str(run_id)),
                 data={"screened": outcome.screened, "changed": outcome.changed,
                       "decisions": dict(outcome.decisions)})


class Decided(NamedTuple):
    """One referral screened, ready to be compared with its stored decision and kept. Made
    where its facts were read, which for a long run is another process: plain values only, as
    pickling the criteria's result objects cost more than reading the facts."""

    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    version: int
    crime_references: tuple[str, ...]
    decision: str
    failed: tuple[str, ...]
    unknown: tuple[str, ...]
    involves_rape: bool
    red_flags: tuple[str, ...]
    missing: tuple[str, ...]
    #: The per-criterion results as stored (JSON), and the digest that says if they changed.
    results: str
    digest: str


def decide(session: Session, referral_ids: Sequence[uuid.UUID],
           rules: RuleSet) -> list[Decided]:
    """Read these referrals' facts and decide each: reads only, writes nothing."""
    found = []
    for referral_id, referral in queries.load_facts(session, referral_ids).items():
        s = screen(referral, rules)
        encoded = json.dumps(_results(s))
        found.append(Decided(
            referral_id, referral.force_code, referral.force_reference, referral.version,
            tuple(c.crime_reference for c in referral.crimes), s.decision, s.failed,
            s.unknown, s.involves_rape, s.red_flags, s.missing, encoded,
            _digest(rules.name, referral.version, s, encoded)))
    return found


def screen_referrals(session: Session, *, actor: str | audit.Actor,
                     referral_ids: Sequence[uuid.UUID], rules: RuleSet,
                     run_id: uuid.UUID | None = None) -> Outcome:
    """Screen these referrals (a chunk: about a thousand) in the caller's transaction."""
    return keep(session, actor=actor, decided=decide(session, referral_ids, rules),
                rules=rules, run_id=run_id)


def keep(session: Session, *, actor: str | audit.Actor, decided: list[Decided],
         rules: RuleSet, run_id: uuid.UUID | None = None) -> Outcome:
    """Keep what screening decided, in the caller's transaction: a decision that changed is a
    new current row with its status, audit event and place in the run's report; one that came
    out the same writes nothing. Duplicates, information requests and overrides follow."""
    mine = [d.referral_id for d in decided]
    before = {row.referral_id: row for row in session.connection().execute(
        select(ScreeningDecision.referral_id, ScreeningDecision.id, ScreeningDecision.digest,
               ScreeningDecision.decision)
        .where(ScreeningDecision.referral_id.in_(mine),
               ScreeningDecision.current.is_(True)))}
    now, who = clock.now(), audit.name_of(actor)
    outcome = Outcome()
    rows: list[dict[str, Any]] = []
    statuses: dict[uuid.UUID, str] = {}
    events: list[tuple[audit.Subject, dict[str, Any] | None]] = []
    changed_from: list[tuple[Decided, uuid.UUID]] = []
    missing: dict[uuid.UUID, tuple[str, list[str]]] = {}
    for d in decided:
        missing[d.referral_id] = (d.force_code, list(d.missing))
        outcome.screened += 1
        outcome.decisions[d.decision] += 1
        old = before.get(d.referral_id)
        if old is not None and old.digest == d.digest:
            continue
        outcome.changed += 1
        rows.append({
            "id": new_id(), "referral_id": d.referral_id, "version": d.version,
            "ruleset": rules.name, "decision": d.decision,
            "failed": list(d.failed), "unknown": list(d.unknown),
            "results": JsonText(d.results), "involves_rape": d.involves_rape,
            "red_flags": list(d.red_flags), "flagged": bool(d.red_flags),
            "digest": d.digest, "current": True,
            "screened_at_utc": now, "screened_by": who, "run_id": run_id})
        statuses[d.referral_id] = states.SCREENED_STATUS[d.decision]
        events.append((audit.Subject("referral", str(d.referral_id)), {
            "decision": d.decision, "ruleset": rules.name, "version": d.version,
            "previous": old.decision if old else None}))
        if old is not None:
            changed_from.append((d, old.id))
    listed = changed_from[:REPORT_LIMIT]
    was: dict[uuid.UUID, tuple[str, str, list[Any]]] = {
        row.id: (row.decision, row.ruleset, row.results) for row in session.execute(
            select(ScreeningDecision.id, ScreeningDecision.decision, ScreeningDecision.ruleset,
                   ScreeningDecision.results)
            .where(ScreeningDecision.id.in_([old_id for _, old_id in listed])))}
    for d, old_id in listed:
        outcome.changes.append(_change(d, rules.name, was[old_id]))
    if before and rows:
        stale = [before[r["referral_id"]].id for r in rows if r["referral_id"] in before]
        session.execute(update(ScreeningDecision).where(ScreeningDecision.id.in_(stale))
                        .values(current=False))
    insert_rows(session, ScreeningDecision.__table__, rows)
    _note_duplicates(session, {d.referral_id: d.crime_references for d in decided}, now)
    requests.follow_screening(session, actor=actor, now=now, missing=missing)
    # An approved override of the same version holds whatever screening now says.
    statuses.update(overrides.apply_overrides(
        session, actor=actor, versions={d.referral_id: d.version for d in decided}))
    referrals.set_statuses(session, statuses)
    audit.record_many(session, actor=actor, action=AuditAction.SCREENING_DECIDED,
                      subjects=events, at=now)
    return outcome


def _digest(ruleset: str, version: int, decided: Screening, results: str) -> str:
    """What a decision comes to, to tell whether it changed: the SHA-256 of
    ``json.dumps([ruleset, version, decision, results, red_flags], sort_keys=True)``, built
    around the results' JSON (already encoded to be stored, with its keys in sorted order)
    rather than encoding them twice."""
    body = (f"[{json.dumps(ruleset)}, {version}, {json.dumps(decided.decision)}, {results}, "
            f"{json.dumps(list(decided.red_flags))}]")
    return hashlib.sha256(body.encode()).hexdigest()


def _change(new: Decided, ruleset: str, old: tuple[str, str, list[Any]]) -> dict[str, Any]:
    """One line of a run's report: what the decision was, what it is, and which criteria moved."""
    old_decision, old_ruleset, old_results = old
    was = {r["criterion"]: r["verdict"] for r in old_results}
    now = {r["criterion"]: r["verdict"] for r in json.loads(new.results)}
    moved = {criterion: [was.get(criterion), verdict] for criterion, verdict in now.items()
             if was.get(criterion) != verdict}
    return {"force": new.force_code, "force_reference": new.force_reference,
            "from": old_decision, "to": new.decision, "ruleset_from": old_ruleset,
            "ruleset_to": ruleset, "criteria": moved}


def screen_stored(actor: str | audit.Actor) -> Callable[[Session, list[uuid.UUID]], None]:
    """What import runs after storing referrals, in the same transaction: link their people into
    the nominal index (once it has been built by a full run), then screen them with the current
    rule set."""

    def after(session: Session, referral_ids: list[uuid.UUID]) -> None:
        # Their people into the nominal index first, so screening's duplicates can use it.
        if incremental.link_new(session, actor=actor, referral_ids=referral_ids) is not None:
            duplicates.note_shared_people(session, referral_ids)
        screen_referrals(session, actor=actor, referral_ids=referral_ids, rules=CURRENT)

    return after


#: A crime reference shared by more referrals than this is a data problem (a placeholder such
#: as "UNKNOWN"), not a set of duplicates: pairs are listed with this many others at most.
MAX_SHARING = 20


def _note_duplicates(session: Session, crimes: dict[uuid.UUID, tuple[str, ...]],
                     now: Any) -> None:
    """List each screened referral with the other referrals sharing one of its crime
    references (current versions), each pair once."""
    mine: dict[str, set[uuid.UUID]] = {}
    for referral_id, references in crimes.items():
        for reference in references:
            mine.setdefault(reference, set()).add(referral_id)
    if not mine:
        return
    sharing: dict[str, set[uuid.UUID]] = {}
    for referral_id, reference in queries.referrals_sharing_crimes(session, list(mine)):
        sharing.setdefault(reference, set()).add(referral_id)
    pairs = set()
    for reference, ours in mine.items():
        others = sorted(sharing.get(reference, set()))[:MAX_SHARING + 1]
        for a in ours:
            for b in others:
                if a != b:
                    pairs.add((min(a, b), max(a, b), reference))
    if not pairs:
        return
    known = {(a, b, detail) for a, b, detail in session.execute(
        select(PossibleDuplicate.referral_a, PossibleDuplicate.referral_b,
               PossibleDuplicate.detail)
        .where(PossibleDuplicate.basis == "crime_reference",
               PossibleDuplicate.detail.in_(list(mine)),
               PossibleDuplicate.referral_a.in_({a for a, _, _ in pairs})))}
    insert_rows(session, PossibleDuplicate.__table__, [
        {"id": new_id(), "referral_a": a, "referral_b": b, "basis": "crime_reference",
         "detail": reference, "found_at_utc": now, "decision": None, "decided_by": None,
         "decided_at_utc": None, "reason": None}
        for a, b, reference in sorted(pairs, key=str) if (a, b, reference) not in known])
