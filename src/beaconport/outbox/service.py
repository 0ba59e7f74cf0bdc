"""Writing messages to the outbox, and delivering what is due.

Delivery is at least once, and in practice once: a message is claimed in its own committed
transaction (so two deliverers never take the same one), sent, then marked sent. If the server
refuses or cannot be reached, the message waits and is tried again, each wait twice the last
(from one minute, at most an hour), until ``MAX_ATTEMPTS``; then it is failed, and stays listed
for a person to act on. If the process dies between claiming and marking, the claim lapses after
``LEASE`` and the message is tried again: a copy the server had already taken then arrives
twice, with the same Message-ID, so the recipient's system can tell it is one message.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

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


def _claim(unit_of_work: UnitOfWork, now: datetime, limit: int) -> list[tuple[uuid.UUID, str,
                                                                            Outgoing]]:
    """Take up to ``limit`` due messages (and any whose claim lapsed), committed at once."""
    with unit_of_work() as session:
        due = list(session.scalars(
            select(OutboxMessage)
            .where(or_((OutboxMessage.status == PENDING)
                       & (OutboxMessage.next_attempt_at_utc <= now),
                       (OutboxMessage.status == SENDING)
                       & (OutboxMessage.claimed_at_utc <= now - LEASE)))
            .order_by(OutboxMessage.next_attempt_at_utc).limit(limit)
            .with_for_update(skip_locked=True)))
        for message in due:
            message.status, message.claimed_at_utc = SENDING, now
            message.attempts += 1
        return [(m.id, m.channel, Outgoing(m.recipient, m.subject, m.body, m.message_id))
                for m in due]


def deliver_due(unit_of_work: UnitOfWork, channels: dict[str, Channel], *,
                now: datetime | None = None, limit: int = 100) -> Delivered:
    """One pass: send what is due, each message marked in its own transaction."""
    moment = now or clock.now()
    done = Delivered()
    for message_id, channel_name, outgoing in _claim(unit_of_work, moment, limit):
        channel = channels.get(channel_name)
        try:
            if channel is None:
                raise LookupError(f"no channel called {channel_name!r} is configured")
            channel.send(outgoing)
        except Exception as exc:
            with unit_of_work() as session:
                message = session.get(OutboxMessage, message_id)
                assert message is not None
                last = message.attempts >= MAX_ATTEMPTS
                message.status = FAILED if last else PENDING
                message.next_attempt_at_utc = moment + wait_after(message.attempts)
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.claimed_at_utc = None
            if last:
                done.failed += 1
            else:
                done.retrying += 1
            continue
        with unit_of_work() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                            .values(status=SENT, sent_at_utc=clock.now(), last_error=None,
                                    claimed_at_utc=None))
        done.sent += 1
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
