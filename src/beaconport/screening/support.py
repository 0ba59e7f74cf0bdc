"""The review's own record of a complainant's support, which screening takes over the force's:
kept by the victim liaison officers' record of each approach, and screened again at once."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.db import new_id
from beaconport.screening.models import RecordedSupport
from beaconport.screening.rules import CURRENT
from beaconport.screening.service import screen_referrals


def record(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
           person_ref: str, support: str, on: date) -> str | None:
    """Keep the complainant's support as the review now has it, and screen the referral again
    in the caller's transaction."""
    row = session.scalar(select(RecordedSupport).where(RecordedSupport.referral_id == referral_id,
                                                       RecordedSupport.person_ref == person_ref))
    if row is None:
        session.add(RecordedSupport(id=new_id(), referral_id=referral_id, person_ref=person_ref,
                                    support=support, recorded_on=on))
    else:
        row.support, row.recorded_on = support, on
    session.flush()
    return rescreen(session, actor=actor, referral_id=referral_id)


def rescreen(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID) -> str | None:
    """Screen one referral again now; its decision (None: no such referral)."""
    decided = screen_referrals(session, actor=actor, referral_ids=[referral_id], rules=CURRENT)
    return next(iter(decided.decisions), None)
