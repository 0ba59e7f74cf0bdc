"""The synthetic referral generator: deterministic, valid, realistic, truthful about itself."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from beaconport.demo import truth
from beaconport.demo.dates import interval
from beaconport.demo.forces import SCOTLAND, canonical_force
from beaconport.demo.generator import GeneratedSet, generate, write_set, write_truth
from beaconport.demo.people import new_name
from beaconport.demo.rand import StableRandom

REFERRAL_KEYS = ("format", "force", "force_reference", "referred_on", "referring_officer",
                 "summary", "crimes", "people", "decisions", "previous_reviews")
CRIME_KEYS = ("crime_reference", "recorded_on", "offence", "offence_period", "complainants",
              "suspects", "outcome_code")
PERSON_KEYS = ("id", "role", "forenames", "surname", "aliases", "date_of_birth", "sex",
               "age_at_first_offence", "nationality", "ethnicity", "alive_status",
               "alive_status_checked_on", "addresses", "identifiers", "interview", "arrested",
               "review_support", "review_support_recorded_on")
DECISION_KEYS = ("suspect", "crime", "decided_by", "decision", "outcome_code", "decided_on",
                 "reason")
SEXES = {"male", "female", "other", "unknown"}
ALIVE = {"believed_alive", "deceased", "unknown"}
SUPPORT = {"supports", "declines", "undecided", "not_yet_approached", "uncontactable",
           "approach_unsafe", "deceased"}
INTERVIEWS = {"under_caution", "voluntary", "not_interviewed", "unknown"}
DECISIONS = {"nfa_evidential", "nfa_public_interest", "nfa_other", "cps_admin_finalised",
             "charged", "out_of_court_disposal", "transferred", "other"}
OUTCOMES = {"1", "9", "10", "15", "16", "17", "21", "22", "PRE13-UND", "PRE13-NSD"}
ETHNICITY_CODES = {
    "SDE18+1": {"W1", "W2", "W3", "W9", "M1", "M2", "M3", "M9", "A1", "A2", "A3", "A4", "A9",
                "B1", "B2", "B9", "O2", "O9", "NS"},
    "SDE16+1": {"W1", "W2", "W9", "M1", "M2", "M3", "M9", "A1", "A2", "A3", "A9", "B1", "B2",
                "B9", "O1", "O9", "NS"},
    "IC6+1": {"IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "IC9", "IC0"},
}
BASES = {"self_defined", "officer_observed", "third_party"}
NATIONALITY = re.compile(r"[A-Z]{2}|UNKNOWN|STATELESS")
PNC = re.compile(r"[0-9]{2}/[0-9]{6}[A-Z]")
FRAMEWORK = date(2013, 4, 1)
SOA2003_START = date(2004, 5, 1)


@pytest.fixture(scope="module")
def demo() -> GeneratedSet:
    return generate(1273, 1)


def _text(generated: GeneratedSet) -> str:
    return json.dumps({"documents": generated.documents, "truth": generated.truth})


def _in_order(keys: list[str], order: tuple[str, ...]) -> bool:
    """Every key is one the format defines, in the order of the format's example."""
    positions = [order.index(k) for k in keys if k in order]
    return len(positions) == len(keys) and positions == sorted(positions)


def _dates_ok(value: Any) -> bool:
    return interval(value) is not None


# -- determinism ------------------------------------------------------------------------------
def test_the_same_seed_gives_byte_identical_output(demo: GeneratedSet) -> None:
    assert _text(generate(1273, 1)) == _text(demo)
    assert _text(generate(60, 9, forces=5, invalid=6)) == _text(generate(60, 9, forces=5,
                                                                         invalid=6))


def test_another_seed_gives_other_output(demo: GeneratedSet) -> None:
    assert _text(generate(1273, 2)) != _text(demo)


def test_adding_invalid_referrals_leaves_the_valid_ones_alone() -> None:
    plain, extra = generate(80, 4), generate(80, 4, invalid=6)
    assert json.dumps(extra.documents[:80]) == json.dumps(plain.documents)
    assert extra.truth["screening"] == plain.truth["screening"]


# -- shape ------------------------------------------------------------------------------------
def test_counts_forces_and_rape_share(demo: GeneratedSet) -> None:
    assert len(demo.documents) == 1273 == demo.truth["referrals"]
    screening = demo.truth["screening"]
    assert len(screening) == 1273
    territorial = {s["force"] for s in screening} - {SCOTLAND}
    assert len(territorial) == 23
    assert all(re.fullmatch(r"[EW]23000[0-9]{3}|W15000[0-9]{3}", f) for f in territorial)
    rape = sum(s["involves_rape"] for s in screening) / len(screening)
    assert 0.15 <= rape <= 0.21
    scotland = sum(s["force"] == SCOTLAND for s in screening)
    assert 0 < scotland < 20


