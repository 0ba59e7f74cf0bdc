"""Victim and survivor engagement for the national team's tools, with a person's token: the
Victims' Code duties (overdue, due, met) and compliance; one complainant's record (reading it is
an audited consultation of their contact details); recording their support, their contact plan
and a contact. Victim liaison officers only, as on the pages."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from beaconport.api.v1.problems import COMMON, ApiProblem, ErrorOut
from beaconport.api.v1.schemas import UtcDatetime
from beaconport.auth.permissions import Permission
from beaconport.deps import ApiActor, DbSession, require_api
from beaconport.errors import Conflict
from beaconport.referrals.problems import Problem
from beaconport.victims import contact, queries, support
from beaconport.victims import duties as d

router = APIRouter(tags=["victims"])
READ = [Depends(require_api(Permission.COMPLAINANT_CONTACT))]
ENGAGE = [Depends(require_api(Permission.VICTIM_ENGAGE))]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such complainant in the referral"}}
REFUSED: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON"},
    422: {"model": ErrorOut, "description": "Nothing was stored: every problem is listed"}}
PersonRef = Annotated[str, Path(min_length=1, max_length=64)]


class DutyOut(BaseModel):
    key: str = Field(description="Name it in a contact's duty to record it met")
    referral_id: uuid.UUID
    force_reference: str
    complainant: str = Field(description="The complainant's reference in the referral")
    title: str
    right: str = Field(description="The Victims' Code right it serves")
    arose_on: date
    due_on: date = Field(description="Working days after it arose (1 with enhanced rights, "
                                     "5 otherwise; 2 for an offer of support services)")
    enhanced: bool
    state: str = Field(description="met, met-late, due, overdue or not-owed")
    met_at: UtcDatetime | None
    why_not: str | None = Field(description="Why it is not owed")

    @classmethod
    def of(cls, x: d.Duty) -> DutyOut:
        return cls(key=x.key, referral_id=x.referral_id, force_reference=x.force_reference,
                   complainant=x.person_ref, title=x.title, right=x.right, arose_on=x.arose_on,
                   due_on=x.due_on, enhanced=x.enhanced, state=x.state, met_at=x.met_at,
                   why_not=x.why_not)


class DutiesOut(BaseModel):
    items: list[DutyOut]
    counted: int = Field(description="Duties whose time has come: met, or overdue")
    on_time: int
    late: int
    overdue: int
    percent_on_time: float | None


@router.get("/victims/duties", response_model=DutiesOut, dependencies=READ,
            responses=COMMON)
def list_duties(db: DbSession, state: Annotated[
        Literal["met", "met-late", "due", "overdue", "not-owed"] | None,
        Query(description="Only duties that stand so")] = None) -> DutiesOut:
    """Every Victims' Code duty to the complainants the review is in touch with, soonest due
    first, and compliance over all of them."""
    found = d.duties(db)
    measured = d.compliance(found)
    return DutiesOut(items=[DutyOut.of(x) for x in found if state is None or x.state == state],
                     counted=measured.counted, on_time=measured.on_time, late=measured.late,
                     overdue=measured.overdue, percent_on_time=measured.percent)


class StepOut(BaseModel):
    from_state: str
    to_state: str
    occurred_on: date
    approached_by: str
    through: str
    through_name: str | None
    agreed: str
    recorded_at: UtcDatetime
    recorded_by: str


class ContactOut(BaseModel):
    occurred_at: UtcDatetime
    direction: str
    channel: str
    reached: bool
    summary: str
    duty_key: str | None
    recorded_by: str


class ChannelIn(BaseModel):
    kind: str = Field(max_length=40, description=", ".join(contact.CHANNELS))
    detail: str = Field(max_length=300)
    note: str = Field("", max_length=300)


class WindowIn(BaseModel):
    starts: date = Field(alias="from")
    ends: date = Field(alias="to")
    reason: str = Field("", max_length=300)


class PlanBody(BaseModel):
    preferred_name: str = Field("", max_length=200)
    channels: list[ChannelIn] = Field(default_factory=list, max_length=5)
    safe_times: str = Field("", max_length=500)
    no_contact: list[WindowIn] = Field(default_factory=list, max_length=10)
    intermediary: str = Field("", max_length=300)
    language: str = Field("", max_length=100)
    needs: str = Field("", max_length=1000)
    updates: str = Field("key_decisions", max_length=20,
                         description="all, key_decisions or none")
    updates_how: str = Field("", max_length=500)


class PlanIn(PlanBody):
    revision: int = Field(ge=0, le=1_000_000_000,
                          description="The plan's revision this was made from")


class RecordOut(BaseModel):
    referral_id: uuid.UUID
    force_reference: str
    complainant: str
    support: str
    support_since: date | None
    next_support: list[str] = Field(description="The states their support may move to next")
    plan: dict[str, Any]
    plan_revision: int
    on_hold: str | None
    steps: list[StepOut]
    contacts: list[ContactOut]
    duties: list[DutyOut]


def _record(db: DbSession, actor: ApiActor, referral_id: uuid.UUID, ref: str) -> RecordOut:
    r = queries.open_record(db, actor=actor, referral_id=referral_id, person_ref=ref)
    held = next((h.reason for h in r.holds if h.lifted_at is None), None)
    return RecordOut(
        referral_id=r.referral_id, force_reference=r.force_reference, complainant=r.person_ref,
        support=r.support, support_since=r.support_since, next_support=r.moves, plan=r.plan,
        plan_revision=r.plan_revision, on_hold=held,
        steps=[StepOut(from_state=s.from_state, to_state=s.to_state, occurred_on=s.occurred_on,
                       approached_by=s.approached_by, through=s.through,
                       through_name=s.through_name, agreed=s.agreed,
                       recorded_at=s.recorded_at, recorded_by=s.recorded_by) for s in r.steps],
        contacts=[ContactOut(occurred_at=c.occurred_at, direction=c.direction,
                             channel=c.channel, reached=c.reached, summary=c.summary,
                             duty_key=c.duty_key, recorded_by=c.recorded_by)
                  for c in r.contacts],
        duties=[DutyOut.of(x) for x in r.duties])


BASE = "/referrals/{referral_id}/complainants/{person_ref}"


@router.get(BASE, response_model=RecordOut, dependencies=READ,
            responses={**COMMON, **NOT_FOUND})
def get_record(db: DbSession, actor: ApiActor, referral_id: uuid.UUID,
               person_ref: PersonRef) -> RecordOut:
    """The complainant's engagement: support and its history, contact plan, communications
    log, duties. Reading it is recorded as a consultation of their contact details."""
    return _record(db, actor, referral_id, person_ref)


def _refused(title: str, problems: list[tuple[str, str]]) -> ApiProblem:
    return ApiProblem(422, title, "Nothing was stored.",
                      [Problem("invalid_value", field, message) for field, message in problems])


class SupportIn(BaseModel):
    to_state: str = Field(max_length=30, description="The state their support moves to")
    occurred_on: date
    approached_by: str = Field(max_length=200)
    through: str = Field(max_length=20, description=", ".join(support.THROUGH))
    through_name: str = Field("", max_length=200)
    agreed: str = Field(max_length=10_000, description="What was agreed (for support, the "
                                                       "words of their consent)")


@router.post(f"{BASE}/support", response_model=RecordOut, dependencies=ENGAGE,
             responses={**COMMON, **NOT_FOUND, **REFUSED})
def record_support(db: DbSession, actor: ApiActor, referral_id: uuid.UUID,
                   person_ref: PersonRef, body: SupportIn) -> RecordOut:
    """Record the next step in their support. The referral is screened again at once; a
    withdrawal holds the case, and support given again lifts their hold."""
    try:
        support.record(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                       given=support.SupportInput(body.to_state, body.occurred_on,
                                                  body.approached_by, body.through,
                                                  body.through_name, body.agreed))
    except support.SupportProblems as exc:
        raise _refused("Their support was not recorded", exc.problems) from exc
    return _record(db, actor, referral_id, person_ref)


def _plan_field(field: str) -> str:
    """channel-2-kind (the pages' name) as channels[1].kind; windows likewise."""
    for prefix, name in (("channel-", "channels"), ("window-", "no_contact")):
        if field.startswith(prefix):
            _, n, part = field.split("-", 2)
            return f"{name}[{int(n) - 1}].{ {'starts': 'from', 'ends': 'to'}.get(part, part)}"
    return field


@router.put(f"{BASE}/plan", response_model=RecordOut, dependencies=ENGAGE,
            responses={**COMMON, **NOT_FOUND, **REFUSED,
                       409: {"model": ErrorOut, "description": "Saved by someone else since "
                                                               "that revision"}})
def save_plan(db: DbSession, actor: ApiActor, referral_id: uuid.UUID, person_ref: PersonRef,
              body: PlanIn) -> RecordOut:
    """Replace their contact plan, made from ``revision``."""
    plan = contact.PlanInput(
        preferred_name=body.preferred_name,
        channels=tuple(contact.Channel(c.kind, c.detail, c.note) for c in body.channels),
        safe_times=body.safe_times,
        no_contact=tuple(contact.Window(w.starts, w.ends, w.reason) for w in body.no_contact),
        intermediary=body.intermediary, language=body.language, needs=body.needs,
        updates=body.updates, updates_how=body.updates_how)
    try:
        contact.save_plan(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                          revision=body.revision, plan=plan)
    except contact.ContactProblems as exc:
        raise _refused("The contact plan was not saved",
                       [(_plan_field(f), m) for f, m in exc.problems]) from exc
    except Conflict as exc:
        raise ApiProblem(409, "Saved by someone else", str(exc)) from exc
    return _record(db, actor, referral_id, person_ref)


class ContactIn(BaseModel):
    occurred_at: datetime = Field(description="When, with its offset (UTC if none)")
    direction: Literal["outgoing", "incoming"]
    channel: str = Field(max_length=40, description=", ".join(contact.CHANNELS))
    reached: bool
    summary: str = Field(max_length=10_000)
    duty_key: str | None = Field(None, max_length=120,
                                 description="The duty this contact meets, if any")


@router.post(f"{BASE}/contacts", response_model=RecordOut, status_code=201,
             dependencies=ENGAGE, responses={**COMMON, **NOT_FOUND, **REFUSED})
def log_contact(db: DbSession, actor: ApiActor, referral_id: uuid.UUID, person_ref: PersonRef,
                body: ContactIn) -> RecordOut:
    """Log a contact with them, or an attempt; one that reached them may meet a duty."""
    at = (body.occurred_at if body.occurred_at.tzinfo
          else body.occurred_at.replace(tzinfo=UTC)).astimezone(UTC)
    try:
        contact.log_contact(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                            entry=contact.ContactInput(at, body.direction, body.channel,
                                                       body.reached, body.summary,
                                                       body.duty_key))
    except contact.ContactProblems as exc:
        raise _refused("The contact was not logged", exc.problems) from exc
    return _record(db, actor, referral_id, person_ref)
