"""Validate one referral object against the Referral Interchange Format, completely.

Every problem is reported, not only the first. The result carries the referral's facts in the shape
the store needs (``CleanReferral``), so validation and storage read the document once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from beaconport.reference.queries import Catalogue, ForceInfo
from beaconport.referrals import fields as f
from beaconport.referrals.carriers.base import json_path_location
from beaconport.referrals.problems import Problem
from beaconport.referrals.validation import vocabulary as v
from beaconport.referrals.validation.crimes import CaseChecks
from beaconport.referrals.validation.people import PeopleChecks
from beaconport.referrals.validation.vocabulary import FORMAT


@dataclass(slots=True)
class CleanReferral:
    """The facts of a valid referral, normalised, ready to be written to the store."""

    force_code: str
    force_reference: str
    referred_on: str
    summary: str | None = None
    officer: dict[str, str | None] = field(default_factory=dict)
    crimes: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    previous_reviews: list[dict[str, Any]] = field(default_factory=list)

    @property
    def involves_rape(self) -> bool:
        return any(c["is_rape"] for c in self.crimes)

    def count_role(self, role: str) -> int:
        return sum(1 for person in self.people if person["role"] == role)


@dataclass(slots=True)
class Checked:
    problems: list[Problem]
    force: ForceInfo | None
    force_as_sent: str | None
    force_reference: str | None
    clean: CleanReferral | None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]



class ReferralValidator:
    """Checks referrals against the format and the reference data of one ``Catalogue``."""

    def __init__(self, catalogue: Catalogue, *, today: date,
                 permitted_forces: frozenset[str] | None = None) -> None:
        self.catalogue = catalogue
        self.today = today
        #: None: any force. Otherwise only these forces' referrals are accepted (a force user's
        #: upload); another force's referral is refused and kept apart from that force.
        self.permitted_forces = permitted_forces

    def check(self, document: Any, locate: Any = json_path_location) -> Checked:
        report = f.Report(locate)
        if not isinstance(document, dict):
            report.add("not_an_object", "", "A referral must be a JSON object.")
            return Checked(report.problems, None, None, None, None)
        run = _Run(self.catalogue, self.today, report, document)
        clean = run.referral()
        force = run.force
        if (force is not None and self.permitted_forces is not None
                and force.code not in self.permitted_forces):
            report.add("force_not_permitted", "force",
                       f"You may submit referrals only for your own force; this one names "
                       f"{force.name}. It was not accepted and that force cannot see it.")
            force = None  # kept in the quarantine for the national team only
        ok = not report.has_errors
        return Checked(report.problems, force, run.force_as_sent, run.reference,
                       clean if ok else None)



class _Run(PeopleChecks, CaseChecks):
    """Checking one referral: its identity and contact, then people, crimes and decisions."""

    def __init__(self, catalogue: Catalogue, today: date, report: f.Report,
                 doc: dict[str, Any]) -> None:
        super().__init__(catalogue, today, report, doc)
        self.force: ForceInfo | None = None
        self.force_as_sent: str | None = None
        self.reference: str | None = None

    # -- the referral ---------------------------------------------------------------------
    def referral(self) -> CleanReferral | None:
        r, doc = self.r, self.doc
        fmt = doc.get("format")
        if fmt is None or fmt == "":
            r.add("missing_field", "format", f"The format is missing; it must be '{FORMAT}'.")
        elif fmt != FORMAT:
            r.add("unsupported_format", "format",
                  f"The format '{f.describe(fmt)}' is not one import reads; use '{FORMAT}'.")
        self._identity()
        referred_on = f.partial_date(r, doc, "referred_on", "", self.today, required=True,
                                     full=True, what="date of referral")
        summary = f.text(r, doc, "summary", "", max_len=4000)
        officer = self._officer()
        f.unknown_fields(r, doc, "", v.REFERRAL_KEYS)
        people = [self._person(p, i) for i, p in enumerate(
            f.object_list(r, doc, "people", "", required=True, max_items=1000))]
        crimes = [self._crime(c, i) for i, c in enumerate(
            f.object_list(r, doc, "crimes", "", required=True, max_items=1000))]
        known_crimes = {c["crime_reference"]: c for c in crimes if c}
        decisions = self._decisions(known_crimes)
        reviews = [self._review(p, i) for i, p in enumerate(
            f.object_list(r, doc, "previous_reviews", "", max_items=100))]
        self._unused_people(crimes, decisions)
        if self.force is None or self.reference is None or referred_on is None:
            return None
        return CleanReferral(
            force_code=self.force.code, force_reference=self.reference,
            referred_on=str(referred_on), summary=summary, officer=officer,
            crimes=[c for c in crimes if c], people=[p for p in people if p],
            decisions=[d for d in decisions if d], previous_reviews=reviews,
        )

    def _identity(self) -> None:
        r, doc = self.r, self.doc
        sent = f.text(r, doc, "force", "", required=True, max_len=200)
        if sent is not None:
            self.force_as_sent = sent
            self.force = self.cat.resolve_force(sent)
            if self.force is None:
                r.add("unknown_force", "force",
                      f"'{sent}' is not a police force import recognises; use the force's ONS "
                      "code (e.g. E23000010 for West Yorkshire Police) or its usual name.")
        ref = f.text(r, doc, "force_reference", "", required=True, max_len=64,
                     what="force reference")
        if ref is not None and not ref.isprintable():
            r.add("invalid_value", "force_reference",
                  "The force reference contains characters that cannot be printed "
                  "(tabs, line breaks or control characters).")
            ref = None
        self.reference = ref

    def _officer(self) -> dict[str, str | None]:
        officer = self.doc.get("referring_officer")
        if officer is None:
            return {}
        if not isinstance(officer, dict):
            self.r.add("invalid_type", "referring_officer",
                       f"The referring officer must be an object, not {f.describe(officer)}.")
            return {}
        path = "referring_officer"
        f.unknown_fields(self.r, officer, path, frozenset({"name", "email", "phone"}))
        return {
            "name": f.text(self.r, officer, "name", path, max_len=200),
            "email": f.text(self.r, officer, "email", path, max_len=320),
            "phone": f.text(self.r, officer, "phone", path, max_len=60),
        }

    # -- people ---------------------------------------------------------------------------

    def _unused_people(self, crimes: list[dict[str, Any] | None],
                       decisions: list[dict[str, Any] | None]) -> None:
        used = {pid for c in crimes if c for pid in c["complainants"] + c["suspects"]}
        used |= {d["suspect"] for d in decisions if d}
        people = self.doc.get("people")
        if not isinstance(people, list):
            return
        for i, person in enumerate(people):
            pid = person.get("id") if isinstance(person, dict) else None
            role = self.roles.get(pid) if isinstance(pid, str) else None
            if role in ("suspect", "complainant") and pid not in used:
                self.r.add("unused_person", f"people[{i}]",
                           f"{role.capitalize()} '{pid}' is not named in any crime or decision.",
                           "warning")