def test_forces_are_written_as_codes_or_allowed_names(demo: GeneratedSet) -> None:
    written = Counter(d["force"] == s["force"]
                      for d, s in zip(demo.documents, demo.truth["screening"], strict=True))
    assert written[True] > written[False] > 0
    for document, entry in zip(demo.documents, demo.truth["screening"], strict=True):
        assert canonical_force(document["force"]) == entry["force"]


def test_every_document_is_structurally_valid(demo: GeneratedSet) -> None:
    references: set[tuple[str, str]] = set()
    for document in demo.documents:
        _check_document(document)
        key = (canonical_force(document["force"]) or "", document["force_reference"])
        assert key not in references, key
        references.add(key)


def _check_document(doc: dict[str, Any]) -> None:
    assert _in_order(list(doc), REFERRAL_KEYS)
    assert doc["format"] == "beaconport.referral/1"
    assert canonical_force(doc["force"]) is not None
    ref = doc["force_reference"]
    assert 1 <= len(ref) <= 64 and ref.isprintable()
    assert date(2025, 11, 1) <= date.fromisoformat(doc["referred_on"]) <= date(2026, 10, 31)
    assert len(doc.get("summary", "")) <= 4000
    assert doc["crimes"] and doc["people"] and doc["decisions"]
    roles = {p["id"]: p["role"] for p in doc["people"]}
    assert len(roles) == len(doc["people"]), "person ids must be unique"
    crimes = {c["crime_reference"]: c for c in doc["crimes"]}
    assert len(crimes) == len(doc["crimes"]), "crime references must be unique"
    for person in doc["people"]:
        _check_person(person)
    for crime in doc["crimes"]:
        assert _in_order(list(crime), CRIME_KEYS)
        assert _dates_ok(crime["recorded_on"])
        assert all(roles.get(pid) == "complainant" for pid in crime["complainants"])
        assert all(roles.get(pid) == "suspect" for pid in crime["suspects"])
        assert crime.get("outcome_code", "1") in OUTCOMES
        offence = crime["offence"]
        assert offence["scheme"] in ("SOA2003", "SOA1956", "HOCODE", "OTHER") and offence["code"]
        period = crime.get("offence_period")
        if period:
            start, end = interval(period["from"]), interval(period["to"])
            assert start is not None and end is not None and start[0] <= end[1]
            if offence["scheme"] == "SOA1956":
                assert end[1] < SOA2003_START
            if offence["scheme"] in ("SOA2003", "HOCODE"):
                assert start[0] >= SOA2003_START
    pairs = set()
    for decision in doc["decisions"]:
        assert _in_order(list(decision), DECISION_KEYS)
        assert roles.get(decision["suspect"]) == "suspect"
        assert decision["crime"] in crimes
        assert decision["suspect"] in crimes[decision["crime"]]["suspects"]
        pair = (decision["suspect"], decision["crime"])
        assert pair not in pairs
        pairs.add(pair)
        assert decision["decided_by"] in ("police", "cps")
        assert decision["decision"] in DECISIONS
        outcome = decision["outcome_code"]
        assert outcome in OUTCOMES
        when = interval(decision.get("decided_on"))
        if "decided_on" in decision:
            assert when is not None
        if when and when[1] < FRAMEWORK:
            assert outcome.startswith("PRE13")
        if when and when[0] >= FRAMEWORK:
            assert not outcome.startswith("PRE13")
        if when and outcome == "21":
            assert when[0] >= date(2016, 1, 1)
        if when and outcome == "22":
            assert when[0] >= date(2019, 4, 1)
        if outcome == "1":
            assert decision["decision"] == "charged"
        recorded = interval(crimes[decision["crime"]]["recorded_on"])
        if when and recorded:
            assert recorded[0] <= when[1]
    for review in doc.get("previous_reviews", []):
        assert list(review) == ["by", "completed_on", "reference", "outcome"]
        assert _dates_ok(review["completed_on"])


