"""What handlers ask for, by type: the database session, who is asking, and their permission.

``DbSession`` is the request's one transaction: it commits after the handler returns and before
the response is sent (``scope="function"``), so a failed commit is an error page, never a
success page. Authentication runs in its own short transaction, so touching a session's
last-seen time never holds a write lock while a long request (an upload) works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from beaconport.audit.service import Actor
from beaconport.auth import service as auth
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.db import session_scope
from beaconport.errors import BeaconportError
from beaconport.instance.queries import is_demo

SESSION_COOKIE = "beaconport_session"


class SignInRequired(BeaconportError):
    """No valid signed-in session (pages redirect to sign-in; the API answers 401)."""


class Forbidden(BeaconportError):
    """Signed in, but this kind of page is not part of the person's role."""


def get_db() -> Iterator[Session]:
    with session_scope() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db, scope="function")]


@dataclass(frozen=True, slots=True)
class RequestContext:
    principal: Principal | None
    demo: bool


def request_context(request: Request) -> RequestContext:
    """Who is signed in (if anyone) and whether this is a demo database, in one transaction."""
    cached = getattr(request.state, "context", None)
    if isinstance(cached, RequestContext):
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    with session_scope() as session:
        principal = auth.principal_for_session(session, token=token) if token else None
        context = RequestContext(principal=principal, demo=is_demo(session))
    request.state.context = context
    return context


Context = Annotated[RequestContext, Depends(request_context)]


def signed_in(context: Context) -> Principal:
    if context.principal is None:
        raise SignInRequired("Sign in to continue.")
    return context.principal


CurrentPrincipal = Annotated[Principal, Depends(signed_in)]


def _actor(request: Request, principal: Principal) -> Actor:
    client = request.client.host if request.client else None
    if principal.via:
        client = f"{client or '?'} {principal.via}"[:100]
    return Actor(principal.actor, roles=principal.roles_text, client=client)


def current_actor(request: Request, principal: CurrentPrincipal) -> Actor:
    return _actor(request, principal)


CurrentActor = Annotated[Actor, Depends(current_actor)]


def _permission_check(permission: Permission, who: Any,
                      refusal: str) -> Callable[[Principal], Principal]:
    """A dependency that lets the request through only if the principal ``who`` resolves to
    holds ``permission`` somewhere; it carries the permission for the route contract test."""

    def check(principal: Principal = who) -> Principal:
        if not can(principal, permission):
            raise Forbidden(refusal)
        return principal

    check.permission = permission  # type: ignore[attr-defined]
    return check


def require(permission: Permission) -> Callable[[Principal], Principal]:
    """For pages: the signed-in person must hold ``permission``."""
    return _permission_check(permission, Depends(signed_in),
                             "Your role does not include this page.")


def public() -> None:
    """Marks a route that needs no sign-in (sign-in itself, health); read by the contract test."""


public.permission = None  # type: ignore[attr-defined]


def any_signed_in(principal: CurrentPrincipal) -> Principal:
    """Marks a route open to everyone signed in, whatever their role (the home page)."""
    return principal


any_signed_in.permission = "signed-in"  # type: ignore[attr-defined]


# -- The API -------------------------------------------------------------------------------
# The API knows only bearer tokens. It never reads the session cookie: a browser sends that
# cookie with any request, even one a hostile page started, so accepting it here would open the
# API to cross-site request forgery; a bearer token is sent only by code that holds it.

_bearer = HTTPBearer(auto_error=False, description=(
    "An API token issued for one force: `beaconport tokens issue --force CODE --name NAME`."))


def api_principal(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The force system behind an API request, from its bearer token, in its own short
    transaction (so noting the token's last use never holds a lock while the request works)."""
    if credentials is None:
        raise SignInRequired("Send an API token as 'Authorization: Bearer <token>'.")
    with session_scope() as session:
        principal = auth.principal_for_token(session, token=credentials.credentials)
    if principal is None:
        raise SignInRequired("The API token is not valid: it is unknown, expired or revoked.")
    return principal


ApiPrincipal = Annotated[Principal, Depends(api_principal)]


def api_actor(request: Request, principal: ApiPrincipal) -> Actor:
    return _actor(request, principal)


ApiActor = Annotated[Actor, Depends(api_actor)]


def require_api(permission: Permission) -> Callable[[Principal], Principal]:
    """For the API: the token must carry ``permission`` (for some force)."""
    return _permission_check(permission, Depends(api_principal),
                             "This API token does not allow this request.")
