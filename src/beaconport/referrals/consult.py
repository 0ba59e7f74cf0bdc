"""Reads that show personal data, each logged as a consultation (DPA 2018 s62(2)) in the same
transaction that reads it. A complainant's record needs a justification the reader gives."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.audit.trail import TrailEntry, trail
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal
from beaconport.errors import BeaconportError
from beaconport.referrals import batches, browse
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


def view_rejected(session: Session, *, principal: Principal, actor: audit.Actor,
                  rejected_id: uuid.UUID) -> tuple[RejectedRead, str]:
    """A quarantined referral as sent: it may name people, so reading it is a consultation."""
    found = batches.rejected_referral(session, principal, rejected_id)
    audit.record(session, actor=actor, action=AuditAction.REJECTED_CONSULTED,
                 subject=audit.Subject("rejected_referral", str(rejected_id)))
    return found
