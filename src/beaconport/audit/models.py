"""The audit log (DPA 2018 s62): who did what to which records, when, why and for whom.

Append-only and tamper-evident: every event carries ``seq`` (1, 2, 3 … with no gaps) and a
SHA-256 ``entry_hash`` over its own content and the previous event's hash, so altering, deleting
or reordering any event breaks the chain (``beaconport audit verify``). ``AuditChainHead`` holds
the last sequence number and hash; writers take its row lock, which orders concurrent writers
and also catches the deletion of the newest events.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at_utc: Mapped[datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(String(120))
    #: The roles the actor held when acting, as text ("screener, force-submitter@WYP").
    actor_roles: Mapped[str | None] = mapped_column(String(400))
    #: One of beaconport.audit.actions.AuditAction: "domain:subject:verb".
    action: Mapped[str] = mapped_column(String(60))
    #: The s62 operation: collection, alteration, consultation, disclosure, combination, erasure
    #: (or access, for signing in and out and account changes).
    category: Mapped[str] = mapped_column(String(20), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(80))
    #: Further records involved, e.g. the people shown on a page: [{"type": ..., "id": ...}].
    records: Mapped[list[Any] | None]
    data: Mapped[dict[str, Any] | None]
    justification: Mapped[str | None] = mapped_column(Text)
    recipient: Mapped[str | None] = mapped_column(String(200))
    #: Where the request came from (address), when it came over the web or the API.
    client: Mapped[str | None] = mapped_column(String(100))
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """One row: the newest event's sequence number and hash."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    last_hash: Mapped[str] = mapped_column(String(64))
