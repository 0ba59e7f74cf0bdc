"""The learning's pure parts: what counts as a missed line or an error, the filters, the tally
of grouped shortfalls into categories, and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from beaconport.review import instrument, learning
from beaconport.review.instrument import Category, Item
from beaconport.review.learning import ERROR, MISSED, Learning, LearningFilter


def test_missed_lines_and_errors_are_the_instruments_shortfalls() -> None:
    assert {MISSED, ERROR} == instrument.SHORTFALLS
    assert instrument.ASSESSMENTS[MISSED].startswith("Not done, though available")
    assert instrument.ASSESSMENTS[ERROR] == "Done, but inadequately"


def test_blank_filters_filter_nothing() -> None:
    assert learning.read_filter(" ", "", "  ", forces=set()) == LearningFilter()
    assert learning.read_filter("E23000010", "2025-01-01", "2025-01-01",
                                forces={"E23000010"}) == LearningFilter(
        "E23000010", date(2025, 1, 1), date(2025, 1, 1))


def test_every_problem_with_the_filters_is_named_at_once() -> None:
    with pytest.raises(learning.FilterProblems) as bad:
        learning.read_filter("NOPE", "2025-13-01", "1/2/2025", forces={"E23000010"})
    assert [f for f, _ in bad.value.problems] == ["force", "from", "to"]
    assert "There is no force with the code 'NOPE'" in str(bad.value)
    assert "Give the start of the period as a date in the form YYYY-MM-DD" in str(bad.value)
    with pytest.raises(learning.FilterProblems, match="end of the period is before its start"):
        learning.read_filter("", "2025-06-02", "2025-06-01", forces=set())


SHAPE = [Category("A", "First", (Item("A1", "a"), Item("A2", "b"))),
         Category("B", "Second", (Item("B1", "c"),)),
         # The same code in another version: counted once, under its first title.
         Category("A", "First, renamed", (Item("A1", "a"),))]


def test_grouped_shortfalls_are_tallied_into_their_categories() -> None:
    found = learning.tally(SHAPE, [
        ("A", MISSED, "human_error", "likely", "partly", 3),
        ("A", ERROR, "process", "none", "no", 2),
        ("A", MISSED, "process", "possible", "yes", 1),
        ("B", ERROR, "policy", "determinative", "no", 4),
        # Neither a category nor a shortfall the learning knows: left out.
        (None, MISSED, "human_error", "likely", "yes", 7),
        ("Z", MISSED, "human_error", "likely", "yes", 7),
        ("A", "done_adequately", None, None, None, 9),
    ])
    assert [(c.code, c.title, c.missed, c.errors) for c in found] == [
        ("A", "First", 4, 2), ("B", "Second", 0, 4)]
    a = found[0]
    assert a.by_error_type == {"human_error": 3, "process": 3}
    assert a.by_impact == {"likely": 3, "none": 2, "possible": 1}
    assert a.by_achievable == {"partly": 3, "no": 2, "yes": 1}
    totals = Learning(LearningFilter(), 5, 2, found).totals
    assert (totals.missed, totals.errors, totals.reviews_with_missed) == (4, 6, 2)
    assert totals.by_error_type == {"human_error": 3, "process": 3, "policy": 4}


def test_the_csv_has_a_row_per_category_with_each_kind_of_error() -> None:
    found = learning.tally(SHAPE, [("A", MISSED, "human_error", "likely", "partly", 3),
                                   ("B", ERROR, "culture_bias", "none", "no", 1)])
    found[0].reviews_with_missed = 2
    rows = list(csv.reader(io.StringIO(learning.csv_text(Learning(LearningFilter(), 5, 2,
                                                                           found)))))
    assert rows[0] == ["category", "title", "signed_off_reviews", "missed_lines", "errors",
                       "reviews_with_a_missed_line", "human_error", "process", "policy",
                       "resource", "culture_bias", "misconduct_indicator"]
    assert rows[1:] == [["A", "First", "5", "3", "0", "2", "3", "0", "0", "0", "0", "0"],
                        ["B", "Second", "5", "0", "1", "0", "0", "0", "0", "0", "1", "0"]]


def test_the_csv_file_name_says_what_it_counts() -> None:
    assert learning.csv_name(LearningFilter()) == "beaconport-learning.csv"
    assert learning.csv_name(LearningFilter("E23000010", date(2025, 1, 1), date(2025, 3, 31))) \
        == "beaconport-learning-E23000010-from-2025-01-01-to-2025-03-31.csv"
