"""The admission criteria as pure functions, one per criterion id (design/screening.md).

Each returns pass, fail or unknown with a reason a force analyst can read, the evidence used
(people, decisions, crimes by their references) and, when unknown, the facts that are missing,
worded so they can be asked of the force. Partial dates are intervals: a date is inside a range
only if its whole interval is, outside only if no part of it is; unknown is never pass or fail.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from beaconport.dates import InvalidPartialDate, PartialDate
from beaconport.screening.facts import Crime, Decision, Person, ReferralFacts
from beaconport.screening.rules import CRITERIA, RuleSet

Verdict = Literal["pass", "fail", "unknown"]


@dataclass(frozen=True, slots=True)
class Result:
    criterion: str
    verdict: Verdict
    reason: str
    evidence: tuple[str, ...] = ()
    #: What the force would have to tell us to settle an unknown.
    missing: tuple[str, ...] = ()


def _date(text: str | None) -> PartialDate | None:
    return _parsed(text) if text else None


@lru_cache(maxsize=65536)
def _parsed(text: str) -> PartialDate | None:
    # Cached: a run over 100,000 referrals parses the same few thousand dates again and again.
    try:
        return PartialDate.parse(text)
    except InvalidPartialDate:
        return None


def _names(refs: Sequence[str]) -> str:
    refs = list(refs)
    return refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]


def force_in_scope(facts: ReferralFacts, rules: RuleSet) -> Result:
    if facts.force_in_scope:
        return Result("force_in_scope", "pass",
                      f"{facts.force_name} is a force of England and Wales (or BTP).",
                      (facts.force_code,))
    return Result("force_in_scope", "fail",
                  f"{facts.force_name} is outside the review, which covers the forces of "
                  "England and Wales and British Transport Police.", (facts.force_code,))


def nfa_in_window(facts: ReferralFacts, rules: RuleSet) -> Result:
    window = f"{rules.window_start:%-d %B %Y} to {rules.window_end:%-d %B %Y}"
    nfas = nfa_decisions(facts, rules)
    undecided: list[str] = []
    for d in nfas:
        when = _date(d.decided_on)
        if when is None:
            undecided.append(f"the date of the no-further-action decision about suspect "
                             f"{d.suspect} ({d.decided_by})")
        elif when.within(rules.window_start, rules.window_end):
            return Result("nfa_in_window", "pass",
                          f"{d.decided_by.upper() if d.decided_by == 'cps' else 'The police'} "
                          f"decided no further action about suspect {d.suspect} on "
                          f"{d.decided_on}, inside {window}.", (f"decision:{d.suspect}",))
        elif not when.outside(rules.window_start, rules.window_end):
            undecided.append(f"the exact date of the no-further-action decision about suspect "
                             f"{d.suspect} (sent as {d.decided_on}, which straddles an edge "
                             f"of {window})")
    if undecided:
        return Result("nfa_in_window", "unknown",
                      f"No no-further-action decision is certainly dated inside {window}.",
                      tuple(f"decision:{d.suspect}" for d in nfas), tuple(undecided))
    if not nfas:
        reason = "No suspect has a no-further-action decision by the police or the CPS."
    else:
        reason = f"Every no-further-action decision is dated outside {window}."
    return Result("nfa_in_window", "fail", reason, tuple(f"decision:{d.suspect}" for d in nfas))


def group_based(facts: ReferralFacts, rules: RuleSet) -> Result:
    suspects = [p.ref for p in facts.in_role("suspect")]
    if len(suspects) >= rules.min_suspects:
        return Result("group_based", "pass",
                      f"The referral names {len(suspects)} suspects.", tuple(suspects))
    return Result("group_based", "fail",
                  f"The referral names {len(suspects)} suspect"
                  f"{'' if len(suspects) == 1 else 's'}; the review needs at least "
                  f"{rules.min_suspects}.", tuple(suspects))


def suspects_alive(facts: ReferralFacts, rules: RuleSet) -> Result:
    suspects = facts.in_role("suspect")
    alive = [p.ref for p in suspects if p.alive_status == "believed_alive"]
    # A missing status is the same as "unknown": the format lets a force leave it out.
    maybe = [p.ref for p in suspects if p.alive_status not in ("believed_alive", "deceased")]
    need = rules.min_alive
    if len(alive) >= need:
        return Result("suspects_alive", "pass",
                      f"{len(alive)} suspects are believed alive.", tuple(alive))
    if len(alive) + len(maybe) >= need:
        return Result("suspects_alive", "unknown",
                      f"{len(alive)} suspect{'' if len(alive) == 1 else 's'} believed alive; "
                      f"whether {_names(maybe)} {'is' if len(maybe) == 1 else 'are'} alive is "
                      "not known.", tuple(alive + maybe),
                      (f"alive status of suspect{'' if len(maybe) == 1 else 's'} "
                       f"{_names(maybe)}",))
    return Result("suspects_alive", "fail",
                  f"Fewer than {need} suspects could be alive ({len(alive)} believed alive).",
                  tuple(p.ref for p in suspects))


def not_previously_reviewed(facts: ReferralFacts, rules: RuleSet) -> Result:
    if facts.previous_reviews or facts.register_matches:
        found = [f"{facts.previous_reviews} recorded in the referral"] if facts.previous_reviews \
            else []
        found += [f"register entry {m}" for m in facts.register_matches]
        return Result("not_previously_reviewed", "fail",
                      f"The case has been reviewed before ({'; '.join(found)}).",
                      tuple(f"register:{m}" for m in facts.register_matches))
    return Result("not_previously_reviewed", "pass",
                  "No previous review is recorded in the referral or in the prior-review "
                  "register.")


def victim_support(facts: ReferralFacts, rules: RuleSet) -> Result:
    complainants = facts.in_role("complainant")
    supporting = [p.ref for p in complainants if p.review_support in rules.supporting]
    if supporting:
        return Result("victim_support", "pass",
                      f"Complainant {_names(supporting)} "
                      f"support{'s' if len(supporting) == 1 else ''} the review.",
                      tuple(supporting))
    if all(p.review_support in rules.refusing for p in complainants):
        reason = ("The referral names no complainant." if not complainants else
                  "No complainant supports the review (each has declined or has died).")
        return Result("victim_support", "fail", reason, tuple(p.ref for p in complainants))
    open_ = [p for p in complainants if p.review_support not in rules.refusing]
    approached = [p.ref for p in open_ if p.support_by_review]
    reason = "No complainant is yet known to support the review."
    if approached:
        reason += (f" The review's victim liaison officers are in touch with complainant "
                   f"{_names(approached)}.")
    return Result("victim_support", "unknown", reason, tuple(p.ref for p in open_),
                  tuple(f"whether complainant {p.ref} supports the review" for p in open_
                        if not p.support_by_review))


def _add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 1 March, as the law counts ages."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _offending_began(person: Person,
                     crimes: Sequence[Crime]) -> tuple[date | None, date | None] | None:
    """Bounds on when the offending against this complainant began (None: unbounded)."""
    theirs = [c for c in crimes if person.ref in c.complainants] or list(crimes)
    lows: list[date | None] = []
    highs: list[date] = []
    for crime in theirs:
        start = _date(crime.offence_from)
        lows.append(start.earliest if start else None)
        # Without a start, the offending still began no later than it ended or was recorded.
        bound = start or _date(crime.offence_to) or _date(crime.recorded_on)
        if bound is not None:
            highs.append(bound.latest)
    if not lows:
        return None
    low = None if any(x is None for x in lows) else min(x for x in lows if x is not None)
    return low, (min(highs) if highs else None)


def was_child(person: Person, crimes: Sequence[Crime], adult: int) -> bool | None:
    """True if certainly under ``adult`` when the offending began, False if certainly not."""
    if person.age_at_first_offence is not None:
        return person.age_at_first_offence < adult
    born = _date(person.date_of_birth)
    began = _offending_began(person, crimes)
    if born is None or began is None:
        return None
    earliest, latest = began
    if latest is not None and latest < _add_years(born.earliest, adult):
        return True
    if earliest is not None and earliest >= _add_years(born.latest, adult):
        return False
    return None


def youngest_age(person: Person, crimes: Sequence[Crime]) -> int | None:
    """The youngest the complainant can have been when the offending against them began, in
    whole years: the age the force gave, else the latest possible birth to the earliest
    possible start. None when the records do not tell."""
    if person.age_at_first_offence is not None:
        return person.age_at_first_offence
    born = _date(person.date_of_birth)
    began = _offending_began(person, crimes)
    if born is None or began is None or began[0] is None:
        return None
    birth, start = born.latest, began[0]
    age = start.year - birth.year - ((start.month, start.day) < (birth.month, birth.day))
    return age if age >= 0 else None


def nfa_decisions(facts: ReferralFacts, rules: RuleSet) -> list[Decision]:
    """The no-further-action decisions by the police or the CPS."""
    return [d for d in facts.decisions
            if d.decision in rules.nfa_decisions and d.decided_by in rules.deciders]


def child_complainant(facts: ReferralFacts, rules: RuleSet) -> Result:
    complainants = facts.in_role("complainant")
    answers = {p.ref: was_child(p, facts.crimes, rules.adult_age) for p in complainants}
    children = [ref for ref, a in answers.items() if a is True]
    if children:
        return Result("child_complainant", "pass",
                      f"Complainant {_names(children)} {'was' if len(children) == 1 else 'were'}"
                      f" under {rules.adult_age} when the offending began.", tuple(children))
    if all(a is False for a in answers.values()):
        reason = ("The referral names no complainant." if not complainants else
                  f"Every complainant was {rules.adult_age} or over when the offending began.")
        return Result("child_complainant", "fail", reason, tuple(answers))
    unclear = [ref for ref, a in answers.items() if a is None]
    return Result("child_complainant", "unknown",
                  "The dates are too partial to tell whether a complainant was a child.",
                  tuple(unclear),
                  tuple(f"the age of complainant {ref} when the offending began (or their date "
                        "of birth and when the offending began)" for ref in unclear))


def sexual_offence(facts: ReferralFacts, rules: RuleSet) -> Result:
    sexual = [c.crime_reference for c in facts.crimes
              if rules.offence_is_sexual(c.offence_scheme, c.offence_code)]
    if sexual:
        return Result("sexual_offence", "pass",
                      f"Crime {_names(sexual)} {'is a' if len(sexual) == 1 else 'are'} sexual "
                      f"offence{'' if len(sexual) == 1 else 's'} in the review's list.",
                      tuple(sexual))
    unrecognised = [c for c in facts.crimes if not c.recognised]
    if not unrecognised:
        return Result("sexual_offence", "fail",
                      "No crime is a sexual offence: every offence is a known non-sexual one.",
                      tuple(c.crime_reference for c in facts.crimes))
    return Result("sexual_offence", "unknown",
                  "Some offences are not ones Beaconport recognises, and none is a known sexual "
                  "offence.", tuple(c.crime_reference for c in unrecognised),
                  tuple(f"the offence of crime {c.crime_reference} (its code "
                        f"'{c.offence_scheme} {c.offence_code}' is not one Beaconport "
                        "recognises)" for c in unrecognised))


CHECKS: dict[str, Callable[[ReferralFacts, RuleSet], Result]] = {
    "force_in_scope": force_in_scope,
    "nfa_in_window": nfa_in_window,
    "group_based": group_based,
    "suspects_alive": suspects_alive,
    "not_previously_reviewed": not_previously_reviewed,
    "victim_support": victim_support,
    "child_complainant": child_complainant,
    "sexual_offence": sexual_offence,
}
assert tuple(CHECKS) == CRITERIA, "one check per criterion, in the design note's order"
