"""Referrals of flags to the authorities, on both engines: only the minimum necessary, never a
complainant's identity, each one a disclosure with its recipient, delivered through the outbox
to a real SMTP server, due in working days, chased, then escalated; the response recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.test_allocation import _id
from tests.integration.test_outbox import Inbox, _free_port
from tests.integration.test_safeguarding_flags import TAXI, _raise
from tests.integration.test_triage import _case, _import

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts
from beaconport.db import session_scope
from beaconport.outbox import service as outbox
from beaconport.outbox.channels import SmtpChannel
from beaconport.referrals.models import Referral
from beaconport.safeguarding import referrals
from beaconport.working_days import add_working_days

LICENSING: dict[str, Any] = {
    "route": "licensing_authority", "recipient_name": "Taxi licensing, Borough Council",
    "recipient_address": "licensing@borough.example", "gateway": "clpd",
    "requested_action": "Review his private hire licence and tell us what you decide.",
    "verified": {"name", "date_of_birth"}, "supervisor": "lead"}


def _setup(url: str, tmp_path: Path, **subject: Any) -> Any:
    """A referral whose suspect P1 (with ``subject``'s fields) is flagged, and a supervisor."""
    doc = _case("WYP/R/01")
    doc["people"][-1]["forenames"], doc["people"][-1]["surname"] = "Nadia", "Zephyrine"
    doc["people"][0].update(subject)
    _import(url, tmp_path, doc)
    with session_scope(url) as session:
        accounts.create_user(session, actor="test", username="lead", display_name="Lead",
                             password="a long test password 1", email="lead@nca.example")
    return _raise(url, _id(url, "WYP/R/01"), TAXI)


def _chase(session: Any, day: date) -> tuple[int, int]:
    done = referrals.chase_overdue(session, actor="cli", today=day)
    assert not done.redirected and not done.not_escalated
    return done.chased, done.escalated


def test_a_referral_sends_the_minimum_and_is_a_disclosure(db_url: str, tmp_path: Path,
                                                          ) -> None:
    flag_id = _setup(db_url, tmp_path)
    with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems) as bad:
        referrals.make_referral(session, actor="officer", flag_id=flag_id, route="oracle",
                                recipient_name="", recipient_address="not an address",
                                gateway="gossip", requested_action="do", verified={"eyes"},
                                supervisor="nobody")
    assert [f for f, _ in bad.value.problems] == [
        "route", "recipient_name", "recipient_address", "gateway", "requested_action",
        "verified", "supervisor"]
    with session_scope(db_url) as session:
        assert outbox.listed(session) == []
        made = referrals.make_referral(session, actor="officer", flag_id=flag_id, **LICENSING)
    with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems,
                                                         match="already"):
        referrals.make_referral(session, actor="officer", flag_id=flag_id, **LICENSING)
    with session_scope(db_url) as session:
        (message,) = outbox.listed(session)
        disclosed = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "safeguarding:referral:sent"))
        body = session.scalar(select(outbox.OutboxMessage.body))
    assert message.recipient == "licensing@borough.example"
    assert message.about == f"authority_referral:{made}"
    assert disclosed is not None and disclosed.category == "disclosure"
    assert disclosed.recipient == "Taxi licensing, Borough Council <licensing@borough.example>"
    assert body is not None and "Nadia" not in body and "Zephyrine" not in body
    assert "Complainants: 1 (not named)" in body and "(verified)" in body
    assert "(not verified)" in body and "not a finding of innocence" in body
    assert TAXI.facts in body and TAXI.assessment in body


def test_the_pnc_id_is_sent_and_only_an_item_recorded_can_be_marked_verified(
        db_url: str, tmp_path: Path) -> None:
    flag_id = _setup(db_url, tmp_path, identifiers=[{"type": "PNC", "value": "12/345678A"}])
    with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems) as bad:
        referrals.make_referral(session, actor="officer", flag_id=flag_id,
                                **LICENSING | {"verified": {"name", "pnc_id", "address"}})
    assert bad.value.problems == [("verified", "The subject's record has no address, so it "
                                   "cannot be marked verified: untick it.")]
    with session_scope(db_url) as session:
        assert outbox.listed(session) == []
        made = referrals.make_referral(session, actor="officer", flag_id=flag_id,
                                       **LICENSING | {"verified": {"name", "pnc_id"}})
    with session_scope(db_url) as session:
        sent = session.get(referrals.AuthorityReferral, made)
        body = session.scalar(select(outbox.OutboxMessage.body))
    assert sent is not None
    assert sent.content["identity"]["pnc_id"] == {"value": "12/345678A", "verified": True}
    assert sent.content["identity"]["address"] == {"value": None, "verified": False}
    assert body is not None and "PNC ID: 12/345678A (verified)" in body
    assert "Address: not known (not verified)" in body


