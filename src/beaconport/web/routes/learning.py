"""Learning: missed lines of inquiry and errors counted across the operation, for sharing with
every force, as a page and as CSV. Counts only, never names, so reading them is not audited."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import can
from beaconport.deps import CurrentPrincipal, DbSession, require
from beaconport.review import instrument, learning
from beaconport.web.templating import render

router = APIRouter()

Force = Annotated[str, Query(max_length=40)]
From = Annotated[str, Query(alias="from", max_length=40)]
To = Annotated[str, Query(alias="to", max_length=40)]


@router.get("/learning", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.LEARNING_READ))])
def learning_page(request: Request, db: DbSession, principal: CurrentPrincipal,
                  force: Force = "", signed_off_from: From = "",
                  signed_off_to: To = "") -> HTMLResponse:
    by_force = can(principal, Permission.LEARNING_BY_FORCE)
    sent = {"force": force.strip(), "from": signed_off_from.strip(), "to": signed_off_to.strip()}
    page: dict[str, Any] = {
        "sent": sent, "by_force": by_force,
        "forces": learning.force_choices(db) if by_force else [],
        "error_types": instrument.ERROR_TYPES, "impacts": instrument.IMPACTS,
        "achievable": instrument.ACHIEVABLE}
    try:
        filters = learning.filters_for(db, principal, force, signed_off_from, signed_off_to)
    except learning.FilterProblems as exc:
        return render(request, "review/learning.html", {
            **page, "field_errors": dict(exc.problems),
            "errors": [{"text": m, "href": f"#{f}"} for f, m in exc.problems]},
            status_code=400)
    query = urlencode({k: v for k, v in sent.items() if v})
    return render(request, "review/learning.html", {
        **page, "learning": learning.counts(db, filters, by_force=by_force),
        "force_name": dict(page["forces"]).get(filters.force_code or "", filters.force_code),
        "csv_href": "/learning.csv" + (f"?{query}" if query else "")})


@router.get("/learning.csv", dependencies=[Depends(require(Permission.LEARNING_READ))])
def learning_csv(db: DbSession, principal: CurrentPrincipal, force: Force = "",
                 signed_off_from: From = "", signed_off_to: To = "") -> Response:
    # Problems with the filters are an InvalidRequest: the plain error page says what they are.
    filters = learning.filters_for(db, principal, force, signed_off_from, signed_off_to)
    counted = learning.counts(db, filters, by_force=False)
    return Response(learning.csv_text(counted), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{learning.csv_name(filters)}"'})
