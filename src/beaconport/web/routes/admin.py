"""Accounts, API tokens and the choice of per-force breakdowns in publication, for
administrators. Accounts are created on the command line
(``beaconport users create``), where the first password is typed by the person it belongs to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth import queries as accounts
from beaconport.auth import service as auth
from beaconport.auth.permissions import FORCE_SCOPED_ROLES, ROLE_MEANING, Permission
from beaconport.deps import CurrentActor, DbSession, require
from beaconport.errors import BeaconportError, FieldProblems, InvalidRequest
from beaconport.instance import queries as instance
from beaconport.instance import service as instance_service
from beaconport.web.forms import form_int
from beaconport.web.templating import render

router = APIRouter(prefix="/admin")
USERS = [Depends(require(Permission.USER_MANAGE))]
TOKENS = [Depends(require(Permission.TOKEN_MANAGE))]

#: Account actions: form value -> (service command, what the page then says).
ACTIONS = {
    "disable": (auth.disable_user, "The account is disabled and its sessions have ended."),
    "unlock": (auth.unlock_user, "The account is unlocked."),
    "reset-second-factor": (auth.reset_second_factor,
                            "The second factor is reset: the next sign-in sets up a new app."),
}


@router.get("/accounts", response_class=HTMLResponse, dependencies=USERS)
def account_list(request: Request, db: DbSession) -> HTMLResponse:
    return render(request, "admin/account_list.html", {"users": accounts.list_users(db)})


def _account_page(request: Request, db: DbSession, username: str, *, done: str | None = None,
                  errors: list[dict[str, str]] | None = None, status: int = 200) -> HTMLResponse:
    return render(request, "admin/account_detail.html", {
        "user": accounts.get_user(db, username), "roles": ROLE_MEANING,
        "force_scoped": {r.value for r in FORCE_SCOPED_ROLES}, "done": done,
        "errors": errors or []}, status_code=status)


@router.get("/accounts/{username}", response_class=HTMLResponse, dependencies=USERS)
def account_detail(request: Request, username: str, db: DbSession,
                   done: str | None = None) -> HTMLResponse:
    known = {"grant", "revoke", *ACTIONS}
    return _account_page(request, db, username, done=done if done in known else None)


@router.post("/accounts/{username}/roles", response_class=HTMLResponse, dependencies=USERS)
def account_roles_submit(
    request: Request, username: str, db: DbSession, actor: CurrentActor,
    role: Annotated[str, Form()] = "", force: Annotated[str, Form()] = "",
    change: Annotated[str, Form()] = "grant",
) -> Response:
    command = auth.revoke_role if change == "revoke" else auth.grant_role
    try:
        command(db, actor=actor, username=username, role=role, force_code=force or None)
    except BeaconportError as exc:
        return _account_page(request, db, username, status=400,
                             errors=[{"text": str(exc), "href": "#role"}])
    return RedirectResponse(f"/admin/accounts/{username}?done={change}", status_code=303)


@router.post("/accounts/{username}/action", response_class=HTMLResponse, dependencies=USERS)
def account_action_submit(request: Request, username: str, db: DbSession, actor: CurrentActor,
                          action: Annotated[str, Form()] = "") -> Response:
    if action not in ACTIONS:
        return _account_page(request, db, username, status=400,
                             errors=[{"text": "Choose an action", "href": "#action"}])
    ACTIONS[action][0](db, actor=actor, username=username)
    return RedirectResponse(f"/admin/accounts/{username}?done={action}", status_code=303)


@router.get("/tokens", response_class=HTMLResponse, dependencies=TOKENS)
def token_list(request: Request, db: DbSession) -> HTMLResponse:
    return render(request, "admin/token_list.html", {"tokens": accounts.list_tokens(db)})


@router.post("/tokens", response_class=HTMLResponse, dependencies=TOKENS)
def token_issue_submit(request: Request, db: DbSession, actor: CurrentActor,
                       name: Annotated[str, Form()] = "", force: Annotated[str, Form()] = "",
                       days: Annotated[str, Form()] = "") -> HTMLResponse:
    """Shows the new token on this answer only: it is never shown again, nor stored. Only a
    force system's token: a person's token acts as that person, so an administrator (who sees
    no case data) issuing one would be able to act as them; it is issued on the command line."""
    try:
        if days.strip() and form_int(days) is None:
            raise InvalidRequest("Enter the number of days as a whole number.")
        if not force.strip():
            raise InvalidRequest("Name the force whose system will use the token.")
        token = auth.issue_token(db, actor=actor, name=name, force_code=force,
                                 days=form_int(days))
    except BeaconportError as exc:
        return render(request, "admin/token_list.html", {
            "tokens": accounts.list_tokens(db),
            "form": {"name": name, "force": force, "days": days},
            "errors": [{"text": str(exc), "href": "#name"}]}, status_code=400)
    return render(request, "admin/token_issued.html", {"token": token, "name": name.strip()})


@router.post("/tokens/{prefix}/revoke", response_class=HTMLResponse, dependencies=TOKENS)
def token_revoke_submit(prefix: str, db: DbSession, actor: CurrentActor) -> Response:
    auth.revoke_token(db, actor=actor, prefix=prefix)
    return RedirectResponse("/admin/tokens", status_code=303)


PUBLICATION = [Depends(require(Permission.PUBLICATION_MANAGE))]


def _publication_page(request: Request, db: DbSession, *, done: bool = False,
                      errors: list[dict[str, str]] | None = None, sent: str = "",
                      chosen: str = "", status: int = 200) -> HTMLResponse:
    return render(request, "admin/publication.html", {
        "choice": instance.per_force_publication(db), "done": done, "errors": errors or [],
        "sent": sent, "chosen": chosen}, status_code=status)


@router.get("/publication", response_class=HTMLResponse, dependencies=PUBLICATION)
def publication(request: Request, db: DbSession, done: str | None = None) -> HTMLResponse:
    return _publication_page(request, db, done=done == "saved")


@router.post("/publication", response_class=HTMLResponse, dependencies=PUBLICATION)
def publication_submit(request: Request, db: DbSession, actor: CurrentActor,
                       per_force: Annotated[str, Form()] = "",
                       reason: Annotated[str, Form()] = "") -> Response:
    errors = []
    if per_force not in ("yes", "no"):
        errors.append({"text": "Choose whether to publish per-force breakdowns",
                       "href": "#per_force"})
    else:
        try:
            instance_service.set_per_force_publication(
                db, actor=actor, enabled=per_force == "yes", reason=reason)
        except FieldProblems as exc:
            errors += [{"text": message, "href": f"#{field}"} for field, message in exc.problems]
    if errors:
        return _publication_page(request, db, errors=errors, sent=reason, chosen=per_force,
                                 status=400)
    return RedirectResponse("/admin/publication?done=saved", status_code=303)
