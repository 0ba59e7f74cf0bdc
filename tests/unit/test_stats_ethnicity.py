"""The best available ethnicity by rule: self-defined over officer-observed over third party,
the latest among equals, "not stated" never chosen over a known value, nothing inferred; mapped
to 18+1 where a mapping exists and to the 5 groups; completeness counted."""

from __future__ import annotations

from beaconport.stats import ethnicity as e

CODES = {
    ("SDE18+1", "A2"): e.Code("Asian – Pakistani", "Asian", "A2", False),
    ("SDE18+1", "W1"): e.Code("White – British", "White", "W1", False),
    ("SDE18+1", "NS"): e.Code("Not stated", "Not stated", "NS", True),
    ("SDE16+1", "O1"): e.Code("Chinese", "Asian", "A4", False),
    ("IC6+1", "IC1"): e.Code("White – North European", "White", None, False),
    ("IC6+1", "IC9"): e.Code("Unknown", "Not stated", None, True),
}


def test_self_defined_beats_officer_observed_beats_third_party() -> None:
    found = e.best([e.Observation("IC6+1", "IC1", e.OFFICER_OBSERVED, "2020-01-01", 0),
                    e.Observation("SDE18+1", "W1", e.THIRD_PARTY, "2021-01-01", 1),
                    e.Observation("SDE18+1", "A2", e.SELF_DEFINED, "2012-05-01", 2)], CODES)
    assert (found.completeness, found.code, found.basis) == (e.RECORDED, "A2", e.SELF_DEFINED)
    assert (found.five_group, found.sde18) == ("Asian", "A2")


def test_the_latest_among_equals_then_the_first_listed() -> None:
    found = e.best([e.Observation("SDE18+1", "W1", e.SELF_DEFINED, "2012", 0),
                    e.Observation("SDE18+1", "A2", e.SELF_DEFINED, "2019-03-04", 1)], CODES)
    assert found.code == "A2"
    tie = e.best([e.Observation("SDE18+1", "W1", e.SELF_DEFINED, None, 0),
                  e.Observation("SDE18+1", "A2", e.SELF_DEFINED, None, 1)], CODES)
    assert tie.code == "W1"


def test_not_stated_is_never_best_while_anything_is_known() -> None:
    found = e.best([e.Observation("SDE18+1", "NS", e.SELF_DEFINED, "2024-01-01", 0),
                    e.Observation("IC6+1", "IC1", e.OFFICER_OBSERVED, "2010-01-01", 1)], CODES)
    assert (found.code, found.five_group, found.sde18) == ("IC1", "White", None)
    only = e.best([e.Observation("SDE18+1", "NS", e.SELF_DEFINED),
                   e.Observation("IC6+1", "IC9", e.OFFICER_OBSERVED)], CODES)
    assert only == e.Best(e.NOT_STATED)


def test_nothing_recorded_is_not_recorded_and_nothing_is_guessed() -> None:
    assert e.best([], CODES) == e.Best(e.NOT_RECORDED)
    unknown_code = e.best([e.Observation("SDE18+1", "ZZ", e.SELF_DEFINED)], CODES)
    assert unknown_code == e.Best(e.NOT_RECORDED)


def test_an_older_scheme_maps_to_18_plus_1() -> None:
    found = e.best([e.Observation("SDE16+1", "O1", e.SELF_DEFINED)], CODES)
    assert (found.sde18, found.five_group) == ("A4", "Asian")


def test_completeness_is_counted() -> None:
    found = [e.Best(e.RECORDED), e.Best(e.NOT_RECORDED), e.Best(e.NOT_RECORDED),
             e.Best(e.NOT_STATED)]
    assert e.completeness(found) == {e.RECORDED: 1, e.NOT_STATED: 1, e.NOT_RECORDED: 2}


CATEGORIES = [e.Category("W1", "White – British", "White"),
              e.Category("A2", "Asian – Pakistani", "Asian"),
              e.Category("A4", "Asian – Chinese", "Asian")]


def test_the_18_plus_1_categories_sit_under_their_5_groups() -> None:
    people = [[e.Observation("SDE18+1", "A2", e.SELF_DEFINED)],
              [e.Observation("SDE16+1", "O1", e.SELF_DEFINED)],  # maps to A4
              [e.Observation("IC6+1", "IC1", e.OFFICER_OBSERVED)],  # White, no 18+1
              [e.Observation("IC6+1", "IC9", e.OFFICER_OBSERVED)],  # not stated
              []]
    rows, counts, groups = e.detailed((e.best(p, CODES) for p in people), CATEGORIES)
    table = dict(zip(rows, counts, strict=True))
    assert table["White (all)"] == 1 and table["White – British"] == 0
    assert table[e.no_equivalent("White")] == 1
    assert table["Asian (all)"] == 2
    assert (table["Asian – Pakistani"], table["Asian – Chinese"]) == (1, 1)
    assert (table["Not stated"], table["Not recorded"]) == (1, 1)
    for subtotal, members in groups.items():
        assert counts[subtotal] == sum(counts[m] for m in members)
    # Every person once among the rows that are not subtotals.
    assert sum(c for r, c in enumerate(counts) if r not in groups) == len(people)


def test_completeness_is_counted_per_scheme() -> None:
    people = [[e.Observation("SDE18+1", "A2", e.SELF_DEFINED),
               e.Observation("IC6+1", "IC1", e.OFFICER_OBSERVED)],
              [e.Observation("SDE18+1", "NS", e.SELF_DEFINED)],
              []]
    counted = e.by_scheme(people, CODES, ["SDE18+1", "IC6+1"])
    assert counted["SDE18+1"] == {e.RECORDED: 1, e.NOT_STATED: 1, e.NOT_RECORDED: 1}
    assert counted["IC6+1"] == {e.RECORDED: 1, e.NOT_STATED: 0, e.NOT_RECORDED: 2}
