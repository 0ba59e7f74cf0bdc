"""Relational evidence: who else two records' referrals name, weighed as one more comparison."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pytest

from beaconport.people import clusters, model, relational
from beaconport.people.linkage import Pair
from beaconport.people.relational import Factor, Membership

FIELDS = {"name": ("exact", 12.0), "date_of_birth": ("not recorded", 0.0)}


def _pair(left: str, right: str, probability: float, name: str = "exact") -> Pair:
    weight = math.log2(probability / (1 - probability))
    return Pair(left, right, probability, weight, {**FIELDS, "name": (name, 12.0)})


#: Referral R1 names suspects a1 (the namesake in question) and x1 and complainant c1; R2 names
#: suspects a2 and x2 and complainant c2; R3 names suspect a3 and someone else, y3.
MEMBERSHIP = {
    "a1": Membership("R1", "suspect"), "x1": Membership("R1", "suspect"),
    "c1": Membership("R1", "complainant"),
    "a2": Membership("R2", "suspect"), "x2": Membership("R2", "suspect"),
    "c2": Membership("R2", "complainant"),
    "a3": Membership("R3", "suspect"), "y3": Membership("R3", "suspect"),
}
FACTORS = {"suspect": Factor(0.35, 0.0001)}


def _persons(pairs: Sequence[Pair]) -> Mapping[str, str]:
    return clusters.cluster(list(MEMBERSHIP), [(p.left, p.right, p.probability)
                                               for p in pairs], threshold=0.9)[0]


def test_a_linked_co_suspect_in_both_referrals_lifts_a_namesake_pair_and_says_so() -> None:
    pairs = [_pair("x1", "x2", 0.99), _pair("a1", "a2", 0.6), _pair("a1", "a3", 0.6)]
    found = {(p.left, p.right): p for p in relational.corroborate(
        pairs, MEMBERSHIP, FACTORS, _persons, link_at=0.9)}
    lifted = found[("a1", "a2")]
    weight = math.log2(0.35 / 0.0001)
    assert lifted.probability >= 0.9
    assert lifted.weight == pytest.approx(pairs[1].weight + weight)
    label, bits = lifted.evidence["relational"]
    assert "another suspect linked as one person" in label and "x1" in label and "x2" in label
    assert bits == round(weight, 2)
    # R3 shares no linked person with R1: a little against, never a link.
    alone = found[("a1", "a3")]
    assert alone.probability < 0.6
    assert alone.evidence["relational"][1] == round(math.log2(0.65 / 0.9999), 2)
    # The pair linked on its fields is left as it was.
    assert found[("x1", "x2")] == pairs[0]


def test_roles_stay_distinct_and_a_surname_alone_is_not_enough() -> None:
    pairs = [_pair("x1", "x2", 0.99), _pair("a1", "c2", 0.6),
             _pair("a1", "a2", 0.6, name="same surname, another forename")]
    found = relational.corroborate(pairs, MEMBERSHIP, FACTORS, _persons, link_at=0.9)
    assert found == pairs, "a suspect and a complainant, or brothers: nothing applied"


def test_the_two_records_own_person_is_not_a_co_person() -> None:
    # a1 and x2 linked, a2 and x1 linked: R1 and R2 share persons, but each is one of the pair's.
    members = {"a1": Membership("R1", "suspect"), "x1": Membership("R1", "suspect"),
               "a2": Membership("R2", "suspect"), "x2": Membership("R2", "suspect")}
    referrals = relational.Referrals(members)
    person = {"a1": "P", "x2": "P", "a2": "Q", "x1": "Q"}
    assert referrals.shared("a1", "a2", person) is None
    assert referrals.shared("a1", "a2", {"x1": "Z", "x2": "Z"}) == ("x1", "x2")


def test_without_referrals_or_a_factor_nothing_changes() -> None:
    pairs = [_pair("x1", "x2", 0.99), _pair("a1", "a2", 0.6)]
    assert relational.corroborate(pairs, {}, FACTORS, _persons, link_at=0.9) == pairs
    assert relational.corroborate(pairs, MEMBERSHIP, {}, _persons, link_at=0.9) == pairs
    one_referral = {"a1": Membership("R1", "suspect"), "a2": Membership("R1", "suspect")}
    assert not relational.Referrals(one_referral).applies("a1", "a2")


def test_a_pair_below_the_floor_is_looked_at_only_where_the_referrals_share_a_person() -> None:
    pairs = [_pair("x1", "x2", 0.99)]
    low = {("a1", "a2"): _pair("a1", "a2", 0.02), ("a1", "a3"): _pair("a1", "a3", 0.02)}
    asked: list[tuple[str, str]] = []

    def below(wanted: list[tuple[str, str]]) -> list[Pair]:
        asked.extend(wanted)
        return [low[w] for w in wanted if w in low]

    found = {(p.left, p.right): p for p in relational.corroborate(
        pairs, MEMBERSHIP, FACTORS, _persons, link_at=0.9, below=below)}
    assert ("a1", "a2") in asked and ("a1", "a3") not in asked
    assert ("a1", "c2") not in asked, "only the same role"
    assert found[("a1", "a2")].probability >= 0.9
    assert ("a1", "a3") not in found


def test_a_link_made_in_one_round_corroborates_in_the_next() -> None:
    # R1 and R2 share x, so a1-a2 is lifted in round one; a (now a1, a2 and a3) then ties R1
    # and R3, so b1-b3 is lifted in round two.
    members = {"a1": Membership("R1", "suspect"), "x1": Membership("R1", "suspect"),
               "b1": Membership("R1", "suspect"),
               "a2": Membership("R2", "suspect"), "x2": Membership("R2", "suspect"),
               "a3": Membership("R3", "suspect"), "b3": Membership("R3", "suspect")}
    pairs = [_pair("x1", "x2", 0.99), _pair("a2", "a3", 0.95), _pair("a1", "a2", 0.6),
             _pair("b1", "b3", 0.6)]

    def persons(ps: Sequence[Pair]) -> Mapping[str, str]:
        return clusters.cluster(list(members), [(p.left, p.right, p.probability)
                                                for p in ps], threshold=0.9)[0]

    once = {(p.left, p.right): p for p in relational.corroborate(
        pairs, members, FACTORS, persons, link_at=0.9, rounds=1)}
    twice = {(p.left, p.right): p for p in relational.corroborate(
        pairs, members, FACTORS, persons, link_at=0.9, rounds=2)}
    assert once[("a1", "a2")].probability >= 0.9 and once[("b1", "b3")].probability < 0.9
    assert twice[("b1", "b3")].probability >= 0.9


def _columns(rows: list[tuple[str, str, int]]) -> dict[str, list[object]]:
    return {"unique_id": [r[0] for r in rows], "full_name": [r[1] for r in rows],
            "dob_year": [r[2] for r in rows], "dob": [f"{r[2]}-01-01" for r in rows]}


def test_m_and_u_are_counted_on_linked_pairs_and_on_namesakes_with_other_birthdays() -> None:
    membership: dict[str, Membership] = {}
    pairs, rows = [], []
    # 40 linked pairs across two referrals; half share a linked co-suspect.
    for i in range(40):
        for side in ("l", "r"):
            membership[f"p{i}{side}"] = Membership(f"R{i}{side}", "suspect")
            membership[f"q{i}{side}"] = Membership(f"R{i}{side}", "suspect")
        pairs.append(_pair(f"p{i}l", f"p{i}r", 0.99))
        if i % 2 == 0:
            pairs.append(_pair(f"q{i}l", f"q{i}r", 0.99))
    # 200 namesake pairs born 15 years apart, in other referrals, one sharing a person.
    for i in range(200):
        rows += [(f"n{i}l", f"john smith{i}", 1970), (f"n{i}r", f"john smith{i}", 1985)]
        for side in ("l", "r"):
            membership[f"n{i}{side}"] = Membership(f"S{i}{side}", "suspect")
            membership[f"o{i}{side}"] = Membership(f"S{i}{side}", "suspect")
    pairs.append(_pair("o0l", "o0r", 0.99))
    person = clusters.cluster(list(membership), [(p.left, p.right, p.probability)
                                                for p in pairs], threshold=0.9)[0]
    factors = relational.estimate(pairs, _columns(rows), membership, person, link_at=0.9)
    found = factors["suspect"]
    assert (found.linked, found.linked_sharing) == (61, 40)
    assert (found.namesakes, found.namesakes_sharing) == (200, 1)
    assert found.m == pytest.approx(relational.wilson(40, 61)[0])
    assert found.u == pytest.approx(relational.wilson(1, 200)[1])
    assert found.m < 40 / 61 and found.u > 1 / 200, "each at its cautious end"
    assert Factor.from_dict(found.as_dict()) == found


def test_too_few_pairs_to_count_on_give_no_factor() -> None:
    membership = {"a": Membership("R1", "suspect"), "b": Membership("R2", "suspect"),
                  "x": Membership("R1", "suspect"), "y": Membership("R2", "suspect")}
    assert relational.estimate([_pair("a", "b", 0.99)], _columns([]), membership,
                               {}, link_at=0.9) == {}


def test_the_wilson_interval_is_cautious_with_few_counts() -> None:
    low, high = relational.wilson(0, 100)
    assert low == pytest.approx(0.0, abs=1e-12) and 0.03 < high < 0.04
    low, high = relational.wilson(50, 100)
    assert low < 0.5 < high


def test_the_name_levels_it_reads_are_the_models_own() -> None:
    # The evidence is looked for only where the names agree, read by the name comparison's
    # level labels: a label renamed in the model must not silently switch it off.
    labels = {level["label_for_charts"] for level in model.NAME["comparison_levels"]}
    assert labels >= relational.NAME_AGREES
