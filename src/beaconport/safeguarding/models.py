"""Safeguarding flags: a concern that a person in a referral may still be a danger to children,
with what the records show kept apart from the assessment (DPA 2018 s38)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class SafeguardingFlag(Base):
    """One flag on one person of a referral, open until resolved with a reason (never deleted,
    never closed silently)."""

    __tablename__ = "safeguarding_flag"
    __table_args__ = (Index("ix_safeguarding_flag_person", "referral_id", "person_ref"),
                      Index("ix_safeguarding_flag_open", "status", "urgency"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"))
    #: The person by the force's reference, so a new version of the referral keeps the flag.
    person_ref: Mapped[str] = mapped_column(String(64))
    #: Where the concern arose: screening, linkage, review, action, other.
    stage: Mapped[str] = mapped_column(String(20))
    #: Current access to children: [{kind, detail}] (employment, volunteering, licence,
    #: household, other).
    access: Mapped[list[Any]]
    #: Other referrals in which the nominal index finds the person, when the flag was raised.
    linked_referrals: Mapped[int]
    #: The latest alleged offending the records show (recency).
    last_alleged_on: Mapped[date | None]
    severity: Mapped[str] = mapped_column(String(10))
    urgency: Mapped[str] = mapped_column(String(20))
    #: What the records show (facts), and the raiser's judgement of the risk (assessment).
    facts: Mapped[str] = mapped_column(Text)
    assessment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))
    raised_at_utc: Mapped[datetime]
    raised_by: Mapped[str] = mapped_column(String(120))
    resolved_at_utc: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolution: Mapped[str | None] = mapped_column(Text)


class AuthorityReferral(Base):
    """A flag referred to one authority by one route (the LADO, the licensing authority ...):
    what was sent, exactly as sent, the legal gateway relied on, the deadline for its
    acknowledgement, and what came back."""

    __tablename__ = "authority_referral"
    __table_args__ = (Index("ix_authority_referral_flag", "flag_id"),
                      Index("ix_authority_referral_open", "status", "due_on"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    flag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("safeguarding_flag.id"))
    route: Mapped[str] = mapped_column(String(30))
    recipient_name: Mapped[str] = mapped_column(String(200))
    recipient_address: Mapped[str] = mapped_column(String(320))
    gateway: Mapped[str] = mapped_column(String(30))
    #: The minimum necessary information, section by section, as it was sent.
    content: Mapped[dict[str, Any]]
    #: sent, acknowledged, responded.
    status: Mapped[str] = mapped_column(String(20))
    sent_at_utc: Mapped[datetime]
    sent_by: Mapped[str] = mapped_column(String(120))
    #: The acknowledgement is due by the end of this working day.
    due_on: Mapped[date]
    #: Who is told when it is overdue and chased without answer.
    supervisor: Mapped[str] = mapped_column(String(120))
    chased_at_utc: Mapped[datetime | None]
    escalated_at_utc: Mapped[datetime | None]
    acknowledged_at_utc: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(120))
    response: Mapped[str | None] = mapped_column(Text)
    action_taken: Mapped[str | None] = mapped_column(Text)
    responded_at_utc: Mapped[datetime | None]
