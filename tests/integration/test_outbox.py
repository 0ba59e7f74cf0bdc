"""The outbox on both engines, against a real SMTP server (aiosmtpd): a message is written in
its caller's transaction (rolled back, it never existed), waits while the server is down, is
tried again with growing waits, and arrives once when the server is back, never twice; a claim
left by a process that died is taken back after its lease, and the process that held it, if it
was only slow, records nothing over the result of the one that took it back; messages are
claimed one at a time, so no claim waits behind other sends."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from beaconport import clock
from beaconport.db import session_scope
from beaconport.outbox import service
from beaconport.outbox.channels import Outgoing, SmtpChannel, configured_channels
from beaconport.outbox.models import OutboxMessage


class Inbox:
    """What the SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox, port
    with contextlib.suppress(AssertionError):  # never started
        controller.stop()


def _enqueue(url: str, n: int) -> None:
    with session_scope(url) as session:
        for i in range(n):
            service.enqueue(session, channel="email", recipient=f"lado{i}@council.example",
                            subject=f"Safeguarding referral {i}", body="Administrative text.",
                            about=f"test:{i}")


def test_nothing_is_lost_or_sent_twice_across_a_server_outage(
        db_url: str, smtp: tuple[Controller, Inbox, int]) -> None:
    controller, inbox, port = smtp
    channels = {"email": SmtpChannel("127.0.0.1", port, "beaconport@test.example",
                                     timeout=5)}
    with pytest.raises(RuntimeError), session_scope(db_url) as session:
        service.enqueue(session, channel="email", recipient="x@example.org", subject="gone",
                        body="rolled back with its caller", about="test:rolled-back")
        raise RuntimeError("the caller's transaction fails")
    _enqueue(db_url, 3)
    now = clock.now()

    # The server is down: every message waits, a minute first.
    down = service.deliver_due(lambda: session_scope(db_url), channels, now=now)
    assert (down.sent, down.retrying, down.failed) == (0, 3, 0)
    with session_scope(db_url) as session:
        waiting = service.listed(session)
    assert {m.status for m in waiting} == {"pending"} and {m.attempts for m in waiting} == {1}
    assert all(m.last_error for m in waiting) and len(waiting) == 3
    assert service.deliver_due(lambda: session_scope(db_url), channels, now=now).sent == 0

    # Still down a minute later: the next wait is two minutes.
    later = now + timedelta(minutes=1)
    assert service.deliver_due(lambda: session_scope(db_url), channels,
                               now=later).retrying == 3
    assert service.wait_after(2) == timedelta(minutes=2)
    assert service.wait_after(20) == service.LONGEST_WAIT

    controller.start()
    early = service.deliver_due(lambda: session_scope(db_url), channels,
                                now=later + timedelta(seconds=30))
    assert early.sent == 0, "not due yet"
    up = service.deliver_due(lambda: session_scope(db_url), channels,
                             now=later + timedelta(minutes=2))
    assert up.sent == 3
    again = service.deliver_due(lambda: session_scope(db_url), channels,
                                now=later + timedelta(hours=5))
    assert (again.sent, again.retrying) == (0, 0)
    assert sorted(m["To"] for m in inbox.messages) == [
        "lado0@council.example", "lado1@council.example", "lado2@council.example"]
    with session_scope(db_url) as session:
        sent = service.listed(session, status="sent")
        ids = {m["Message-ID"] for m in inbox.messages}
    assert len(sent) == 3 and len(ids) == 3


def test_a_claim_left_by_a_dead_process_is_taken_back_after_its_lease(
        db_url: str, smtp: tuple[Controller, Inbox, int]) -> None:
    controller, inbox, port = smtp
    controller.start()
    channels = {"email": SmtpChannel("127.0.0.1", port, "beaconport@test.example")}
    _enqueue(db_url, 1)
    now = clock.now()
    claimed = service._claim(lambda: session_scope(db_url), now)  # then the process dies
    assert claimed is not None
    assert service.deliver_due(lambda: session_scope(db_url), channels,
                               now=now + timedelta(minutes=1)).sent == 0
    taken_back = service.deliver_due(lambda: session_scope(db_url), channels,
                                     now=now + service.LEASE + timedelta(seconds=1))
    assert taken_back.sent == 1 and len(inbox.messages) == 1


def test_a_message_fails_after_its_last_attempt_and_stays_listed(db_url: str) -> None:
    _enqueue(db_url, 1)
    moment = clock.now()
    for _ in range(service.MAX_ATTEMPTS):
        done = service.deliver_due(lambda: session_scope(db_url), {}, now=moment)
        moment += service.LONGEST_WAIT
    assert done.failed == 1
    with session_scope(db_url) as session:
        (message,) = service.listed(session)
    assert message.status == "failed" and "no channel" in (message.last_error or "")
    assert service.deliver_due(lambda: session_scope(db_url), {}, now=moment).failed == 0


