"""Referrals: submit one, list the force's own, and look one up by id or by the force's reference.

Reads return the referral's summary and status only (references, dates, counts), never people,
so nothing here shows personal data and no consultation is logged; the people are for the web
pages, where each look is audited.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response

from beaconport.api.v1.problems import (
    COMMON,
    NOT_FOUND,
    ApiProblem,
    ErrorOut,
    ProblemOut,
    error_response,
)
from beaconport.api.v1.schemas import (
    REFERRAL_BODY,
    AnsweredOut,
    AnswersIn,
    ApiReferralFilter,
    CriterionOut,
    InformationRequestOut,
    QuestionOut,
    QuestionsOut,
    ReferralOut,
    ReferralPageOut,
    ScreeningOut,
    SubmissionOut,
)
from beaconport.auth.permissions import Permission
from beaconport.deps import ApiActor, ApiPrincipal, DbSession, require_api
from beaconport.errors import Conflict, NotFound
from beaconport.referrals import browse, submission
from beaconport.referrals.problems import Problem
from beaconport.review import intake, prioritise
from beaconport.screening import answers, requests
from beaconport.screening import queries as screening_queries

router = APIRouter(prefix="/referrals", tags=["referrals"])
SUBMIT = [Depends(require_api(Permission.REFERRAL_SUBMIT))]
LIST = [Depends(require_api(Permission.REFERRAL_LIST))]

_JSON_TYPES = ("application/json",)


async def json_body(request: Request) -> bytes:
    """The body exactly as sent (the quarantine keeps it verbatim), if it claims to be JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media not in _JSON_TYPES and not media.endswith("+json"):
        raise ApiProblem(415, "Send the referral as JSON",
                         f"The body is {media}; send one referral as a JSON object, with "
                         "'Content-Type: application/json'.")
    return await request.body()


SUBMITTED = {
    "description": "The referral was stored: new (accepted) or a new version (resubmitted)",
    "headers": {"Location": {"description": "The referral's address in the API",
                             "schema": {"type": "string"}}},
}
SUBMIT_RESPONSES: dict[int | str, dict[str, object]] = {
    **COMMON,
    200: {"model": SubmissionOut, **SUBMITTED,
          "description": "The same content as the current version: nothing new was stored"},
    403: {"model": ErrorOut, "description": (
        "The referral names a force other than the token's: nothing was stored")},
    413: {"description": "The body is larger than the service accepts",
          "content": {"text/plain": {"schema": {"type": "string"}}}},
    415: {"model": ErrorOut, "description": "The body is not sent as JSON"},
    422: {"model": ErrorOut, "description": (
        "The referral was rejected: `problems` lists every problem, with the same codes as a "
        "file import. It is kept in the quarantine as sent, for correction")},
}


@router.post("", status_code=201, response_model=SubmissionOut, dependencies=SUBMIT,
             responses={201: SUBMITTED, **SUBMIT_RESPONSES},
             openapi_extra={"requestBody": REFERRAL_BODY})
def submit_referral(request: Request, db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                    body: Annotated[bytes, Depends(json_body)]) -> Response:
    """Submit one referral: validated and stored exactly as a file import would."""
    try:
        done = submission.submit_referral(db, principal=principal, actor=actor, body=body,
                                          after_store=intake.after_store(actor))
    except submission.ForceNotPermitted as exc:
        raise ApiProblem(403, "This token cannot submit referrals for that force",
                         str(exc)) from exc
    except submission.EmptySubmission as exc:
        raise ApiProblem(422, "The request holds no referral", str(exc),
                         [Problem("invalid_json", "", str(exc))]) from exc
    if done.referral is None:
        # Returned, not raised: the request's transaction commits the quarantine entry.
        return error_response(ErrorOut(
            status=422, title="The referral was not accepted",
            detail="It is kept in the quarantine as sent. Correct every problem and send it again.",
            problems=[ProblemOut.of(p) for p in done.problems]))
    out = SubmissionOut.of(done.referral, done.result, done.problems)
    location = request.url_for("referral_status", referral_id=str(out.id)).path
    return JSONResponse(out.model_dump(mode="json"), headers={"Location": location},
                        status_code=200 if done.result == "unchanged" else 201)


@router.get("", response_model=ReferralPageOut, dependencies=LIST, responses=COMMON)
def list_referrals(db: DbSession, principal: ApiPrincipal,
                   filters: Annotated[ApiReferralFilter, Query()]) -> ReferralPageOut:
    """The force's referrals, 50 a page, filtered and sorted as the web list is."""
    return ReferralPageOut.of(browse.list_referrals(db, principal, filters))


@router.get("/by-reference/{force_code}/{force_reference:path}", response_model=ReferralOut,
            dependencies=LIST, responses={**COMMON, **NOT_FOUND})
