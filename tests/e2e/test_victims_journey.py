"""A complainant withdraws their support, in a real browser, from the victim liaison officer's
pages to the hold a supervisor lifts: the victim liaison officer opens a referral with two
complainants who both support the review (so the case is eligible), goes from the referral's
page to its complainants and to C1's record; the support form sent with problems names each in
the error summary and keeps what was typed; the officer saves C1's contact plan (a phone number,
and a no-contact period that today falls in), logs a contact, and records that C1 now declines:
the case is held. A senior reviewer sees the hold and both complainants' support on the case's
story, lifts the hold (a reason too short first, then a proper one), and the case is eligible
again. The senior reviewer is refused C1's record, and the phone number is on no page they
open, the overdue view included. axe checks every page state visited, the forms with their
errors too.

The server is shared with the other browser tests in the worker: this journey imports a
referral of its own, for Cleveland Police (a force no other journey counts or picks from), with
two complainants, C1 and C2, whose support the force recorded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from tests.e2e.conftest import Desks, PageWatch, Server, accessible

from beaconport.db import session_scope
from beaconport.referrals.models import Referral

pytestmark = pytest.mark.e2e

LIAISON = "demo-victim-liaison"
SENIOR_REVIEWER = "demo-senior-reviewer"
CLEVELAND = "E23000013"
REFERENCE = "CLE/CSA/2013/00417"
EXAMPLE = Path(__file__).parents[1] / "data" / "example_referral.json"
PHONE = "07700 900123"
ISVA = "Amira Khan, ISVA, Teesside SARC"
CONTACT = "She rang to ask how long the review will take; told her what happens next."
WITHDRAWAL = ("She asked to step back from the review; her ISVA will tell us if she wants "
              "to talk again.")
LIFT_REASON = ("C2 supports the review and wants it to go on; C1's withdrawal is respected "
               "and she will not be asked again.")
UK = ZoneInfo("Europe/London")


@dataclass
class Journey:
    referral_id: str
    record_url: str = ""
    #: What the senior reviewer opened, each page as they saw it, for the phone number's check.
    senior_saw: dict[str, str] = field(default_factory=dict)


def _today() -> date:
    return datetime.now(UTC).date()  # the server's days are UTC days


def _day(day: date) -> str:
    """A date as the hold's reason writes it: 07 March 2026."""
    return f"{day:%d %B %Y}"


def _nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Primary navigation") \
        .get_by_role("link", name=label, exact=True).click()


def _a_referral_with_two_supporting_complainants(server: Server) -> str:
    """The example referral, moved to Cleveland, with a second complainant: both support the
    review, as the force recorded; imported through the command line. Its id."""
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc.update(force=CLEVELAND, force_reference=REFERENCE)
    (first,) = [p for p in doc["people"] if p["role"] == "complainant"]
    first["id"] = "C1"
    doc["people"].append(dict(first, id="C2", forenames="Second", date_of_birth="2000"))
    (crime,) = doc["crimes"]
    crime["complainants"] = ["C1", "C2"]
    path = server.workdir / "victims-journey.jsonl"
    path.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    server.cli("referrals", "import", str(path))
    with session_scope(server.database_url) as session:
        referral_id = session.scalar(select(Referral.id)
                                     .where(Referral.force_reference == REFERENCE))
    assert referral_id is not None, "the journey's referral was not imported"
    return str(referral_id)


def _status(page: Page) -> str:
    """The status on a referral's page."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^\s*Status\s*$")))
    expect(row).to_have_count(1)
    return row.locator("dd").inner_text().strip()


def _error_summary(page: Page, *messages: str) -> None:
    """The GOV.UK error summary names each message, and nothing else, each linked to its field."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(list(messages))
    for link in summary.get_by_role("link").all():
        target = link.get_attribute("href") or ""
        assert target.startswith("#") and page.locator(target).count() == 1, \
            f"the error summary links {target!r}, which is not on the page"


