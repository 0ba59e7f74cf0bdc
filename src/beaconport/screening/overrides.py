"""Overrides: a screener decides in place of screening, with a written reason; a second,
different senior reviewer approves or refuses (four eyes). An approved override holds through
re-screening until the referral changes, when a new version voids it. All audited."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.referrals import browse, states
from beaconport.referrals import service as referrals
from beaconport.referrals.models import Referral
from beaconport.screening.models import ScreeningDecision, ScreeningOverride

DECISIONS = ("eligible", "ineligible", "needs_information")


class OverrideRead(BaseModel):
    id: uuid.UUID
    referral_id: uuid.UUID
    version: int
    screened_decision: str
    decision: str
    reason: str
    requested_by: str
    requested_at: datetime
    status: str
    approved_by: str | None
    approval_note: str | None


def _read(o: ScreeningOverride) -> OverrideRead:
    return OverrideRead(id=o.id, referral_id=o.referral_id, version=o.version,
                        screened_decision=o.screened_decision, decision=o.decision,
                        reason=o.reason, requested_by=o.requested_by,
                        requested_at=o.requested_at_utc, status=o.status,
                        approved_by=o.approved_by, approval_note=o.approval_note)


def request_override(session: Session, *, principal: Principal, actor: str | audit.Actor,
                     referral_id: uuid.UUID, decision: str, reason: str) -> uuid.UUID:
    referral = browse.visible_referral(session, principal, Permission.SCREENING_OVERRIDE,
                                       referral_id)
    if decision not in DECISIONS:
        raise InvalidRequest("Choose the decision you would put in place of screening's.")
    if len(reason.strip()) < 20:
        raise InvalidRequest("Explain in at least 20 characters why screening is wrong here.")
    screened = session.scalar(select(ScreeningDecision.decision).where(
        ScreeningDecision.referral_id == referral.id, ScreeningDecision.current.is_(True)))
    if screened is None:
        raise Conflict("This referral has not been screened yet.")
    if screened == decision:
        raise InvalidRequest("That is screening's own decision: nothing to override.")
    pending = session.scalar(select(ScreeningOverride.id).where(
        ScreeningOverride.referral_id == referral.id, ScreeningOverride.status == "pending"))
    if pending is not None:
        raise Conflict("An override of this referral is already waiting for approval.")
    override = ScreeningOverride(
        referral_id=referral.id, version=referral.current_version, screened_decision=screened,
        decision=decision, reason=reason.strip(), requested_by=audit.name_of(actor),
        requested_at_utc=clock.now(), status="pending")
    session.add(override)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.OVERRIDE_REQUESTED,
                 subject=audit.Subject("referral", str(referral.id)),
                 data={"override": str(override.id), "from": screened, "to": decision},
                 justification=override.reason)
    return override.id


def decide_override(session: Session, *, principal: Principal, actor: str | audit.Actor,
                    override_id: uuid.UUID, approve: bool, note: str) -> uuid.UUID:
    """Approve (the override takes effect) or refuse. Never by the person who asked. Returns
    the referral's id."""
    override = session.get(ScreeningOverride, override_id)
    if override is None:
        raise NotFound("There is no such override, or you do not have access to it.")
    referral = browse.visible_referral(session, principal, Permission.SCREENING_APPROVE,
                                       override.referral_id)
    if override.status != "pending":
        raise Conflict(f"This override is already {override.status}.")
    if audit.name_of(actor) == override.requested_by:
        raise InvalidRequest("A second, different person must approve an override: you asked "
                             "for this one.")
    if len(note.strip()) < 10:
        raise InvalidRequest("Say in at least 10 characters why you approve or refuse.")
    override.status = "approved" if approve else "refused"
    override.approved_by, override.approved_at_utc = audit.name_of(actor), clock.now()
    override.approval_note = note.strip()
    if approve and override.version == referral.current_version:
        referrals.set_statuses(session, {referral.id: states.SCREENED_STATUS[override.decision]})
    session.flush()
    audit.record(session, actor=actor,
                 action=AuditAction.OVERRIDE_APPROVED if approve else AuditAction.OVERRIDE_REFUSED,
                 subject=audit.Subject("referral", str(referral.id)),
                 data={"override": str(override.id), "to": override.decision,
                       "requested_by": override.requested_by}, justification=override.approval_note)
    return referral.id


def apply_overrides(session: Session, *, actor: str | audit.Actor,
                    versions: dict[uuid.UUID, int]) -> dict[uuid.UUID, str]:
    """For screening: the statuses approved overrides still impose on these referrals (same
    version); overrides of an earlier version are voided, audited."""
    held: dict[uuid.UUID, str] = {}
    stale: list[ScreeningOverride] = []
    for o in session.scalars(select(ScreeningOverride).where(
            ScreeningOverride.referral_id.in_(list(versions)),
            ScreeningOverride.status.in_(("approved", "pending")))):
        if o.version != versions[o.referral_id]:
            stale.append(o)
        elif o.status == "approved":
            held[o.referral_id] = states.SCREENED_STATUS[o.decision]
    if stale:
        session.execute(update(ScreeningOverride)
                        .where(ScreeningOverride.id.in_([o.id for o in stale]))
                        .values(status="void"))
        audit.record_many(session, actor=actor, action=AuditAction.OVERRIDE_VOIDED, subjects=[
            (audit.Subject("referral", str(o.referral_id)),
             {"override": str(o.id), "version": o.version}) for o in stale])
    return held


def overrides_of(session: Session, referral_id: uuid.UUID) -> list[OverrideRead]:
    """A referral's overrides, newest first (the caller has checked it may see the referral)."""
    return [_read(o) for o in session.scalars(
        select(ScreeningOverride).where(ScreeningOverride.referral_id == referral_id)
        .order_by(ScreeningOverride.requested_at_utc.desc()))]


class PendingRead(BaseModel):
    override: OverrideRead
    force_code: str
    force_reference: str


def pending_overrides(session: Session, principal: Principal) -> list[PendingRead]:
    """Overrides waiting for a second person, oldest first, over the referrals the principal
    may approve for."""
    rows = session.execute(
        select(ScreeningOverride, Referral.force_code, Referral.force_reference)
        .join(Referral, Referral.id == ScreeningOverride.referral_id)
        .where(ScreeningOverride.status == "pending",
               visible(principal, Permission.SCREENING_APPROVE, Referral.force_code))
        .order_by(ScreeningOverride.requested_at_utc, ScreeningOverride.id))
    return [PendingRead(override=_read(o), force_code=code, force_reference=reference)
            for o, code, reference in rows]
