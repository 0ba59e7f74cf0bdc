"""Names, dates and postcodes as linkage compares them, and records joined into persons."""

from __future__ import annotations

import csv
import itertools
import math
import random
import string
from collections import Counter
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from beaconport.people import clusters, linkage, model, names
from beaconport.people.prepare import (
    Alias,
    PersonInput,
    address_line,
    dob_parts,
    postcode,
    prepare,
)


@pytest.mark.parametrize(("written", "normalised"), [
    ("  O'BRIEN ", "obrien"), ("Smith-Jones", "smith jones"), ("Mr John  SMITH", "john smith"),
    ("José Müller", "jose muller"), ("DS A. Example", "a example"), ("", ""), (None, ""),
    ("---", ""),
])
def test_normalising_takes_out_what_carries_no_meaning(written: str | None,
                                                      normalised: str) -> None:
    assert names.normalise(written) == normalised


@pytest.mark.parametrize(("a", "b"), [
    ("Mohammed", "Muhammad"), ("MOHAMMAD", "muhammed"), ("Hussain", "Hussein"),
    ("Bob", "Robert"), ("Bill", "William"), ("Yousef", "Yusuf"), ("Chowdhury", "Choudhury"),
    ("Javaid", "Javed"), ("Kasim", "Qasim"), ("Nuri", "Noori"), ("Józef", "Josef"),
])
def test_variants_and_nicknames_share_a_canonical_form(a: str, b: str) -> None:
    assert names.canonical_key(a) == names.canonical_key(b)


def test_each_spelling_in_the_variants_table_belongs_to_one_name() -> None:
    source = resources.files("beaconport.people").joinpath("data/name_variants.csv")
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    variants = Counter(names.key(row["variant"]) for row in rows)
    canonicals = {names.key(row["canonical"]) for row in rows}
    assert [v for v, n in variants.items() if n > 1] == []
    assert sorted(canonicals & set(variants)) == []


def test_unknown_names_are_their_own_canonical_form() -> None:
    assert names.canonical_key("Zebedee") == "zebedee"
    assert names.canonical_key("Smith-Jones") == names.canonical_key("Smith Jones")


@pytest.mark.parametrize(("text", "parts"), [
    ("1980-05-02", ("1980-05-02", "1980-02-05", 1980, 5, 2)),
    ("1980-05-13", ("1980-05-13", None, 1980, 5, 13)),  # 13 cannot be a month
    ("1980-05-05", ("1980-05-05", None, 1980, 5, 5)),  # swapping changes nothing
    ("1980-05", (None, None, 1980, 5, None)),
    ("1980", (None, None, 1980, None, None)),
    ("02/05/1980", (None, None, None, None, None)),
    (None, (None, None, None, None, None)),
])
def test_dates_of_birth_split_into_what_is_known(text: str | None,
                                                 parts: tuple[object, ...]) -> None:
    assert dob_parts(text) == parts


def test_postcodes_compact_with_their_district() -> None:
    assert postcode("ls1 4ap") == ("LS14AP", "LS1")
    assert postcode("EC2V 7HH") == ("EC2V7HH", "EC2V")
    assert postcode("2119") == ("2119", None)  # another country's: compared whole
    assert postcode(" - ") is None


def test_prepared_records_carry_no_ethnicity_and_name_every_alias() -> None:
    columns = prepare([PersonInput("r1", "John Paul", "Smith",
                                   (Alias("JP", "Smith"), Alias(nickname="Smudge")),
                                   "1980-05-02", "Male", ("LS1 4AP",), ("1 Example St",),
                                   "12/345678A")])
    assert not any("ethnic" in c or "national" in c for c in columns)
    assert columns["names"] == [["john|smith", "jp|smith"]]
    assert columns["nicknames"] == [["smudge"]]
    assert columns["fn_all"] == ["john paul"] and columns["sex"] == ["male"]
    assert columns["pnc"] == ["12345678A"] and columns["districts"] == [["LS1"]]


def test_address_lines_are_compared_by_their_words_and_numbers() -> None:
    assert address_line("Flat 2, 60 Juniper St.") == "flat 2 60 juniper street"
    assert address_line("60 JUNIPER STREET") == "60 juniper street"
    columns = prepare([PersonInput("r1", addresses=("60 Juniper St, Flat 2",)),
                       PersonInput("r2")])
    assert columns["address_words"] == [["2", "60", "flat", "juniper", "street"], None]
    assert columns["address_number"] == ["2 60", None]


