"""What follows storing referrals, in the same transaction: link their people, screen them
(screening.service.screen_stored), then bring the triage queue up to date for them and for
the cases that share their suspects."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.review import prioritise
from beaconport.screening.service import screen_stored

AfterStore = Callable[[Session, list[uuid.UUID]], None]


def after_store(actor: str | audit.Actor) -> AfterStore:
    screen = screen_stored(actor)

    def after(session: Session, referral_ids: list[uuid.UUID]) -> None:
        screen(session, referral_ids)
        prioritise.refresh(session, actor=actor, referral_ids=referral_ids)

    return after
