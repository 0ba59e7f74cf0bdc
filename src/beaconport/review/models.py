"""Triage (the versions of the weights, and each queued case's priority: an assessment, kept
apart from the facts forces sent, DPA 2018 s38) and allocation (reviewers' profiles, declared
conflicts, and who has each case)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class TriageWeightSet(Base):
    """One version of the triage weights. Never changed once stored: new weights are a new
    version, made current."""

    __tablename__ = "triage_weight_set"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    #: The weights document (review/weights.py reads it).
    document: Mapped[dict[str, Any]]
    note: Mapped[str] = mapped_column(Text)
    current: Mapped[bool]
    created_at_utc: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(120))


class TriagePriority(Base):
    """The priority of an eligible case waiting for a reviewer: one row per case in the triage
    queue, scored again whenever what it was scored from changes."""

    __tablename__ = "triage_priority"
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), primary_key=True)
    force_code: Mapped[str] = mapped_column(String(20))
    involves_rape: Mapped[bool]
    score: Mapped[int]
    #: Each factor: {factor, value, points}.
    breakdown: Mapped[list[Any]]
    weights_version: Mapped[str] = mapped_column(String(40))
    #: What the score was made from: the screening decision that made the case eligible, and
    #: the nominal index's latest linkage run then (None: no linkage run yet).
    decision_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("screening_decision.id"))
    linkage_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("linkage_run.id"))
    scored_at_utc: Mapped[datetime]


# The queue's orders: highest score first, then the earliest referral (keys are time-ordered);
# the whole queue, one force's, and rape allegations only.
Index("ix_triage_priority_queue", TriagePriority.score.desc(), TriagePriority.referral_id)
Index("ix_triage_priority_force", TriagePriority.force_code, TriagePriority.score.desc(),
      TriagePriority.referral_id)
Index("ix_triage_priority_rape", TriagePriority.involves_rape, TriagePriority.score.desc(),
      TriagePriority.referral_id)


class ReviewerProfile(Base):
    """What allocation needs to know about a reviewer: how many cases they can carry, their
    skills and vetting, and the forces they have served in (whose cases they may never
    review)."""

    __tablename__ = "reviewer_profile"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    capacity: Mapped[int]
    skills: Mapped[list[Any]]
    vetting: Mapped[str] = mapped_column(String(10))
    vetting_expires_on: Mapped[date]
    #: Force codes of every force the reviewer has served in or worked for.
    served_forces: Mapped[list[Any]]
    updated_at_utc: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(120))


class ConflictDeclaration(Base):
    """A reviewer's declared conflict of interest with one case (worked on the original
    investigation, knows someone in it, ...): they are never allocated it."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (Index("ix_conflict_declaration_case", "referral_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text)
    declared_at_utc: Mapped[datetime]
    declared_by: Mapped[str] = mapped_column(String(120))


