"""Reads of the installation's properties."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.instance.models import InstanceProperty

DEMO = "demo"


def is_demo(session: Session) -> bool:
    """True only for a database that ``make demo`` (or ``beaconport demo-data``) built."""
    value = session.scalar(select(InstanceProperty.value).where(InstanceProperty.name == DEMO))
    return value == "true"
