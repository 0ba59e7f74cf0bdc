"""The victim liaison pages on both engines: only victim liaison officers open a complainant's
contact plan and log (every other role is refused, and nothing of the plan appears on pages
they can open); each form names every problem and keeps what was typed; opening a record is
audited; a withdrawal shows as a hold a supervisor can lift; the overdue view."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.db import session_scope
from beaconport.demo.accounts import DEMO_ACCOUNTS

PHONE = "07700 900987"


def _record_path(web: Seeded) -> str:
    return f"/victims/{web.wyp_referral}/P3"


def _plan(revision: str, **changes: str) -> dict[str, str]:
    return {"revision": revision, "preferred_name": "Sam", "channel-1-kind": "phone",
            "channel-1-detail": PHONE, "channel-1-note": "Never leave a message",
            "safe_times": "Weekdays after 6pm", "updates": "key_decisions",
            "intermediary": "R. Ames, ISVA", **changes}


def test_a_liaison_officer_keeps_support_plan_and_log(web: Seeded) -> None:
    vlo = web.as_user("demo-victim-liaison")
    path = _record_path(web)
    page = vlo.get(path)
    assert page.status_code == 200 and "Supports the review" in page.text  # as the force said

    bad = vlo.post_form(f"{path}/support", {"to_state": "approached", "occurred_on": "soon",
                                            "approached_by": "DC Reed", "through": "isva",
                                            "through_name": "", "agreed": "Kept words"},
                        from_page=path)
    assert bad.status_code == 400
    assert "it can next become declines, undecided or deceased" in bad.text
    assert "Give the date of the approach" in bad.text and "Name the ISVA" in bad.text
    assert "Kept words" in bad.text

    saved = vlo.post_form(f"{path}/plan", _plan("0"), from_page=path)
    assert saved.status_code == 303
    stale = vlo.post_form(f"{path}/plan", _plan("0", preferred_name="Samantha"),
                          from_page=path)
    assert stale.status_code == 409 and "since you opened it" in stale.text
    assert "Samantha" in stale.text  # what was typed is kept
    wrong = vlo.post_form(f"{path}/plan", _plan("1", **{"window-1-starts": "2027-02-02",
                                                        "window-1-ends": "2027-01-01"}),
                          from_page=path)
    assert wrong.status_code == 400 and "the last day comes before the first" in wrong.text

    now = clock.now().astimezone().strftime("%Y-%m-%dT%H:%M")
    logged = vlo.post_form(f"{path}/contacts", {
        "occurred_at": now, "direction": "outgoing", "channel": "phone", "reached": "yes",
        "summary": "Introduced myself and the review; she will think about updates."},
        from_page=path)
    assert logged.status_code == 303
    after = vlo.get(path).text
    assert PHONE in after and "Introduced myself" in after

    withdrawn = vlo.post_form(f"{path}/support", {
        "to_state": "declines", "occurred_on": clock.today().isoformat(),
        "approached_by": "DC Reed", "through": "direct", "through_name": "",
        "agreed": "She no longer wants the review to go on."}, from_page=path)
    assert withdrawn.status_code == 303
    assert "The case is held" in vlo.get(path).text

    with session_scope(web.url) as session:
        actions = list(session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("victims:%"))))
        assert actions.count("victims:engagement:consulted") >= 4
        assert {"victims:plan:saved", "victims:contact:logged",
                "victims:support:recorded"} <= set(actions)
        logged_data = " ".join(str(e.data) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("victims:%"))))
        assert PHONE not in logged_data and "Sam" not in logged_data


@pytest.mark.parametrize("account", [a for a in DEMO_ACCOUNTS
                                     if a.role.value != "victim-liaison"],
                         ids=lambda a: a.username)
def test_no_other_role_reads_contact_details(web: Seeded, account: object) -> None:
    vlo = web.as_user("demo-victim-liaison")
    path = _record_path(web)
    assert vlo.post_form(f"{path}/plan", _plan("0"), from_page=path).status_code == 303
    other = web.as_user(account.username)  # type: ignore[attr-defined]
    for page in (path, "/victims", f"/referrals/{web.wyp_referral}/victims"):
        assert other.get(page).status_code in (401, 403, 404), page
    assert other.post_form(f"{path}/plan", _plan("1"), from_page="/").status_code in (
        401, 403, 404)
    for page in (f"/referrals/{web.wyp_referral}", f"/cases/{web.wyp_referral}", "/overdue"):
        shown = other.get(page)
        assert PHONE not in shown.text and "Never leave a message" not in shown.text


def test_a_supervisor_sees_the_hold_and_everything_overdue(web: Seeded) -> None:
    vlo = web.as_user("demo-victim-liaison")
    path = _record_path(web)
    assert vlo.post_form(f"{path}/support", {
        "to_state": "undecided", "occurred_on": clock.today().isoformat(),
        "approached_by": "DC Reed", "through": "direct", "through_name": "",
        "agreed": "Wants time to think again."}, from_page=path).status_code == 303
    senior = web.as_user("demo-senior-reviewer")
    story = senior.get(f"/cases/{web.wyp_referral}")
    assert story.status_code == 200 and "The case is held" in story.text
    assert "P3 undecided" in story.text and 'data-testid="lift-form"' in story.text
    short = senior.post_form(f"/cases/{web.wyp_referral}/hold/lift", {"reason": "Go on."},
                             from_page=f"/cases/{web.wyp_referral}")
    assert short.status_code == 400 and "at least 20 characters" in short.text
    overdue = senior.get("/overdue")
    assert overdue.status_code == 200 and "Victims' Code duties not met" in overdue.text
    assert web.as_user("demo-reviewer").get("/overdue").status_code == 403
