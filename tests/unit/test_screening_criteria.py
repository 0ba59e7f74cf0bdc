"""Each admission criterion at every boundary the design note names (design/screening.md)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from beaconport.screening import criteria as c
from beaconport.screening.decision import screen
from beaconport.screening.facts import Crime, Decision, Person, ReferralFacts
from beaconport.screening.rules import BEACONPORT_2025 as RULES

S1 = Person("P1", "suspect", alive_status="believed_alive")
S2 = Person("P2", "suspect", alive_status="believed_alive")
V3 = Person("P3", "complainant", review_support="supports", age_at_first_offence=14)
CRIME = Crime("13/1", "SOA2003", "s5", True, offence_from="2013-06", complainants=("P3",))
NFA = Decision("P1", "cps", "nfa_evidential", "2015-02-10")
BASE = ReferralFacts("E23000010", "West Yorkshire Police", True, "WYP/1",
                     people=(S1, S2, V3), crimes=(CRIME,), decisions=(NFA,))


def test_the_base_case_is_eligible() -> None:
    result = screen(BASE, RULES)
    assert result.decision == "eligible" and result.ruleset == "beaconport-2025"
    assert result.involves_rape and not result.red_flags


def test_force_outside_scope_fails() -> None:
    assert c.force_in_scope(BASE, RULES).verdict == "pass"
    scotland = replace(BASE, force_code="S23000009", force_name="Police Scotland",
                       force_in_scope=False)
    assert c.force_in_scope(scotland, RULES).verdict == "fail"
    assert screen(scotland, RULES).decision == "ineligible"


@pytest.mark.parametrize(("decided_on", "verdict"), [
    ("2009-12-31", "fail"), ("2010-01-01", "pass"), ("2010-01-02", "pass"),
    ("2025-03-30", "pass"), ("2025-03-31", "pass"), ("2025-04-01", "fail"),
    ("2010", "pass"),          # the whole of 2010 lies inside
    ("2009", "fail"),          # the whole of 2009 lies outside
    ("2025", "unknown"),       # straddles 31 March 2025
    ("2025-03", "pass"), ("2025-04", "fail"), ("2009-12", "fail"), ("2010-01", "pass"),
    (None, "unknown"),         # an undated NFA could be the one
])
def test_nfa_window_edges_and_partial_dates(decided_on: str | None, verdict: str) -> None:
    facts = replace(BASE, decisions=(replace(NFA, decided_on=decided_on),))
    result = c.nfa_in_window(facts, RULES)
    assert result.verdict == verdict, result.reason
    if verdict == "unknown":
        assert result.missing and "suspect P1" in result.missing[0]


@pytest.mark.parametrize(("decision", "by", "verdict"), [
    ("nfa_evidential", "police", "pass"), ("nfa_public_interest", "cps", "pass"),
    ("nfa_other", "police", "pass"), ("cps_admin_finalised", "cps", "pass"),
    ("charged", "cps", "fail"), ("nfa_evidential", "court", "fail"),
])
def test_only_police_or_cps_no_further_action_counts(decision: str, by: str,
                                                      verdict: str) -> None:
    facts = replace(BASE, decisions=(Decision("P1", by, decision, "2015-01-01"),))
    assert c.nfa_in_window(facts, RULES).verdict == verdict


def test_one_dated_nfa_in_the_window_passes_beside_an_undated_one() -> None:
    facts = replace(BASE, decisions=(replace(NFA, decided_on=None),
                                     Decision("P2", "police", "nfa_other", "2012-05")))
    assert c.nfa_in_window(facts, RULES).verdict == "pass"


@pytest.mark.parametrize(("suspects", "verdict"), [(1, "fail"), (2, "pass"), (3, "pass")])
def test_group_based_needs_two_suspects(suspects: int, verdict: str) -> None:
    people = (*(Person(f"P{n}", "suspect", alive_status="believed_alive")
                for n in range(1, suspects + 1)), V3)
    assert c.group_based(replace(BASE, people=people), RULES).verdict == verdict


@pytest.mark.parametrize(("statuses", "verdict"), [
    (("believed_alive", "believed_alive"), "pass"),
    (("believed_alive", "deceased"), "fail"),
    (("believed_alive", "unknown"), "unknown"),
    (("believed_alive", None), "unknown"),      # not stated is unknown
    (("deceased", "deceased", "believed_alive"), "fail"),
    (("unknown", "unknown"), "unknown"),
    (("believed_alive", "deceased", "unknown"), "unknown"),
    (("believed_alive",), "fail"),
])
def test_suspects_alive(statuses: tuple[str | None, ...], verdict: str) -> None:
    people = (*(Person(f"P{n}", "suspect", alive_status=s)
                for n, s in enumerate(statuses, start=1)), V3)
    result = c.suspects_alive(replace(BASE, people=people), RULES)
    assert result.verdict == verdict, result.reason
    if verdict == "unknown":
        assert result.missing[0].startswith("alive status of suspect")


def test_the_missing_alive_statuses_are_named() -> None:
    people = (S1, Person("P2", "suspect"), Person("P4", "suspect", alive_status="unknown"), V3)
    result = c.suspects_alive(replace(BASE, people=people), RULES)
    assert result.verdict == "unknown"
    assert result.missing == ("alive status of suspects P2 and P4",)


def test_previous_reviews_fail_from_the_referral_or_the_register() -> None:
    assert c.not_previously_reviewed(BASE, RULES).verdict == "pass"
    assert c.not_previously_reviewed(replace(BASE, previous_reviews=1), RULES).verdict == "fail"
    matched = replace(BASE, register_matches=("Operation Stovewood 12",))
    assert c.not_previously_reviewed(matched, RULES).verdict == "fail"


@pytest.mark.parametrize(("states", "verdict"), [
    (("supports",), "pass"), (("declines",), "fail"), (("deceased",), "fail"),
    (("declines", "deceased"), "fail"), (("declines", "supports"), "pass"),
    (("not_yet_approached",), "unknown"), (("undecided",), "unknown"),
    (("uncontactable",), "unknown"), (("approach_unsafe",), "unknown"), ((None,), "unknown"),
    (("declines", "undecided"), "unknown"), ((), "fail"),
])
def test_victim_support_each_state(states: tuple[str | None, ...], verdict: str) -> None:
    people = (S1, S2, *(Person(f"P{n}", "complainant", review_support=s)
                        for n, s in enumerate(states, start=3)))
    result = c.victim_support(replace(BASE, people=people), RULES)
    assert result.verdict == verdict, result.reason
    if verdict == "unknown":
        assert all(m.startswith("whether complainant P") for m in result.missing)


@pytest.mark.parametrize(("age", "verdict"), [(17, "pass"), (18, "fail"), (9, "pass"),
                                              (30, "fail")])
def test_child_complainant_by_age_at_17_and_18(age: int, verdict: str) -> None:
    people = (S1, S2, replace(V3, age_at_first_offence=age))
    assert c.child_complainant(replace(BASE, people=people), RULES).verdict == verdict


@pytest.mark.parametrize(("born", "began", "verdict"), [
    ("1996-06-15", "2014-06-14", "pass"),   # the day before the 18th birthday
    ("1996-06-15", "2014-06-15", "fail"),   # the 18th birthday
    ("1996", "2013-12", "pass"),            # born by 31 Dec 1996: under 18 all of 2013
    ("1996", "2014-06", "unknown"),         # 17 or 18, depending on the birthday
    ("1996", "2015-01", "fail"),            # 18 even if born on 31 December 1996
    ("1996-02-29", "2014-02-28", "pass"),   # a leap-day birthday falls on 1 March
    ("1996-02-29", "2014-03-01", "fail"),
    (None, "2014-06", "unknown"),
])
def test_child_complainant_from_dates(born: str | None, began: str, verdict: str) -> None:
    complainant = Person("P3", "complainant", review_support="supports", date_of_birth=born)
    crime = replace(CRIME, offence_from=began)
    facts = replace(BASE, people=(S1, S2, complainant), crimes=(crime,))
    result = c.child_complainant(facts, RULES)
    assert result.verdict == verdict, result.reason
    if verdict == "unknown":
        assert "complainant P3" in result.missing[0]


def test_no_complainant_fails_support_and_child() -> None:
    facts = replace(BASE, people=(S1, S2))
    assert c.victim_support(facts, RULES).verdict == "fail"
    assert c.child_complainant(facts, RULES).verdict == "fail"


@pytest.mark.parametrize(("scheme", "code", "recognised", "verdict"), [
    ("SOA2003", "s5", True, "pass"), ("SOA2003", "s79", True, "pass"),
    ("SOA1956", "s14", True, "pass"), ("SOA1956", "s36", True, "pass"),
    ("HOCODE", "19C", True, "pass"), ("HOCODE", "88A", True, "pass"),
    ("OTHER", "PCA1978 s1", True, "pass"), ("OTHER", "MSA2015 s2", True, "pass"),
    ("OTHER", "CAA1984 s2", True, "fail"), ("OTHER", "OAPA1861 s47", True, "fail"),
    ("OTHER", "LOCAL 0412", False, "unknown"), ("SOA2003", "s99", False, "unknown"),
])
def test_sexual_offence(scheme: str, code: str, recognised: bool, verdict: str) -> None:
    crime = Crime("X/1", scheme, code, recognised)
    result = c.sexual_offence(replace(BASE, crimes=(crime,)), RULES)
    assert result.verdict == verdict, result.reason
    if verdict == "unknown":
        assert "is not one Beaconport recognises" in result.missing[0]


def test_one_sexual_crime_passes_beside_unrecognised_ones() -> None:
    crimes = (Crime("X/1", "OTHER", "LOCAL 1", False), CRIME)
    assert c.sexual_offence(replace(BASE, crimes=crimes), RULES).verdict == "pass"


@pytest.mark.parametrize(("scheme", "code", "rape"), [
    ("SOA2003", "s1", True), ("SOA2003", "s5", True), ("SOA2003", "s6", False),
    ("SOA1956", "s1", True), ("SOA1956", "s5", False), ("HOCODE", "19C", True),
    ("HOCODE", "19H", True), ("HOCODE", "19A", False), ("HOCODE", "19B", False),
])
def test_the_rape_marker(scheme: str, code: str, rape: bool) -> None:
    crime = Crime("X/1", scheme, code, True)
    assert screen(replace(BASE, crimes=(crime,)), RULES).involves_rape is rape


def test_decision_precedence_and_missing_facts() -> None:
    unknown = replace(BASE, people=(S1, replace(S2, alive_status=None), V3))
    result = screen(unknown, RULES)
    assert result.decision == "needs_information"
    assert result.unknown == ("suspects_alive",) and result.missing == (
        "alive status of suspect P2",)
    both = replace(unknown, decisions=(replace(NFA, decided_on="2009"),))
    assert screen(both, RULES).decision == "ineligible"
    assert screen(both, RULES).missing == ()


def test_red_flags() -> None:
    flagged = replace(
        BASE,
        people=(replace(S1, interview="not_interviewed"), S2, V3),
        crimes=(replace(CRIME, outcome_code="21"),),
        decisions=(Decision("P1", "cps", "cps_admin_finalised", "2015-01-01"),
                   Decision("P2", "police", "nfa_evidential", "2015-01-01", outcome_code="16")))
    flags = screen(flagged, RULES).red_flags
    assert any("Outcome 21" in f for f in flags)
    assert any("administratively finalised" in f for f in flags)
    assert any("P1 was never interviewed" in f for f in flags)
    assert any("outcome 16" in f for f in flags)
    recorded = replace(flagged, decisions=(Decision("P2", "police", "nfa_evidential",
                                                    "2015-01-01", "16", "Victim withdrew"),))
    assert not any("outcome 16" in f for f in screen(recorded, RULES).red_flags)
