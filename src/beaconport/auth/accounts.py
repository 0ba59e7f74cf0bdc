"""Commands on accounts: create, set a password, grant and revoke roles, disable, unlock, reset
the second factor. Each one is audited in the caller's transaction and never commits.

Audit data names the account by id and username and never holds a password, a TOTP secret or
code, or a token.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth import passwords
from beaconport.auth.models import RoleGrant, UserAccount, WebSession
from beaconport.auth.permissions import FORCE_SCOPED_ROLES, Role
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.instance.queries import is_demo
from beaconport.reference.queries import load_catalogue

_USERNAME = re.compile(r"[a-z0-9._-]{3,80}")


def normalise_username(text: str) -> str:
    """Usernames are compared in lower case, so 'Alice' and 'alice' are one account."""
    return text.strip().lower()


def find_account(session: Session, username: str) -> UserAccount | None:
    return session.scalar(
        select(UserAccount).where(UserAccount.username == normalise_username(username)))


def _account(session: Session, username: str) -> UserAccount:
    account = find_account(session, username)
    if account is None:
        raise NotFound(f"There is no account with the username {normalise_username(username)!r}.")
    return account


def _subject(account: UserAccount) -> audit.Subject:
    return audit.Subject("user", str(account.id))


def parse_role(text: str | Role) -> Role:
    try:
        return Role(text)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise InvalidRequest(f"There is no role {text!r}. The roles are: {known}.") from None


def in_scope_force(session: Session, text: str) -> str:
    """The code of the force ``text`` names (a code, name or recognised abbreviation), refusing a
    force outside the review: only the forces of England and Wales and the British Transport
    Police refer cases."""
    force = load_catalogue(session).resolve_force(text)
    if force is None:
        raise InvalidRequest(f"No police force is known as {text!r}. Give its code (such as "
                             "E23000010) or its name.")
    if not force.in_scope:
        raise InvalidRequest(f"{force.name} is outside this review, which covers the forces of "
                             "England and Wales and the British Transport Police.")
    return force.code


def end_sessions(session: Session, user_id: uuid.UUID, *, now: datetime) -> int:
    """End every open session of the account; returns how many there were."""
    result = session.execute(
        update(WebSession)
        .where(WebSession.user_id == user_id, WebSession.ended_at_utc.is_(None))
        .values(ended_at_utc=now))
    return int(getattr(result, "rowcount", 0) or 0)


def _check_password(password: str, username: str) -> None:
    problems = passwords.check_password_policy(password, username)
    if problems:
        raise InvalidRequest(" ".join(problems))


def create_user(session: Session, *, actor: str | audit.Actor, username: str,
                display_name: str, password: str, email: str | None = None) -> None:
    """A new account with no roles; the person sets up the second factor at first sign-in."""
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise InvalidRequest("A username needs 3 to 80 characters, each a letter, a digit, a "
                             "full stop, a hyphen or an underscore.")
    shown = " ".join(display_name.split())
    if not shown or len(shown) > 200:
        raise InvalidRequest("Give the person's name, in at most 200 characters.")
    address = email.strip() if email else None
    if address is not None and ("@" not in address or len(address) > 320 or " " in address):
        raise InvalidRequest(f"{address!r} is not an email address.")
    _check_password(password, name)
    if find_account(session, name) is not None:
        raise Conflict(f"There is already an account with the username {name!r}.")
    account = UserAccount(username=name, display_name=shown, email=address or None,
                          password_hash=passwords.hash_password(password), failed_attempts=0,
                          created_at_utc=clock.now())
    session.add(account)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.USER_CREATED,
                 subject=_subject(account), data={"username": name})


def set_password(session: Session, *, actor: str | audit.Actor, username: str,
                 password: str) -> None:
    """Replace the password and end the account's sessions, so whoever knew the old password is
    signed out everywhere."""
    account = _account(session, username)
    _check_password(password, account.username)
    account.password_hash = passwords.hash_password(password)
    ended = end_sessions(session, account.id, now=clock.now())
    audit.record(session, actor=actor, action=AuditAction.PASSWORD_SET, subject=_subject(account),
                 data={"username": account.username, "sessions_ended": ended})


def _grant_scope(session: Session, role: Role, force_code: str | None) -> str | None:
    if role in FORCE_SCOPED_ROLES:
        if not force_code:
            raise InvalidRequest(f"The role {role.value} covers one force's referrals: name the "
                                 "force.")
        return in_scope_force(session, force_code)
    if force_code:
        raise InvalidRequest(f"The role {role.value} covers every force, so it is granted "
                             "without naming one.")
    return None


def _existing_grant(session: Session, account: UserAccount, role: Role,
                    force_code: str | None) -> RoleGrant | None:
    return session.scalar(select(RoleGrant).where(
        RoleGrant.user_id == account.id, RoleGrant.role == role.value,
        RoleGrant.force_code.is_(None) if force_code is None
        else RoleGrant.force_code == force_code))


def _described(role: Role, force_code: str | None) -> str:
    return f"{role.value} for {force_code}" if force_code else role.value


def grant_role(session: Session, *, actor: str | audit.Actor, username: str, role: str | Role,
               force_code: str | None = None) -> None:
    """Force-scoped roles need an in-scope force; national roles refuse one."""
    account = _account(session, username)
    wanted = parse_role(role)
    force = _grant_scope(session, wanted, force_code)
    if _existing_grant(session, account, wanted, force) is not None:
        raise Conflict(f"{account.username} already holds the role {_described(wanted, force)}.")
    session.add(RoleGrant(user_id=account.id, role=wanted.value, force_code=force,
                          granted_by=audit.name_of(actor)[:120], granted_at_utc=clock.now()))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.ROLE_GRANTED, subject=_subject(account),
                 data={"username": account.username, "role": wanted.value, "force_code": force})


def revoke_role(session: Session, *, actor: str | audit.Actor, username: str, role: str | Role,
                force_code: str | None = None) -> None:
    """Takes effect at the person's next request: sessions read the grants every time."""
    account = _account(session, username)
    wanted = parse_role(role)
    force = in_scope_force(session, force_code) if force_code else None
    grant = _existing_grant(session, account, wanted, force)
    if grant is None:
        raise NotFound(f"{account.username} does not hold the role {_described(wanted, force)}.")
    session.delete(grant)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.ROLE_REVOKED, subject=_subject(account),
                 data={"username": account.username, "role": wanted.value, "force_code": force})


