"""The structured review: the allocated reviewer starts it from the case's allocation page, then
records a finding per check item; each item saves on its own (the page autosaves as the reviewer
types), and a save made from an older revision is refused with the reviewer's text kept."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import can
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, Forbidden, require
from beaconport.errors import InvalidRequest
from beaconport.review import blind, conduct, instrument, states, workload
from beaconport.web.forms import form_int
from beaconport.web.templating import render

router = APIRouter(dependencies=[Depends(require(Permission.TRIAGE_READ))])


@router.post("/cases/{referral_id}/review", response_class=HTMLResponse)
def start_review(referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
                 actor: CurrentActor) -> Response:
    review_id = conduct.start(db, principal=principal, actor=actor, referral_id=referral_id)
    return RedirectResponse(f"/reviews/{review_id}", status_code=303)


def _page(request: Request, db: DbSession, principal: Any, review_id: uuid.UUID,
          status_code: int = 200, **extra: Any) -> HTMLResponse:
    return render(request, "review/review_sheet.html", {
        "sheet": conduct.sheet(db, principal, review_id), "assessments": instrument.ASSESSMENTS,
        "achievable": instrument.ACHIEVABLE, "impacts": instrument.IMPACTS,
        "error_types": instrument.ERROR_TYPES, "bases": instrument.BASES, **extra},
        status_code=status_code)


def _list_page(request: Request, db: DbSession, principal: Any, status_code: int = 200,
               **extra: Any) -> HTMLResponse:
    supervisor = can(principal, Permission.REVIEW_ALLOCATE)
    return render(request, "review/review_list.html", {
        "mine": conduct.listed(db, reviewer_id=principal.id),
        "waiting": conduct.listed(db, status=states.SUBMITTED, kind=blind.PRIMARY)
        if can(principal, Permission.REVIEW_SIGN_OFF) else None,
        "drawn": blind.waiting_for_second(db) if supervisor else None,
        "reviewers": [r.username for r in workload.reviewers(db) if r.reviewing_role]
        if supervisor else [],
        "sample": blind.sample_rule(db), **extra}, status_code=status_code)


@router.get("/reviews", response_class=HTMLResponse)
def review_list(request: Request, db: DbSession, principal: CurrentPrincipal) -> HTMLResponse:
    return _list_page(request, db, principal)


@router.post("/reviews/blind-sample", response_class=HTMLResponse)
def blind_sample_submit(
    request: Request, db: DbSession, principal: CurrentPrincipal, actor: CurrentActor,
    percent: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
) -> Response:
    if not can(principal, Permission.REVIEW_ALLOCATE):
        raise Forbidden("Only supervisors set the blind second-review sample.")
    try:
        share = form_int(percent)
        if share is None:
            raise InvalidRequest("Give the share as a whole percentage from 0 to 100.")
        blind.set_sample(db, actor=actor, percent=share, note=note)
    except InvalidRequest as exc:
        return _list_page(request, db, principal, status_code=400,
                          sent={"percent": percent, "note": note},
                          errors=[{"text": str(exc), "href": "#percent"}])
    return RedirectResponse("/reviews", status_code=303)


@router.post("/reviews/{review_id}/blind/assign", response_class=HTMLResponse)
def blind_assign(
    request: Request, review_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, username: Annotated[str, Form()] = "",
) -> Response:
    if not can(principal, Permission.REVIEW_ALLOCATE):
        raise Forbidden("Only supervisors give a review its blind second reviewer.")
    try:
        blind.assign(db, actor=actor, review_id=review_id, username=username)
    except InvalidRequest as exc:
        return _list_page(request, db, principal, status_code=400,
                          errors=[{"text": str(exc), "href": f"#assign-{review_id}"}])
    return RedirectResponse("/reviews", status_code=303)


def _comparison_page(request: Request, db: DbSession, principal: Any, review_id: uuid.UUID,
                     status_code: int = 200, **extra: Any) -> HTMLResponse:
    return render(request, "review/blind_comparison.html", {
        "found": blind.comparison(db, principal, review_id),
        "assessments": instrument.ASSESSMENTS, "achievable": instrument.ACHIEVABLE,
        "impacts": instrument.IMPACTS, "error_types": instrument.ERROR_TYPES, **extra},
        status_code=status_code)


@router.get("/reviews/{review_id}/blind", response_class=HTMLResponse)
def blind_comparison(request: Request, review_id: uuid.UUID, db: DbSession,
                     principal: CurrentPrincipal) -> HTMLResponse:
    return _comparison_page(request, db, principal, review_id)


@router.post("/reviews/{review_id}/blind/{disagreement_id}", response_class=HTMLResponse)
def blind_resolve(
    request: Request, review_id: uuid.UUID, disagreement_id: uuid.UUID, db: DbSession,
    principal: CurrentPrincipal, actor: CurrentActor,
    resolution: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
) -> Response:
    try:
        blind.resolve(db, principal=principal, actor=actor, disagreement_id=disagreement_id,
                      resolution=resolution, note=note)
    except InvalidRequest as exc:
        return _comparison_page(request, db, principal, review_id, status_code=400,
                                sent={"id": str(disagreement_id), "note": note},
                                errors=[{"text": str(exc),
                                         "href": f"#resolve-{disagreement_id}"}])
    return RedirectResponse(f"/reviews/{review_id}/blind", status_code=303)


@router.post("/reviews/{review_id}/status", response_class=HTMLResponse)
def review_status_submit(
    request: Request, review_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, action: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
) -> Response:
    try:
        if action == "submit":
            conduct.submit(db, principal=principal, actor=actor, review_id=review_id)
        elif action in ("sign-off", "return"):
            conduct.quality_assure(db, principal=principal, actor=actor, review_id=review_id,
                                   sign_off=action == "sign-off", note=note)
        else:
            raise InvalidRequest("Choose what to do with the review.")
    except InvalidRequest as exc:
        return _page(request, db, principal, review_id, status_code=400, qa_note=note,
                     errors=[{"text": str(exc), "href": "#status"}])
    return RedirectResponse(f"/reviews/{review_id}", status_code=303)


@router.get("/reviews/{review_id}", response_class=HTMLResponse)
def review_sheet(request: Request, review_id: uuid.UUID, db: DbSession,
                 principal: CurrentPrincipal) -> HTMLResponse:
    return _page(request, db, principal, review_id)


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


@router.post("/reviews/{review_id}/items/{item}", response_class=HTMLResponse)
def save_item(
    request: Request, review_id: uuid.UUID, item: str, db: DbSession,
    principal: CurrentPrincipal, actor: CurrentActor,
    revision: Annotated[str, Form()] = "0", assessment: Annotated[str, Form()] = "",
    basis: Annotated[str, Form()] = "", notes: Annotated[str, Form()] = "",
    evidence: Annotated[str, Form()] = "", achievable: Annotated[str, Form()] = "",
    impact: Annotated[str, Form()] = "", error_type: Annotated[str, Form()] = "",
) -> Response:
    finding = instrument.FindingInput(
        assessment=assessment, basis=basis, notes=notes.strip(),
        evidence=tuple(e.strip() for e in evidence.split(";") if e.strip()),
        achievable=achievable or None, impact=impact or None, error_type=error_type or None)
    sent = {"item": item, "revision": revision, **instrument.as_json(finding),
            "evidence": evidence}
    try:
        saved = conduct.save_finding(db, principal=principal, actor=actor, review_id=review_id,
                                     item=item, revision=form_int(revision, -1), finding=finding)
    except conduct.StaleFinding as exc:
        if _wants_json(request):
            return JSONResponse({"status": 409, "title": "Saved by someone else",
                                 "detail": str(exc), "revision": exc.saved.revision}, 409)
        return _page(request, db, principal, review_id, status_code=409, sent=sent,
                     errors=[{"text": str(exc), "href": f"#item-{item}"}])
    except conduct.FindingProblems as exc:
        if _wants_json(request):
            return JSONResponse({"status": 422, "title": "Not saved yet",
                                 "detail": str(exc),
                                 "problems": [{"field": f, "message": m}
                                              for f, m in exc.problems]}, 422)
        return _page(request, db, principal, review_id, status_code=400, sent=sent,
                     field_errors=dict(exc.problems),
                     errors=[{"text": f"Item {item}: {m}", "href": f"#{item}-{f}"}
                             for f, m in exc.problems])
    except InvalidRequest as exc:
        if _wants_json(request):
            return JSONResponse({"status": 400, "title": "Not saved", "detail": str(exc)}, 400)
        raise
    if _wants_json(request):
        return JSONResponse({"item": saved.item, "revision": saved.revision,
                             "saved_at": saved.saved_at.isoformat(), "saved_by": saved.saved_by})
    return RedirectResponse(f"/reviews/{review_id}#item-{item}", status_code=303)
