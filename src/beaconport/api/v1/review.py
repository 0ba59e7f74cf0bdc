"""The review, for the national team's own tools, with a person's API token (it acts as that
person, with their roles): the triage queue and a case's priority, allocation, the structured
review item by item (optimistic locking as on the pages), quality assurance, the panel's
decision, raising actions, the outcomes ledger, the case's story and the learning. Every rule of
the pages applies, through the same services."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from beaconport.api.v1.actions import ActionDetailOut, detail_of
from beaconport.api.v1.problems import COMMON, ApiProblem, ErrorOut
from beaconport.api.v1.schemas import UtcDatetime
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import can
from beaconport.deps import ApiActor, ApiPrincipal, DbSession, require_api
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.referrals.problems import Problem
from beaconport.review import (
    action_queries,
    actions,
    allocation,
    conduct,
    instrument,
    learning,
    outcomes,
    panel,
    queries,
    timeline,
)

router = APIRouter(tags=["review"])
TRIAGE = [Depends(require_api(Permission.TRIAGE_READ))]
ALLOCATE = [Depends(require_api(Permission.REVIEW_ALLOCATE))]
DECIDE = [Depends(require_api(Permission.PANEL_DECIDE))]
RAISE = [Depends(require_api(Permission.ACTION_RAISE))]
RECORD = [Depends(require_api(Permission.OUTCOME_RECORD))]
LEARN = [Depends(require_api(Permission.LEARNING_READ))]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


CASE_404: dict[int | str, dict[str, Any]] = {404: _error("There is no such case or review")}
CHANGES: dict[int | str, dict[str, Any]] = {
    **COMMON, **CASE_404,
    400: _error("The body is not valid JSON"),
    409: _error("It cannot be done now, or not by this person (the case's stand, four eyes, "
                "the holder of the case): `detail` says why; nothing was stored"),
    422: _error("Something sent cannot be used: `problems` names each; nothing was stored"),
}


def _problems(problems: list[tuple[str, str]]) -> ApiProblem:
    return ApiProblem(422, "Not stored", "Nothing was stored.",
                      [Problem("invalid_value", field, message) for field, message in problems])


def _refused(exc: InvalidRequest) -> ApiProblem:
    return ApiProblem(409, "Not done", str(exc))


# -- Triage and allocation --------------------------------------------------------------------

class QueueEntryOut(BaseModel):
    rank: int
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    score: int
    involves_rape: bool


class QueueOut(BaseModel):
    entries: list[QueueEntryOut]
    total: int
    page: int
    pages: int
    unscored: int = Field(description="Eligible cases not yet scored, so not in the queue")


@router.get("/triage", response_model=QueueOut, dependencies=TRIAGE, responses=COMMON)
def triage_queue(db: DbSession, principal: ApiPrincipal,
                 wanted: Annotated[queries.QueueFilter, Query()]) -> QueueOut:
    """The triage queue, highest priority first (25 a page)."""
    found = queries.queue(db, principal, wanted)
    return QueueOut(entries=[QueueEntryOut(rank=e.rank, referral_id=e.referral_id,
                                           force_code=e.force_code,
                                           force_reference=e.force_reference, score=e.score,
                                           involves_rape=e.involves_rape)
                             for e in found.entries],
                    total=found.total, page=found.page, pages=found.pages,
                    unscored=found.unscored)


class PartOut(BaseModel):
    factor: str
    value: Any
    points: int


class PriorityOut(BaseModel):
    referral_id: uuid.UUID
    score: int
    rank: int
    queued: int
    weights_version: str
    scored_at: UtcDatetime
    parts: list[PartOut]


@router.get("/triage/{referral_id}", response_model=PriorityOut, dependencies=TRIAGE,
            responses={**COMMON, 404: _error("The case is not in the triage queue")})
def triage_priority(db: DbSession, principal: ApiPrincipal,
                    referral_id: uuid.UUID) -> PriorityOut:
    """A queued case's score, its place in the queue and each factor's points."""
    found = queries.priority_of(db, principal, referral_id)
    if found is None:
        raise NotFound("That case is not in the triage queue.")
    return PriorityOut(referral_id=found.referral_id, score=found.score, rank=found.rank,
                       queued=found.queued, weights_version=found.weights_version,
                       scored_at=found.scored_at,
                       parts=[PartOut(factor=p.factor, value=p.value, points=p.points)
                              for p in found.parts])


class AllocationIn(BaseModel):
    username: str = Field(max_length=120, description="The reviewer's username")
    reason: str = Field(default="", max_length=2000, description=(
        "Needed when the case is already allocated: why it moves"))


class DoneOut(BaseModel):
    done: str


@router.post("/cases/{referral_id}/allocation", response_model=DoneOut, dependencies=ALLOCATE,
             responses=CHANGES)
def allocate_case(db: DbSession, actor: ApiActor, referral_id: uuid.UUID,
                  body: AllocationIn) -> DoneOut:
    """Allocate a queued case to a reviewer who may take it (or reallocate it, with a reason).
    A refusal gives every reason the reviewer may not take it."""
    try:
        if allocation.current_holder(db, referral_id) is None:
            allocation.allocate(db, actor=actor, referral_id=referral_id,
                                username=body.username)
            return DoneOut(done="allocated")
        allocation.reallocate(db, actor=actor, referral_id=referral_id,
                              username=body.username, reason=body.reason)
    except InvalidRequest as exc:
        raise _refused(exc) from exc
    return DoneOut(done="reallocated")


# -- The structured review --------------------------------------------------------------------

class FindingOut(BaseModel):
    assessment: str
    basis: str
    notes: str
    evidence: list[str]
    achievable: str | None
    impact: str | None
    error_type: str | None
    revision: int = Field(description="Send it back when saving, to save over this revision")
    saved_at: UtcDatetime
    saved_by: str


class ReviewOut(BaseModel):
    id: uuid.UUID
    referral_id: uuid.UUID
    kind: str = Field(description="primary, or blind-second")
    instrument: str
    status: str
    reviewer: str
    items: list[str] = Field(description="Every check item's code, in the instrument's order")
    findings: dict[str, FindingOut]
    actions: list[str] = Field(description="What this person can do to it now")


class ReviewStartedOut(BaseModel):
    review_id: uuid.UUID


@router.post("/cases/{referral_id}/review", response_model=ReviewStartedOut,
             dependencies=TRIAGE, responses=CHANGES)
def start_review(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                 referral_id: uuid.UUID) -> ReviewStartedOut:
    """The reviewer the case is allocated to starts its review (or gets the one begun)."""
    try:
        return ReviewStartedOut(review_id=conduct.start(db, principal=principal, actor=actor,
                                                        referral_id=referral_id))
    except InvalidRequest as exc:
        raise _refused(exc) from exc


def _review(db: DbSession, principal: Any, review_id: uuid.UUID) -> ReviewOut:
    sheet = conduct.sheet(db, principal, review_id)
    return ReviewOut(
        id=sheet.id, referral_id=sheet.referral_id, kind=sheet.kind,
        instrument=sheet.instrument.version, status=sheet.status, reviewer=sheet.reviewer,
        items=[i.code for c in sheet.instrument.categories for i in c.items],
        findings={code: FindingOut(assessment=f.assessment, basis=f.basis, notes=f.notes,
                                   evidence=f.evidence, achievable=f.achievable,
                                   impact=f.impact, error_type=f.error_type,
                                   revision=f.revision, saved_at=f.saved_at,
                                   saved_by=f.saved_by)
                  for code, f in sheet.findings.items()},
        actions=sheet.actions)


@router.get("/reviews/{review_id}", response_model=ReviewOut, dependencies=TRIAGE,
            responses={**COMMON, **CASE_404})
def get_review(db: DbSession, principal: ApiPrincipal, review_id: uuid.UUID) -> ReviewOut:
    """A review with its findings (a blind second review stays unseen as on the pages)."""
    return _review(db, principal, review_id)


class FindingIn(BaseModel):
    revision: int = Field(ge=0, description="The revision this was made from (0: a new one)")
    assessment: str = Field(description="One of: " + ", ".join(instrument.ASSESSMENTS))
    basis: str = Field(description="fact or assessment (DPA 2018 s38)")
    notes: str = Field(default="", max_length=instrument.MAX_NOTES)
    evidence: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list,
                                                                  max_length=50)
    achievable: str | None = None
    impact: str | None = None
    error_type: str | None = None


class SavedOut(BaseModel):
    item: str
    revision: int
    saved_at: UtcDatetime
    saved_by: str


@router.put("/reviews/{review_id}/items/{item}", response_model=SavedOut, dependencies=TRIAGE,
            responses={**CHANGES, 409: _error(
                "Someone saved the item since the revision sent (`detail` says who and when), "
                "or the review can no longer be changed: nothing was stored")})
def save_finding(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                 review_id: uuid.UUID, item: Annotated[str, Path(max_length=10)],
                 body: FindingIn) -> SavedOut:
    """Save the finding on one check item, over the revision it was made from."""
    finding = instrument.FindingInput(
        assessment=body.assessment, basis=body.basis, notes=body.notes.strip(),
        evidence=tuple(e.strip() for e in body.evidence if e.strip()),
        achievable=body.achievable, impact=body.impact, error_type=body.error_type)
    try:
        saved = conduct.save_finding(db, principal=principal, actor=actor, review_id=review_id,
                                     item=item, revision=body.revision, finding=finding)
    except conduct.FindingProblems as exc:
        raise _problems(exc.problems) from exc
    except (InvalidRequest, Conflict) as exc:
        raise ApiProblem(409, "Not saved", str(exc)) from exc
    return SavedOut(item=saved.item, revision=saved.revision, saved_at=saved.saved_at,
                    saved_by=saved.saved_by)


class QualityIn(BaseModel):
    decision: Literal["sign-off", "return"]
    note: str = Field(max_length=4000, description="Why (at least 10 characters)")


@router.post("/reviews/{review_id}/submission", response_model=ReviewOut, dependencies=TRIAGE,
             responses=CHANGES)
def submit_review(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                  review_id: uuid.UUID) -> ReviewOut:
    """The reviewer submits the review for quality assurance, every item having a finding."""
    try:
        conduct.submit(db, principal=principal, actor=actor, review_id=review_id)
    except InvalidRequest as exc:
        raise _refused(exc) from exc
    return _review(db, principal, review_id)


@router.post("/reviews/{review_id}/quality-assurance", response_model=ReviewOut,
             dependencies=TRIAGE, responses=CHANGES)
def quality_assure(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                   review_id: uuid.UUID, body: QualityIn) -> ReviewOut:
    """A second, different senior reviewer signs the review off, or returns it."""
    try:
        conduct.quality_assure(db, principal=principal, actor=actor, review_id=review_id,
                               sign_off=body.decision == "sign-off", note=body.note)
    except InvalidRequest as exc:
        raise _refused(exc) from exc
    return _review(db, principal, review_id)


# -- The panel, actions and outcomes ----------------------------------------------------------

class PanelIn(BaseModel):
    outcome: str = Field(description="One of: " + ", ".join(panel.OUTCOMES))
    options_considered: list[str] = Field(max_length=len(panel.OUTCOMES))
    rationale: str = Field(max_length=10_000)
    members: list[Annotated[str, Field(max_length=120)]] = Field(max_length=20, description=(
        "The other members' usernames (the token's person is the recorder)"))


class PanelOut(BaseModel):
    decision_id: uuid.UUID


@router.post("/cases/{referral_id}/panel-decisions", response_model=PanelOut,
             dependencies=DECIDE, responses=CHANGES)
def decide(db: DbSession, actor: ApiActor, referral_id: uuid.UUID, body: PanelIn) -> PanelOut:
    """Record the panel's decision on a case whose review is signed off."""
    try:
        decision = panel.decide(db, actor=actor, referral_id=referral_id, outcome=body.outcome,
                                options_considered=body.options_considered,
                                rationale=body.rationale, members=body.members)
    except panel.PanelProblems as exc:
        raise _problems(exc.problems) from exc
    except InvalidRequest as exc:
        raise _refused(exc) from exc
    return PanelOut(decision_id=decision)


