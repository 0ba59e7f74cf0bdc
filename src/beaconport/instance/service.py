"""Changes to the installation's properties, audited like any other change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.errors import FieldProblems
from beaconport.instance.models import InstanceProperty
from beaconport.instance.queries import DEMO, PER_FORCE


def mark_as_demo(session: Session, *, actor: str) -> None:
    """Marks the database as a demonstration: every page says so, and demo accounts may exist."""
    session.merge(InstanceProperty(name=DEMO, value="true", set_by=actor, set_at_utc=clock.now()))
    audit.record(session, actor=actor, action=AuditAction.INSTANCE_MARKED_DEMO,
                 subject=audit.Subject("instance", DEMO))


REASON_LIMIT = 500


def set_per_force_publication(session: Session, *, actor: str | audit.Actor, enabled: bool,
                              reason: str) -> None:
    """Includes per-force breakdowns in published statistics, or stops including them. The
    operation chose not to publish them: enabling them is a decision recorded with its reason."""
    reason = reason.strip()
    if not reason:
        raise FieldProblems([("reason", "Give the reason for this decision")])
    if len(reason) > REASON_LIMIT:
        raise FieldProblems([("reason", f"The reason must be {REASON_LIMIT} characters or "
                                        "fewer")])
    session.merge(InstanceProperty(name=PER_FORCE, value="true" if enabled else "false",
                                   set_by=audit.name_of(actor), set_at_utc=clock.now()))
    audit.record(session, actor=actor, action=AuditAction.PUBLICATION_PER_FORCE_SET,
                 subject=audit.Subject("instance", PER_FORCE),
                 data={"enabled": enabled, "reason": reason})
