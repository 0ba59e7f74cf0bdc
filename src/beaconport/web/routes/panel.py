"""The panel: its decision on a case whose review is signed off, and the case's decision log."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import InvalidRequest
from beaconport.review import conduct, panel
from beaconport.web.templating import render

router = APIRouter()


def _page(request: Request, db: DbSession, principal: Any, referral_id: uuid.UUID,
          status_code: int = 200, **extra: Any) -> HTMLResponse:
    review_id = conduct.review_of(db, referral_id)
    return render(request, "review/panel.html", {
        "referral_id": referral_id, "log": panel.decision_log(db, referral_id),
        "review": conduct.sheet(db, principal, review_id) if review_id else None,
        "outcomes": panel.OUTCOMES, **extra}, status_code=status_code)


@router.get("/cases/{referral_id}/panel", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.TRIAGE_READ))])
def panel_page(request: Request, referral_id: uuid.UUID, db: DbSession,
               principal: CurrentPrincipal) -> HTMLResponse:
    return _page(request, db, principal, referral_id)


@router.post("/cases/{referral_id}/panel", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.PANEL_DECIDE))])
def panel_submit(
    request: Request, referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, outcome: Annotated[str, Form()] = "",
    considered: Annotated[list[str] | None, Form()] = None,
    rationale: Annotated[str, Form()] = "", members: Annotated[str, Form()] = "",
) -> Response:
    try:
        panel.decide(db, actor=actor, referral_id=referral_id, outcome=outcome,
                     options_considered=considered or [], rationale=rationale,
                     members=members.replace(",", " ").split())
    except panel.PanelProblems as exc:
        return _page(request, db, principal, referral_id, status_code=400,
                     sent={"outcome": outcome, "considered": considered or [],
                           "rationale": rationale, "members": members},
                     field_errors=dict(exc.problems),
                     errors=[{"text": m, "href": f"#{f}"} for f, m in exc.problems])
    except InvalidRequest as exc:
        return _page(request, db, principal, referral_id, status_code=400,
                     errors=[{"text": str(exc), "href": "#outcome"}])
    return RedirectResponse(f"/cases/{referral_id}/panel", status_code=303)
