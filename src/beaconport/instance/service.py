"""Changes to the installation's properties, audited like any other change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.instance.models import InstanceProperty
from beaconport.instance.queries import DEMO


def mark_as_demo(session: Session, *, actor: str) -> None:
    """Marks the database as a demonstration: every page says so, and demo accounts may exist."""
    session.merge(InstanceProperty(name=DEMO, value="true", set_by=actor, set_at_utc=clock.now()))
    audit.record(session, actor=actor, action=AuditAction.INSTANCE_MARKED_DEMO,
                 subject=audit.Subject("instance", DEMO))