def _check_person(person: dict[str, Any]) -> None:
    assert _in_order(list(person), PERSON_KEYS)
    assert person["role"] in ("suspect", "complainant", "witness")
    assert person["sex"] in SEXES
    assert person.get("surname")
    for key in ("date_of_birth", "alive_status_checked_on", "review_support_recorded_on"):
        if key in person:
            assert _dates_ok(person[key]), (key, person[key])
    assert person.get("alive_status", "unknown") in ALIVE
    if person["role"] != "suspect":
        assert "interview" not in person and "arrested" not in person
    if person["role"] != "complainant":
        assert "review_support" not in person and "age_at_first_offence" not in person
    assert person.get("review_support", "supports") in SUPPORT
    assert person.get("interview", "unknown") in INTERVIEWS
    assert isinstance(person.get("arrested", False), bool)
    for alias in person.get("aliases", []):
        assert alias and set(alias) <= {"forenames", "surname", "nickname"}
    for code in person.get("nationality", []):
        assert NATIONALITY.fullmatch(code)
    for seen in person.get("ethnicity", []):
        assert seen["basis"] in BASES
        if seen["scheme"] in ETHNICITY_CODES:
            assert seen["code"] in ETHNICITY_CODES[seen["scheme"]]
        else:
            assert seen["scheme"] in ("CENSUS2021", "FREE_TEXT")
            assert seen["label"] and "code" not in seen
    for identifier in person.get("identifiers", []):
        assert identifier["type"] == "PNC" and PNC.fullmatch(identifier["value"])
    for address in person.get("addresses", []):
        assert address["line"] and set(address) <= {"line", "postcode", "from", "to"}


# -- ground truth -----------------------------------------------------------------------------
def test_every_person_record_is_in_the_truth_exactly_once(demo: GeneratedSet) -> None:
    in_documents = Counter(
        (s["force"], d["force_reference"], p["id"])
        for d, s in zip(demo.documents, demo.truth["screening"], strict=True)
        for p in d["people"])
    in_truth = Counter((r["force"], r["force_reference"], r["person_id"])
                       for person in demo.truth["persons"] for r in person["records"])
    assert in_truth == in_documents
    assert max(in_truth.values()) == 1
    entities = [p["entity"] for p in demo.truth["persons"]]
    assert len(entities) == len(set(entities)) and all(p["records"] for p in demo.truth["persons"])


def test_screening_truth_is_what_the_rules_decide(demo: GeneratedSet) -> None:
    for document, entry in zip(demo.documents, demo.truth["screening"], strict=True):
        assert entry == truth.decide(document)
        assert entry["force_reference"] == document["force_reference"]


def test_every_outcome_and_every_failure_occurs(demo: GeneratedSet) -> None:
    screening = demo.truth["screening"]
    outcomes = Counter(s["decision"] for s in screening)
    assert set(outcomes) == {"eligible", "needs_information", "ineligible"}
    assert 0.40 <= outcomes["eligible"] / 1273 <= 0.60
    assert 0.15 <= outcomes["needs_information"] / 1273 <= 0.35
    assert 0.15 <= outcomes["ineligible"] / 1273 <= 0.35
    failed = {c for s in screening for c in s["failed"]}
    assert failed == set(truth.CRITERIA)
    unknown = {c for s in screening for c in s["unknown"]}
    assert unknown == {"nfa_in_window", "suspects_alive", "victim_support", "child_complainant",
                       "sexual_offence"}
    for s in screening:
        assert s["failed"] == [c for c in truth.CRITERIA if c in s["failed"]]


def _suspect_records(demo: GeneratedSet) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    docs = {(s["force"], d["force_reference"]): d
            for d, s in zip(demo.documents, demo.truth["screening"], strict=True)}
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for person in demo.truth["persons"]:
        for r in person["records"]:
            doc = docs[(r["force"], r["force_reference"])]
            record = next(p for p in doc["people"] if p["id"] == r["person_id"])
            if record["role"] == "suspect":
                found.setdefault(person["entity"], []).append((r["force"], record))
    return found


def test_suspects_recur_across_referrals_and_forces(demo: GeneratedSet) -> None:
    suspects = _suspect_records(demo)
    records = [rec for recs in suspects.values() for rec in recs]
    recurring = sum(len(recs) for recs in suspects.values() if len(recs) > 1)
    assert 0.2 <= recurring / len(records) <= 0.4
    assert any(len({force for force, _ in recs}) >= 2 for recs in suspects.values())