# ---------------------------------------------------------------------------------------------
# The stages, each as the person who does it


def _liaison_opens_c1(page: Page, server: Server, journey: Journey,
                      found: dict[str, str]) -> None:
    """Victim liaison officer: the workspace, then the referral's page (eligible), its
    complainants (both support the review, as the force recorded), and C1's record."""
    _nav(page, "Victims")
    page.wait_for_url(server.url("/victims"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Victims and survivors")
    accessible(page, "the victims workspace", found)

    page.goto(server.url(f"/referrals/{journey.referral_id}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {REFERENCE}")
    assert _status(page) == "Eligible"
    page.get_by_test_id("victims-link").click()
    page.wait_for_url(server.url(f"/referrals/{journey.referral_id}/victims"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The referral's complainants")
    rows = page.get_by_test_id("case-complainants").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("C1")
    expect(rows.nth(1)).to_contain_text("C2")
    expect(rows.locator("td:nth-child(2)")).to_have_text(["Supports the review"] * 2)
    accessible(page, "a referral's complainants", found)

    rows.nth(0).get_by_role("link", name="C1").click()
    journey.record_url = server.url(f"/victims/{journey.referral_id}/C1")
    page.wait_for_url(journey.record_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Complainant C1")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Referral {REFERENCE}")
    expect(page.get_by_test_id("support")).to_contain_text("Supports the review")
    expect(page.get_by_test_id("held")).to_have_count(0)
    accessible(page, "a complainant's record", found)


def _support_with_problems(page: Page, watch: PageWatch, journey: Journey,
                           found: dict[str, str]) -> None:
    """Victim liaison officer: the support form sent with no new support, a date in the future,
    no officer, no ISVA named and too little agreed: each problem named, what was typed kept."""
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    form = page.get_by_test_id("support-form")
    form.get_by_label("Date of the approach").fill(tomorrow)
    form.get_by_label("Officer who made the approach").fill("")
    form.get_by_label("How", exact=True).select_option("isva")
    form.get_by_label("What was agreed").fill("Not yet")
    watch.expect_error_status(journey.record_url + "/support")
    form.get_by_role("button", name="Record their support").click()
    page.wait_for_url(journey.record_url + "/support")
    _error_summary(page,
                   "Choose where their support now stands.",
                   "The date of the approach cannot be in the future.",
                   "Name the officer who made the approach.",
                   "Name the ISVA.",
                   "Say what was agreed (or what happened), in at least 10 characters.")
    expect(page).to_have_title(re.compile(r"^Error: "))
    form = page.get_by_test_id("support-form")
    expect(form.locator(".govuk-form-group--error")).to_have_count(5)
    expect(form.get_by_label("Their support now")).to_have_value("")
    expect(form.get_by_label("Date of the approach")).to_have_value(tomorrow)
    expect(form.get_by_label("Officer who made the approach")).to_have_value("")
    expect(form.get_by_label("How", exact=True)).to_have_value("isva")
    expect(form.get_by_label("The ISVA's or intermediary's name")).to_have_value("")
    expect(form.get_by_label("What was agreed")).to_have_value("Not yet")
    # Nothing was recorded: the support stands where the force left it.
    expect(page.get_by_test_id("support")).to_contain_text("Supports the review")
    accessible(page, "a complainant's record, the support form with errors", found)


def _plan_with_a_problem_then_saved(page: Page, watch: PageWatch, journey: Journey,
                                    found: dict[str, str]) -> None:
    """Victim liaison officer: C1's contact plan, a phone number and a no-contact period that
    today falls in; sent first with the period's last day before its first (named, what was
    typed kept), then right."""
    page.goto(journey.record_url)
    first, last = _today() - timedelta(days=2), _today() + timedelta(days=12)
    form = page.get_by_test_id("plan-form")
    form.get_by_label("Preferred name").fill("Jo")
    form.get_by_label("Way 1").select_option("phone")
    form.locator("#plan-channel-1-detail").fill(PHONE)
    form.locator("#plan-channel-1-note").fill("Never leave a message")
    form.get_by_label("Safe times").fill("Weekdays after 6pm")
    form.get_by_label("Period 1: first day").fill(last.isoformat())
    form.locator("#plan-window-1-ends").fill(first.isoformat())
    form.locator("#plan-window-1-reason").fill("Her exams: she will call us")
    form.get_by_label("ISVA or intermediary").fill(ISVA)
    form.get_by_label("Updates they want").select_option("key_decisions")
    form.get_by_label("How they want them").fill("Through her ISVA")
    watch.expect_error_status(journey.record_url + "/plan")
    form.get_by_role("button", name="Save the contact plan").click()
    page.wait_for_url(journey.record_url + "/plan")
    _error_summary(page, "No-contact period 1: the last day comes before the first.")
    form = page.get_by_test_id("plan-form")
    expect(form.locator("#plan-channel-1-detail")).to_have_value(PHONE)
    expect(form.get_by_label("Period 1: first day")).to_have_value(last.isoformat())
    expect(form.locator("#plan-window-1-ends")).to_have_value(first.isoformat())
    expect(form.get_by_label("ISVA or intermediary")).to_have_value(ISVA)
    accessible(page, "a complainant's record, the contact plan with an error", found)

    form.get_by_label("Period 1: first day").fill(first.isoformat())
    form.locator("#plan-window-1-ends").fill(last.isoformat())
    form.get_by_role("button", name="Save the contact plan").click()
    page.wait_for_url(journey.record_url + "#plan")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Complainant C1: Jo")
    expect(page.get_by_test_id("no-contact")).to_contain_text(
        f"No contact until {last.isoformat()}: Her exams: she will call us.")
    expect(page.locator("main p").filter(has_text=re.compile(r"^Saved "))).to_contain_text(
        LIAISON)
    form = page.get_by_test_id("plan-form")
    expect(form.locator("#plan-channel-1-detail")).to_have_value(PHONE)
    expect(form.get_by_label("Way 1")).to_have_value("phone")
    expect(form.get_by_label("ISVA or intermediary")).to_have_value(ISVA)
    accessible(page, "a complainant's record, with a contact plan and a no-contact period",
               found)


def _logs_a_contact(page: Page, watch: PageWatch, journey: Journey,
                    found: dict[str, str]) -> None:
    """Victim liaison officer: C1 rang an hour ago; sent first with too little said."""
    when = (datetime.now(UK) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    form = page.get_by_test_id("contact-form")
    form.get_by_label("When (UK time)").fill(when)
    form.get_by_label("Who made contact").select_option("incoming")
    form.get_by_label("How", exact=True).select_option("phone")
    form.get_by_label("What was said or done").fill("Rang")
    watch.expect_error_status(journey.record_url + "/contacts")
    form.get_by_role("button", name="Log the contact").click()
    page.wait_for_url(journey.record_url + "/contacts")
    _error_summary(page, "Say what was said or done, in at least 10 characters.")
    form = page.get_by_test_id("contact-form")
    expect(form.get_by_label("When (UK time)")).to_have_value(when)
    expect(form.get_by_label("Who made contact")).to_have_value("incoming")
    expect(form.get_by_label("How", exact=True)).to_have_value("phone")
    expect(form.get_by_label("What was said or done")).to_have_value("Rang")
    accessible(page, "a complainant's record, the contact form with an error", found)

    form.get_by_label("What was said or done").fill(CONTACT)
    form.get_by_role("button", name="Log the contact").click()
    page.wait_for_url(journey.record_url + "#log")
    rows = page.get_by_test_id("contact-log").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("They contacted us, phone")
    expect(rows).to_contain_text(CONTACT)
    expect(rows).not_to_contain_text("Not reached")
    accessible(page, "a complainant's record, with a contact logged", found)


def _records_the_withdrawal(page: Page, server: Server, journey: Journey,
                            found: dict[str, str]) -> None:
    """Victim liaison officer: C1 now declines, through her ISVA: the case is held, on her
    record, on the referral's complainants and on the referral (paused)."""
    form = page.get_by_test_id("support-form")
    form.get_by_label("Their support now").select_option(label="Declines")
    form.get_by_label("Date of the approach").fill(_today().isoformat())
    expect(form.get_by_label("Officer who made the approach")).to_have_value(
        "Demo Victim liaison")
    form.get_by_label("How", exact=True).select_option("isva")
    expect(form.get_by_label("The ISVA's or intermediary's name")).to_have_value(ISVA)
    form.get_by_label("What was agreed").fill(WITHDRAWAL)
    form.get_by_role("button", name="Record their support").click()
    page.wait_for_url(journey.record_url + "#support")
    held = f"Complainant C1 withdrew support for the review on {_day(_today())}."
    expect(page.get_by_test_id("support")).to_contain_text("Declines")
    expect(page.get_by_test_id("held")).to_have_text(f"The case is held: {held}")
    step = page.get_by_test_id("support-history").locator("tbody tr")
    expect(step).to_have_count(1)
    expect(step).to_contain_text("Supports the review → Declines")
    expect(step).to_contain_text(f"Demo Victim liaison, through their isva ({ISVA})")
    expect(step).to_contain_text(WITHDRAWAL)
    accessible(page, "a complainant's record, support withdrawn and the case held", found)

    page.get_by_role("link", name="Its complainants").click()
    page.wait_for_url(server.url(f"/referrals/{journey.referral_id}/victims"))
    expect(page.locator("main .govuk-warning-text")).to_contain_text(f"The case is held: {held}")
    expect(page.get_by_test_id("case-complainants").locator("tbody tr td:nth-child(2)")) \
        .to_have_text(["Declines", "Supports the review"])
    accessible(page, "a referral's complainants, the case held", found)

    page.get_by_role("link", name="The referral", exact=True).click()
    page.wait_for_url(server.url(f"/referrals/{journey.referral_id}"))
    assert _status(page) == "Paused: the victim declined"

    page.goto(server.url("/victims?support=declines"))
    row = page.get_by_test_id("complainants").locator("tbody tr").filter(has_text=REFERENCE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("C1")
    expect(row).to_contain_text("Declines")
    expect(page.get_by_test_id("held-count")).not_to_have_text("0")
    accessible(page, "the victims workspace, filtered to those who decline", found)


def _senior_opens(page: Page, journey: Journey, name: str, found: dict[str, str]) -> None:
    """The senior reviewer's page as it stands: axe on it, and kept for the phone's check."""
    accessible(page, name, found)
    journey.senior_saw[f"{name} ({page.url})"] = page.content()


def _senior_lifts_the_hold(page: Page, server: Server, watch: PageWatch, journey: Journey,
                           found: dict[str, str]) -> None:
    """Senior reviewer: the case's story shows the hold and both complainants' support; the
    lift form refuses a short reason, then lifts the hold: the case is eligible again."""
    story = server.url(f"/cases/{journey.referral_id}")
    page.goto(story)
    expect(page.get_by_role("heading", level=1)).to_have_text("The case's story")
    expect(page.get_by_test_id("hold")).to_contain_text(
        f"The case is held: Complainant C1 withdrew support for the review on "
        f"{_day(_today())}.")
    expect(page.get_by_test_id("case-support")).to_have_text(
        "Complainants' support for the review: C1 declines; C2 supports the review.")
    expect(page.get_by_test_id("lift-form")).to_be_visible()
    _senior_opens(page, journey, "the case's story, held, with the lift form", found)

    lift = server.url(f"/cases/{journey.referral_id}/hold/lift")
    watch.expect_error_status(lift)
    page.get_by_label("Why the case goes on").fill("C2 wants it.")
    page.get_by_role("button", name="Lift the hold").click()
    page.wait_for_url(lift)
    expect(page.get_by_role("heading", level=1)).to_have_text("Lift the case's hold")
    _error_summary(page, "Say why the case goes on, in at least 20 characters.")
    expect(page.get_by_label("Why the case goes on")).to_have_value("C2 wants it.")
    expect(page.get_by_test_id("hold")).to_be_visible()  # still held
    _senior_opens(page, journey, "lifting the hold, with an error", found)

    page.get_by_label("Why the case goes on").fill(LIFT_REASON)
    page.get_by_role("button", name="Lift the hold").click()
    page.wait_for_url(story)
    expect(page.get_by_test_id("hold")).to_have_count(0)
    expect(page.get_by_test_id("lift-form")).to_have_count(0)
    expect(page.get_by_test_id("case-support")).to_have_text(
        "Complainants' support for the review: C1 declines; C2 supports the review.")
    _senior_opens(page, journey, "the case's story, the hold lifted", found)

    page.get_by_role("link", name="The referral", exact=True).click()
    page.wait_for_url(server.url(f"/referrals/{journey.referral_id}"))
    assert _status(page) == "Eligible"
    # The complainants' contact pages are not the senior reviewer's.
    expect(page.get_by_test_id("victims-link")).to_have_count(0)
    _senior_opens(page, journey, "the referral, the hold lifted", found)


def _senior_is_kept_from_the_contact_details(page: Page, server: Server, watch: PageWatch,
                                             journey: Journey, found: dict[str, str]) -> None:
    """Senior reviewer: C1's record and the referral's complainants are refused; the overdue
    view names complainants without a way into their records; the phone number is on none of
    the pages they opened."""
    for path in (journey.record_url, server.url(f"/referrals/{journey.referral_id}/victims")):
        watch.expect_error_status(path)
        answer = page.goto(path)
        assert answer is not None and answer.status == 403, (path, answer)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "You do not have access to this page")
        _senior_opens(page, journey, "refused a complainant's contact pages", found)

    _nav(page, "Overdue")
    page.wait_for_url(server.url("/overdue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything overdue")
    expect(page.get_by_role("heading", level=2, name=re.compile(
        r"^Victims' Code duties not met \(\d+\)$"))).to_be_visible()
    expect(page.locator("main a[href^='/victims']")).to_have_count(0)
    _senior_opens(page, journey, "everything overdue", found)

    digits = PHONE.replace(" ", "")
    seen = [name for name, html in journey.senior_saw.items()
            if PHONE in html or digits in html]
    assert not seen, f"the senior reviewer saw C1's phone number on {seen}"
    assert len(journey.senior_saw) == 7, list(journey.senior_saw)


# ---------------------------------------------------------------------------------------------


def test_a_complainant_withdraws_and_a_supervisor_lets_the_case_go_on(
        desks: Desks, server: Server, watch: PageWatch) -> None:
    journey = Journey(_a_referral_with_two_supporting_complainants(server))
    found: dict[str, str] = {}

    liaison = desks(LIAISON)
    _liaison_opens_c1(liaison, server, journey, found)
    _support_with_problems(liaison, watch, journey, found)
    _plan_with_a_problem_then_saved(liaison, watch, journey, found)
    _logs_a_contact(liaison, watch, journey, found)
    # The liaison officer sees the phone number they saved.
    assert PHONE in liaison.content()
    _records_the_withdrawal(liaison, server, journey, found)
    watch.assert_clean("the victim liaison officer's pages")

    senior = desks(SENIOR_REVIEWER)
    _senior_lifts_the_hold(senior, server, watch, journey, found)
    watch.assert_clean("lifting the hold")
    _senior_is_kept_from_the_contact_details(senior, server, watch, journey, found)
    assert not found, "\n\n".join(f"== {name}\n{text}" for name, text in found.items())