class RaiseIn(BaseModel):
    title: str = Field(max_length=actions.MAX_TITLE)
    detail: str = Field(max_length=actions.MAX_TEXT)
    priority: Literal["high", "medium", "low"] = "medium"
    finding_item: str | None = Field(default=None, max_length=10, description=(
        "The item of the case's review it comes from (none: the panel's decision)"))


@router.post("/cases/{referral_id}/actions", response_model=ActionDetailOut,
             dependencies=RAISE, responses=CHANGES)
def raise_action(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                 referral_id: uuid.UUID, body: RaiseIn) -> ActionDetailOut:
    """Raise an action on a reviewed case; allocate it with `POST /actions/{id}/moves`."""
    try:
        action_id = actions.raise_action(db, actor=actor, referral_id=referral_id,
                                         title=body.title, detail=body.detail,
                                         priority=body.priority, finding_item=body.finding_item)
    except actions.ActionProblems as exc:
        raise _problems(exc.problems) from exc
    return detail_of(action_queries.one(db, principal, action_id))


class OutcomeIn(BaseModel):
    suspect: str = Field(max_length=64)
    event: str = Field(description="One of: " + ", ".join(outcomes.EVENTS))
    occurred_on: date
    note: str = Field(default="", max_length=outcomes.MAX_NOTE)


