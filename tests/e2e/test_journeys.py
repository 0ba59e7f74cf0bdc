"""Journeys through the web application in a real browser, and axe's accessibility checks.

Every page a test visits is also watched for console errors, uncaught exceptions and
Content-Security-Policy violations (see ``conftest.PageWatch``). The tests share one server and
database (``conftest.server``, one per xdist worker), so each test signs in afresh and makes its
own data where it changes anything. Two tests reuse what an earlier one made (the consultation,
the import) when it ran in the same worker, and make their own otherwise, so each also passes
alone or on a worker of its own.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, Response, expect
from tests.e2e.browser import describe_violations, run_axe
from tests.e2e.conftest import PageWatch, Server, SignIn

from beaconport.auth.totp import current_code
from beaconport.demo.accounts import GREATER_MANCHESTER, WEST_YORKSHIRE, demo_secret
from beaconport.deps import SESSION_COOKIE

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

Go = Callable[..., Response]
SCREENER = "demo-screener"
AUDITOR = "demo-auditor"
ADMINISTRATOR = "demo-administrator"
REVIEWER = "demo-reviewer"
SENIOR_REVIEWER = "demo-senior-reviewer"
SUBMITTER = "demo-force-submitter"  # West Yorkshire
OTHER_SUBMITTER = "demo-force-submitter-2"  # Greater Manchester: uploads, so West Yorkshire's
                                            # referrals stay as imported
ENROLLING = "demo-analyst"  # its second factor is reset, so its next sign-in sets one up
WEST_YORKSHIRE_NAME = "West Yorkshire Police"
JUSTIFICATION = "Checking the complainant's account against the crime report"
MISSING_REFERRAL_DATE = "The date of referral is missing; it is required."
NO_CRIMES = "There must be at least one entry in crimes."

#: What one test leaves for a later one in the same worker.
_made: dict[str, Any] = {}


def _upload_file(server: Server, tag: str) -> dict[str, Any]:
    """A JSON Lines file of three Greater Manchester referrals: one valid, two with problems."""
    samples = [json.loads(line) for line in
               (server.workdir / "generated.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    for number, referral in enumerate(samples, start=1):
        referral["force"] = GREATER_MANCHESTER
        referral["force_reference"] = f"GMP-E2E-{tag}-{number}"
    del samples[1]["referred_on"]
    samples[2]["crimes"] = []
    samples[2]["decisions"] = []
    body = "".join(json.dumps(r) + "\n" for r in samples).encode()
    return {"name": f"upload-{tag}.jsonl", "mimeType": "application/jsonl", "buffer": body}


def _wrong_code(secret: str) -> str:
    """Six digits that are none of the codes the server would accept now."""
    now = time.time()
    right = {current_code(secret, datetime.fromtimestamp(now + drift, UTC))
             for drift in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222") if code not in right)


def _assert_demo_banner(page: Page) -> None:
    expect(page.get_by_test_id("demo-banner")).to_be_visible()
    expect(page.get_by_test_id("demo-banner")).to_contain_text("demonstration database")


def _sign_out(page: Page, server: Server) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(server.url("/signed-out"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")


def _upload(page: Page, server: Server, tag: str) -> str:
    """Upload the file with problems through the upload page; the result page's address."""
    page.goto(server.url("/imports/new"))
    page.get_by_label("File of referrals").set_input_files(_upload_file(server, tag))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/imports/[0-9a-f-]{36}$"))
    return page.url


