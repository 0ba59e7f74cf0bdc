"""Signing in, the second factor, slowing and lockout, sessions and signing out, on both engines.

Time comes from a fake clock (``beaconport.clock.now`` replaced), so waits, idle time and expiry
are exact and instant.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import passwords, service, totp
from beaconport.auth.models import UserAccount, WebSession
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant
from beaconport.auth.queries import get_user
from beaconport.auth.signin import CODE_NOT_RIGHT, NOT_RIGHT, TIMED_OUT, SignInStep
from beaconport.db import session_scope
from beaconport.settings import get_settings

PASSWORD = "correct horse battery staple"
WYP = "E23000010"


class FakeClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 12, 1, 9, 0, 5, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests check behaviour, not the cost of a hash."""
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


@pytest.fixture
def alice(db_url: str, now: FakeClock) -> Iterator[str]:
    with session_scope(db_url) as session:
        service.create_user(session, actor="cli:test", username="alice",
                            display_name="Alice Example", password=PASSWORD)
        service.grant_role(session, actor="cli:test", username="alice",
                           role=Role.FORCE_SUBMITTER, force_code=WYP)
    yield "alice"


def begin(url: str, username: str = "alice", password: str = PASSWORD) -> SignInStep:
    with session_scope(url) as session:
        return service.begin_sign_in(session, username=username, password=password,
                                     client="192.0.2.1")


def complete(url: str, token: str, code: str) -> SignInStep:
    with session_scope(url) as session:
        return service.complete_second_factor(session, token=token, code=code,
                                              client="192.0.2.1")


def secret_of(url: str, username: str = "alice") -> str:
    with session_scope(url) as session:
        secret = session.scalar(select(UserAccount.totp_secret)
                                .where(UserAccount.username == username))
    assert secret
    return secret


def code_now(url: str, now: FakeClock, username: str = "alice") -> str:
    return totp.current_code(secret_of(url, username), now())


def sign_in(url: str, now: FakeClock, username: str = "alice") -> str:
    """Both steps; returns the active session token."""
    first = begin(url, username)
    assert first.token, first.refusal
    second = complete(url, first.token, code_now(url, now, username))
    assert second.token, second.refusal
    now.advance(seconds=30)  # the next sign-in needs a fresh code
    return second.token


def principal(url: str, token: str) -> Any:
    with session_scope(url) as session:
        return service.principal_for_session(session, token=token)


def events(url: str, action: str | None = None) -> list[AuditEvent]:
    with session_scope(url) as session:
        query = select(AuditEvent).order_by(AuditEvent.seq)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.scalars(query))


def account(url: str, username: str = "alice") -> UserAccount:
    with session_scope(url) as session:
        found = session.scalar(select(UserAccount).where(UserAccount.username == username))
    assert found is not None
    return found


def test_first_sign_in_enrols_then_rotates_the_session(db_url: str, now: FakeClock,
                                                       alice: str) -> None:
    first = begin(db_url, "  Alice ")
    assert first.accepted and first.enrol and first.refusal is None
    assert first.provisioning_uri and "issuer=Beaconport" in first.provisioning_uri
    assert secret_of(db_url) in first.provisioning_uri
    assert principal(db_url, first.token or "") is None  # the code is still due

    with session_scope(db_url) as session:
        pending = service.pending_sign_in(session, token=first.token or "")
    assert pending is not None and pending.username == "alice" and pending.enrol
    assert pending.provisioning_uri == first.provisioning_uri

    second = complete(db_url, first.token or "", code_now(db_url, now))
    assert second.accepted and second.token != first.token
    assert principal(db_url, first.token or "") is None
    with session_scope(db_url) as session:
        assert service.pending_sign_in(session, token=first.token or "") is None
    who = principal(db_url, second.token or "")
    assert who.name == "alice" and who.display_name == "Alice Example" and who.kind == "user"
    assert who.grants == (Grant(Role.FORCE_SUBMITTER, WYP),)
    assert who.actor == "user:alice"

    assert account(db_url).totp_confirmed_at_utc is not None
    assert [e.action for e in events(db_url)][-2:] == [
        "auth:second-factor:enrolled", "auth:session:signed-in"]
    signed_in = events(db_url, "auth:session:signed-in")[0]
    assert signed_in.actor == "user:alice" and signed_in.client == "192.0.2.1"

    now.advance(minutes=1)
    again = begin(db_url)
    assert again.accepted and not again.enrol and again.provisioning_uri is None


