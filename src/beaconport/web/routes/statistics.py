"""The statistics dashboard: today's figures as charts, suppressed by role (the national team
at the internal threshold, a force's own grant as published); the per-force chart only for roles
allowed it (a force-scoped grant: its own force)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import scope
from beaconport.deps import CurrentPrincipal, DbSession, require
from beaconport.stats import dashboard
from beaconport.web.templating import render

router = APIRouter()


@router.get("/statistics", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.STATS_READ))])
def statistics(request: Request, db: DbSession, principal: CurrentPrincipal) -> HTMLResponse:
    board = dashboard.build(
        db, dashboard.threshold_for(scope(principal, Permission.STATS_READ).everywhere))
    reach = scope(principal, Permission.STATS_BY_FORCE)
    forces = None if reach.nowhere else board.by_force(
        None if reach.everywhere else reach.forces)
    return render(request, "statistics/dashboard.html", {"board": board, "by_force": forces})