def _level(comparison: dict[str, Any], left: PersonInput, right: PersonInput) -> str:
    """The label of the level two records fall in, by the comparison's own SQL in DuckDB."""
    import duckdb

    connection = duckdb.connect()
    table = linkage._table(prepare([left, right]))
    connection.register("records", table)
    pairs = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in table.column_names)
    cases = " ".join(f"WHEN {lv['sql_condition']} THEN '{lv['label_for_charts']}'"
                     for lv in comparison["comparison_levels"]
                     if lv["sql_condition"] != "ELSE")
    found = connection.execute(
        f"SELECT CASE {cases} ELSE 'else' END FROM (SELECT {pairs} FROM records l, records r "
        f"WHERE l.unique_id = '{left.record_id}' AND r.unique_id = '{right.record_id}')"
    ).fetchone()
    connection.close()
    assert found is not None
    return str(found[0])


def test_a_name_spelt_closely_is_a_typo_or_two_not_a_shared_beginning() -> None:
    def level(a: str, b: str) -> str:
        return _level(model.NAME, PersonInput("a", a, "Orchard"), PersonInput("b", b, "Orchard"))
    close = "one part the same, the other spelt closely"
    assert level("Madisoen", "Madison") == close
    assert level("Jacina", "Jacinta") == close
    # Jaro-Winkler alone puts these above 0.88: they share a beginning, not a spelling.
    assert level("Charlotte", "Charles") != close


def test_a_date_of_birth_m_is_trained_only_where_a_date_is_partial() -> None:
    trained = {level["label_for_charts"] for level in model.DATE_OF_BIRTH["comparison_levels"]
               if not level.get("is_null_level") and not level.get("fix_m_probability")}
    assert trained == {"the same partial date", "consistent, one partial"}


def test_different_middle_names_are_their_own_level() -> None:
    def level(a: str, b: str) -> str:
        return _level(model.NAME, PersonInput("a", a, "Shaw"), PersonInput("b", b, "Shaw"))
    assert level("David Jason", "David Robert") == "same name, another middle name"
    assert level("David Jason", "David J") == "exact"  # an initial agrees
    assert level("David Jason", "David") == "exact"  # left out
    assert level("David Jason", "David Jason") == "exact, middle names too"
    assert level("Dave Jason", "David Robert") == "same name, another middle name"


def _blocked(left: PersonInput, right: PersonInput) -> bool:
    """Whether any blocking rule makes the two records a candidate pair (either way round)."""
    import duckdb

    connection = duckdb.connect()
    connection.register("records", linkage._table(prepare([left, right])))
    rules = " OR ".join(f"coalesce({rule}, false)" for rule in model.BLOCKING)
    found = connection.execute(
        f"SELECT count(*) FROM records l, records r WHERE l.unique_id <> r.unique_id AND ({rules})"
    ).fetchone()
    connection.close()
    return bool(found and found[0])


def test_a_typo_or_a_mistyped_year_with_nothing_else_to_meet_on_is_still_compared() -> None:
    assert _blocked(PersonInput("a", "Jozfe", "Popescu"), PersonInput("b", "Jozef", "Popescu"))
    assert _blocked(PersonInput("a", "Catrni Bethan", "Price"),
                    PersonInput("b", "Catrin Bethan", "Price", date_of_birth="1971-05-11"))
    assert _blocked(PersonInput("a", "Catrin", "Pritchrad"),
                    PersonInput("b", "Catrin", "Pritchard", postcodes=("CF10 1AA",)))
    assert _blocked(PersonInput("a", "Jack", "Edwwards", date_of_birth="1964-09-06"),
                    PersonInput("b", "Jack", "Edwards", date_of_birth="1963-09-06"))
    assert _blocked(PersonInput("a", "M", "Parker", date_of_birth="1960-03-28"),
                    PersonInput("b", "Michael", "Parkar", date_of_birth="1960-03-28"))
    assert not _blocked(PersonInput("a", "Paul", "Shaw", date_of_birth="1960-03-28"),
                        PersonInput("b", "Mark", "Lee", date_of_birth="1971-05-11"))


