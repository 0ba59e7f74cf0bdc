"""The screening queue: screened referrals by decision, force, rape and red flags, rapes first,
then oldest received first, so the team works through them in a fair, visible order."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.reference.queries import force_names
from beaconport.referrals.models import Referral
from beaconport.referrals.schemas import ListFilter
from beaconport.screening.models import ScreeningDecision

PAGE_SIZE = 50


class QueueFilter(ListFilter):
    decision: Literal["eligible", "ineligible", "needs_information"] | None = None
    force: str | None = Field(default=None, max_length=20)
    rape: Literal["yes", "no"] | None = None
    flags: Literal["yes", "no"] | None = None
    page: int = Field(default=1, ge=1, le=100_000)


class QueueItem(BaseModel):
    id: uuid.UUID
    force_name: str
    force_reference: str
    received_at: datetime
    decision: str
    involves_rape: bool
    red_flags: int
    unknown: list[str]


class QueuePage(BaseModel):
    items: list[QueueItem]
    total: int
    page: int
    pages: int
    counts: dict[str, int]


def _where(principal: Principal, f: QueueFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [
        ScreeningDecision.current.is_(True),
        visible(principal, Permission.REFERRAL_LIST, Referral.force_code)]
    if f.decision:
        where.append(ScreeningDecision.decision == f.decision)
    if f.force:
        where.append(Referral.force_code == f.force)
    if f.rape:
        where.append(ScreeningDecision.involves_rape.is_(f.rape == "yes"))
    if f.flags:
        where.append(ScreeningDecision.flagged.is_(f.flags == "yes"))
    return where


def list_queue(session: Session, principal: Principal, f: QueueFilter) -> QueuePage:
    joined = select(func.count()).select_from(ScreeningDecision).join(
        Referral, Referral.id == ScreeningDecision.referral_id)
    where = _where(principal, f)
    total = session.scalar(joined.where(*where)) or 0
    by_decision = dict(session.execute(
        select(ScreeningDecision.decision, func.count())
        .join(Referral, Referral.id == ScreeningDecision.referral_id)
        .where(*_where(principal, f.model_copy(update={"decision": None})))
        .group_by(ScreeningDecision.decision)).all())
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(f.page, pages)
    rows = session.execute(
        select(Referral.id, Referral.force_code, Referral.force_reference,
               Referral.first_received_at_utc, ScreeningDecision.decision,
               ScreeningDecision.involves_rape, ScreeningDecision.red_flags,
               ScreeningDecision.unknown)
        .join(ScreeningDecision, ScreeningDecision.referral_id == Referral.id)
        .where(*where)
        .order_by(ScreeningDecision.involves_rape.desc(), Referral.first_received_at_utc,
                  Referral.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    names = force_names(session)
    items = [QueueItem(id=rid, force_name=names.get(code, code), force_reference=ref,
                       received_at=received, decision=decision, involves_rape=rape,
                       red_flags=len(flags), unknown=list(unknown))
             for rid, code, ref, received, decision, rape, flags, unknown in rows]
    return QueuePage(items=items, total=total, page=page, pages=pages,
                     counts={k: int(v) for k, v in by_decision.items()})
