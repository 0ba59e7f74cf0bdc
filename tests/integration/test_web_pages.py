"""What the pages do: consultations audited with their justification, complainants protected,
uploads reported per referral, the list's filters and paging, and GETs that change nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.helpers import count, example
from tests.integration.web_support import csrf_of

from beaconport.audit.models import AuditEvent
from beaconport.db import Base, session_scope
from beaconport.referrals.models import Referral


def _events(url: str, action: str) -> list[AuditEvent]:
    with session_scope(url) as session:
        rows = list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                    .order_by(AuditEvent.seq)))
        session.expunge_all()
        return rows


def test_opening_a_referral_is_an_audited_consultation_naming_the_people_shown(
        web: Seeded) -> None:
    browser = web.as_user("demo-reviewer")
    page = browser.get(f"/referrals/{web.wyp_referral}").text
    assert "John Paul Smith" in page and "Jane" not in page, "a complainant's name was shown"
    (event,) = _events(web.url, "referrals:referral:consulted")
    assert event.actor == "user:demo-reviewer" and event.actor_roles == "reviewer"
    assert event.subject_id == str(web.wyp_referral) and event.category == "consultation"
    assert {r["id"] for r in event.records} >= {str(web.suspect), str(web.complainant)}
    assert event.client


def test_a_complainants_record_needs_a_justification_which_is_logged(web: Seeded) -> None:
    browser = web.as_user("demo-reviewer")
    path = f"/people/records/{web.complainant}"
    first = browser.get(path)
    assert "Why do you need to see this complainant" in first.text and "Jane" not in first.text
    assert not _events(web.url, "referrals:person:consulted")
    refused = browser.post_form(f"{path}/justification", {"reason": "review", "explanation": "x"},
                                from_page=path)
    assert refused.status_code == 400 and "at least 10 characters" in refused.text
    given = browser.post_form(f"{path}/justification",
                              {"reason": "review", "explanation": "Checking the account taken"},
                              from_page=path)
    assert given.status_code == 303
    shown = browser.get(path).text
    assert "Jane" in shown and "Only victim liaison officers see" in shown
    (event,) = _events(web.url, "referrals:person:consulted")
    assert event.justification == "Reviewing this case: Checking the account taken"


def test_only_victim_liaison_sees_a_complainants_contact_details(web: Seeded) -> None:
    for role, sees in [("victim-liaison", True), ("screener", False)]:
        browser = web.as_user(f"demo-{role}")
        path = f"/people/records/{web.complainant}"
        browser.post_form(f"{path}/justification",
                          {"reason": "victim-contact", "explanation": "Arranging a first contact"},
                          from_page=path)
        page = browser.get(path).text
        assert ("Only victim liaison officers see" not in page) is sees, role


def test_an_upload_with_errors_reports_each_rejected_referral(web: Seeded) -> None:
    browser = web.as_user("demo-force-submitter")
    good = example("WYP/CSE/2020/00001")
    bad = example("WYP/CSE/2020/00002")
    bad["crimes"][0]["outcome_code"] = "99"
    lines = "\n".join(json.dumps(d) for d in (good, bad)) + "\n"
    token = csrf_of(browser.get("/imports/new").text)
    response = browser.client.post("/imports", data={"csrf_token": token},
                                   files={"file": ("mine.jsonl", lines.encode())},
                                   follow_redirects=False)
    assert response.status_code == 303
    result = browser.get(response.headers["location"]).text
    assert "Import of mine.jsonl" in result
    assert "WYP/CSE/2020/00002" in result and "is not a Home Office crime outcome code" in result
    assert "1 referral could not be accepted" in result
    other = web.as_user("demo-force-submitter-2")
    assert other.get(response.headers["location"]).status_code == 404


def test_list_filters_sort_and_page(web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    everything = browser.get("/referrals").text
    assert "<strong>5</strong> referrals" in everything
    gmp = browser.get("/referrals?force=E23000005").text
    assert "<strong>2</strong> referrals" in gmp and "WYP/CSE" not in gmp
    found = browser.get("/referrals?q=00003").text
    assert "<strong>1</strong> referral" in found and "WYP/CSE/2014/00003" in found
    by_crime = browser.get("/referrals?q=13140012345").text
    assert "<strong>5</strong> referrals" in by_crime
    assert "<strong>5</strong> referrals" in browser.get("/referrals?rape=yes").text  # s5: rape
    assert "<strong>0</strong> referrals" in browser.get("/referrals?rape=no").text
    ordered = browser.get("/referrals?sort=reference&order=asc").text
    assert ordered.index("GMP/CSE/2016/00001") < ordered.index("WYP/CSE/2014/00001")
    partial = browser.get("/referrals?force=E23000005", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and "GMP/CSE/2016/00001" in partial
    assert browser.get("/referrals?referred_from=not-a-date").status_code == 400


def _row_counts(url: str) -> dict[str, int]:
    ignored = {"audit_event", "audit_chain_head", "web_session", "user_account"}
    return {t.name: count(url, t) for t in Base.metadata.sorted_tables if t.name not in ignored}


def test_pages_that_are_read_change_nothing_but_the_audit_log(web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    before = _row_counts(web.url)
    for path in ["/", "/referrals", f"/referrals/{web.wyp_referral}",
                 f"/people/records/{web.suspect}", f"/people/records/{web.complainant}",
                 "/imports/new", "/rejected", f"/rejected/{web.rejected}"]:
        assert browser.get(path).status_code == 200, path
    assert _row_counts(web.url) == before


def test_a_first_sign_in_enrols_the_authenticator_app_from_a_qr_code(web: Seeded) -> None:
    import re

    from tests.integration.web_support import Browser

    from beaconport import clock
    from beaconport.auth import service as auth
    from beaconport.auth.totp import current_code

    with session_scope(web.url) as session:
        auth.create_user(session, actor="test", username="new.reviewer",
                         display_name="New Reviewer", password="a long enough passphrase")
        auth.grant_role(session, actor="test", username="new.reviewer", role="reviewer")
    browser = Browser(web.client())
    browser.post_form("/sign-in", {"username": "new.reviewer",
                                   "password": "a long enough passphrase"})
    page = browser.get("/sign-in/second-factor").text
    assert "Set up your authenticator app" in page and "<svg" in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page)
    assert secret is not None
    wrong = browser.post_form("/sign-in/second-factor", {"code": "000000"})
    assert wrong.status_code == 400 and "There is a problem" in wrong.text
    right = browser.post_form("/sign-in/second-factor",
                              {"code": current_code(secret.group(1), clock.now())})
    assert right.status_code == 303
    assert browser.get("/referrals").status_code == 200
    assert _events(web.url, "auth:second-factor:enrolled")


def test_a_renamed_force_is_listed_once_under_its_current_name(web: Seeded,
                                                             tmp_path: Path) -> None:
    from tests.integration.helpers import write_jsonl

    from beaconport.referrals.importer import import_file

    hampshire = example("HAM/CSE/2012/00001", force="E23000030")
    import_file(write_jsonl(tmp_path / "ham.jsonl", [hampshire]), actor="test",
                unit_of_work=lambda: session_scope(web.url))
    browser = web.as_user("demo-screener")
    listed = browser.get("/referrals?force=E23000030").text
    assert "<strong>1</strong> referral" in listed
    assert listed.count("HAM/CSE/2012/00001") == 1
    assert "Hampshire and Isle of Wight Constabulary" in listed
    assert "<strong>6</strong> referrals" in browser.get("/referrals").text
    menu = browser.get("/referrals").text
    assert menu.count(">Hampshire and Isle of Wight Constabulary</option>") == 1


def test_an_import_result_lists_rejections_in_file_order_with_force_names(web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    docs = [example(f"WYP/CSE/2021/{n:05d}") for n in range(1, 12)]
    for n in (2, 9):  # lines 3 and 10
        docs[n]["people"][0]["sex"] = "M"
    lines = "".join(json.dumps(d) + "\n" for d in docs)
    token = csrf_of(browser.get("/imports/new").text)
    response = browser.client.post("/imports", data={"csrf_token": token},
                                   files={"file": ("order.jsonl", lines.encode())},
                                   follow_redirects=False)
    result = browser.get(response.headers["location"]).text
    assert result.index("at line 3") < result.index("at line 10")
    assert "West Yorkshire Police WYP/CSE/2021/00003" in result


def test_a_force_user_cannot_upload_another_forces_referrals(web: Seeded) -> None:
    browser = web.as_user("demo-force-submitter")  # West Yorkshire
    docs = [example("WYP/CSE/2022/00001"), example("GMP/CSE/2022/00001", force="E23000005")]
    lines = "".join(json.dumps(d) + "\n" for d in docs)
    token = csrf_of(browser.get("/imports/new").text)
    response = browser.client.post("/imports", data={"csrf_token": token},
                                   files={"file": ("mixed.jsonl", lines.encode())},
                                   follow_redirects=False)
    result = browser.get(response.headers["location"]).text
    assert "names Greater Manchester Police" in result and "force_not_permitted" in result
    assert "1 referral could not be accepted" in result
    manchester = web.as_user("demo-force-submitter-2")
    assert "GMP/CSE/2022/00001" not in manchester.get("/rejected").text
    assert "GMP/CSE/2022/00001" not in manchester.get("/referrals").text
    assert "GMP/CSE/2022/00001" in web.as_user("demo-screener").get("/rejected").text


def test_discarding_a_quarantined_referral_needs_a_reason_and_the_right_force(
        web: Seeded) -> None:
    path = f"/rejected/{web.rejected}"
    other = web.as_user("demo-force-submitter-2")
    refused = other.client.post(f"{path}/discard", data={
        "csrf_token": csrf_of(other.get("/rejected").text), "reason": "Not ours to keep at all"})
    assert refused.status_code == 404
    owner = web.as_user("demo-force-submitter")
    short = owner.post_form(f"{path}/discard", {"reason": "no"}, from_page=path)
    assert short.status_code == 400 and "at least 10 characters" in short.text
    done = owner.post_form(f"{path}/discard", {"reason": "Sent again under WYP/CSE/2014/9"},
                           from_page=path)
    assert done.status_code == 303
    assert "Nothing is held in quarantine" in owner.get("/rejected").text
    (event,) = _events(web.url, "referrals:rejected:discarded")
    assert event.justification == "Sent again under WYP/CSE/2014/9"
    assert event.actor == "user:demo-force-submitter"


def test_only_a_demo_database_says_it_is_a_demo(web: Seeded) -> None:
    assert 'data-testid="demo-banner"' in web.client().get("/sign-in").text
    from sqlalchemy import delete

    from beaconport.instance.models import InstanceProperty

    with session_scope(web.url) as session:
        session.execute(delete(InstanceProperty))
    assert 'data-testid="demo-banner"' not in web.client().get("/sign-in").text


def test_a_quarantined_referral_withholds_complainants_until_a_reason_is_given(
        web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    path = f"/rejected/{web.rejected}"
    first = browser.get(path).text
    assert "Jane" not in first and "Doe" not in first and "[withheld: complainant]" in first
    assert "John Paul" in first  # suspects are not withheld
    given = browser.post_form(f"{path}/justification",
                              {"reason": "review", "explanation": "Correcting the referral"},
                              from_page=f"{path}/justification")
    assert given.status_code == 303
    assert "Jane" in browser.get(path).text
    events = _events(web.url, "referrals:rejected:consulted")
    assert [e.justification for e in events] == [
        None, "Reviewing this case: Correcting the referral"]


def test_every_page_title_is_plain_text(web: Seeded) -> None:
    import re

    browser = web.as_user("demo-screener")
    for path in ["/", "/referrals", f"/referrals/{web.wyp_referral}", f"/rejected/{web.rejected}",
                 "/rejected", "/imports/new", f"/people/records/{web.suspect}"]:
        title = re.search(r"<title>(.*?)</title>", browser.get(path).text, re.S)
        assert title and "<" not in title.group(1) and len(title.group(1)) < 120, (path, title)


def test_the_referral_page_explains_each_criterion(web: Seeded, tmp_path: Path) -> None:
    from beaconport.screening import runner
    from beaconport.screening.rules import CURRENT

    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    page = web.as_user("demo-reviewer").get(f"/referrals/{web.wyp_referral}").text
    assert 'data-testid="screening-decision"' in page and "Eligible" in page
    assert "At least two suspects" in page and "The referral names 2 suspects." in page
    assert "beaconport-2025" in page


def test_the_screening_queue_filters_by_decision_rape_and_flags(web: Seeded,
                                                                tmp_path: Path) -> None:
    from tests.integration.helpers import write_jsonl

    from beaconport.referrals.importer import import_file
    from beaconport.screening import runner
    from beaconport.screening.rules import CURRENT

    undated = example("WYP/CSE/2014/UNDATED")
    for decision in undated["decisions"]:
        decision.pop("decided_on", None)
    import_file(write_jsonl(tmp_path / "q.jsonl", [undated]), actor="test",
                unit_of_work=lambda: session_scope(web.url))
    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    browser = web.as_user("demo-screener")
    everything = browser.get("/screening").text
    assert "<strong>6</strong> referrals" in everything
    waiting = browser.get("/screening?decision=needs_information").text
    assert "<strong>1</strong> referral" in waiting and "WYP/CSE/2014/UNDATED" in waiting
    assert "No further action, 2010 to March 2025" in waiting
    assert "<strong>0</strong> referrals" in browser.get("/screening?rape=no").text
    flagged = browser.get("/screening?flags=yes").text  # the example's P2 was not interviewed
    assert "<strong>6</strong> referrals" in flagged
    gmp_only = web.as_user("demo-force-submitter-2").get("/screening").text
    assert "<strong>2</strong> referrals" in gmp_only and "WYP/CSE" not in gmp_only
    assert browser.get("/screening?decision=maybe").status_code == 400


def test_possible_duplicates_are_listed_and_decided_never_merged(web: Seeded) -> None:
    from beaconport.screening import runner
    from beaconport.screening.rules import CURRENT

    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    screener = web.as_user("demo-screener")
    listed = screener.get("/screening/duplicates").text
    assert listed.count('data-testid="duplicate"') == 10  # 5 referrals share crime 13140012345
    own = web.as_user("demo-force-submitter").get("/screening/duplicates").text
    assert own.count('data-testid="duplicate"') == 3 and "GMP/CSE" not in own
    import re

    pair = re.search(r'action="/screening/duplicates/([0-9a-f-]{36})"', listed)
    assert pair is not None
    path = f"/screening/duplicates/{pair.group(1)}"
    short = screener.post_form(path, {"decision": "different_cases", "reason": "no"},
                               from_page="/screening/duplicates")
    assert short.status_code == 400 and "at least 10 characters" in short.text
    done = screener.post_form(path, {"decision": "different_cases",
                                     "reason": "Two offences with one crime number"},
                              from_page="/screening/duplicates")
    assert done.status_code == 303
    assert screener.get("/screening/duplicates").text.count('data-testid="duplicate"') == 9
    (event,) = _events(web.url, "screening:duplicate:decided")
    assert event.justification == "Two offences with one crime number"
    assert count(web.url, Referral) == 5, "nothing was merged"
    reviewer = web.as_user("demo-reviewer")
    assert reviewer.client.post(path, data={"csrf_token": csrf_of(
        reviewer.get("/screening/duplicates").text), "decision": "same_case",
        "reason": "I think they are the same"}).status_code == 403


def test_force_users_see_their_own_information_requests(web: Seeded, tmp_path: Path) -> None:
    from tests.integration.helpers import write_jsonl

    from beaconport.referrals.importer import import_file
    from beaconport.screening.service import screen_stored

    wyp = example("WYP/CSE/2014/ASKED")
    gmp = example("GMP/CSE/2016/ASKED", force="E23000005")
    for document in (wyp, gmp):
        document["people"][1]["alive_status"] = "unknown"
    import_file(write_jsonl(tmp_path / "asked.jsonl", [wyp, gmp]), actor="test",
                unit_of_work=lambda: session_scope(web.url), after_chunk=screen_stored("test"))
    own = web.as_user("demo-force-submitter").get("/information-requests").text
    assert own.count('data-testid="information-request"') == 1
    assert "WYP/CSE/2014/ASKED" in own and "alive status of suspect P2" in own
    assert "GMP/CSE/2016/ASKED" not in own
    national = web.as_user("demo-screener").get("/information-requests").text
    assert national.count('data-testid="information-request"') == 2
