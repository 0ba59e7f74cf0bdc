"""The screening queue: screened referrals to work through, by decision, force, rape and flags."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import Conflict, InvalidRequest
from beaconport.referrals import browse
from beaconport.review import prioritise
from beaconport.screening import answers, duplicates, overrides, requests
from beaconport.screening.queue import QueueFilter, list_queue
from beaconport.screening.rules import CRITERION_LABELS
from beaconport.web.forms import form_fields, form_int
from beaconport.web.templating import field_id, render

router = APIRouter()


@router.get("/screening", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_LIST))])
def screening_queue(request: Request, db: DbSession, principal: CurrentPrincipal,
                    filters: Annotated[QueueFilter, Query()]) -> HTMLResponse:
    return render(request, "screening/screening_queue.html", {
        "queue": list_queue(db, principal, filters), "filters": filters,
        "forces": browse.force_choices(db, principal), "criteria": CRITERION_LABELS})


@router.get("/screening/duplicates", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_READ))])
def duplicate_list(request: Request, db: DbSession, principal: CurrentPrincipal,
                   done: bool = False) -> HTMLResponse:
    return render(request, "screening/duplicate_list.html",
                  {"pairs": duplicates.list_duplicates(db, principal), "done": done})


@router.post("/screening/duplicates/{pair_id}", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.DUPLICATE_DECIDE))])
def duplicate_decision_submit(
    request: Request, pair_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        duplicates.decide_duplicate(db, principal=principal, actor=actor, pair_id=pair_id,
                                    decision=decision, reason=reason)
    except InvalidRequest as exc:
        return render(request, "screening/duplicate_list.html", {
            "pairs": duplicates.list_duplicates(db, principal),
            "errors": [{"text": str(exc), "href": f"#reason-{pair_id}"}]}, status_code=400)
    return RedirectResponse("/screening/duplicates?done=true", status_code=303)


@router.post("/referrals/{referral_id}/screening-override", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.SCREENING_OVERRIDE))])
def screening_override_submit(
    referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal, actor: CurrentActor,
    decision: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
) -> Response:
    overrides.request_override(db, principal=principal, actor=actor, referral_id=referral_id,
                               decision=decision, reason=reason)
    return RedirectResponse(f"/referrals/{referral_id}#screening", status_code=303)


@router.post("/screening/overrides/{override_id}", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.SCREENING_APPROVE))])
def screening_override_decision_submit(
    override_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal, actor: CurrentActor,
    answer: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
    referral_id: Annotated[str, Form()] = "",
) -> Response:
    decided = overrides.decide_override(db, principal=principal, actor=actor,
                                        override_id=override_id, approve=answer == "approve",
                                        note=note)
    prioritise.refresh(db, actor=actor, referral_ids=[decided])
    return RedirectResponse(f"/referrals/{referral_id}#screening" if referral_id else "/screening",
                            status_code=303)


@router.get("/information-requests", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_LIST))])
def information_requests(request: Request, db: DbSession,
                         principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "screening/information_requests.html",
                  {"requests": requests.open_requests(db, principal)})


@router.get("/information-requests/{request_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_SUBMIT))])
def information_request_form(request: Request, request_id: uuid.UUID, db: DbSession,
                             principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "screening/information_answer.html",
                  {"asked": answers.questions_for(db, principal, request_id), "values": {}})


@router.post("/information-requests/{request_id}", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.REFERRAL_SUBMIT))])
def information_request_answer(
    request: Request, request_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, fields: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    sent = {k: v for k, v in fields.items() if k != "version"}
    version = fields.get("version", "")
    try:
        answered = answers.answer_request(
            db, principal=principal, actor=actor, request_id=request_id,
            version=form_int(version, -1), answers=sent)
        prioritise.refresh(db, actor=actor, referral_ids=[answered.referral_id])
    except (answers.AnswerProblems, Conflict) as exc:
        problems = exc.problems if isinstance(exc, answers.AnswerProblems) else [("", str(exc))]
        return render(request, "screening/information_answer.html", {
            "asked": answers.questions_for(db, principal, request_id), "values": sent,
            "field_errors": {key: message for key, message in problems if key},
            "errors": [{"text": message, "href": f"#{field_id(key)}" if key else "#answers"}
                       for key, message in problems]}, status_code=400)
    return render(request, "screening/information_answered.html", {"answered": answered})


@router.get("/screening/overrides", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.SCREENING_APPROVE))])
def override_approvals(request: Request, db: DbSession,
                       principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "screening/override_approvals.html",
                  {"pending": overrides.pending_overrides(db, principal)})
