"""What the API exchanges beyond the referrals' own schemas (``referrals.schemas``)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from beaconport.api.v1.problems import ProblemOut
from beaconport.referrals.problems import Problem
from beaconport.referrals.schemas import ReferralFilter, ReferralPage, ReferralSummary


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


#: A time that always carries its offset: SQLite gives times back without one, and a force's
#: system must not have to guess that they are UTC.
UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


class SubmissionOut(BaseModel):
    """A referral stored (or found already stored) from one submission."""

    id: uuid.UUID = Field(description="Beaconport's id of the referral: GET /referrals/{id}")
    force_code: str
    force_reference: str
    version: int = Field(description="The referral's current version")
    status: str = Field(description="Where the referral stands in the review")
    result: Literal["accepted", "resubmitted", "unchanged"] = Field(description=(
        "accepted: a new referral; resubmitted: a known referral with different content, now a "
        "new version; unchanged: the same content as the current version, nothing stored"))
    warnings: list[ProblemOut] = Field(default_factory=list, description=(
        "Problems that did not stop the referral being accepted (docs/data-format.md)"))

    @classmethod
    def of(cls, referral: ReferralSummary, result: str, warnings: list[Problem]) -> SubmissionOut:
        return cls.model_validate({
            "id": referral.id, "force_code": referral.force_code,
            "force_reference": referral.force_reference, "version": referral.version,
            "status": referral.status, "result": result,
            "warnings": [ProblemOut.of(p) for p in warnings]})


class ReferralOut(ReferralSummary):
    """A referral's summary and status, its time in UTC."""

    received_at: UtcDatetime

    @classmethod
    def of(cls, summary: ReferralSummary) -> ReferralOut:
        return cls.model_validate(summary.model_dump())


class ReferralPageOut(BaseModel):
    """One page of the referrals list (``ReferralPage``, with times in UTC)."""

    items: list[ReferralOut]
    total: int
    page: int
    pages: int
    page_size: int

    @classmethod
    def of(cls, page: ReferralPage) -> ReferralPageOut:
        return cls.model_validate(page.model_dump())


#: The list's filters as query parameters: the web list's own (control characters refused).
ApiReferralFilter = ReferralFilter


#: The request body of a submission: one referral object, as one line of a JSON Lines file.
#: Validation is Beaconport's own (every problem reported, with its code), so the schema only
#: outlines the object; docs/data-format.md is the full definition.
REFERRAL_BODY: dict[str, Any] = {
    "required": True,
    "description": ("One referral in the Referral Interchange Format v1 (docs/data-format.md), "
                    "as a JSON object"),
    "content": {"application/json": {
        "schema": {
            "type": "object",
            "title": "Referral",
            "required": ["format", "force", "force_reference", "referred_on", "crimes", "people",
                         "decisions"],
            "properties": {
                "format": {"type": "string", "enum": ["beaconport.referral/1"]},
                "force": {"type": "string", "description": (
                    "The force's ONS code (E23000010), or its name or usual abbreviation; "
                    "it must be the token's force")},
                "force_reference": {"type": "string", "maxLength": 64},
                "referred_on": {"type": "string", "format": "date"},
                "referring_officer": {"type": "object"},
                "summary": {"type": "string", "maxLength": 4000},
                "crimes": {"type": "array", "items": {"type": "object"}},
                "people": {"type": "array", "items": {"type": "object"}},
                "decisions": {"type": "array", "items": {"type": "object"}},
                "previous_reviews": {"type": "array", "items": {"type": "object"}},
            },
        },
        "example": {
            "format": "beaconport.referral/1", "force": "E23000010",
            "force_reference": "WYP/CSE/2014/00123", "referred_on": "2025-10-02",
            "summary": "Short administrative summary. No graphic detail.",
            "crimes": [{"crime_reference": "13140012345", "recorded_on": "2014-03-02",
                        "offence": {"scheme": "SOA2003", "code": "s5"},
                        "complainants": ["P3"], "suspects": ["P1"], "outcome_code": "15"}],
            "people": [
                {"id": "P1", "role": "suspect", "forenames": "John", "surname": "Smith",
                 "date_of_birth": "1980-05-02", "sex": "male", "interview": "under_caution"},
                {"id": "P3", "role": "complainant", "forenames": "Jane", "surname": "Doe",
                 "date_of_birth": "1999", "sex": "female", "age_at_first_offence": 14},
            ],
            "decisions": [{"suspect": "P1", "crime": "13140012345", "decided_by": "cps",
                           "decision": "nfa_evidential", "outcome_code": "15",
                           "decided_on": "2015-02-10"}],
        },
    }},
}


class CriterionOut(BaseModel):
    criterion: str
    verdict: str
    reason: str
    missing: list[str]


class ScreeningOut(BaseModel):
    """A referral's current screening decision, criterion by criterion (design/screening.md)."""

    decision: str
    ruleset: str
    version: int
    screened_at: UtcDatetime
    involves_rape: bool
    criteria: list[CriterionOut]
    red_flags: list[str]
    #: What the force must supply, when the decision is needs_information.
    missing: list[str]



class InformationRequestOut(BaseModel):
    id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    #: The facts to supply, as screening words them.
    items: list[str]
    opened_at: UtcDatetime
    updated_at: UtcDatetime


class QuestionOut(BaseModel):
    """One fact an information request asks for."""

    key: str = Field(description="Names the answer in `answers`, e.g. `alive_status:P2`")
    criterion: str = Field(description="The criterion that cannot be decided without it")
    label: str
    hint: str
    kind: Literal["alive", "support", "date", "age", "offence"] = Field(description=(
        "alive and support: one of `choices`; date: YYYY-MM-DD (or YYYY-MM); age: whole years; "
        "offence: scheme and code separated by a space, e.g. `SOA2003 s9`"))
    current: str | None = Field(description="What the referral says now, if anything")
    choices: list[str] = Field(description="The values allowed, for alive and support")


class QuestionsOut(BaseModel):
    request_id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    version: int = Field(description="The referral version asked about: send it with the answers")
    questions: list[QuestionOut]


class AnswersIn(BaseModel):
    """Answers to an information request. Answer any of its questions; leave out the rest."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(description="The referral version the questions were about")
    answers: dict[str, str] = Field(description="Each answer by its question's key")


class AnsweredOut(BaseModel):
    referral_id: uuid.UUID
    result: Literal["resubmitted", "unchanged"] = Field(description=(
        "resubmitted: the answers made a new version; unchanged: they are what it already said"))
    version: int
    decision: str | None = Field(description="Screening's decision now")
    still_missing: list[str] = Field(description="What screening still needs, if anything")
