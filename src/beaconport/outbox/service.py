"""Writing messages to the outbox, and delivering what is due.

Delivery is at least once, and in practice once: a message is claimed in its own committed
transaction (so two deliverers never take the same one), sent, then marked sent. If the server
refuses or cannot be reached, the message waits and is tried again, each wait twice the last
(from one minute, at most an hour), until ``MAX_ATTEMPTS``; then it is failed, and stays listed
for a person to act on. If the process dies between claiming and marking, the claim lapses after
``LEASE`` and the message is tried again: a copy the server had already taken then arrives
twice, with the same Message-ID, so the recipient's system can tell it is one message.

A deliverer claims one message at a time, just before sending it, so a claim lasts one send: at
most ``SEND_EXCHANGES`` exchanges with the mail server, each bounded by the channel's timeout
(``SmtpChannel.timeout``), far inside ``LEASE``; a long queue never leaves claims waiting behind
slow sends. A result is recorded only while the claim is still the deliverer's own (the message
still ``sending``, claimed at the moment it claimed it): a deliverer that stalled past its lease,
and whose message another took back, leaves the other's result alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.db import new_id
from beaconport.outbox.channels import Channel, Outgoing
from beaconport.outbox.models import OutboxMessage

UnitOfWork = Callable[[], AbstractContextManager[Session]]
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
MAX_ATTEMPTS = 12
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
LEASE = timedelta(minutes=10)
#: The most exchanges with the mail server one send makes (connect, EHLO, STARTTLS, EHLO again,
#: AUTH, MAIL, RCPT, DATA, the message, QUIT), each bounded by the channel's timeout: their sum
#: must stay well inside ``LEASE`` (a test checks the configured channel).
SEND_EXCHANGES = 10
#: The domain part of Message-IDs.
DOMAIN = "beaconport.invalid"


def enqueue(session: Session, *, channel: str, recipient: str, subject: str, body: str,
            about: str) -> uuid.UUID:
    """Add a message in the caller's transaction: it exists if, and only if, what it reports
    was stored."""
    message_id = new_id()
    now = clock.now()
    session.add(OutboxMessage(
        id=message_id, channel=channel, recipient=recipient, subject=subject, body=body,
        message_id=f"<{message_id}@{DOMAIN}>", about=about, status=PENDING, attempts=0,
        next_attempt_at_utc=now, created_at_utc=now))
    session.flush()
    return message_id


def wait_after(attempts: int) -> timedelta:
    """How long to wait before the next attempt, after ``attempts`` failed ones."""
    return min(FIRST_WAIT * (1 << min(max(attempts - 1, 0), 16)), LONGEST_WAIT)


@dataclass(slots=True)
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    #: Sends whose result was not recorded: the claim lapsed meanwhile and another deliverer
    #: took the message back, so its result is the other's to record.
    lapsed: int = 0


@dataclass(frozen=True, slots=True)
class _Claim:
    id: uuid.UUID
    channel: str
    outgoing: Outgoing
    attempts: int
    #: The claim's token: a result is recorded only while the message still carries it.
    claimed_at: datetime


def _claim(unit_of_work: UnitOfWork, now: datetime) -> _Claim | None:
    """Take the next due message (or one whose claim lapsed), committed at once; None when
    nothing is due."""
    with unit_of_work() as session:
        message = session.scalars(
            select(OutboxMessage)
            .where(or_((OutboxMessage.status == PENDING)
                       & (OutboxMessage.next_attempt_at_utc <= now),
                       (OutboxMessage.status == SENDING)
                       & (OutboxMessage.claimed_at_utc <= now - LEASE)))
            .order_by(OutboxMessage.next_attempt_at_utc).limit(1)
            .with_for_update(skip_locked=True)).first()
        if message is None:
            return None
        message.status, message.claimed_at_utc = SENDING, now
        message.attempts += 1
        return _Claim(message.id, message.channel,
                      Outgoing(message.recipient, message.subject, message.body,
                               message.message_id), message.attempts, now)


def _record(unit_of_work: UnitOfWork, claim: _Claim, **values: Any) -> bool:
    """Record a send's result if the claim is still this deliverer's; False when it lapsed and
    another deliverer took the message back (nothing is written then)."""
    with unit_of_work() as session:
        result = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == claim.id, OutboxMessage.status == SENDING,
                   OutboxMessage.claimed_at_utc == claim.claimed_at)
            .values(claimed_at_utc=None, **values))
        return int(getattr(result, "rowcount", 0) or 0) == 1


def deliver_due(unit_of_work: UnitOfWork, channels: dict[str, Channel], *,
                now: datetime | None = None, limit: int = 100) -> Delivered:
    """One pass: up to ``limit`` messages that are due, each claimed, sent and its result
    recorded in turn, every step in its own transaction."""
    done = Delivered()
    for _ in range(limit):
        claim = _claim(unit_of_work, now or clock.now())
        if claim is None:
            break
        channel = channels.get(claim.channel)
        try:
            if channel is None:
                raise LookupError(f"no channel called {claim.channel!r} is configured")
            channel.send(claim.outgoing)
        except Exception as exc:
            last = claim.attempts >= MAX_ATTEMPTS
            if not _record(unit_of_work, claim, status=FAILED if last else PENDING,
                           next_attempt_at_utc=(now or clock.now()) + wait_after(claim.attempts),
                           last_error=f"{type(exc).__name__}: {exc}"[:2000]):
                done.lapsed += 1
            elif last:
                done.failed += 1
            else:
                done.retrying += 1
            continue
        if _record(unit_of_work, claim, status=SENT, sent_at_utc=clock.now(), last_error=None):
            done.sent += 1
        else:
            done.lapsed += 1
    return done


@dataclass(frozen=True, slots=True)
class Listed:
    id: uuid.UUID
    recipient: str
    subject: str
    about: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None


def listed(session: Session, *, status: str | None = None, about: str | None = None
           ) -> list[Listed]:
    query = select(OutboxMessage).order_by(OutboxMessage.created_at_utc)
    if status:
        query = query.where(OutboxMessage.status == status)
    if about:
        query = query.where(OutboxMessage.about == about)
    return [Listed(m.id, m.recipient, m.subject, m.about, m.status, m.attempts,
                   m.next_attempt_at_utc, m.last_error, m.sent_at_utc)
            for m in session.scalars(query)]
