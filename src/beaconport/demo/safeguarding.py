"""Demo safeguarding: a reviewer flags three suspects of the demo's reviewed cases who may
still be a danger to children (one a licensed taxi driver), and the demo's safeguarding officer
refers the taxi driver to the licensing authority and the home force's public protection unit,
so the flags, the referrals with their deadlines, the outbox and the overdue view have
something on them. Through the safeguarding services; fictional recipients on example
domains."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.service import Actor
from beaconport.safeguarding import flags, referrals

TAXI = flags.Access("licence", "Private hire driver licensed by the borough council; drives "
                    "children to school under a council contract")
ACCESS = (TAXI, flags.Access("employment", "Works at a takeaway popular with local teenagers"),
          flags.Access("household", "Lives with a partner and her two children, aged 9 and 12"))


def add_flags(session: Session, *, reviewer: Actor, officer: Actor, supervisor: str,
              referral_ids: Sequence[uuid.UUID]) -> int:
    """Flag the first suspect of up to three cases; refer the first flag twice."""
    raised: list[uuid.UUID] = []
    for referral_id, access in zip(referral_ids, ACCESS, strict=False):
        suspects = flags.suspects(session, referral_id)
        if not suspects:
            continue
        raised.append(flags.raise_flag(session, actor=reviewer, referral_id=referral_id,
                                       given=flags.FlagInput(
            person_ref=suspects[0], stage="review", access=(access,),
            last_alleged_on=clock.today() - timedelta(days=900), severity="high",
            urgency="one_working_day",
            facts="Two referrals name him; the review found he was never interviewed.",
            assessment="His current access to children is a present risk while the "
                       "reinvestigation is considered.")))
    if raised:
        for route, name, address, gateway in (
                ("licensing_authority", "Taxi licensing, Borough Council",
                 "licensing@borough-council.example", "clpd"),
                ("home_force", "Public protection unit, West Yorkshire Police",
                 "ppu@westyorkshire.police.example", "dpa_sch8_para4")):
            referrals.make_referral(
                session, actor=officer, flag_id=raised[0], route=route, recipient_name=name,
                recipient_address=address, gateway=gateway,
                requested_action="Consider what action you can take on his access to "
                                 "children, and tell us what you decide.",
                verified={"name", "date_of_birth"}, supervisor=supervisor)
    return len(raised)
