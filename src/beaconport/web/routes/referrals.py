"""Referrals: the filtered list, one referral, and its audit trail."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.referrals import browse, consult, states
from beaconport.referrals.schemas import ReferralFilter
from beaconport.screening import overrides
from beaconport.screening import queries as screening
from beaconport.screening.rules import CRITERION_LABELS
from beaconport.web.templating import render

router = APIRouter(prefix="/referrals")


@router.get("", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_LIST))])
def referral_list(request: Request, db: DbSession, principal: CurrentPrincipal,
                  filters: Annotated[ReferralFilter, Query()]) -> HTMLResponse:
    page = browse.list_referrals(db, principal, filters)
    template = "referrals/_results.html" if request.headers.get("hx-request") else (
        "referrals/referral_list.html")
    return render(request, template, {
        "page": page, "filters": filters, "forces": browse.force_choices(db, principal),
        "statuses": states.STATUS_LABELS})


@router.get("/{referral_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.REFERRAL_READ))])
def referral_detail(request: Request, referral_id: uuid.UUID, db: DbSession,
                    principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    detail = consult.view_referral(db, principal=principal, actor=actor, referral_id=referral_id)
    return render(request, "referrals/referral_detail.html", {
        "referral": detail, "screening": screening.current_decision(db, referral_id),
        "criteria": CRITERION_LABELS, "overrides": overrides.overrides_of(db, referral_id)})


@router.get("/{referral_id}/audit-trail", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.AUDIT_READ))])
def referral_audit_trail(request: Request, referral_id: uuid.UUID, db: DbSession,
                         principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    summary, entries = consult.view_audit_trail(db, principal=principal, actor=actor,
                                                referral_id=referral_id)
    return render(request, "referrals/referral_audit_trail.html",
                  {"summary": summary, "entries": entries})