def test_a_compound_surname_kept_in_part_is_its_own_level() -> None:
    part = "same forename, a surname part in common"
    assert _level(model.NAME, PersonInput("a", "Paul", "Ackroyd-Greenwood"),
                  PersonInput("b", "PAUL", "GREENWOOD")) == part
    assert _level(model.NAME, PersonInput("a", "Mohammed Ali", "Khan"),
                  PersonInput("b", "Muhammad", "Ali Khan")) == part
    assert _level(model.NAME, PersonInput("a", "Paul", "Ackroyd"),
                  PersonInput("b", "Paul", "Greenwood")) == "same forename, another surname"


def _trained(name: dict[str, float], born: dict[str, float]) -> dict[str, Any]:
    levels = [{"label_for_charts": label, "m_probability": m} for label, m in name.items()]
    dates = [{"label_for_charts": label, "m_probability": m} for label, m in born.items()]
    return {"probability_two_random_records_match": 0.001, "comparisons": [
        {"output_column_name": "name", "comparison_levels": levels},
        {"output_column_name": "date_of_birth", "comparison_levels": dates}]}


def test_the_deterministic_rules_recall_comes_from_the_trained_model() -> None:
    trained = _trained({"exact": 0.5, "exact, middle names too": 0.2,
                        "same name once variants and nicknames are made one": 0.1,
                        "different": 0.2}, {"exact": 0.8, "different": 0.2})
    assert model.deterministic_recall(trained, 1.0, 1.0) == pytest.approx(0.64)
    # Missing surnames or years of birth hide matches from the rule too.
    assert model.deterministic_recall(trained, 0.5, 1.0) == pytest.approx(0.16)
    columns = {"sn": ["a", "b"], "dob_year": [1980, 1981]}
    # The rule found as many pairs as 0.001 of them at the guessed recall: at 0.64, more.
    recalled = linkage.recalled(trained, columns)
    assert recalled["probability_two_random_records_match"] == pytest.approx(
        0.001 * linkage.RECALL_GUESS / 0.64)


def test_no_trained_level_is_left_with_an_m_of_nought() -> None:
    trained = _trained({"exact": 0.999999, "different": 1e-12}, {"exact": 0.75})
    floored = linkage.floored(trained)
    levels = floored["comparisons"][0]["comparison_levels"]
    assert levels[1]["m_probability"] == linkage.M_FLOOR
    assert levels[0]["m_probability"] == 0.999999


def test_u_leaves_out_the_matches_among_the_random_pairs() -> None:
    def level(label: str, m: float, u: float) -> dict[str, Any]:
        return {"label_for_charts": label, "m_probability": m, "u_probability": u}
    trained = {"probability_two_random_records_match": 0.001, "comparisons": [
        {"output_column_name": "address", "comparison_levels": [
            {"label_for_charts": "not recorded", "is_null_level": True},
            level("the same", 0.5, 0.0015), level("close", 0.2, 0.0011),
            level("nearly all matches", 0.6, 0.0006), level("different", 0.3, 0.9973)]}]}
    levels = linkage.unmatched(trained, 5000)["comparisons"][0]["comparison_levels"]
    u = [lv.get("u_probability") for lv in levels]
    assert u[0] is None
    # (u - prior * m) / (1 - prior): the matches' own agreement taken out.
    assert u[1] == pytest.approx((0.0015 - 0.0005) / 0.999)
    assert u[2] == pytest.approx((0.0011 - 0.0002) / 0.999)
    # Counted on a million pairs, u cannot be told apart from nought more finely than the
    # count's own sampling error: that is as low as it goes.
    assert u[3] == pytest.approx((0.0006 * 0.9994 / 1e6) ** 0.5)
    assert u[4] == pytest.approx((0.9973 - 0.0003) / 0.999)
    # Where matches are few, u stays nearly as counted.
    few = linkage.unmatched({**trained, "probability_two_random_records_match": 1e-7,
                             "comparisons": [{"output_column_name": "x", "comparison_levels": [
                                 level("the same", 0.5, 0.0015)]}]}, 5000)
    assert few["comparisons"][0]["comparison_levels"][0]["u_probability"] == pytest.approx(
        0.0015, rel=1e-3)


