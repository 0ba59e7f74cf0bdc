"""What rule set ``beaconport-2025`` decides for a referral (design/screening.md): ground truth.

A pure function of the document, written independently of the platform's screening code so the
two can be checked against each other. Partial dates are intervals: a date is inside a range only
if its whole interval is, and outside only if no part of it is. Unknown is never pass or fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from beaconport.demo.dates import Interval, add_years, interval
from beaconport.demo.forces import IN_SCOPE, canonical_force

Verdict = Literal["pass", "fail", "unknown"]

RULESET = "beaconport-2025"
CRITERIA: tuple[str, ...] = (
    "force_in_scope", "nfa_in_window", "group_based", "suspects_alive",
    "not_previously_reviewed", "victim_support", "child_complainant", "sexual_offence",
)

# Parameters of the rule set, not of the code.
WINDOW: Interval = (date(2010, 1, 1), date(2025, 3, 31))
NFA_DECISIONS = frozenset({"nfa_evidential", "nfa_public_interest", "nfa_other",
                           "cps_admin_finalised"})
DECIDERS = frozenset({"police", "cps"})
MIN_SUSPECTS = 2
MIN_ALIVE = 2
SUPPORTING = frozenset({"supports"})
REFUSING = frozenset({"declines", "deceased"})
ADULT = 18

# The sexual-offence reference list (screening.md): SOA 2003 Part 1 (ss1–79), SOA 1956 sexual
# offences (ss1–36), the Home Office sexual-offence classifications, and the named other Acts.
_SOA2003_PART1 = range(1, 80)
_SOA1956_SEXUAL = range(1, 37)
_HO_RAPE = frozenset({"19C", "19D", "19E", "19F", "19G", "19H"})
_HO_SEXUAL = _HO_RAPE | frozenset({
    "19A", "19B", "17A", "17B", "20A", "20B", "21", "22A", "22B", "23", "70", "71", "72", "73",
    "74", "88A", "88C", "88D", "88E",
})
_OTHER_SEXUAL = frozenset({"PCA1978 S1", "ICA1960 S1", "MSA2015 S2"})
_OTHER_NOT_SEXUAL = frozenset({"CAA1984 S2", "OAPA1861 S47", "MDA1971 S4"})
_SECTION = re.compile(r"(?:S|SECTION)?\s*([0-9]{1,3})([A-Z]?)")

OffenceKind = Literal["sexual", "not_sexual", "unknown"]


def decide(document: Mapping[str, Any]) -> dict[str, Any]:
    """The screening decision for a valid referral, in the shape of the screening export."""
    force = canonical_force(str(document.get("force", "")))
    if force is None:
        raise ValueError(f"unrecognised force {document.get('force')!r}: the referral is invalid")
    people = _objects(document.get("people"))
    crimes = _objects(document.get("crimes"))
    suspects = [p for p in people if p.get("role") == "suspect"]
    complainants = [p for p in people if p.get("role") == "complainant"]
    verdicts: dict[str, Verdict] = {
        # Anything recognised but not in England and Wales (Police Scotland, PSNI) is out of scope.
        "force_in_scope": "pass" if force in IN_SCOPE else "fail",
        "nfa_in_window": nfa_in_window(_objects(document.get("decisions"))),
        "group_based": "pass" if len(suspects) >= MIN_SUSPECTS else "fail",
        "suspects_alive": suspects_alive(suspects),
        "not_previously_reviewed": "fail" if document.get("previous_reviews") else "pass",
        "victim_support": victim_support(complainants),
        "child_complainant": child_complainant(complainants, crimes),
        "sexual_offence": sexual_offence(crimes),
    }
    failed = [c for c in CRITERIA if verdicts[c] == "fail"]
    unknown = [c for c in CRITERIA if verdicts[c] == "unknown"]
    decision = "ineligible" if failed else "needs_information" if unknown else "eligible"
    return {
        "force": force,
        "force_reference": document.get("force_reference"),
        "decision": decision,
        "failed": failed,
        "unknown": unknown,
        "involves_rape": involves_rape(crimes),
    }


def nfa_in_window(decisions: Iterable[Mapping[str, Any]]) -> Verdict:
    could = False
    for d in decisions:
        if d.get("decision") not in NFA_DECISIONS or d.get("decided_by") not in DECIDERS:
            continue
        span = interval(d.get("decided_on"))
        if span is None:  # an undated NFA could be the one that qualifies
            could = True
        elif WINDOW[0] <= span[0] and span[1] <= WINDOW[1]:
            return "pass"
        elif span[1] >= WINDOW[0] and span[0] <= WINDOW[1]:  # straddles an edge
            could = True
    return "unknown" if could else "fail"


def suspects_alive(suspects: Sequence[Mapping[str, Any]]) -> Verdict:
    alive = sum(1 for s in suspects if s.get("alive_status") == "believed_alive")
    # A missing status is the same as "unknown": the format lets a force leave the field out.
    maybe = sum(1 for s in suspects if s.get("alive_status") not in ("believed_alive", "deceased"))
    if alive >= MIN_ALIVE:
        return "pass"
    return "unknown" if alive + maybe >= MIN_ALIVE else "fail"


def victim_support(complainants: Sequence[Mapping[str, Any]]) -> Verdict:
    states = [c.get("review_support") for c in complainants]
    if any(s in SUPPORTING for s in states):
        return "pass"
    if all(s in REFUSING for s in states):  # also when there is no complainant
        return "fail"
    return "unknown"


def child_complainant(complainants: Sequence[Mapping[str, Any]],
                      crimes: Sequence[Mapping[str, Any]]) -> Verdict:
    answers = [_was_child(c, crimes) for c in complainants]
    if any(a is True for a in answers):
        return "pass"
    if all(a is False for a in answers):  # also when there is no complainant
        return "fail"
    return "unknown"


def _was_child(person: Mapping[str, Any], crimes: Sequence[Mapping[str, Any]]) -> bool | None:
    """True if certainly under 18 when the offending began, False if certainly not, else None."""
    age = person.get("age_at_first_offence")
    if isinstance(age, int) and not isinstance(age, bool):
        return age < ADULT
    born = interval(person.get("date_of_birth"))
    began = _offending_began(person.get("id"), crimes)
    if born is None or began is None:
        return None
    earliest_start, latest_start = began
    if latest_start is not None and latest_start < add_years(born[0], ADULT):
        return True
    if earliest_start is not None and earliest_start >= add_years(born[1], ADULT):
        return False
    return None


def _offending_began(pid: object,
                     crimes: Sequence[Mapping[str, Any]]) -> tuple[date | None, date | None] | None:
    """Bounds on when the offending against this complainant began (None: unbounded)."""
    theirs = [c for c in crimes if pid in (c.get("complainants") or ())] or list(crimes)
    lows: list[date | None] = []
    highs: list[date] = []
    for crime in theirs:
        period = crime.get("offence_period")
        period = period if isinstance(period, dict) else {}
        start = interval(period.get("from"))
        lows.append(start[0] if start else None)
        # Without a start, the offending still began no later than it ended or was recorded.
        bound = start or interval(period.get("to")) or interval(crime.get("recorded_on"))
        if bound is not None:
            highs.append(bound[1])
    if not lows:
        return None
    low = None if any(x is None for x in lows) else min(x for x in lows if x is not None)
    return low, (min(highs) if highs else None)


def offence_kind(offence: object) -> OffenceKind:
    return _classify(offence)[0]


_classified: dict[tuple[str, str], tuple[OffenceKind, bool]] = {}


def _classify(offence: object) -> tuple[OffenceKind, bool]:
    """(sexual / not_sexual / unknown, is rape) for an offence object."""
    if not isinstance(offence, dict):
        return "unknown", False
    scheme = str(offence.get("scheme", "")).upper()
    code = " ".join(str(offence.get("code", "")).split()).upper()
    key = (scheme, code)
    if key not in _classified:
        if len(_classified) > 100_000:  # only hostile input has this many distinct codes
            _classified.clear()
        _classified[key] = (_kind(scheme, code), _rape(scheme, code))
    return _classified[key]


def _kind(scheme: str, code: str) -> OffenceKind:
    if scheme in ("SOA2003", "SOA1956"):
        match = _SECTION.fullmatch(code)
        part = _SOA2003_PART1 if scheme == "SOA2003" else _SOA1956_SEXUAL
        return "sexual" if match and int(match[1]) in part else "unknown"
    if scheme == "HOCODE":
        return "sexual" if code in _HO_SEXUAL else "unknown"
    if scheme == "OTHER":
        if code in _OTHER_SEXUAL:
            return "sexual"
        return "not_sexual" if code in _OTHER_NOT_SEXUAL else "unknown"
    return "unknown"


def sexual_offence(crimes: Sequence[Mapping[str, Any]]) -> Verdict:
    kinds = [offence_kind(c.get("offence")) for c in crimes]
    if "sexual" in kinds:
        return "pass"
    return "fail" if all(k == "not_sexual" for k in kinds) else "unknown"


def is_rape(offence: object) -> bool:
    """SOA 2003 s1 or s5, SOA 1956 s1, or Home Office 19C–19H (screening.md)."""
    return _classify(offence)[1]


def _rape(scheme: str, code: str) -> bool:
    if scheme == "HOCODE":
        return code in _HO_RAPE
    match = _SECTION.fullmatch(code)
    if match is None or match[2]:
        return False
    section = int(match[1])
    return (scheme == "SOA2003" and section in (1, 5)) or (scheme == "SOA1956" and section == 1)


def involves_rape(crimes: Iterable[Mapping[str, Any]]) -> bool:
    return any(is_rape(c.get("offence")) for c in crimes)


def _objects(value: object) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        return []
    for v in value:
        if not isinstance(v, dict):
            return [v for v in value if isinstance(v, dict)]
    return value
