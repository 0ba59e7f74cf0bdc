"""A suspect who may still be a danger to children, in a real browser, from the flag to the
authorities' answers: a reviewer flags a suspect who holds a taxi and private hire driver's
licence; the safeguarding officer refers the flag to the suspect's home force's public protection
unit and to the licensing authority, and both referrals go out by email through a real SMTP
server (aiosmtpd) with ``beaconport outbox send``; the licensing authority acknowledges and
answers, recorded on its referral's page; the home force does not, so once the referral is
overdue the daily chase (``beaconport safeguarding chase``) reminds the force, then escalates to
the named supervisor, and the safeguarding pages show it escalated. What reaches the SMTP server
goes to the right people and never names a complainant. axe checks every page visited, the forms
with their errors too.

The server is shared with the other browser tests in the worker: this journey takes the last
West Yorkshire referral (the home force is then West Yorkshire Police), and creates the
supervisor's account, with an email address, in the test database.

Time: the home force's referral is moved three weeks back (sent, and so due, then), as if it had
been sent then; the chase of the working day after it was due runs through the chase's own
function for that day, and today's chase runs through the command line, which escalates it.
"""

from __future__ import annotations

import contextlib
import re
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Page, expect
from sqlalchemy import select
from tests.e2e.conftest import Desks, PageWatch, Server, accessible

from beaconport import clock
from beaconport.auth import accounts
from beaconport.auth.permissions import Role
from beaconport.db import session_scope
from beaconport.demo.accounts import WEST_YORKSHIRE
from beaconport.referrals.models import PersonRecord, Referral, ReferralVersion
from beaconport.safeguarding import referrals
from beaconport.safeguarding.models import AuthorityReferral
from beaconport.working_days import add_working_days, working_days_between

pytestmark = pytest.mark.e2e

REVIEWER = "demo-reviewer"
OFFICER = "demo-safeguarding-officer"
SUPERVISOR = "safeguarding-lead"
SUPERVISOR_EMAIL = "safeguarding.lead@nca.example"
SENDER = "safeguarding@beaconport.example"
LICENCE = "Hackney carriage and private hire driver's licence, issued by Leeds City Council"
PPU = ("Public Protection Unit, West Yorkshire Police", "ppu@westyorkshire.police.example")
LICENSING = ("Taxi and Private Hire Licensing, Leeds City Council",
             "taxi.licensing@leeds.example")
UUID = r"[0-9a-f-]{36}"


