"""Disclosure control: primary suppression below the threshold, secondary suppression so that
no suppressed cell can be recovered (checked by linear programming: each suppressed cell's least
and most possible value, given every published cell and the margins), class disclosure found,
rounding and percentages only over safe denominators."""

from __future__ import annotations

import random

import pytest

from beaconport.stats import disclosure as sdc


def _published_counts(protected: sdc.Protected) -> list[int | float]:
    cells = [c for row in protected.cells for c in row]
    cells += [*protected.row_totals, *protected.column_totals, protected.total]
    return [c.value for c in cells if c.value is not None]


def test_small_counts_are_suppressed_and_a_single_one_cannot_be_subtracted_out() -> None:
    counts = [[25, 3, 40], [30, 18, 12], [22, 16, 31]]
    protected = sdc.protect(["A", "B", "C"], ["x", "y", "z"], counts)
    assert protected.primary == {(0, 1)}
    assert protected.cells[0][1] == sdc.Cell(None, "[c]")
    assert protected.cells[0][1].text() == "[c]"
    # Its row and its column each lose another cell, so neither total gives it away.
    hidden = protected.suppressed()
    assert sum(1 for c in range(3) if (0, c) in hidden) >= 2
    assert sum(1 for r in range(3) if (r, 1) in hidden) >= 2
    ranges = sdc.feasible_ranges(counts, hidden)
    assert all(high - low >= 1 for low, high in ranges.values())
    assert protected.total == sdc.Cell(197)


def test_a_small_total_is_suppressed_too() -> None:
    protected = sdc.protect(["A", "B"], ["x", "y"], [[4, 3], [40, 50]])
    assert (0, None) in protected.primary and protected.row_totals[0].value is None


def test_zeros_are_published_unless_asked_not_to_be() -> None:
    counts = [[0, 20], [15, 30]]
    assert sdc.protect(["A", "B"], ["x", "y"], counts).suppressed() == frozenset()
    strict = sdc.protect(["A", "B"], ["x", "y"], counts, suppress_zeros=True)
    assert (0, 0) in strict.primary


@pytest.mark.parametrize("seed", range(60))
def test_no_suppressed_cell_can_be_recovered_and_every_published_count_is_safe(
        seed: int) -> None:
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 6), rng.randint(1, 6)
    counts = [[rng.choice([0, 1, 2, 4, 7, 9, 11, 15, 30, 80]) for _ in range(columns)]
              for _ in range(rows)]
    threshold = rng.choice([sdc.INTERNAL, sdc.PUBLICATION])
    protected = sdc.protect([f"r{i}" for i in range(rows)], [f"c{i}" for i in range(columns)],
                            counts, threshold=threshold)
    assert all(v == 0 or v >= threshold for v in _published_counts(protected))
    for position, (low, high) in sdc.feasible_ranges(counts, protected.suppressed()).items():
        assert high - low >= 1, (counts, position, low, high)


def test_a_suppressed_cell_is_known_not_to_be_nought_and_still_not_recovered() -> None:
    # Rows 1 and 2 add up to 3: with every [c] at least 1, a check that let them be 0 passed a
    # table that gives them all away.
    counts = [[0, 12], [0, 1], [1, 1], [1, 12]]
    protected = sdc.protect(["a", "b", "c", "d"], ["x", "y"], counts)
    for position, (low, high) in sdc.feasible_ranges(counts, protected.suppressed()).items():
        assert high - low >= 1, (position, low, high)
    assert all(counts[r][c] > 0 for r, c in protected.suppressed() if r is not None
               and c is not None)


def test_a_wider_protection_interval_is_honoured() -> None:
    counts = [[25, 3, 40], [30, 18, 12], [22, 16, 31]]
    protected = sdc.protect(["A", "B", "C"], ["x", "y", "z"], counts, protection=5)
    ranges = sdc.feasible_ranges(counts, protected.suppressed())
    assert all(high - low >= 5 for low, high in ranges.values())


def test_a_row_all_in_one_column_is_class_disclosure() -> None:
    protected = sdc.protect(["Force A", "Force B"], ["White", "Asian"], [[0, 40], [25, 30]])
    assert protected.class_disclosure == ("Force A",)


def test_rounding_rounds_totals_from_the_unrounded_counts() -> None:
    protected = sdc.protect(["A", "B"], ["x", "y"], [[12, 13], [14, 16]], rounding=5)
    assert [c.value for c in protected.cells[0]] == [10, 15]
    assert protected.row_totals[0].value == 25  # 25, not 10 + 15 rounded again
    assert protected.total.value == 55


