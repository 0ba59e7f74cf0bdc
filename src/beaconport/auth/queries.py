"""Reads of accounts and API tokens, as plain dataclasses; and the permission table as Markdown.

Nothing here returns a password hash, a TOTP secret or a token hash.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.auth.models import ApiToken, RoleGrant, UserAccount
from beaconport.auth.permissions import (
    FORCE_SCOPED_ROLES,
    PERMISSION_MEANING,
    ROLE_MEANING,
    ROLE_PERMISSIONS,
    Permission,
    Role,
)
from beaconport.auth.policy import Grant
from beaconport.errors import NotFound
from beaconport.settings import get_settings


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything is stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class UserSummary:
    username: str
    display_name: str
    email: str | None
    #: "role" or "role@FORCE", sorted
    roles: tuple[str, ...]
    disabled: bool
    #: Locked out after too many failed sign-ins (not merely asked to wait a few seconds).
    locked: bool
    #: Has confirmed an authenticator app.
    enrolled: bool
    created_at: datetime
    last_sign_in: datetime | None


def _summary(account: UserAccount, roles: list[str], now: datetime) -> UserSummary:
    locked = (account.locked_until_utc is not None
              and as_utc(account.locked_until_utc) > now
              and account.failed_attempts >= get_settings().lockout_after)
    return UserSummary(
        username=account.username, display_name=account.display_name, email=account.email,
        roles=tuple(sorted(roles)), disabled=account.disabled_at_utc is not None, locked=locked,
        enrolled=account.totp_confirmed_at_utc is not None,
        created_at=as_utc(account.created_at_utc),
        last_sign_in=as_utc(account.last_sign_in_at_utc) if account.last_sign_in_at_utc else None,
    )


def _role_text(grant: RoleGrant) -> str:
    return f"{grant.role}@{grant.force_code}" if grant.force_code else grant.role


def list_users(session: Session) -> list[UserSummary]:
    """Every account, disabled ones included, by username."""
    roles: dict[uuid.UUID, list[str]] = defaultdict(list)
    for grant in session.scalars(select(RoleGrant)):
        roles[grant.user_id].append(_role_text(grant))
    now = clock.now()
    return [_summary(a, roles[a.id], now)
            for a in session.scalars(select(UserAccount).order_by(UserAccount.username))]


def get_user(session: Session, username: str) -> UserSummary:
    account = session.scalar(
        select(UserAccount).where(UserAccount.username == username.strip().lower()))
    if account is None:
        raise NotFound(f"There is no account with the username {username.strip().lower()!r}.")
    grants = session.scalars(select(RoleGrant).where(RoleGrant.user_id == account.id))
    return _summary(account, [_role_text(g) for g in grants], clock.now())


def grants_of(session: Session, user_id: uuid.UUID) -> tuple[Grant, ...]:
    """An account's roles as they stand now (a role no longer known is ignored)."""
    known = {r.value for r in Role}
    return tuple(Grant(Role(g.role), g.force_code)
                 for g in session.scalars(select(RoleGrant).where(RoleGrant.user_id == user_id)
                                          .order_by(RoleGrant.role, RoleGrant.force_code))
                 if g.role in known)


@dataclass(frozen=True, slots=True)
class TokenSummary:
    prefix: str
    name: str
    #: The force's code for a force system's token; None for a person's.
    force_code: str | None
    #: The person's username for a person's token.
    username: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    #: active, expired or revoked
    state: str


def list_tokens(session: Session) -> list[TokenSummary]:
    """Every API token, newest first, without its hash."""
    now = clock.now()
    found = []
    people = dict(session.execute(select(UserAccount.id, UserAccount.username)).all())
    for token in session.scalars(select(ApiToken).order_by(ApiToken.created_at_utc.desc())):
        expires = as_utc(token.expires_at_utc)
        state = ("revoked" if token.revoked_at_utc is not None
                 else "expired" if expires <= now else "active")
        found.append(TokenSummary(
            prefix=token.prefix, name=token.name, force_code=token.force_code,
            username=people.get(token.user_id) if token.user_id else None,
            created_by=token.created_by, created_at=as_utc(token.created_at_utc),
            expires_at=expires,
            revoked_at=as_utc(token.revoked_at_utc) if token.revoked_at_utc else None,
            last_used_at=as_utc(token.last_used_at_utc) if token.last_used_at_utc else None,
            state=state))
    return found


_INTRO = """\
# Permissions

Who may do what in Beaconport. An account holds one or more roles; each role carries the
permissions ticked below and nothing else (default deny). A role is granted nationally, covering
every force, except force-scoped roles, which are granted for one force and reach only that
force's referrals. A force system's API token acts for its one force as its force submitter
and force investigator; a person's API token acts as that person, with their roles.

What a person may not see does not exist for them: the web pages and the API answer "not found"
rather than "forbidden".

This page is generated from `src/beaconport/auth/permissions.py` by
`beaconport users permissions > docs/permissions.md`; a test fails when it is out of date.
"""


def permission_matrix_markdown() -> str:
    """docs/permissions.md: the roles, then every permission against every role."""
    lines = [_INTRO, "## Roles", "", "| role | granted for | meaning |", "|---|---|---|"]
    for role in Role:
        reach = "one force" if role in FORCE_SCOPED_ROLES else "national (every force)"
        lines.append(f"| `{role.value}` | {reach} | {ROLE_MEANING[role]} |")
    lines += ["", "## Permissions by role", ""]
    lines.append("| permission | meaning | " + " | ".join(f"`{r.value}`" for r in Role) + " |")
    lines.append("|---|---|" + "---|" * len(Role))
    for permission in sorted(Permission, key=lambda p: p.value):
        marks = " | ".join("✓" if permission in ROLE_PERMISSIONS[r] else "" for r in Role)
        lines.append(f"| `{permission.value}` | {PERMISSION_MEANING[permission]} | {marks} |")
    return "\n".join(lines) + "\n"
