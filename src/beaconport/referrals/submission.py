"""One referral submitted through the API, and a force system following its referrals.

A submission is an import of one referral, so a force gets exactly what a file import gives: the
same validation and problem codes, the same versions (accepted, resubmitted, unchanged), the same
quarantine for rejects (kept verbatim: nothing a force sends is lost) and the same audit events.
It runs ``service.start_import``, ``import_chunk`` and ``finish_import`` in the caller's one
transaction (the API request's), so a submission is stored whole, with its import batch and
audit events, or not at all.

Unlike a file, a submission comes from a credential scoped to forces: a referral naming a force
the submitter may not submit for is refused before anything is written (``ForceNotPermitted``).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can, scope, visible
from beaconport.errors import BeaconportError, NotFound
from beaconport.reference.queries import load_catalogue
from beaconport.referrals import browse, service
from beaconport.referrals.carriers import safe_text
from beaconport.referrals.carriers.base import RawReferral
from beaconport.referrals.carriers.jsonl import parse_object
from beaconport.referrals.importer import AfterChunk
from beaconport.referrals.models import Referral
from beaconport.referrals.problems import Problem
from beaconport.referrals.schemas import ReferralSummary
from beaconport.referrals.validation import ReferralValidator

CARRIER = "api"
#: Where a problem in a submission is: the request body (a JSON path follows for content).
POSITION = "request body"

Result = Literal["accepted", "resubmitted", "unchanged", "rejected"]


class ForceNotPermitted(BeaconportError):
    """The referral names a force the submitter may not submit referrals for."""


class EmptySubmission(BeaconportError):
    """The request carried no referral at all: there is nothing to keep in the quarantine."""


@dataclass(frozen=True, slots=True)
class Submission:
    """What became of one submitted referral. ``referral`` is set unless it was rejected."""

    result: Result
    referral: ReferralSummary | None
    #: Every problem found: the errors that rejected it, or the warnings it was accepted with.
    problems: list[Problem]


def submit_referral(session: Session, *, principal: Principal, actor: audit.Actor,
                    body: bytes, after_store: AfterChunk | None = None,
                    source_name: str | None = None, carrier: str = CARRIER) -> Submission:
    """Validate and store one referral sent as a JSON object (one line of a JSON Lines file).
    ``source_name`` and ``carrier`` say where it came from when not a force system's request."""
    raw = read_body(body)
    validator = ReferralValidator(load_catalogue(session), today=clock.today())
    force = _named_force(validator, raw)
    if force is not None and not can(principal, Permission.REFERRAL_SUBMIT, force_code=force):
        raise ForceNotPermitted(
            f"This API token may submit referrals only for {_forces(principal)}; this referral "
            f"names the force {force}. Nothing was stored.")
    raw = safe_text.storable(raw)
    batch_id = service.start_import(session, actor=actor,
                                    source_name=source_name or f"api:{principal.name}",
                                    source_sha256=hashlib.sha256(body).hexdigest(),
                                    carrier=carrier)
    chunk = service.import_chunk(session, actor=actor, batch_id=batch_id, items=[raw],
                                 validator=validator, seen=service.InFileSeen())
    if after_store is not None and chunk.stored:
        after_store(session, chunk.stored)
    service.finish_import(session, actor=actor, batch_id=batch_id, summary=chunk.summary)
    if chunk.rejections:
        return Submission("rejected", None, chunk.rejections[0].problems)
    summary = chunk.summary
    result: Result = ("accepted" if summary.accepted else
                      "resubmitted" if summary.resubmitted else "unchanged")
    checked = validator.check(raw.document)
    assert checked.clean is not None
    referral = _by_identity(session, checked.clean.force_code, checked.clean.force_reference)
    return Submission(result, browse.summary_of(session, referral), checked.problems)


def read_body(body: bytes) -> RawReferral:
    """The request body as a carrier would hand it to import: a referral object, or the text as
    sent with the one problem that says why it holds no referral object (kept in quarantine)."""
    if not body.strip():
        raise EmptySubmission("The request has no body: send one referral as a JSON object.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = body[error.start:error.start + 1].hex().upper()
        return _refused(body.decode("utf-8", errors="backslashreplace"), "not_utf8",
                        f"The request body is not UTF-8 text: byte 0x{bad} at position "
                        f"{error.start + 1} is not valid UTF-8. Send the JSON encoded as UTF-8.")
    text = text.removeprefix("\ufeff")
    document, code, why = parse_object(text)
    if code == "invalid_json":
        return _refused(text, code, f"The request body is not valid JSON: {why}.")
    if document is None:
        return _refused(text, code, f"The request body holds {why}, not a referral object: "
                        "send one referral as a JSON object ({...}).")
    return RawReferral(document=document, raw_text=text, position=POSITION)


def referral_status(session: Session, principal: Principal,
                    referral_id: uuid.UUID) -> ReferralSummary:
    """A referral's summary and status, if the principal may list it; else NotFound."""
    return browse.summary_of(session, browse.visible_referral(
        session, principal, Permission.REFERRAL_LIST, referral_id))


def referral_status_by_reference(session: Session, principal: Principal, force_code: str,
                                 force_reference: str) -> ReferralSummary:
    """The same, found by the identity the force's own system knows: its code and reference."""
    if not (force_code.isprintable() and force_reference.isprintable()):
        raise NotFound(browse.NOT_FOUND)  # no stored reference holds control characters
    found = browse.by_identity(session, force_code, force_reference,
                               visible(principal, Permission.REFERRAL_LIST, Referral.force_code))
    if found is None:
        raise NotFound(browse.NOT_FOUND)
    return browse.summary_of(session, found)


def _by_identity(session: Session, force_code: str, force_reference: str) -> Referral:
    found = session.scalar(select(Referral).where(Referral.force_code == force_code,
                                                  Referral.force_reference == force_reference))
    assert found is not None, "an accepted referral is stored"
    return found


def _named_force(validator: ReferralValidator, raw: RawReferral) -> str | None:
    """The code of the force a referral names, where it names a known one."""
    sent = raw.document.get("force") if raw.document is not None else None
    found = validator.catalogue.resolve_force(sent) if isinstance(sent, str) else None
    return found.code if found is not None else None


def _forces(principal: Principal) -> str:
    reach = scope(principal, Permission.REFERRAL_SUBMIT)
    return "every force" if reach.everywhere else ", ".join(sorted(reach.forces)) or "no force"


def _refused(raw_text: str, code: str, message: str,
             location: str = "") -> RawReferral:
    # A NUL byte can only be in text that is not JSON; PostgreSQL cannot store it in text.
    return RawReferral(document=None, raw_text=safe_text.visible(raw_text),
                       position=POSITION, problems=[Problem(code, location, message)])
