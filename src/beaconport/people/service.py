"""Linking the database's person records into the nominal index, and keeping it.

A full run reads every person in every referral's current version, scores the candidate pairs
with the model (trained on the records themselves), joins records into nominals (pairs at or
above ``LINK_AT``, bound by people's decisions: must-link and cannot-link), keeps each nominal's
id where most of its records were before, and stores the pairs from ``REVIEW_FROM`` up with
their evidence: those below ``LINK_AT`` are the clerical review queue. Merges and splits of
existing nominals are audited with the records they moved. Scoring happens outside any
transaction (it takes minutes for hundreds of thousands of records); everything it changes is
written in one.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.bulk import insert_rows
from beaconport.db import new_id
from beaconport.people import clusters, linkage, relational
from beaconport.people.models import (
    CandidatePair,
    LinkageRun,
    LinkDecision,
    Nominal,
    NominalRecord,
)
from beaconport.people.prepare import Alias, PersonInput, pnc_of, prepare
from beaconport.referrals.models import PersonRecord, Referral, ReferralVersion

UnitOfWork = Callable[[], AbstractContextManager[Session]]
#: At or above: the same person, linked without asking anyone.
LINK_AT = 0.9
#: From here up to LINK_AT: shown to a person to decide (the clerical review queue).
REVIEW_FROM = 0.5


@dataclass(slots=True)
class Record:
    """A person in a referral's current version, with where the index has them now."""

    key: tuple[uuid.UUID, str]  # (referral, the force's person reference)
    person_record_id: uuid.UUID
    force_code: str
    role: str
    person: PersonInput
    record_id: uuid.UUID  # the nominal record's id (new for a record not yet indexed)
    nominal_id: uuid.UUID | None = None
    #: The person record the index holds for it (an older version's, if the referral changed).
    indexed_person_record_id: uuid.UUID | None = None
    #: The keys a later, incremental link finds it by (``NominalRecord.key_*``).
    keys: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RunSummary:
    run_id: uuid.UUID
    records: int
    pairs: int
    persons: int
    to_review: int
    merged: int
    split: int
    trained: bool
    in_several_forces: int = 0
    held: list[tuple[str, str]] = field(default_factory=list)


def person_input(record_id: str, row: Any) -> PersonInput:
    """A stored person record as linkage reads it (no ethnicity, nationality or role)."""
    aliases = tuple(Alias(a.get("forenames"), a.get("surname"), a.get("nickname"))
                    for a in row.aliases or [] if isinstance(a, dict))
    addresses = [a for a in row.addresses or [] if isinstance(a, dict)]
    pnc = pnc_of(row.identifiers)
    return PersonInput(record_id, row.forenames, row.surname, aliases, row.date_of_birth,
                       row.sex, tuple(a["postcode"] for a in addresses if a.get("postcode")),
                       tuple(a["line"] for a in addresses if a.get("line")), pnc)


def current_records(session: Session,
                    referral_ids: Sequence[uuid.UUID] | None = None) -> list[Record]:
    """Every person in the current version of these referrals (None: every referral), with
    their place in the index."""
    indexed_query = select(NominalRecord.referral_id, NominalRecord.person_ref, NominalRecord.id,
                           NominalRecord.nominal_id, NominalRecord.person_record_id)
    query = (select(ReferralVersion.referral_id, Referral.force_code, PersonRecord.id,
                    PersonRecord.person_ref, PersonRecord.role, PersonRecord.forenames,
                    PersonRecord.surname, PersonRecord.aliases, PersonRecord.date_of_birth,
                    PersonRecord.sex, PersonRecord.addresses, PersonRecord.identifiers)
             .join(ReferralVersion, ReferralVersion.id == PersonRecord.version_id)
             .join(Referral, (Referral.id == ReferralVersion.referral_id)
                   & (Referral.current_version == ReferralVersion.number))
             .order_by(ReferralVersion.referral_id, PersonRecord.person_ref))
    if referral_ids is not None:
        indexed_query = indexed_query.where(NominalRecord.referral_id.in_(list(referral_ids)))
        query = query.where(Referral.id.in_(list(referral_ids)))
    indexed = {(r.referral_id, r.person_ref): r for r in session.execute(indexed_query)}
    found = []
    for row in session.execute(query):
        key = (row.referral_id, row.person_ref)
        known = indexed.get(key)
        record_id = known.id if known else new_id()
        found.append(Record(key, row.id, row.force_code, row.role,
                            person_input(str(record_id), row), record_id,
                            known.nominal_id if known else None,
                            known.person_record_id if known else None))
    return found


