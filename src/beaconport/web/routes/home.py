"""The home page: headline figures over the referrals the person may see."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import can
from beaconport.deps import CurrentPrincipal, DbSession, any_signed_in, public
from beaconport.referrals import browse
from beaconport.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(any_signed_in)])
def home(request: Request, db: DbSession, principal: CurrentPrincipal) -> HTMLResponse:
    figures = browse.headlines(db, principal) if can(principal, Permission.STATS_READ) else None
    return render(request, "home.html", {"figures": figures})


@router.get("/health", dependencies=[Depends(public)])
def health(db: DbSession) -> dict[str, str]:
    """For load balancers and monitoring: the app runs and its database answers."""
    db.connection()
    return {"status": "ok"}

