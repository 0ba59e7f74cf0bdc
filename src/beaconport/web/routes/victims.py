"""The victim liaison workspace: every complainant the review is in touch with and what is due,
a referral's complainants, one complainant's record (support, contact plan, communications
log, Victims' Code duties) and its forms; lifting a case's hold; and the supervisor's view of
everything overdue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import can
from beaconport.deps import CurrentActor, CurrentPrincipal, DbSession, require
from beaconport.errors import Conflict, InvalidRequest
from beaconport.safeguarding import queries as safeguarding
from beaconport.victims import contact, queries, support
from beaconport.victims import duties as d
from beaconport.victims import support_states as ss
from beaconport.web.forms import form_date, form_fields, form_int
from beaconport.web.templating import render
from beaconport.working_days import ENGLAND_AND_WALES

router = APIRouter()
#: Rows the contact plan's form offers for channels and no-contact periods.
CHANNEL_ROWS, WINDOW_ROWS = 3, 2


@router.get("/victims", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.COMPLAINANT_CONTACT))])
def workspace(request: Request, db: DbSession,
              support_state: Annotated[str, Query(alias="support", max_length=30)] = ""
              ) -> HTMLResponse:
    chosen = support_state if support_state in ss.LABELS else None
    return render(request, "victims/workspace.html", {
        "found": queries.workspace(db, support=chosen), "chosen": chosen or "",
        "states": ss.LABELS})


@router.get("/referrals/{referral_id}/victims", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.COMPLAINANT_CONTACT))])
def referral_complainants(request: Request, referral_id: uuid.UUID,
                          db: DbSession) -> HTMLResponse:
    return render(request, "victims/referral.html", {
        "referral_id": referral_id, "case": queries.case_support(db, referral_id),
        "states": ss.LABELS})


def _record_page(request: Request, db: DbSession, actor: Any, referral_id: uuid.UUID,
                 person_ref: str, status_code: int = 200, **extra: Any) -> HTMLResponse:
    record = queries.open_record(db, actor=actor, referral_id=referral_id,
                                 person_ref=person_ref)
    return render(request, "victims/record.html", {
        "record": record, "states": ss.LABELS, "through": support.THROUGH,
        "channels": contact.CHANNELS, "updates": contact.UPDATES,
        "directions": contact.DIRECTIONS, "channel_rows": range(1, CHANNEL_ROWS + 1),
        "window_rows": range(1, WINDOW_ROWS + 1), "duty_states": d.STATE_LABELS,
        "open_duties": [x for x in record.duties if x.state in (d.DUE, d.OVERDUE)],
        **extra}, status_code=status_code)


def _errors(problems: list[tuple[str, str]], prefix: str) -> list[dict[str, str]]:
    return [{"text": m, "href": f"#{prefix}{f}"} for f, m in problems]


@router.get("/victims/{referral_id}/{person_ref}", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.COMPLAINANT_CONTACT))])
def record_page(request: Request, referral_id: uuid.UUID, person_ref: str, db: DbSession,
                actor: CurrentActor) -> HTMLResponse:
    return _record_page(request, db, actor, referral_id, person_ref)


@router.post("/victims/{referral_id}/{person_ref}/support", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.VICTIM_ENGAGE))])
def record_support(
    request: Request, referral_id: uuid.UUID, person_ref: str, db: DbSession,
    actor: CurrentActor, to_state: Annotated[str, Form()] = "",
    occurred_on: Annotated[str, Form()] = "", approached_by: Annotated[str, Form()] = "",
    through: Annotated[str, Form()] = "", through_name: Annotated[str, Form()] = "",
    agreed: Annotated[str, Form()] = "",
) -> Response:
    given = support.SupportInput(to_state, form_date(occurred_on), approached_by, through,
                                 through_name, agreed)
    try:
        support.record(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                       given=given)
    except support.SupportProblems as exc:
        return _record_page(request, db, actor, referral_id, person_ref, status_code=400,
                            support_sent={"to_state": to_state, "occurred_on": occurred_on,
                                          "approached_by": approached_by, "through": through,
                                          "through_name": through_name, "agreed": agreed},
                            support_errors=dict(exc.problems),
                            errors=_errors(exc.problems, "support-"))
    return RedirectResponse(f"/victims/{referral_id}/{person_ref}#support", status_code=303)


def _plan_input(fields: dict[str, str]) -> contact.PlanInput:
    channels = tuple(contact.Channel(fields.get(f"channel-{n}-kind", ""),
                                     fields.get(f"channel-{n}-detail", ""),
                                     fields.get(f"channel-{n}-note", ""))
                     for n in range(1, CHANNEL_ROWS + 1)
                     if any(fields.get(f"channel-{n}-{k}", "").strip()
                            for k in ("kind", "detail", "note")))
    windows = tuple(contact.Window(form_date(fields.get(f"window-{n}-starts", "")),
                                   form_date(fields.get(f"window-{n}-ends", "")),
                                   fields.get(f"window-{n}-reason", ""))
                    for n in range(1, WINDOW_ROWS + 1)
                    if any(fields.get(f"window-{n}-{k}", "").strip()
                           for k in ("starts", "ends", "reason")))
    return contact.PlanInput(
        preferred_name=fields.get("preferred_name", ""), channels=channels,
        safe_times=fields.get("safe_times", ""), no_contact=windows,
        intermediary=fields.get("intermediary", ""), language=fields.get("language", ""),
        needs=fields.get("needs", ""), updates=fields.get("updates", ""),
        updates_how=fields.get("updates_how", ""))


@router.post("/victims/{referral_id}/{person_ref}/plan", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.VICTIM_ENGAGE))])
def save_plan(request: Request, referral_id: uuid.UUID, person_ref: str, db: DbSession,
              actor: CurrentActor,
              fields: Annotated[dict[str, str], Depends(form_fields)]) -> Response:
    revision = fields.get("revision", "")
    try:
        contact.save_plan(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                          revision=form_int(revision, -1), plan=_plan_input(fields))
    except contact.ContactProblems as exc:
        return _record_page(request, db, actor, referral_id, person_ref, status_code=400,
                            plan_sent=fields, plan_errors=dict(exc.problems),
                            errors=_errors(exc.problems, "plan-"))
    except Conflict as exc:
        return _record_page(request, db, actor, referral_id, person_ref, status_code=409,
                            plan_sent=fields,
                            errors=[{"text": str(exc), "href": "#plan"}])
    return RedirectResponse(f"/victims/{referral_id}/{person_ref}#plan", status_code=303)


def _when_typed(text: str) -> datetime | None:
    """A date and time typed on the form (UK time) as UTC; None when unreadable."""
    try:
        typed = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return (typed if typed.tzinfo else typed.replace(tzinfo=ENGLAND_AND_WALES)).astimezone(UTC)


@router.post("/victims/{referral_id}/{person_ref}/contacts", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.VICTIM_ENGAGE))])
def log_contact(
    request: Request, referral_id: uuid.UUID, person_ref: str, db: DbSession,
    actor: CurrentActor, occurred_at: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = "", channel: Annotated[str, Form()] = "",
    reached: Annotated[str, Form()] = "", summary: Annotated[str, Form()] = "",
    duty_key: Annotated[str, Form()] = "",
) -> Response:
    entry = contact.ContactInput(_when_typed(occurred_at), direction, channel, reached == "yes",
                                 summary, duty_key or None)
    try:
        contact.log_contact(db, actor=actor, referral_id=referral_id, person_ref=person_ref,
                            entry=entry)
    except contact.ContactProblems as exc:
        return _record_page(request, db, actor, referral_id, person_ref, status_code=400,
                            contact_sent={"occurred_at": occurred_at, "direction": direction,
                                          "channel": channel, "reached": reached,
                                          "summary": summary, "duty_key": duty_key},
                            contact_errors=dict(exc.problems),
                            errors=_errors(exc.problems, "contact-"))
    return RedirectResponse(f"/victims/{referral_id}/{person_ref}#log", status_code=303)


@router.post("/cases/{referral_id}/hold/lift", response_class=HTMLResponse,
             dependencies=[Depends(require(Permission.REVIEW_ALLOCATE))])
def lift_hold(request: Request, referral_id: uuid.UUID, db: DbSession,
              principal: CurrentPrincipal, actor: CurrentActor,
              reason: Annotated[str, Form()] = "") -> Response:
    try:
        support.lift(db, principal=principal, actor=actor, referral_id=referral_id,
                     reason=reason)
    except InvalidRequest as exc:
        problems = exc.problems if isinstance(exc, support.SupportProblems) else [
            ("reason", str(exc))]
        return render(request, "victims/lift.html", {
            "referral_id": referral_id, "case": queries.case_support(db, referral_id),
            "reason": reason, "field_errors": dict(problems),
            "errors": _errors(problems, "")}, status_code=400)
    return RedirectResponse(f"/cases/{referral_id}", status_code=303)


@router.get("/overdue", response_class=HTMLResponse,
            dependencies=[Depends(require(Permission.OVERDUE_READ))])
def overdue(request: Request, db: DbSession, principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "victims/overdue.html", {
        "referrals": (safeguarding.authority_referrals(db, principal, overdue=True)
                      if can(principal, Permission.SAFEGUARDING_READ) else None),
        "duties": queries.overdue_duties(db),
        "may_open_victims": can(principal, Permission.COMPLAINANT_CONTACT)})