class StepOut(BaseModel):
    event: str
    occurred_on: date
    note: str
    recorded_at: UtcDatetime
    recorded_by: str


@router.get("/cases/{referral_id}/outcomes", response_model=dict[str, list[StepOut]],
            dependencies=TRIAGE, responses={**COMMON, **CASE_404})
def case_outcomes(db: DbSession, referral_id: uuid.UUID) -> dict[str, list[StepOut]]:
    """Each suspect's outcomes (by person reference), in the order they happened."""
    return {ref: [StepOut(event=s.event, occurred_on=s.occurred_on, note=s.note,
                          recorded_at=s.recorded_at, recorded_by=s.recorded_by) for s in steps]
            for ref, steps in outcomes.ledger(db, referral_id).items()}


@router.post("/cases/{referral_id}/outcomes", response_model=dict[str, list[StepOut]],
             dependencies=RECORD, responses=CHANGES)
def record_outcome(db: DbSession, actor: ApiActor, referral_id: uuid.UUID,
                   body: OutcomeIn) -> dict[str, list[StepOut]]:
    """Add a step to a suspect's ledger."""
    try:
        outcomes.record(db, actor=actor, referral_id=referral_id, person_ref=body.suspect,
                        event=body.event, occurred_on=body.occurred_on, note=body.note)
    except outcomes.OutcomeProblems as exc:
        raise _problems([("suspect" if f == "person_ref" else f, m)
                         for f, m in exc.problems]) from exc
    return case_outcomes(db, referral_id)


