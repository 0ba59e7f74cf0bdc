"""Allocation: who may take a case and why not, allocating and reallocating with a reason,
declared conflicts of interest, every reviewer's workload and their profiles."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport import clock
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import InvalidRequest
from beaconport.review import allocation, conduct, eligibility, workload
from beaconport.web.forms import form_fields, form_int
from beaconport.web.templating import render

router = APIRouter()
ALLOCATE = [Depends(require(Permission.REVIEW_ALLOCATE))]
MANAGE = [Depends(require(Permission.REVIEWER_MANAGE))]


def _case_page(request: Request, db: DbSession, principal: Principal, referral_id: uuid.UUID,
               status_code: int = 200, **extra: Any) -> HTMLResponse:
    entries = workload.history(db, referral_id)
    current = next((e.reviewer for e in entries if e.current), None)
    the_case, candidates = workload.candidates(db, referral_id, clock.today(), current=current)
    return render(request, "review/case_allocation.html", {
        "referral_id": referral_id, "history": entries, "current": current, "case": the_case,
        "candidates": candidates, "needed": [eligibility.SKILLS[s] for s in
                                             eligibility.needed_skills(the_case)],
        "kinds": allocation.CONFLICT_KINDS, "review_id": conduct.review_of(db, referral_id),
        "mine": current == principal.name, **extra}, status_code=status_code)


@router.get("/cases/{referral_id}/allocation", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.TRIAGE_READ))])
def case_allocation(request: Request, referral_id: uuid.UUID, db: DbSession,
                    principal: CurrentPrincipal) -> HTMLResponse:
    return _case_page(request, db, principal, referral_id)


@router.post("/cases/{referral_id}/allocation", response_class=HTMLResponse,
             dependencies=ALLOCATE)
def case_allocation_submit(
    request: Request, referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, action: Annotated[str, Form()] = "",
    reviewer: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        if action == "allocate":
            allocation.allocate(db, actor=actor, referral_id=referral_id, username=reviewer)
        elif action == "reallocate":
            allocation.reallocate(db, actor=actor, referral_id=referral_id, username=reviewer,
                                  reason=reason)
        elif action == "return":
            allocation.return_to_queue(db, actor=actor, referral_id=referral_id, reason=reason)
        else:
            raise InvalidRequest("Choose what to do with the case.")
    except InvalidRequest as exc:
        return _case_page(request, db, principal, referral_id, status_code=400,
                          errors=[{"text": str(exc), "href": "#reviewer"}],
                          sent={"reviewer": reviewer, "reason": reason, "action": action})
    return RedirectResponse(f"/cases/{referral_id}/allocation", status_code=303)


@router.post("/cases/{referral_id}/conflicts", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.TRIAGE_READ))])
def conflict_submit(
    request: Request, referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, reviewer: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "", detail: Annotated[str, Form()] = "",
) -> Response:
    try:
        allocation.declare_conflict(db, principal=principal, actor=actor,
                                    username=reviewer or principal.name,
                                    referral_id=referral_id, kind=kind, detail=detail)
    except InvalidRequest as exc:
        return _case_page(request, db, principal, referral_id, status_code=400,
                          errors=[{"text": str(exc), "href": "#conflict-kind"}],
                          conflict={"kind": kind, "detail": detail, "reviewer": reviewer})
    return RedirectResponse(f"/cases/{referral_id}/allocation", status_code=303)


@router.get("/reviewers", response_class=HTMLResponse, dependencies=ALLOCATE)
def reviewers_workload(request: Request, db: DbSession) -> HTMLResponse:
    return render(request, "review/workload.html", {"loads": workload.workload(db),
                                                    "today": clock.today()})


def _profile_page(request: Request, db: DbSession, username: str, status_code: int = 200,
                  **extra: Any) -> HTMLResponse:
    found = workload.reviewers(db, username)
    return render(request, "review/reviewer_profile.html", {
        "username": username, "reviewer": found[0] if found else None,
        "skills": eligibility.SKILLS, "levels": eligibility.VETTING_LEVELS, **extra},
        status_code=status_code)


@router.get("/reviewers/{username}", response_class=HTMLResponse, dependencies=MANAGE)
def reviewer_profile(request: Request, username: str, db: DbSession) -> HTMLResponse:
    return _profile_page(request, db, username)


@router.post("/reviewers/{username}", response_class=HTMLResponse, dependencies=MANAGE)
def reviewer_profile_submit(
    request: Request, username: str, db: DbSession, actor: CurrentActor,
    fields: Annotated[dict[str, str], Depends(form_fields)],
    skills: Annotated[list[str] | None, Form()] = None,
) -> Response:
    capacity = fields.get("capacity", "").strip()
    expires = fields.get("vetting_expires_on", "").strip()
    try:
        on = date.fromisoformat(expires) if expires else None
    except ValueError:
        on = None
    try:
        if expires and on is None:
            raise allocation.ProfileProblems([("vetting_expires_on", "Give the date as "
                                               "YYYY-MM-DD, for example 2028-03-31.")])
        allocation.set_profile(
            db, actor=actor, username=username,
            capacity=form_int(capacity, 0), skills=skills or [],
            vetting=fields.get("vetting", ""), vetting_expires_on=on,
            served_forces=fields.get("served_forces", "").replace(",", " ").split())
    except allocation.ProfileProblems as exc:
        return _profile_page(request, db, username, status_code=400, sent=fields,
                             sent_skills=skills or [],
                             field_errors=dict(exc.problems),
                             errors=[{"text": m, "href": f"#{f}"} for f, m in exc.problems])
    return RedirectResponse("/reviewers", status_code=303)
