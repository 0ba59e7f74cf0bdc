"""The nominal index: persons, the records linked to them, the scored pairs, and people's
decisions about pairs, which are kept apart from the machine's scores and bind every run."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class LinkageRun(Base):
    """One linkage of the database's person records: the model as used, its thresholds and
    what came of it."""

    __tablename__ = "linkage_run"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: full (every record scored and clustered again) or incremental (new records only)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    started_at_utc: Mapped[datetime]
    finished_at_utc: Mapped[datetime | None]
    #: Splink's settings as used: comparisons, blocking rules, m and u values, the prior.
    model: Mapped[dict[str, Any]]
    trained: Mapped[bool]
    link_at: Mapped[float]
    review_from: Mapped[float]
    records: Mapped[int] = mapped_column(default=0)
    pairs: Mapped[int] = mapped_column(default=0)
    persons: Mapped[int] = mapped_column(default=0)
    to_review: Mapped[int] = mapped_column(default=0)


class Nominal(Base):
    """A person in the index: the records of one individual across referrals and forces."""

    __tablename__ = "nominal"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    created_at_utc: Mapped[datetime]
    created_by_run: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linkage_run.id"))


class NominalRecord(Base):
    """A person named in a referral (by the referral and the force's person reference, so a new
    version of the referral keeps its place in the index), and the nominal it belongs to. The
    role stays the record's own: a nominal may be a suspect in one referral and a complainant in
    another, and the two are never mixed."""

    __tablename__ = "nominal_record"
    __table_args__ = (UniqueConstraint("referral_id", "person_ref"),
                      Index("ix_nominal_record_nominal", "nominal_id", "role"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    person_ref: Mapped[str] = mapped_column(String(64))
    #: The record in the referral's current version.
    person_record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person_record.id"))
    force_code: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    nominal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("nominal.id"))
    linked_at_utc: Mapped[datetime]
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linkage_run.id"))
    #: Keys for finding the records a new one could match (linking a new referral reads these
    #: records only, not the whole index): canonical forename and surname, full date of birth,
    #: first postcode and PNC ID, as linkage prepares them.
    key_forename: Mapped[str | None] = mapped_column(String(100), index=True)
    key_surname: Mapped[str | None] = mapped_column(String(100), index=True)
    key_birth: Mapped[str | None] = mapped_column(String(10), index=True)
    key_postcode: Mapped[str | None] = mapped_column(String(12), index=True)
    key_pnc: Mapped[str | None] = mapped_column(String(20), index=True)


class CandidatePair(Base):
    """Two records the model scored at or above the review threshold, with the evidence: each
    field's level and match weight. Replaced by each full run; never a person's decision."""

    __tablename__ = "candidate_pair"
    __table_args__ = (UniqueConstraint("record_a", "record_b"),
                      Index("ix_candidate_pair_status", "status", "probability"),
                      Index("ix_candidate_pair_b", "record_b"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    record_a: Mapped[uuid.UUID] = mapped_column(ForeignKey("nominal_record.id"))
    record_b: Mapped[uuid.UUID] = mapped_column(ForeignKey("nominal_record.id"))
    probability: Mapped[float]
    weight: Mapped[float]
    #: {"name": ["exact", 12.4], "date_of_birth": ["day and month swapped", 10.6], ...}
    evidence: Mapped[dict[str, Any]]
    #: linked (at or above link_at), review (between the thresholds: the clerical queue), or
    #: held (linked by score, kept apart by a person's decision)
    status: Mapped[str] = mapped_column(String(20))
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("linkage_run.id"))


class LinkDecision(Base):
    """A person's decision about two records: the same person, different people, or unsure.
    The latest for a pair binds every later run (must-link, cannot-link); runs never change it."""

    __tablename__ = "link_decision"
    __table_args__ = (Index("ix_link_decision_pair", "record_a", "record_b"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    record_a: Mapped[uuid.UUID] = mapped_column(ForeignKey("nominal_record.id"))
    record_b: Mapped[uuid.UUID] = mapped_column(ForeignKey("nominal_record.id"))
    #: same, different or unsure
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at_utc: Mapped[datetime]
    #: The machine's probability when the person decided (what they were shown).
    probability: Mapped[float | None]
