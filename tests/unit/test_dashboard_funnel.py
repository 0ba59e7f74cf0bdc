"""The funnel is summed from the stages chart's published cells only: a step that would include
a suppressed cell is suppressed itself, so subtracting two steps never gives a hidden cell."""

from __future__ import annotations

from beaconport.stats import charts
from beaconport.stats import disclosure as sdc
from beaconport.stats import figures as f

ROWS = (*(f"Eligible: {s.lower()}" for s in f.STAGES), "Ineligible", "Needs information",
        "Not yet screened")


def _funnel(counts: tuple[int, ...]) -> dict[str, sdc.Cell]:
    table = f.Table("stages", "Stages", "referrals", "", ROWS, ("Count",),
                    tuple((c,) for c in counts))
    protected = sdc.protect(table.rows, table.columns, table.counts, threshold=sdc.INTERNAL)
    return {b.label: b.cell for b in charts.funnel(table, protected).bars}


def test_each_step_adds_up_what_is_shown() -> None:
    steps = _funnel((50, 20, 30, 10, 15, 25, 40, 12, 0))
    assert steps["Received"] == sdc.Cell(202)
    assert steps["Screened"] == sdc.Cell(202)
    assert steps["Eligible"] == sdc.Cell(150)
    assert steps["Signed off, or further"] == sdc.Cell(40)
    assert steps["Decided by the panel"] == sdc.Cell(25)


def test_a_step_including_a_hidden_cell_is_hidden() -> None:
    # Two stages below 5: both suppressed; every step that would include either is too.
    steps = _funnel((50, 20, 30, 3, 4, 25, 40, 12, 6))
    assert steps["Decided by the panel"] == sdc.Cell(25)
    for label in ("Signed off, or further", "Review submitted, or further", "Eligible"):
        assert steps[label].symbol == sdc.CONFIDENTIAL, label
    assert steps["Screened"] == sdc.Cell(184)  # the total less the 6 not yet screened
