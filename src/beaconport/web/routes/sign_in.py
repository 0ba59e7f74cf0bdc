"""Signing in (password, then a code from an authenticator app), and signing out.

The session cookie is HttpOnly, SameSite=Lax, Secure (unless configured off for plain-HTTP
development), and a new one is issued after the second factor, so a cookie planted before
sign-in is worthless afterwards.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth import service as auth
from beaconport.auth.totp import qr_svg
from beaconport.deps import (
    SESSION_COOKIE,
    CurrentActor,
    DbSession,
    any_signed_in,
    public,
    request_context,
)
from beaconport.settings import get_settings
from beaconport.web.templating import render

router = APIRouter()
PUBLIC = [Depends(public)]


def _client(request: Request) -> str | None:
    return request.client.host if request.client else None


def _with_cookie(response: Response, token: str) -> Response:
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", path="/",
                        secure=get_settings().cookie_secure)
    return response


@router.get("/sign-in", response_class=HTMLResponse, dependencies=PUBLIC)
def sign_in_form(request: Request) -> Response:
    if request_context(request).principal is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "auth/sign_in_form.html", {"username": ""})


@router.post("/sign-in", response_class=HTMLResponse, dependencies=PUBLIC)
def sign_in_submit(request: Request, db: DbSession, username: Annotated[str, Form()] = "",
                   password: Annotated[str, Form()] = "") -> Response:
    if not username.strip() or not password:
        errors = [{"text": "Enter your username", "href": "#username"}] if not username.strip() \
            else []
        if not password:
            errors.append({"text": "Enter your password", "href": "#password"})
        return render(request, "auth/sign_in_form.html",
                      {"username": username, "errors": errors}, status_code=400)
    step = auth.begin_sign_in(db, username=username, password=password, client=_client(request))
    if step.token is None:
        return render(request, "auth/sign_in_form.html", {
            "username": username, "errors": [{"text": step.refusal, "href": "#username"}]},
            status_code=400)
    return _with_cookie(RedirectResponse("/sign-in/second-factor", status_code=303), step.token)


def _secret_of(uri: str | None) -> str | None:
    if not uri:
        return None
    return parse_qs(urlsplit(uri).query).get("secret", [None])[0]


@router.get("/sign-in/second-factor", response_class=HTMLResponse, dependencies=PUBLIC)
def second_factor_form(request: Request, db: DbSession) -> Response:
    pending = auth.pending_sign_in(db, token=request.cookies.get(SESSION_COOKIE, ""))
    if pending is None:
        return RedirectResponse("/sign-in", status_code=303)
    return render(request, "auth/second_factor_form.html", {
        "pending": pending, "secret": _secret_of(pending.provisioning_uri),
        "qr": qr_svg(pending.provisioning_uri) if pending.provisioning_uri else None})


@router.post("/sign-in/second-factor", response_class=HTMLResponse, dependencies=PUBLIC)
def second_factor_submit(request: Request, db: DbSession,
                         code: Annotated[str, Form()] = "") -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    step = auth.complete_second_factor(db, token=token, code=code, client=_client(request))
    if step.token is not None:
        return _with_cookie(RedirectResponse("/", status_code=303), step.token)
    pending = auth.pending_sign_in(db, token=token)
    if pending is None:
        return RedirectResponse("/sign-in", status_code=303)
    return render(request, "auth/second_factor_form.html", {
        "pending": pending, "secret": _secret_of(pending.provisioning_uri),
        "qr": qr_svg(pending.provisioning_uri) if pending.provisioning_uri else None,
        "errors": [{"text": step.refusal, "href": "#code"}]}, status_code=400)


@router.post("/sign-out", dependencies=[Depends(any_signed_in)])
def sign_out(request: Request, db: DbSession, actor: CurrentActor) -> Response:
    auth.end_session(db, token=request.cookies.get(SESSION_COOKIE, ""), actor=actor)
    response = RedirectResponse("/signed-out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signed-out", response_class=HTMLResponse, dependencies=PUBLIC)
def signed_out(request: Request) -> HTMLResponse:
    return render(request, "auth/signed_out.html")
