"""One case from an eligible referral to a charge, in a real browser, through every hand it
passes: triage and allocation, the structured review, quality assurance, the panel, an action
allocated to the referring force and resulted by that force's investigator, and the charge in
the case's story and outcomes ledger.

Each person works in a browser window of their own, signed in once and kept (a sign-in code is
good once per 30-second step per account, so signing the same people out and in again would
wait). Every window reports to one ``PageWatch``. The case is a Greater Manchester one: the demo
reviewer once served in West Yorkshire, so that force's cases show a conflict of interest.

The server is shared with the other browser tests in the worker: this test takes the lowest
priority Greater Manchester case in the queue (the autosave journey takes the highest), and
sets the blind second review's share to 0 (a review drawn for the sample cannot be signed off
until a second reviewer has reviewed the case).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import Desks, PageWatch, Server, accessible

from beaconport.demo.accounts import GREATER_MANCHESTER

pytestmark = pytest.mark.e2e

REVIEWER = "demo-reviewer"
SENIOR_REVIEWER = "demo-senior-reviewer"
PANEL_MEMBER = "demo-panel-member"
INVESTIGATOR = "demo-force-investigator-2"  # Greater Manchester's
OTHER_INVESTIGATOR = "demo-force-investigator"  # West Yorkshire's
ITEMS = 51  # check items in the review instrument csae-nfa-1
MISSED = "C2"  # the one item found to be a missed line of inquiry
DECISION = "Reinvestigate: the local force, under the review's supervision"
ACTION_TITLE = "Interview the second suspect under caution"
UUID = r"[0-9a-f-]{36}"


@dataclass
class Case:
    referral_id: str
    reference: str
    review_url: str = ""
    action_url: str = ""
    suspect: str = ""


def _today() -> str:
    return datetime.now(UTC).date().isoformat()  # the server's days are UTC days


def _nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Primary navigation") \
        .get_by_role("link", name=label, exact=True).click()


# ---------------------------------------------------------------------------------------------
# The stages, each as the person who does it


def _allocate_from_the_queue(page: Page, server: Server) -> Case:
    """Senior reviewer: from the triage queue, filtered to Greater Manchester, the lowest
    priority case, through its priority to its allocation page; allocated to the reviewer."""
    _nav(page, "Triage")
    page.get_by_label("Force").select_option(GREATER_MANCHESTER)
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"[?&]force={GREATER_MANCHESTER}(&|$)"))
    page.get_by_test_id("triage-table").get_by_role("link", name=re.compile(r"^Score ")) \
        .last.click()
    page.wait_for_url(re.compile(rf"/triage/{UUID}$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Priority of "))
    case = Case(page.url.rsplit("/", 1)[1], heading.inner_text().removeprefix("Priority of "))

    page.get_by_test_id("allocation-link").click()
    page.wait_for_url(server.url(f"/cases/{case.referral_id}/allocation"))
    expect(page.locator(".govuk-caption-l")).to_have_text("Greater Manchester Police")
    reviewer = page.get_by_label(re.compile(r"^Demo Reviewer \("))
    expect(reviewer).to_be_enabled()  # no conflict, the skills needed, room for another case
    reviewer.check()
    page.get_by_role("button", name="Allocate", exact=True).click()
    history = page.get_by_test_id("allocation-history")
    expect(history.locator("tbody tr").first).to_contain_text("Demo Reviewer Current")

    # Allocated, the case is under review and leaves the queue.
    page.goto(server.url(f"/triage?force={GREATER_MANCHESTER}"))
    expect(page.locator("main")).not_to_contain_text(case.reference)
    return case


def _record_a_finding_on_every_item(page: Page) -> None:
    """Reviewer: C2 a missed line of inquiry, every other item not applicable, as fact. Each
    item saves itself two seconds after its last change (autosave.js), all in parallel."""
    items = page.locator("form.app-finding")
    expect(items).to_have_count(ITEMS)
    for item in items.all():
        shows = item.get_by_label("What the records show")
        basis = item.get_by_label("Fact or assessment")
        if item.get_attribute("id") == f"item-{MISSED}":
            shows.select_option(label="Not done, though available at the time")
            basis.select_option(label="The reviewer's assessment")
            item.get_by_label("Still achievable now").select_option(label="Partly")
            item.get_by_label("Kind of error").select_option(label="Process")
            item.get_by_label("Impact on the NFA decision").select_option(label="Likely")
            item.get_by_label("Notes").fill("The second suspect was never interviewed, though "
                                            "his address was known at the time.")
        else:
            shows.select_option(label="Not applicable")
            basis.select_option(label="A fact from the records")
    expect(page.get_by_test_id(re.compile(r"^status-"))).to_have_text(
        [re.compile(r"^Saved at ")] * ITEMS, timeout=30_000)


def _review_and_submit(page: Page, server: Server, case: Case) -> None:
    """Reviewer: start the review from the allocation page, record every finding, submit."""
    page.goto(server.url(f"/cases/{case.referral_id}/allocation"))
    page.get_by_role("button", name="Start the review").click()
    page.wait_for_url(re.compile(rf"/reviews/{UUID}$"))
    case.review_url = page.url
    expect(page.get_by_test_id("review-progress")).to_have_text(f"0 of {ITEMS}")
    _record_a_finding_on_every_item(page)

    page.reload()  # what the server holds
    expect(page.get_by_test_id("review-progress")).to_have_text(f"{ITEMS} of {ITEMS}")
    expect(page.locator(f"#{MISSED}-assessment")).to_have_value("not_done_available_at_time")
    page.get_by_role("button", name="Submit for quality assurance").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Waiting for quality assurance")


def _sign_off(page: Page, case: Case) -> None:
    """Senior reviewer (not the review's own reviewer): from the reviews waiting for quality
    assurance, sign it off for the panel."""
    _nav(page, "Reviews")
    expect(page.get_by_test_id("blind-sample")).to_contain_text("0% of reviews are drawn")
    page.get_by_test_id("qa-waiting").get_by_role("link", name=case.reference).click()
    page.wait_for_url(case.review_url)
    expect(page.get_by_test_id("blind-note")).to_have_count(0)  # not drawn for the sample
    page.get_by_label("Quality assurance: why you sign it off, or what must change").fill(
        "Every item is evidenced; the missed interview in C2 is well made out.")
    page.get_by_role("button", name="Sign off for the panel").click()
    expect(page.get_by_test_id("review-status")).to_have_text("Signed off: ready for the panel")


def _panel_decides(page: Page, server: Server, case: Case) -> None:
    """Panel member: the local force reinvestigates, under the review's supervision."""
    page.goto(server.url(f"/cases/{case.referral_id}/panel"))
    page.get_by_role("radio", name=DECISION).check()
    page.get_by_role("checkbox", name="Refer to the CPS for reconsideration").check()
    page.get_by_label("Rationale").fill(
        "A suspect whose address was known was never interviewed; the force can still do it.")
    page.get_by_label("The other members who sat (usernames)").fill(SENIOR_REVIEWER)
    page.get_by_role("button", name="Record the decision").click()
    decision = page.get_by_test_id("panel-decision")
    expect(decision).to_have_count(1)
    expect(decision.get_by_role("heading")).to_have_text(DECISION)
    expect(decision).to_contain_text(SENIOR_REVIEWER)
    expect(decision).to_contain_text("Refer to the CPS for reconsideration")


def _raise_the_action(page: Page, server: Server, case: Case) -> None:
    """Reviewer: an action raised from the C2 finding."""
    page.goto(server.url(f"/cases/{case.referral_id}/actions"))
    page.get_by_label("From the finding").select_option(MISSED)
    page.get_by_label("What must be done").fill(ACTION_TITLE)
    page.get_by_label("The line of inquiry").fill(
        "Trace and interview the second suspect: his address was on the crime report.")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Raise the action").click()
    page.wait_for_url(re.compile(rf"/actions/{UUID}$"))
    case.action_url = page.url
    expect(page.get_by_test_id("action-status")).to_have_text("Raised: waiting to be allocated")
    expect(page.get_by_test_id("action-summary")).to_contain_text(f"Finding {MISSED}")


def _allocate_the_action(page: Page, case: Case) -> None:
    """Senior reviewer: the action to the case's own force, due in four weeks."""
    page.goto(case.action_url)
    move = page.get_by_test_id("move-allocate")
    move.get_by_label("Allocated to").select_option(GREATER_MANCHESTER)
    due = (datetime.now(UTC).date() + timedelta(days=28)).isoformat()
    move.get_by_label("Due").fill(due)
    move.get_by_role("button", name="Allocate it").click()
    expect(page.get_by_test_id("action-status")).to_have_text("Allocated")
    expect(page.get_by_test_id("action-summary")).to_contain_text("Greater Manchester Police")


def _only_its_force_sees_it(page: Page, watch: PageWatch, case: Case) -> None:
    """West Yorkshire's investigator: not in their list, and not found at its address."""
    _nav(page, "Actions")
    expect(page.locator("main")).not_to_contain_text(case.reference)
    watch.expect_error_status(case.action_url)
    answer = page.goto(case.action_url)
    assert answer is not None and answer.status == 404, answer
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")


def _force_works_the_action(page: Page, case: Case) -> None:
    """Greater Manchester's investigator: from their actions, records the work as done, then
    the result: the suspect charged today."""
    _nav(page, "Actions")
    row = page.get_by_test_id("action-table").locator("tbody tr").filter(has_text=case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Greater Manchester Police")
    row.get_by_role("link", name=re.compile(ACTION_TITLE)).click()
    page.wait_for_url(case.action_url)

    done = page.get_by_test_id("move-complete")
    done.get_by_label("What was done").fill(
        "Suspect traced through the council tax records and interviewed under caution.")
    done.get_by_role("button", name="Record the work as done").click()
    expect(page.get_by_test_id("action-status")).to_have_text("Completed: waiting for its result")

    result = page.get_by_test_id("move-result")
    result.get_by_label("The result").fill(
        "The interview and the complainant's account were put to the CPS, which authorised "
        "a charge.")
    row = result.get_by_test_id("outcome-row-1")
    suspect = row.get_by_label("Suspect")
    case.suspect = suspect.locator("option").nth(1).get_attribute("value") or ""
    assert case.suspect, "the case names no suspect"
    suspect.select_option(case.suspect)
    row.get_by_label("What happened").select_option(label="Charged")
    row.get_by_label("When (YYYY-MM-DD)").fill(_today())
    result.get_by_role("button", name="Record its result").click()
    expect(page.get_by_test_id("action-status")).to_have_text(
        "Resulted: waiting for the quality check")
    expect(page.get_by_test_id("action-result")).to_contain_text("authorised a charge")


def _check_and_file(page: Page, case: Case) -> None:
    """Senior reviewer: the result passes its quality check; the action is filed."""
    page.goto(case.action_url)
    check = page.get_by_test_id("move-check")
    check.get_by_label("Why the result passes").fill("The charge is recorded with its date.")
    check.get_by_role("button", name="Pass its quality check").click()
    expect(page.get_by_test_id("action-status")).to_have_text("Quality-checked: ready to file")
    page.get_by_test_id("move-file").get_by_role("button", name="File it").click()
    expect(page.get_by_test_id("action-status")).to_have_text("Filed")


def _the_story_ends_in_a_charge(page: Page, server: Server, case: Case) -> None:
    """Senior reviewer: the case's story holds every step, in order; the ledger the charge."""
    page.goto(server.url(f"/cases/{case.referral_id}"))
    expect(page.get_by_test_id("case-story")).to_contain_text(f"Suspect {case.suspect}: charged")
    titles = page.get_by_test_id("case-story").locator(".moj-timeline__title").all_inner_texts()
    action = f"Action: Action 1 ({ACTION_TITLE})"
    expected = ["Referral: Referred", "Allocation: Allocated to Demo Reviewer",
                "Review: Review started", "Review: Submitted for quality assurance",
                "Quality assurance: Signed off for the panel", f"Panel: {DECISION}",
                *(f"{action}: {step}" for step in
                  ("raised", "allocated", "completed", "resulted", "quality-checked", "filed"))]
    remaining = iter(titles)
    missing = [title for title in expected if title not in remaining]  # in order
    assert not missing, f"the story lacks, or misorders, {missing}:\n" + "\n".join(titles)
    assert f"Outcome: Suspect {case.suspect}: charged" in titles, titles

    page.get_by_role("link", name="Outcomes", exact=True).click()
    page.wait_for_url(server.url(f"/cases/{case.referral_id}/outcomes"))
    ledger = page.get_by_test_id(f"ledger-{case.suspect}")
    expect(ledger.locator("tbody tr")).to_have_count(1)
    expect(ledger).to_contain_text("Charged")


# ---------------------------------------------------------------------------------------------


def test_a_case_goes_from_an_eligible_referral_to_a_charge(
        desks: Desks, server: Server, watch: PageWatch) -> None:
    server.cli("review", "blind-sample", "0", "--note", "No blind sample in this journey")

    case = _allocate_from_the_queue(desks(SENIOR_REVIEWER), server)
    watch.assert_clean("triage and allocation")
    _review_and_submit(desks(REVIEWER), server, case)
    watch.assert_clean("the review")
    _sign_off(desks(SENIOR_REVIEWER), case)
    watch.assert_clean("quality assurance")
    _panel_decides(desks(PANEL_MEMBER), server, case)
    watch.assert_clean("the panel")
    _raise_the_action(desks(REVIEWER), server, case)
    _allocate_the_action(desks(SENIOR_REVIEWER), case)
    watch.assert_clean("raising and allocating the action")
    _only_its_force_sees_it(desks(OTHER_INVESTIGATOR), watch, case)
    _force_works_the_action(desks(INVESTIGATOR), case)
    watch.assert_clean("the force's work")
    _check_and_file(desks(SENIOR_REVIEWER), case)
    _the_story_ends_in_a_charge(desks(SENIOR_REVIEWER), server, case)
    _the_new_pages_are_accessible(desks, server, case)


def _the_new_pages_are_accessible(desks: Desks, server: Server, case: Case) -> None:
    """axe on the pages of actions, the blind second review's list and the learning, each with
    something on it now (the safeguarding pages are the safeguarding journey's)."""
    found: dict[str, str] = {}
    senior = desks(SENIOR_REVIEWER)
    for name, path in [("an action", case.action_url),
                       ("the case's actions", f"/cases/{case.referral_id}/actions"),
                       ("actions", "/actions"), ("overdue actions", "/actions?overdue=1"),
                       ("reviews, with the blind sample", "/reviews"),
                       ("learning", "/learning")]:
        senior.goto(path if path.startswith("http") else server.url(path))
        accessible(senior, name, found)
    investigator = desks(INVESTIGATOR)
    investigator.goto(server.url("/actions"))
    accessible(investigator, "a force's actions", found)
    assert not found, "\n\n".join(f"== {name}\n{text}" for name, text in found.items())
