"""The statistics dashboard: today's figures as charts, suppressed at the internal threshold."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from beaconport.auth.permissions import Permission
from beaconport.deps import DbSession, require
from beaconport.stats import dashboard, disclosure
from beaconport.web.templating import render

router = APIRouter()


@router.get("/statistics", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.STATS_READ))])
def statistics(request: Request, db: DbSession) -> HTMLResponse:
    return render(request, "statistics/dashboard.html", {
        "board": dashboard.build(db), "threshold": disclosure.INTERNAL})
