"""One referral: the case's dates, people, crimes and decisions, then the document a force sends.

The true dates are decided first and the codes follow from them (the law of the offence date, the
outcome framework of the decision date); only then are dates written, often partially, as forces
hold them. Share parameters below are tuned so that 1,273 referrals screen roughly half eligible,
a quarter needing information and a quarter ineligible, with about 18 % involving rape.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from beaconport.demo import offences, records
from beaconport.demo.dates import age_on, partial
from beaconport.demo.forces import SCOTLAND, Force
from beaconport.demo.offences import FRAMEWORK_START, SOA2003_START
from beaconport.demo.people import TruePerson
from beaconport.demo.pool import Pool
from beaconport.demo.summary import officer, previous_review, reference, summary

WINDOW_START = date(2010, 1, 1)
WINDOW_END = date(2025, 3, 31)
P_OUTSIDE = 0.05  # every NFA decided outside the window: nfa_in_window fails
P_UNDATED = 0.045  # every NFA undated or dated only "2025": nfa_in_window unknown
P_HISTORIC = 0.08  # offending before May 2004, charged under the 1956 Act
P_RAPE = 0.185  # Beaconport: 236 of 1,273 referrals concern rape
P_NOT_SEXUAL = 0.012
P_UNRECOGNISED = 0.01
P_ADULT_CASE = 0.04
P_PREVIOUS_REVIEW = 0.04
_SUSPECTS = (0.045, 0.25, 0.25, 0.2, 0.15)  # 1–5 suspects; the rest have 6
_CHILD_AGES = (11, 12, 12, 13, 13, 13, 14, 14, 14, 14, 15, 15, 15, 16, 16, 17)
PIDS = tuple(f"P{i}" for i in range(1, 40))


@dataclass(slots=True)
class Crime:
    complainants: list[int]
    suspects: list[int]
    start: date
    end: date
    recorded: date
    offence: dict[str, Any]
    ref: str = ""


@dataclass(slots=True)
class Built:
    document: dict[str, Any]
    people: list[tuple[TruePerson, str]]  # each true person named, with their id here


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=int(rng.random() * ((last - first).days + 1)))


def _days(rng: random.Random, most: int) -> timedelta:
    return timedelta(days=int(rng.random() * most))


class CaseBuilder:
    def __init__(self, rng: random.Random, pool: Pool, counters: dict[str, int]) -> None:
        self.rng = rng
        self.pool = pool
        self.counters = counters

    def build(self, force: Force, written_force: str, referred_on: date) -> Built:
        rng = self.rng
        mode = rng.random()
        mode_name = "outside" if mode < P_OUTSIDE else (
            "undated" if mode < P_OUTSIDE + P_UNDATED else "dated")
        decided = self._decision_day(mode_name)
        historic = rng.random() < P_HISTORIC
        start, end, recorded = self._period(historic, decided)
        n_suspects = _count(rng, _SUSPECTS, 6)
        suspects = self.pool.suspects_for(rng, force, n_suspects, start)
        adult_case = rng.random() < P_ADULT_CASE
        complainants: list[TruePerson] = []
        for _ in range(1 if rng.random() < 0.5 else 2 if rng.random() < 0.64 else 3):
            age = 18 + int(rng.random() * 4) if adult_case or rng.random() < 0.02 else rng.choice(
                _CHILD_AGES)
            complainants.append(self.pool.complainant_for(rng, force, age, start, complainants))
        crimes = self._crimes(force, historic, suspects, complainants, start, end, recorded)
        for crime in crimes:
            crime.ref = crime_ref(rng, force, crime.recorded, self.counters)
        ref = reference(rng, force, self.counters, recorded.year)
        sids = PIDS[:n_suspects]
        cids = PIDS[n_suspects:n_suspects + len(complainants)]
        decisions, outcomes = self._decisions(mode_name, decided, crimes, sids)
        crime_rows = [self._crime_row(c, sids, cids, outcomes) for c in crimes]
        people: list[dict[str, Any]] = []
        named: list[tuple[TruePerson, str]] = []
        for person, pid in zip(suspects, sids, strict=True):
            people.append(records.suspect(rng, person, pid, force, recorded, referred_on, start))
            named.append((person, pid))
        for ci, (person, pid) in enumerate(zip(complainants, cids, strict=True)):
            first = min(c.start for c in crimes if ci in c.complainants)
            rec = records.complainant(rng, person, pid, force, recorded, referred_on,
                                      age_on(person.born, first))
            people.append(rec)
            named.append((person, pid))
        next_id = n_suspects + len(complainants)
        for _ in range(0 if rng.random() < 0.75 else 1 if rng.random() < 0.8 else 2):
            person = self.pool.witness(rng, force, recorded)
            people.append(records.witness(rng, person, PIDS[next_id]))
            named.append((person, PIDS[next_id]))
            next_id += 1
        document: dict[str, Any] = {
            "format": "beaconport.referral/1", "force": written_force,
            "force_reference": ref, "referred_on": partial(referred_on),
        }
        contact = officer(rng, force)
        if contact:
            document["referring_officer"] = contact
        document["summary"] = summary(rng, force, crimes, decisions, len(suspects), historic,
                                      recorded)
        document["crimes"] = crime_rows
        document["people"] = people
        document["decisions"] = decisions
        document["previous_reviews"] = (
            [previous_review(rng, decided)] if rng.random() < P_PREVIOUS_REVIEW else [])
        return Built(document, named)

    # -- when ----------------------------------------------------------------------------
    def _decision_day(self, mode: str) -> date:
        rng = self.rng
        if mode == "outside":  # leave room for later decisions about other suspects
            if rng.random() < 0.6:
                return _between(rng, date(2008, 1, 1), date(2009, 10, 31))
            return _between(rng, date(2025, 4, 1), date(2025, 8, 31))
        if mode == "undated" and rng.random() < 0.4:
            return _between(rng, date(2025, 1, 1), date(2025, 2, 28))
        return _between(rng, WINDOW_START, WINDOW_END)

    def _period(self, historic: bool, decided: date) -> tuple[date, date, date]:
        rng = self.rng
        recorded = decided - timedelta(days=90) - _days(rng, 800)
        if historic:  # non-recent abuse, reported years later
            end = _between(rng, date(1993, 1, 1), date(2004, 3, 31))
            start = max(end - _days(rng, 1460), date(1990, 1, 1))
            return start, end, max(recorded, end + timedelta(days=365))
        end = max(recorded - _days(rng, 540), SOA2003_START)
        return max(end - _days(rng, 1095), SOA2003_START), end, recorded

    # -- crimes --------------------------------------------------------------------------
    def _crimes(self, force: Force, historic: bool, suspects: list[TruePerson],
                complainants: list[TruePerson], start: date, end: date,
                recorded: date) -> list[Crime]:
        rng = self.rng
        n = len(suspects)
        span = (end - start).days
        crimes: list[Crime] = []
        for ci in range(len(complainants)):
            for _ in range(1 if rng.random() < 0.75 else 2):
                k = n if rng.random() < 0.45 else 1 + int(rng.random() * n)
                chosen = sorted(rng.sample(range(n), k))
                c_start = start + _days(rng, span // 3 + 1)
                c_end = max(end - _days(rng, span // 3 + 1), c_start)
                crimes.append(Crime([ci], chosen, c_start, c_end, recorded + _days(rng, 60), {}))
        for s in range(n):  # everyone referred as a suspect is a suspect in some crime
            if not any(s in c.suspects for c in crimes):
                crime = rng.choice(crimes)
                crime.suspects = sorted([*crime.suspects, s])
        kind = rng.random()
        extra = rng.random()
        if extra < 0.08 or (extra < 0.09 and kind >= P_RAPE + P_NOT_SEXUAL + P_UNRECOGNISED):
            ci = int(rng.random() * len(complainants))
            crimes.append(Crime([ci], sorted(rng.sample(range(n), min(n, 2))), start, end,
                                recorded + _days(rng, 60), {}))
            crimes[-1].offence = (
                offences.offence(rng, *rng.choice(offences.NOT_SEXUAL)) if extra < 0.08
                else offences.offence(rng, "OTHER", *rng.choice(offences.UNRECOGNISED)))
        for i, crime in enumerate(crimes):
            if crime.offence:
                continue
            person = complainants[crime.complainants[0]]
            age = age_on(person.born, crime.start)
            if force.code == SCOTLAND:
                crime.offence = offences.offence(rng, "OTHER", *rng.choice(offences.SCOTTISH))
            elif kind < P_RAPE and i == 0:
                crime.offence = (offences.rape(rng, historic, age, person.sex, crime.start)
                                 or offences.sexual(rng, historic, age, person.sex, crime.start))
            elif kind < P_RAPE:
                crime.offence = offences.sexual(rng, historic, age, person.sex, crime.start)
            elif kind < P_RAPE + P_NOT_SEXUAL:
                crime.offence = offences.offence(rng, *rng.choice(offences.NOT_SEXUAL))
            elif kind < P_RAPE + P_NOT_SEXUAL + P_UNRECOGNISED and i == 0:
                crime.offence = offences.offence(rng, "OTHER", *rng.choice(offences.UNRECOGNISED))
            elif kind < P_RAPE + P_NOT_SEXUAL + P_UNRECOGNISED:
                crime.offence = offences.offence(rng, *rng.choice(offences.NOT_SEXUAL))
            else:
                crime.offence = offences.sexual(rng, historic, age, person.sex, crime.start)
        crimes.sort(key=lambda c: c.recorded)
        return crimes

    def _crime_row(self, crime: Crime, sids: tuple[str, ...], cids: tuple[str, ...],
                   outcomes: dict[int, str]) -> dict[str, Any]:
        rng = self.rng
        r = rng.random()
        precision = "day" if r < 0.4 else "month" if r < 0.78 else "year"
        if precision == "year" and 2004 in (crime.start.year, crime.end.year):
            precision = "month"  # "2004" would straddle the 1956/2003 Act boundary
        row: dict[str, Any] = {
            "crime_reference": crime.ref,
            "recorded_on": partial(crime.recorded),
            "offence": crime.offence,
        }
        if rng.random() < 0.98:
            row["offence_period"] = {"from": partial(crime.start, precision),
                                     "to": partial(crime.end, precision)}
        row["complainants"] = [cids[i] for i in crime.complainants]
        row["suspects"] = [sids[i] for i in crime.suspects]
        outcome = outcomes.get(id(crime))
        if outcome and rng.random() < 0.97:
            row["outcome_code"] = outcome
        return row

    # -- decisions -----------------------------------------------------------------------
    def _decisions(self, mode: str, decided: date, crimes: list[Crime],
                   sids: tuple[str, ...]) -> tuple[list[dict[str, Any]], dict[int, str]]:
        rng = self.rng
        pattern = rng.random()
        cps_day = decided
        charged = (int(rng.random() * len(sids)) if len(sids) >= 2 and rng.random() < 0.05
                   and decided >= FRAMEWORK_START else -1)
        per_suspect: list[tuple[str, str, date, str, str | None, str | None]] = []
        for s in range(len(sids)):
            by = "police" if pattern < 0.5 else "cps" if pattern < 0.9 else (
                "police" if rng.random() < 0.5 else "cps")
            r = rng.random()
            if s == charged:
                by, kind = "cps", "charged"
            elif by == "police":
                kind = ("nfa_evidential" if r < 0.8 else "nfa_public_interest" if r < 0.87
                        else "nfa_other")
            else:
                kind = ("nfa_evidential" if r < 0.8 else "nfa_public_interest" if r < 0.85
                        else "cps_admin_finalised" if r < 0.97 else "nfa_other")
            when = cps_day if by == "cps" else decided + _days(rng, 46)
            outcome = offences.decision_outcome(rng, kind, by, when)
            per_suspect.append((by, kind, when, outcome, self._written_day(mode, when),
                                offences.reason(rng, kind, by, outcome)))
        rows: list[dict[str, Any]] = []
        outcomes: dict[int, str] = {}
        for crime in crimes:
            latest: tuple[date, str] | None = None
            for s in crime.suspects:
                by, kind, when, outcome, written, text = per_suspect[s]
                row: dict[str, Any] = {"suspect": sids[s], "crime": crime.ref, "decided_by": by,
                                       "decision": kind, "outcome_code": outcome}
                if written:
                    row["decided_on"] = written
                if text:
                    row["reason"] = text
                rows.append(row)
                if kind == "charged":  # the crime's single outcome is the charge
                    latest = (date.max, outcome)
                elif latest is None or when > latest[0]:
                    latest = (when, outcome)
            if latest:
                outcomes[id(crime)] = latest[1]
        return rows, outcomes

    def _written_day(self, mode: str, when: date) -> str | None:
        r = self.rng.random()
        if mode == "undated":
            return "2025" if when.year == 2025 and r < 0.7 else None
        if mode == "outside":
            if r < 0.7:
                return partial(when)
            return partial(when, "year" if r >= 0.85 and when.year < 2025 else "month")
        if r < 0.84:
            return partial(when)
        return partial(when, "month") if r < 0.92 else partial(when, "year") if r < 0.97 else None


def crime_ref(rng: random.Random, force: Force, recorded: date, counters: dict[str, int]) -> str:
    """The force's crime number; a per-force serial keeps it unique within every referral."""
    key = f"crime:{force.code}"
    start = counters.get(key) or 10_000 + int(rng.random() * 80_000)
    n = counters[key] = start + 1 + int(rng.random() * 40)
    yy = recorded.year % 100
    style = sum(map(ord, force.code)) % 4
    if style == 0:
        return f"{13 + sum(map(ord, force.prefix)) % 80:02d}{yy:02d}{n:07d}"
    if style == 1:
        return f"CRI/{yy:02d}/{n:06d}"
    if style == 2:
        return f"{force.prefix}-{recorded.year}-{n:06d}"
    return f"{yy:02d}/{n:06d}/{force.prefix[:3]}"


def _count(rng: random.Random, shares: tuple[float, ...], most: int) -> int:
    r = rng.random()
    for i, share in enumerate(shares):
        if r < share:
            return i + 1
        r -= share
    return most
