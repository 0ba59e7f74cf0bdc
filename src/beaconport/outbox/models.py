"""One message waiting to be delivered, or delivered."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class OutboxMessage(Base):
    """A message to send through a channel (email over SMTP today). Written by whatever the
    message reports, in its transaction; ``status`` moves pending -> sending -> sent, or back to
    pending with a later attempt, or to failed after the last attempt."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at_utc"),
                      Index("ix_outbox_message_about", "about"))

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: The message's own id, the same on every attempt, so a copy delivered twice (a process
    #: that died after the server took it, before noting so) is recognisable as one message.
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    #: What the message is about, for finding it again: "safeguarding_referral:<id>".
    about: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))
    attempts: Mapped[int]
    next_attempt_at_utc: Mapped[datetime]
    #: When a delivery attempt claimed it (a claim older than the lease is taken back).
    claimed_at_utc: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at_utc: Mapped[datetime]
    sent_at_utc: Mapped[datetime | None]
