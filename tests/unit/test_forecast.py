"""The Monte Carlo forecast: the same seed gives the same forecast; its intervals are ordered;
more reviewers clear the caseload sooner, a second wave later; a caseload no one works is never
cleared, and says so."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from beaconport.stats import forecast as fc

FLOW = fc.Flow(awaiting_screening=300, waiting_for_review=150, in_review=40, waiting_for_qa=10,
               waiting_for_panel=5, arrivals_per_week=20, screened_per_week=60,
               eligible_share=0.5, reviews_per_reviewer_week=0.6, signed_off_per_week=15,
               decided_per_week=15, reviewers=20)


def test_the_same_seed_gives_the_same_forecast_and_the_intervals_are_ordered() -> None:
    one = fc.forecast(FLOW, fc.Scenario("As now"), runs=200, seed=7, start=date(2026, 1, 5))
    two = fc.forecast(FLOW, fc.Scenario("As now"), runs=200, seed=7, start=date(2026, 1, 5))
    assert one == two
    assert one.p10 is not None and one.p50 is not None and one.p90 is not None
    assert one.p10 <= one.p50 <= one.p90
    assert one.date_of(one.p50) == date(2026, 1, 5) + timedelta(weeks=one.p50)
    assert one.open_by_week[0] > 0 and one.open_by_week[-1] == 0


def test_more_reviewers_sooner_a_second_wave_later() -> None:
    base, more, wave = (fc.forecast(FLOW, s, runs=200, seed=3) for s in (
        fc.Scenario("As now"), fc.Scenario("More", extra_reviewers=20),
        fc.Scenario("Wave", wave=9000)))
    assert more.p50 is not None and base.p50 is not None and wave.p50 is not None
    assert more.p50 < base.p50 < wave.p50


def test_a_caseload_no_one_reviews_is_never_cleared() -> None:
    stuck = fc.forecast(replace(FLOW, reviewers=0), fc.Scenario("No one"), runs=5, seed=1)
    assert stuck.p50 is None and stuck.date_of(stuck.p50) is None


def test_the_standard_scenarios() -> None:
    names = [s.name for s in fc.scenarios(wave=9000, extra_reviewers=10)]
    assert names == ["As now", "10 more reviewers", "A second wave of 9,000 referrals",
                     "A second wave of 9,000, and 10 more reviewers"]