def test_unknown_user_disabled_user_and_wrong_password_read_the_same(
        db_url: str, now: FakeClock, alice: str) -> None:
    wrong = begin(db_url, password="not the right password")
    unknown = begin(db_url, username="nobody")
    with session_scope(db_url) as session:
        service.create_user(session, actor="cli:test", username="bob", display_name="Bob",
                            password=PASSWORD)
        service.disable_user(session, actor="cli:test", username="bob")
    disabled = begin(db_url, username="bob")
    for step in (wrong, unknown, disabled):
        assert step == SignInStep(refusal=NOT_RIGHT)
    reasons = [(e.actor, e.data["reason"] if e.data else None)
               for e in events(db_url, "auth:session:sign-in-failed")]
    assert reasons == [("user:alice", "wrong-password"), ("anonymous", "unknown-user"),
                       ("user:bob", "disabled")]
    assert "nobody" not in str([e.subject_id for e in events(db_url)])


def test_failures_slow_the_account_down_then_lock_it(db_url: str, now: FakeClock,
                                                      alice: str) -> None:
    settings = get_settings()
    slow_after, lock_after = settings.sign_in_slow_after, settings.lockout_after
    for _ in range(slow_after):
        assert begin(db_url, password="wrong wrong wrong").refusal == NOT_RIGHT
    # Now each attempt must wait 2**(failures - slow_after) seconds after the last failure,
    # and is refused without the password being checked, so the right one fails too.
    refused = begin(db_url)
    assert not refused.accepted and refused.wait_seconds == 1
    assert refused.refusal and "Wait 1 second " in refused.refusal
    assert account(db_url).failed_attempts == slow_after

    for failures in range(slow_after + 1, lock_after):
        now.advance(seconds=2 ** (failures - 1 - slow_after))
        assert begin(db_url, password="wrong wrong wrong").refusal == NOT_RIGHT
        waiting = begin(db_url)
        assert waiting.wait_seconds == 2 ** (failures - slow_after), failures
    now.advance(seconds=2 ** (lock_after - 1 - slow_after))
    assert begin(db_url, password="wrong wrong wrong").refusal == NOT_RIGHT
    locked = begin(db_url)
    assert locked.refusal and "locked for 30 minutes" in locked.refusal
    assert locked.wait_seconds == settings.lockout_minutes * 60
    assert len(events(db_url, "auth:user:locked")) == 1
    with session_scope(db_url) as session:
        assert get_user(session, "alice").locked

    now.advance(minutes=settings.lockout_minutes, seconds=1)
    assert begin(db_url).accepted  # the lock runs out on its own

    # Or an administrator unlocks it sooner.
    for _ in range(2):
        begin(db_url, password="wrong wrong wrong")
    assert not begin(db_url).accepted
    with session_scope(db_url) as session:
        service.unlock_user(session, actor="cli:admin", username="alice")
    assert account(db_url).failed_attempts == 0
    assert sign_in(db_url, now)
    assert events(db_url, "auth:user:unlocked")[0].actor == "cli:admin"


