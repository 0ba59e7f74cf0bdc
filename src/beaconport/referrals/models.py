"""Referrals as forces sent them: facts only (DPA 2018 s38).

Everything in these tables is what a force's records say. Reviewers' assessments, screening
decisions and linkage judgements live in their own packages and tables and never write here.
A resubmission adds a new ``ReferralVersion`` with its own crimes, people and decisions; earlier
versions are kept unchanged.

Partial dates (``2013``, ``2013-06``) are kept as the text the force sent: see beaconport.dates.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id

PartialDateText = String(10)


class ImportBatch(Base):
    """One run of import over one file: what was received and what became of it."""

    __tablename__ = "import_batch"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    source_name: Mapped[str] = mapped_column(String(400))
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    carrier: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120))
    #: running, completed, failed (part-way), unreadable, or interrupted (killed before it
    #: finished; a later import of the same file completed it)
    status: Mapped[str] = mapped_column(String(20))
    started_at_utc: Mapped[datetime]
    finished_at_utc: Mapped[datetime | None]
    received: Mapped[int] = mapped_column(default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    resubmitted: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(Text)


class Referral(Base):
    """A case as identified by the referring force: (force, force_reference)."""

    __tablename__ = "referral"
    __table_args__ = (
        UniqueConstraint("force_code", "force_reference"),
        # Import looks referrals up by reference alone (then keeps the exact pairs): one plain
        # IN list that both engines answer from an index, which also orders the list by
        # reference.
        Index("ix_referral_reference", "force_reference", "id"),
        Index("ix_referral_last_changed", "last_changed_at_utc"),
        # The referrals list: each sort order and each common filter has an index that returns
        # rows already in order (id breaks ties, so paging is stable), so a page is read, not
        # sorted, at 100,000 referrals.
        Index("ix_referral_received", "first_received_at_utc", "id"),
        Index("ix_referral_referred_on", "referred_on", "id"),
        Index("ix_referral_suspects", "suspect_count", "id"),
        Index("ix_referral_force_received", "force_code", "first_received_at_utc", "id"),
        Index("ix_referral_rape_received", "involves_rape", "first_received_at_utc", "id"),
        Index("ix_referral_status_received", "status", "first_received_at_utc", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    force_code: Mapped[str] = mapped_column(String(20))
    force_reference: Mapped[str] = mapped_column(String(64))
    current_version: Mapped[int]
    #: The facts hash of the current version, so import recognises unchanged content without
    #: reading the versions.
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Copied from the current version so lists can filter without joining every crime.
    involves_rape: Mapped[bool]
    referred_on: Mapped[str] = mapped_column(PartialDateText)
    first_received_at_utc: Mapped[datetime]
    last_changed_at_utc: Mapped[datetime]
    #: Where the referral stands in the operation (beaconport.referrals.states).
    status: Mapped[str] = mapped_column(String(30), default="awaiting-screening")
    #: Why the case is held (paused at once when a complainant withdraws support), while it is:
    #: nothing moves it on until the hold is lifted.
    on_hold: Mapped[str | None] = mapped_column(String(300))
    #: Copied from the current version for the list page.
    suspect_count: Mapped[int] = mapped_column(default=0)
    complainant_count: Mapped[int] = mapped_column(default=0)


class ReferralVersion(Base):
    __tablename__ = "referral_version"
    __table_args__ = (UniqueConstraint("referral_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    import_batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_batch.id"), index=True)
    received_at_utc: Mapped[datetime]
    referred_on: Mapped[str] = mapped_column(PartialDateText)
    summary: Mapped[str | None] = mapped_column(Text)
    officer_name: Mapped[str | None] = mapped_column(String(200))
    officer_email: Mapped[str | None] = mapped_column(String(320))
    officer_phone: Mapped[str | None] = mapped_column(String(60))
    involves_rape: Mapped[bool]
    #: The referral object exactly as received (force resolved to its code): nothing is lost.
    document: Mapped[dict[str, Any]]
    #: What changed from the previous version: [{"path", "change", "before", "after"}].
    changes: Mapped[list[Any] | None]
    warnings: Mapped[list[Any] | None]


class Crime(Base):
    __tablename__ = "crime"
    __table_args__ = (UniqueConstraint("version_id", "crime_reference"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral_version.id"))
    crime_reference: Mapped[str] = mapped_column(String(64), index=True)
    recorded_on: Mapped[str | None] = mapped_column(PartialDateText)
    offence_scheme: Mapped[str] = mapped_column(String(20))
    offence_code: Mapped[str] = mapped_column(String(60))
    offence_description: Mapped[str | None] = mapped_column(String(400))
    offence_from: Mapped[str | None] = mapped_column(PartialDateText)
    offence_to: Mapped[str | None] = mapped_column(PartialDateText)
    outcome_code: Mapped[str | None] = mapped_column(String(20))
    #: From the offence reference list at import: None where the code is not in it.
    is_sexual: Mapped[bool | None]
    is_rape: Mapped[bool]


class PersonRecord(Base):
    """One person in one role in one version of a referral, exactly as the force recorded them."""

    __tablename__ = "person_record"
    __table_args__ = (UniqueConstraint("version_id", "person_ref"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral_version.id"))
    person_ref: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    forenames: Mapped[str | None] = mapped_column(String(200))
    surname: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[Any] | None]
    date_of_birth: Mapped[str | None] = mapped_column(PartialDateText)
    sex: Mapped[str | None] = mapped_column(String(10))
    alive_status: Mapped[str | None] = mapped_column(String(20))
    alive_status_checked_on: Mapped[str | None] = mapped_column(PartialDateText)
    addresses: Mapped[list[Any] | None]
    identifiers: Mapped[list[Any] | None]
    interview: Mapped[str | None] = mapped_column(String(20))
    arrested: Mapped[bool | None]
    age_at_first_offence: Mapped[int | None]
    review_support: Mapped[str | None] = mapped_column(String(30))
    review_support_recorded_on: Mapped[str | None] = mapped_column(PartialDateText)


class CrimeParty(Base):
    """A person named in a crime as complainant or suspect."""

    __tablename__ = "crime_party"

    crime_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("crime.id"), primary_key=True)
    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_record.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))


class SuspectDecision(Base):
    """A decision about one suspect for one crime: NFA is about a suspect, not a crime."""

    __tablename__ = "suspect_decision"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral_version.id"), index=True)
    suspect_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person_record.id"), index=True)
    crime_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("crime.id"))
    decided_by: Mapped[str] = mapped_column(String(10))
    decision: Mapped[str] = mapped_column(String(30))
    outcome_code: Mapped[str | None] = mapped_column(String(20))
    decided_on: Mapped[str | None] = mapped_column(PartialDateText)
    reason: Mapped[str | None] = mapped_column(Text)


class EthnicityObservation(Base):
    """One recorded ethnicity, never overwritten: scheme, code or label, basis and date."""

    __tablename__ = "ethnicity_observation"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_record.id"), index=True
    )
    position: Mapped[int]
    scheme: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(60))
    label: Mapped[str | None] = mapped_column(String(200))
    basis: Mapped[str] = mapped_column(String(20))
    recorded_on: Mapped[str | None] = mapped_column(PartialDateText)


class Nationality(Base):
    __tablename__ = "nationality"

    person_record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("person_record.id"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(10), primary_key=True)


class PreviousReview(Base):
    __tablename__ = "previous_review"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral_version.id"), index=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    completed_on: Mapped[str | None] = mapped_column(PartialDateText)
    reference: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(Text)


class RejectedReferral(Base):
    """The quarantine: a referral that failed validation, kept verbatim with every problem."""

    __tablename__ = "rejected_referral"
    __table_args__ = (
        Index("ix_rejected_referral_identity", "force_reference", "status"),
        Index("ix_rejected_referral_raw", "raw_sha256"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    import_batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("import_batch.id"), index=True)
    force_code: Mapped[str | None] = mapped_column(String(20))
    force_as_sent: Mapped[str | None] = mapped_column(String(200))
    force_reference: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200))
    raw_text: Mapped[str] = mapped_column(Text)
    #: The referral object the carrier built from the raw rows, where it could build one.
    document: Mapped[dict[str, Any] | None]
    raw_sha256: Mapped[str] = mapped_column(String(64))
    problems: Mapped[list[Any]]
    #: open; resolved (a corrected version was accepted); superseded (a later submission of the
    #: same referral was rejected too); or discarded (by an authorised user).
    status: Mapped[str] = mapped_column(String(20))
    received_at_utc: Mapped[datetime]
    closed_at_utc: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(120))
    close_reason: Mapped[str | None] = mapped_column(Text)
    resolved_by_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("referral_version.id")
    )