def membership_of(records: Sequence[Record]) -> dict[str, relational.Membership]:
    """Each record's referral and role, for the relational evidence (``relational``)."""
    return {str(r.record_id): relational.Membership(str(r.key[0]), r.role) for r in records}


def decisions(session: Session) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    """Each pair's latest decision by a person."""
    latest: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
    for a, b, decision in session.execute(
            select(LinkDecision.record_a, LinkDecision.record_b, LinkDecision.decision)
            .order_by(LinkDecision.decided_at_utc, LinkDecision.id)):
        latest[(a, b)] = decision
    return latest


KEY_COLUMNS = {"key_forename": "fn_canon", "key_surname": "sn_canon", "key_birth": "dob",
               "key_postcode": "postcode1", "key_pnc": "pnc"}


def add_keys(records: Sequence[Record], columns: dict[str, list[Any]]) -> None:
    """Give each record the keys an incremental link will find it by."""
    for i, record in enumerate(records):
        record.keys = {key: columns[column][i] for key, column in KEY_COLUMNS.items()}


def link_all(unit_of_work: UnitOfWork, *, actor: str | audit.Actor,
             progress: Callable[[str], None] | None = None) -> RunSummary:
    """A full run over the database's person records (see the module's docstring)."""
    say = progress or (lambda _: None)
    with unit_of_work() as session:
        records = current_records(session)
        decided = decisions(session)
    say(f"read {len(records):,} person records")
    columns = prepare(r.person for r in records)
    add_keys(records, columns)
    scored = linkage.score(columns, floor=REVIEW_FROM, keep_below=relational.LOOK_FROM)
    say(f"scored {len(scored.pairs):,} pairs at or above {REVIEW_FROM}")
    ids = [str(r.record_id) for r in records]
    must = [(str(a), str(b)) for (a, b), d in decided.items() if d == "same"]
    cannot = [(str(a), str(b)) for (a, b), d in decided.items() if d == "different"]

    def persons(pairs: Sequence[linkage.Pair]) -> dict[str, str]:
        return clusters.cluster(ids, [(p.left, p.right, p.probability) for p in pairs],
                                threshold=LINK_AT, must=must, cannot=cannot)[0]

    # Who else each record's referral names: one more comparison, after the fields.
    pairs, factors = relational.weigh(
        scored.pairs, columns, membership_of(records), persons, link_at=LINK_AT,
        below=lambda wanted: linkage.pairs_among(scored.below, scored.model, wanted))
    scored = replace(scored, pairs=[p for p in pairs if p.probability >= REVIEW_FROM],
                     below=None, model={**scored.model, relational.MODEL_KEY: {
                         role: f.as_dict() for role, f in factors.items()}})
    groups, held = clusters.cluster(ids, [(p.left, p.right, p.probability)
                                          for p in scored.pairs],
                                    threshold=LINK_AT, must=must, cannot=cannot)
    previous = {str(r.record_id): str(r.nominal_id) for r in records if r.nominal_id}
    nominal_of = clusters.keep_ids(groups, previous, lambda: str(new_id()))
    with unit_of_work() as session:
        return store(session, actor=actor, records=records, scored=scored,
                     nominal_of=nominal_of, held=set(held), decided=decided)


