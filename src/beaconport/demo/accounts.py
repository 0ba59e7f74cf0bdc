"""Demo accounts: one per role, with a published password and a second factor anyone can compute.

They exist so that a demonstration (and the browser tests) can sign in as every role. Everything
about them is public, so they are refused on any database not marked as a demonstration, and
marking a database that already has accounts of its own is refused too: a real installation can
never gain them by mistake.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.service import Actor, name_of
from beaconport.auth import accounts, queries, totp
from beaconport.auth.permissions import FORCE_SCOPED_ROLES, Role
from beaconport.errors import InvalidRequest
from beaconport.instance import queries as instance
from beaconport.instance import service as instance_service
from beaconport.review import allocation, eligibility

#: The one password of every demo account (it meets the password policy).
DEMO_PASSWORD = "demo-password-1234"  # noqa: S105 (published on purpose: demo accounts only)
#: Demo accounts have email addresses here (a reserved domain: nothing is ever delivered), so a
#: safeguarding referral can name any of them as the supervisor to escalate to.
DEMO_MAIL_DOMAIN = "demo.beaconport.example"
WEST_YORKSHIRE = "E23000010"
GREATER_MANCHESTER = "E23000005"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    force_code: str | None = None

    @property
    def secret(self) -> str:
        return demo_secret(self.username)


def _account(role: Role, force_code: str | None = None, suffix: str = "") -> DemoAccount:
    words = role.value.replace("-", " ").capitalize()
    return DemoAccount(f"demo-{role.value}{suffix}", f"Demo {words}{suffix.replace('-', ' ')}",
                       role, force_code)


#: One account per role; force roles for two forces, so cross-force access can be tried.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    *(_account(role, WEST_YORKSHIRE if role in FORCE_SCOPED_ROLES else None) for role in Role),
    _account(Role.FORCE_SUBMITTER, GREATER_MANCHESTER, "-2"),
    _account(Role.FORCE_INVESTIGATOR, GREATER_MANCHESTER, "-2"),
)
_BY_NAME = {a.username: a for a in DEMO_ACCOUNTS}


def demo_secret(username: str) -> str:
    """The TOTP secret of a demo account, derived from its username so it can be printed and
    recomputed anywhere (160 bits, base32)."""
    seed = hashlib.sha256(f"beaconport demo second factor:{username}".encode()).digest()[:20]
    return base64.b32encode(seed).decode("ascii")


def create_demo_accounts(session: Session, *, actor: str | Actor) -> list[DemoAccount]:
    """Mark the database as a demonstration and create the demo accounts that are missing, each
    with its role and an already confirmed second factor. Running it again changes nothing."""
    existing = {u.username for u in queries.list_users(session)}
    if not instance.is_demo(session):
        own = sorted(existing - set(_BY_NAME))
        if own:
            raise InvalidRequest(
                f"This database already has accounts of its own ({len(own)}), so it is not a "
                "demonstration. Demo accounts are only made on a new demonstration database.")
        instance_service.mark_as_demo(session, actor=name_of(actor))
    for demo in DEMO_ACCOUNTS:
        if demo.username in existing:
            continue
        accounts.create_user(session, actor=actor, username=demo.username,
                             display_name=demo.display_name, password=DEMO_PASSWORD,
                             email=f"{demo.username}@{DEMO_MAIL_DOMAIN}")
        accounts.grant_role(session, actor=actor, username=demo.username, role=demo.role,
                            force_code=demo.force_code)
        accounts.enrol_demo_second_factor(session, actor=actor, username=demo.username,
                                          secret=demo.secret)
        if demo.role in (Role.REVIEWER, Role.SENIOR_REVIEWER):
            _reviewer_profile(session, actor=actor, username=demo.username,
                              senior=demo.role == Role.SENIOR_REVIEWER)
    return list(DEMO_ACCOUNTS)


def _reviewer_profile(session: Session, *, actor: str | Actor, username: str,
                      senior: bool) -> None:
    """Demo reviewers can be allocated cases; the reviewer once served in West Yorkshire, so
    allocation shows a conflict of interest on that force's cases."""
    allocation.set_profile(
        session, actor=actor, username=username, capacity=15 if senior else 10,
        skills=list(eligibility.SKILLS), vetting="SC" if senior else "NPPV3",
        vetting_expires_on=clock.today() + timedelta(days=730),
        served_forces=[] if senior else ["E23000010"])


def current_code(session: Session, username: str) -> str:
    """The six-digit code a demo account's authenticator would show now. Refused on a database
    that is not a demonstration: it must never help anyone into a real installation."""
    if not instance.is_demo(session):
        raise InvalidRequest("This database is not marked as a demonstration, so Beaconport will "
                             "not show sign-in codes for it.")
    demo = _BY_NAME.get(accounts.normalise_username(username))
    if demo is None:
        raise InvalidRequest(f"{username!r} is not a demo account. The demo accounts are: "
                             + ", ".join(_BY_NAME) + ".")
    return totp.current_code(demo.secret, clock.now())
