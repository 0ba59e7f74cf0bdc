"""Reading safeguarding flags: the list (open first, the most urgent first) and one flag."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.errors import NotFound
from beaconport.referrals.models import Referral
from beaconport.safeguarding import flags as f
from beaconport.safeguarding import referrals
from beaconport.safeguarding.models import AuthorityReferral, SafeguardingFlag
from beaconport.working_days import uk_day

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


@dataclass(frozen=True, slots=True)
class AuthorityView:
    id: uuid.UUID
    flag_id: uuid.UUID
    person_ref: str
    force_reference: str
    route: str
    recipient_name: str
    recipient_address: str
    gateway: str
    content: dict[str, Any]
    status: str
    sent_at: datetime
    sent_by: str
    due_on: date
    supervisor: str
    chased_at: datetime | None
    escalated_at: datetime | None
    acknowledged_at: datetime | None
    response: str | None
    action_taken: str | None

    @property
    def route_label(self) -> str:
        return referrals.ROUTES.get(self.route, self.route)

    @property
    def overdue(self) -> bool:
        return self.status == referrals.SENT and self.due_on < uk_day()

    @property
    def text(self) -> str:
        return referrals.render_text(self.content, route=self.route,
                                     recipient=self.recipient_name)


def _authority_query(principal: Principal) -> Any:
    return (select(AuthorityReferral, SafeguardingFlag.person_ref, Referral.force_reference)
            .join(SafeguardingFlag, SafeguardingFlag.id == AuthorityReferral.flag_id)
            .join(Referral, Referral.id == SafeguardingFlag.referral_id)
            .where(visible(principal, Permission.SAFEGUARDING_READ, Referral.force_code)))


def _authority_view(row: Any) -> AuthorityView:
    r, person_ref, reference = row
    return AuthorityView(r.id, r.flag_id, person_ref, reference, r.route, r.recipient_name,
                         r.recipient_address, r.gateway, dict(r.content), r.status,
                         r.sent_at_utc, r.sent_by, r.due_on, r.supervisor, r.chased_at_utc,
                         r.escalated_at_utc, r.acknowledged_at_utc, r.response, r.action_taken)


def _authority_filtered(principal: Principal, *, flag_id: uuid.UUID | None,
                        overdue: bool, acknowledged: bool | None) -> Any:
    query = _authority_query(principal)
    if flag_id is not None:
        query = query.where(AuthorityReferral.flag_id == flag_id)
    if overdue:
        query = query.where(AuthorityReferral.status == referrals.SENT,
                            AuthorityReferral.due_on < uk_day())
    if acknowledged is not None:
        query = query.where((AuthorityReferral.status != referrals.SENT) if acknowledged
                            else (AuthorityReferral.status == referrals.SENT))
    return query


_DUE_FIRST = (AuthorityReferral.due_on, AuthorityReferral.sent_at_utc, AuthorityReferral.id)


def authority_referrals(session: Session, principal: Principal, *,
                        flag_id: uuid.UUID | None = None,
                        overdue: bool = False) -> list[AuthorityView]:
    """A flag's referrals, or every overdue one (not acknowledged by its due date), the
    longest overdue first."""
    query = _authority_filtered(principal, flag_id=flag_id, overdue=overdue, acknowledged=None)
    return [_authority_view(row) for row in session.execute(query.order_by(*_DUE_FIRST))]


@dataclass(frozen=True, slots=True)
class AuthorityPage:
    rows: list[AuthorityView]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def authority_referral_page(session: Session, principal: Principal, *,
                            overdue: bool = False, acknowledged: bool | None = None,
                            page: int = 1) -> AuthorityPage:
    """Every referral to an authority the principal may see, the soonest due (so the longest
    overdue) first, 50 a page: only the overdue, or only those (not) acknowledged yet."""
    query = _authority_filtered(principal, flag_id=None, overdue=overdue,
                                acknowledged=acknowledged)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    rows = session.execute(query.order_by(*_DUE_FIRST).limit(PAGE_SIZE)
                           .offset((page - 1) * PAGE_SIZE))
    return AuthorityPage([_authority_view(row) for row in rows], total, page)


def authority_referral(session: Session, principal: Principal, referral_id: uuid.UUID, *,
                       shown_to: str | audit.Actor | None = None) -> AuthorityView:
    """One referral to an authority; ``shown_to``: it is shown to this person, whose view of
    the subject's identity in it is recorded as a consultation."""
    row = session.execute(_authority_query(principal)
                          .where(AuthorityReferral.id == referral_id)).first()
    if row is None:
        raise NotFound("There is no such referral to an authority.")
    view = _authority_view(row)
    if shown_to is not None:
        audit.record(session, actor=shown_to, action=AuditAction.SAFEGUARDING_CONSULTED,
                     subject=audit.Subject("authority-referral", str(referral_id)),
                     data={"flag": str(view.flag_id), "subject": view.person_ref,
                           "case": view.force_reference})
    return view