class Inbox:
    """What the SMTP server received, each message parsed as a mail client would."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _subject(message: EmailMessage) -> str:
    """The subject as a mail client shows it (a long one is folded in transit)."""
    return " ".join(str(message["Subject"]).split())


@dataclass
class Mail:
    inbox: Inbox
    port: int

    def send_the_outbox(self, server: Server) -> str:
        """``beaconport outbox send``, as the timer runs it, through this SMTP server."""
        return server.cli("outbox", "send", env={"BEACONPORT_SMTP_HOST": "127.0.0.1",
                                                 "BEACONPORT_SMTP_PORT": str(self.port),
                                                 "BEACONPORT_SMTP_FROM": SENDER})


@pytest.fixture
def mail() -> Iterator[Mail]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield Mail(inbox, port)
    with contextlib.suppress(AssertionError):
        controller.stop()


@dataclass
class Journey:
    referral_id: str
    reference: str = ""
    suspect: str = ""
    flag_url: str = ""
    home_force_url: str = ""
    licensing_url: str = ""


def _nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Primary navigation") \
        .get_by_role("link", name=label, exact=True).click()


def _the_case(server: Server, referral_id: str) -> tuple[str, list[str]]:
    """The referral's reference, and its complainants' names as the force sent them, in every
    version."""
    with session_scope(server.database_url) as session:
        reference = session.scalar(select(Referral.force_reference)
                                   .where(Referral.id == uuid.UUID(referral_id)))
        rows = session.execute(
            select(PersonRecord.forenames, PersonRecord.surname)
            .join(ReferralVersion, ReferralVersion.id == PersonRecord.version_id)
            .where(ReferralVersion.referral_id == uuid.UUID(referral_id),
                   PersonRecord.role == "complainant")).all()
    names = [" ".join(p for p in (forenames, surname) if p) for forenames, surname in rows]
    assert reference and any(names), "the referral names no complainant"
    return reference, [n for n in names if n]


def _a_supervisor(server: Server) -> None:
    """The safeguarding lead, named as the supervisor of each referral: an active account with
    an email address, as a referral requires."""
    with session_scope(server.database_url) as session:
        accounts.create_user(session, actor="test:setup", username=SUPERVISOR,
                             display_name="Safeguarding Lead", password="a long test password 1",
                             email=SUPERVISOR_EMAIL)
        accounts.grant_role(session, actor="test:setup", username=SUPERVISOR,
                            role=Role.SAFEGUARDING_OFFICER)


# ---------------------------------------------------------------------------------------------
# The stages, each as the person who does it


def _reviewer_flags_the_taxi_driver(page: Page, server: Server, watch: PageWatch,
                                    journey: Journey, found: dict[str, str]) -> None:
    """Reviewer: from the referral's page, a flag on its first suspect, who drives a taxi."""
    page.goto(server.url(f"/referrals/{journey.referral_id}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(journey.reference)
    page.get_by_test_id("flag-link").click()
    page.wait_for_url(re.compile(r"/safeguarding-flags\?stage=screening$"))
    accessible(page, "raising a safeguarding flag", found)

    watch.expect_error_status(server.url(f"/referrals/{journey.referral_id}/safeguarding-flags"))
    page.get_by_role("button", name="Raise the flag").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose one of the referral's suspects.")
    expect(summary).to_contain_text("Record the person's current access to children")
    accessible(page, "raising a safeguarding flag, with errors", found)

    suspect = page.get_by_label("Suspect")
    journey.suspect = suspect.locator("option").nth(1).get_attribute("value") or ""
    assert journey.suspect, "the referral names no suspect"
    suspect.select_option(journey.suspect)
    page.get_by_label("Where the concern arose").select_option("review")
    page.get_by_label("Kind (1)").select_option("licence")
    page.get_by_label("What it is (1)").fill(LICENCE)
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Urgency").select_option("one_working_day")
    page.get_by_label("What the records show (facts only)").fill(
        "Two complainants name him as the taxi driver who collected them from the care home.")
    page.get_by_label("Your assessment").fill(
        "He is still licensed, and drives children to school under a council contract.")
    page.get_by_role("button", name="Raise the flag").click()
    page.wait_for_url(re.compile(rf"/safeguarding/flags/{UUID}$"))
    journey.flag_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Safeguarding flag on suspect {journey.suspect}")
    expect(page.get_by_test_id("flag-status")).to_have_text("Open")
    expect(page.get_by_test_id("flag-summary")).to_contain_text(
        f"A licence (taxi or private hire, childminding ...): {LICENCE}")
    expect(page.locator("main")).to_contain_text("Not referred to any authority yet.")
    # Referring a flag is the safeguarding officer's, not the reviewer's.
    expect(page.get_by_test_id("refer-form")).to_have_count(0)
    accessible(page, "a safeguarding flag", found)


def _refer(page: Page, route: str, recipient: tuple[str, str], gateway: str,
           asked: str) -> None:
    form = page.get_by_test_id("refer-form")
    form.get_by_label("Route").select_option(route)
    form.get_by_label("Recipient", exact=True).fill(recipient[0])
    form.get_by_label("Recipient's secure email address").fill(recipient[1])
    form.get_by_label("Legal gateway relied on").select_option(gateway)
    form.get_by_label("What you ask them to do").fill(asked)
    form.get_by_label("Name", exact=True).check()
    form.get_by_label("Supervisor to escalate to").fill(SUPERVISOR)
    form.get_by_role("button", name="Send the referral").click()
    page.wait_for_url(re.compile(rf"/safeguarding/referrals/{UUID}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Referral to {recipient[0]}")
    expect(page.get_by_test_id("referral-status")).to_have_text("Sent")


def _officer_refers_it_twice(page: Page, server: Server, watch: PageWatch, journey: Journey,
                             complainants: list[str], found: dict[str, str]) -> None:
    """Safeguarding officer: from the open flags to the flag, then two referrals: the home
    force's public protection unit, and the licensing authority."""
    _nav(page, "Safeguarding")
    page.wait_for_url(server.url("/safeguarding"))
    row = page.get_by_test_id("flag-table").locator("tbody tr").filter(
        has_text=f"{journey.suspect} in {journey.reference}")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Within one working day")
    expect(row).to_contain_text("licence")
    accessible(page, "safeguarding flags", found)
    row.get_by_role("link").click()
    page.wait_for_url(journey.flag_url)
    accessible(page, "a safeguarding flag, with the referral form", found)

    watch.expect_error_status(journey.flag_url + "/referrals")
    page.get_by_test_id("refer-form").get_by_role("button", name="Send the referral").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the route: who can act on this concern.")
    expect(summary).to_contain_text("Give the recipient's secure email address.")
    accessible(page, "referring a flag, with errors", found)

    _refer(page, "home_force", PPU, "dpa_sch8_para4",
           "Consider managing him as a potentially dangerous person, and tell us what you do.")
    journey.home_force_url = page.url
    sent = page.get_by_test_id("referral-text")
    expect(sent).to_contain_text("The home force's public protection unit")
    expect(sent).to_contain_text(f"A licence (taxi or private hire, childminding ...): {LICENCE}")
    expect(sent).to_contain_text("(not named)")
    for name in complainants:
        expect(sent).not_to_contain_text(name)
    accessible(page, "a referral to an authority", found)

    page.get_by_role("link", name="The flag").click()
    page.wait_for_url(journey.flag_url)
    _refer(page, "licensing_authority", LICENSING, "clpd",
           "Review his hackney carriage and private hire driver's licence, and tell us what "
           "you decide.")
    journey.licensing_url = page.url

    page.goto(journey.flag_url)
    table = page.get_by_test_id("authority-referrals")
    expect(table.locator("tbody tr")).to_have_count(2)
    for name, _ in (PPU, LICENSING):
        expect(table.locator("tbody tr").filter(has_text=name)).to_contain_text("Sent")
    accessible(page, "a safeguarding flag, with its referrals", found)


def _both_go_out_by_email(mail: Mail, server: Server, journey: Journey,
                          complainants: list[str]) -> None:
    """The outbox delivers both, each to its authority, with no complainant's identity."""
    output = mail.send_the_outbox(server)
    assert re.search(r"Outbox: [1-9]\d* sent, 0 to try again, 0 failed", output), output
    for (name, address), url, route in (
            (PPU, journey.home_force_url, "The home force's public protection unit"),
            (LICENSING, journey.licensing_url, "The taxi and private hire licensing authority")):
        (message,) = mail.inbox.to(address)
        assert message["From"] == SENDER
        short = url.rsplit("/", 1)[1][-12:].upper()
        assert _subject(message) == f"Safeguarding referral {short}: {route}"
        text = message.get_content()
        assert text.startswith(f"Safeguarding referral to {name} ({route})"), text
        assert f"A licence (taxi or private hire, childminding ...): {LICENCE}" in text
        assert re.search(r"Complainants: \d+ \(not named\)", text), text
        assert "not a finding of innocence" in text
        for complainant in complainants:
            assert complainant not in text, f"{complainant} is named in the email to {name}"
    assert mail.inbox.to(SUPERVISOR_EMAIL) == []


def _licensing_acknowledges_and_answers(page: Page, journey: Journey,
                                        found: dict[str, str]) -> None:
    """Safeguarding officer, on the licensing referral's page: their acknowledgement, then
    their answer."""
    page.goto(journey.licensing_url)
    expect(page.get_by_role("heading", level=2, name="Record their acknowledgement")) \
        .to_be_visible()
    page.get_by_role("button", name="Acknowledged").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Acknowledged")
    accessible(page, "a referral acknowledged", found)
    page.get_by_label("Their response").fill(
        "Licence suspended at once, pending the council's own inquiry.")
    page.get_by_label("The action they took").fill("Suspended; school contract withdrawn.")
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Responded")
    expect(page.get_by_test_id("referral-summary")).to_contain_text(
        "Licence suspended at once, pending the council's own inquiry. Action: Suspended; "
        "school contract withdrawn.")
    expect(page.get_by_role("button", name="Record the response")).to_have_count(0)
    accessible(page, "a referral answered", found)


def _the_home_force_is_chased_then_escalated(mail: Mail, server: Server,
                                             journey: Journey) -> None:
    """The home force's referral, moved three weeks back, is overdue: the chase of the working
    day after it was due reminds the force; today's chase (the command line) tells the
    supervisor; the next delivery sends both."""
    home_id = uuid.UUID(journey.home_force_url.rsplit("/", 1)[1])
    with session_scope(server.database_url) as session:
        referral = session.get(AuthorityReferral, home_id)
        assert referral is not None and referral.status == "sent"
        referral.sent_at_utc -= timedelta(weeks=3)
        referral.due_on -= timedelta(weeks=3)
        day_after_due = add_working_days(referral.due_on, 1)
    assert working_days_between(day_after_due, clock.today()) >= 1
    with session_scope(server.database_url) as session:
        referrals.chase_overdue(session, actor="cli:timer", today=day_after_due)
    output = server.cli("safeguarding", "chase")
    assert "Safeguarding referrals: 0 chased, 1 escalated." in output, output
    output = mail.send_the_outbox(server)
    assert re.search(r"Outbox: [1-9]\d* sent, 0 to try again, 0 failed", output), output

    short = str(home_id)[-12:].upper()
    (reminder,) = [m for m in mail.inbox.to(PPU[1]) if _subject(m).startswith("Reminder")]
    assert _subject(reminder) == (f"Reminder: safeguarding referral {short} not yet "
                                        "acknowledged")
    assert "Please acknowledge it by replying to this message." in reminder.get_content()
    (escalation,) = mail.inbox.to(SUPERVISOR_EMAIL)
    assert _subject(escalation) == (f"Escalated: safeguarding referral {short} not "
                                          "acknowledged")
    assert f"The referral to {PPU[0]} was due to be acknowledged by" in escalation.get_content()
    # The licensing authority answered in time: it hears nothing more.
    assert len(mail.inbox.to(LICENSING[1])) == 1


def _the_pages_show_it_escalated(page: Page, server: Server, journey: Journey,
                                 found: dict[str, str]) -> None:
    """Safeguarding officer: the flags page lists it among the referrals not acknowledged in
    time, chased and escalated to the supervisor; so do the flag and the referral."""
    _nav(page, "Safeguarding")
    overdue = page.get_by_test_id("overdue-referrals").locator("tbody tr")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text(f"{PPU[0]}: {journey.suspect} in {journey.reference}")
    cells = overdue.locator("td")
    expect(cells.nth(2)).not_to_have_text("Not yet")
    expect(cells.nth(3)).to_have_text(SUPERVISOR)
    accessible(page, "safeguarding flags, with an escalated referral", found)

    page.goto(journey.flag_url)
    rows = page.get_by_test_id("authority-referrals").locator("tbody tr")
    home = rows.filter(has_text=PPU[0])
    expect(home).to_contain_text("Overdue")
    expect(home).to_contain_text("Escalated")
    expect(home).to_contain_text("Sent")
    licensing = rows.filter(has_text=LICENSING[0])
    expect(licensing).to_contain_text("Responded")
    expect(licensing).not_to_contain_text("Overdue")
    accessible(page, "a safeguarding flag, with an escalated referral", found)

    overdue_link = home.get_by_role("link")
    overdue_link.click()
    page.wait_for_url(journey.home_force_url)
    expect(page.get_by_test_id("referral-summary")).to_contain_text(
        f"escalated to {SUPERVISOR}")
    expect(page.get_by_test_id("referral-summary")).to_contain_text("Overdue")
    accessible(page, "a referral escalated", found)


# ---------------------------------------------------------------------------------------------


def test_a_taxi_driver_is_flagged_referred_twice_acknowledged_and_escalated(
        desks: Desks, server: Server, watch: PageWatch, mail: Mail) -> None:
    journey = Journey(str(uuid.UUID(server.referrals_by_force[WEST_YORKSHIRE][-1])))
    journey.reference, complainants = _the_case(server, journey.referral_id)
    _a_supervisor(server)
    found: dict[str, str] = {}

    _reviewer_flags_the_taxi_driver(desks(REVIEWER), server, watch, journey, found)
    watch.assert_clean("raising the flag")
    officer = desks(OFFICER)
    _officer_refers_it_twice(officer, server, watch, journey, complainants, found)
    watch.assert_clean("the referrals")
    _both_go_out_by_email(mail, server, journey, complainants)
    _licensing_acknowledges_and_answers(officer, journey, found)
    watch.assert_clean("the acknowledgement and the answer")
    _the_home_force_is_chased_then_escalated(mail, server, journey)
    _the_pages_show_it_escalated(officer, server, journey, found)
    assert not found, "\n\n".join(f"== {name}\n{text}" for name, text in found.items())
