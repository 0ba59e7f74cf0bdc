"""Referring a flag to the authorities who can act: one referral per route, carrying only the
minimum necessary information (domain brief §10.3), sent through the outbox in the same
transaction, recorded as a disclosure with its recipient, its acknowledgement due in working
days; chased when overdue, then escalated to a named supervisor; the recipient's response and
action recorded.

What is sent never names a complainant: the basis of concern counts complainants and gives
dates and offences, and says plainly that an allegation is not a conviction and a decision to
take no further action is not a finding of innocence."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.accounts import find_account
from beaconport.auth.models import RoleGrant, UserAccount
from beaconport.auth.permissions import ROLE_PERMISSIONS, Permission
from beaconport.db import new_id
from beaconport.errors import Conflict, FieldProblems, NotFound
from beaconport.outbox import service as outbox
from beaconport.people.prepare import pnc_of
from beaconport.referrals.models import (
    Crime,
    CrimeParty,
    PersonRecord,
    SuspectDecision,
)
from beaconport.referrals.queries import current_version_id
from beaconport.safeguarding import flags as f
from beaconport.safeguarding.models import AuthorityReferral, SafeguardingFlag
from beaconport.working_days import add_working_days, uk_day, working_days_between

ROUTES: dict[str, str] = {
    "home_force": "The home force's public protection unit",
    "pdp_visor": "Potentially dangerous person management (ViSOR)",
    "childrens_services": "Children's services (MASH)",
    "lado": "The LADO (works or volunteers with children)",
    "licensing_authority": "The taxi and private hire licensing authority",
    "employer_regulator": "An employer or regulator (Common Law Police Disclosure)",
    "dbs_barring": "The Disclosure and Barring Service",
    "probation": "The Probation Service",
}
GATEWAYS: dict[str, str] = {
    "clpd": "Common Law Police Disclosure: a pressing social need",
    "dpa_sch8_para4": "DPA 2018 Schedule 8 paragraph 4: safeguarding of children",
    "statutory_duty": "A statutory duty to refer",
}
#: Identity items that can be marked as verified.
IDENTITY: dict[str, str] = {"name": "Name", "date_of_birth": "Date of birth",
                            "address": "Address", "pnc_id": "PNC ID"}
#: Working days the recipient has to acknowledge, by the flag's urgency; the LADO is told
#: within one working day whatever the urgency.
ACKNOWLEDGE_WITHIN = {"immediate": 0, "one_working_day": 1, "five_working_days": 5}
SENT, ACKNOWLEDGED, RESPONDED = "sent", "acknowledged", "responded"


def short_reference(referral_id: uuid.UUID) -> str:
    """The referral's reference in emails: the id's last twelve characters, its random part (the
    first ones are a timestamp, the same for referrals made together)."""
    return str(referral_id)[-12:].upper()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HANDLING = ("Not for onward disclosure without the sender's agreement. The complainants are not "
            "named and must not be sought from the subject or an employer. An allegation is not "
            "a conviction, and a decision to take no further action is not a finding of "
            "innocence.")


class ReferralProblems(FieldProblems):
    """A referral to an authority that cannot be sent."""


def _subject(session: Session, flag: SafeguardingFlag) -> PersonRecord | None:
    """The flagged person as a suspect in the referral's current version; None when a
    resubmission removed them or gave them another role (a complainant is never the subject of
    a referral, so never has their identity sent)."""
    return session.scalar(
        select(PersonRecord)
        .where(PersonRecord.version_id == current_version_id(flag.referral_id),
               PersonRecord.person_ref == flag.person_ref, PersonRecord.role == "suspect"))


def _complainant_names(session: Session, referral_id: uuid.UUID) -> dict[str, list[str]]:
    """Each complainant of the referral's current version, with the names that would identify
    them in free text: the full name, the surname and each alias (three letters or more)."""
    found: dict[str, list[str]] = {}
    for ref, forenames, surname, aliases in session.execute(
            select(PersonRecord.person_ref, PersonRecord.forenames, PersonRecord.surname,
                   PersonRecord.aliases)
            .where(PersonRecord.version_id == current_version_id(referral_id),
                   PersonRecord.role == "complainant")):
        names = [" ".join(p for p in (forenames, surname) if p), surname or ""]
        names += [a if isinstance(a, str) else " ".join(str(v) for v in dict(a).values() if v)
                  for a in aliases or []]
        found[ref] = [n.strip() for n in names if n and len(n.strip()) >= 3]
    return found


def _naming_complainants(session: Session, flag: SafeguardingFlag,
                         texts: dict[str, str]) -> list[tuple[str, str]]:
    """Free text that would send a complainant's name: refused, field by field (a
    complainant's identity is never sent)."""
    problems = []
    names = _complainant_names(session, flag.referral_id)
    for field_name, text in texts.items():
        named = sorted(ref for ref, known in names.items()
                       if any(re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)
                              for n in known))
        if named:
            where = {"requested_action": "What you ask",
                     "subject": "The flag's facts, assessment or access"}[field_name]
            problems.append((field_name, f"{where} names complainant {', '.join(named)}: a "
                             "complainant's identity is never sent to an authority. "
                             + ("Take the name out." if field_name == "requested_action" else
                                "Resolve this flag and raise it again without the name.")))
    return problems