def test_strongest_pairs_join_first_and_a_cannot_link_is_never_crossed() -> None:
    records = ["a", "b", "c", "d"]
    pairs = [("a", "b", 0.99), ("b", "c", 0.95), ("c", "d", 0.5)]
    groups, held = clusters.cluster(records, pairs, threshold=0.9)
    assert groups["a"] == groups["b"] == groups["c"] != groups["d"] and held == []
    groups, held = clusters.cluster(records, pairs, threshold=0.9, cannot=[("a", "c")])
    assert groups["a"] == groups["b"] != groups["c"] and held == [("b", "c")]
    groups, _ = clusters.cluster(records, pairs, threshold=0.9, must=[("c", "d")],
                                 cannot=[("a", "c")])
    assert groups["c"] == groups["d"] != groups["a"]


def test_persons_keep_their_ids_across_runs() -> None:
    counter = itertools.count(1)
    new = lambda: f"new{next(counter)}"  # noqa: E731
    previous = {"a": "P1", "b": "P1", "c": "P2"}
    # a and b stay together; c joins them: the group keeps P1, and P2 is gone (a merge).
    assert clusters.keep_ids({"a": "x", "b": "x", "c": "x"}, previous, new) == dict.fromkeys(
        "abc", "P1")
    # a split: the larger part keeps P1, the other gets a new id; d is new.
    found = clusters.keep_ids({"a": "x", "b": "y", "c": "z", "d": "w"},
                              {"a": "P1", "b": "P1", "c": "P2"}, new)
    assert found["a"] == "P1" and found["b"].startswith("new") and found["c"] == "P2"
    assert found["d"].startswith("new") and found["d"] != found["b"]


def test_new_records_are_scored_with_a_model_that_adjusts_for_how_common_a_name_is() -> None:
    existing = [PersonInput("a", "Zebedee", "Quinton", date_of_birth="1980-05-02"),
                PersonInput("b", "John", "Smith", date_of_birth="1970-01-01")]
    new = [PersonInput("c", "Zebedee", "Quinton", date_of_birth="1980-05-02")]
    used = model.settings(name_frequency=True)
    old_columns, new_columns = prepare(existing), prepare(new)
    # How common each name is across a large index (``incremental``), not in these three.
    old_columns["tf_full_name"] = [0.00001, 0.001]
    new_columns["tf_full_name"] = [0.00001]
    pairs = linkage.score_new(old_columns, new_columns, used, floor=0.2)
    assert [(p.left, p.right) for p in pairs] == [("a", "c")]
    assert "name_frequency" in pairs[0].evidence


def test_a_surname_with_only_an_initial_or_no_forename_weighs_by_how_rare_it_is() -> None:
    """Adjusted against how often two records share any surname (the u of the level on exactly
    the surname), not against the level's own u, which also counts the chance of an initial."""
    existing = [PersonInput("a", "M", "Khan", date_of_birth="1980-05-02"),
                PersonInput("b", "Z", "Quinton", date_of_birth="1980-05-02"),
                PersonInput("c", None, "Quinton", date_of_birth="1971-03-09")]
    new = [PersonInput("d", "Mohammed", "Khan", date_of_birth="1980-05-02"),
           PersonInput("e", "Zebedee", "Quinton", date_of_birth="1980-05-02"),
           PersonInput("f", "Zak", "Quinton", date_of_birth="1971-03-09")]
    used = model.settings(name_frequency=True)
    old_columns, new_columns = prepare(existing), prepare(new)
    old_columns["tf_sn_canon"] = [0.02, 0.00001, 0.00001]
    new_columns["tf_sn_canon"] = [0.02, 0.00001, 0.00001]
    found = {(p.left, p.right): p for p in linkage.score_new(old_columns, new_columns, used,
                                                              floor=0.0)}
    shared_surname_u = next(level["u_probability"] for level in model.NAME["comparison_levels"]
                            if level["label_for_charts"] == "same surname, another forename")
    rare, common, alone = found[("b", "e")], found[("a", "d")], found[("c", "f")]
    assert rare.evidence["name"][0] == "same surname, forename an initial of the other"
    assert alone.evidence["name"][0] == "same surname, no forename"
    for pair, frequency in ((rare, 0.00001), (common, 0.02), (alone, 0.00001)):
        assert pair.evidence["name_frequency"][1] == pytest.approx(
            math.log2(shared_surname_u / frequency), abs=0.01)
    assert rare.probability > common.probability


