"""Safeguarding flags: the list, one flag and its resolution, and raising one on a referral's
suspect (from any stage: the referral, its review, an action's result)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.review import outcomes, prioritise
from beaconport.safeguarding import flags, queries, referrals
from beaconport.web.forms import form_date
from beaconport.web.templating import render

router = APIRouter()
#: Kinds of access to children the raising form offers at once.
ACCESS_ROWS = 3


@router.get("/safeguarding", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.SAFEGUARDING_READ))])
def flag_list(request: Request, db: DbSession, principal: CurrentPrincipal,
              status: Annotated[str, Query(max_length=10)] = "open",
              page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    chosen = status if status in (flags.OPEN, flags.RESOLVED) else None
    return render(request, "safeguarding/flag_list.html", {
        "found": queries.listed(db, principal, status=chosen, page=page),
        "status": chosen or "all",
        "overdue": queries.authority_referrals(db, principal, overdue=True)})


def _flag_page(request: Request, db: DbSession, principal: Any, flag_id: uuid.UUID,
               status_code: int = 200, **extra: Any) -> HTMLResponse:
    return render(request, "safeguarding/flag.html", {
        "flag": queries.one(db, principal, flag_id), "access_kinds": flags.ACCESS,
        "referrals": queries.authority_referrals(db, principal, flag_id=flag_id),
        "routes": referrals.ROUTES, "gateways": referrals.GATEWAYS,
        "identity": referrals.IDENTITY, **extra}, status_code=status_code)


@router.get("/safeguarding/flags/{flag_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.SAFEGUARDING_READ))])
def flag_page(request: Request, flag_id: uuid.UUID, db: DbSession,
              principal: CurrentPrincipal) -> HTMLResponse:
    return _flag_page(request, db, principal, flag_id)


@router.post("/safeguarding/flags/{flag_id}/resolution", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.SAFEGUARDING_MANAGE))])
def resolve(request: Request, flag_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
            actor: CurrentActor, reason: Annotated[str, Form()] = "") -> Response:
    queries.one(db, principal, flag_id)  # the flag must be one the person may see
    try:
        referral_id = flags.resolve_flag(db, actor=actor, flag_id=flag_id, reason=reason)
    except flags.FlagProblems as exc:
        return _flag_page(request, db, principal, flag_id, status_code=400, reason=reason,
                          errors=[{"text": m, "href": "#reason"} for _, m in exc.problems])
    prioritise.refresh(db, actor=actor, referral_ids=[referral_id], everything=True)
    return RedirectResponse(f"/safeguarding/flags/{flag_id}", status_code=303)


def _raise_page(request: Request, db: DbSession, principal: Any, referral_id: uuid.UUID,
                status_code: int = 200, **extra: Any) -> HTMLResponse:
    return render(request, "safeguarding/raise_flag.html", {
        "referral_id": referral_id, "suspects": outcomes.suspects(db, referral_id),
        "stages": flags.STAGES, "access_kinds": flags.ACCESS, "severities": flags.SEVERITIES,
        "urgencies": flags.URGENCIES, "access_rows": range(1, ACCESS_ROWS + 1),
        "flags": queries.listed(db, principal, status=None,
                                referral_id=referral_id).rows, **extra},
        status_code=status_code)


@router.get("/referrals/{referral_id}/safeguarding-flags", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.SAFEGUARDING_FLAG))])
def raise_form(request: Request, referral_id: uuid.UUID, db: DbSession,
               principal: CurrentPrincipal,
               stage: Annotated[str, Query(max_length=20)] = "review") -> HTMLResponse:
    return _raise_page(request, db, principal, referral_id, sent={"stage": stage})


@router.post("/referrals/{referral_id}/safeguarding-flags", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.SAFEGUARDING_FLAG))])
def raise_submit(
    request: Request, referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, person_ref: Annotated[str, Form()] = "",
    stage: Annotated[str, Form()] = "",
    access_kind: Annotated[list[str] | None, Form()] = None,
    access_detail: Annotated[list[str] | None, Form()] = None,
    last_alleged_on: Annotated[str, Form()] = "", severity: Annotated[str, Form()] = "",
    urgency: Annotated[str, Form()] = "", facts: Annotated[str, Form()] = "",
    assessment: Annotated[str, Form()] = "",
) -> Response:
    kinds, details = access_kind or [], access_detail or []
    rows = [(kinds[i] if i < len(kinds) else "", details[i] if i < len(details) else "")
            for i in range(max(len(kinds), len(details)))]
    given = flags.FlagInput(
        person_ref=person_ref, stage=stage,
        access=tuple(flags.Access(kind, detail) for kind, detail in rows
                     if kind or detail.strip()),
        last_alleged_on=form_date(last_alleged_on), severity=severity, urgency=urgency,
        facts=facts, assessment=assessment)
    problems = ([("last_alleged_on", "Give the date as YYYY-MM-DD.")]
                if last_alleged_on.strip() and given.last_alleged_on is None else [])
    problems += flags.problems_with(db, referral_id, given)
    if problems:
        sent = {"person_ref": person_ref, "stage": stage, "last_alleged_on": last_alleged_on,
                "severity": severity, "urgency": urgency, "facts": facts,
                "assessment": assessment, "access": rows}
        return _raise_page(request, db, principal, referral_id, status_code=400, sent=sent,
                           field_errors=dict(problems),
                           errors=[{"text": m, "href": f"#{f}"} for f, m in problems])
    flag_id = flags.raise_flag(db, actor=actor, referral_id=referral_id, given=given)
    # The case's priority counts open flags on its suspects (and on the same people elsewhere).
    prioritise.refresh(db, actor=actor, referral_ids=[referral_id], everything=True)
    return RedirectResponse(f"/safeguarding/flags/{flag_id}", status_code=303)


@router.post("/safeguarding/flags/{flag_id}/referrals", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.SAFEGUARDING_MANAGE))])
def refer(
    request: Request, flag_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, route: Annotated[str, Form()] = "",
    recipient_name: Annotated[str, Form()] = "", recipient_address: Annotated[str, Form()] = "",
    gateway: Annotated[str, Form()] = "", requested_action: Annotated[str, Form()] = "",
    verified: Annotated[list[str] | None, Form()] = None,
    supervisor: Annotated[str, Form()] = "",
) -> Response:
    queries.one(db, principal, flag_id)  # the flag must be one the person may see
    try:
        made = referrals.make_referral(
            db, actor=actor, flag_id=flag_id, route=route, recipient_name=recipient_name,
            recipient_address=recipient_address, gateway=gateway,
            requested_action=requested_action, verified=set(verified or []),
            supervisor=supervisor)
    except referrals.ReferralProblems as exc:
        return _flag_page(request, db, principal, flag_id, status_code=400,
                          sent={"route": route, "recipient_name": recipient_name,
                                "recipient_address": recipient_address, "gateway": gateway,
                                "requested_action": requested_action,
                                "verified": verified or [], "supervisor": supervisor},
                          field_errors=dict(exc.problems),
                          errors=[{"text": m, "href": f"#{f}"} for f, m in exc.problems])
    return RedirectResponse(f"/safeguarding/referrals/{made}", status_code=303)


def _referral_page(request: Request, db: DbSession, principal: Any, actor: Any,
                   referral_id: uuid.UUID, status_code: int = 200, **extra: Any) -> HTMLResponse:
    return render(request, "safeguarding/authority_referral.html", {
        "referral": queries.authority_referral(db, principal, referral_id, shown_to=actor),
        "gateways": referrals.GATEWAYS, **extra}, status_code=status_code)


@router.get("/safeguarding/referrals/{referral_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.SAFEGUARDING_READ))])
def authority_referral(request: Request, referral_id: uuid.UUID, db: DbSession,
                       principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    return _referral_page(request, db, principal, actor, referral_id)


@router.post("/safeguarding/referrals/{referral_id}/acknowledgement",
             response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.SAFEGUARDING_MANAGE))])
def acknowledge(
    request: Request, referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, response: Annotated[str, Form()] = "",
    action_taken: Annotated[str, Form()] = "",
) -> Response:
    queries.authority_referral(db, principal, referral_id)
    try:
        referrals.acknowledge(db, actor=actor, referral_id=referral_id, response=response,
                              action_taken=action_taken)
    except referrals.ReferralProblems as exc:
        return _referral_page(request, db, principal, actor, referral_id, status_code=400,
                              sent={"response": response, "action_taken": action_taken},
                              errors=[{"text": m, "href": "#response"}
                                      for _, m in exc.problems])
    return RedirectResponse(f"/safeguarding/referrals/{referral_id}", status_code=303)
