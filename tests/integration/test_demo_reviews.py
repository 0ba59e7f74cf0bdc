"""`beaconport demo-data reviews` on a small demonstration built with the command line, on both
engines: what it says it did is what the database holds, the learning has something to count,
and it is refused on a database that is not a demonstration, or run a second time."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from tests.integration.helpers import count

from beaconport import clock
from beaconport.auth import totp
from beaconport.db import session_scope
from beaconport.demo.accounts import demo_secret
from beaconport.demo.reviews import TOUR_ROOM
from beaconport.review import blind, conduct, learning, states, workload
from beaconport.review.models import CaseReview, OutcomeEvent, PanelDecision, ReviewAction
from beaconport.safeguarding.models import AuthorityReferral, SafeguardingFlag
from beaconport.victims import duties
from beaconport.victims.models import Engagement


def _referrals(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "demo.jsonl"
    assert cli("demo-data", "generate", "--referrals", "120", "--seed", "2025",
               "--output", str(path))[0] == 0
    assert cli("referrals", "import", str(path))[0] == 0
    assert cli("people", "link")[0] == 0


def _figure(output: str, label: str) -> int:
    found = re.search(rf"^\s*{label}: (\d+)", output, re.MULTILINE)
    assert found, f"no {label!r} in {output}"
    return int(found.group(1))


def test_demo_reviews_reach_every_stand_and_say_so(cli: Any, db_url: str,
                                                   tmp_path: Path) -> None:
    _referrals(cli, tmp_path)
    assert cli("demo-data", "accounts")[0] == 0
    status, output = cli("demo-data", "reviews", "--cases", "12")
    assert status == 0, output

    with session_scope(db_url) as session:
        primary = conduct.listed(session, kind=blind.PRIMARY)
        signed = [r for r in primary if r.status == states.SIGNED_OFF]
        waiting = [r for r in primary if r.status == states.SUBMITTED]
        learnt = learning.counts(session, learning.LearningFilter(), by_force=False)
        decisions = session.scalar(select(func.count()).select_from(PanelDecision))
        demo_reviewer = next(r for r in workload.reviewers(session)
                             if r.username == "demo-reviewer")
        drawn = session.scalar(select(func.count()).select_from(CaseReview)
                               .where(CaseReview.blind_sample.is_(True)))
        rule = blind.sample_rule(session).percent

    assert len(primary) == 12
    assert _figure(output, "signed off") == len(signed) > 0
    assert _figure(output, "waiting for quality assurance") == len(waiting) > 0
    assert _figure(output, "in progress") == 12 - len(signed) - len(waiting) > 0
    assert _figure(output, "panel decisions") == decisions
    assert 0 < decisions <= len(signed)
    assert _figure(output, "actions") == count(db_url, ReviewAction) > 0
    assert _figure(output, "outcomes in the ledger") == count(db_url, OutcomeEvent) > 0
    # Only signed-off reviews count in the learning, and the demo's have missed lines.
    assert learnt.reviews == len(signed)
    assert learnt.totals.missed > 0 and learnt.reviews_with_missed > 0
    assert f"missed lines of inquiry {learnt.totals.missed}," in output
    # Two were drawn for the blind second review on purpose, and the share is as it was.
    assert drawn == 2 and rule == blind.DEFAULT_PERCENT
    # The README's tour can still allocate a case to the demo reviewer.
    assert demo_reviewer.carrying <= demo_reviewer.capacity - TOUR_ROOM
    # The victim liaison officer is in touch with the complainants, and has told most of them
    # of the panel's decisions and the suspects' outcomes.
    engaged = re.search(r"victims and survivors: (\d+) complainants in touch with the review, "
                        r"(\d+) told of decisions", output)
    assert engaged, output
    with session_scope(db_url) as session:
        found = duties.duties(session)
        assert int(engaged.group(1)) == session.scalar(
            select(func.count()).select_from(Engagement)) >= len(primary)
        met = [d for d in found if d.state == duties.MET]
        assert len(met) == int(engaged.group(2)) > 0
        assert duties.compliance(found).counted >= len(met)
    assert _figure(output, "safeguarding flags") == count(db_url, SafeguardingFlag) == 3
    assert count(db_url, AuthorityReferral) == 2

    # The extra reviewers sign in like the other demo accounts.
    status, code = cli("demo-data", "code", "demo-reviewer-2")
    assert status == 0
    assert code.strip() == totp.current_code(demo_secret("demo-reviewer-2"), clock.now())
    assert cli("audit", "verify")[0] == 0

    # Once is enough: a second run changes nothing and says why.
    before = count(db_url, CaseReview), count(db_url, ReviewAction)
    status, output = cli("demo-data", "reviews")
    assert status == 1 and "already has 12 reviews" in output
    assert (count(db_url, CaseReview), count(db_url, ReviewAction)) == before


def test_demo_reviews_refused_on_a_database_that_is_not_a_demonstration(
        cli: Any, db_url: str, tmp_path: Path) -> None:
    _referrals(cli, tmp_path)
    status, output = cli("demo-data", "reviews", "--cases", "3")
    assert status == 1 and "not marked as a demonstration" in output
    assert count(db_url, CaseReview) == 0
    status, output = cli("demo-data", "code", "demo-reviewer-2")
    assert status == 1 and "not marked as a demonstration" in output
