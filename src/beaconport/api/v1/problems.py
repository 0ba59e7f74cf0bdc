"""What the API answers when it cannot do what was asked: always JSON, never a stack trace.

Errors raised anywhere (``NotFound``, ``SignInRequired``…) are turned into JSON by the handlers
``main`` installs on this app; ``ApiProblem`` is for refusals only the API makes (a referral for
another force, a body that is not JSON). Both answer the same shape, ``ErrorOut``, which the
OpenAPI document declares for every error status so a force's developer knows what to parse.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from beaconport.referrals.problems import Problem


class ProblemOut(BaseModel):
    """One thing wrong with what was sent."""

    code: str | None = Field(default=None, description=(
        "The problem code (docs/data-format.md lists them); absent for a query or path "
        "parameter that is not valid"))
    location: str = Field(description=(
        "Where: a JSON path into the referral (`crimes[0].offence.code`), empty for the whole "
        "body, or the parameter (`query.page`)"))
    message: str = Field(description="What is wrong and how to put it right, in plain words")
    severity: Literal["error", "warning"] | None = Field(
        default=None, description="Errors reject a referral; warnings never do")

    @classmethod
    def of(cls, problem: Problem) -> ProblemOut:
        return cls.model_validate(problem.as_dict())


class ErrorOut(BaseModel):
    """Every error answer: the status again, a short title, and the detail or the problems."""

    status: int
    title: str
    detail: str | None = None
    problems: list[ProblemOut] | None = None
    #: Quoted by an unexpected failure (500), to find it in the service's logs.
    reference: str | None = None


class ApiProblem(Exception):
    """A refusal the API makes itself; raising it rolls back the request's transaction."""

    def __init__(self, status: int, title: str, detail: str | None = None,
                 problems: list[Problem] | None = None) -> None:
        super().__init__(detail or title)
        self.body = ErrorOut(status=status, title=title, detail=detail,
                             problems=[ProblemOut.of(p) for p in problems] if problems else None)


def error_response(body: ErrorOut, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=body.status,
                        headers=headers)


async def api_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return error_response(exc.body)


def _error(description: str, **extra: Any) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description, **extra}


#: Declared on every operation (all need a token, and all take parameters).
COMMON: dict[int | str, dict[str, Any]] = {
    401: _error("No API token, or one that is unknown, expired or revoked",
                headers={"WWW-Authenticate": {"description": "Always `Bearer`",
                                              "schema": {"type": "string"}}}),
    403: _error("The token's role does not allow this request"),
    422: _error("A query or path parameter is not valid; `problems` says which and why"),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: _error("There is no such referral, or it belongs to another force (the API never "
                "says which)"),
}