class Allocation(Base):
    """A case given to a reviewer. Never deleted: a reallocation ends the current one with its
    reason and starts another, so a case's allocations are its history."""

    __tablename__ = "allocation"
    __table_args__ = (Index("ix_allocation_case", "referral_id", "current"),
                      Index("ix_allocation_reviewer", "user_id", "current"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    current: Mapped[bool]
    allocated_at_utc: Mapped[datetime]
    allocated_by: Mapped[str] = mapped_column(String(120))
    #: The case's triage score when it was allocated (None: allocated from outside the queue).
    priority_score: Mapped[int | None]
    ended_at_utc: Mapped[datetime | None]
    ended_by: Mapped[str | None] = mapped_column(String(120))
    end_reason: Mapped[str | None] = mapped_column(Text)


class CaseReview(Base):
    """One structured review of a case by its allocated reviewer, against one version of the
    instrument. Its findings are assessments and facts about the original investigation, kept
    apart from what the force sent."""

    __tablename__ = "case_review"
    __table_args__ = (Index("ix_case_review_case", "referral_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    reviewer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    instrument: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    started_at_utc: Mapped[datetime]
    updated_at_utc: Mapped[datetime]
    submitted_at_utc: Mapped[datetime | None]
    #: Quality assurance: a second, different senior reviewer's sign-off, or their reasons for
    #: returning it (the latest; every one is in the audit log).
    qa_by: Mapped[str | None] = mapped_column(String(120))
    qa_at_utc: Mapped[datetime | None]
    qa_note: Mapped[str | None] = mapped_column(Text)
    #: "primary", or "blind-second": a second reviewer's blind review of ``blind_of``.
    kind: Mapped[str] = mapped_column(String(20), server_default="primary")
    blind_of: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("case_review.id"))
    #: A primary review drawn for the blind second-review sample when it was submitted.
    blind_sample: Mapped[bool] = mapped_column(server_default=false())


class ReviewFinding(Base):
    """The finding on one check item. ``revision`` counts its saves: a save names the revision
    it was made from, and one made from an older revision is refused (optimistic locking), so
    two people editing the same item never lose each other's words."""

    __tablename__ = "review_finding"
    __table_args__ = (UniqueConstraint("review_id", "item"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_review.id"))
    item: Mapped[str] = mapped_column(String(10))
    assessment: Mapped[str] = mapped_column(String(40))
    basis: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list[Any]]
    achievable: Mapped[str | None] = mapped_column(String(10))
    impact: Mapped[str | None] = mapped_column(String(20))
    error_type: Mapped[str | None] = mapped_column(String(30))
    revision: Mapped[int]
    saved_at_utc: Mapped[datetime]
    saved_by: Mapped[str] = mapped_column(String(120))


class PanelDecision(Base):
    """The panel's decision on a case, after its review was signed off: one entry of the
    decision log, never changed. A later decision on the same case supersedes it (``current``),
    and both stay."""

    __tablename__ = "panel_decision"
    __table_args__ = (Index("ix_panel_decision_case", "referral_id", "current"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_review.id"))
    outcome: Mapped[str] = mapped_column(String(60))
    #: Every outcome the panel weighed, the chosen one among them.
    options_considered: Mapped[list[Any]]
    rationale: Mapped[str] = mapped_column(Text)
    #: Who sat: usernames, the recorder first.
    members: Mapped[list[Any]]
    current: Mapped[bool]
    decided_at_utc: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))


class OutcomeEvent(Base):
    """One step in what became of a suspect after the review: reinvestigation opened, arrested,
    interviewed, file to the CPS, charged, convicted, acquitted, NFA again. The ledger is
    appended to, never changed, so the operation can show what it achieved and when."""

    __tablename__ = "outcome_event"
    __table_args__ = (Index("ix_outcome_event_suspect", "referral_id", "person_ref"),
                      Index("ix_outcome_event_kind", "event", "occurred_on"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    #: The suspect by the force's person reference, so a new version keeps their ledger.
    person_ref: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text)
    recorded_at_utc: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))


class ReviewAction(Base):
    """An action (a line of inquiry) raised from a reviewed case, worked HOLMES-style: raised,
    allocated to a force or the national team with a due date, completed, resulted,
    quality-checked, filed. ``status`` is where it stands now; every move is a step."""

    __tablename__ = "review_action"
    __table_args__ = (UniqueConstraint("referral_id", "number"),
                      Index("ix_review_action_holder", "allocated_to", "status", "due_on"),
                      Index("ix_review_action_status", "status", "due_on"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    #: Numbered within the case from 1, as a major incident room numbers its actions.
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    #: The instrument item whose finding it came from (None: raised from the panel's decision).
    finding_item: Mapped[str | None] = mapped_column(String(10))
    priority: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    #: A force code, or "national" for the national team; None until allocated.
    allocated_to: Mapped[str | None] = mapped_column(String(20))
    due_on: Mapped[date | None]
    #: What was done (on completion) and what it established (the result).
    work_done: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)
    raised_at_utc: Mapped[datetime]
    raised_by: Mapped[str] = mapped_column(String(120))
    updated_at_utc: Mapped[datetime]


class ReviewActionStep(Base):
    """One move of an action (raised, allocated, completed, resulted, returned, checked,
    filed), with who, when and their note: the action's history, never changed."""

    __tablename__ = "review_action_step"
    __table_args__ = (Index("ix_review_action_step_action", "action_id", "at_utc"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    action_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("review_action.id"))
    step: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    at_utc: Mapped[datetime]
    by: Mapped[str] = mapped_column(String(120))


class BlindSampleRule(Base):
    """What share of submitted reviews is drawn for a blind second review. Each change is a new
    row; the latest is in force."""

    __tablename__ = "blind_sample_rule"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    percent: Mapped[int]
    note: Mapped[str] = mapped_column(Text)
    set_at_utc: Mapped[datetime]
    set_by: Mapped[str] = mapped_column(String(120))


class ReviewDisagreement(Base):
    """An item on which a blind second review found otherwise than the first, with both
    findings as they stood, and how a third senior reviewer resolved it."""

    __tablename__ = "review_disagreement"
    __table_args__ = (UniqueConstraint("review_id", "item"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: The first (primary) review; the second is the blind review of it.
    review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_review.id"))
    second_review_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("case_review.id"))
    item: Mapped[str] = mapped_column(String(10))
    first: Mapped[dict[str, Any]]
    second: Mapped[dict[str, Any]]
    #: "first" (the first finding stands) or "second" (the second's replaces it); None: open.
    resolution: Mapped[str | None] = mapped_column(String(10))
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at_utc: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(120))