def disable_user(session: Session, *, actor: str | audit.Actor, username: str) -> None:
    """The account can no longer sign in, and its open sessions end now. It is kept (never
    deleted) because the audit log refers to it."""
    account = _account(session, username)
    if account.disabled_at_utc is not None:
        raise Conflict(f"The account {account.username} is already disabled.")
    now = clock.now()
    account.disabled_at_utc = now
    ended = end_sessions(session, account.id, now=now)
    audit.record(session, actor=actor, action=AuditAction.USER_DISABLED, subject=_subject(account),
                 data={"username": account.username, "sessions_ended": ended})


def unlock_user(session: Session, *, actor: str | audit.Actor, username: str) -> None:
    """Clear failed sign-ins and any lock, before the lock would have run out."""
    account = _account(session, username)
    failures = account.failed_attempts
    account.failed_attempts = 0
    account.locked_until_utc = None
    audit.record(session, actor=actor, action=AuditAction.USER_UNLOCKED, subject=_subject(account),
                 data={"username": account.username, "failed_attempts": failures})


def reset_second_factor(session: Session, *, actor: str | audit.Actor, username: str) -> None:
    """For a lost or replaced phone: the secret is forgotten and the account's sessions end; the
    next sign-in sets up an authenticator app again."""
    account = _account(session, username)
    account.totp_secret = None
    account.totp_confirmed_at_utc = None
    account.totp_last_step = None
    ended = end_sessions(session, account.id, now=clock.now())
    audit.record(session, actor=actor, action=AuditAction.SECOND_FACTOR_RESET,
                 subject=_subject(account),
                 data={"username": account.username, "sessions_ended": ended})


def enrol_demo_second_factor(session: Session, *, actor: str | audit.Actor, username: str,
                             secret: str) -> None:
    """Give a demo account a known, already confirmed TOTP secret, so its codes can be printed.
    Refused on any database not marked as a demonstration."""
    if not is_demo(session):
        raise InvalidRequest("This database is not marked as a demonstration, so a known "
                             "second-factor secret cannot be set.")
    account = _account(session, username)
    account.totp_secret = secret
    account.totp_confirmed_at_utc = clock.now()
    account.totp_last_step = None
    audit.record(session, actor=actor, action=AuditAction.SECOND_FACTOR_ENROLLED,
                 subject=_subject(account), data={"username": account.username, "demo": True})