def test_a_flagged_person_no_longer_a_suspect_is_never_referred(db_url: str,
                                                                 tmp_path: Path) -> None:
    flag_id = _setup(db_url, tmp_path)
    # The force resubmits the referral: the flagged person was a complainant, not a suspect.
    doc = _case("WYP/R/01")
    doc["people"][-1]["forenames"], doc["people"][-1]["surname"] = "Nadia", "Zephyrine"
    doc["people"][0] = {k: v for k, v in doc["people"][0].items()
                        if k not in ("interview", "arrested")} | {"role": "complainant"}
    doc["crimes"][0]["complainants"] = ["P1", "C1"]
    doc["crimes"][0]["suspects"] = ["P2"]
    doc["decisions"] = [d for d in doc["decisions"] if d["suspect"] == "P2"]
    _import(db_url, tmp_path, doc)
    with session_scope(db_url) as session:
        assert session.scalar(select(Referral.current_version).where(
            Referral.force_reference == "WYP/R/01")) == 2
    with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems) as refused:
        referrals.make_referral(session, actor="officer", flag_id=flag_id, **LICENSING)
    assert [f for f, _ in refused.value.problems] == ["subject"]
    assert "P1 is no longer a suspect" in str(refused.value)
    with session_scope(db_url) as session:
        assert outbox.listed(session) == []
        assert session.scalar(select(referrals.AuthorityReferral.id)) is None
        assert session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "safeguarding:referral:sent")) is None


def test_free_text_naming_a_complainant_is_never_sent(db_url: str, tmp_path: Path) -> None:
    flag_id = _setup(db_url, tmp_path)
    asking = LICENSING | {"requested_action": "Review his licence; NADIA ZEPHYRINE says he "
                                              "drove her."}
    with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems) as refused:
        referrals.make_referral(session, actor="officer", flag_id=flag_id, **asking)
    assert dict(refused.value.problems)["requested_action"].startswith(
        "What you ask names complainant C1")
    with session_scope(db_url) as session:
        flag = session.get(referrals.SafeguardingFlag, flag_id)
        assert flag is not None
        flag.facts += " Zephyrine's account names him."
    with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems) as refused:
        referrals.make_referral(session, actor="officer", flag_id=flag_id, **LICENSING)
    assert "The flag's facts, assessment or access names complainant C1" in str(refused.value)
    with session_scope(db_url) as session:
        assert outbox.listed(session) == []