def _not_a_suspect(flag: SafeguardingFlag) -> tuple[str, str]:
    return ("subject", f"{flag.person_ref} is no longer a suspect in the referral's current "
            "version (a resubmission removed them or changed their role), and only a suspect "
            "can be the subject of a referral: nothing was sent. Resolve this flag, and raise "
            "one on a suspect if the concern stands.")


def _identity(person: PersonRecord) -> dict[str, Any]:
    """The subject's identity items as recorded: the name, the date of birth, the first address
    and the PNC ID (None, or empty, where the record has none)."""
    return {
        "name": " ".join(p for p in (person.forenames, person.surname) if p),
        "date_of_birth": person.date_of_birth,
        "address": next((a for a in (person.addresses or []) if isinstance(a, dict)), None),
        "pnc_id": pnc_of(person.identifiers),
    }


def _unverifiable(identity: dict[str, Any], verified: set[str]) -> list[tuple[str, str]]:
    """Items marked verified that the record has no value for: nothing there was verified."""
    missing = [item for item in IDENTITY
               if item in verified and not _as_text(identity[item]).strip()]
    if not missing:
        return []
    named = " or ".join(IDENTITY[item] if item == "pnc_id" else IDENTITY[item].lower()
                        for item in missing)
    them = "it" if len(missing) == 1 else "them"
    return [("verified", f"The subject's record has no {named}, so {them} cannot be marked "
             f"verified: untick {them}.")]


def content_for(session: Session, flag: SafeguardingFlag, *, verified: set[str],
                requested_action: str, gateway: str) -> dict[str, Any]:
    """The minimum necessary information, in sections: identity (each item marked verified or
    not), current access to children, the basis of concern (allegations, counted, never the
    complainants' identities), the risk (facts apart from the assessment), what is asked and
    how urgently, and the handling conditions."""
    person = _subject(session, flag)
    if person is None:
        raise ReferralProblems([_not_a_suspect(flag)])
    crimes = list(session.execute(
        select(Crime.id, Crime.offence_description, Crime.offence_code, Crime.offence_from,
               Crime.offence_to)
        .join(CrimeParty, CrimeParty.crime_id == Crime.id)
        .where(CrimeParty.person_record_id == person.id, CrimeParty.role == "suspect")))
    complainants = session.scalars(
        select(CrimeParty.person_record_id).distinct()
        .where(CrimeParty.crime_id.in_([c.id for c in crimes]),
               CrimeParty.role == "complainant")).all() if crimes else []
    decisions = list(session.execute(
        select(SuspectDecision.decided_by, SuspectDecision.decision,
               SuspectDecision.decided_on).where(SuspectDecision.suspect_id == person.id)))
    identity = _identity(person)
    unverifiable = _unverifiable(identity, verified)
    if unverifiable:
        raise ReferralProblems(unverifiable)

    def item(name: str) -> dict[str, Any]:
        return {"value": identity[name], "verified": name in verified}

    periods = sorted(str(p) for c in crimes for p in (c.offence_from, c.offence_to) if p)
    return {
        "identity": {
            "name": item("name"),
            "aliases": list(person.aliases or []),
            "date_of_birth": item("date_of_birth"),
            "address": item("address"),
            "pnc_id": item("pnc_id"),
        },
        "access_to_children": list(flag.access),
        "basis_of_concern": {
            "allegations": [c.offence_description or c.offence_code for c in crimes],
            "offending_between": [periods[0], periods[-1]] if periods else None,
            "complainants": len(complainants),
            "decisions": [{"by": d.decided_by, "decision": d.decision,
                           "on": d.decided_on} for d in decisions],
            "other_referrals_naming_the_person": flag.linked_referrals,
            "latest_alleged_offending": flag.last_alleged_on.isoformat()
            if flag.last_alleged_on else None,
            "status": "Allegations that ended in no further action; under independent review.",
        },
        "risk": {"facts": flag.facts, "assessment": flag.assessment,
                 "severity": flag.severity, "urgency": flag.urgency},
        "requested_action": requested_action,
        "gateway": gateway,
        "handling": HANDLING,
    }


