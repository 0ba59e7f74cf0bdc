"""``beaconport forecast``: when the current and expected caseload will be cleared."""

from __future__ import annotations

import typer

from beaconport.cli.common import console, plain_errors
from beaconport.db import session_scope
from beaconport.stats import forecast as fc


def forecast(runs: int = typer.Option(500, "--runs", min=50, max=20_000,
                                      help="Simulated runs (more: steadier percentiles)."),
             extra_reviewers: int = typer.Option(10, "--extra-reviewers", min=0, max=1000,
                                                 help="Reviewers added in the scenarios "
                                                 "that add them."),
             wave: int = typer.Option(9000, "--wave", min=0, max=1_000_000,
                                      help="Referrals arriving at once in the second-wave "
                                      "scenarios."),
             wave_week: int = typer.Option(0, "--wave-week", min=0, max=520,
                                           help="The week from now the wave arrives."),
             arrivals_for: int = typer.Option(26, "--arrivals-for", min=0, max=520,
                                              help="Weeks more referrals keep arriving at the "
                                              "observed rate."),
             seed: int = typer.Option(2025, "--seed")) -> None:
    """A Monte Carlo forecast from the flow observed over the last twelve weeks and the
    reviewers available, for the current caseload and scenarios: more reviewers, a second wave
    of referrals, both. The same seed on the same data gives the same forecast."""
    with plain_errors(), session_scope() as session:
        flow = fc.observe(session)
    console.print(
        f"Now: {flow.awaiting_screening:,} to screen, {flow.waiting_for_review:,} waiting for "
        f"a reviewer, {flow.in_review:,} under review, {flow.waiting_for_qa:,} waiting for "
        f"quality assurance, {flow.waiting_for_panel:,} waiting for the panel; "
        f"{flow.reviewers:,} reviewers.")
    console.print(
        f"Each week: {flow.arrivals_per_week:.1f} referrals arrive, {flow.screened_per_week:.1f} "
        f"are screened ({flow.eligible_share:.0%} eligible), a reviewer completes "
        f"{flow.reviews_per_reviewer_week:.2f} reviews, {flow.signed_off_per_week:.1f} are "
        f"signed off and {flow.decided_per_week:.1f} decided by the panel.")
    if flow.assumed:
        console.print("Not yet observed, so assumed: "
                      f"{'; '.join(fc.ASSUMED_LABELS[a] for a in flow.assumed)}.")
    console.print(f"When the caseload is cleared ({runs} runs: 10%, 50% and 90% of them done "
                  "by):")
    for scenario in fc.scenarios(wave=wave, extra_reviewers=extra_reviewers):
        scenario = fc.Scenario(scenario.name, scenario.extra_reviewers, scenario.wave,
                               wave_week, arrivals_for)
        found = fc.forecast(flow, scenario, runs=runs, seed=seed)
        dates = [f"{found.date_of(w):%-d %b %Y} ({w} weeks)" if w is not None
                 else f"not within {fc.HORIZON_WEEKS // 52} years"
                 for w in (found.p10, found.p50, found.p90)]
        console.print(f"  {scenario.name}: {dates[0]}; {dates[1]}; {dates[2]}", soft_wrap=True)
