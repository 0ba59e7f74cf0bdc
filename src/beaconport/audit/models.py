"""The audit log (DPA 2018 s62): who did what to which records, and when. Append-only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    at_utc: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(120))
    #: One of beaconport.audit.actions.AuditAction: "domain:subject:verb".
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(80))
    data: Mapped[dict[str, Any] | None]
    justification: Mapped[str | None] = mapped_column(Text)
    recipient: Mapped[str | None] = mapped_column(String(200))
