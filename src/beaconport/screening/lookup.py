"""Finding referrals to screen by what people type."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport.errors import InvalidRequest, NotFound
from beaconport.referrals.models import Referral


def referral_id(session: Session, typed: str) -> uuid.UUID:
    """FORCE/REFERENCE (the reference may itself hold slashes)."""
    force, _, reference = typed.strip().partition("/")
    if not force or not reference:
        raise InvalidRequest(f"{typed!r} is not FORCE/REFERENCE, e.g. E23000010/WYP/CSE/1.")
    found = session.scalar(select(Referral.id).where(
        func.upper(Referral.force_code) == force.upper(), Referral.force_reference == reference))
    if found is None:
        raise NotFound(f"There is no referral {reference!r} from force {force!r}.")
    return found


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Referral)) or 0