def store(session: Session, *, actor: str | audit.Actor, records: Sequence[Record],
          scored: linkage.Scored, nominal_of: dict[str, str], held: set[tuple[str, str]],
          decided: dict[tuple[uuid.UUID, uuid.UUID], str], kind: str = "full",
          model_of_run: uuid.UUID | None = None) -> RunSummary:
    """Write what a run found: the records' nominals, the kept pairs (a full run replaces them
    all; an incremental one adds those of its new records), merges and splits audited."""
    now = clock.now()
    run = LinkageRun(kind=kind, actor=audit.name_of(actor), started_at_utc=now,
                     model=scored.model if model_of_run is None else {
                         "model_of_run": str(model_of_run)},
                     trained=scored.trained, link_at=LINK_AT, review_from=REVIEW_FROM)
    session.add(run)
    session.flush()
    wanted = {uuid.UUID(n) for n in nominal_of.values()}
    existing = set(session.scalars(select(Nominal.id).where(Nominal.id.in_(wanted)))) if (
        kind != "full") else set(session.scalars(select(Nominal.id)))
    insert_rows(session, Nominal.__table__, [
        {"id": n, "created_at_utc": now, "created_by_run": run.id} for n in wanted - existing])
    fresh, changed = [], []
    for r in records:
        nominal = uuid.UUID(nominal_of[str(r.record_id)])
        if r.nominal_id is None:
            fresh.append({"id": r.record_id, "referral_id": r.key[0], "person_ref": r.key[1],
                          "person_record_id": r.person_record_id, "force_code": r.force_code,
                          "role": r.role, "nominal_id": nominal, "linked_at_utc": now,
                          "run_id": run.id, **r.keys})
        elif r.nominal_id != nominal or r.indexed_person_record_id != r.person_record_id:
            changed.append({"rid": r.record_id, "nominal": nominal,
                            "person_record": r.person_record_id, "role": r.role, **r.keys})
    insert_rows(session, NominalRecord.__table__, fresh)
    if changed:
        table = cast(Table, NominalRecord.__table__)
        session.connection().execute(
            update(table).where(table.c.id == bindparam("rid")).values(
                nominal_id=bindparam("nominal"), person_record_id=bindparam("person_record"),
                role=bindparam("role"), linked_at_utc=now, run_id=run.id,
                **{key: bindparam(key) for key in KEY_COLUMNS}), changed)
    merged, split = _audit_changes(session, actor, records, nominal_of, now)
    if kind == "full":
        session.execute(delete(CandidatePair))
    pairs = []
    for p in scored.pairs:
        a, b = uuid.UUID(p.left), uuid.UUID(p.right)
        a, b = min(a, b), max(a, b)
        latest = decided.get((a, b))
        if (p.left, p.right) in held or (p.right, p.left) in held:
            status = "held"  # linked by score, kept apart by a person's decision
        elif p.probability >= LINK_AT:
            status = "linked"
        else:
            status = {None: "review", "unsure": "unsure"}.get(latest, "decided")
        pairs.append({"id": new_id(), "record_a": a, "record_b": b,
                      "probability": p.probability, "weight": p.weight,
                      "evidence": {k: list(v) for k, v in p.evidence.items()},
                      "status": status, "run_id": run.id})
    insert_rows(session, CandidatePair.__table__, pairs)
    # Nominals left with no record (all merged away) go.
    emptied = delete(Nominal).where(~Nominal.id.in_(select(NominalRecord.nominal_id).distinct()))
    if kind != "full":
        emptied = emptied.where(Nominal.id.in_(
            {r.nominal_id for r in records if r.nominal_id is not None}))
    session.execute(emptied)
    summary = RunSummary(run.id, len(records), len(pairs), len(wanted),
                         sum(1 for p in pairs if p["status"] == "review"), merged, split,
                         scored.trained, _in_several_forces(records, nominal_of))
    session.execute(update(LinkageRun).where(LinkageRun.id == run.id).values(
        finished_at_utc=clock.now(), records=summary.records, pairs=summary.pairs,
        persons=summary.persons, to_review=summary.to_review))
    audit.record(session, actor=actor, action=AuditAction.LINKAGE_RUN,
                 subject=audit.Subject("linkage_run", str(run.id)),
                 data={"kind": kind, "records": summary.records, "pairs": summary.pairs,
                       "persons": summary.persons, "to_review": summary.to_review,
                       "merged": merged, "split": split, "trained": scored.trained})
    return summary


def _in_several_forces(records: Sequence[Record], nominal_of: dict[str, str]) -> int:
    forces: dict[str, set[str]] = defaultdict(set)
    for r in records:
        forces[nominal_of[str(r.record_id)]].add(r.force_code)
    return sum(1 for f in forces.values() if len(f) > 1)


def _audit_changes(session: Session, actor: str | audit.Actor, records: Sequence[Record],
                   nominal_of: dict[str, str], now: Any) -> tuple[int, int]:
    """Audit each merge (records of several existing nominals now one) and each split (an
    existing nominal's records now in several), naming the records that moved."""
    before: dict[uuid.UUID, set[str]] = defaultdict(set)
    after: dict[str, set[str]] = defaultdict(set)
    for r in records:
        after[nominal_of[str(r.record_id)]].add(str(r.record_id))
        if r.nominal_id is not None:
            before[r.nominal_id].add(str(r.record_id))
    was = {record: str(n) for n, members in before.items() for record in members}
    events: list[tuple[audit.Subject, dict[str, Any] | None]] = []
    merged = split = 0
    for nominal, members in after.items():
        sources = {was[m] for m in members if m in was}
        if len(sources) > 1:
            merged += 1
            events.append((audit.Subject("nominal", nominal), {
                "change": "merged", "from": sorted(sources), "records": sorted(members)}))
    for old, members in before.items():
        targets = {nominal_of[m] for m in members}
        if len(targets) > 1:
            split += 1
            events.append((audit.Subject("nominal", str(old)), {
                "change": "split", "into": sorted(targets),
                "records": {t: sorted(m for m in members if nominal_of[m] == t)
                            for t in sorted(targets)}}))
    if events:
        audit.record_many(session, actor=actor, action=AuditAction.NOMINAL_CHANGED,
                          subjects=events, at=now)
    return merged, split
