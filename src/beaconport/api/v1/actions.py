"""Actions: the review's lines of inquiry allocated to the token's force. A force's system lists
them (the overdue too), reads one with its history, records the work as done, and records its
result, with what became of the suspects (arrested, charged ...), which goes into the review's
outcomes ledger. Actions allocated elsewhere do not exist for the token."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from beaconport.api.v1.problems import COMMON, ApiProblem, ErrorOut
from beaconport.api.v1.schemas import UtcDatetime
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal
from beaconport.deps import ApiActor, ApiPrincipal, DbSession, require_api
from beaconport.errors import InvalidRequest
from beaconport.referrals.problems import Problem
from beaconport.review import action_queries, actions
from beaconport.review import action_states as st
from beaconport.review.outcomes import EVENTS

router = APIRouter(prefix="/actions", tags=["actions"])
READ = [Depends(require_api(Permission.ACTION_READ))]
WORK = [Depends(require_api(Permission.ACTION_WORK))]


class ActionOut(BaseModel):
    """An action as its force sees it."""

    id: uuid.UUID
    referral_id: uuid.UUID
    force_reference: str = Field(description="The force's reference of the case")
    number: int = Field(description="The action's number within its case")
    title: str
    priority: str = Field(description="high, medium or low")
    status: str = Field(description=(
        "raised, allocated, completed, resulted, quality-checked or filed"))
    allocated_to: str | None = Field(description="A force code, or national")
    due_on: date | None
    overdue: bool = Field(description="Work still outstanding after its due date")

    @classmethod
    def of(cls, row: action_queries.ActionRow) -> ActionOut:
        return cls(id=row.id, referral_id=row.referral_id, force_reference=row.force_reference,
                   number=row.number, title=row.title, priority=row.priority,
                   status=row.status, allocated_to=row.allocated_to, due_on=row.due_on,
                   overdue=row.overdue)


class ActionPageOut(BaseModel):
    items: list[ActionOut]
    total: int
    page: int
    pages: int


class StepOut(BaseModel):
    step: str = Field(description="raise, allocate, reallocate, complete, result, check, "
                      "return or file")
    status: str = Field(description="The stand the action reached")
    note: str
    at: UtcDatetime
    by: str


class ActionDetailOut(ActionOut):
    detail: str = Field(description="The line of inquiry: what to do and why")
    finding_item: str | None = Field(description=(
        "The review instrument's item it was raised from (none: the panel's decision)"))
    work_done: str | None
    result: str | None
    steps: list[StepOut] = Field(description="Every move, oldest first")
    moves: list[str] = Field(description="What the token can do to it now: complete, result")


class CompleteIn(BaseModel):
    note: str = Field(description="What was done, by whom and when (at least 10 characters)",
                      max_length=actions.MAX_TEXT)


class OutcomeIn(BaseModel):
    suspect: str = Field(description="The suspect's person reference in the referral (P2)",
                         max_length=64)
    event: str = Field(description="One of: " + ", ".join(EVENTS))
    occurred_on: date = Field(description="When it happened (not in the future)")
    note: str = Field(default="", max_length=2000)


class ResultIn(BaseModel):
    result: str = Field(description="What the inquiry established (at least 10 characters)",
                        max_length=actions.MAX_TEXT)
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=50, description=(
        "What became of suspects: each goes into the outcomes ledger; all or none are kept"))


class MoveIn(BaseModel):
    step: str = Field(description=(
        "allocate, reallocate, complete, result, check, return or file (who may make each: "
        "docs/review.md)"))
    note: str = Field(default="", max_length=actions.MAX_TEXT)
    allocated_to: str = Field(default="", max_length=100, description=(
        "For allocate and reallocate: a force's code or name, or national"))
    due_on: date | None = Field(default=None, description="For allocate and reallocate")
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=50, description=(
        "For result: what became of suspects"))


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": (
        "There is no such action, or it is not allocated to the token's force")},
}
MOVE_RESPONSES: dict[int | str, dict[str, Any]] = {
    **COMMON, **NOT_FOUND,
    400: {"model": ErrorOut, "description": "The body is not valid JSON"},
    409: {"model": ErrorOut, "description": (
        "The action cannot move so now (its stand is another, or it is not the force's to "
        "work): `detail` says what can happen instead; nothing was stored")},
    422: {"model": ErrorOut, "description": (
        "Something sent cannot be used: `problems` names each (the note, or an outcome by its "
        "position: `outcomes[1].event`); nothing was stored")},
}


def detail_of(view: action_queries.ActionView) -> ActionDetailOut:
    return ActionDetailOut(
        **ActionOut.of(view.row).model_dump(), detail=view.detail,
        finding_item=view.finding_item, work_done=view.work_done, result=view.result,
        steps=[StepOut(step=s.step, status=s.status, note=s.note, at=s.at, by=s.by)
               for s in view.steps], moves=view.moves)


@router.get("", response_model=ActionPageOut, dependencies=READ, responses=COMMON)
def list_actions(
    db: DbSession, principal: ApiPrincipal,
    status: Annotated[str | None, Query(description="Only actions in this stand")] = None,
    overdue: Annotated[bool, Query(description="Only the overdue")] = False,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> ActionPageOut:
    """The force's actions, the soonest due first (50 a page)."""
    if status is not None and status not in st.LABELS:
        raise ApiProblem(422, "The status is not one of the stands",
                         f"Give one of: {', '.join(st.LABELS)}.")
    found = action_queries.listed(db, principal, action_queries.ActionFilter(
        status=status, overdue=overdue, page=page))
    return ActionPageOut(items=[ActionOut.of(r) for r in found.rows], total=found.total,
                         page=found.page, pages=found.pages)