def _as_text(value: Any) -> str:
    """A recorded value (a name, an alias or address as the force sent it) as plain words."""
    if isinstance(value, dict):
        return " ".join(_as_text(v) for v in value.values() if v)
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value if v)
    return "" if value is None else str(value)


def render_text(content: dict[str, Any], *, route: str, recipient: str) -> str:
    """The referral as the email's text, every section labelled."""
    who = content["identity"]

    def line(label: str, entry: dict[str, Any]) -> str:
        mark = "verified" if entry["verified"] else "not verified"
        return f"  {label}: {_as_text(entry['value']) or 'not known'} ({mark})"

    basis = content["basis_of_concern"]
    between = basis["offending_between"]
    risk = content["risk"]
    parts = [
        f"Safeguarding referral to {recipient} ({ROUTES.get(route, route)})",
        f"Legal gateway: {GATEWAYS.get(content['gateway'], content['gateway'])}",
        "", "THE SUBJECT",
        line("Name", who["name"]),
        f"  Aliases: {_as_text(who['aliases']) or 'none recorded'}",
        line("Date of birth", who["date_of_birth"]), line("Address", who["address"]),
        line("PNC ID", who["pnc_id"]),
        "", "CURRENT ACCESS TO CHILDREN",
        *[f"  {f.ACCESS.get(a['kind'], a['kind'])}: {a['detail']}"
          for a in content["access_to_children"]],
        "", "BASIS OF CONCERN (allegations, not findings)",
        f"  Allegations: {'; '.join(basis['allegations']) or 'none recorded'}",
        f"  Offending alleged between: {' and '.join(between) if between else 'not known'}",
        f"  Complainants: {basis['complainants']} (not named)",
        *[f"  Decision: {d['decision']} by {d['by']} on {d['on'] or 'an unknown date'}"
          for d in basis["decisions"]],
        f"  Other referrals naming the person: {basis['other_referrals_naming_the_person']}",
        f"  {basis['status']}",
        "", "RISK",
        f"  What the records show (facts): {risk['facts']}",
        f"  Our assessment: {risk['assessment']}",
        f"  Severity: {risk['severity']}; urgency: {f.URGENCIES.get(risk['urgency'])}",
        "", "WHAT WE ASK", f"  {content['requested_action']}",
        "", "HANDLING", f"  {content['handling']}",
        "", "Please acknowledge this referral by replying to this message.",
    ]
    return "\n".join(parts)


def _cannot_tell(account: UserAccount | None) -> str | None:
    """Why an escalation could not reach this account by email; None when it can."""
    if account is None:
        return "there is no such account"
    if account.disabled_at_utc is not None:
        return "their account is disabled"
    if not (account.email or "").strip():
        return "their account has no email address"
    return None


def _supervisor_problems(session: Session, username: str) -> list[tuple[str, str]]:
    """The named supervisor must be someone an escalation can reach: an active account with an
    email address."""
    account = find_account(session, username) if username else None
    if account is None:
        return [("supervisor", "Name the supervisor (a username) to be told if it is not "
                 "acknowledged in time.")]
    if account.disabled_at_utc is not None:
        return [("supervisor", f"The account {account.username} is disabled: name an active "
                 "supervisor, to be told if it is not acknowledged in time.")]
    if _cannot_tell(account) is not None:
        return [("supervisor", f"The account {account.username} has no email address, so they "
                 "could not be told if it is not acknowledged in time: name a supervisor whose "
                 "account has one.")]
    return []


def _safeguarding_officers(session: Session) -> list[UserAccount]:
    """Everyone who manages safeguarding referrals and can be told by email: who hears of an
    escalation when its named supervisor cannot."""
    roles = [role.value for role, held in ROLE_PERMISSIONS.items()
             if Permission.SAFEGUARDING_MANAGE in held]
    return list(session.scalars(
        select(UserAccount)
        .where(UserAccount.disabled_at_utc.is_(None), UserAccount.email.is_not(None),
               UserAccount.email != "",
               UserAccount.id.in_(select(RoleGrant.user_id).where(RoleGrant.role.in_(roles))))
        .order_by(UserAccount.username)))


