"""Victim and survivor engagement on both engines: support moves only as the table allows, each
step screens the referral again at once (the force is never asked about a complainant the
review is in touch with), a withdrawal holds the case at once and support given again lifts
it, a supervisor may lift a hold with a reason, the contact plan never loses an update, and
Victims' Code duties fall due from what happened, met by logged contacts."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.test_actions import _to_panel
from tests.integration.test_allocation import _allocate, _id, _reviewer, _status
from tests.integration.test_triage import _case, _import

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.referrals import states
from beaconport.review import outcomes
from beaconport.screening.models import InformationRequest, ScreeningDecision
from beaconport.victims import contact, duties, queries, support
from beaconport.victims.contact import Channel, ContactInput, PlanInput, Window
from beaconport.victims.support import SupportInput, SupportProblems

SUPERVISOR = Principal(uuid.uuid4(), "lead", "Lead", (Grant(Role.SENIOR_REVIEWER),))
LIAISON = Principal(uuid.uuid4(), "vlo", "Vlo", (Grant(Role.VICTIM_LIAISON),))


def _two_complainants(reference: str, *, c2: str = "supports") -> dict[str, Any]:
    doc = _case(reference)
    first = next(p for p in doc["people"] if p["id"] == "C1")
    doc["people"].append(dict(first, id="C2", forenames="Second", review_support=c2))
    doc["crimes"][0]["complainants"] = ["C1", "C2"]
    return doc


def _step(to: str, *, on: date | None = None, through: str = "isva",
          name: str = "A. Adviser") -> SupportInput:
    return SupportInput(to_state=to, occurred_on=on or clock.today(),
                        approached_by="DC Reed", through=through, through_name=name,
                        agreed=f"Recorded as {to} after a meeting at the ISVA's office.")


def _record(url: str, referral_id: uuid.UUID, ref: str, to: str) -> support.Recorded:
    with session_scope(url) as session:
        return support.record(session, actor="vlo", referral_id=referral_id, person_ref=ref,
                              given=_step(to))


def _decision(url: str, referral_id: uuid.UUID) -> tuple[str, list[Any]]:
    with session_scope(url) as session:
        row = session.scalar(select(ScreeningDecision).where(
            ScreeningDecision.referral_id == referral_id, ScreeningDecision.current.is_(True)))
        assert row is not None
        return row.decision, list(row.results)


def test_a_withdrawal_holds_the_case_at_once_and_support_given_again_lifts_it(
        db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _two_complainants("WYP/VE/01"))
    referral_id = _id(db_url, "WYP/VE/01")
    assert _status(db_url, "WYP/VE/01") == states.ELIGIBLE

    with pytest.raises(SupportProblems) as refused, session_scope(db_url) as session:
        support.record(session, actor="vlo", referral_id=referral_id, person_ref="C1",
                       given=SupportInput("approached", clock.today() + timedelta(days=1),
                                          "", "isva", "", "short"))
    problems = dict(refused.value.problems)
    # The force's "supports" is where the review starts.
    assert problems["to_state"].startswith("Their support stands at “supports the review”")
    assert "future" in problems["occurred_on"]
    assert {"approached_by", "through_name", "agreed"} <= set(problems)

    held = _record(db_url, referral_id, "C1", "declines")
    assert held.held and held.decision == "eligible"  # C2 still supports
    assert _status(db_url, "WYP/VE/01") == states.PAUSED
    with session_scope(db_url) as session:
        assert "C1 withdrew support" in (queries.case_support(session, referral_id).on_hold
                                         or "")
    _reviewer(db_url, "able")
    with pytest.raises(InvalidRequest, match="held"):
        _allocate(db_url, "WYP/VE/01", "able")

    back = _record(db_url, referral_id, "C1", "supports")
    assert back.released and _status(db_url, "WYP/VE/01") == states.ELIGIBLE
    _allocate(db_url, "WYP/VE/01", "able")
    assert _status(db_url, "WYP/VE/01") == states.UNDER_REVIEW

    # Withdrawn again under review: a supervisor lets the review go on with C2's support.
    assert _record(db_url, referral_id, "C1", "undecided").held
    assert _status(db_url, "WYP/VE/01") == states.PAUSED
    with session_scope(db_url) as session, pytest.raises(SupportProblems):
        support.lift(session, principal=SUPERVISOR, actor="lead", referral_id=referral_id,
                     reason="Go on.")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="supervisor"):
        support.lift(session, principal=LIAISON, actor="vlo", referral_id=referral_id,
                     reason="C2 supports the review and wants it to go on.")
    with session_scope(db_url) as session:
        support.lift(session, principal=SUPERVISOR, actor="lead", referral_id=referral_id,
                     reason="C2 supports the review and wants it to go on.")
    assert _status(db_url, "WYP/VE/01") == states.UNDER_REVIEW
    with session_scope(db_url) as session:
        held_events = [e.action for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("victims:%"))
            .order_by(AuditEvent.seq))]
        assert held_events.count("victims:case:held") == 2
        assert held_events.count("victims:case:hold-lifted") == 2
        # The audit names the complainant by reference only.
        assert all("Second" not in str(e.data) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("victims:%"))))

    # Both decline: screening finds the case ineligible, hold or not.
    _record(db_url, referral_id, "C1", "declines")
    _record(db_url, referral_id, "C2", "declines")
    assert _decision(db_url, referral_id)[0] == "ineligible"
    assert _status(db_url, "WYP/VE/01") == states.INELIGIBLE


def test_support_the_review_is_finding_out_is_not_asked_of_the_force(
        db_url: str, tmp_path: Path) -> None:
    doc = _case("WYP/VE/02")
    next(p for p in doc["people"] if p["id"] == "C1")["review_support"] = "not_yet_approached"
    _import(db_url, tmp_path, doc)
    referral_id = _id(db_url, "WYP/VE/02")
    decision, _ = _decision(db_url, referral_id)
    assert decision == "needs_information"
    with session_scope(db_url) as session:
        asked = session.scalar(select(InformationRequest.items).where(
            InformationRequest.referral_id == referral_id,
            InformationRequest.status == "open"))
        assert asked == ["whether complainant C1 supports the review"]
    with session_scope(db_url) as session, pytest.raises(SupportProblems, match="approached"):
        support.record(session, actor="vlo", referral_id=referral_id, person_ref="C1",
                       given=_step("supports"))
    _record(db_url, referral_id, "C1", "approached")
    decision, results = _decision(db_url, referral_id)
    reason = next(r["reason"] for r in results if r["criterion"] == "victim_support")
    assert decision == "needs_information" and "in touch with complainant C1" in reason
    with session_scope(db_url) as session:
        still = session.scalar(select(InformationRequest.status).where(
            InformationRequest.referral_id == referral_id).order_by(
                InformationRequest.opened_at_utc.desc()))
        assert still != "open"
    assert _record(db_url, referral_id, "C1", "supports").decision == "eligible"
    assert _status(db_url, "WYP/VE/02") == states.ELIGIBLE
    with session_scope(db_url) as session, pytest.raises(NotFound):
        support.record(session, actor="vlo", referral_id=referral_id, person_ref="P1",
                       given=_step("approached"))


def test_the_contact_plan_never_loses_an_update(db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/VE/03"))
    referral_id = _id(db_url, "WYP/VE/03")
    plan = PlanInput(preferred_name="Jo", channels=(Channel("phone", "07700 900123",
                                                            "Not before 10am"),),
                     safe_times="Weekdays 10:00 to 15:00",
                     no_contact=(Window(date(2027, 1, 1), date(2027, 1, 14), "Exams"),),
                     intermediary="A. Adviser, ISVA service", language="English",
                     needs="Large print letters", updates="key_decisions",
                     updates_how="Through the ISVA")
    with session_scope(db_url) as session:
        assert contact.save_plan(session, actor="vlo", referral_id=referral_id,
                                 person_ref="C1", revision=0, plan=plan) == 1
    with session_scope(db_url) as session, pytest.raises(Conflict, match="since you opened"):
        contact.save_plan(session, actor="other-vlo", referral_id=referral_id,
                          person_ref="C1", revision=0, plan=plan)
    bad = PlanInput("", (Channel("pigeon", ""),), "", (Window(date(2027, 2, 2),
                                                               date(2027, 1, 1), ""),),
                    "", "", "", "sometimes", "")
    with session_scope(db_url) as session, pytest.raises(contact.ContactProblems) as refused:
        contact.save_plan(session, actor="vlo", referral_id=referral_id, person_ref="C1",
                          revision=1, plan=bad)
    assert {"channel-1-kind", "channel-1-detail", "window-1-ends", "updates"} <= set(
        dict(refused.value.problems))
    with session_scope(db_url) as session:
        record = queries.open_record(session, actor="vlo", referral_id=referral_id,
                                     person_ref="C1")
        assert record.plan["preferred_name"] == "Jo" and record.plan_revision == 1
        saved = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "victims:plan:saved"))
        assert saved is not None and "07700" not in str(saved.data)
        assert "preferred_name" in saved.data["changed"]


def test_victims_code_duties_fall_due_from_what_happened(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Engaged before the panel decides, so the decision is owed to them.
    _import(db_url, tmp_path, _case("WYP/VE/04"))
    referral_id = _id(db_url, "WYP/VE/04")
    with session_scope(db_url) as session:
        engagement = support.engagement_of(session, referral_id, "C1", create=True)
        assert engagement is not None
        engagement.created_at_utc = datetime(2020, 1, 1, tzinfo=UTC)
    # _to_panel imports the case again: it is unchanged, so nothing moves.
    _to_panel(db_url, tmp_path, "WYP/VE/04", "reinvestigate_local_force")
    with session_scope(db_url) as session:
        found = duties.duties(session, referral_id=referral_id)
    (decision,) = [x for x in found if x.key.startswith("panel:")]
    # A child victim of rape: enhanced rights, one working day.
    assert decision.enhanced and decision.state == duties.DUE
    assert decision.due_on == duties.add_working_days(decision.arose_on, 1)

    with session_scope(db_url) as session, pytest.raises(contact.ContactProblems,
                                                         match="does not meet"):
        contact.log_contact(session, actor="vlo", referral_id=referral_id, person_ref="C1",
                            entry=ContactInput(clock.now(), "outgoing", "phone", False,
                                               "No answer; left no message.", decision.key))
    with session_scope(db_url) as session:
        contact.log_contact(session, actor="vlo", referral_id=referral_id, person_ref="C1",
                            entry=ContactInput(clock.now(), "outgoing", "phone", True,
                                               "Told her of the panel's decision.",
                                               decision.key))
        outcomes.record(session, actor="test", referral_id=referral_id, person_ref="P1",
                        event="arrested", occurred_on=clock.today(), note="")
        after = duties.duties(session, referral_id=referral_id)
    with session_scope(db_url) as session:
        # As at yesterday, nothing had happened yet: no duty.
        assert duties.duties(session, referral_id=referral_id,
                             as_at=clock.today() - timedelta(days=1)) == []
        as_at_today = duties.duties(session, referral_id=referral_id, as_at=clock.today())
        assert {x.key for x in as_at_today} == {x.key for x in after}
    told = next(x for x in after if x.key == decision.key)
    assert told.state == duties.MET and told.met_at is not None
    arrest = next(x for x in after if x.key.startswith("outcome:"))
    assert arrest.state == duties.DUE and "arrested" in arrest.title

    # Time passes: the arrest duty is overdue, and compliance counts it.
    later = datetime.combine(clock.today() + timedelta(days=10), datetime.min.time(), UTC)
    monkeypatch.setattr(clock, "now", lambda: later)
    with session_scope(db_url) as session:
        overdue = queries.overdue_duties(session)
        assert [x.key for x in overdue] == [arrest.key]
        measured = duties.compliance(duties.duties(session, referral_id=referral_id))
        assert (measured.counted, measured.on_time, measured.overdue) == (2, 1, 1)
        assert measured.percent == 50.0
        # No updates wanted: the duty is not owed.
        engagement = support.engagement_of(session, referral_id, "C1")
        assert engagement is not None
        engagement.updates = "none"
        session.flush()
        assert next(x for x in duties.duties(session, referral_id=referral_id)
                    if x.key == arrest.key).state == duties.NOT_OWED


def test_a_held_case_is_not_returned_to_the_queue(db_url: str, tmp_path: Path) -> None:
    """Returned while held, it would come back under review with no reviewer, and be stuck."""
    from beaconport.review import allocation

    _import(db_url, tmp_path, _two_complainants("WYP/VE/05"))
    referral_id = _id(db_url, "WYP/VE/05")
    _reviewer(db_url, "able")
    _allocate(db_url, "WYP/VE/05", "able")
    assert _record(db_url, referral_id, "C1", "declines").held
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="held"):
        allocation.return_to_queue(session, actor="lead", referral_id=referral_id,
                                   reason="The reviewer is away for a month.")
    assert _record(db_url, referral_id, "C1", "supports").released
    assert _status(db_url, "WYP/VE/05") == states.UNDER_REVIEW
    with session_scope(db_url) as session:
        allocation.return_to_queue(session, actor="lead", referral_id=referral_id,
                                   reason="The reviewer is away for a month.")
    assert _status(db_url, "WYP/VE/05") == states.ELIGIBLE


def test_duties_as_at_a_day_do_not_change_with_a_later_resubmission(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _import(db_url, tmp_path, _case("WYP/VE/06"))
    referral_id = _id(db_url, "WYP/VE/06")
    with session_scope(db_url) as session:
        engagement = support.engagement_of(session, referral_id, "C1", create=True)
        assert engagement is not None
        engagement.created_at_utc = datetime(2020, 1, 1, tzinfo=UTC)
    _to_panel(db_url, tmp_path, "WYP/VE/06", "reinvestigate_local_force")
    day = clock.today()
    with session_scope(db_url) as session:
        before = [(x.key, x.enhanced, x.due_on)
                  for x in duties.duties(session, referral_id=referral_id, as_at=day)]
    # Three days on, the force resubmits: the offence recoded as not sexual, the complainant
    # an adult. The duties as at the first day stand as they were.
    doc = _case("WYP/VE/06")
    doc["crimes"][0]["offence"] = {"scheme": "HOCODE", "code": "36"}
    next(p for p in doc["people"] if p["id"] == "C1")["date_of_birth"] = "1990-01-01"
    later = clock.now() + timedelta(days=3)
    monkeypatch.setattr(clock, "now", lambda: later)
    _import(db_url, tmp_path, doc)
    with session_scope(db_url) as session:
        after = [(x.key, x.enhanced, x.due_on)
                 for x in duties.duties(session, referral_id=referral_id, as_at=day)]
    assert before == after and before and before[0][1] is True
