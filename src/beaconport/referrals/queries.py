"""Reads of referrals and the quarantine, returned as plain summaries (never ORM rows)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, and_, func, select
from sqlalchemy.orm import Session

from beaconport.reference.models import Force
from beaconport.referrals.models import (
    Crime,
    ImportBatch,
    Referral,
    ReferralVersion,
    RejectedReferral,
)

#: A referral joined to the version it stands at now (its forces' latest).
CURRENT_VERSION = and_(ReferralVersion.referral_id == Referral.id,
                       ReferralVersion.number == Referral.current_version)


def current_version_id(referral_id: uuid.UUID) -> ScalarSelect[uuid.UUID]:
    """SQL for the id of the version a referral stands at now: ``PersonRecord.version_id ==
    current_version_id(r)`` reads the people of its current version without a join."""
    return (select(ReferralVersion.id).join(Referral, CURRENT_VERSION)
            .where(Referral.id == referral_id).scalar_subquery())


@dataclass(frozen=True, slots=True)
class RejectedSummary:
    id: uuid.UUID
    status: str
    force: str | None
    force_reference: str | None
    source: str
    position: str
    received_at: str
    problems: list[dict[str, str]]

    def as_dict(self) -> dict[str, Any]:
        return {"id": str(self.id), "status": self.status, "force": self.force,
                "force_reference": self.force_reference, "source": self.source,
                "position": self.position, "received_at": self.received_at,
                "problems": self.problems}


@dataclass(frozen=True, slots=True)
class StoreCounts:
    referrals: int
    forces: int
    #: Referrals from forces outside the review's scope (Police Scotland, PSNI): kept, counted
    #: apart, and screened out later.
    referrals_out_of_scope: int
    involving_rape: int
    versions: int
    resubmitted_referrals: int
    crimes_current: int
    open_rejected: int
    imports: int

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__}


def list_rejected(session: Session, *, include_closed: bool = False) -> list[RejectedSummary]:
    stmt = (
        select(RejectedReferral, ImportBatch.source_name)
        .join(ImportBatch, ImportBatch.id == RejectedReferral.import_batch_id)
        .order_by(RejectedReferral.received_at_utc, RejectedReferral.id)
    )
    if not include_closed:
        stmt = stmt.where(RejectedReferral.status == "open")
    return [
        RejectedSummary(r.id, r.status, r.force_code or r.force_as_sent, r.force_reference,
                        source, r.position, f"{r.received_at_utc:%Y-%m-%d %H:%M}", r.problems)
        for r, source in session.execute(stmt)
    ]


def open_rejected_for_correction(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Each open rejected referral as a JSON line a force can correct and import again: the line
    exactly as sent where it came as JSON Lines, else the referral built from its rows."""
    found = session.execute(
        select(RejectedReferral, ImportBatch.carrier)
        .join(ImportBatch, ImportBatch.id == RejectedReferral.import_batch_id)
        .where(RejectedReferral.status == "open")
        .order_by(RejectedReferral.received_at_utc, RejectedReferral.id))
    lines = []
    for row, carrier in found:
        if carrier == "jsonl" or row.document is None:
            lines.append((row.id, row.raw_text.replace("\n", " ")))
        else:
            lines.append((row.id, json.dumps(row.document, ensure_ascii=False)))
    return lines


def count_store(session: Session) -> StoreCounts:
    current = CURRENT_VERSION
    in_scope = select(Force.code).where(Force.in_scope)
    return StoreCounts(
        referrals=session.scalar(select(func.count()).select_from(Referral)) or 0,
        forces=session.scalar(select(func.count(func.distinct(Referral.force_code)))
                              .where(Referral.force_code.in_(in_scope))) or 0,
        referrals_out_of_scope=session.scalar(
            select(func.count()).select_from(Referral)
            .where(Referral.force_code.not_in(in_scope))) or 0,
        involving_rape=session.scalar(
            select(func.count()).select_from(Referral).where(Referral.involves_rape)) or 0,
        versions=session.scalar(select(func.count()).select_from(ReferralVersion)) or 0,
        resubmitted_referrals=session.scalar(
            select(func.count()).select_from(Referral).where(Referral.current_version > 1)) or 0,
        crimes_current=session.scalar(
            select(func.count()).select_from(Crime)
            .join(ReferralVersion, ReferralVersion.id == Crime.version_id)
            .join(Referral, current)) or 0,
        open_rejected=session.scalar(select(func.count()).select_from(RejectedReferral)
                                     .where(RejectedReferral.status == "open")) or 0,
        imports=session.scalar(select(func.count()).select_from(ImportBatch)) or 0,
    )