def _consult_complainant(page: Page, server: Server) -> dict[str, str]:
    """From the referral list, filtered, to a complainant's record; what was consulted."""
    page.goto(server.url("/referrals"))
    count = page.get_by_test_id("result-count")
    west_yorkshire = len(server.referrals_by_force[WEST_YORKSHIRE])
    expect(count).to_have_text(re.compile(r"^\d+ referrals$"))
    assert count.inner_text() != f"{west_yorkshire} referrals", "every referral is West Yorkshire's"
    # A full page load would lose this; htmx updating the results in place keeps it.
    page.evaluate("window.__beaconportSamePage = true")
    with page.expect_request(re.compile(r"/referrals\?")) as update:
        page.get_by_label("Force").select_option(WEST_YORKSHIRE)
    assert update.value.headers.get("hx-request") == "true", "the filter was not sent by htmx"
    expect(count).to_have_text(f"{west_yorkshire} referrals")
    expect(page).to_have_url(re.compile(rf"[?&]force={WEST_YORKSHIRE}(&|$)"))
    assert page.evaluate("window.__beaconportSamePage === true"), "the filter reloaded the page"
    table = page.get_by_test_id("referrals-table")
    expect(table.locator("tbody tr")).to_have_count(west_yorkshire)
    expect(table.locator("tbody tr td:first-child")).to_have_text(
        [WEST_YORKSHIRE_NAME] * west_yorkshire)

    first = table.locator("tbody tr").first.get_by_role("link")
    reference = first.inner_text().strip()
    first.click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}$"))
    referral_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Referral {reference}")
    expect(page.get_by_role("heading", name="Crimes")).to_be_visible()
    expect(page.get_by_role("table", name="Crimes in this referral")
           .locator("tbody tr")).not_to_have_count(0)
    expect(page.get_by_test_id("people-suspect").locator("tbody tr")).not_to_have_count(0)
    complainants = page.get_by_test_id("people-complainant")
    expect(complainants).to_contain_text("Withheld")

    link = complainants.get_by_role("link", name=re.compile(r"^View complainant "))
    link.first.click()
    page.wait_for_url(re.compile(r"/people/records/[0-9a-f-]{36}$"))
    record_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_role("group", name="Why do you need to see this complainant’s record?")) \
        .to_be_visible()
    page.get_by_label("Reviewing this case").check()
    page.get_by_label("Explain briefly").fill(JUSTIFICATION)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(server.url(f"/people/records/{record_id}"))
    expect(page.locator(".govuk-caption-l")).to_contain_text("Complainant")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Name not given")
    expect(page.locator(".govuk-inset-text")).to_have_text(
        f"You gave this reason for viewing: Reviewing this case: {JUSTIFICATION}")
    expect(page.get_by_text("Role in this referral")).to_be_visible()
    return {"referral_id": referral_id, "record_id": record_id, "reference": reference}


# ---------------------------------------------------------------------------------------------
# Journeys


def test_sign_in_with_second_factor_and_sign_out(
        page: Page, server: Server, sign_in: SignIn, watch: PageWatch) -> None:
    page.goto(server.url("/"))
    page.wait_for_url(server.url("/sign-in"))  # not signed in: sent to sign in
    _assert_demo_banner(page)

    sign_in.password(page, server.base_url, SCREENER)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app")
    _assert_demo_banner(page)
    sign_in.code(page, server.base_url, SCREENER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Operation Beaconport")
    expect(page.get_by_text("Demo Screener")).to_be_visible()
    _assert_demo_banner(page)
    watch.assert_clean("signing in")
    # BEACONPORT_COOKIE_SECURE is on, as in production: Chromium keeps Secure cookies on
    # http://127.0.0.1, a secure context, and sends them back.
    session = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    assert len(session) == 1 and session[0]["secure"] and session[0]["httpOnly"], session

    for label in ("Referrals", "Upload", "Quarantine", "Home"):
        page.get_by_role("navigation", name="Primary navigation") \
            .get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page")
        _assert_demo_banner(page)
        watch.assert_clean(label)

    _sign_out(page, server)
    _assert_demo_banner(page)
    page.goto(server.url("/referrals"))
    page.wait_for_url(server.url("/sign-in"))  # the session has ended
    assert not [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]


def test_upload_with_problems_shows_each_rejected_referral(
        page: Page, server: Server, sign_in: SignIn) -> None:
    sign_in(page, server.base_url, OTHER_SUBMITTER)
    result_url = _upload(page, server, uuid.uuid4().hex[:8])
    _made["import_result"] = result_url

    expect(page.get_by_role("heading", level=1)).to_contain_text("Import of upload-")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "2 referrals could not be accepted and are held in quarantine")
    accepted = page.locator(".govuk-summary-list__row").filter(has_text="New referrals accepted")
    expect(accepted.locator(".govuk-summary-list__value")).to_have_text("1")
    rejections = page.get_by_test_id("rejection")
    expect(rejections).to_have_count(2)
    undated = rejections.filter(has_text="-2 at line 2")
    expect(undated).to_contain_text(f"referred_on {MISSING_REFERRAL_DATE}")
    crimeless = rejections.filter(has_text="-3 at line 3")
    expect(crimeless).to_contain_text(f"crimes {NO_CRIMES}")
    expect(crimeless.get_by_role("heading")).to_contain_text("Greater Manchester Police GMP-E2E-")

    # The rejected referrals wait in quarantine, with what to correct.
    page.get_by_role("link", name="Quarantine", exact=True).click()
    link = page.get_by_role("link", name=re.compile(r"^GMP-E2E-")).first
    reference = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text("What needs correcting")


