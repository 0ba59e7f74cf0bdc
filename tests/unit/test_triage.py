"""Triage weights are checked completely, a score is the documented sum of its parts, and
allocation refuses a reviewer for every reason that applies."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

import pytest

from beaconport.errors import InvalidRequest
from beaconport.review import states as review_states
from beaconport.review import weights as w
from beaconport.review.eligibility import SKILLS, Case, Reviewer, needed_skills, refusals
from beaconport.review.triage import TriageFacts, prioritise
from beaconport.screening.criteria import youngest_age
from beaconport.screening.facts import Crime, Person


def _facts(**changes: Any) -> TriageFacts:
    base = TriageFacts(rape=False, youngest_complainant_age=None, suspects=2,
                       suspects_in_other_referrals=0, safeguarding_flags=0, red_flags=0,
                       years_since_decision=None)
    return dataclasses.replace(base, **changes)


def test_the_shipped_weights_read_back_to_the_same_document() -> None:
    weights = w.default()
    assert weights.version == "triage-1"
    assert set(weights.factors) == set(w.FACTORS)
    assert w.parse(json.loads(json.dumps(weights.document()))) == weights


def test_each_factor_scores_as_documented() -> None:
    weights = w.default()
    parts = {p.factor: p for p in prioritise(_facts(
        rape=True, youngest_complainant_age=12, suspects=10, suspects_in_other_referrals=1,
        safeguarding_flags=0, red_flags=2, years_since_decision=4), weights).parts}
    assert parts["rape"].points == 30 and parts["rape"].value == "yes"
    assert parts["youngest_complainant_age"].points == 25
    assert parts["suspects"].points == 24 and parts["suspects"].value == "10 (8 counted)"
    assert parts["suspects_in_other_referrals"].points == 8
    assert parts["safeguarding_flags"].points == 0
    assert parts["red_flags"].points == 12
    assert parts["years_since_decision"].points == 6


@pytest.mark.parametrize(("age", "points"), [(None, 10), (0, 25), (12, 25), (13, 15),
                                             (15, 15), (16, 5), (17, 5), (18, 0), (40, 0)])
def test_age_bands_give_the_first_band_the_age_is_under(age: int | None, points: int) -> None:
    priority = prioritise(_facts(youngest_complainant_age=age), w.default())
    assert priority.parts[1].points == points


def test_the_score_is_the_sum_of_its_parts_and_names_its_weights() -> None:
    priority = prioritise(_facts(rape=True, suspects=3, years_since_decision=1), w.default())
    assert priority.score == sum(p.points for p in priority.parts) == 30 + 10 + 9 + 10
    assert priority.weights == "triage-1"
    assert [p["factor"] for p in priority.breakdown()] == list(w.FACTORS)


def test_the_facts_scored_hold_nothing_about_ethnicity_or_nationality() -> None:
    names = {f.name for f in dataclasses.fields(TriageFacts)}
    assert not {n for n in names if "ethnic" in n or "national" in n or "relig" in n}
    assert names == set(w.FACTORS)


def test_a_document_naming_ethnicity_is_refused_with_every_other_problem() -> None:
    document = w.default().document()
    document["version"] = "Triage 2!"
    document["factors"]["ethnicity"] = {"points": 5}
    document["factors"]["nationality"] = {"points": 5}
    del document["factors"]["rape"]
    document["factors"]["suspects"] = {"each": -1, "most": "eight"}
    document["factors"]["years_since_decision"]["bands"] = [
        {"under": 7, "points": 1}, {"under": 3, "points": 2}]
    with pytest.raises(w.InvalidWeights) as caught:
        w.parse(document)
    problems = caught.value.problems
    assert any("'version'" in p for p in problems)
    assert any("'ethnicity' can never be a triage factor" in p for p in problems)
    assert any("'nationality' can never be a triage factor" in p for p in problems)
    assert any("Factor 'rape' is missing" in p for p in problems)
    assert sum("Factor 'suspects' needs" in p for p in problems) == 2
    assert any("bands' 'under' values must rise" in p for p in problems)


@pytest.mark.parametrize(("text", "expected"), [
    ("not json", "not valid JSON"),
    ("[]", "must be a JSON object"),
    ('{"version": "t-2", "factors": {"speed": {"points": 1}}}', "'speed' is not a triage factor"),
])
def test_malformed_documents_are_explained(text: str, expected: str) -> None:
    with pytest.raises(w.InvalidWeights) as caught:
        w.parse_text(text)
    assert any(expected in p for p in caught.value.problems)


# -- Who may review a case ---------------------------------------------------------------------

def _reviewer(**changes: Any) -> Reviewer:
    base = Reviewer(username="r1", display_name="R One", reviewing_role=True, active=True,
                    capacity=3, carrying=0, skills=frozenset(SKILLS), vetting="NPPV3",
                    vetting_expires_on=date(2030, 1, 1), served_forces=frozenset())
    return dataclasses.replace(base, **changes)


CASE = Case(force_code="E23000010", force_name="West Yorkshire Police", rape=True,
            youngest_complainant_age=12, suspects=6, suspects_in_other_referrals=0)
TODAY = date(2026, 11, 29)


def test_a_reviewer_with_everything_the_case_needs_may_take_it() -> None:
    assert refusals(_reviewer(), CASE, TODAY) == []
    assert needed_skills(CASE) == ["rape", "child", "complex"]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"served_forces": frozenset({"E23000010"})}, "served in West Yorkshire Police"),
    ({"carrying": 3}, "already carry 3 cases, their capacity"),
    ({"vetting": "NPPV2"}, "below the NPPV3"),
    ({"vetting_expires_on": date(2026, 11, 28)}, "expired on 28 November 2026"),
    ({"skills": frozenset({"rape"})}, "needs skills they do not have: child abuse"),
    ({"reviewing_role": False}, "do not hold the reviewer"),
    ({"active": False}, "disabled"),
    ({"vetting": None}, "no reviewer profile"),
])
def test_each_refusal_is_explained(changes: dict[str, Any], expected: str) -> None:
    found = refusals(_reviewer(**changes), CASE, TODAY)
    assert any(expected in reason for reason in found), found


def test_a_declared_conflict_refuses_only_that_reviewer() -> None:
    case = dataclasses.replace(CASE, declared_conflicts=frozenset({"r1"}))
    assert any("declared one" in r for r in refusals(_reviewer(), case, TODAY))
    assert refusals(_reviewer(username="r2"), case, TODAY) == []


def test_youngest_age_from_the_force_or_the_dates() -> None:
    crime = Crime("C1", "SOA2003", "s5", True, "2013-06", "2013-12", None, None, ("P3",))
    given = Person("P3", "complainant", age_at_first_offence=14, date_of_birth="1999")
    assert youngest_age(given, [crime]) == 14
    born = Person("P3", "complainant", date_of_birth="2000-07-15")
    assert youngest_age(born, [crime]) == 12  # June 2013, before the July birthday
    year_only = Person("P3", "complainant", date_of_birth="2000")
    assert youngest_age(year_only, [crime]) == 12  # born as late as December 2000
    assert youngest_age(Person("P3", "complainant"), [crime]) is None


# -- The review's stands -------------------------------------------------------------------

@pytest.mark.parametrize(("state", "action", "expected"), [
    ("in-progress", "submit", "submitted"),
    ("submitted", "sign-off", "signed-off"),
    ("submitted", "return", "in-progress"),
])
def test_each_move_in_the_table_leads_where_it_says(state: str, action: str,
                                                    expected: str) -> None:
    assert review_states.after(state, action) == expected


@pytest.mark.parametrize(("state", "action", "message"), [
    ("in-progress", "sign-off", "cannot sign it off: you can submit it for quality assurance"),
    ("signed-off", "return", "nothing more happens to it here"),
    ("submitted", "submit", "you can sign it off or return it to the reviewer"),
])
def test_a_move_not_in_the_table_is_refused_with_what_can_happen(
        state: str, action: str, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message):
        review_states.after(state, action)


def test_every_state_but_the_last_has_a_way_on() -> None:
    for state in review_states.LABELS:
        assert review_states.allowed(state) or state == review_states.SIGNED_OFF