def test_a_suspect_arrested_has_a_pnc_id_and_it_stays_theirs(demo: GeneratedSet) -> None:
    """An arrest for a recordable offence makes a PNC record; a referral carries the ID three
    times in four."""
    arrested = carrying = 0
    for records in _suspect_records(demo).values():
        ids = {i["value"] for _, rec in records for i in rec.get("identifiers", [])}
        assert len(ids) <= 1
        for _, rec in records:
            if rec.get("arrested"):
                arrested += 1
                carrying += bool(rec.get("identifiers"))
    assert 0.65 <= carrying / arrested <= 0.85


def test_names_have_a_long_tail_and_most_people_no_namesake() -> None:
    """Drawn from short lists alone, every surname was commoner than Smith is in England and
    Wales, every British girl's forename commoner than any real cohort's commonest, and four
    people in five among 20,000 had a namesake."""
    rng = StableRandom(3)
    drawn = [new_name(rng, "male" if rng.random() < 0.6 else "female", False)
             for _ in range(20_000)]
    surnames = Counter(surname for _, surname in drawn)
    forenames = Counter(forenames[0] for forenames, _ in drawn)
    full_names = Counter((forenames[0], surname) for forenames, surname in drawn)
    assert surnames.most_common(1)[0][1] / len(drawn) < 0.025
    assert len(surnames) > 2000
    assert forenames.most_common(1)[0][1] / len(drawn) < 0.015
    assert len(forenames) > 500
    assert sum(n for n in full_names.values() if n > 1) / len(drawn) < 0.35


def test_ethnicity_is_missing_for_about_two_thirds_of_suspect_records(demo: GeneratedSet) -> None:
    records = [rec for recs in _suspect_records(demo).values() for _, rec in recs]
    missing = sum(not rec.get("ethnicity") for rec in records) / len(records)
    assert 0.55 <= missing <= 0.75


def test_groups_recur_together(demo: GeneratedSet) -> None:
    groups = demo.truth["groups"]
    assert groups
    docs = {(s["force"], d["force_reference"]): d
            for d, s in zip(demo.documents, demo.truth["screening"], strict=True)}
    owner = {(r["force"], r["force_reference"], r["person_id"]): p["entity"]
             for p in demo.truth["persons"] for r in p["records"]}
    for group in groups:
        assert 2 <= len(group["entities"]) <= 8 and len(group["referrals"]) >= 2
        for force, ref in group["referrals"]:
            suspects = [owner[(force, ref, p["id"])] for p in docs[(force, ref)]["people"]
                        if p["role"] == "suspect"]
            assert len(set(suspects) & set(group["entities"])) >= 2


# -- invalid referrals ------------------------------------------------------------------------
def test_invalid_referrals_carry_exactly_the_listed_error() -> None:
    generated = generate(40, 3, invalid=12)
    assert len(generated.documents) == 52
    listed = generated.truth["invalid"]
    errors = ("invalid_date", "unknown_person_ref", "unknown_code", "duplicate_person_id",
              "missing_field", "unknown_force")
    assert Counter(e["expected_errors"][0] for e in listed) == Counter(dict.fromkeys(errors, 2))
    for entry in listed:
        doc = generated.documents[entry["document"]]
        error = entry["expected_errors"][0]
        ids = [p["id"] for p in doc["people"]]
        if error == "invalid_date":
            assert any(not _dates_ok(v) for v in _date_values(doc))
        elif error == "unknown_person_ref":
            assert any(pid not in ids for c in doc["crimes"] for pid in c["suspects"])
        elif error == "unknown_code":
            assert "99" in json.dumps(doc)
        elif error == "duplicate_person_id":
            assert len(ids) != len(set(ids))
        elif error == "missing_field":
            assert "force_reference" not in doc and entry["force_reference"] is None
        else:
            assert canonical_force(doc["force"]) is None and entry["force"] == doc["force"]


def _date_values(doc: dict[str, Any]) -> list[Any]:
    values = [doc["referred_on"]]
    values += [c["recorded_on"] for c in doc["crimes"]]
    values += [d["decided_on"] for d in doc["decisions"] if "decided_on" in d]
    values += [p["date_of_birth"] for p in doc["people"] if "date_of_birth" in p]
    return values