def test_it_is_delivered_chased_and_escalated_in_working_days(
        db_url: str, tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    flag_id = _setup(db_url, tmp_path)
    with session_scope(db_url) as session:
        made = referrals.make_referral(session, actor="officer", flag_id=flag_id, **LICENSING)
        due = session.get(referrals.AuthorityReferral, made).due_on  # type: ignore[union-attr]
    assert due == add_working_days(clock.today(), 1)  # the flag's urgency: one working day
    inbox, port = Inbox(), _free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        channels = {"email": SmtpChannel("127.0.0.1", port, "safeguarding@nca.example")}
        assert outbox.deliver_due(lambda: session_scope(db_url), channels).sent == 1
        with session_scope(db_url) as session:
            assert _chase(session, due) == (0, 0)
            late = due + timedelta(days=1)
            assert _chase(session, late) == (1, 0)
            assert _chase(session, late) == (0, 0)
            after = add_working_days(date.today() + timedelta(days=2), 1)
            assert _chase(session, after) == (0, 1)
            assert _chase(session, after) == (0, 0)
        assert outbox.deliver_due(lambda: session_scope(db_url), channels).sent == 2
    finally:
        server.stop()
    subjects = sorted(" ".join(str(m["Subject"]).split()) for m in inbox.messages)
    assert [s.split(" ")[0] for s in subjects] == ["Escalated:", "Reminder:", "Safeguarding"]
    assert {m["To"] for m in inbox.messages} == {"licensing@borough.example",
                                                 "lead@nca.example"}
    with session_scope(db_url) as session:
        referrals.acknowledge(session, actor="officer", referral_id=made)
        referrals.acknowledge(session, actor="officer", referral_id=made,
                              response="Licence suspended pending our own inquiry.",
                              action_taken="Suspended on 2 December.")
        done = session.get(referrals.AuthorityReferral, made)
        assert done is not None and done.status == "responded"


def test_the_supervisor_must_be_someone_an_escalation_can_reach(db_url: str,
                                                                tmp_path: Path) -> None:
    flag_id = _setup(db_url, tmp_path)
    with session_scope(db_url) as session:
        accounts.create_user(session, actor="test", username="no-mail", display_name="No Mail",
                             password="a long test password 2")
        accounts.create_user(session, actor="test", username="gone", display_name="Gone",
                             password="a long test password 3", email="gone@nca.example")
        accounts.disable_user(session, actor="test", username="gone")
    for supervisor, problem in (
            ("gone", "The account gone is disabled: name an active supervisor"),
            ("no-mail", "The account no-mail has no email address, so they could not be told")):
        with session_scope(db_url) as session, pytest.raises(referrals.ReferralProblems) as bad:
            referrals.make_referral(session, actor="officer", flag_id=flag_id,
                                    **LICENSING | {"supervisor": supervisor})
        ((field, message),) = bad.value.problems
        assert field == "supervisor" and message.startswith(problem), message
    with session_scope(db_url) as session:
        assert outbox.listed(session) == []
        assert session.scalar(select(referrals.AuthorityReferral.id)) is None


def test_an_escalation_goes_to_the_safeguarding_officers_if_the_supervisor_was_disabled(
        db_url: str, tmp_path: Path, cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    flag_id = _setup(db_url, tmp_path)
    with session_scope(db_url) as session:
        made = referrals.make_referral(session, actor="officer", flag_id=flag_id, **LICENSING)
        due = session.get(referrals.AuthorityReferral, made).due_on  # type: ignore[union-attr]
        accounts.disable_user(session, actor="test", username="lead")  # the lead leaves
        assert _chase(session, due + timedelta(days=1)) == (1, 0)
    after = add_working_days(due + timedelta(days=2), 1)
    monkeypatch.setattr(clock, "now", lambda: datetime.combine(after, time(7), UTC))

    # Nobody can be told: it is not escalated, it is named, and the command fails.
    status, output = cli("safeguarding", "chase")
    assert status == 1 and "0 chased, 0 escalated" in output
    assert f"referral {referrals.short_reference(made)}" in output
    assert "nobody can be told" in output
    assert "their account is disabled" in output
    with session_scope(db_url) as session:
        referral = session.get(referrals.AuthorityReferral, made)
        assert referral is not None and referral.escalated_at_utc is None
        assert len(outbox.listed(session)) == 2  # the referral and its reminder

    with session_scope(db_url) as session:
        for username, role, email, disabled in (
                ("officer-1", "safeguarding-officer", "officer1@nca.example", False),
                ("officer-2", "safeguarding-officer", "officer2@nca.example", True),
                ("officer-3", "safeguarding-officer", None, False),
                ("reviewer-1", "reviewer", "reviewer1@nca.example", False)):
            accounts.create_user(session, actor="test", username=username,
                                 display_name=username, password="a long test password 4",
                                 email=email)
            accounts.grant_role(session, actor="test", username=username, role=role)
            if disabled:
                accounts.disable_user(session, actor="test", username=username)
    status, output = cli("safeguarding", "chase")
    assert status == 0 and "0 chased, 1 escalated" in output
    assert "Escalated instead to the safeguarding officers" in output
    with session_scope(db_url) as session:
        referral = session.get(referrals.AuthorityReferral, made)
        assert referral is not None and referral.escalated_at_utc is not None
        escalations = [m for m in outbox.listed(session) if m.subject.startswith("Escalated")]
        body = session.scalar(select(outbox.OutboxMessage.body).where(
            outbox.OutboxMessage.subject.startswith("Escalated")))
        event = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "safeguarding:referral:escalated"))
    assert [m.recipient for m in escalations] == ["officer1@nca.example"]
    assert body is not None and "lead, cannot be told (their account is disabled)" in body
    assert event is not None and event.data == {
        "supervisor": "lead", "due_on": due.isoformat(),
        "supervisor_not_told": "their account is disabled", "told": ["officer-1"]}
    status, output = cli("safeguarding", "chase")
    assert status == 0 and "0 chased, 0 escalated" in output


def test_referrals_on_the_web(web: Any) -> None:
    page = f"/referrals/{web.wyp_referral}/safeguarding-flags"
    reviewer = web.as_user("demo-reviewer")
    made = reviewer.post_form(page, {"person_ref": "P1", "stage": "review",
                                     "access_kind": "employment",
                                     "access_detail": "Caretaker at a primary school",
                                     "severity": "high", "urgency": "one_working_day",
                                     "facts": "Named as the caretaker in the account given.",
                                     "assessment": "Works in a school now: the LADO must know."},
                              from_page=page)
    flag_page = made.headers["location"]
    officer = web.as_user("demo-safeguarding-officer")
    bad = officer.post_form(f"{flag_page}/referrals", {
        "route": "lado", "recipient_name": "LADO, City Council", "recipient_address": "lado",
        "gateway": "dpa_sch8_para4", "requested_action": "Consider a strategy meeting.",
        "supervisor": "demo-senior-reviewer"}, from_page=flag_page)
    assert bad.status_code == 400 and "secure email address" in bad.text
    assert "Consider a strategy meeting." in bad.text
    sent = officer.post_form(f"{flag_page}/referrals", {
        "route": "lado", "recipient_name": "LADO, City Council",
        "recipient_address": "lado@city.example", "gateway": "dpa_sch8_para4",
        "requested_action": "Consider a strategy meeting.", "verified": "name",
        "supervisor": "demo-senior-reviewer"}, from_page=flag_page)
    assert sent.status_code == 303
    referral_page = sent.headers["location"]
    shown = officer.get(referral_page)
    assert shown.status_code == 200 and "Caretaker at a primary school" in shown.text
    assert "Sent" in officer.get(referral_page).text
    assert reviewer.post_form(f"{referral_page}/acknowledgement", {},
                              from_page=referral_page).status_code == 403
    assert officer.post_form(f"{referral_page}/acknowledgement", {},
                             from_page=referral_page).status_code == 303
    assert "Acknowledged" in officer.get(referral_page).text
    assert "LADO, City Council" in officer.get(flag_page).text
