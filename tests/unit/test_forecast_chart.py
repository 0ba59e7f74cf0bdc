"""The forecast's chart: each scenario's middle line and band in SVG coordinates inside the
plot, the weeks shown long enough for every scenario that clears to be seen doing so."""

from __future__ import annotations

from datetime import date

from beaconport.stats import forecast as fc
from beaconport.stats import forecast_chart as chart

FLOW = fc.Flow(awaiting_screening=120, waiting_for_review=40, in_review=10, waiting_for_qa=3,
               waiting_for_panel=2, arrivals_per_week=5, screened_per_week=40,
               eligible_share=0.5, reviews_per_reviewer_week=0.5, signed_off_per_week=10,
               decided_per_week=10, reviewers=12)


def _points(text: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in (p.split(",") for p in text.split())]


def test_each_scenario_is_a_line_in_its_band_within_the_plot() -> None:
    ahead = [fc.forecast(FLOW, s, runs=60, start=date(2026, 1, 5))
             for s in fc.scenarios(wave=2000, extra_reviewers=10)]
    drawn = chart.chart(ahead)
    assert [line.name for line in drawn.lines] == [f.scenario.name for f in ahead]
    for line, f in zip(drawn.lines, ahead, strict=True):
        middle, band = _points(line.middle), _points(line.band)
        assert len(band) == 2 * len(middle)
        for x, y in middle + band:
            assert drawn.left <= x <= drawn.right and 0 <= y <= drawn.bottom
        assert line.p50 == f.date_of(f.p50)
        assert middle[0][0] == drawn.left  # the first week is at the left edge
    cleared = [f.p90 for f in ahead if f.p90 is not None]
    assert cleared, "the scenarios without a wave clear"
    shown_weeks = chart._weeks_shown(ahead)
    assert shown_weeks >= max(cleared)
    assert drawn.x_ticks[0].label == "Jan 2026"


def test_no_scenario_clearing_shows_ten_years() -> None:
    never = fc.forecast(fc.Flow(awaiting_screening=50, waiting_for_review=50, in_review=0,
                                waiting_for_qa=0, waiting_for_panel=0, arrivals_per_week=1,
                                screened_per_week=5, eligible_share=0.5,
                                reviews_per_reviewer_week=0.5, signed_off_per_week=1,
                                decided_per_week=1, reviewers=0),
                        fc.Scenario("No reviewers"), runs=50)
    assert never.p90 is None
    assert chart._weeks_shown([never]) == chart.MOST_WEEKS