class Stalled:
    """A channel whose deliverer stalls past its lease while sending: ``meanwhile`` runs (another
    deliverer at work on the same message), then the send goes through ``channel``."""

    def __init__(self, channel: SmtpChannel, meanwhile: Callable[[], None]) -> None:
        self.channel, self.meanwhile = channel, meanwhile

    def send(self, message: Outgoing) -> None:
        self.meanwhile()
        self.channel.send(message)


def test_a_slow_deliverer_cannot_undo_the_delivery_of_the_one_that_took_its_claim_back(
        db_url: str, smtp: tuple[Controller, Inbox, int]) -> None:
    controller, inbox, port = smtp
    controller.start()
    channel = SmtpChannel("127.0.0.1", port, "beaconport@test.example", timeout=5)
    _enqueue(db_url, 1)
    now = clock.now()
    after_the_lease = now + service.LEASE + timedelta(seconds=1)

    taken_back: list[service.Delivered] = []

    def another_deliverer() -> None:  # (what it raises would count as the slow one's failure)
        taken_back.append(service.deliver_due(lambda: session_scope(db_url),
                                              {"email": channel}, now=after_the_lease))
        controller.stop()  # and the slow one's own send then fails

    slow = service.deliver_due(lambda: session_scope(db_url),
                               {"email": Stalled(channel, another_deliverer)}, now=now)
    with session_scope(db_url) as session:
        (message,) = service.listed(session)
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, None)
    assert [t.sent for t in taken_back] == [1]
    assert (slow.sent, slow.retrying, slow.failed, slow.lapsed) == (0, 0, 0, 1)
    assert len(inbox.messages) == 1
    later = service.deliver_due(lambda: session_scope(db_url), {"email": channel},
                                now=after_the_lease + timedelta(hours=5))
    assert (later.sent, later.retrying, later.failed, later.lapsed) == (0, 0, 0, 0)


def test_a_slow_deliverer_leaves_alone_a_claim_another_took_back(
        db_url: str, smtp: tuple[Controller, Inbox, int]) -> None:
    controller, inbox, port = smtp
    controller.start()
    channel = SmtpChannel("127.0.0.1", port, "beaconport@test.example", timeout=5)
    _enqueue(db_url, 1)
    now = clock.now()
    after_the_lease = now + service.LEASE + timedelta(seconds=1)

    taken_back: list[object] = []

    def another_deliverer_claims() -> None:  # and is sending when the slow one finishes
        taken_back.append(service._claim(lambda: session_scope(db_url), after_the_lease))

    slow = service.deliver_due(lambda: session_scope(db_url),
                               {"email": Stalled(channel, another_deliverer_claims)}, now=now)
    with session_scope(db_url) as session:
        (message,) = service.listed(session)
    assert (message.status, message.attempts) == ("sending", 2), "the other's claim stands"
    assert len(taken_back) == 1 and taken_back[0] is not None
    assert (slow.sent, slow.lapsed) == (0, 1)
    # The other dies before recording its result: after its lease, the message goes again,
    # with the same Message-ID, so the recipient can tell the copy for what it is.
    again = service.deliver_due(lambda: session_scope(db_url), {"email": channel},
                                now=after_the_lease + service.LEASE + timedelta(seconds=1))
    assert again.sent == 1
    assert len(inbox.messages) == 2 and len({m["Message-ID"] for m in inbox.messages}) == 1


def test_messages_are_claimed_one_at_a_time_so_no_claim_waits_behind_other_sends(
        db_url: str, smtp: tuple[Controller, Inbox, int]) -> None:
    controller, inbox, port = smtp
    controller.start()
    channel = SmtpChannel("127.0.0.1", port, "beaconport@test.example", timeout=5)
    _enqueue(db_url, 3)
    claimed_while_sending: list[int] = []

    def count_claims() -> None:
        with session_scope(db_url) as session:
            claimed_while_sending.append(session.scalar(
                select(func.count()).where(OutboxMessage.status == "sending")) or 0)

    done = service.deliver_due(lambda: session_scope(db_url),
                               {"email": Stalled(channel, count_claims)}, now=clock.now())
    assert done.sent == 3 and len(inbox.messages) == 3
    assert claimed_while_sending == [1, 1, 1]


def test_the_longest_send_fits_well_inside_a_claims_lease() -> None:
    channel = configured_channels()["email"]
    assert isinstance(channel, SmtpChannel)
    assert channel.timeout * service.SEND_EXCHANGES <= service.LEASE.total_seconds() / 2
