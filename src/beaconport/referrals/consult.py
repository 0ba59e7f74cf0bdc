"""Reads that show personal data, each logged as a consultation (DPA 2018 s62(2)) in the same
transaction that reads it. A complainant's record needs a justification the reader gives."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.audit.trail import TrailEntry, trail
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal
from beaconport.errors import BeaconportError
from beaconport.referrals import anonymity, batches, browse
from beaconport.referrals.batches import RejectedRead
from beaconport.referrals.schemas import PersonRecordRead, ReferralDetail, ReferralSummary


class JustificationRequired(BeaconportError):
    """The reader must say why before a complainant's record is shown."""


def view_referral(session: Session, *, principal: Principal, actor: audit.Actor,
                  referral_id: uuid.UUID) -> ReferralDetail:
    detail = browse.referral_detail(session, principal, referral_id)
    audit.record(session, actor=actor, action=AuditAction.REFERRAL_CONSULTED,
                 subject=audit.Subject("referral", str(referral_id)),
                 records=[audit.Subject("person_record", str(p.id)) for p in detail.people],
                 data={"version": detail.summary.version})
    return detail


def view_person_record(session: Session, *, principal: Principal, actor: audit.Actor,
                       record_id: uuid.UUID, justification: str | None) -> PersonRecordRead:
    record = browse.person_record(session, principal, record_id)
    if record.role == "complainant" and not justification:
        raise JustificationRequired("Say why you need to see this complainant's record.")
    audit.record(session, actor=actor, action=AuditAction.PERSON_CONSULTED,
                 subject=audit.Subject("person_record", str(record_id)),
                 records=[audit.Subject("referral", str(record.referral_id))],
                 data={"role": record.role, "contact_details": record.addresses is not None},
                 justification=justification if record.role == "complainant" else None)
    return record


def view_audit_trail(session: Session, *, principal: Principal, actor: audit.Actor,
                     referral_id: uuid.UUID) -> tuple[ReferralSummary, list[TrailEntry]]:
    referral = browse.visible_referral(session, principal, Permission.AUDIT_READ, referral_id)
    people = browse.person_record_ids(session, referral_id)
    entries = trail(session, [("referral", [str(referral_id)]), ("person_record", people)])
    audit.record(session, actor=actor, action=AuditAction.AUDIT_CONSULTED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"entries_shown": len(entries)})
    return browse.summary_of(session, referral), entries


@dataclass(frozen=True, slots=True)
class RejectedView:
    rejected: RejectedRead
    #: The referral with complainants' identities withheld (None if no object could be built).
    masked: str | None
    #: Exactly what was sent: only after the reader has given a justification.
    raw: str | None


def view_rejected(session: Session, *, principal: Principal, actor: audit.Actor,
                  rejected_id: uuid.UUID, justification: str | None = None) -> RejectedView:
    """A quarantined referral: its problems and its content with complainants withheld; the
    text exactly as sent (which may name a complainant) only with a justification. Either way
    a consultation, logged."""
    rejected, raw, document = batches.rejected_referral(session, principal, rejected_id)
    audit.record(session, actor=actor, action=AuditAction.REJECTED_CONSULTED,
                 subject=audit.Subject("rejected_referral", str(rejected_id)),
                 data={"as_sent": justification is not None}, justification=justification)
    return RejectedView(rejected, anonymity.shown_text(document),
                        raw if justification else None)