def make_referral(session: Session, *, actor: str | audit.Actor, flag_id: uuid.UUID,
                  route: str, recipient_name: str, recipient_address: str, gateway: str,
                  requested_action: str, verified: set[str], supervisor: str) -> uuid.UUID:
    """Refer an open flag to one authority: the referral, its message in the outbox and its
    disclosure in the audit log, in the caller's transaction, or nothing if anything is
    wrong."""
    flag = session.get(SafeguardingFlag, flag_id)
    if flag is None:
        raise NotFound("There is no such safeguarding flag.")
    if flag.status != f.OPEN:
        raise Conflict("This flag is resolved: refer an open flag.")
    problems: list[tuple[str, str]] = []
    subject = _subject(session, flag)
    if subject is None:
        problems.append(_not_a_suspect(flag))
    if route not in ROUTES:
        problems.append(("route", "Choose the route: who can act on this concern."))
    elif session.scalar(select(AuthorityReferral.id).where(
            AuthorityReferral.flag_id == flag_id, AuthorityReferral.route == route)):
        problems.append(("route", "This flag has already been referred by that route."))
    if not 2 <= len(recipient_name.strip()) <= 200:
        problems.append(("recipient_name", "Name the recipient: the team or office, and the "
                         "authority."))
    if not _EMAIL.match(recipient_address.strip()) or len(recipient_address) > 320:
        problems.append(("recipient_address", "Give the recipient's secure email address."))
    if gateway not in GATEWAYS:
        problems.append(("gateway", "Choose the legal gateway relied on."))
    if not 10 <= len(requested_action.strip()) <= 2000:
        problems.append(("requested_action", "Say what you ask the recipient to do, in 10 to "
                         "2,000 characters."))
    if not verified <= set(IDENTITY):
        problems.append(("verified", "Mark only the identity items offered as verified."))
    elif subject is not None:
        problems += _unverifiable(_identity(subject), verified)
    problems += _supervisor_problems(session, supervisor.strip())
    problems += _naming_complainants(session, flag, {
        "subject": " ".join([flag.facts, flag.assessment,
                             *(str(a.get("detail", "")) for a in flag.access)]),
        "requested_action": requested_action})
    if problems:
        raise ReferralProblems(problems)
    content = content_for(session, flag, verified=verified,
                          requested_action=requested_action.strip(), gateway=gateway)
    now, who = clock.now(), audit.name_of(actor)
    within = ACKNOWLEDGE_WITHIN[flag.urgency]
    if route == "lado":
        within = min(within, 1)
    referral = AuthorityReferral(
        id=new_id(), flag_id=flag_id, route=route, recipient_name=recipient_name.strip(),
        recipient_address=recipient_address.strip(), gateway=gateway, content=content,
        status=SENT, sent_at_utc=now, sent_by=who,
        due_on=add_working_days(uk_day(now), within), supervisor=supervisor.strip())
    session.add(referral)
    session.flush()
    outbox.enqueue(session, channel="email", recipient=referral.recipient_address,
                   subject=f"Safeguarding referral {short_reference(referral.id)}: "
                           f"{ROUTES[route]}",
                   body=render_text(content, route=route, recipient=referral.recipient_name),
                   about=f"authority_referral:{referral.id}")
    audit.record(session, actor=actor, action=AuditAction.SAFEGUARDING_REFERRED,
                 subject=audit.Subject("referral", str(flag.referral_id)),
                 data={"flag": str(flag_id), "authority_referral": str(referral.id),
                       "route": route, "gateway": gateway, "suspect": flag.person_ref,
                       "verified": sorted(verified), "due_on": referral.due_on.isoformat()},
                 justification=GATEWAYS[gateway],
                 recipient=f"{referral.recipient_name} <{referral.recipient_address}>")
    return referral.id


def acknowledge(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
                response: str = "", action_taken: str = "") -> None:
    """Record the recipient's acknowledgement, and their response and action when given (a
    response can follow a bare acknowledgement later)."""
    referral = session.get(AuthorityReferral, referral_id)
    if referral is None:
        raise NotFound("There is no such referral to an authority.")
    if referral.status == RESPONDED:
        raise Conflict("The recipient's response is already recorded.")
    if (response.strip() or action_taken.strip()) and len(response.strip()) < 10:
        raise ReferralProblems([("response", "Give the recipient's response in at least 10 "
                                 "characters.")])
    now, who = clock.now(), audit.name_of(actor)
    if referral.acknowledged_at_utc is None:
        referral.acknowledged_at_utc, referral.acknowledged_by = now, who
        referral.status = ACKNOWLEDGED
    if response.strip():
        referral.response, referral.action_taken = response.strip(), action_taken.strip()
        referral.responded_at_utc, referral.status = now, RESPONDED
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.SAFEGUARDING_ACKNOWLEDGED,
                 subject=audit.Subject("authority_referral", str(referral.id)),
                 data={"status": referral.status})