def test_percentages_only_over_safe_denominators() -> None:
    assert sdc.percentage(sdc.Cell(12), sdc.Cell(40)) == sdc.Cell(30.0)
    assert sdc.percentage(sdc.Cell(3), sdc.Cell(8)).symbol == "[c]"
    assert sdc.percentage(sdc.Cell(None, "[c]"), sdc.Cell(40)).symbol == "[c]"
    assert sdc.percentage(sdc.Cell(0), sdc.Cell(0)).symbol == "[z]"


def test_counts_must_match_their_labels() -> None:
    with pytest.raises(ValueError):
        sdc.protect(["A"], ["x", "y"], [[1, 2, 3]])


def test_a_table_without_margins_suppresses_small_counts_alone() -> None:
    protected = sdc.protect(["A", "B", "C"], ["Referrals failing"], [[3], [40], [0]],
                            margins=False)
    assert [row[0].text() for row in protected.cells] == ["[c]", "40", "0"]
    assert protected.secondary == frozenset() and protected.total.symbol == "[z]"
    assert all(c.symbol == "[z]" for c in protected.row_totals)


@pytest.mark.parametrize("seed", range(30))
def test_subtotal_rows_are_protected_like_totals(seed: int) -> None:
    # Two groups of leaf rows, each with its subtotal row above them (the 5 groups over the
    # 18+1 categories): no suppressed leaf can be recovered from its subtotal either.
    rng = random.Random(seed)
    columns = rng.randint(1, 3)
    leaves = [[rng.choice([0, 1, 3, 6, 12, 20, 45]) for _ in range(columns)] for _ in range(5)]
    first, second = leaves[:2], leaves[2:]
    counts = [[sum(r[c] for r in first) for c in range(columns)], *first,
              [sum(r[c] for r in second) for c in range(columns)], *second]
    groups = {0: [1, 2], 3: [4, 5, 6]}
    protected = sdc.protect([f"r{i}" for i in range(7)], [f"c{i}" for i in range(columns)],
                            counts, groups=groups)
    assert all(v == 0 or v >= sdc.PUBLICATION for v in _published_counts(protected))
    ranges = sdc.feasible_ranges(counts, protected.suppressed(), groups=groups)
    assert all(high - low >= 1 for low, high in ranges.values()), (counts, ranges)
    # The grand total counts the leaves once, not the subtotals again.
    assert protected.total.value in (None, sum(sum(r) for r in leaves))


def test_a_subtotal_must_add_up_its_rows() -> None:
    with pytest.raises(ValueError, match="does not add up"):
        sdc.protect(["group", "a", "b"], ["n"], [[30], [10], [15]], groups={0: [1, 2]})


def test_a_table_whose_rows_alone_add_up_shows_row_totals_and_protects_them() -> None:
    # Each row counts the same 40 people by one scheme: recorded, not stated, not recorded.
    counts = [[30, 3, 7], [12, 0, 28]]
    protected = sdc.protect(["scheme A", "scheme B"], ["rec", "ns", "nr"], counts,
                            margins="rows")
    assert protected.row_totals[0] == sdc.Cell(40)
    assert protected.column_totals[0].symbol == sdc.NOT_APPLICABLE
    assert protected.total.symbol == sdc.NOT_APPLICABLE
    # 3 and 7 are both small, so each hides the other; 12 and 28 are safe.
    assert protected.suppressed() == {(0, 1), (0, 2)}
    ranges = sdc.feasible_ranges(counts, protected.suppressed(), margins="rows")
    assert all(high - low >= 1 for low, high in ranges.values())


def test_a_cell_hidden_elsewhere_is_hidden_here_and_protected() -> None:
    counts = [[40, 25], [30, 50]]
    protected = sdc.protect(["A", "B"], ["x", "y"], counts, hidden={(None, 0)})
    assert (None, 0) in protected.secondary
    assert protected.column_totals[0].symbol == sdc.CONFIDENTIAL
    ranges = sdc.feasible_ranges(counts, protected.suppressed())
    assert all(high - low >= 1 for low, high in ranges.values())


def test_a_table_with_no_rows_has_nought_totals() -> None:
    protected = sdc.protect([], ["x", "y"], [])
    assert protected.column_totals == (sdc.Cell(0), sdc.Cell(0)) and protected.total == sdc.Cell(0)