# -- writing ----------------------------------------------------------------------------------
def test_write_truth_and_write_set_round_trip(tmp_path: Path) -> None:
    generated = generate(30, 5, invalid=6)
    write_truth(generated.truth, tmp_path / "mine.json")
    expected = json.loads(json.dumps(generated.truth))
    assert json.loads((tmp_path / "mine.json").read_text(encoding="utf-8")) == expected
    write_set(tmp_path, 30, 5, invalid=6)
    assert json.loads((tmp_path / "truth.json").read_text(encoding="utf-8")) == expected
    lines = (tmp_path / "referrals.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == generated.documents


# -- the rules, at their edges ----------------------------------------------------------------
def _nfa(decided_on: str | None) -> list[dict[str, Any]]:
    decision: dict[str, Any] = {"decided_by": "police", "decision": "nfa_evidential"}
    if decided_on:
        decision["decided_on"] = decided_on
    return [decision]


@pytest.mark.parametrize(("decided_on", "verdict"), [
    ("2010", "pass"), ("2025-03", "pass"), ("2025-03-31", "pass"), ("2025", "unknown"),
    (None, "unknown"), ("2009", "fail"), ("2009-12-31", "fail"), ("2025-04", "fail"),
])
def test_nfa_window_treats_partial_dates_as_intervals(decided_on: str | None,
                                                       verdict: str) -> None:
    assert truth.nfa_in_window(_nfa(decided_on)) == verdict


def test_a_charge_is_not_an_nfa() -> None:
    charged = [{"decided_by": "cps", "decision": "charged", "decided_on": "2015-01-01"}]
    assert truth.nfa_in_window(charged) == "fail"


@pytest.mark.parametrize(("states", "verdict"), [
    (["believed_alive", "believed_alive"], "pass"), (["believed_alive", "unknown"], "unknown"),
    (["believed_alive", None], "unknown"), (["believed_alive", "deceased"], "fail"),
    (["believed_alive"], "fail"),
])
def test_suspects_alive(states: list[str | None], verdict: str) -> None:
    suspects = [{"alive_status": s} if s else {} for s in states]
    assert truth.suspects_alive(suspects) == verdict


@pytest.mark.parametrize(("states", "verdict"), [
    (["declines", "supports"], "pass"), (["declines", "deceased"], "fail"), ([], "fail"),
    (["declines", "not_yet_approached"], "unknown"), ([None], "unknown"),
])
def test_victim_support(states: list[str | None], verdict: str) -> None:
    complainants = [{"review_support": s} if s else {} for s in states]
    assert truth.victim_support(complainants) == verdict


@pytest.mark.parametrize(("person", "start", "verdict"), [
    ({"age_at_first_offence": 14}, "2013", "pass"),
    ({"age_at_first_offence": 18}, "2013", "fail"),
    ({"date_of_birth": "1999"}, "2013-06", "pass"),  # 13 or 14
    ({"date_of_birth": "1995"}, "2013", "unknown"),  # 17 or 18
    ({"date_of_birth": "1995-06-30"}, "2013-06", "unknown"),
    ({"date_of_birth": "1995-06-30"}, "2013-07", "fail"),
    ({"date_of_birth": "1995-06-30"}, "2013-05", "pass"),
    ({}, "2013", "unknown"),
])
def test_child_complainant_from_age_or_dates(person: dict[str, Any], start: str,
                                             verdict: str) -> None:
    crimes = [{"complainants": ["P1"], "offence_period": {"from": start, "to": "2014"}}]
    assert truth.child_complainant([{"id": "P1", **person}], crimes) == verdict


@pytest.mark.parametrize(("offences", "verdict", "rape"), [
    ([("SOA2003", "s9")], "pass", False), ([("SOA2003", "s5")], "pass", True),
    ([("HOCODE", "19D"), ("OTHER", "MDA1971 s4")], "pass", True),
    ([("SOA1956", "s1")], "pass", True), ([("OTHER", "PCA1978 s1")], "pass", False),
    ([("OTHER", "CAA1984 s2"), ("OTHER", "OAPA1861 s47")], "fail", False),
    ([("OTHER", "XYZ s12"), ("OTHER", "MDA1971 s4")], "unknown", False),
])
def test_sexual_offence_and_rape(offences: list[tuple[str, str]], verdict: str,
                                 rape: bool) -> None:
    crimes = [{"offence": {"scheme": s, "code": c}} for s, c in offences]
    assert truth.sexual_offence(crimes) == verdict
    assert truth.involves_rape(crimes) is rape


def test_police_scotland_is_out_of_scope(demo: GeneratedSet) -> None:
    scottish = [s for s in demo.truth["screening"] if s["force"] == SCOTLAND]
    assert scottish and all("force_in_scope" in s["failed"] for s in scottish)
    assert all(s["decision"] == "ineligible" for s in scottish)