@dataclass(slots=True)
class Chased:
    """What a day's chase did."""

    chased: int = 0
    escalated: int = 0
    #: Escalations that went to the safeguarding officers because the named supervisor could
    #: not be told (disabled, or no email address since the referral was made), one line each.
    redirected: list[str] = field(default_factory=list)
    #: Referrals due for escalation that nobody could be told of: left unescalated, so the
    #: next run tries again; one line each.
    not_escalated: list[str] = field(default_factory=list)


def chase_overdue(session: Session, *, actor: str | audit.Actor,
                  today: date | None = None) -> Chased:
    """Chase each referral not acknowledged by its due date (a reminder to the recipient,
    through the outbox), and escalate to its supervisor one that is still not acknowledged a
    working day after it was chased. A supervisor who can no longer be told (their account
    disabled, or without an email address) is not skipped: the escalation goes to every
    safeguarding officer who can be told, saying why; if there is nobody, the referral is left
    unescalated, reported, and tried again on the next run. Run it every working day."""
    day = today or uk_day()
    # The moment of this run, on the day it runs for (a run for another day, as when catching
    # up, records that day).
    moment = clock.now() if today is None else datetime.combine(day, clock.now().time(), UTC)
    done = Chased()
    for referral in session.scalars(select(AuthorityReferral).where(
            AuthorityReferral.status == SENT, AuthorityReferral.due_on < day)
            .order_by(AuthorityReferral.due_on)):
        if referral.chased_at_utc is None:
            referral.chased_at_utc = moment
            outbox.enqueue(session, channel="email", recipient=referral.recipient_address,
                           subject=f"Reminder: safeguarding referral "
                                   f"{short_reference(referral.id)} not yet acknowledged",
                           body=f"Our safeguarding referral of {referral.sent_at_utc:%-d %B %Y} "
                                f"({ROUTES.get(referral.route, referral.route)}) was due to be "
                                f"acknowledged by {referral.due_on:%-d %B %Y}. Please "
                                "acknowledge it by replying to this message.",
                           about=f"authority_referral:{referral.id}")
            done.chased += 1
            audit.record(session, actor=actor, action=AuditAction.SAFEGUARDING_CHASED,
                         subject=audit.Subject("authority_referral", str(referral.id)),
                         data={"due_on": referral.due_on.isoformat()},
                         recipient=referral.recipient_address)
        elif referral.escalated_at_utc is None and working_days_between(
                uk_day(referral.chased_at_utc), day) >= 1:
            _escalate(session, referral, actor=actor, moment=moment, done=done)
    session.flush()
    return done


def _escalate(session: Session, referral: AuthorityReferral, *, actor: str | audit.Actor,
              moment: datetime, done: Chased) -> None:
    """Tell the supervisor, or, when they cannot be told, every safeguarding officer who can."""
    short = short_reference(referral.id)
    supervisor = find_account(session, referral.supervisor)
    why = _cannot_tell(supervisor)
    told = [supervisor] if why is None and supervisor else _safeguarding_officers(session)
    if not told:
        done.not_escalated.append(
            f"referral {short} to {referral.recipient_name}: its supervisor "
            f"{referral.supervisor} cannot be told ({why}), and no active safeguarding officer "
            "has an email address")
        return
    referral.escalated_at_utc = moment
    body = (f"The referral to {referral.recipient_name} was due to be acknowledged by "
            f"{referral.due_on:%-d %B %Y}, was chased, and is still not acknowledged. Please "
            "follow it up.")
    if why is not None:
        body += (f"\n\nIts named supervisor, {referral.supervisor}, cannot be told ({why}), so "
                 "this goes to every safeguarding officer instead.")
        done.redirected.append(f"referral {short} to {referral.recipient_name}: its supervisor "
                               f"{referral.supervisor} cannot be told ({why}); told the "
                               "safeguarding officers instead")
    for account in told:
        outbox.enqueue(session, channel="email", recipient=str(account.email),
                       subject=f"Escalated: safeguarding referral {short} not acknowledged",
                       body=body, about=f"authority_referral:{referral.id}")
    done.escalated += 1
    data: dict[str, Any] = {"supervisor": referral.supervisor,
                            "due_on": referral.due_on.isoformat()}
    if why is not None:
        data |= {"supervisor_not_told": why, "told": [a.username for a in told]}
    audit.record(session, actor=actor, action=AuditAction.SAFEGUARDING_ESCALATED,
                 subject=audit.Subject("authority_referral", str(referral.id)), data=data)