def test_only_a_complete_sign_in_clears_the_failures(db_url: str, now: FakeClock,
                                                     alice: str) -> None:
    sign_in(db_url, now)  # enrolled
    for _ in range(2):
        begin(db_url, password="wrong wrong wrong")
    first = begin(db_url)
    assert first.accepted and account(db_url).failed_attempts == 2
    # Wrong codes count towards the same limit: the password alone buys no free guesses.
    assert complete(db_url, first.token or "", "000000").refusal == CODE_NOT_RIGHT
    refused = complete(db_url, first.token or "", code_now(db_url, now))
    assert refused.wait_seconds == 1 and account(db_url).failed_attempts == 3
    now.advance(seconds=1)
    done = complete(db_url, first.token or "", code_now(db_url, now))
    assert done.accepted
    assert account(db_url).failed_attempts == 0 and account(db_url).locked_until_utc is None
    reasons = [e.data["reason"] for e in events(db_url, "auth:session:sign-in-failed") if e.data]
    assert reasons == ["wrong-password", "wrong-password", "wrong-code", "must-wait"]


def test_a_code_is_never_accepted_twice(db_url: str, now: FakeClock, alice: str) -> None:
    first = begin(db_url)
    code = code_now(db_url, now)
    assert complete(db_url, first.token or "", code).accepted
    again = begin(db_url)
    assert complete(db_url, again.token or "", code).refusal == CODE_NOT_RIGHT
    assert events(db_url, "auth:session:sign-in-failed")[-1].data == {
        "reason": "reused-code", "failed_attempts": 1}
    now.advance(seconds=30)
    assert complete(db_url, again.token or "", code_now(db_url, now)).accepted


def test_half_done_sign_in_expires_after_ten_minutes(db_url: str, now: FakeClock,
                                                     alice: str) -> None:
    first = begin(db_url)
    now.advance(minutes=10, seconds=1)
    with session_scope(db_url) as session:
        assert service.pending_sign_in(session, token=first.token or "") is None
    assert complete(db_url, first.token or "", code_now(db_url, now)).refusal == TIMED_OUT
    assert complete(db_url, "made-up", "123456").refusal == TIMED_OUT


def test_sessions_end_when_idle_and_at_their_absolute_limit(db_url: str, now: FakeClock,
                                                            alice: str) -> None:
    settings = get_settings()
    token = sign_in(db_url, now)
    with session_scope(db_url) as session:
        seen = session.scalar(select(WebSession.last_seen_at_utc)
                              .where(WebSession.stage == "active"))
    assert principal(db_url, token) is not None  # 30 s after sign-in: not written
    with session_scope(db_url) as session:
        assert session.scalar(select(WebSession.last_seen_at_utc)
                              .where(WebSession.stage == "active")) == seen

    # Busy: a request every 25 minutes keeps it going, until the absolute limit.
    started = now() - timedelta(seconds=30)
    while now() + timedelta(minutes=25) < started + timedelta(hours=settings.session_max_hours):
        now.advance(minutes=25)
        assert principal(db_url, token) is not None, now()
    now.at = started + timedelta(hours=settings.session_max_hours)
    assert principal(db_url, token) is None

    # Idle: nothing for longer than the idle limit.
    other = sign_in(db_url, now)  # signed in 30 s ago
    now.advance(minutes=settings.session_idle_minutes, seconds=-30)
    assert principal(db_url, other) is not None
    now.advance(minutes=settings.session_idle_minutes, seconds=1)
    assert principal(db_url, other) is None


def test_disabling_an_account_ends_its_sessions(db_url: str, now: FakeClock, alice: str) -> None:
    token = sign_in(db_url, now)
    with session_scope(db_url) as session:
        service.disable_user(session, actor="cli:admin", username="alice")
    assert principal(db_url, token) is None
    with session_scope(db_url) as session:
        assert all(s.ended_at_utc is not None for s in session.scalars(select(WebSession)))
    assert events(db_url, "auth:user:disabled")[0].data == {
        "username": "alice", "sessions_ended": 1}
    assert not begin(db_url).accepted


