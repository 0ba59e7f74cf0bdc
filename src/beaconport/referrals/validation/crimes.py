"""Checks of crimes, decisions about suspects and previous reviews."""

from __future__ import annotations

from typing import Any

from beaconport.dates import PartialDate
from beaconport.referrals import fields as f
from beaconport.referrals.validation import vocabulary as v
from beaconport.referrals.validation.state import CheckState, as_text


class CaseChecks(CheckState):
    """Crimes, their parties and offences, decisions about suspects, previous reviews."""

    # -- crimes ---------------------------------------------------------------------------
    def _crime(self, crime: dict[str, Any], index: int) -> dict[str, Any] | None:
        r, path, today = self.r, f"crimes[{index}]", self.today
        f.unknown_fields(r, crime, path, v.CRIME_KEYS)
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
        return {"crime_reference": ref, "recorded_on": as_text(recorded), **offence,
                "offence_from": as_text(start), "offence_to": as_text(end), "outcome_code": outcome,
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
        if scheme is not None and scheme.upper() not in v.OFFENCE_SCHEMES:
            r.add("invalid_value", f"{where}.scheme",
                  f"'{scheme}' is not an offence scheme; use one of: "
                  + ", ".join(v.OFFENCE_SCHEMES) + ".")
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
        f.unknown_fields(r, d, path, v.DECISION_KEYS)
        suspect = f.text(r, d, "suspect", path, required=True, max_len=64)
        crime_ref = f.text(r, d, "crime", path, max_len=64, what="crime reference")
        decided_on = f.partial_date(r, d, "decided_on", path, self.today, what="decision date")
        row = {
            "suspect": suspect, "crime": crime_ref,
            "decided_by": f.choice(r, d, "decided_by", path, v.DECIDED_BY, required=True),
            "decision": f.choice(r, d, "decision", path, v.DECISIONS, required=True),
            "outcome_code": self._outcome(d, path), "decided_on": as_text(decided_on),
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
        f.unknown_fields(r, review, path, v.REVIEW_KEYS)
        return {
            "reviewed_by": f.text(r, review, "by", path, max_len=200, what="reviewing body"),
            "completed_on": as_text(f.partial_date(r, review, "completed_on", path, self.today)),
            "reference": f.text(r, review, "reference", path, max_len=120),
            "outcome": f.text(r, review, "outcome", path, max_len=4000),
        }

