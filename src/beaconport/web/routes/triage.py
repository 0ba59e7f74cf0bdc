"""The triage queue: eligible cases waiting for a reviewer, highest priority first, and each
case's priority with its breakdown."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentPrincipal, DbSession, require
from beaconport.errors import NotFound
from beaconport.referrals import browse
from beaconport.review import queries
from beaconport.review.weights import FACTORS
from beaconport.web.templating import render

router = APIRouter(dependencies=[Depends(require(Permission.TRIAGE_READ))])


@router.get("/triage", response_class=HTMLResponse)
def triage_queue(request: Request, db: DbSession, principal: CurrentPrincipal,
                 filters: Annotated[queries.QueueFilter, Query()]) -> HTMLResponse:
    return render(request, "review/triage_queue.html", {
        "queue": queries.queue(db, principal, filters), "filters": filters,
        "forces": browse.force_choices(db, principal), "factors": FACTORS,
        "weights": queries.current_weights(db).version})


@router.get("/triage/{referral_id}", response_class=HTMLResponse)
def triage_priority(request: Request, referral_id: uuid.UUID, db: DbSession,
                    principal: CurrentPrincipal) -> HTMLResponse:
    priority = queries.priority_of(db, principal, referral_id)
    if priority is None:
        raise NotFound("This case is not in the triage queue, or you do not have access to it.")
    return render(request, "review/triage_priority.html", {"priority": priority})
