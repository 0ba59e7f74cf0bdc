"""Accounts, role grants, signed-in sessions and API tokens.

Secrets are never stored: passwords as argon2 hashes, session and API tokens as SHA-256 hashes
of random values (they are long and random, so a slow hash adds nothing). The TOTP seed has to be
readable to check a code, so it is kept as issued; see docs/security.md.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from beaconport.db import Base, new_id


class UserAccount(Base):
    __tablename__ = "user_account"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: Lower case; what the person types to sign in.
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: Set when the person has proved their authenticator works; until then sign-in leads to
    #: enrolment.
    totp_confirmed_at_utc: Mapped[datetime | None]
    #: The last 30-second step a code was accepted for: a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    failed_attempts: Mapped[int] = mapped_column(default=0)
    #: Until this moment sign-in is refused without checking the password (slowing, then lockout).
    locked_until_utc: Mapped[datetime | None]
    disabled_at_utc: Mapped[datetime | None]
    created_at_utc: Mapped[datetime]
    last_sign_in_at_utc: Mapped[datetime | None]


class RoleGrant(Base):
    """A role held by an account; force-scoped roles name the force whose referrals they cover."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "force_code"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    force_code: Mapped[str | None] = mapped_column(String(20))
    granted_by: Mapped[str] = mapped_column(String(120))
    granted_at_utc: Mapped[datetime]


class WebSession(Base):
    """A browser session. Stage ``password`` means the second factor is still to come."""

    __tablename__ = "web_session"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: password (second factor or enrolment still due) or active
    stage: Mapped[str] = mapped_column(String(20))
    created_at_utc: Mapped[datetime]
    last_seen_at_utc: Mapped[datetime]
    #: However active the session, it ends here.
    expires_at_utc: Mapped[datetime]
    ended_at_utc: Mapped[datetime | None]
    client: Mapped[str | None] = mapped_column(String(100))
    #: Justifications given for consulting complainants' records in this session, by record.
    data: Mapped[dict[str, Any] | None]


class ApiToken(Base):
    """An API credential with an expiry, revocable: a force system's, for one force, or a
    person's (national team tools), acting with that person's roles."""

    __tablename__ = "api_token"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    #: The first characters of the token, shown in lists so people can tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: A force system's token: its force. None for a person's token.
    force_code: Mapped[str | None] = mapped_column(String(20))
    #: A person's token: their account, whose roles it acts with (read afresh each request).
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at_utc: Mapped[datetime]
    expires_at_utc: Mapped[datetime]
    revoked_at_utc: Mapped[datetime | None]
    last_used_at_utc: Mapped[datetime | None]
