"""A person record, the justification asked for before a complainant's record is shown, and
the clerical review of linkage (pairs of records a person decides)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import InvalidRequest
from beaconport.people import review
from beaconport.referrals import consult
from beaconport.web.justification import Asking, ask, given, receive
from beaconport.web.templating import render

router = APIRouter(prefix="/people")


def _asking(record_id: uuid.UUID) -> Asking:
    return Asking(str(record_id), f"/people/records/{record_id}",
                  "Why do you need to see this complainant’s record?")


@router.get("/records/{record_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_READ))])
def person_record(request: Request, record_id: uuid.UUID, db: DbSession,
                  principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    justification = given(request, db, _asking(record_id))
    try:
        record = consult.view_person_record(db, principal=principal, actor=actor,
                                            record_id=record_id, justification=justification)
    except consult.JustificationRequired:
        return ask(request, _asking(record_id))
    return render(request, "people/person_record.html",
                  {"record": record, "justification": justification})


@router.post("/records/{record_id}/justification", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.COMPLAINANT_READ))])
def person_record_justification(
    request: Request, record_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    reason: Annotated[str, Form()] = "", explanation: Annotated[str, Form()] = "",
) -> Response:
    return receive(request, db, _asking(record_id), reason=reason, explanation=explanation)


@router.get("/review", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_LINK))])
def link_review(request: Request, db: DbSession, principal: CurrentPrincipal,
                actor: CurrentActor, done: str = "") -> HTMLResponse:
    return render(request, "people/link_review.html", {
        "pairs": review.queue(db, principal, actor), "done": done,
        "decisions": review.DECISIONS, "values": {}})


@router.post("/review/{pair_id}", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.PERSON_LINK))])
def link_review_decide(
    request: Request, pair_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, decision: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        decided = review.decide(db, principal=principal, actor=actor, pair_id=pair_id,
                                decision=decision, reason=reason)
    except InvalidRequest as exc:
        return render(request, "people/link_review.html", {
            "pairs": review.queue(db, principal, actor), "decisions": review.DECISIONS,
            "values": {"pair": str(pair_id), "decision": decision, "reason": reason},
            "errors": [{"text": str(exc), "href": f"#reason-{pair_id}"}]}, status_code=400)
    return RedirectResponse(f"/people/review?done={decided.change or decided.decision}",
                            status_code=303)
