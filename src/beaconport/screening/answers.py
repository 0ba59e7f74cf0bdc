"""Answering an information request: the questions a request's missing facts become, and the
answers turned into a new version of the referral.

The questions are worked out from the referral's current version and its screening, so they ask
for exactly what screening found missing and no more. An answer is a resubmission made for the
force: the current document with the answered facts set (and dated today where the format dates
them), checked by the same validator and stored through the same import as a file or the API, so
the referral gets a new version with its differences, is screened again at once, and the request
follows screening (closed when the referral is decided, narrowed when something is still
missing). Nothing is stored unless every answer is sound.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.dates import InvalidPartialDate, PartialDate
from beaconport.errors import Conflict, FieldProblems, NotFound
from beaconport.reference.queries import force_names, load_catalogue
from beaconport.referrals import submission
from beaconport.referrals.models import Referral, ReferralVersion
from beaconport.referrals.validation import ReferralValidator
from beaconport.referrals.validation.vocabulary import OFFENCE_SCHEMES
from beaconport.screening import queries
from beaconport.screening.criteria import was_child
from beaconport.screening.decision import screen
from beaconport.screening.models import InformationRequest
from beaconport.screening.rules import CURRENT, RuleSet
from beaconport.screening.service import screen_stored

NOT_FOUND = "There is no open information request with that id that you may answer."

Kind = Literal["alive", "support", "date", "age", "offence"]

ALIVE_CHOICES = (("believed_alive", "Believed alive"), ("deceased", "Deceased"),
                 ("unknown", "Still not known"))
SUPPORT_CHOICES = (
    ("supports", "Supports the review"), ("declines", "Declines"),
    ("undecided", "Undecided"), ("not_yet_approached", "Not yet approached"),
    ("uncontactable", "Could not be contacted"),
    ("approach_unsafe", "Not safe to approach"), ("deceased", "Deceased"))


@dataclass(frozen=True, slots=True)
class Question:
    """One missing fact, as a form field. ``key`` names it in a form and in the API."""

    key: str
    criterion: str
    label: str
    hint: str
    kind: Kind
    #: What the referral says now, if anything.
    current: str | None = None
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Questions:
    request_id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_name: str
    force_reference: str
    #: The referral version the questions are about: an answer to an older one is refused.
    version: int
    questions: list[Question]


@dataclass(frozen=True, slots=True)
class Answered:
    """What an answer did: the result of storing it and the referral's decision now."""

    referral_id: uuid.UUID
    result: str
    version: int
    decision: str | None
    still_missing: list[str] = field(default_factory=list)


class AnswerProblems(FieldProblems):
    """Answers that cannot be stored, each problem with the question it is about."""


def questions_for(session: Session, principal: Principal, request_id: uuid.UUID,
                  rules: RuleSet = CURRENT) -> Questions:
    """The open request's questions, if the principal may answer for its force."""
    request, referral = _open_request(session, principal, request_id)
    version = _current_version(session, referral)
    return Questions(request.id, referral.id, referral.force_code,
                     force_names(session).get(referral.force_code, referral.force_code),
                     referral.force_reference, version.number,
                     _questions(session, referral.id, version.document, rules))


def answer_request(session: Session, *, principal: Principal, actor: audit.Actor,
                   request_id: uuid.UUID, version: int, answers: dict[str, str],
                   rules: RuleSet = CURRENT) -> Answered:
    """Store the answers as a new version of the referral and screen it again, or raise
    ``AnswerProblems`` (nothing stored) or ``Conflict`` (the referral has changed)."""
    request, referral = _open_request(session, principal, request_id)
    current = _current_version(session, referral)
    if current.number != version:
        raise Conflict(
            f"The force sent a new version of referral {referral.force_reference} "
            f"(version {current.number}) since these questions were asked about version "
            f"{version}. Nothing was stored: look at the questions again.")
    asked = {q.key: q for q in _questions(session, referral.id, current.document, rules)}
    given = {key: value.strip() for key, value in answers.items()
             if key in asked and value.strip()}
    problems = [(key, f"'{key}' is not one of the questions asked about this referral.")
                for key in answers if key not in asked]
    document = copy.deepcopy(current.document)
    for key, value in given.items():
        problem = _apply(document, asked[key], value)
        if problem:
            problems.append((key, problem))
    if not given and not problems:
        problems.append((next(iter(asked), ""), "Answer at least one question."))
    if problems:
        raise AnswerProblems(problems)
    # Checked before anything is stored: an answer the format refuses (a date in the future)
    # is put right on the form, never kept in the quarantine as a rejected referral.
    checked = ReferralValidator(load_catalogue(session), today=clock.today()).check(document)
    refused = [p for p in checked.problems if p.severity == "error"]
    if refused:
        raise AnswerProblems([("", p.message) for p in refused])
    stored = submission.submit_referral(
        session, principal=principal, actor=actor, body=json.dumps(document).encode(),
        after_store=screen_stored(actor), source_name=f"information request {request.id}",
        carrier="web-answer")
    assert stored.result != "rejected", "the document was checked above"
    audit.record(session, actor=actor, action=AuditAction.INFORMATION_ANSWERED,
                 subject=audit.Subject("referral", str(referral.id)),
                 data={"request": str(request.id), "answered": sorted(given),
                       "result": stored.result})
    decision = queries.current_decision(session, referral.id)
    return Answered(referral.id, stored.result,
                    stored.referral.version if stored.referral else version,
                    decision.decision if decision else None,
                    decision.missing if decision else [])


