"""When will the review be done? A Monte Carlo forecast of the weeks until the current and
expected caseload is cleared, from the flow observed through each stage and the reviewers
available.

The operation is a line of queues, each worked week by week: referrals arrive; screening decides
them (a share is eligible); eligible cases wait for a reviewer; reviewers review them (each
reviewer's weekly rate, times the reviewers); quality assurance signs them off; the panel decides.
Each week's arrivals and each stage's work are drawn at random around the rates observed over the
recent weeks (Poisson), so the forecast is a spread of dates, not one: the 10th, 50th and 90th
percentiles of many runs. Scenarios change the inputs: more (or fewer) reviewers, a second wave of
referrals arriving at once (the Met's 9,000, say), arrivals going on for longer.

Rates with nothing observed yet (a new operation) fall back to stated assumptions, shown with the
forecast. Pure apart from ``observe``, which reads the rates from the store.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditEvent
from beaconport.referrals import states
from beaconport.referrals.models import Referral, ReferralVersion
from beaconport.review.models import CaseReview, ReviewerProfile
from beaconport.screening.models import ScreeningDecision

#: Assumed where nothing has been observed yet (per week).
ASSUMED = {"screened": 50.0, "review_per_reviewer": 0.5, "signed_off": 10.0, "decided": 10.0,
           "eligible_share": 0.5}
ASSUMED_LABELS = {"screened": "50 referrals screened a week",
                  "review_per_reviewer": "a reviewer completing a review every two weeks",
                  "signed_off": "10 reviews signed off a week",
                  "decided": "10 panel decisions a week",
                  "eligible_share": "half of the referrals screened eligible"}
WINDOW_WEEKS = 12
#: Give up (and say so) rather than run forever when a stage has no capacity at all.
HORIZON_WEEKS = 52 * 30


@dataclass(frozen=True, slots=True)
class Flow:
    """Where the caseload stands, and the weekly rates observed."""

    awaiting_screening: int
    waiting_for_review: int
    in_review: int
    waiting_for_qa: int
    waiting_for_panel: int
    arrivals_per_week: float
    screened_per_week: float
    eligible_share: float
    reviews_per_reviewer_week: float
    signed_off_per_week: float
    decided_per_week: float
    reviewers: int
    #: Which rates are assumptions, not observations.
    assumed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    extra_reviewers: int = 0
    #: Referrals arriving at once, and the week they arrive (0: now).
    wave: int = 0
    wave_week: int = 0
    #: Weeks more referrals keep arriving at the observed rate.
    arrivals_for_weeks: int = 26


@dataclass(frozen=True, slots=True)
class Forecast:
    scenario: Scenario
    runs: int
    #: Weeks until cleared: 10th, 50th and 90th percentiles (None: not within the horizon).
    p10: int | None
    p50: int | None
    p90: int | None
    start: date
    #: For the chart: per week, the median caseload still open across runs, and the 10th and
    #: 90th percentiles (the band eight runs in ten fall within).
    open_by_week: tuple[int, ...]
    low_by_week: tuple[int, ...] = ()
    high_by_week: tuple[int, ...] = ()

    def date_of(self, weeks: int | None) -> date | None:
        return None if weeks is None else self.start + timedelta(weeks=weeks)


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, a normal approximation above)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, mean ** 0.5)))
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _run(flow: Flow, scenario: Scenario, rng: random.Random) -> tuple[int | None, list[int]]:
    screen_q = flow.awaiting_screening
    # Waiting for a reviewer and under review are one queue for the reviewers' throughput: a
    # reviewer takes the next case as they finish one.
    review_q = flow.waiting_for_review + flow.in_review
    qa_q, panel_q = flow.waiting_for_qa, flow.waiting_for_panel
    reviewers = max(0, flow.reviewers + scenario.extra_reviewers)
    open_cases: list[int] = []
    for week in range(HORIZON_WEEKS):
        if week < scenario.arrivals_for_weeks:
            screen_q += _poisson(rng, flow.arrivals_per_week)
        if scenario.wave and week == scenario.wave_week:
            screen_q += scenario.wave
        screened = min(screen_q, _poisson(rng, flow.screened_per_week))
        screen_q -= screened
        eligible = sum(1 for _ in range(screened) if rng.random() < flow.eligible_share) \
            if screened < 200 else round(screened * flow.eligible_share)
        review_q += eligible
        done = min(review_q, _poisson(rng, reviewers * flow.reviews_per_reviewer_week))
        review_q -= done
        qa_q += done
        signed = min(qa_q, _poisson(rng, flow.signed_off_per_week))
        qa_q -= signed
        panel_q += signed
        panel_q -= min(panel_q, _poisson(rng, flow.decided_per_week))
        left = screen_q + review_q + qa_q + panel_q
        open_cases.append(left)
        arriving = week < scenario.arrivals_for_weeks or (scenario.wave and
                                                          week < scenario.wave_week)
        if left == 0 and not arriving:
            return week + 1, open_cases
    return None, open_cases


def _percentile(values: list[int | None], share: float) -> int | None:
    ordered = sorted(values, key=lambda v: (v is None, v or 0))
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def forecast(flow: Flow, scenario: Scenario, *, runs: int = 500, seed: int = 2025,
             start: date | None = None) -> Forecast:
    """Many runs of the weeks ahead; the same seed gives the same forecast."""
    rng = random.Random(seed)
    cleared: list[int | None] = []
    curves: list[list[int]] = []
    for _ in range(runs):
        weeks, curve = _run(flow, scenario, rng)
        cleared.append(weeks)
        curves.append(curve)
    longest = max(len(c) for c in curves)
    weekly = [sorted(c[w] if w < len(c) else 0 for c in curves) for w in range(longest)]
    median_open = tuple(week[runs // 2] for week in weekly)
    return Forecast(scenario, runs, _percentile(cleared, 0.1), _percentile(cleared, 0.5),
                    _percentile(cleared, 0.9), start or clock.today(), median_open,
                    tuple(week[int(0.1 * runs)] for week in weekly),
                    tuple(week[min(runs - 1, int(0.9 * runs))] for week in weekly))


def observe(session: Session, *, weeks: int = WINDOW_WEEKS) -> Flow:
    """The caseload now, and the weekly rates over the last ``weeks`` weeks."""
    since = clock.now() - timedelta(weeks=weeks)
    status = dict(session.execute(select(Referral.status, func.count())
                                  .group_by(Referral.status)).all())
    arrivals = session.scalar(select(func.count()).select_from(ReferralVersion).where(
        ReferralVersion.number == 1, ReferralVersion.received_at_utc >= since)) or 0
    screened = session.scalar(select(func.count(func.distinct(ScreeningDecision.referral_id)))
                              .where(ScreeningDecision.screened_at_utc >= since)) or 0
    decided_now = dict(session.execute(
        select(ScreeningDecision.decision, func.count())
        .where(ScreeningDecision.current.is_(True)).group_by(ScreeningDecision.decision)).all())

    def events(action: AuditAction) -> int:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == action.value, AuditEvent.at_utc >= since)) or 0

    counts = {a: events(a) for a in (AuditAction.REVIEW_SUBMITTED, AuditAction.REVIEW_SIGNED_OFF,
                                     AuditAction.PANEL_DECIDED)}
    # Of the cases under review: those whose review waits for quality assurance, and those
    # signed off and waiting for the panel (the panel's decision moves a case on).
    reviews = dict(session.execute(
        select(CaseReview.status, func.count()).join(Referral, Referral.id ==
                                                      CaseReview.referral_id)
        .where(CaseReview.kind == "primary", Referral.status == states.UNDER_REVIEW)
        .group_by(CaseReview.status)).all())
    waiting_qa, waiting_panel = reviews.get("submitted", 0), reviews.get("signed-off", 0)
    reviewers = session.scalar(select(func.count()).select_from(ReviewerProfile).where(
        ReviewerProfile.capacity > 0)) or 0
    assumed: list[str] = []

    def rate(name: str, observed: float) -> float:
        if observed > 0:
            return observed
        assumed.append(name)
        return ASSUMED[name]

    total_decided = sum(decided_now.values())
    return Flow(
        awaiting_screening=status.get(states.AWAITING_SCREENING, 0)
        + status.get(states.NEEDS_INFORMATION, 0),
        waiting_for_review=status.get(states.ELIGIBLE, 0),
        in_review=max(0, status.get(states.UNDER_REVIEW, 0) - waiting_qa - waiting_panel),
        waiting_for_qa=waiting_qa, waiting_for_panel=waiting_panel,
        arrivals_per_week=arrivals / weeks,
        screened_per_week=rate("screened", screened / weeks),
        eligible_share=rate("eligible_share", decided_now.get("eligible", 0) / total_decided
                            if total_decided else 0.0),
        reviews_per_reviewer_week=rate(
            "review_per_reviewer",
            counts[AuditAction.REVIEW_SUBMITTED] / weeks / reviewers if reviewers else 0.0),
        signed_off_per_week=rate("signed_off", counts[AuditAction.REVIEW_SIGNED_OFF] / weeks),
        decided_per_week=rate("decided", counts[AuditAction.PANEL_DECIDED] / weeks),
        reviewers=reviewers, assumed=tuple(assumed))


def scenarios(wave: int = 9000, extra_reviewers: int = 10) -> list[Scenario]:
    """The standard set: as things are, more reviewers, a second wave, both."""
    base = Scenario("As now")
    return [base, replace(base, name=f"{extra_reviewers} more reviewers",
                          extra_reviewers=extra_reviewers),
            replace(base, name=f"A second wave of {wave:,} referrals", wave=wave),
            replace(base, name=f"A second wave of {wave:,}, and {extra_reviewers} more "
                    "reviewers", wave=wave, extra_reviewers=extra_reviewers)]