def test_revoked_role_stops_at_the_next_request(db_url: str, now: FakeClock, alice: str) -> None:
    token = sign_in(db_url, now)
    with session_scope(db_url) as session:
        service.grant_role(session, actor="cli:admin", username="alice", role="screener")
    assert {g.role for g in principal(db_url, token).grants} == {
        Role.FORCE_SUBMITTER, Role.SCREENER}
    with session_scope(db_url) as session:
        service.revoke_role(session, actor="cli:admin", username="alice", role="screener")
    assert principal(db_url, token).grants == (Grant(Role.FORCE_SUBMITTER, WYP),)


def test_signing_out(db_url: str, now: FakeClock, alice: str) -> None:
    token = sign_in(db_url, now)
    with session_scope(db_url) as session:
        service.end_session(session, token=token, actor="user:alice")
    assert principal(db_url, token) is None
    with session_scope(db_url) as session:
        service.end_session(session, token=token, actor="user:alice")  # nothing to end
    assert len(events(db_url, "auth:session:signed-out")) == 1


def test_a_justification_lasts_for_the_session(db_url: str, now: FakeClock, alice: str) -> None:
    token = sign_in(db_url, now)
    other = sign_in(db_url, now)
    with session_scope(db_url) as session:
        service.remember_justification(session, token=token, record_key="person:1",
                                       justification="  Reviewing   the decision  ")
        service.remember_justification(session, token=token, record_key="person:2",
                                       justification="Contact history")
    with session_scope(db_url) as session:
        assert service.justification_for(session, token=token, record_key="person:1") == (
            "Reviewing the decision")
        assert service.justification_for(session, token=token, record_key="person:2") == (
            "Contact history")
        assert service.justification_for(session, token=token, record_key="person:3") is None
        assert service.justification_for(session, token=other, record_key="person:1") is None
        service.end_session(session, token=token, actor="user:alice")
    with session_scope(db_url) as session:
        assert service.justification_for(session, token=token, record_key="person:1") is None


def test_session_tokens_are_stored_only_as_hashes(db_url: str, now: FakeClock,
                                                  alice: str) -> None:
    first = begin(db_url)
    code = code_now(db_url, now)
    second = complete(db_url, first.token or "", code)
    with session_scope(db_url) as session:
        stored = [
            str(value) for s in session.scalars(select(WebSession))
            for value in (s.token_hash, s.data, s.client)
        ] + [str(e.data) for e in session.scalars(select(AuditEvent))]
    for secret in (first.token, second.token, code, PASSWORD, secret_of(db_url)):
        assert secret and not any(secret in text for text in stored), secret


def test_parallel_guesses_are_taken_one_at_a_time(db_url: str, now: FakeClock,
                                                  alice: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("row locks are PostgreSQL's; SQLite serves one analyst")
    slow_after = get_settings().sign_in_slow_after
    start = threading.Barrier(slow_after + 3)

    def guess() -> SignInStep:
        start.wait()
        return begin(db_url, password="a wrong guess, sent in parallel")

    with ThreadPoolExecutor(max_workers=slow_after + 3) as pool:
        steps = list(pool.map(lambda _: guess(), range(slow_after + 3)))
    assert account(db_url).failed_attempts == slow_after
    assert sorted(s.wait_seconds for s in steps) == [0] * slow_after + [1] * 3


def test_an_address_that_fails_too_often_must_wait_whatever_usernames_it_tries(
        db_url: str, now: FakeClock, alice: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEACONPORT_SIGN_IN_CLIENT_LIMIT", "5")
    get_settings.cache_clear()
    try:
        for n in range(5):
            assert begin(db_url, f"nobody{n}", "wrong guess").refusal == NOT_RIGHT
        refused = begin(db_url)  # alice, with her right password, from the same address
        assert refused.token is None and "network address" in (refused.refusal or "")
        with session_scope(db_url) as session:
            elsewhere = service.begin_sign_in(session, username="alice", password=PASSWORD,
                                              client="198.51.100.7")
        assert elsewhere.token is not None
        now.advance(minutes=16)
        assert begin(db_url).token is not None
    finally:
        get_settings.cache_clear()
