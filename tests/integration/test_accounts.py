"""Accounts, role grants, API tokens, demo accounts and their commands, on both engines."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from typer.testing import CliRunner

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import passwords, queries, service, totp
from beaconport.auth.models import ApiToken, RoleGrant, UserAccount
from beaconport.auth.permissions import FORCE_SCOPED_ROLES, Role
from beaconport.auth.policy import Grant
from beaconport.cli import app
from beaconport.db import Base, session_scope
from beaconport.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_secret
from beaconport.errors import Conflict, InvalidRequest, NotFound

PASSWORD = "correct horse battery staple"
WYP, GMP = "E23000010", "E23000005"


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: the tests check behaviour, not the cost of a hash."""
    monkeypatch.setattr(passwords, "_hasher",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def actions(url: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def every_stored_text(url: str) -> list[str]:
    """Every value in every table, as text: where a secret must never appear."""
    with session_scope(url) as session:
        return [str(value) for table in Base.metadata.sorted_tables
                for row in session.execute(select(table)) for value in row]


def create(url: str, username: str = "alice", **extra: Any) -> None:
    with session_scope(url) as session:
        service.create_user(session, actor="cli:admin", username=username,
                            display_name=extra.pop("display_name", "Alice Example"),
                            password=extra.pop("password", PASSWORD), **extra)


def expect(error: type[Exception], words: str, work: Callable[[Any], object], url: str) -> None:
    with pytest.raises(error, match=words), session_scope(url) as session:
        work(session)


def test_create_user(db_url: str) -> None:
    create(db_url, "  Alice.Example ", email="alice@example.org")
    with session_scope(db_url) as session:
        user = queries.get_user(session, "ALICE.EXAMPLE")
    assert (user.username, user.display_name, user.email) == (
        "alice.example", "Alice Example", "alice@example.org")
    assert user.roles == () and not user.disabled and not user.locked and not user.enrolled
    assert actions(db_url) == ["auth:user:created"]
    assert not any(PASSWORD in text for text in every_stored_text(db_url))

    expect(Conflict, "already an account", lambda s: service.create_user(
        s, actor="cli:admin", username="alice.EXAMPLE", display_name="Again",
        password=PASSWORD), db_url)
    expect(InvalidRequest, "3 to 80 characters", lambda s: service.create_user(
        s, actor="cli:admin", username="al ice", display_name="A", password=PASSWORD), db_url)
    expect(InvalidRequest, "at least 12 characters", lambda s: service.create_user(
        s, actor="cli:admin", username="bob", display_name="Bob", password="short"), db_url)
    expect(InvalidRequest, "not an email address", lambda s: service.create_user(
        s, actor="cli:admin", username="bob", display_name="Bob", password=PASSWORD,
        email="bob"), db_url)
    expect(InvalidRequest, "the person's name", lambda s: service.create_user(
        s, actor="cli:admin", username="bob", display_name="  ", password=PASSWORD), db_url)
    assert actions(db_url) == ["auth:user:created"]


def test_grant_and_revoke_roles(db_url: str) -> None:
    create(db_url)
    with session_scope(db_url) as session:
        service.grant_role(session, actor="cli:admin", username="alice",
                           role="force-submitter", force_code="WYP")
        service.grant_role(session, actor="cli:admin", username="alice",
                           role=Role.FORCE_SUBMITTER, force_code="Greater Manchester Police")
        service.grant_role(session, actor="cli:admin", username="alice", role="reviewer")
    with session_scope(db_url) as session:
        assert queries.get_user(session, "alice").roles == (
            f"force-submitter@{GMP}", f"force-submitter@{WYP}", "reviewer")
        granted_by = set(session.scalars(select(RoleGrant.granted_by)))
    assert granted_by == {"cli:admin"}

    grant = service.grant_role
    expect(InvalidRequest, "name the force", lambda s: grant(
        s, actor="x", username="alice", role="force-submitter"), db_url)
    expect(InvalidRequest, "without naming one", lambda s: grant(
        s, actor="x", username="alice", role="screener", force_code=WYP), db_url)
    expect(InvalidRequest, "Police Scotland is outside this review", lambda s: grant(
        s, actor="x", username="alice", role="force-submitter", force_code="police-scotland"),
        db_url)
    expect(InvalidRequest, "No police force is known", lambda s: grant(
        s, actor="x", username="alice", role="force-submitter", force_code="Atlantis"), db_url)
    expect(InvalidRequest, "There is no role 'overlord'. The roles are: force-submitter",
           lambda s: grant(s, actor="x", username="alice", role="overlord"), db_url)
    expect(Conflict, f"already holds the role force-submitter for {WYP}", lambda s: grant(
        s, actor="x", username="alice", role="force-submitter", force_code=WYP), db_url)
    expect(Conflict, "already holds the role reviewer", lambda s: grant(
        s, actor="x", username="alice", role="reviewer"), db_url)
    expect(NotFound, "no account with the username 'nobody'", lambda s: grant(
        s, actor="x", username="nobody", role="reviewer"), db_url)

    with session_scope(db_url) as session:
        service.revoke_role(session, actor="cli:admin", username="alice",
                            role="force-submitter", force_code=WYP)
        service.revoke_role(session, actor="cli:admin", username="alice", role="reviewer")
    expect(NotFound, "does not hold the role reviewer", lambda s: service.revoke_role(
        s, actor="x", username="alice", role="reviewer"), db_url)
    with session_scope(db_url) as session:
        assert queries.get_user(session, "alice").roles == (f"force-submitter@{GMP}",)
        granted = [e.data for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth:role:granted")
            .order_by(AuditEvent.seq))]
    assert [(d or {}).get("force_code") for d in granted] == [WYP, GMP, None]
    assert actions(db_url).count("auth:role:revoked") == 2


def test_set_password_disable_unlock_and_reset_second_factor(db_url: str) -> None:
    create(db_url)
    with session_scope(db_url) as session:
        service.set_password(session, actor="cli:admin", username="alice",
                             password="a brand new passphrase")
        before = session.scalar(select(UserAccount).where(UserAccount.username == "alice"))
        assert before is not None
        before.totp_secret, before.totp_confirmed_at_utc = totp.new_secret(), clock.now()
        before.failed_attempts, before.locked_until_utc = 12, clock.now() + timedelta(hours=1)
    with session_scope(db_url) as session:
        user = queries.get_user(session, "alice")
        assert user.enrolled and user.locked
        service.unlock_user(session, actor="cli:admin", username="alice")
        service.reset_second_factor(session, actor="cli:admin", username="alice")
    with session_scope(db_url) as session:
        user = queries.get_user(session, "alice")
        assert not user.enrolled and not user.locked
        stored = session.scalar(select(UserAccount).where(UserAccount.username == "alice"))
        assert stored is not None and stored.totp_secret is None
        assert passwords.verify_password(stored.password_hash, "a brand new passphrase")
        service.disable_user(session, actor="cli:admin", username="alice")
    expect(Conflict, "already disabled", lambda s: service.disable_user(
        s, actor="x", username="alice"), db_url)
    expect(InvalidRequest, "built from it", lambda s: service.set_password(
        s, actor="x", username="alice", password="alice"), db_url)
    with session_scope(db_url) as session:
        assert queries.get_user(session, "alice").disabled
    assert actions(db_url) == [
        "auth:user:created", "auth:password:set", "auth:user:unlocked",
        "auth:second-factor:reset", "auth:user:disabled"]
    assert not any("a brand new passphrase" in text for text in every_stored_text(db_url))


def test_api_tokens(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    moment = [datetime(2026, 12, 1, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    with session_scope(db_url) as session:
        token = service.issue_token(session, actor="cli:admin", name="WYP records system",
                                    force_code="West Yorkshire", days=30)
    assert re.fullmatch(r"bp_[A-Za-z0-9_-]{43}", token)
    assert not any(token in text or token[10:] in text for text in every_stored_text(db_url))

    with session_scope(db_url) as session:
        who = service.principal_for_token(session, token=token)
        assert who is not None
        assert (who.kind, who.name, who.display_name) == ("token", token[:10],
                                                          "WYP records system")
        assert who.grants == (Grant(Role.FORCE_SUBMITTER, WYP),
                              Grant(Role.FORCE_INVESTIGATOR, WYP)) and who.actor.startswith(
            "token:bp_")
        assert service.principal_for_token(session, token=token + "x") is None
        assert service.principal_for_token(session, token="not-a-token") is None
    with session_scope(db_url) as session:
        listed = queries.list_tokens(session)
    assert [(t.prefix, t.force_code, t.state, t.created_by) for t in listed] == [
        (token[:10], WYP, "active", "cli:admin")]
    assert listed[0].last_used_at == moment[0]
    assert "hash" not in " ".join(type(listed[0]).__slots__)

    # last_used is written at most once a minute
    moment[0] += timedelta(seconds=30)
    with session_scope(db_url) as session:
        service.principal_for_token(session, token=token)
    with session_scope(db_url) as session:
        assert queries.list_tokens(session)[0].last_used_at == moment[0] - timedelta(seconds=30)

    moment[0] += timedelta(days=30)
    with session_scope(db_url) as session:
        assert service.principal_for_token(session, token=token) is None
        assert queries.list_tokens(session)[0].state == "expired"

    with session_scope(db_url) as session:
        second = service.issue_token(session, actor="cli:admin", name="GMP", force_code=GMP)
        expires = session.scalar(select(ApiToken.expires_at_utc)
                                 .where(ApiToken.prefix == second[:10]))
    assert expires is not None and expires.replace(tzinfo=UTC) == moment[0] + timedelta(days=90)
    with session_scope(db_url) as session:
        service.revoke_token(session, actor="cli:admin", prefix=second[:10])
    with session_scope(db_url) as session:
        assert service.principal_for_token(session, token=second) is None
    expect(Conflict, "already revoked", lambda s: service.revoke_token(
        s, actor="x", prefix=second[:10]), db_url)
    expect(NotFound, "no API token", lambda s: service.revoke_token(
        s, actor="x", prefix="bp_nothing"), db_url)
    expect(InvalidRequest, "outside this review", lambda s: service.issue_token(
        s, actor="x", name="PSNI", force_code="northern-ireland"), db_url)
    expect(InvalidRequest, "1 to 366 days", lambda s: service.issue_token(
        s, actor="x", name="Long", force_code=WYP, days=400), db_url)
    expect(InvalidRequest, "Give the token a name", lambda s: service.issue_token(
        s, actor="x", name=" ", force_code=WYP), db_url)
    assert actions(db_url) == ["auth:token:issued", "auth:token:issued", "auth:token:revoked"]


def test_users_commands(cli: Any, db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["users", "create", "Carol", "--name", "Carol Example",
                                 "--email", "carol@example.org", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["users", "create", "dave", "--name", "Dave"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and PASSWORD not in result.output, result.output
    result = runner.invoke(app, ["users", "create", "erin", "--name", "Erin",
                                 "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "at least 12 characters" in result.output

    assert cli("users", "grant", "carol", "force-submitter", "--force", "WYP")[0] == 0
    assert cli("users", "grant", "carol", "screener")[0] == 0
    status, output = cli("users", "grant", "carol", "force-submitter")
    assert status == 1 and "name the force" in output
    status, output = cli("users", "grant", "carol", "analyst", "--force", "WYP")
    assert status == 1 and "without naming one" in output
    assert cli("users", "revoke", "carol", "screener")[0] == 0
    assert cli("users", "disable", "dave")[0] == 0
    status, output = cli("users", "disable", "dave")
    assert status == 1 and "already disabled" in output
    assert cli("users", "unlock", "carol")[0] == 0
    assert cli("users", "reset-second-factor", "carol")[0] == 0
    status, output = cli("users", "unlock", "nobody")
    assert status == 1 and "no account with the username 'nobody'" in output

    status, output = cli("users", "list", "--json")
    listed = {u["username"]: u for u in json.loads(output)}
    assert listed["carol"]["roles"] == [f"force-submitter@{WYP}"]
    assert listed["dave"]["disabled"] and not listed["carol"]["disabled"]
    status, output = cli("users", "list")
    assert status == 0 and "carol" in output and "disabled" in output

    status, output = cli("users", "permissions")
    assert status == 0 and output == queries.permission_matrix_markdown()
    with session_scope(db_url) as session:
        actors = set(session.scalars(select(AuditEvent.actor)))
    assert all(a.startswith("cli:") for a in actors)
    assert not any(PASSWORD in text for text in every_stored_text(db_url))


def test_tokens_commands(cli: Any, db_url: str) -> None:
    status, output = cli("tokens", "issue", "--force", "GMP", "--name", "GMP RMS", "--days", "7")
    token = output.strip().splitlines()[-1]
    assert status == 0 and token.startswith("bp_") and "shown once" in output
    status, output = cli("tokens", "list", "--json")
    listed = json.loads(output)
    assert [(t["prefix"], t["force_code"], t["state"]) for t in listed] == [
        (token[:10], GMP, "active")]
    assert token not in output
    assert cli("tokens", "revoke", token[:10])[0] == 0
    status, output = cli("tokens", "revoke", token[:10])
    assert status == 1 and "already revoked" in output
    status, output = cli("tokens", "issue", "--force", "Police Scotland", "--name", "x")
    assert status == 1 and "outside this review" in output
    assert "revoked" in cli("tokens", "list")[1]


def test_demo_accounts_sign_in_and_their_codes(cli: Any, db_url: str) -> None:
    status, output = cli("demo-data", "code", "demo-screener")
    assert status == 1 and "not marked as a demonstration" in output

    status, output = cli("demo-data", "accounts")
    assert status == 0 and DEMO_PASSWORD in output and demo_secret("demo-screener") in output
    assert cli("demo-data", "accounts")[0] == 0  # again: nothing changes
    status, output = cli("users", "list", "--json")
    listed = {u["username"]: u for u in json.loads(output)}
    assert set(listed) == {a.username for a in DEMO_ACCOUNTS}
    assert {r for u in listed.values() for r in u["roles"]} == {
        *(r.value for r in Role if r not in FORCE_SCOPED_ROLES),
        f"force-submitter@{WYP}", f"force-submitter@{GMP}",
        f"force-investigator@{WYP}", f"force-investigator@{GMP}"}
    assert listed["demo-force-submitter-2"]["roles"] == [f"force-submitter@{GMP}"]
    assert all(u["enrolled"] for u in listed.values())
    assert actions(db_url).count("instance:property:set") == 1

    status, output = cli("demo-data", "code", "Demo-Screener")
    code = output.strip()
    assert status == 0 and re.fullmatch(r"\d{6}", code)
    assert code == totp.current_code(demo_secret("demo-screener"), clock.now())
    with session_scope(db_url) as session:
        first = service.begin_sign_in(session, username="demo-screener",
                                      password=DEMO_PASSWORD, client=None)
        assert first.token and not first.enrol
        done = service.complete_second_factor(session, token=first.token, code=code, client=None)
        assert done.token
        who = service.principal_for_session(session, token=done.token)
    assert who is not None and who.grants == (Grant(Role.SCREENER),)
    status, output = cli("demo-data", "code", "alice")
    assert status == 1 and "not a demo account" in output


def test_demo_accounts_refused_on_a_database_with_its_own_accounts(cli: Any,
                                                                   db_url: str) -> None:
    create(db_url)
    status, output = cli("demo-data", "accounts")
    assert status == 1 and "accounts of its own" in output
    status, output = cli("demo-data", "code", "demo-screener")
    assert status == 1 and "not marked as a demonstration" in output
    with session_scope(db_url) as session:
        assert [u.username for u in queries.list_users(session)] == ["alice"]
        expect(InvalidRequest, "not marked as a demonstration",
               lambda s: service.enrol_demo_second_factor(
                   s, actor="x", username="alice", secret=demo_secret("alice")), db_url)
