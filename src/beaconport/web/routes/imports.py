"""Uploading a file of referrals, the result of an import, and the quarantine."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import forces_for
from beaconport.db import session_scope
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import InvalidRequest
from beaconport.referrals import batches, consult, quarantine
from beaconport.referrals.uploads import import_upload
from beaconport.review import intake
from beaconport.web.justification import Asking, ask, given, receive
from beaconport.web.templating import render

router = APIRouter()
SUBMIT = [Depends(require(Permission.REFERRAL_SUBMIT))]
QUARANTINE = [Depends(require(Permission.REJECTED_READ))]


@router.get("/imports/new", response_class=HTMLResponse, dependencies=SUBMIT)
def upload_form(request: Request) -> HTMLResponse:
    return render(request, "imports/upload_form.html")


@router.post("/imports", response_class=HTMLResponse, dependencies=SUBMIT)
def upload_submit(
    request: Request, actor: CurrentActor, principal: CurrentPrincipal,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    # No request transaction here: the import commits chunk by chunk in its own transactions.
    try:
        outcome = import_upload(
            (file.filename or "") if file else "", file.file if file else None, actor=actor,
            unit_of_work=session_scope,
            permitted_forces=forces_for(principal, Permission.REFERRAL_SUBMIT),
            after_chunk=intake.after_store(actor))
    except InvalidRequest as exc:
        return render(request, "imports/upload_form.html",
                      {"errors": [{"text": str(exc), "href": "#file"}]}, status_code=400)
    return RedirectResponse(f"/imports/{outcome.batch_id}", status_code=303)


@router.get("/imports/{batch_id}", response_class=HTMLResponse, dependencies=SUBMIT)
def import_result(request: Request, batch_id: uuid.UUID, db: DbSession,
                  principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "imports/import_result.html",
                  {"batch": batches.import_batch(db, principal, batch_id)})


@router.get("/rejected", response_class=HTMLResponse, dependencies=QUARANTINE)
def rejected_list(request: Request, db: DbSession, principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "imports/rejected_list.html",
                  {"rejected": batches.list_open_rejected(db, principal)})


def _asking(rejected_id: uuid.UUID) -> Asking:
    return Asking(f"rejected:{rejected_id}", f"/rejected/{rejected_id}",
                  "Why do you need to see this referral exactly as it was sent?")


@router.get("/rejected/{rejected_id}", response_class=HTMLResponse, dependencies=QUARANTINE)
def rejected_detail(request: Request, rejected_id: uuid.UUID, db: DbSession,
                    principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    justification = given(request, db, _asking(rejected_id))
    view = consult.view_rejected(db, principal=principal, actor=actor, rejected_id=rejected_id,
                                 justification=justification)
    return render(request, "imports/rejected_detail.html", {"view": view})


@router.get("/rejected/{rejected_id}/justification", response_class=HTMLResponse,
            dependencies=QUARANTINE)
def rejected_justification_form(request: Request, rejected_id: uuid.UUID) -> HTMLResponse:
    return ask(request, _asking(rejected_id))


@router.post("/rejected/{rejected_id}/justification", response_class=HTMLResponse,
             dependencies=QUARANTINE)
def rejected_justification_submit(
    request: Request, rejected_id: uuid.UUID, db: DbSession,
    reason: Annotated[str, Form()] = "", explanation: Annotated[str, Form()] = "",
) -> Response:
    return receive(request, db, _asking(rejected_id), reason=reason, explanation=explanation)



@router.post("/rejected/{rejected_id}/discard", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.REJECTED_DISCARD))])
def rejected_discard_submit(request: Request, rejected_id: uuid.UUID, db: DbSession,
                            principal: CurrentPrincipal, actor: CurrentActor,
                            reason: Annotated[str, Form()] = "") -> Response:
    if len(reason.strip()) < 10:
        view = consult.view_rejected(db, principal=principal, actor=actor,
                                     rejected_id=rejected_id)
        return render(request, "imports/rejected_detail.html", {
            "view": view, "reason": reason,
            "errors": [{"text": "Say in at least 10 characters why it is being discarded",
                        "href": "#reason"}]}, status_code=400)
    quarantine.discard_visible(db, principal=principal, actor=actor, rejected_id=rejected_id,
                               reason=reason)
    return RedirectResponse("/rejected", status_code=303)