def test_a_nickname_is_its_own_evidence_not_a_name() -> None:
    """A street name in common is evidence beside the names, whatever level they agree at;
    counted as a name too, it would count twice where it was the only name shared."""
    def evidence(a: tuple[Alias, ...], b: tuple[Alias, ...]) -> dict[str, tuple[str, float]]:
        columns = prepare([PersonInput("a", "Karl", "Hadcroft", a, "1979-09-13"),
                           PersonInput("b", "Karl", "Hadcroft", b)])
        return linkage.score(columns, floor=0.0).pairs[0].evidence
    shared = evidence((Alias(nickname="Bugsy"),), (Alias(nickname="BUGSY"), Alias("K", None)))
    assert shared["nickname"][0] == "one in common" and shared["nickname"][1] > 0
    assert shared["name"][0] == "exact"
    assert evidence((Alias(nickname="Bugsy"),), (Alias(nickname="Taz"),))["nickname"][0] == (
        "none in common")
    assert evidence((Alias(nickname="Bugsy"),), ())["nickname"] == ("not recorded", 0.0)


def test_a_model_stored_before_the_nickname_comparison_still_scores_new_records() -> None:
    stored = model.settings()
    stored["comparisons"] = [c for c in stored["comparisons"]
                             if c["output_column_name"] != "nickname"]
    old, new = (prepare([PersonInput(r, "Karl", "Hadcroft", (Alias(nickname="Bugsy"),),
                                     "1979-09-13")]) for r in ("a", "b"))
    [pair] = linkage.score_new(old, new, stored, floor=0.0)
    assert "nickname" not in pair.evidence and pair.evidence["name"][0] == "exact"


def _em_records() -> list[PersonInput]:
    """Three hundred people, each twice at two addresses, each born on a day of their own but
    two neighbours born on one day: a postcode in common is seen only between different
    people."""
    rng = random.Random(7)
    records = []
    for i in range(300):
        forename, surname = ("".join(rng.choices(string.ascii_lowercase, k=8)).title()
                             for _ in range(2))
        born = (date(1950, 1, 1) + timedelta(days=37 * max(i, 1))).isoformat()
        for copy in range(2):
            home = "LS1 1AB" if i < 2 and copy == 0 else f"M{i % 60} {copy}{'ABDEF'[i // 60]}Z"
            records.append(PersonInput(f"{i}-{copy}", forename, surname, date_of_birth=born,
                                       postcodes=(home,)))
    return records


def test_expectation_maximisation_driving_a_level_to_nought_fixes_it_at_the_floor() -> None:
    import copy

    import duckdb
    from splink import DuckDBAPI, Linker

    settings = copy.deepcopy(model.settings(name_frequency=False))
    # As EM leaves levels it sees only among non-matches, on their way to nought: the two
    # neighbours' pair then weighs under -1,900 bits, its chance of a match is 0.0, and so is
    # the next m of each of its levels.
    for comparison, label in (("name", "different"), ("address", "a postcode in common")):
        found = next(c for c in settings["comparisons"] if c["output_column_name"] == comparison)
        next(level for level in found["comparison_levels"]
             if level["label_for_charts"] == label).update(m_probability=1e-300,
                                                            u_probability=0.5)
    connection = duckdb.connect()
    try:
        table = DuckDBAPI(connection=connection).register(
            linkage._table(prepare(_em_records())))
        with pytest.raises(ValueError, match="m_probability"):  # Splink alone stops
            Linker(table, copy.deepcopy(settings), log_level=linkage.QUIET).training \
                .estimate_parameters_using_expectation_maximisation(
                    "l.dob = r.dob", estimate_without_term_frequencies=True)
        linker = linkage.maximised(Linker(table, settings, log_level=linkage.QUIET), table,
                                   "l.dob = r.dob")
        trained = linker.misc.save_model_to_json()
    finally:
        connection.close()
    levels = {level["label_for_charts"]: level for c in trained["comparisons"]
              if c["output_column_name"] == "address" for level in c["comparison_levels"]}
    assert levels["a postcode in common"]["m_probability"] == linkage.M_FLOOR
    assert levels["a postcode in common"]["fix_m_probability"] is True
