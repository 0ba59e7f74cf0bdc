"""Reading safeguarding flags: the list (open first, the most urgent first) and one flag."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.errors import NotFound
from beaconport.referrals.models import Referral
from beaconport.safeguarding import flags as f
from beaconport.safeguarding.models import SafeguardingFlag

PAGE_SIZE = 50
_URGENCY_ORDER = case({"immediate": 0, "one_working_day": 1, "five_working_days": 2},
                      value=SafeguardingFlag.urgency, else_=3)


@dataclass(frozen=True, slots=True)
class FlagView:
    id: uuid.UUID
    referral_id: uuid.UUID
    force_reference: str
    force_code: str
    person_ref: str
    stage: str
    access: list[dict[str, Any]]
    linked_referrals: int
    last_alleged_on: date | None
    severity: str
    urgency: str
    facts: str
    assessment: str
    status: str
    raised_at: datetime
    raised_by: str
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None

    @property
    def urgency_label(self) -> str:
        return f.URGENCIES.get(self.urgency, self.urgency)

    @property
    def severity_label(self) -> str:
        return f.SEVERITIES.get(self.severity, self.severity)

    @property
    def stage_label(self) -> str:
        return f.STAGES.get(self.stage, self.stage)


def _view(flag: SafeguardingFlag, reference: str, force: str) -> FlagView:
    return FlagView(flag.id, flag.referral_id, reference, force, flag.person_ref, flag.stage,
                    list(flag.access), flag.linked_referrals, flag.last_alleged_on,
                    flag.severity, flag.urgency, flag.facts, flag.assessment, flag.status,
                    flag.raised_at_utc, flag.raised_by, flag.resolved_at_utc, flag.resolved_by,
                    flag.resolution)


@dataclass(frozen=True, slots=True)
class FlagPage:
    rows: list[FlagView]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def listed(session: Session, principal: Principal, *, status: str | None = f.OPEN,
           referral_id: uuid.UUID | None = None, page: int = 1) -> FlagPage:
    """Flags the principal may see: open ones the most urgent and severe first, then the
    oldest."""
    where = [visible(principal, Permission.SAFEGUARDING_READ, Referral.force_code)]
    if status:
        where.append(SafeguardingFlag.status == status)
    if referral_id is not None:
        where.append(SafeguardingFlag.referral_id == referral_id)
    base = (select(SafeguardingFlag, Referral.force_reference, Referral.force_code)
            .join(Referral, Referral.id == SafeguardingFlag.referral_id).where(*where))
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    page = max(1, page)
    rows = session.execute(base.order_by(
        (SafeguardingFlag.status != f.OPEN), _URGENCY_ORDER,
        case({"high": 0, "medium": 1}, value=SafeguardingFlag.severity, else_=2),
        SafeguardingFlag.raised_at_utc).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return FlagPage([_view(flag, ref, force) for flag, ref, force in rows], total, page)


def one(session: Session, principal: Principal, flag_id: uuid.UUID) -> FlagView:
    row = session.execute(
        select(SafeguardingFlag, Referral.force_reference, Referral.force_code)
        .join(Referral, Referral.id == SafeguardingFlag.referral_id)
        .where(SafeguardingFlag.id == flag_id,
               visible(principal, Permission.SAFEGUARDING_READ, Referral.force_code))).first()
    if row is None:
        raise NotFound("There is no such safeguarding flag.")
    return _view(*row)
