"""Screening decisions: assessments (DPA 2018 s38), kept apart from the facts forces sent.

Every decision is kept: a re-screen that changes nothing writes nothing, and one that changes a
decision adds a new row and marks it current. Each row names the rule set and the referral
version it judged.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class ScreeningDecision(Base):
    __tablename__ = "screening_decision"
    __table_args__ = (
        Index("ix_screening_decision_current", "referral_id", "current"),
        Index("ix_screening_decision_outcome", "current", "decision"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    #: The referral version judged.
    version: Mapped[int]
    ruleset: Mapped[str] = mapped_column(String(40))
    #: eligible, ineligible or needs_information
    decision: Mapped[str] = mapped_column(String(20))
    failed: Mapped[list[Any]]
    unknown: Mapped[list[Any]]
    #: Each criterion: {criterion, verdict, reason, evidence, missing}.
    results: Mapped[list[Any]]
    involves_rape: Mapped[bool]
    red_flags: Mapped[list[Any]]
    #: Whether there are red flags, for the queue's filter.
    flagged: Mapped[bool]
    #: SHA-256 of the rule set, version, decision, results and flags: a re-screen compares this
    #: alone to know nothing changed.
    digest: Mapped[str] = mapped_column(String(64))
    current: Mapped[bool]
    screened_at_utc: Mapped[datetime]
    screened_by: Mapped[str] = mapped_column(String(120))
    run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("screening_run.id"))


class ScreeningRun(Base):
    """One run of screening over many referrals, with its report of what changed and why."""

    __tablename__ = "screening_run"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    ruleset: Mapped[str] = mapped_column(String(40))
    started_at_utc: Mapped[datetime]
    finished_at_utc: Mapped[datetime | None]
    actor: Mapped[str] = mapped_column(String(120))
    screened: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    #: The changes: [{force, force_reference, from, to, criteria: {id: [old, new]}}], at most
    #: ``REPORT_LIMIT`` listed (the counts are always whole).
    report: Mapped[list[Any] | None]


class PriorReview(Base):
    """The prior-review register: a case already reviewed (a force's own review, Operation
    Hydrant, Operation Stovewood, an inquiry …). Screening fails ``not_previously_reviewed`` for a
    referral it matches: the same force and the same force reference or crime reference."""

    __tablename__ = "prior_review"
    __table_args__ = (
        Index("ix_prior_review_force_reference", "force_code", "force_reference"),
        Index("ix_prior_review_crime_reference", "force_code", "crime_reference"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: The register's own reference for the entry: re-importing it replaces, never duplicates.
    entry_reference: Mapped[str] = mapped_column(String(120), unique=True)
    force_code: Mapped[str] = mapped_column(String(20))
    force_reference: Mapped[str | None] = mapped_column(String(64))
    crime_reference: Mapped[str | None] = mapped_column(String(64))
    reviewed_by: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[str | None] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(2000))
    imported_at_utc: Mapped[datetime]
    imported_by: Mapped[str] = mapped_column(String(120))


class RecordedSupport(Base):
    """A complainant's support for the review as the review itself has it from them (its victim
    liaison officers' record), which screening takes over what the force reported. Keyed by the
    force's person reference, so a new version of the referral keeps it."""

    __tablename__ = "recorded_support"
    __table_args__ = (UniqueConstraint("referral_id", "person_ref"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    person_ref: Mapped[str] = mapped_column(String(64))
    #: One of the review_support values of the referral format.
    support: Mapped[str] = mapped_column(String(30))
    recorded_on: Mapped[date]


class PossibleDuplicate(Base):
    """Two referrals that may be the same case: the same crime reference in both, or the same
    complainant and a suspect in common (through the nominal index). Listed for a person to
    decide; never merged by the system."""

    __tablename__ = "possible_duplicate"
    __table_args__ = (UniqueConstraint("referral_a", "referral_b", "basis", "detail"),
                      Index("ix_possible_duplicate_decision", "decision"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: The pair in a fixed order (the smaller id first), so it is found once.
    referral_a: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), index=True)
    referral_b: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), index=True)
    #: crime_reference, or shared_people (a complainant and a suspect in common)
    basis: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(200))
    found_at_utc: Mapped[datetime]
    #: None until decided: same_case or different_cases.
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at_utc: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(String(2000))


class ScreeningOverride(Base):
    """A person's decision in place of screening's, with a written reason. It takes effect only
    when a second, different senior reviewer approves it (four eyes), and lasts until the
    referral changes (a new version voids it)."""

    __tablename__ = "screening_override"
    __table_args__ = (Index("ix_screening_override_referral", "referral_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    #: The referral version it was made for: a later version voids it.
    version: Mapped[int]
    #: What screening decided, and what the person decided instead.
    screened_decision: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(4000))
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at_utc: Mapped[datetime]
    #: pending, approved, refused, or void (the referral changed)
    status: Mapped[str] = mapped_column(String(20))
    approved_by: Mapped[str | None] = mapped_column(String(120))
    approved_at_utc: Mapped[datetime | None]
    approval_note: Mapped[str | None] = mapped_column(String(4000))


class InformationRequest(Base):
    """What a force is asked to supply so a referral can be decided: exactly the facts screening
    found missing. Opened when a referral needs information, kept up to date as screening
    changes its list, and closed when the referral no longer needs it."""

    __tablename__ = "information_request"
    __table_args__ = (Index("ix_information_request_open", "force_code", "status"),
                      Index("ix_information_request_referral", "referral_id", "status"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    force_code: Mapped[str] = mapped_column(String(20))
    #: The facts asked for, as screening words them.
    items: Mapped[list[Any]]
    #: open or closed
    status: Mapped[str] = mapped_column(String(20))
    opened_at_utc: Mapped[datetime]
    updated_at_utc: Mapped[datetime]
    closed_at_utc: Mapped[datetime | None]
    #: Why it closed: answered (the referral was decided), or superseded.
    closed_reason: Mapped[str | None] = mapped_column(String(200))