class MomentOut(BaseModel):
    at: UtcDatetime
    stage: str
    title: str
    detail: str
    by: str | None


@router.get("/cases/{referral_id}/story", response_model=list[MomentOut], dependencies=TRIAGE,
            responses={**COMMON, **CASE_404})
def case_story(db: DbSession, principal: ApiPrincipal,
               referral_id: uuid.UUID) -> list[MomentOut]:
    """The case on one timeline, oldest first, from the referral to its suspects' outcomes."""
    return [MomentOut(at=m.at, stage=m.stage, title=m.title, detail=m.detail, by=m.by)
            for m in timeline.story(db, principal, referral_id)]


# -- The learning -----------------------------------------------------------------------------

class CategoryOut(BaseModel):
    code: str
    title: str
    missed: int
    errors: int
    reviews_with_missed: int
    by_error_type: dict[str, int]


class ForceOut(BaseModel):
    force_code: str
    reviews: int
    missed: int
    errors: int


class LearningOut(BaseModel):
    reviews: int
    reviews_with_missed: int
    categories: list[CategoryOut]
    by_force: list[ForceOut] | None = Field(description=(
        "Only for those who may see the learning by force"))


@router.get("/learning", response_model=LearningOut, dependencies=LEARN, responses={
    **COMMON, 400: _error("A filter cannot be used: `problems` names each")})
def learning_counts(
    db: DbSession, principal: ApiPrincipal,
    force: Annotated[str, Query(max_length=40)] = "",
    signed_off_from: Annotated[str, Query(alias="from", max_length=40)] = "",
    signed_off_to: Annotated[str, Query(alias="to", max_length=40)] = "",
) -> LearningOut:
    """Missed lines of inquiry and errors in signed-off reviews, by category (and by force for
    `learning:by-force`)."""
    try:
        filters = learning.filters_for(db, principal, force, signed_off_from, signed_off_to)
    except learning.FilterProblems as exc:
        raise ApiProblem(400, "The filters cannot be used", "Nothing was counted.", [
            Problem("invalid_value", f"query.{field}", message)
            for field, message in exc.problems]) from exc
    found = learning.counts(db, filters,
                            by_force=can(principal, Permission.LEARNING_BY_FORCE))
    return LearningOut(
        reviews=found.reviews, reviews_with_missed=found.reviews_with_missed,
        categories=[CategoryOut(code=c.code, title=c.title, missed=c.missed, errors=c.errors,
                                reviews_with_missed=c.reviews_with_missed,
                                by_error_type=dict(c.by_error_type))
                    for c in found.categories],
        by_force=[ForceOut(force_code=f.force_code, reviews=f.reviews, missed=f.missed,
                           errors=f.errors) for f in found.by_force]
        if found.by_force is not None else None)
