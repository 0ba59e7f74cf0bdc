"""A case's story on one timeline, and its outcomes ledger: what became of each suspect."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.review import outcomes, timeline
from beaconport.victims import queries as victim_queries
from beaconport.victims import support_states as ss
from beaconport.web.forms import form_date
from beaconport.web.templating import render

router = APIRouter()


def _page(request: Request, db: DbSession, referral_id: uuid.UUID, status_code: int = 200,
          **extra: Any) -> HTMLResponse:
    return render(request, "review/outcomes.html", {
        "referral_id": referral_id, "suspects": outcomes.suspects(db, referral_id),
        "ledger": outcomes.ledger(db, referral_id), "events": outcomes.EVENTS, **extra},
        status_code=status_code)


@router.get("/cases/{referral_id}/outcomes", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.TRIAGE_READ))])
def outcomes_page(request: Request, referral_id: uuid.UUID, db: DbSession) -> HTMLResponse:
    return _page(request, db, referral_id)


@router.post("/cases/{referral_id}/outcomes", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.OUTCOME_RECORD))])
def outcome_submit(
    request: Request, referral_id: uuid.UUID, db: DbSession, actor: CurrentActor,
    person_ref: Annotated[str, Form()] = "", event: Annotated[str, Form()] = "",
    occurred_on: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
) -> Response:
    on = form_date(occurred_on)
    try:
        outcomes.record(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                        event=event, occurred_on=on, note=note)
    except outcomes.OutcomeProblems as exc:
        return _page(request, db, referral_id, status_code=400,
                     sent={"person_ref": person_ref, "event": event,
                           "occurred_on": occurred_on, "note": note},
                     field_errors=dict(exc.problems),
                     errors=[{"text": m, "href": f"#{f}"} for f, m in exc.problems])
    return RedirectResponse(f"/cases/{referral_id}/outcomes", status_code=303)


@router.get("/cases/{referral_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.TRIAGE_READ))])
def case_story(request: Request, referral_id: uuid.UUID, db: DbSession,
               principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "review/case_story.html", {
        "referral_id": referral_id, "moments": timeline.story(db, principal, referral_id),
        "case": victim_queries.case_support(db, referral_id), "support_states": ss.LABELS})
