"""Signing in (password, then a code from an authenticator app), sessions, and signing out.

A refused sign-in is returned, not raised: the failure count and its audit event must be committed
by the caller's transaction like any other change, and raising would roll them back.

Sessions are identified by a random token the browser holds; only its SHA-256 is stored. Passing
the password creates a session at stage ``password`` that can do nothing but offer the code, for
ten minutes. The right code ends that session and starts an ``active`` one under a new token, so a
token planted in a browser before sign-in is worthless afterwards (session fixation).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditEvent
from beaconport.auth import passwords, totp
from beaconport.auth.accounts import normalise_username
from beaconport.auth.models import UserAccount, WebSession
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Principal
from beaconport.auth.queries import as_utc, grants_of
from beaconport.auth.tokens import digest
from beaconport.errors import InvalidRequest, NotFound
from beaconport.settings import get_settings

STAGE_PASSWORD = "password"  # noqa: S105 (a stage's name, not a password)
STAGE_ACTIVE = "active"
PENDING_MINUTES = 10
#: last_seen is written at most this often, not on every request.
TOUCH_SECONDS = 60
MAX_JUSTIFICATION = 2000

NOT_RIGHT = "The username or password is not right."
CODE_NOT_RIGHT = ("The code is not right. Enter the code your authenticator app shows for "
                  "Beaconport now.")
TIMED_OUT = "Your sign-in has timed out. Sign in again."

#: A grant of a role this version does not know gives nothing (default deny).
_ROLES = frozenset(r.value for r in Role)


@dataclass(frozen=True, slots=True)
class SignInStep:
    """What happened to one sign-in step, and what to show next."""

    #: The session token to put in the cookie: stage password after the first step, active
    #: after the second. None when refused.
    token: str | None = None
    #: The person has no confirmed authenticator app: show the QR code before asking for a code.
    enrol: bool = False
    provisioning_uri: str | None = None
    #: Plain words for the person when refused.
    refusal: str | None = None
    #: Seconds before the account may be tried again, when that is why it was refused.
    wait_seconds: int = 0

    @property
    def accepted(self) -> bool:
        return self.token is not None


@dataclass(frozen=True, slots=True)
class PendingSignIn:
    """A sign-in half done: the password was right, the code is still due."""

    username: str
    display_name: str
    enrol: bool
    provisioning_uri: str | None


def _actor(account: UserAccount | None, client: str | None) -> audit.Actor:
    name = f"user:{account.username}" if account else "anonymous"
    return audit.Actor(name, client=client[:100] if client else None)


def _subject(account: UserAccount) -> audit.Subject:
    return audit.Subject("user", str(account.id))


def _start_session(session: Session, account: UserAccount, *, stage: str, now: datetime,
                   client: str | None) -> tuple[str, WebSession]:
    token = secrets.token_urlsafe(32)
    lifetime = (timedelta(minutes=PENDING_MINUTES) if stage == STAGE_PASSWORD
                else timedelta(hours=get_settings().session_max_hours))
    web = WebSession(token_hash=digest(token), user_id=account.id, stage=stage,
                     created_at_utc=now, last_seen_at_utc=now, expires_at_utc=now + lifetime,
                     client=client[:100] if client else None)
    session.add(web)
    session.flush()
    return token, web


def _waiting(account: UserAccount, now: datetime) -> SignInStep | None:
    """A refusal, without checking anything, while the account is slowed or locked."""
    if account.locked_until_utc is None or as_utc(account.locked_until_utc) <= now:
        return None
    seconds = math.ceil((as_utc(account.locked_until_utc) - now).total_seconds())
    if account.failed_attempts >= get_settings().lockout_after:
        minutes = math.ceil(seconds / 60)
        words = (f"Too many sign-ins to this account have failed, so it is locked for "
                 f"{minutes} minute{'s' if minutes != 1 else ''}. An administrator can unlock "
                 "it sooner.")
    else:
        words = (f"Too many sign-ins to this account have failed. Wait {seconds} "
                 f"second{'s' if seconds != 1 else ''} before trying again.")
    return SignInStep(refusal=words, wait_seconds=seconds)


def _fail(session: Session, account: UserAccount, *, now: datetime, client: str | None,
          reason: str) -> None:
    """Count a failure: after ``sign_in_slow_after`` of them each further attempt waits
    2**(failures - slow_after) seconds after the last; after ``lockout_after`` the account is
    locked for ``lockout_minutes``."""
    settings = get_settings()
    account.failed_attempts += 1
    failures = account.failed_attempts
    actor = _actor(account, client)
    audit.record(session, actor=actor, action=AuditAction.SIGN_IN_FAILED,
                 subject=_subject(account), data={"reason": reason, "failed_attempts": failures})
    if failures >= settings.lockout_after:
        account.locked_until_utc = now + timedelta(minutes=settings.lockout_minutes)
        audit.record(session, actor=actor, action=AuditAction.USER_LOCKED,
                     subject=_subject(account),
                     data={"failed_attempts": failures, "minutes": settings.lockout_minutes})
    elif failures >= settings.sign_in_slow_after:
        account.locked_until_utc = now + timedelta(
            seconds=2 ** (failures - settings.sign_in_slow_after))


def _address_waiting(session: Session, client: str | None, now: datetime) -> SignInStep | None:
    """A refusal while one address has failed too often lately, whatever usernames it tried:
    slowing per account alone would let guesses spread over many accounts. Counted from the
    audit log (s62(4)(c): the security of the data), over the last ``sign_in_client_minutes``."""
    settings = get_settings()
    if client is None:
        return None
    since = now - timedelta(minutes=settings.sign_in_client_minutes)
    failures = session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.at_utc >= since, AuditEvent.action == AuditAction.SIGN_IN_FAILED.value,
        AuditEvent.client == client)) or 0
    if failures < settings.sign_in_client_limit:
        return None
    minutes = settings.sign_in_client_minutes
    return SignInStep(refusal=(
        f"Too many sign-ins from this network address have failed. Wait {minutes} minutes, "
        "or ask an administrator for help."), wait_seconds=minutes * 60)


def begin_sign_in(session: Session, *, username: str, password: str,
                  client: str | None) -> SignInStep:
    """Check the username and password. Unknown, disabled and wrong all read the same to the
    person; the audit log tells them apart."""
    now = clock.now()
    busy = _address_waiting(session, client, now)
    if busy is not None:
        audit.record(session, actor=_actor(None, client), action=AuditAction.SIGN_IN_FAILED,
                     subject=audit.Subject("user", "unknown"), data={"reason": "address-busy"})
        return busy
    # The account's row stays locked until the caller's transaction ends, so attempts on one
    # account are taken one at a time: guesses sent in parallel cannot all slip past the wait,
    # nor lose each other's failure counts. (SQLite already takes one writer at a time.)
    account = session.scalar(
        select(UserAccount).where(UserAccount.username == normalise_username(username))
        .with_for_update())
    if account is None:
        passwords.dummy_verify(password)
        audit.record(session, actor=_actor(None, client), action=AuditAction.SIGN_IN_FAILED,
                     subject=audit.Subject("user", "unknown"), data={"reason": "unknown-user"})
        return SignInStep(refusal=NOT_RIGHT)
    if account.disabled_at_utc is not None:
        passwords.verify_password(account.password_hash, password)
        audit.record(session, actor=_actor(account, client), action=AuditAction.SIGN_IN_FAILED,
                     subject=_subject(account), data={"reason": "disabled"})
        return SignInStep(refusal=NOT_RIGHT)
    waiting = _waiting(account, now)
    if waiting is not None:
        audit.record(session, actor=_actor(account, client), action=AuditAction.SIGN_IN_FAILED,
                     subject=_subject(account), data={"reason": "must-wait"})
        return waiting
    if not passwords.verify_password(account.password_hash, password):
        _fail(session, account, now=now, client=client, reason="wrong-password")
        return SignInStep(refusal=NOT_RIGHT)
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
    # The failure count is cleared only when both steps succeed, so a known password does not
    # buy unlimited guesses at the code.
    enrol = account.totp_confirmed_at_utc is None
    secret = account.totp_secret
    if enrol and secret is None:
        secret = account.totp_secret = totp.new_secret()
    token, _ = _start_session(session, account, stage=STAGE_PASSWORD, now=now, client=client)
    uri = totp.provisioning_uri(secret, account.username) if enrol and secret else None
    return SignInStep(token=token, enrol=enrol, provisioning_uri=uri)


def _open(session: Session, token: str, now: datetime) -> WebSession | None:
    """The session this token names, if it has not ended or run out (either stage)."""
    if not token or len(token) > 200:
        return None
    web = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if web is None or web.ended_at_utc is not None or as_utc(web.expires_at_utc) <= now:
        return None
    return web


def _pending(session: Session, token: str, now: datetime, *,
             lock: bool = False) -> tuple[WebSession, UserAccount] | None:
    web = _open(session, token, now)
    if web is None or web.stage != STAGE_PASSWORD:
        return None
    account = session.get(UserAccount, web.user_id, with_for_update=lock)
    if account is None or account.disabled_at_utc is not None:
        return None
    return web, account


def complete_second_factor(session: Session, *, token: str, code: str,
                           client: str | None) -> SignInStep:
    """Check the code (confirming the authenticator app, for a first sign-in) and, if right,
    replace the stage-password session with an active one under a new token."""
    now = clock.now()
    pending = _pending(session, token, now, lock=True)  # one attempt at a time, as above
    if pending is None:
        return SignInStep(refusal=TIMED_OUT)
    web, account = pending
    waiting = _waiting(account, now)
    if waiting is not None:
        audit.record(session, actor=_actor(account, client), action=AuditAction.SIGN_IN_FAILED,
                     subject=_subject(account), data={"reason": "must-wait"})
        return waiting
    secret = account.totp_secret
    step = totp.verify_code(secret, code, account.totp_last_step, at=now) if secret else None
    if step is None:
        reused = secret is not None and totp.verify_code(secret, code, None, at=now) is not None
        _fail(session, account, now=now, client=client,
              reason="reused-code" if reused else "wrong-code")
        return SignInStep(refusal=CODE_NOT_RIGHT)
    account.totp_last_step = step
    actor = _actor(account, client)
    if account.totp_confirmed_at_utc is None:
        account.totp_confirmed_at_utc = now
        audit.record(session, actor=actor, action=AuditAction.SECOND_FACTOR_ENROLLED,
                     subject=_subject(account), data={"username": account.username})
    account.failed_attempts = 0
    account.locked_until_utc = None
    account.last_sign_in_at_utc = now
    web.ended_at_utc = now
    new_token, active = _start_session(session, account, stage=STAGE_ACTIVE, now=now,
                                       client=client)
    audit.record(session, actor=actor, action=AuditAction.SIGNED_IN, subject=_subject(account),
                 data={"session": str(active.id)})
    return SignInStep(token=new_token)


def pending_sign_in(session: Session, *, token: str) -> PendingSignIn | None:
    """The half-done sign-in this token names, or None (unknown, timed out, or already done)."""
    pending = _pending(session, token, clock.now())
    if pending is None:
        return None
    _, account = pending
    enrol = account.totp_confirmed_at_utc is None
    uri = (totp.provisioning_uri(account.totp_secret, account.username)
           if enrol and account.totp_secret else None)
    return PendingSignIn(username=account.username, display_name=account.display_name,
                         enrol=enrol, provisioning_uri=uri)


def _active(session: Session, token: str, now: datetime) -> WebSession | None:
    web = _open(session, token, now)
    if web is None or web.stage != STAGE_ACTIVE:
        return None
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    if now - as_utc(web.last_seen_at_utc) > idle:
        return None
    return web


def principal_for_session(session: Session, *, token: str) -> Principal | None:
    """Who holds this session token, or None: unknown, ended, past its absolute expiry, idle too
    long, not yet past the second factor, or the account is disabled. The grants are read afresh,
    so a revoked role stops working at the next request."""
    now = clock.now()
    web = _active(session, token, now)
    if web is None:
        return None
    account = session.get(UserAccount, web.user_id)
    if account is None or account.disabled_at_utc is not None:
        return None
    if (now - as_utc(web.last_seen_at_utc)).total_seconds() > TOUCH_SECONDS:
        web.last_seen_at_utc = now
    return Principal(id=account.id, name=account.username, display_name=account.display_name,
                     grants=grants_of(session, account.id), kind="user")


def end_session(session: Session, *, token: str, actor: str | audit.Actor) -> None:
    """Sign out. Ending a session that has already ended, or never existed, does nothing."""
    web = _open(session, token, clock.now())
    if web is None:
        return
    web.ended_at_utc = clock.now()
    audit.record(session, actor=actor, action=AuditAction.SIGNED_OUT,
                 subject=audit.Subject("user", str(web.user_id)),
                 data={"session": str(web.id)})


def remember_justification(session: Session, *, token: str, record_key: str,
                           justification: str) -> None:
    """Keep the reason the person gave for consulting a complainant's record, so they are not
    asked again for the same record during this session."""
    reason = " ".join(justification.split())
    if not reason:
        raise InvalidRequest("Give the reason you need to see this record.")
    if len(reason) > MAX_JUSTIFICATION:
        raise InvalidRequest(f"Give the reason in at most {MAX_JUSTIFICATION:,} characters.")
    web = _active(session, token, clock.now())
    if web is None:
        raise NotFound("Your session has ended. Sign in again.")
    data: dict[str, Any] = dict(web.data or {})
    data["justifications"] = {**data.get("justifications", {}), record_key: reason}
    web.data = data  # a new object, so the change is seen and written


def justification_for(session: Session, *, token: str, record_key: str) -> str | None:
    """The reason given earlier in this session for this record, if any."""
    web = _active(session, token, clock.now())
    if web is None or not web.data:
        return None
    found = web.data.get("justifications", {}).get(record_key)
    return str(found) if found is not None else None
