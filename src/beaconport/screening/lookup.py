"""Finding referrals to screen by what people type."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport.errors import InvalidRequest, NotFound
from beaconport.referrals import browse
from beaconport.referrals.models import Referral


def referral_id(session: Session, typed: str) -> uuid.UUID:
    """FORCE/REFERENCE (the reference may itself hold slashes)."""
    force, _, reference = typed.strip().partition("/")
    if not force or not reference:
        raise InvalidRequest(f"{typed!r} is not FORCE/REFERENCE, e.g. E23000010/WYP/CSE/1.")
    found = browse.by_identity(session, force, reference)
    if found is None:
        raise NotFound(f"There is no referral {reference!r} from force {force!r}.")
    return found.id


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Referral)) or 0