@router.get("/{action_id}", response_model=ActionDetailOut, dependencies=READ,
            responses={**COMMON, **NOT_FOUND})
def get_action(db: DbSession, principal: ApiPrincipal, action_id: uuid.UUID) -> ActionDetailOut:
    """One action with its history and what the token can do to it now."""
    return detail_of(action_queries.one(db, principal, action_id))


def _move(db: DbSession, principal: Principal, actor: ApiActor, action_id: uuid.UUID,
          step: str, note: str, given: list[actions.OutcomeInput], allocated_to: str = "",
          due_on: date | None = None) -> ActionDetailOut:
    try:
        actions.move(db, principal=principal, actor=actor, action_id=action_id, step=step,
                     note=note, outcome_steps=given, allocated_to=allocated_to, due_on=due_on)
    except actions.ActionProblems as exc:
        raise ApiProblem(422, "The action was not moved on", "Nothing was stored.", [
            Problem("invalid_value", _location(field), message)
            for field, message in exc.problems]) from exc
    except InvalidRequest as exc:
        raise ApiProblem(409, "The action cannot move so now", str(exc)) from exc
    return detail_of(action_queries.one(db, principal, action_id))


def _location(field: str) -> str:
    """outcomes-2-event (the pages' name) as outcomes[1].event; the note as the body's field."""
    if field.startswith("outcomes-"):
        _, n, name = field.split("-", 2)
        return f"outcomes[{int(n) - 1}].{'suspect' if name == 'person_ref' else name}"
    return field


@router.post("/{action_id}/complete", response_model=ActionDetailOut, dependencies=WORK,
             responses=MOVE_RESPONSES)
def complete_action(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                    action_id: uuid.UUID, body: CompleteIn) -> ActionDetailOut:
    """Record the work of an allocated action as done."""
    return _move(db, principal, actor, action_id, "complete", body.note, [])


@router.post("/{action_id}/result", response_model=ActionDetailOut, dependencies=WORK,
             responses=MOVE_RESPONSES)
def result_action(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                  action_id: uuid.UUID, body: ResultIn) -> ActionDetailOut:
    """Record a completed action's result, with what became of the suspects. The national
    team then checks it and files it."""
    return _move(db, principal, actor, action_id, "result", body.result,
                 [actions.OutcomeInput(o.suspect, o.event, o.occurred_on, o.note)
                  for o in body.outcomes])


@router.post("/{action_id}/moves", response_model=ActionDetailOut, dependencies=READ,
             responses=MOVE_RESPONSES)
def move_action(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                action_id: uuid.UUID, body: MoveIn) -> ActionDetailOut:
    """Any move of the action's table the token may make: the national team's managers
    allocate, check, return and file; the holder completes and results."""
    return _move(db, principal, actor, action_id, body.step, body.note,
                 [actions.OutcomeInput(o.suspect, o.event, o.occurred_on, o.note)
                  for o in body.outcomes], body.allocated_to, body.due_on)
