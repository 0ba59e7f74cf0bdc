"""A person record, and the justification asked for before a complainant's record is shown."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth import service as auth
from beaconport.auth.permissions import Permission
from beaconport.deps import SESSION_COOKIE, CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.referrals import consult
from beaconport.web.forms import JUSTIFICATION_REASONS, JustificationForm, parse_form
from beaconport.web.templating import render

router = APIRouter(prefix="/people")


def _asking(record_id: uuid.UUID, form: dict[str, str],
            errors: list[dict[str, str]] | None = None) -> dict[str, object]:
    return {"action": f"/people/records/{record_id}/justification", "form": form,
            "question": "Why do you need to see this complainant’s record?",
            "reasons": JUSTIFICATION_REASONS, "errors": errors or []}


@router.get("/records/{record_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_READ))])
def person_record(request: Request, record_id: uuid.UUID, db: DbSession,
                  principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    justification = auth.justification_for(
        db, token=request.cookies.get(SESSION_COOKIE, ""), record_key=str(record_id))
    try:
        record = consult.view_person_record(db, principal=principal, actor=actor,
                                            record_id=record_id, justification=justification)
    except consult.JustificationRequired:
        return render(request, "justification.html", _asking(record_id, {}))
    return render(request, "people/person_record.html",
                  {"record": record, "justification": justification})


@router.post("/records/{record_id}/justification", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.COMPLAINANT_READ))])
def person_record_justification(
    request: Request, record_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    reason: Annotated[str, Form()] = "", explanation: Annotated[str, Form()] = "",
) -> Response:
    form, errors = parse_form(JustificationForm, {"reason": reason, "explanation": explanation})
    if form is None:
        return render(request, "justification.html", _asking(
            record_id, {"reason": reason, "explanation": explanation}, errors), status_code=400)
    auth.remember_justification(db, token=request.cookies.get(SESSION_COOKIE, ""),
                                record_key=str(record_id), justification=form.text())
    return RedirectResponse(f"/people/records/{record_id}", status_code=303)