def _open_request(session: Session, principal: Principal,
                  request_id: uuid.UUID) -> tuple[InformationRequest, Referral]:
    found = session.execute(
        select(InformationRequest, Referral)
        .join(Referral, Referral.id == InformationRequest.referral_id)
        .where(InformationRequest.id == request_id, InformationRequest.status == "open",
               visible(principal, Permission.REFERRAL_SUBMIT, InformationRequest.force_code))
    ).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    return found[0], found[1]


def _current_version(session: Session, referral: Referral) -> ReferralVersion:
    version = session.scalar(select(ReferralVersion).where(
        ReferralVersion.referral_id == referral.id,
        ReferralVersion.number == referral.current_version))
    assert version is not None, "a stored referral has its current version"
    return version


def _questions(session: Session, referral_id: uuid.UUID, document: dict[str, Any],
               rules: RuleSet) -> list[Question]:
    facts = queries.load_facts(session, [referral_id])[referral_id]
    unknown = {r.criterion for r in screen(facts, rules).results if r.verdict == "unknown"}
    people = {p.get("id"): p for p in document.get("people", []) if isinstance(p, dict)}
    asked: list[Question] = []
    if "nfa_in_window" in unknown:
        for index, d in enumerate(document.get("decisions", [])):
            if (d.get("decision") in rules.nfa_decisions and d.get("decided_by") in rules.deciders
                    and _undecidable(d.get("decided_on"), rules)):
                asked.append(Question(
                    f"decided_on:{index}", "nfa_in_window",
                    f"Date of the no-further-action decision about suspect {d.get('suspect')}"
                    f" ({'CPS' if d.get('decided_by') == 'cps' else 'police'}, crime "
                    f"{d.get('crime')})",
                    "As YYYY-MM-DD. A month (YYYY-MM) is accepted if that is all the record "
                    "shows.", "date", d.get("decided_on")))
    if "suspects_alive" in unknown:
        for p in facts.in_role("suspect"):
            if p.alive_status not in ("believed_alive", "deceased"):
                asked.append(Question(
                    f"alive_status:{p.ref}", "suspects_alive",
                    f"Is suspect {p.ref}{_name(people.get(p.ref))} alive?",
                    "Recorded as checked today.", "alive", p.alive_status, ALIVE_CHOICES))
    if "victim_support" in unknown:
        for p in facts.in_role("complainant"):
            if p.review_support not in rules.refusing and not p.support_by_review:
                asked.append(Question(
                    f"review_support:{p.ref}", "victim_support",
                    f"Does complainant {p.ref} support the review?",
                    "Recorded as today's answer.", "support", p.review_support,
                    SUPPORT_CHOICES))
    if "child_complainant" in unknown:
        for p in facts.in_role("complainant"):
            if was_child(p, facts.crimes, rules.adult_age) is None:
                asked.append(Question(
                    f"age_at_first_offence:{p.ref}", "child_complainant",
                    f"Complainant {p.ref}'s age when the offending began",
                    "In whole years.", "age",
                    str(p.age_at_first_offence) if p.age_at_first_offence is not None
                    else None))
    if "sexual_offence" in unknown:
        for c in facts.crimes:
            if not c.recognised:
                asked.append(Question(
                    f"offence:{c.crime_reference}", "sexual_offence",
                    f"Offence of crime {c.crime_reference}",
                    "The scheme and code, such as SOA2003 s9 or HOCODE 22B; sent as "
                    f"'{c.offence_scheme} {c.offence_code}'.", "offence",
                    f"{c.offence_scheme} {c.offence_code}"))
    return asked


def _undecidable(text: Any, rules: RuleSet) -> bool:
    if not isinstance(text, str) or not text:
        return True
    try:
        when = PartialDate.parse(text)
    except InvalidPartialDate:
        return True
    return not (when.within(rules.window_start, rules.window_end)
                or when.outside(rules.window_start, rules.window_end))


def _name(person: dict[str, Any] | None) -> str:
    if not person:
        return ""
    name = " ".join(str(person[k]) for k in ("forenames", "surname") if person.get(k))
    return f" ({name})" if name else ""


def _apply(document: dict[str, Any], question: Question, value: str) -> str | None:
    """Set the answer in the document; a problem in words when the answer cannot be used."""
    what, _, target = question.key.partition(":")
    today = clock.today().isoformat()
    if question.kind in ("alive", "support"):
        allowed = dict(question.choices)
        if value not in allowed:
            return (f"{question.label}: choose one of "
                    f"{', '.join(label for label in allowed.values())}.")
        person = _person(document, target)
        person[what] = value
        person["alive_status_checked_on" if what == "alive_status"
               else "review_support_recorded_on"] = today
    elif question.kind == "age":
        if not value.isdigit() or not 0 <= int(value) <= 120:
            return f"{question.label}: give a whole number of years from 0 to 120."
        _person(document, target)["age_at_first_offence"] = int(value)
    elif question.kind == "date":
        try:
            PartialDate.parse(value)
        except InvalidPartialDate:
            return f"{question.label}: '{value}' is not a date; write it as YYYY-MM-DD."
        document["decisions"][int(target)]["decided_on"] = value
    else:
        scheme, _, code = value.partition(" ")
        if scheme.upper() not in OFFENCE_SCHEMES or not code.strip():
            return (f"{question.label}: give a scheme ({', '.join(OFFENCE_SCHEMES)}) and a "
                    "code, such as SOA2003 s9.")
        for crime in document.get("crimes", []):
            if crime.get("crime_reference") == target:
                crime["offence"] = {**(crime.get("offence") or {}), "scheme": scheme.upper(),
                                    "code": code.strip()}
    return None


def _person(document: dict[str, Any], ref: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in document["people"] if p.get("id") == ref)
    return found
