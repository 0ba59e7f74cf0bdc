"""Linking a newly imported referral's people into the index at once, without a full run.

The new records are scored, with the model of the latest run (no training), against the indexed
records they could match (those sharing a canonical forename or surname, a date of birth, a
postcode or a PNC ID: the keys every blocking rule starts from) and among themselves. They then
join nominals exactly as in a full run: strongest pair first, the candidates' nominals held
together, people's decisions binding. A new record that ties two existing nominals merges them,
audited as a run would. Until the first full run (`beaconport people link`) there is no model,
and nothing is linked.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.db import new_id
from beaconport.people import clusters, linkage, relational
from beaconport.people.models import LinkageRun, NominalRecord
from beaconport.people.prepare import prepare
from beaconport.people.service import (
    LINK_AT,
    REVIEW_FROM,
    Record,
    RunSummary,
    add_keys,
    current_records,
    decisions,
    person_input,
    store,
)
from beaconport.referrals.models import PersonRecord, Referral


def link_new(session: Session, *, actor: str | audit.Actor,
             referral_ids: Sequence[uuid.UUID]) -> RunSummary | None:
    """Link these referrals' people not yet in the index (in the caller's transaction)."""
    latest = session.scalars(select(LinkageRun).where(LinkageRun.kind == "full")
                             .order_by(LinkageRun.started_at_utc.desc()).limit(1)).first()
    if latest is None or not referral_ids:
        return None
    mine = current_records(session, referral_ids)
    fresh = [r for r in mine if r.nominal_id is None]
    moved = [r for r in mine if r.nominal_id is not None
             and r.indexed_person_record_id != r.person_record_id]
    new_columns = prepare(r.person for r in fresh)
    add_keys(fresh, new_columns)
    # A new version of an indexed referral: its people keep their place, with their new records.
    add_keys(moved, prepare(r.person for r in moved))
    candidates = _candidates(session, fresh, exclude=set(referral_ids))
    old_columns = prepare(r.person for r in candidates)
    add_keys(candidates, old_columns)  # written again if a new record merges their nominals
    _index_frequencies(session, old_columns, new_columns)
    factors = {role: factor for role, found in (latest.model.get(relational.MODEL_KEY) or {}
                                                ).items()
               if (factor := relational.Factor.from_dict(found)) is not None}
    scored_pairs = linkage.score_new(
        old_columns, new_columns, latest.model,
        floor=relational.LOOK_FROM if factors else REVIEW_FROM) if fresh else []
    pairs = [p for p in scored_pairs if p.probability >= REVIEW_FROM]
    low = {(p.left, p.right): p for p in scored_pairs if p.probability < REVIEW_FROM}
    involved = [*candidates, *fresh]
    ids = [str(r.record_id) for r in involved]
    together: dict[uuid.UUID, list[str]] = {}
    for r in candidates:
        together.setdefault(r.nominal_id or r.record_id, []).append(str(r.record_id))
    must = [(group[0], other) for group in together.values() for other in group[1:]]
    wanted = {r.record_id for r in involved}
    decided = {k: d for k, d in decisions(session).items() if k[0] in wanted and k[1] in wanted}
    must += [(str(a), str(b)) for (a, b), d in decided.items() if d == "same"]
    cannot = [(str(a), str(b)) for (a, b), d in decided.items() if d == "different"]
    if factors and fresh:
        # Who else the referrals name, as in a full run, with the full run's factors.
        membership, indexed = _referral_context(session, involved)

        def persons(ps: Sequence[linkage.Pair]) -> dict[str, str]:
            groups = clusters.cluster(ids, [(p.left, p.right, p.probability) for p in ps],
                                      threshold=LINK_AT, must=must, cannot=cannot)[0]
            named = {groups[str(r.record_id)]: str(r.nominal_id) for r in candidates
                     if r.nominal_id}
            return {**indexed, **{r: named.get(g, g) for r, g in groups.items()}}

        pairs = [p for p in relational.corroborate(
            pairs, membership, factors, persons, link_at=LINK_AT,
            below=lambda asked: [low[w] for w in asked if w in low])
            if p.probability >= REVIEW_FROM]
    groups, held = clusters.cluster(
        ids, [(p.left, p.right, p.probability) for p in pairs], threshold=LINK_AT, must=must,
        cannot=cannot)
    previous = {str(r.record_id): str(r.nominal_id) for r in candidates if r.nominal_id}
    nominal_of = clusters.keep_ids(groups, previous, lambda: str(new_id()))
    scored = linkage.Scored(pairs, latest.model, latest.trained)
    return store(session, actor=actor, records=[*involved, *moved], scored=scored,
                 nominal_of={**nominal_of, **{str(r.record_id): str(r.nominal_id)
                                              for r in moved}},
                 held=set(held), decided=decided, kind="incremental", model_of_run=latest.id)


def _referral_context(session: Session, involved: Sequence[Record],
                      ) -> tuple[dict[str, relational.Membership], dict[str, str]]:
    """Each record's referral and role, for these records and every indexed record of their
    referrals, and the indexed records' nominals."""
    membership = {str(r.record_id): relational.Membership(str(r.key[0]), r.role)
                  for r in involved}
    indexed: dict[str, str] = {}
    referrals = {r.key[0] for r in involved}
    for record_id, referral_id, role, nominal_id in session.execute(
            select(NominalRecord.id, NominalRecord.referral_id, NominalRecord.role,
                   NominalRecord.nominal_id)
            .where(NominalRecord.referral_id.in_(sorted(referrals)))):
        membership.setdefault(str(record_id), relational.Membership(str(referral_id), role))
        indexed[str(record_id)] = str(nominal_id)
    return membership, indexed


