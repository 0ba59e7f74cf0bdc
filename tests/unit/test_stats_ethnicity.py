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
