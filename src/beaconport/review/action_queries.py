"""Reading actions: the lists (all, a force's, the overdue) and one action with its history.
Every read goes through ``policy.visible``, so a force's users meet only the actions allocated
to their force: any other does not exist for them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can, scope
from beaconport.errors import NotFound
from beaconport.reference.queries import force_names, load_catalogue
from beaconport.referrals.models import Referral
from beaconport.review import action_states as st
from beaconport.review import blind, conduct
from beaconport.review.actions import NATIONAL, PRIORITIES, may_work, readable
from beaconport.review.instrument import ASSESSMENTS
from beaconport.review.models import ReviewAction, ReviewActionStep

PAGE_SIZE = 50


def holder_name(allocated_to: str | None, names: dict[str, str]) -> str:
    if allocated_to is None:
        return "Not allocated"
    if allocated_to == NATIONAL:
        return "The national team"
    return names.get(allocated_to, allocated_to)


@dataclass(frozen=True, slots=True)
class ActionRow:
    id: uuid.UUID
    referral_id: uuid.UUID
    force_reference: str
    number: int
    title: str
    priority: str
    status: str
    allocated_to: str | None
    holder: str
    due_on: date | None
    updated_at: datetime

    @property
    def overdue(self) -> bool:
        return (self.status in st.OUTSTANDING and self.due_on is not None
                and self.due_on < clock.today())

    @property
    def status_label(self) -> str:
        return st.LABELS.get(self.status, self.status)


@dataclass(frozen=True, slots=True)
class ActionFilter:
    status: str | None = None
    #: A force code or "national".
    holder: str | None = None
    overdue: bool = False
    referral_id: uuid.UUID | None = None
    page: int = 1


@dataclass(frozen=True, slots=True)
class ActionPage:
    rows: list[ActionRow]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def listed(session: Session, principal: Principal, wanted: ActionFilter) -> ActionPage:
    """The actions the principal may see, overdue first by due date, then the most recently
    moved."""
    where = readable(principal)
    if wanted.status:
        where.append(ReviewAction.status == wanted.status)
    if wanted.holder:
        where.append(ReviewAction.allocated_to == wanted.holder)
    if wanted.overdue:
        where += [ReviewAction.status.in_(sorted(st.OUTSTANDING)),
                  ReviewAction.due_on < clock.today()]
    if wanted.referral_id is not None:
        where.append(ReviewAction.referral_id == wanted.referral_id)
    total = session.scalar(select(func.count()).select_from(ReviewAction).where(*where)) or 0
    page = max(1, wanted.page)
    names = force_names(session)
    rows = session.execute(
        select(ReviewAction.id, ReviewAction.referral_id, Referral.force_reference,
               ReviewAction.number, ReviewAction.title, ReviewAction.priority,
               ReviewAction.status, ReviewAction.allocated_to, ReviewAction.due_on,
               ReviewAction.updated_at_utc)
        .join(Referral, Referral.id == ReviewAction.referral_id).where(*where)
        .order_by(ReviewAction.due_on.is_(None), ReviewAction.due_on,
                  ReviewAction.updated_at_utc.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    return ActionPage([ActionRow(r.id, r.referral_id, r.force_reference, r.number, r.title,
                                 r.priority, r.status, r.allocated_to,
                                 holder_name(r.allocated_to, names), r.due_on,
                                 r.updated_at_utc) for r in rows], total, page)


@dataclass(frozen=True, slots=True)
class StepView:
    step: str
    status: str
    note: str
    at: datetime
    by: str

    @property
    def status_label(self) -> str:
        return st.LABELS.get(self.status, self.status)


@dataclass(frozen=True, slots=True)
class ActionView:
    row: ActionRow
    detail: str
    finding_item: str | None
    work_done: str | None
    result: str | None
    raised_at: datetime
    raised_by: str
    steps: list[StepView]
    #: The moves this principal may make now.
    moves: list[str]

    @property
    def priority_label(self) -> str:
        return PRIORITIES.get(self.row.priority, self.row.priority)


def one(session: Session, principal: Principal, action_id: uuid.UUID) -> ActionView:
    action = session.scalar(select(ReviewAction).where(ReviewAction.id == action_id,
                                                       *readable(principal)))
    if action is None:
        raise NotFound("There is no such action, or it is not allocated to your force.")
    reference = session.scalar(select(Referral.force_reference)
                               .where(Referral.id == action.referral_id)) or ""
    names = force_names(session)
    row = ActionRow(action.id, action.referral_id, reference, action.number, action.title,
                    action.priority, action.status, action.allocated_to,
                    holder_name(action.allocated_to, names), action.due_on,
                    action.updated_at_utc)
    steps = [StepView(s.step, s.status, s.note, s.at_utc, s.by)
             for s in session.scalars(select(ReviewActionStep)
                                      .where(ReviewActionStep.action_id == action_id)
                                      .order_by(ReviewActionStep.at_utc))]
    manager = can(principal, Permission.ACTION_MANAGE)
    moves = [m for m in st.allowed(action.status)
             if (st.TRANSITIONS[(action.status, m)].by == st.MANAGER and manager)
             or (st.TRANSITIONS[(action.status, m)].by == st.HOLDER
                 and may_work(principal, action))]
    return ActionView(row, action.detail, action.finding_item, action.work_done, action.result,
                      action.raised_at_utc, action.raised_by, steps, moves)


#: Findings an action is usually raised from: a line of inquiry missed, or done inadequately.
MISSED = ("not_done_available_at_time", "done_inadequately")


@dataclass(frozen=True, slots=True)
class CaseActions:
    found: ActionPage
    #: The case's review and its findings actions are raised from, for those who raise them.
    review_id: uuid.UUID | None
    findings: list[tuple[str, str, str]]


def of_case(session: Session, principal: Principal, referral_id: uuid.UUID) -> CaseActions:
    """A case's actions as the principal may see them. The national team sees the case and the
    findings to raise actions from; a force's users see the case only through an action
    allocated to their force, and never its review."""
    if session.get(Referral, referral_id) is None:
        raise NotFound("There is no such case.")
    if blind.is_blinded(session, principal, referral_id):
        raise NotFound("Your blind second review of this case is in progress: its actions stay "
                       "hidden until you submit it, as they come from the first review.")
    found = listed(session, principal, ActionFilter(referral_id=referral_id))
    if not scope(principal, Permission.ACTION_READ).everywhere and not found.total:
        raise NotFound("There is no such case, or none of its actions is allocated to your "
                       "force.")
    review_id = (conduct.review_of(session, referral_id)
                 if can(principal, Permission.ACTION_RAISE) else None)
    sheet = conduct.sheet(session, principal, review_id) if review_id else None
    findings = ([(code, f"{code}: {item.title}" if (item := sheet.instrument.item(code))
                  else code, ASSESSMENTS.get(f.assessment, f.assessment))
                 for code, f in sorted(sheet.findings.items()) if f.assessment in MISSED]
                if sheet else [])
    return CaseActions(found, review_id, findings)


def overdue_count(session: Session, principal: Principal) -> int:
    return session.scalar(select(func.count()).select_from(ReviewAction).where(
        *readable(principal),
        ReviewAction.status.in_(sorted(st.OUTSTANDING)),
        ReviewAction.due_on < clock.today())) or 0


def steps_of_case(session: Session, referral_id: uuid.UUID
                  ) -> list[tuple[int, str, StepView]]:
    """(action number, title, step) of every step of the case's actions, oldest first, for the
    case's timeline."""
    return [(number, title, StepView(step.step, step.status, step.note, step.at_utc, step.by))
            for number, title, step in session.execute(
                select(ReviewAction.number, ReviewAction.title, ReviewActionStep)
                .join(ReviewActionStep, ReviewActionStep.action_id == ReviewAction.id)
                .where(ReviewAction.referral_id == referral_id)
                .order_by(ReviewActionStep.at_utc))]


def holders(session: Session) -> list[tuple[str, str]]:
    """(code, name) of everyone an action can be allocated to: the national team, then every
    force in the review, by name."""
    catalogue = load_catalogue(session)
    forces = sorted({(info.name, info.code) for info in catalogue.forces.values()
                     if info.in_scope})
    return [(NATIONAL, "The national team"), *[(code, name) for name, code in forces]]


def case_force(session: Session, referral_id: uuid.UUID) -> str | None:
    return session.scalar(select(Referral.force_code).where(Referral.id == referral_id))
