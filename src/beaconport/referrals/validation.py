"""Validate one referral object against the Referral Interchange Format, completely.

Every problem is reported, not only the first. The result carries the referral's facts in the shape
the store needs (``CleanReferral``), so validation and storage read the document once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from beaconport.dates import PartialDate
from beaconport.reference.countries import COMMON_MISTAKES, COUNTRY_CODES, NATIONALITY_SPECIAL
from beaconport.reference.queries import Catalogue, ForceInfo
from beaconport.referrals import fields as f
from beaconport.referrals.carriers.base import json_path_location
from beaconport.referrals.problems import Problem

FORMAT = "beaconport.referral/1"

ROLES = frozenset({"suspect", "complainant", "witness"})
SEXES = frozenset({"male", "female", "other", "unknown"})
ALIVE = frozenset({"believed_alive", "deceased", "unknown"})
INTERVIEWS = frozenset({"under_caution", "voluntary", "not_interviewed", "unknown"})
SUPPORT = frozenset({
    "supports", "declines", "undecided", "not_yet_approached", "uncontactable",
    "approach_unsafe", "deceased",
})
DECIDED_BY = frozenset({"police", "cps"})
DECISIONS = frozenset({
    "nfa_evidential", "nfa_public_interest", "nfa_other", "cps_admin_finalised", "charged",
    "out_of_court_disposal", "transferred", "other",
})
OFFENCE_SCHEMES = ("SOA2003", "SOA1956", "HOCODE", "OTHER")
ETHNICITY_SCHEMES = ("SDE16+1", "SDE18+1", "CENSUS2021", "IC6+1", "FREE_TEXT")
CODED_ETHNICITY = frozenset({"SDE16+1", "SDE18+1", "IC6+1"})
BASES = frozenset({"self_defined", "officer_observed", "third_party"})

_REFERRAL_KEYS = frozenset({
    "format", "force", "force_reference", "referred_on", "referring_officer", "summary",
    "crimes", "people", "decisions", "previous_reviews",
})
_CRIME_KEYS = frozenset({
    "crime_reference", "recorded_on", "offence", "offence_period", "complainants", "suspects",
    "outcome_code",
})
_PERSON_KEYS = frozenset({
    "id", "role", "forenames", "surname", "aliases", "date_of_birth", "sex", "nationality",
    "ethnicity", "alive_status", "alive_status_checked_on", "addresses", "identifiers",
    "interview", "arrested", "age_at_first_offence", "review_support",
    "review_support_recorded_on",
})
_DECISION_KEYS = frozenset({
    "suspect", "crime", "decided_by", "decision", "outcome_code", "decided_on", "reason",
})
_REVIEW_KEYS = frozenset({"by", "completed_on", "reference", "outcome"})
_ETHNICITY_KEYS = frozenset({"scheme", "code", "label", "basis", "recorded_on"})
_ALIAS_KEYS = frozenset({"forenames", "surname", "nickname"})
_SUSPECT_ONLY = ("interview", "arrested")
_PERSON_COLUMNS = (
    "forenames", "surname", "aliases", "date_of_birth", "sex", "alive_status",
    "alive_status_checked_on", "addresses", "identifiers", "interview", "arrested",
    "age_at_first_offence", "review_support", "review_support_recorded_on",
)
_EMPTY_PERSON: dict[str, Any] = dict.fromkeys(_PERSON_COLUMNS)
_ADDRESS_KEYS = frozenset({"line", "postcode", "from", "to"})
_IDENTIFIER_KEYS = frozenset({"type", "value"})
_COMPLAINANT_ONLY = ("age_at_first_offence", "review_support", "review_support_recorded_on")


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


def _str(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


class ReferralValidator:
    """Checks referrals against the format and the reference data of one ``Catalogue``."""

    def __init__(self, catalogue: Catalogue, *, today: date) -> None:
        self.catalogue = catalogue
        self.today = today

    def check(self, document: Any, locate: Any = json_path_location) -> Checked:
        report = f.Report(locate)
        if not isinstance(document, dict):
            report.add("not_an_object", "", "A referral must be a JSON object.")
            return Checked(report.problems, None, None, None, None)
        run = _Run(self, report, document)
        clean = run.referral()
        ok = not report.has_errors
        return Checked(report.problems, run.force, run.force_as_sent, run.reference,
                       clean if ok else None)


class _Run:
    """The state of checking one referral: which people and crimes it declares."""

    def __init__(self, validator: ReferralValidator, report: f.Report, doc: dict[str, Any]):
        self.v = validator
        self.cat = validator.catalogue
        self.today = validator.today
        self.r = report
        self.doc = doc
        self.force: ForceInfo | None = None
        self.force_as_sent: str | None = None
        self.reference: str | None = None
        self.roles: dict[str, str] = {}
        self.crime_refs: set[str] = set()
        self.starts: dict[str, PartialDate] = {}
        self.dob: dict[str, PartialDate] = {}

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
        f.unknown_fields(r, doc, "", _REFERRAL_KEYS)
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
    def _person(self, person: dict[str, Any], index: int) -> dict[str, Any] | None:
        r, path = self.r, f"people[{index}]"
        pid = f.text(r, person, "id", path, required=True, max_len=64, what="person id")
        role = f.choice(r, person, "role", path, ROLES, required=True)
        if pid is not None:
            if pid in self.roles:
                r.add("duplicate_person_id", f"{path}.id",
                      f"Person id '{pid}' is used by more than one person in this referral; "
                      "give each person record its own id.")
                pid = None
            elif role is not None:
                self.roles[pid] = role
        row: dict[str, Any] = {**_EMPTY_PERSON, "person_ref": pid, "role": role,
                               "nationality": [], "ethnicity": []}
        # Only the fields present are checked: people carry a fraction of the optional fields.
        for key in person:
            check = _PERSON_CHECKS.get(key)
            if check is not None:
                row[key] = check(self, person, key, path)
            elif key not in _PERSON_KEYS:
                r.add("unknown_field", f"{path}.{key}",
                      f"'{key}' is not a field of the format and was kept but not used.",
                      "warning")
        if pid is not None and row["date_of_birth"] is not None:
            self.dob[pid] = f.parse_date(row["date_of_birth"])
        self._role_fields(person, path, role)
        return row if pid is not None and role is not None else None

    def _date_text(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        return _str(f.partial_date(self.r, obj, key, path, self.today))

    def _role_fields(self, person: dict[str, Any], path: str, role: str | None) -> None:
        for key, only in ((k, "suspect") for k in _SUSPECT_ONLY):
            if person.get(key) is not None and role not in (None, only):
                self.r.add("wrong_role", f"{path}.{key}",
                           f"'{key}' applies only to suspects, but this person is a {role}.")
        for key in _COMPLAINANT_ONLY:
            if person.get(key) is not None and role not in (None, "complainant"):
                self.r.add("wrong_role", f"{path}.{key}",
                           f"'{key}' applies only to complainants, but this person is a {role}.")

    def _aliases(self, person: dict[str, Any], path: str) -> list[dict[str, str]] | None:
        found = f.object_list(self.r, person, "aliases", path, max_items=100)
        keep = []
        for i, alias in enumerate(found):
            where = f"{path}.aliases[{i}]"
            entry = {k: f.text(self.r, alias, k, where, max_len=200)
                     for k in alias if k in _ALIAS_KEYS}
            f.unknown_fields(self.r, alias, where, _ALIAS_KEYS)
            given = {k: v for k, v in entry.items() if v is not None}
            if not given:
                self.r.add("missing_field", where,
                           "An alias needs forenames, a surname or a nickname.")
            else:
                keep.append(given)
        return keep or None

    def _small_objects(self, obj: dict[str, Any], key: str, path: str,
                       known: frozenset[str]) -> list[dict[str, str]] | None:
        keep = []
        for i, item in enumerate(f.object_list(self.r, obj, key, path, max_items=100)):
            where = f"{path}.{key}[{i}]"
            f.unknown_fields(self.r, item, where, known)
            entry = {k: f.text(self.r, item, k, where, max_len=400) for k in item if k in known}
            keep.append({k: v for k, v in entry.items() if v is not None})
        return keep or None

    def _nationality(self, person: dict[str, Any], path: str) -> list[str]:
        codes = []
        for i, raw in enumerate(f.text_list(self.r, person, "nationality", path, max_items=10)):
            code = raw.upper()
            if code in COUNTRY_CODES or code in NATIONALITY_SPECIAL:
                if code not in codes:
                    codes.append(code)
                continue
            hint = (f" Did you mean '{COMMON_MISTAKES[code]}'?" if code in COMMON_MISTAKES
                    else "")
            self.r.add("unknown_code", f"{path}.nationality[{i}]",
                       f"'{raw}' is not an ISO 3166 two-letter country code, STATELESS or "
                       f"UNKNOWN.{hint}")
        return codes

    def _ethnicity(self, person: dict[str, Any], path: str) -> list[dict[str, Any]]:
        r, keep = self.r, []
        for i, obs in enumerate(f.object_list(r, person, "ethnicity", path, max_items=50)):
            where = f"{path}.ethnicity[{i}]"
            f.unknown_fields(r, obs, where, _ETHNICITY_KEYS)
            scheme = f.text(r, obs, "scheme", where, required=True, max_len=20)
            code = f.text(r, obs, "code", where, max_len=60)
            label = f.text(r, obs, "label", where, max_len=200)
            basis = f.choice(r, obs, "basis", where, BASES, required=True)
            recorded = f.partial_date(r, obs, "recorded_on", where, self.today)
            if scheme is not None:
                scheme = self._ethnicity_code(where, scheme.upper(), code, label)
            if scheme is not None and basis is not None:
                keep.append({"scheme": scheme, "code": code.upper() if code else None,
                             "label": label, "basis": basis, "recorded_on": _str(recorded)})
        return keep

    def _ethnicity_code(self, where: str, scheme: str, code: str | None,
                        label: str | None) -> str | None:
        r, cat = self.r, self.cat
        if scheme not in ETHNICITY_SCHEMES:
            r.add("invalid_value", f"{where}.scheme",
                  f"'{scheme}' is not an ethnicity scheme; use one of: "
                  + ", ".join(ETHNICITY_SCHEMES) + ".")
            return None
        if scheme == "FREE_TEXT":
            if label is None:
                r.add("missing_field", f"{where}.label",
                      "A free-text ethnicity needs the label as recorded.")
            return scheme
        if scheme == "CENSUS2021" and code is None:
            if label is None:
                r.add("missing_field", f"{where}.label", "A 2021 census ethnicity needs its label.")
            elif cat.ethnicity_label(scheme, label) is None:
                r.add("unknown_code", f"{where}.label",
                      f"'{label}' is not one of the 2021 census ethnic group labels.")
            return scheme
        if code is None:
            r.add("missing_field", f"{where}.code", f"An ethnicity under {scheme} needs its code.")
            return scheme
        if cat.ethnicity_code(scheme, code) is not None:
            return scheme
        elsewhere = cat.ethnicity_schemes_with(code)
        if elsewhere and scheme in CODED_ETHNICITY:
            r.add("older_scheme_code", f"{where}.code",
                  f"'{code}' is not a {scheme} code but belongs to {', '.join(elsewhere)}; it "
                  "was kept as sent.", "warning")
            return scheme
        r.add("unknown_code", f"{where}.code", f"'{code}' is not a {scheme} ethnicity code.")
        return scheme

    # -- crimes ---------------------------------------------------------------------------
    def _crime(self, crime: dict[str, Any], index: int) -> dict[str, Any] | None:
        r, path, today = self.r, f"crimes[{index}]", self.today
        f.unknown_fields(r, crime, path, _CRIME_KEYS)
        ref = f.text(r, crime, "crime_reference", path, required=True, max_len=64,
                     what="crime reference")
        if ref is not None:
            if ref in self.crime_refs:
                r.add("duplicate_crime_ref", f"{path}.crime_reference",
                      f"Crime reference '{ref}' appears more than once in this referral; list "
                      "each crime once, naming all its complainants and suspects.")
                ref = None
            else:
                self.crime_refs.add(ref)
        recorded = f.partial_date(r, crime, "recorded_on", path, today, what="date recorded")
        offence = self._offence(crime, path)
        start, end = self._period(crime, path)
        outcome = self._outcome(crime, path)
        complainants = self._party(crime, "complainants", path, "complainant")
        suspects = self._party(crime, "suspects", path, "suspect")
        if start is not None:
            for pid in complainants + suspects:
                dob = self.dob.get(pid)
                if dob is not None and dob.earliest > start.latest:
                    r.add("birth_after_offence", f"{path}.offence_period.from",
                          f"Person {pid} was born ({dob}) after this offending began "
                          f"({start}).", "warning")
        if ref is None or offence is None:
            return None
        if start is not None:
            self.starts[ref] = start
        return {"crime_reference": ref, "recorded_on": _str(recorded), **offence,
                "offence_from": _str(start), "offence_to": _str(end), "outcome_code": outcome,
                "complainants": complainants, "suspects": suspects}

    def _offence(self, crime: dict[str, Any], path: str) -> dict[str, Any] | None:
        r, where = self.r, f"{path}.offence"
        offence = crime.get("offence")
        if offence is None:
            r.add("missing_field", where, "The offence is missing; it is required.")
            return None
        if not isinstance(offence, dict):
            r.add("invalid_type", where,
                  f"The offence must be an object with scheme and code, not "
                  f"{f.describe(offence)}.")
            return None
        f.unknown_fields(r, offence, where, frozenset({"scheme", "code", "description"}))
        scheme = f.text(r, offence, "scheme", where, required=True, max_len=20,
                        what="offence scheme")
        code = f.text(r, offence, "code", where, required=True, max_len=60, what="offence code")
        description = f.text(r, offence, "description", where, max_len=400)
        if scheme is not None and scheme.upper() not in OFFENCE_SCHEMES:
            r.add("invalid_value", f"{where}.scheme",
                  f"'{scheme}' is not an offence scheme; use one of: "
                  + ", ".join(OFFENCE_SCHEMES) + ".")
            return None
        if scheme is None or code is None:
            return None
        scheme = scheme.upper()
        known = self.cat.offence(scheme, code)
        if known is None and scheme != "OTHER":
            r.add("unknown_offence_code", f"{where}.code",
                  f"'{code}' is not a {scheme} offence in the reference list; screening will "
                  "ask the force what the offence was.", "warning")
        return {
            "offence_scheme": scheme, "offence_code": known.code if known else code,
            "offence_description": description,
            "is_sexual": known.is_sexual if known else None,
            "is_rape": bool(known and known.is_rape),
        }

    def _period(self, crime: dict[str, Any],
                path: str) -> tuple[PartialDate | None, PartialDate | None]:
        period = crime.get("offence_period")
        where = f"{path}.offence_period"
        if period is None:
            return None, None
        if not isinstance(period, dict):
            self.r.add("invalid_type", where,
                       f"The offence period must be an object with from and to, not "
                       f"{f.describe(period)}.")
            return None, None
        f.unknown_fields(self.r, period, where, frozenset({"from", "to"}))
        start = f.partial_date(self.r, period, "from", where, self.today,
                               what="start of the offence period")
        end = f.partial_date(self.r, period, "to", where, self.today,
                             what="end of the offence period")
        if start is not None and end is not None and end.latest < start.earliest:
            self.r.add("date_order", f"{where}.to",
                       f"The offence period ends ({end}) before it begins ({start}).")
        return start, end

    def _outcome(self, obj: dict[str, Any], path: str) -> str | None:
        code = f.text(self.r, obj, "outcome_code", path, max_len=20, what="outcome code")
        if code is None:
            return None
        known = self.cat.outcomes.get(code.upper())
        if known is None:
            self.r.add("unknown_code", f"{path}.outcome_code",
                       f"'{code}' is not a Home Office crime outcome code (0–23, 1A, 2A, 3A, or "
                       "a pre-April-2013 status such as PRE13-UND).")
            return None
        return known.code

    def _party(self, crime: dict[str, Any], key: str, path: str, role: str) -> list[str]:
        ids = []
        for i, pid in enumerate(f.text_list(self.r, crime, key, path, max_items=1000)):
            where = f"{path}.{key}[{i}]"
            actual = self.roles.get(pid)
            if actual is None:
                self.r.add("unknown_person_ref", where,
                           f"This crime names {role} '{pid}', but no person in the referral has "
                           "that id.")
            elif actual != role:
                self.r.add("wrong_role", where,
                           f"This crime names '{pid}' as a {role}, but that person's record is a "
                           f"{actual}. A person in two roles needs a record for each role.")
            elif pid not in ids:
                ids.append(pid)
        return ids

    # -- decisions and reviews -------------------------------------------------------------
    def _decisions(self, crimes: dict[str, dict[str, Any]]) -> list[dict[str, Any] | None]:
        seen: set[tuple[str, str]] = set()
        out: list[dict[str, Any] | None] = []
        listed = f.object_list(self.r, self.doc, "decisions", "", required=True, max_items=10000)
        for i, decision in enumerate(listed):
            out.append(self._decision(decision, i, crimes, seen))
        return out

    def _decision(self, d: dict[str, Any], index: int, crimes: dict[str, dict[str, Any]],
                  seen: set[tuple[str, str]]) -> dict[str, Any] | None:
        r, path = self.r, f"decisions[{index}]"
        f.unknown_fields(r, d, path, _DECISION_KEYS)
        suspect = f.text(r, d, "suspect", path, required=True, max_len=64)
        crime_ref = f.text(r, d, "crime", path, max_len=64, what="crime reference")
        decided_on = f.partial_date(r, d, "decided_on", path, self.today, what="decision date")
        row = {
            "suspect": suspect, "crime": crime_ref,
            "decided_by": f.choice(r, d, "decided_by", path, DECIDED_BY, required=True),
            "decision": f.choice(r, d, "decision", path, DECISIONS, required=True),
            "outcome_code": self._outcome(d, path), "decided_on": _str(decided_on),
            "reason": f.text(r, d, "reason", path, max_len=4000),
        }
        if suspect is not None:
            actual = self.roles.get(suspect)
            if actual is None:
                r.add("unknown_person_ref", f"{path}.suspect",
                      f"This decision is about '{suspect}', but no person in the referral has "
                      "that id.")
                suspect = None
            elif actual != "suspect":
                r.add("wrong_role", f"{path}.suspect",
                      f"Decisions are about suspects, but '{suspect}' is a {actual}.")
                suspect = None
        crime = crimes.get(crime_ref) if crime_ref else None
        if crime_ref is not None and crime is None:
            r.add("unknown_crime_ref", f"{path}.crime",
                  f"This decision names crime '{crime_ref}', which is not among the crimes of "
                  "the referral.")
        if suspect is not None and crime_ref is not None:
            if (suspect, crime_ref) in seen:
                r.add("duplicate_decision", path,
                      f"There is more than one decision about suspect '{suspect}' for crime "
                      f"'{crime_ref}'.")
            seen.add((suspect, crime_ref))
        start = self.starts.get(crime_ref) if crime_ref else None
        if decided_on is not None and start is not None and decided_on.latest < start.earliest:
            r.add("decision_before_offence", f"{path}.decided_on",
                  f"The decision ({decided_on}) is dated before the offending began ({start}).",
                  "warning")
        return row if suspect is not None and row["decided_by"] and row["decision"] else None

    def _review(self, review: dict[str, Any], index: int) -> dict[str, Any]:
        r, path = self.r, f"previous_reviews[{index}]"
        f.unknown_fields(r, review, path, _REVIEW_KEYS)
        return {
            "reviewed_by": f.text(r, review, "by", path, max_len=200, what="reviewing body"),
            "completed_on": _str(f.partial_date(r, review, "completed_on", path, self.today)),
            "reference": f.text(r, review, "reference", path, max_len=120),
            "outcome": f.text(r, review, "outcome", path, max_len=4000),
        }

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


def _checked_text(run: _Run, obj: dict[str, Any], key: str, path: str) -> str | None:
    return f.text(run.r, obj, key, path, max_len=200)


def _checked_choice(allowed: frozenset[str]) -> _PersonCheck:
    def check(run: _Run, obj: dict[str, Any], key: str, path: str) -> str | None:
        return f.choice(run.r, obj, key, path, allowed)
    return check


_PersonCheck = Callable[["_Run", dict[str, Any], str, str], Any]
#: How each optional field of a person is checked and normalised.
_PERSON_CHECKS: dict[str, _PersonCheck] = {
    "forenames": _checked_text,
    "surname": _checked_text,
    "aliases": lambda run, o, _k, p: run._aliases(o, p),
    "date_of_birth": lambda run, o, k, p: _str(
        f.partial_date(run.r, o, k, p, run.today, what="date of birth")),
    "sex": _checked_choice(SEXES),
    "alive_status": _checked_choice(ALIVE),
    "alive_status_checked_on": lambda run, o, k, p: run._date_text(o, k, p),
    "addresses": lambda run, o, k, p: run._small_objects(o, k, p, _ADDRESS_KEYS),
    "identifiers": lambda run, o, k, p: run._small_objects(o, k, p, _IDENTIFIER_KEYS),
    "interview": _checked_choice(INTERVIEWS),
    "arrested": lambda run, o, k, p: f.boolean(run.r, o, k, p),
    "age_at_first_offence": lambda run, o, k, p: f.whole_number(run.r, o, k, p, 0, 120),
    "review_support": _checked_choice(SUPPORT),
    "review_support_recorded_on": lambda run, o, k, p: run._date_text(o, k, p),
    "nationality": lambda run, o, _k, p: run._nationality(o, p),
    "ethnicity": lambda run, o, _k, p: run._ethnicity(o, p),
}
