"""The pure, CPU-bound part of import: validate each referral and hash its facts.

It needs nothing but the reference catalogue and touches no database. Problems come back located
by JSON path; the service turns them into the places a force analyst would look, with the
carrier's ``locate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beaconport.referrals.content import facts_hash
from beaconport.referrals.validation import Checked, ReferralValidator


@dataclass(slots=True)
class Verdict:
    """What validation found in one referral; ``digest`` is set only for a valid one."""

    checked: Checked | None
    digest: str | None


def check_documents(validator: ReferralValidator, documents: list[Any]) -> list[Verdict]:
    verdicts = []
    for document in documents:
        if document is None:
            verdicts.append(Verdict(None, None))
            continue
        checked = validator.check(document)
        clean = checked.clean
        verdicts.append(Verdict(checked, facts_hash(clean) if clean is not None else None))
    return verdicts
