"""Actions: a case's actions and raising one from its findings; the lists (a force's users see
only their force's), one action with its history, and each move it makes."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import InvalidRequest
from beaconport.review import action_queries, actions, outcomes
from beaconport.review import action_states as st
from beaconport.web.forms import form_date
from beaconport.web.templating import render

router = APIRouter()
#: Outcome rows the result form offers (a result rarely moves more suspects at once; more can
#: be sent through the API, or with the next result).
OUTCOME_ROWS = 3


class _Filters(dict[str, str]):
    """The list's filters in the shape the pagination macro expects."""

    def active(self) -> dict[str, str]:
        return dict(self)


@router.get("/actions", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.ACTION_READ))])
def action_list(
    request: Request, db: DbSession, principal: CurrentPrincipal,
    status: Annotated[str, Query()] = "", holder: Annotated[str, Query()] = "",
    overdue: Annotated[str, Query()] = "", page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    wanted = action_queries.ActionFilter(status=status if status in st.LABELS else None,
                                         holder=holder.strip() or None,
                                         overdue=overdue == "1", page=page)
    given = {"status": wanted.status or "", "holder": wanted.holder or "",
             "overdue": "1" if wanted.overdue else ""}
    filters = _Filters({k: v for k, v in given.items() if v})
    return render(request, "review/action_list.html", {
        "found": action_queries.listed(db, principal, wanted), "wanted": wanted,
        "filters": filters, "statuses": st.LABELS, "holders": action_queries.holders(db),
        "overdue_count": action_queries.overdue_count(db, principal)})


def _case_page(request: Request, db: DbSession, principal: Any, referral_id: uuid.UUID,
               status_code: int = 200, **extra: Any) -> HTMLResponse:
    case = action_queries.of_case(db, principal, referral_id)
    return render(request, "review/case_actions.html", {
        "referral_id": referral_id, "review_id": case.review_id, "findings": case.findings,
        "found": case.found, "priorities": actions.PRIORITIES, **extra},
        status_code=status_code)


@router.get("/cases/{referral_id}/actions", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.ACTION_READ))])
def case_actions(request: Request, referral_id: uuid.UUID, db: DbSession,
                 principal: CurrentPrincipal) -> HTMLResponse:
    return _case_page(request, db, principal, referral_id)


@router.post("/cases/{referral_id}/actions", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.ACTION_RAISE))])
def raise_action(
    request: Request, referral_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, title: Annotated[str, Form()] = "", detail: Annotated[str, Form()] = "",
    priority: Annotated[str, Form()] = "", finding_item: Annotated[str, Form()] = "",
) -> Response:
    try:
        action_id = actions.raise_action(db, actor=actor, referral_id=referral_id, title=title,
                                         detail=detail, priority=priority,
                                         finding_item=finding_item or None)
    except actions.ActionProblems as exc:
        return _case_page(request, db, principal, referral_id, status_code=400,
                          sent={"title": title, "detail": detail, "priority": priority,
                                "finding_item": finding_item},
                          field_errors=dict(exc.problems),
                          errors=[{"text": m, "href": f"#{f}"} for f, m in exc.problems])
    except InvalidRequest as exc:
        return _case_page(request, db, principal, referral_id, status_code=400,
                          sent={"title": title, "detail": detail, "priority": priority,
                                "finding_item": finding_item},
                          errors=[{"text": str(exc), "href": "#title"}])
    return RedirectResponse(f"/actions/{action_id}", status_code=303)


def _action_page(request: Request, db: DbSession, principal: Any, action_id: uuid.UUID,
                 status_code: int = 200, **extra: Any) -> HTMLResponse:
    view = action_queries.one(db, principal, action_id)
    return render(request, "review/action.html", {
        "action": view, "labels": {m: st.TRANSITIONS[(view.row.status, m)].label
                                   for m in view.moves},
        "holders": action_queries.holders(db),
        "case_force": action_queries.case_force(db, view.row.referral_id),
        "suspects": outcomes.suspects(db, view.row.referral_id) if "result" in view.moves
        else [], "events": outcomes.EVENTS, "outcome_rows": range(1, OUTCOME_ROWS + 1),
        **extra}, status_code=status_code)


@router.get("/actions/{action_id}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.ACTION_READ))])
def action_page(request: Request, action_id: uuid.UUID, db: DbSession,
                principal: CurrentPrincipal) -> HTMLResponse:
    return _action_page(request, db, principal, action_id)


@router.post("/actions/{action_id}/moves", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.ACTION_READ))])
def action_move(
    request: Request, action_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal,
    actor: CurrentActor, step: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
    allocated_to: Annotated[str, Form()] = "", due_on: Annotated[str, Form()] = "",
    outcome_person_ref: Annotated[list[str] | None, Form()] = None,
    outcome_event: Annotated[list[str] | None, Form()] = None,
    outcome_occurred_on: Annotated[list[str] | None, Form()] = None,
) -> Response:
    # The result form's outcome rows come as parallel lists, one entry per row; the service
    # checks every field and who may make the move.
    refs, events, dates = (outcome_person_ref or [], outcome_event or [],
                           outcome_occurred_on or [])
    rows = [(refs[i] if i < len(refs) else "", events[i] if i < len(events) else "",
             dates[i] if i < len(dates) else "")
            for i in range(max(len(refs), len(events), len(dates)))]
    sent = {"note": note, "allocated_to": allocated_to, "due_on": due_on}
    for n, (ref, event, on) in enumerate(rows, start=1):
        sent |= {f"outcomes-{n}-person_ref": ref, f"outcomes-{n}-event": event,
                 f"outcomes-{n}-occurred_on": on}
    # Unused rows are blank; a row half filled in is kept, so its problems are named.
    given = [actions.OutcomeInput(ref, event, form_date(on)) for ref, event, on in rows
             if ref or event or on.strip()]
    try:
        actions.move(db, principal=principal, actor=actor, action_id=action_id, step=step,
                     note=note, allocated_to=allocated_to, due_on=form_date(due_on),
                     outcome_steps=given)
    except actions.ActionProblems as exc:
        return _action_page(request, db, principal, action_id, status_code=400, sent=sent,
                            sent_step=step, field_errors=dict(exc.problems),
                            errors=[{"text": m, "href": f"#{f}" if f.startswith("outcomes-")
                                     else f"#{step}-{f}"} for f, m in exc.problems])
    except InvalidRequest as exc:
        return _action_page(request, db, principal, action_id, status_code=400, sent=sent,
                            sent_step=step, errors=[{"text": str(exc), "href": "#moves"}])
    return RedirectResponse(f"/actions/{action_id}", status_code=303)
