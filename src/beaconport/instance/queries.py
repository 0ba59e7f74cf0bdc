"""Reads of the installation's properties."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.instance.models import InstanceProperty

DEMO = "demo"
#: Whether published statistics include per-force breakdowns ("true"; anything else: no).
PER_FORCE = "publish_per_force"


def is_demo(session: Session) -> bool:
    """True only for a database that ``make demo`` (or ``beaconport demo-data``) built."""
    value = session.scalar(select(InstanceProperty.value).where(InstanceProperty.name == DEMO))
    return value == "true"


def per_force_publication(session: Session) -> InstanceProperty | None:
    """The administrator's choice on per-force breakdowns in publication, with who made it and
    when; None if never made (they are not published)."""
    return session.get(InstanceProperty, PER_FORCE)


def publishes_per_force(session: Session) -> bool:
    found = per_force_publication(session)
    return found is not None and found.value == "true"
