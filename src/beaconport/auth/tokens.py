"""API tokens, shown once, stored only as a hash: a force system's, issued for one force, or a
person's, for the national team's own tools, acting with that person's roles.

A token is ``bp_`` and 43 random URL-safe characters (256 bits). Being long and random it cannot be
guessed, so a fast hash (SHA-256) is enough to store it: a slow password hash would only slow every
API request. Its first ten characters (the prefix) are kept in plain so people can tell tokens
apart and revoke one without ever seeing it again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.accounts import find_account, in_scope_force
from beaconport.auth.models import ApiToken, UserAccount
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.auth.queries import as_utc, grants_of
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.settings import get_settings

TOKEN_MARK = "bp_"  # noqa: S105 (the visible start of every token, not a secret)
PREFIX_LENGTH = 10
#: last_used is written at most this often, not on every request.
TOUCH_SECONDS = 60


def digest(token: str) -> str:
    """SHA-256 of a session or API token: what is stored and looked up, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, *, actor: str | audit.Actor, name: str,
                force_code: str | None = None, username: str | None = None,
                days: int | None = None) -> str:
    """A new token for one in-scope force, or for one person (``username``). The plaintext is
    returned once and never again."""
    label = " ".join(name.split())
    if not label or len(label) > 200:
        raise InvalidRequest("Give the token a name (the system that will use it), in at "
                             "most 200 characters.")
    lifetime = get_settings().api_token_days if days is None else days
    if not 1 <= lifetime <= 366:
        raise InvalidRequest("A token lasts from 1 to 366 days.")
    if bool(force_code and force_code.strip()) == bool(username and username.strip()):
        raise InvalidRequest("A token is for a force's system (give the force) or for a person "
                             "(give their username), not both and not neither.")
    force, holder = None, None
    if force_code and force_code.strip():
        force = in_scope_force(session, force_code)
    else:
        assert username is not None
        holder = find_account(session, username.strip())
        if holder is None or holder.disabled_at_utc is not None:
            raise InvalidRequest(f"There is no active account called {username.strip()!r}.")
    while True:
        token = TOKEN_MARK + secrets.token_urlsafe(32)
        prefix = token[:PREFIX_LENGTH]
        # Prefixes name tokens for revocation, so they must not repeat (a 42-bit clash is rare).
        if session.scalar(select(ApiToken.id).where(ApiToken.prefix == prefix)) is None:
            break
    now = clock.now()
    expires = now + timedelta(days=lifetime)
    session.add(ApiToken(prefix=prefix, token_hash=digest(token), name=label, force_code=force,
                         user_id=holder.id if holder else None,
                         created_by=audit.name_of(actor)[:120], created_at_utc=now,
                         expires_at_utc=expires))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.TOKEN_ISSUED,
                 subject=audit.Subject("api-token", prefix),
                 data={"name": label, "force_code": force,
                       "user": holder.username if holder else None,
                       "expires_at": expires.isoformat()})
    return token


def revoke_token(session: Session, *, actor: str | audit.Actor, prefix: str) -> None:
    """The token stops working at once."""
    token = session.scalar(select(ApiToken).where(ApiToken.prefix == prefix.strip()))
    if token is None:
        raise NotFound(f"There is no API token beginning {prefix.strip()!r}.")
    if token.revoked_at_utc is not None:
        raise Conflict(f"The API token {token.prefix} is already revoked.")
    token.revoked_at_utc = clock.now()
    audit.record(session, actor=actor, action=AuditAction.TOKEN_REVOKED,
                 subject=audit.Subject("api-token", token.prefix),
                 data={"name": token.name, "force_code": token.force_code})


def principal_for_token(session: Session, *, token: str) -> Principal | None:
    """Who an API request is from, or None for a token that is unknown, revoked or expired (or
    whose person's account is disabled).

    A force system's token acts for its force in both force roles: it submits referrals and
    works the review's actions allocated to the force. A person's token acts as that person,
    with their roles read afresh (a revoked role stops working at the next request), so every
    rule that names who did what (four eyes, the holder of a case) applies to it as on the
    pages; ``via`` tells the audit log which token it came through."""
    if not token.startswith(TOKEN_MARK) or len(token) > 200:
        return None
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if found is None or found.revoked_at_utc is not None:
        return None
    now = clock.now()
    if as_utc(found.expires_at_utc) <= now:
        return None
    person = session.get(UserAccount, found.user_id) if found.user_id is not None else None
    if found.user_id is not None and (person is None or person.disabled_at_utc is not None):
        return None
    last = found.last_used_at_utc
    if last is None or (now - as_utc(last)).total_seconds() > TOUCH_SECONDS:
        found.last_used_at_utc = now
    if person is not None:
        return Principal(id=person.id, name=person.username, display_name=person.display_name,
                         grants=grants_of(session, person.id), kind="user",
                         via=f"api-token:{found.prefix}")
    assert found.force_code is not None
    return Principal(id=found.id, name=found.prefix, display_name=found.name,
                     grants=(Grant(Role.FORCE_SUBMITTER, found.force_code),
                             Grant(Role.FORCE_INVESTIGATOR, found.force_code)), kind="token")
