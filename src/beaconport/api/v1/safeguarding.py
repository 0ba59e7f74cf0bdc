"""Safeguarding, for the national team's own tools, with a person's API token (it acts as that
person, with their roles, as on the pages): the flags on suspects who may still be a danger to
children (list, read, raise, resolve with a reason) and their referrals to the authorities who
can act (list with their deadlines, read exactly what was sent, refer a flag, record the
acknowledgement and the response). Every rule is the pages' own, through the same services:
what is sent is only the minimum necessary, never a complainant's identity, and each referral
is written with its outbox message and its disclosure in the audit log, or not at all."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from beaconport.api.v1.problems import COMMON, ApiProblem, ErrorOut
from beaconport.api.v1.schemas import UtcDatetime
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal
from beaconport.deps import ApiActor, ApiPrincipal, DbSession, require_api
from beaconport.errors import Conflict
from beaconport.referrals.problems import Problem
from beaconport.review import prioritise
from beaconport.safeguarding import flags, queries, referrals

router = APIRouter(tags=["safeguarding"])
READ = [Depends(require_api(Permission.SAFEGUARDING_READ))]
FLAG = [Depends(require_api(Permission.SAFEGUARDING_FLAG))]
MANAGE = [Depends(require_api(Permission.SAFEGUARDING_MANAGE))]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


FLAG_404: dict[int | str, dict[str, Any]] = {
    404: _error("There is no such flag, or the token's person may not see it")}
REFERRAL_404: dict[int | str, dict[str, Any]] = {
    404: _error("There is no such referral to an authority, or the token's person may not see "
                "it")}
CASE_404: dict[int | str, dict[str, Any]] = {404: _error("There is no such case")}


def _changes(not_found: dict[int | str, dict[str, Any]], conflict: str | None = None,
             created: str | None = None) -> dict[int | str, dict[str, Any]]:
    answers: dict[int | str, dict[str, Any]] = {
        **COMMON, **not_found,
        400: _error("The body is not valid JSON"),
        422: _error("Something sent cannot be used: `problems` names each by its field; "
                    "nothing was stored"),
    }
    if conflict:
        answers[409] = _error(conflict)
    if created:
        answers[201] = {"description": created, "headers": {"Location": {
            "description": "Its address in the API", "schema": {"type": "string"}}}}
    return answers


def _problems(problems: list[tuple[str, str]], title: str) -> ApiProblem:
    return ApiProblem(422, title, "Nothing was stored.",
                      [Problem("invalid_value", field, message) for field, message in problems])


def _created(request: Request, name: str, body: BaseModel, **path: str) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json"), status_code=201,
                        headers={"Location": request.url_for(name, **path).path})


# -- Flags ------------------------------------------------------------------------------------

class AccessOut(BaseModel):
    kind: str = Field(description="One of: " + ", ".join(flags.ACCESS))
    detail: str = Field(description="What it is: the employer, the licence and who issued it")


class FlagOut(BaseModel):
    """A flag as the list shows it (what the records show and the assessment: read the flag)."""

    id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    suspect: str = Field(description="The suspect's person reference in the referral (P1)")
    stage: str = Field(description="Where the concern arose: " + ", ".join(flags.STAGES))
    access: list[AccessOut] = Field(description="The person's current access to children")
    linked_referrals: int = Field(description=(
        "Other referrals in which the nominal index found the same person, when raised"))
    last_alleged_on: date | None = Field(description="The latest alleged offending")
    severity: str = Field(description="high, medium or low")
    urgency: str = Field(description="immediate, one_working_day or five_working_days")
    status: Literal["open", "resolved"]
    raised_at: UtcDatetime
    raised_by: str
    resolved_at: UtcDatetime | None
    resolved_by: str | None
    resolution: str | None = Field(description="Why it was resolved")

    @classmethod
    def of(cls, view: queries.FlagView) -> FlagOut:
        return cls.model_validate(_fields(view))


def _fields(view: queries.FlagView | queries.AuthorityView) -> dict[str, Any]:
    """A view's fields by the API's names (the person reference is the suspect)."""
    fields = asdict(view)
    fields["suspect"] = fields.pop("person_ref")
    return fields


class FlagPageOut(BaseModel):
    items: list[FlagOut]
    total: int
    page: int
    pages: int


class AuthorityReferralOut(BaseModel):
    """A referral of a flag to one authority: where it stands, and its deadline."""

    id: uuid.UUID
    flag_id: uuid.UUID
    suspect: str
    force_reference: str
    route: str = Field(description="One of: " + ", ".join(referrals.ROUTES))
    recipient_name: str
    recipient_address: str
    gateway: str = Field(description="The legal gateway relied on: " +
                         ", ".join(referrals.GATEWAYS))
    status: Literal["sent", "acknowledged", "responded"]
    sent_at: UtcDatetime
    sent_by: str
    due_on: date = Field(description="The acknowledgement is due by the end of this working day")
    overdue: bool = Field(description="Not acknowledged by its due date")
    supervisor: str = Field(description="Who is told when it is chased and still not "
                            "acknowledged (a username)")
    chased_at: UtcDatetime | None = Field(description="When the recipient was reminded")
    escalated_at: UtcDatetime | None = Field(description="When the supervisor was told")
    acknowledged_at: UtcDatetime | None

    @classmethod
    def of(cls, view: queries.AuthorityView) -> AuthorityReferralOut:
        return cls.model_validate({**_fields(view), "overdue": view.overdue})


class FlagDetailOut(FlagOut):
    facts: str = Field(description="What the records show")
    assessment: str = Field(description="The assessment of the risk, kept apart from the facts")
    referrals: list[AuthorityReferralOut] = Field(description=(
        "Its referrals to authorities, the soonest due first"))


def _flag(db: DbSession, principal: Principal, flag_id: uuid.UUID) -> FlagDetailOut:
    view = queries.one(db, principal, flag_id)
    return FlagDetailOut.model_validate({
        **_fields(view), "referrals": [AuthorityReferralOut.of(r) for r in
                      queries.authority_referrals(db, principal, flag_id=flag_id)]})


@router.get("/safeguarding/flags", response_model=FlagPageOut, dependencies=READ,
            responses=COMMON)
def list_flags(
    db: DbSession, principal: ApiPrincipal,
    status: Annotated[Literal["open", "resolved", "all"],
                      Query(description="open (the default), resolved, or all")] = "open",
    referral: Annotated[uuid.UUID | None, Query(description="Only this case's flags")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> FlagPageOut:
    """Flags, open ones first, the most urgent and severe first, then the oldest (50 a page)."""
    found = queries.listed(db, principal, status=None if status == "all" else status,
                           referral_id=referral, page=page)
    return FlagPageOut(items=[FlagOut.of(v) for v in found.rows], total=found.total,
                       page=found.page, pages=found.pages)


@router.get("/safeguarding/flags/{flag_id}", response_model=FlagDetailOut, dependencies=READ,
            responses={**COMMON, **FLAG_404})
def get_flag(db: DbSession, principal: ApiPrincipal, flag_id: uuid.UUID) -> FlagDetailOut:
    """One flag: the concern, the facts apart from the assessment, and its referrals."""
    return _flag(db, principal, flag_id)


class AccessIn(BaseModel):
    kind: str = Field(max_length=20, description="One of: " + ", ".join(flags.ACCESS))
    detail: str = Field(max_length=500, description=(
        "What it is: the employer, the licence and who issued it, the household (3 to 500 "
        "characters)"))


class FlagIn(BaseModel):
    suspect: str = Field(max_length=64, description=(
        "The suspect's person reference in the referral's current version (P1)"))
    stage: str = Field(max_length=20, description=(
        "Where the concern arose: " + ", ".join(flags.STAGES)))
    access: list[AccessIn] = Field(max_length=20, description=(
        "The person's current access to children, at least one ('other' if none is known)"))
    last_alleged_on: date | None = Field(default=None, description=(
        "The latest alleged offending the records show (not in the future)"))
    severity: str = Field(max_length=10, description="high, medium or low")
    urgency: str = Field(max_length=20, description=(
        "How urgently the authorities must hear of it: " + ", ".join(flags.URGENCIES)))
    facts: str = Field(max_length=flags.MAX_TEXT, description=(
        f"What the records show, facts only ({flags.MIN_TEXT} to {flags.MAX_TEXT:,} "
        "characters); never a complainant's name"))
    assessment: str = Field(max_length=flags.MAX_TEXT, description=(
        "The assessment of the risk: who is at risk, how imminent "
        f"({flags.MIN_TEXT} to {flags.MAX_TEXT:,} characters)"))


def _flag_location(field: str) -> str:
    """The service's names as the body's: person_ref is suspect, access-2 is access[1]."""
    if field == "person_ref":
        return "suspect"
    if field.startswith("access-"):
        return f"access[{int(field.removeprefix('access-')) - 1}]"
    return field


@router.post("/cases/{referral_id}/safeguarding-flags", status_code=201,
             response_model=FlagDetailOut, dependencies=FLAG,
             responses=_changes(CASE_404, created="The flag was raised"))
def raise_flag(request: Request, db: DbSession, principal: ApiPrincipal, actor: ApiActor,
               referral_id: uuid.UUID, body: FlagIn) -> JSONResponse:
    """Raise a flag on one of the case's suspects, at any stage. The case's priority in triage
    (and that of every case sharing the suspect) is scored again at once."""
    given = flags.FlagInput(
        person_ref=body.suspect, stage=body.stage,
        access=tuple(flags.Access(a.kind, a.detail) for a in body.access),
        last_alleged_on=body.last_alleged_on, severity=body.severity, urgency=body.urgency,
        facts=body.facts, assessment=body.assessment)
    try:
        flag_id = flags.raise_flag(db, actor=actor, referral_id=referral_id, given=given)
    except flags.FlagProblems as exc:
        raise _problems([(_flag_location(f), m) for f, m in exc.problems],
                        "The flag was not raised") from exc
    prioritise.refresh(db, actor=actor, referral_ids=[referral_id], everything=True)
    return _created(request, "get_flag", _flag(db, principal, flag_id), flag_id=str(flag_id))


class ResolutionIn(BaseModel):
    reason: str = Field(max_length=flags.MAX_TEXT, description=(
        "What was done (the referrals made, what the authorities did), or why the concern no "
        f"longer stands ({flags.MIN_TEXT} to {flags.MAX_TEXT:,} characters)"))


@router.post("/safeguarding/flags/{flag_id}/resolution", response_model=FlagDetailOut,
             dependencies=MANAGE,
             responses=_changes(FLAG_404, "The flag is already resolved: `detail` says by "
                                "whom; nothing was stored"))
def resolve_flag(db: DbSession, principal: ApiPrincipal, actor: ApiActor, flag_id: uuid.UUID,
                 body: ResolutionIn) -> FlagDetailOut:
    """Resolve an open flag, with the reason kept and audited."""
    queries.one(db, principal, flag_id)  # the flag must be one the person may see
    try:
        referral_id = flags.resolve_flag(db, actor=actor, flag_id=flag_id, reason=body.reason)
    except flags.FlagProblems as exc:
        raise _problems(exc.problems, "The flag was not resolved") from exc
    except Conflict as exc:
        raise ApiProblem(409, "The flag was not resolved", str(exc)) from exc
    prioritise.refresh(db, actor=actor, referral_ids=[referral_id], everything=True)
    return _flag(db, principal, flag_id)


# -- Referrals to the authorities -------------------------------------------------------------

class AuthorityPageOut(BaseModel):
    items: list[AuthorityReferralOut]
    total: int
    page: int
    pages: int


class AuthorityReferralDetailOut(AuthorityReferralOut):
    content: dict[str, Any] = Field(description=(
        "What was sent, section by section, exactly as sent: identity (each item with "
        "`value` and `verified`), access_to_children, basis_of_concern (complainants only "
        "counted), risk, requested_action, gateway, handling"))
    text: str = Field(description="The message as the recipient received it")
    response: str | None = Field(description="The recipient's response")
    action_taken: str | None = Field(description="The action they took")

    @classmethod
    def of(cls, view: queries.AuthorityView) -> AuthorityReferralDetailOut:
        return cls.model_validate({**_fields(view), "overdue": view.overdue,
                                   "text": view.text})


@router.get("/safeguarding/referrals", response_model=AuthorityPageOut, dependencies=READ,
            responses=COMMON)
def list_authority_referrals(
    db: DbSession, principal: ApiPrincipal,
    overdue: Annotated[bool, Query(description="Only those not acknowledged by their due "
                                               "date")] = False,
    acknowledged: Annotated[bool | None, Query(description=(
        "false: only those not acknowledged yet; true: only those acknowledged"))] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> AuthorityPageOut:
    """Every referral to an authority, the soonest due (the longest overdue) first, 50 a
    page."""
    found = queries.authority_referral_page(db, principal, overdue=overdue,
                                            acknowledged=acknowledged, page=page)
    return AuthorityPageOut(items=[AuthorityReferralOut.of(v) for v in found.rows],
                            total=found.total, page=found.page, pages=found.pages)


@router.get("/safeguarding/referrals/{referral_id}", response_model=AuthorityReferralDetailOut,
            dependencies=READ, responses={**COMMON, **REFERRAL_404})
def get_authority_referral(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                           referral_id: uuid.UUID) -> AuthorityReferralDetailOut:
    """One referral to an authority, with what was sent exactly as sent (reading it is recorded
    as a consultation of the subject's identity)."""
    return AuthorityReferralDetailOut.of(queries.authority_referral(db, principal, referral_id,
                                                                    shown_to=actor))


class ReferIn(BaseModel):
    route: str = Field(max_length=30, description=(
        "Who can act on the concern, one referral per route: " + ", ".join(referrals.ROUTES)))
    recipient_name: str = Field(max_length=200, description=(
        "The team or office, and the authority"))
    recipient_address: str = Field(max_length=320, description=(
        "The recipient's secure email address"))
    gateway: str = Field(max_length=30, description=(
        "The legal gateway relied on: " + ", ".join(referrals.GATEWAYS)))
    requested_action: str = Field(max_length=2000, description=(
        "What the recipient is asked to do (10 to 2,000 characters)"))
    verified: list[str] = Field(default_factory=list, max_length=len(referrals.IDENTITY),
                                description=(
        "The identity items verified, of: " + ", ".join(referrals.IDENTITY) +
        " (only items the subject's record holds)"))
    supervisor: str = Field(max_length=120, description=(
        "The username of the supervisor told if it is not acknowledged in time: an active "
        "account with an email address"))


@router.post("/safeguarding/flags/{flag_id}/referrals", status_code=201,
             response_model=AuthorityReferralDetailOut, dependencies=MANAGE,
             responses=_changes(FLAG_404, "The flag is resolved: refer an open flag; nothing "
                                "was sent", created="The referral was made and is in the "
                                "outbox"))
def refer_flag(request: Request, db: DbSession, principal: ApiPrincipal, actor: ApiActor,
               flag_id: uuid.UUID, body: ReferIn) -> JSONResponse:
    """Refer an open flag to one authority: the referral, its message in the outbox (delivered
    by `beaconport outbox send`) and its disclosure in the audit log are written together."""
    queries.one(db, principal, flag_id)  # the flag must be one the person may see
    try:
        made = referrals.make_referral(
            db, actor=actor, flag_id=flag_id, route=body.route,
            recipient_name=body.recipient_name, recipient_address=body.recipient_address,
            gateway=body.gateway, requested_action=body.requested_action,
            verified=set(body.verified), supervisor=body.supervisor)
    except referrals.ReferralProblems as exc:
        raise _problems(exc.problems, "Nothing was sent") from exc
    except Conflict as exc:
        raise ApiProblem(409, "Nothing was sent", str(exc)) from exc
    return _created(request, "get_authority_referral", AuthorityReferralDetailOut.of(
        queries.authority_referral(db, principal, made)), referral_id=str(made))


class AcknowledgementIn(BaseModel):
    response: str = Field(default="", max_length=flags.MAX_TEXT, description=(
        "The recipient's response (at least 10 characters), when they gave one; it can "
        "follow a bare acknowledgement later"))
    action_taken: str = Field(default="", max_length=flags.MAX_TEXT, description=(
        "The action they took (with a response)"))


@router.post("/safeguarding/referrals/{referral_id}/acknowledgement",
             response_model=AuthorityReferralDetailOut, dependencies=MANAGE,
             responses=_changes(REFERRAL_404, "The recipient's response is already recorded; "
                                "nothing was stored"))
def acknowledge(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                referral_id: uuid.UUID,
                body: AcknowledgementIn | None = None) -> AuthorityReferralDetailOut:
    """Record the recipient's acknowledgement (no body, or `{}`), and their response and
    action when given."""
    queries.authority_referral(db, principal, referral_id)
    given = body or AcknowledgementIn()
    try:
        referrals.acknowledge(db, actor=actor, referral_id=referral_id, response=given.response,
                              action_taken=given.action_taken)
    except referrals.ReferralProblems as exc:
        raise _problems(exc.problems, "Not recorded") from exc
    except Conflict as exc:
        raise ApiProblem(409, "Not recorded", str(exc)) from exc
    return AuthorityReferralDetailOut.of(queries.authority_referral(db, principal, referral_id))
