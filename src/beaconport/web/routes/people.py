"""A person record, the justification asked for before a complainant's record is shown, and
the clerical review of linkage (pairs of records a person decides)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import InvalidRequest
from beaconport.people import network, queries, review
from beaconport.referrals import consult
from beaconport.web.forms import form_fields
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
                  {"record": record, "justification": justification,
                   "nominal_id": queries.nominal_of_record(db, record_id)})


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


@router.get("/nominals/{nominal_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_READ))])
def nominal_page(request: Request, nominal_id: uuid.UUID, db: DbSession,
                 principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    return render(request, "people/nominal.html",
                  _nominal(db, principal, actor, nominal_id))


def _nominal(db: DbSession, principal: CurrentPrincipal, actor: CurrentActor,
             nominal_id: uuid.UUID) -> dict[str, object]:
    return {"nominal": queries.view_nominal(db, principal=principal, actor=actor,
                                            nominal_id=nominal_id),
            "co_suspects": queries.co_suspects(db, principal, nominal_id)}


@router.get("/nominals/{nominal_id}/network", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_READ))])
def network_page(request: Request, nominal_id: uuid.UUID, db: DbSession,
                 principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    graph = network.neighbourhood(db, principal, nominal_id)
    found = queries.view_nominal(db, principal=principal, actor=actor, nominal_id=nominal_id)
    name = found.name or "this person"
    return render(request, "people/network.html", {
        "graph": network.as_view(graph, str(nominal_id)), "heading": f"Network of {name}",
        "back_href": f"/people/nominals/{nominal_id}", "back_text": found.name or "The person",
        "scope_text": "within two ties of this person",
        "json_url": f"/people/nominals/{nominal_id}/network.json"})


@router.get("/nominals/{nominal_id}/network.json",
            dependencies=[Depends(require(Permission.PERSON_READ))])
def network_data(nominal_id: uuid.UUID, db: DbSession,
                 principal: CurrentPrincipal) -> JSONResponse:
    """The same network, for the page's drawing (the page itself lists it as text)."""
    graph = network.neighbourhood(db, principal, nominal_id)
    return JSONResponse(network.as_view(graph, str(nominal_id)))


@router.get("/groups", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_READ))])
def group_list(request: Request, db: DbSession, principal: CurrentPrincipal,
               several_forces: bool = False) -> HTMLResponse:
    found = network.groups(network.co_suspect_graph(db, principal),
                           several_forces=several_forces)
    return render(request, "people/groups.html", {
        "groups": found[:200], "total": len(found), "several_forces": several_forces})


@router.get("/groups/{group_id}.json", dependencies=[Depends(require(Permission.PERSON_READ))])
def group_data(group_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
               actor: CurrentActor) -> JSONResponse:
    return JSONResponse(network.as_view(
        network.group_graph(db, principal, actor, str(group_id)), ""))


# After the .json route: this one's {group_id} would take "….json" too.
@router.get("/groups/{group_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.PERSON_READ))])
def group_page(request: Request, group_id: uuid.UUID, db: DbSession,
               principal: CurrentPrincipal, actor: CurrentActor) -> HTMLResponse:
    graph = network.group_graph(db, principal, actor, str(group_id))
    return render(request, "people/network.html", {
        "graph": network.as_view(graph, ""), "heading": "An offending group",
        "back_href": "/people/groups", "back_text": "Groups",
        "scope_text": "tied to one another", "json_url": f"/people/groups/{group_id}.json"})


@router.post("/nominals/{nominal_id}/split", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.PERSON_LINK))])
def nominal_split(
    request: Request, nominal_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, fields: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    chosen = [uuid.UUID(v) for k, v in fields.items() if k.startswith("record-")]
    try:
        moved_to = review.split_off(db, principal=principal, actor=actor, nominal_id=nominal_id,
                                    record_ids=chosen, reason=fields.get("reason", ""))
    except InvalidRequest as exc:
        return render(request, "people/nominal.html", {
            **_nominal(db, principal, actor, nominal_id),
            "split_reason": fields.get("reason", ""), "split_chosen": [str(c) for c in chosen],
            "errors": [{"text": str(exc), "href": "#split-reason"}]}, status_code=400)
    return RedirectResponse(f"/people/nominals/{moved_to}", status_code=303)