def _candidates(session: Session, fresh: Sequence[Record],
                exclude: set[uuid.UUID]) -> list[Record]:
    """The indexed records sharing a key with one of the new records."""
    wanted: dict[str, set[str]] = {}
    for r in fresh:
        for key, value in r.keys.items():
            if value:
                wanted.setdefault(key, set()).add(value)
    if not wanted:
        return []
    matches = [getattr(NominalRecord, key).in_(sorted(values)) for key, values in wanted.items()]
    rows = session.execute(
        select(NominalRecord.id, NominalRecord.nominal_id, NominalRecord.referral_id,
               NominalRecord.person_ref, NominalRecord.force_code, NominalRecord.role,
               PersonRecord.id.label("person_record_id"), PersonRecord.forenames,
               PersonRecord.surname, PersonRecord.aliases, PersonRecord.date_of_birth,
               PersonRecord.sex, PersonRecord.addresses, PersonRecord.identifiers)
        .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
        .join(Referral, Referral.id == NominalRecord.referral_id)
        .where(or_(*matches), ~NominalRecord.referral_id.in_(list(exclude))))
    return [Record((row.referral_id, row.person_ref), row.person_record_id, row.force_code,
                   row.role, person_input(str(row.id), row), row.id, row.nominal_id,
                   row.person_record_id) for row in rows]


def _index_frequencies(session: Session, *columns: dict[str, Any]) -> None:
    """How common each name and surname is in the whole index, not just among the records
    scored (a new referral's handful of records would make every name look common)."""
    surnames = {n for c in columns for n in c["sn_canon"] if n}
    if not surnames:
        return
    total = session.scalar(select(func.count()).select_from(NominalRecord)) or 1
    names: Counter[str] = Counter()
    by_surname: Counter[str] = Counter()
    for forename, surname, count in session.execute(
            select(NominalRecord.key_forename, NominalRecord.key_surname, func.count())
            .where(NominalRecord.key_surname.in_(surnames))
            .group_by(NominalRecord.key_forename, NominalRecord.key_surname)):
        by_surname[str(surname)] += count
        if forename:
            names[f"{forename} {surname}"] += count
    for c in columns:
        c["tf_full_name"] = [max(names[n], 1) / total if n else None for n in c["full_name"]]
        c["tf_sn_canon"] = [max(by_surname[n], 1) / total if n else None for n in c["sn_canon"]]
