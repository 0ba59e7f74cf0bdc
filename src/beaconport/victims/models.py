"""Engagement with complainants. Contact details (the contact plan, what was said) are for victim
liaison officers only; a complainant's support for the review is also the review's business."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class Engagement(Base):
    """One complainant of one referral, as the review engages with them: their support for the
    review now, and their contact plan."""

    __tablename__ = "victim_engagement"
    __table_args__ = (UniqueConstraint("referral_id", "person_ref"),
                      Index("ix_victim_engagement_support", "support"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    #: The complainant by the force's reference, so a new version of the referral keeps it.
    person_ref: Mapped[str] = mapped_column(String(64))
    support: Mapped[str] = mapped_column(String(30))
    support_since: Mapped[date]
    #: The contact plan (victim liaison officers only).
    preferred_name: Mapped[str | None] = mapped_column(String(200))
    #: [{kind, detail, note}]: the safe ways to reach them, first preferred.
    channels: Mapped[list[Any]]
    safe_times: Mapped[str | None] = mapped_column(String(500))
    #: [{from, to, reason}]: dates on which no one may contact them.
    no_contact: Mapped[list[Any]]
    intermediary: Mapped[str | None] = mapped_column(String(300))
    language: Mapped[str | None] = mapped_column(String(100))
    needs: Mapped[str | None] = mapped_column(String(1000))
    #: all, key_decisions or none; and how.
    updates: Mapped[str] = mapped_column(String(20))
    updates_how: Mapped[str | None] = mapped_column(String(500))
    #: Optimistic locking of the plan: a save names the revision it was made from.
    plan_revision: Mapped[int]
    plan_saved_at_utc: Mapped[datetime | None]
    plan_saved_by: Mapped[str | None] = mapped_column(String(120))
    created_at_utc: Mapped[datetime]


class SupportChange(Base):
    """One step of a complainant's support: who approached them, when, through whom, and what
    was agreed."""

    __tablename__ = "victim_support_change"
    __table_args__ = (Index("ix_victim_support_change_engagement", "engagement_id",
                            "recorded_at_utc"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    engagement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victim_engagement.id"))
    from_state: Mapped[str] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date]
    #: The officer who made (or attempted) the approach.
    approached_by: Mapped[str] = mapped_column(String(200))
    #: direct, isva, intermediary or other; and the adviser's or intermediary's name.
    through: Mapped[str] = mapped_column(String(20))
    through_name: Mapped[str | None] = mapped_column(String(200))
    agreed: Mapped[str] = mapped_column(Text)
    recorded_at_utc: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))


class ContactEntry(Base):
    """The communications log: one contact with (or attempt to reach) a complainant."""

    __tablename__ = "victim_contact"
    __table_args__ = (Index("ix_victim_contact_engagement", "engagement_id", "occurred_at_utc"),
                      Index("ix_victim_contact_duty", "duty_key"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    engagement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("victim_engagement.id"))
    occurred_at_utc: Mapped[datetime]
    #: outgoing or incoming; phone, email, letter, in_person, video, via_intermediary.
    direction: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(20))
    #: Whether they were reached (an attempt that did not reach them is logged too).
    reached: Mapped[bool]
    summary: Mapped[str] = mapped_column(Text)
    #: The Victims' Code duty this contact meets, if any (victims.duties keys).
    duty_key: Mapped[str | None] = mapped_column(String(120))
    recorded_at_utc: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(120))


class CaseHold(Base):
    """A case paused at once because a complainant withdrew support: where it stood, and who
    lifted the hold, when and why."""

    __tablename__ = "victim_case_hold"
    __table_args__ = (Index("ix_victim_case_hold_open", "referral_id", "lifted_at_utc"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    person_ref: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(300))
    status_before: Mapped[str] = mapped_column(String(30))
    held_at_utc: Mapped[datetime]
    held_by: Mapped[str] = mapped_column(String(120))
    lifted_at_utc: Mapped[datetime | None]
    lifted_by: Mapped[str | None] = mapped_column(String(120))
    lift_reason: Mapped[str | None] = mapped_column(Text)
