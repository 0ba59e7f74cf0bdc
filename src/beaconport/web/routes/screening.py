"""The screening queue: screened referrals to work through, by decision, force, rape and flags."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentPrincipal, DbSession, require
from beaconport.referrals import browse
from beaconport.screening.queue import QueueFilter, list_queue
from beaconport.screening.rules import CRITERION_LABELS
from beaconport.web.templating import render

router = APIRouter()


@router.get("/screening", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_LIST))])
def screening_queue(request: Request, db: DbSession, principal: CurrentPrincipal,
                    filters: Annotated[QueueFilter, Query()]) -> HTMLResponse:
    return render(request, "screening/screening_queue.html", {
        "queue": list_queue(db, principal, filters), "filters": filters,
        "forces": browse.force_choices(db, principal), "criteria": CRITERION_LABELS})