def referral_by_reference(db: DbSession, principal: ApiPrincipal, force_code: str,
                          force_reference: str) -> ReferralOut:
    """A referral's status, found by the force's code and its own reference (which may hold
    slashes: send them as they are, or encoded as %2F)."""
    return ReferralOut.of(submission.referral_status_by_reference(
        db, principal, force_code, force_reference))


@router.get("/{referral_id}", response_model=ReferralOut, dependencies=LIST,
            responses={**COMMON, **NOT_FOUND})
def referral_status(db: DbSession, principal: ApiPrincipal,
                    referral_id: uuid.UUID) -> ReferralOut:
    """A referral's summary and status (no people: see the module's docstring)."""
    return ReferralOut.of(submission.referral_status(db, principal, referral_id))


@router.get("/{referral_id}/screening", response_model=ScreeningOut, dependencies=LIST,
            responses={**COMMON, **NOT_FOUND})
def referral_screening(db: DbSession, principal: ApiPrincipal,
                       referral_id: uuid.UUID) -> ScreeningOut:
    """The referral's screening decision: each criterion with its reason, and the facts the
    force must supply when the decision is needs_information. 404 until it is screened."""
    submission.referral_status(db, principal, referral_id)  # not found unless visible
    found = screening_queries.current_decision(db, referral_id)
    if found is None:
        raise NotFound("This referral has not been screened yet.")
    return ScreeningOut(
        decision=found.decision, ruleset=found.ruleset, version=found.version,
        screened_at=found.screened_at, involves_rape=found.involves_rape,
        criteria=[CriterionOut(criterion=r["criterion"], verdict=r["verdict"],
                               reason=r["reason"], missing=r.get("missing", []))
                  for r in found.results],
        red_flags=found.red_flags, missing=found.missing)


@router.get("/information-requests/open", response_model=list[InformationRequestOut],
            dependencies=LIST, responses=COMMON)
def open_information_requests(db: DbSession,
                              principal: ApiPrincipal) -> list[InformationRequestOut]:
    """The force's open information requests: for each referral screening cannot decide yet,
    exactly the facts to supply. Answer through `/information-requests/{id}/answers`, or by
    submitting the referral again with them."""
    return [InformationRequestOut(**r.model_dump()) for r in requests.open_requests(db, principal)]


REQUEST_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": (
        "There is no open request with that id for the token's force (answered and closed, or "
        "another force's)")},
}


@router.get("/information-requests/{request_id}", response_model=QuestionsOut,
            dependencies=SUBMIT, responses={**COMMON, **REQUEST_NOT_FOUND})
def information_request_questions(db: DbSession, principal: ApiPrincipal,
                                  request_id: uuid.UUID) -> QuestionsOut:
    """An open request's questions: each missing fact, with the key to answer it by."""
    asked = answers.questions_for(db, principal, request_id)
    return QuestionsOut(
        request_id=asked.request_id, referral_id=asked.referral_id,
        force_code=asked.force_code, force_reference=asked.force_reference,
        version=asked.version,
        questions=[QuestionOut(key=q.key, criterion=q.criterion, label=q.label, hint=q.hint,
                               kind=q.kind, current=q.current,
                               choices=[value for value, _ in q.choices])
                   for q in asked.questions])


@router.post("/information-requests/{request_id}/answers", response_model=AnsweredOut,
             dependencies=SUBMIT, responses={
                 **COMMON, **REQUEST_NOT_FOUND,
                 400: {"model": ErrorOut, "description": "The body is not valid JSON"},
                 409: {"model": ErrorOut, "description": (
                     "The referral has a newer version than the one the answers are about: "
                     "nothing was stored; fetch the questions again")},
                 422: {"model": ErrorOut, "description": (
                     "An answer cannot be used (`problems` says which, by question key), or "
                     "the body is not valid: nothing was stored")}})
def answer_information_request(db: DbSession, principal: ApiPrincipal, actor: ApiActor,
                               request_id: uuid.UUID, body: AnswersIn) -> AnsweredOut:
    """Answer an open request: the answers become a new version of the referral, exactly as
    a resubmission would, and it is screened again at once."""
    try:
        done = answers.answer_request(db, principal=principal, actor=actor,
                                      request_id=request_id, version=body.version,
                                      answers=body.answers)
        prioritise.refresh(db, actor=actor, referral_ids=[done.referral_id])
    except answers.AnswerProblems as exc:
        raise ApiProblem(422, "The answers cannot be used", "Nothing was stored.",
                         [Problem("invalid_value", key, message)
                          for key, message in exc.problems]) from exc
    except Conflict as exc:
        raise ApiProblem(409, "The referral has changed", str(exc)) from exc
    return AnsweredOut(referral_id=done.referral_id,
                       result="unchanged" if done.result == "unchanged" else "resubmitted",
                       version=done.version, decision=done.decision,
                       still_missing=done.still_missing)