def test_filter_the_list_open_a_referral_and_a_complainants_record(
        page: Page, server: Server, sign_in: SignIn) -> None:
    sign_in(page, server.base_url, REVIEWER)
    _made["consultation"] = _consult_complainant(page, server)


def test_auditor_sees_the_consultation_in_the_audit_trail(
        page: Page, server: Server, sign_in: SignIn, watch: PageWatch) -> None:
    if "consultation" not in _made:  # run alone: make the consultation first
        sign_in(page, server.base_url, REVIEWER)
        _made["consultation"] = _consult_complainant(page, server)
        _sign_out(page, server)
    consultation = _made["consultation"]
    sign_in(page, server.base_url, AUDITOR)
    page.goto(server.url(f"/referrals/{consultation['referral_id']}/audit-trail"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    expect(page.locator(".govuk-caption-l")).to_contain_text(consultation["reference"])
    timeline = page.get_by_test_id("audit-timeline")
    entry = timeline.locator(".moj-timeline__item").filter(
        has_text="referrals:person:consulted").filter(has_text=consultation["record_id"])
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"Justification: Reviewing this case: {JUSTIFICATION}")
    expect(entry.locator(".moj-timeline__byline")).to_have_text(f"by user:{REVIEWER} (reviewer)")
    expect(entry.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
    watch.assert_clean("the audit trail")


def test_force_submitter_sees_only_their_own_force(
        page: Page, server: Server, sign_in: SignIn, go: Go) -> None:
    sign_in(page, server.base_url, SUBMITTER)
    other_force = server.referrals_by_force[GREATER_MANCHESTER][0]
    go(server.url(f"/referrals/{other_force}"), status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    message = page.locator("main p").first.inner_text()
    go(server.url(f"/referrals/{uuid.uuid4()}"), status=404)  # no such referral: the same page
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main p").first).to_have_text(message)
    # Audit trails are not part of the role at all: refused whichever force, found or not.
    go(server.url(f"/referrals/{other_force}/audit-trail"), status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have access to this page")

    go(server.url("/referrals"))
    own_count = len(server.referrals_by_force[WEST_YORKSHIRE])
    expect(page.get_by_test_id("result-count")).to_have_text(f"{own_count} referrals")
    cells = page.get_by_test_id("referrals-table").locator("tbody tr td:first-child")
    expect(cells).to_have_text([WEST_YORKSHIRE_NAME] * own_count)
    own = server.referrals_by_force[WEST_YORKSHIRE][0]
    go(server.url(f"/referrals/{own}"))
    expect(page.locator(".govuk-caption-l")).to_have_text(WEST_YORKSHIRE_NAME)


# ---------------------------------------------------------------------------------------------
# Accessibility, console and Content-Security-Policy on every main page


class Audit:
    """Runs axe and the browser watch on each page; reports every page's problems at the end."""

    def __init__(self, page: Page, watch: PageWatch) -> None:
        self.page = page
        self.watch = watch
        self.failures: dict[str, str] = {}
        self.checked: list[str] = []

    def check(self, name: str) -> None:
        self.page.wait_for_load_state("load")
        found = []
        violations = run_axe(self.page)
        if violations:
            found.append(describe_violations(violations))
        found.extend(self.watch.take())
        self.checked.append(name)
        if found:
            self.failures[f"{name} ({self.page.url})"] = "\n".join(found)

    def assert_none(self) -> None:
        report = "\n\n".join(f"== {name}\n{text}"
                             for name, text in self.failures.items())
        assert not self.failures, f"problems on {len(self.failures)} pages:\n{report}"


def test_every_main_page_is_accessible_with_no_console_errors_or_csp_violations(
        page: Page, server: Server, sign_in: SignIn, watch: PageWatch) -> None:
    audit = Audit(page, watch)

    # The watch does notice a CSP violation: an inline script is refused and reported.
    page.goto(server.url("/sign-in"))
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__inline = 1"; document.body.append(s); }""")
    page.wait_for_timeout(200)  # the event is reported asynchronously
    assert watch.csp_violations, "the CSP violation listener reported nothing"
    assert watch.csp_violations[0]["directive"] == "script-src-elem"
    assert any("Content Security Policy" in p for p in watch.problems), watch.problems
    assert page.evaluate("window.__inline === undefined")
    watch.take()

    page.goto(server.url("/sign-in"))
    audit.check("sign-in")
    watch.expect_error_status(server.url("/sign-in"))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("sign-in with errors")
    watch.expect_error_status(server.url("/no-such-page"))
    page.goto(server.url("/no-such-page"))
    audit.check("404 when signed out")

    # Setting up an authenticator app (the account's second factor was reset).
    server.cli("users", "reset-second-factor", ENROLLING)
    sign_in.password(page, server.base_url, ENROLLING)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")) \
        .to_be_visible()
    audit.check("second factor: setting up an app")
    sign_in.code(page, server.base_url, ENROLLING)
    audit.check("home (analyst)")
    _sign_out(page, server)

    # A screener's pages.
    sign_in.password(page, server.base_url, SCREENER)
    audit.check("second factor")
    watch.expect_error_status(server.url("/sign-in/second-factor"))
    page.fill("#code", _wrong_code(demo_secret(SCREENER)))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("second factor with a wrong code")
    sign_in.code(page, server.base_url, SCREENER)
    audit.check("home")
    page.goto(server.url("/referrals"))
    audit.check("referral list")
    page.get_by_role("radio", name="Yes").check()
    expect(page).to_have_url(re.compile(r"rape=yes"))
    audit.check("referral list filtered by htmx")
    referral_id = server.referrals_by_force[WEST_YORKSHIRE][1]
    page.goto(server.url(f"/referrals/{referral_id}"))
    audit.check("referral detail")
    page.get_by_test_id("people-suspect").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/people/records/"))
    audit.check("person record (suspect)")
    page.get_by_test_id("nominal-link").click()
    page.wait_for_url(re.compile(r"/people/nominals/"))
    audit.check("a person's appearances")
    if page.get_by_test_id("network-link").count():
        page.get_by_test_id("network-link").click()
        page.wait_for_url(re.compile(r"/network$"))
        expect(page.locator("#network canvas").first).to_be_attached()
        audit.check("a person's network")
    page.goto(server.url(f"/referrals/{referral_id}"))
    page.get_by_role("link", name=re.compile(r"^View complainant ")).first.click()
    page.wait_for_url(re.compile(r"/people/records/"))
    audit.check("justification")
    watch.expect_error_status(page.url + "/justification")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("justification with errors")
    page.get_by_label("Safeguarding").check()
    page.get_by_label("Explain briefly").fill("Checking for a safeguarding referral")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Safeguarding")
    audit.check("person record (complainant)")
    page.goto(server.url("/screening"))
    audit.check("screening queue")
    page.goto(server.url("/people/review"))
    audit.check("linkage: pairs to decide")
    page.goto(server.url("/people/groups"))
    audit.check("offending groups")
    if page.get_by_test_id("groups").count():
        page.get_by_test_id("groups").get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/people/groups/[0-9a-f-]{36}$"))
        expect(page.locator("#network canvas").first).to_be_attached()
        audit.check("an offending group's network")
    page.goto(server.url("/imports/new"))
    audit.check("upload form")
    watch.expect_error_status(server.url("/imports"))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    audit.check("upload form with errors")
    page.goto(_made.get("import_result") or _upload(page, server, uuid.uuid4().hex[:8]))
    audit.check("import result")
    page.goto(server.url("/rejected"))
    audit.check("quarantine list")
    page.locator("main table tbody a").first.click()
    page.wait_for_url(re.compile(r"/rejected/[0-9a-f-]{36}$"))
    audit.check("quarantine detail")
    page.get_by_text("The referral as sent, with complainants’ identities withheld").click()
    audit.check("quarantine detail, referral shown")
    watch.expect_error_status(server.url("/no-such-page"))
    page.goto(server.url("/no-such-page"))
    audit.check("404")
    other = server.referrals_by_force[GREATER_MANCHESTER][0]
    _sign_out(page, server)
    audit.check("signed out")

    # The auditor's pages.
    sign_in(page, server.base_url, AUDITOR)
    audit.check("home (auditor)")
    page.goto(server.url("/referrals"))
    audit.check("referral list (auditor)")
    page.goto(server.url(f"/referrals/{referral_id}/audit-trail"))
    expect(page.get_by_test_id("audit-timeline")).to_be_visible()
    audit.check("audit trail")
    _sign_out(page, server)

    # A reviewer's triage queue and a case's priority.
    sign_in(page, server.base_url, REVIEWER)
    page.goto(server.url("/triage"))
    expect(page.get_by_test_id("triage-table")).to_be_visible()
    audit.check("triage queue")
    page.get_by_test_id("triage-table").get_by_role("link", name=re.compile(r"^Score ")) \
        .first.click()
    page.wait_for_url(re.compile(r"/triage/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("triage-breakdown")).to_be_visible()
    audit.check("a case's priority")
    page.get_by_test_id("allocation-link").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/allocation$"))
    audit.check("a case's allocation (reviewer)")
    _sign_out(page, server)

    # A senior reviewer's allocation pages.
    sign_in(page, server.base_url, SENIOR_REVIEWER)
    page.goto(server.url("/triage"))
    page.get_by_test_id("triage-table").get_by_role("link", name=re.compile(r"^Score ")) \
        .first.click()
    page.get_by_test_id("allocation-link").click()
    expect(page.get_by_test_id("candidates")).to_be_visible()
    audit.check("a case's allocation (senior reviewer)")
    page.goto(server.url("/reviewers"))
    expect(page.get_by_test_id("workload")).to_be_visible()
    audit.check("reviewers' workload")
    page.goto(server.url(f"/reviewers/{REVIEWER}"))
    audit.check("a reviewer's profile")
    _sign_out(page, server)

    # A force submitter's 404 for another force's referral.
    sign_in(page, server.base_url, SUBMITTER)
    watch.expect_error_status(server.url(f"/referrals/{other}"))
    page.goto(server.url(f"/referrals/{other}"))
    audit.check("404 for another force's referral")
    page.goto(server.url("/information-requests"))
    audit.check("information requests")
    page.get_by_test_id("answer-link").first.click()
    page.wait_for_url(re.compile(r"/information-requests/[0-9a-f-]{36}$"))
    audit.check("answering an information request")
    watch.expect_error_status(page.url)
    page.get_by_role("button", name="Send these answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Answer at least one question")
    audit.check("answering an information request, with errors")

    _sign_out(page, server)

    # The administrator's pages.
    sign_in(page, server.base_url, ADMINISTRATOR)
    page.goto(server.url("/admin/accounts"))
    audit.check("accounts")
    page.goto(server.url("/admin/accounts/demo-reviewer"))
    audit.check("account")
    page.goto(server.url("/admin/tokens"))
    audit.check("API tokens")
    page.get_by_label("Name").fill("Test case system")
    page.get_by_label("Force", exact=True).fill("WYP")
    page.get_by_role("button", name="Issue token").click()
    expect(page.get_by_test_id("new-token")).to_be_visible()
    audit.check("token issued")

    audit.assert_none()
    assert len(audit.checked) >= 30


def test_a_case_is_allocated_and_its_review_autosaves_and_never_overwrites_another_save(
        page: Page, browser: Any, server: Server, sign_in: SignIn, watch: PageWatch) -> None:
    audit = Audit(page, watch)
    # A senior reviewer allocates a Greater Manchester case (the demo reviewer served in West
    # Yorkshire) from the triage queue.
    sign_in(page, server.base_url, SENIOR_REVIEWER)
    page.goto(server.url(f"/triage?force={GREATER_MANCHESTER}"))
    page.get_by_test_id("triage-table").get_by_role("link", name=re.compile(r"^Score ")) \
        .first.click()
    page.get_by_test_id("allocation-link").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/allocation$"))
    allocation_page = page.url
    page.get_by_label(re.compile(r"^Demo Reviewer \(")).check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_test_id("allocation-history")).to_contain_text("Demo Reviewer")
    _sign_out(page, server)

    # The reviewer starts the review and types: the page saves by itself.
    sign_in(page, server.base_url, REVIEWER)
    page.goto(allocation_page)
    page.get_by_role("button", name="Start the review").click()
    page.wait_for_url(re.compile(r"/reviews/[0-9a-f-]{36}$"))
    review_page = page.url
    audit.check("a structured review")
    item = page.locator("#item-C2")
    item.get_by_label("What the records show").select_option("not_done_available_at_time")
    item.get_by_label("Fact or assessment").select_option("assessment")
    item.get_by_label("Still achievable now").select_option("partly")
    item.get_by_label("Kind of error").select_option("human_error")
    item.get_by_label("Impact on the NFA decision").select_option("likely")
    item.get_by_label("Notes").fill("Suspect P2 was never interviewed.")
    expect(page.get_by_test_id("status-C2")).to_contain_text("Saved at", timeout=15_000)

    # A supervisor opens the same review; the reviewer saves C2 again meanwhile.
    other = browser.new_context()
    supervisor = other.new_page()
    sign_in(supervisor, server.base_url, SENIOR_REVIEWER)
    supervisor.goto(review_page)
    item.get_by_label("Notes").fill("Suspect P2 was never interviewed; his address was known.")
    expect(page.get_by_test_id("status-C2")).to_contain_text("Saved at", timeout=15_000)
    theirs = supervisor.locator("#item-C2")
    theirs.get_by_label("Notes").fill("Supervisor's own note on C2.")
    expect(supervisor.get_by_test_id("status-C2")).to_contain_text("since you opened it",
                                                                   timeout=15_000)
    expect(theirs.get_by_label("Notes")).to_have_value("Supervisor's own note on C2.")
    other.close()

    page.reload()
    expect(page.locator("#item-C2").get_by_label("Notes")).to_have_value(
        "Suspect P2 was never interviewed; his address was known.")
    expect(page.get_by_test_id("review-progress")).to_contain_text("1 of 51")

    # The Save button sends the item itself: the draft kept as it was chosen is not restored
    # and saved a second time when the page comes back.
    a1 = page.locator("#item-A1")
    a1.get_by_label("What the records show").select_option("not_applicable")
    a1.get_by_label("Fact or assessment").select_option("fact")
    a1.get_by_role("button", name="Save A1").click()
    page.wait_for_url(re.compile(r"/reviews/[0-9a-f-]{36}(#item-A1)?$"))
    page.wait_for_timeout(3_000)  # past the autosave's pause: a restored draft would save now
    page.reload()
    expect(page.locator("#item-A1 input[name=revision]")).to_have_value("1")
    expect(page.get_by_test_id("review-progress")).to_contain_text("2 of 51")
    page.goto(server.url("/reviews"))
    expect(page.get_by_test_id("my-reviews")).to_contain_text("In progress")
    audit.check("a reviewer's reviews")
    page.goto(review_page)
    page.get_by_test_id("panel-link").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/panel$"))
    audit.check("a case's panel decisions")
    page.get_by_test_id("outcomes-link").click()
    page.wait_for_url(re.compile(r"/cases/[0-9a-f-]{36}/outcomes$"))
    audit.check("a case's outcomes")
    page.goto(allocation_page)
    page.get_by_test_id("story-link").click()
    expect(page.get_by_test_id("case-story")).to_contain_text("Review started")
    audit.check("a case's story")
    audit.assert_none()
