"""What the web pages and the API exchange about referrals: filters in, summaries out.

Pydantic, so the API's OpenAPI document describes exactly what the pages show.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

SortKey = Literal["received", "referred", "reference", "force", "suspects"]
PAGE_SIZE = 50


class ListFilter(BaseModel):
    """What every list page's filters share: blank means no filter, and text filters must be
    plain text (PostgreSQL cannot even compare text holding NUL)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("q", "force", "status", check_fields=False)
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and not value.isprintable():
            raise ValueError("must be plain text, without control characters")
        return value

    def active(self) -> dict[str, str]:
        """The filters in force, as query parameters (for links that keep them)."""
        keep = self.model_dump(exclude_none=True, exclude={"page"})
        return {k: str(v) for k, v in keep.items()}


class ReferralFilter(ListFilter):
    """The referrals list's filters. Every field is optional; blank means no filter."""

    q: str | None = Field(default=None, max_length=100,
                          description="Part of the force's reference, or a crime reference")
    force: str | None = Field(default=None, max_length=20, description="Force code, e.g. WYP")
    status: str | None = Field(default=None, max_length=30)
    rape: Literal["yes", "no"] | None = None
    referred_from: date | None = None
    referred_to: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    sort: SortKey = "received"
    order: Literal["asc", "desc"] = "desc"
    page: int = Field(default=1, ge=1, le=100_000)


class ReferralSummary(BaseModel):
    id: uuid.UUID
    force_code: str
    force_name: str
    force_reference: str
    referred_on: str
    received_at: datetime
    involves_rape: bool
    suspects: int
    complainants: int
    status: str
    status_label: str
    version: int


class ReferralPage(BaseModel):
    items: list[ReferralSummary]
    total: int
    page: int
    pages: int
    page_size: int = PAGE_SIZE


class CrimeRead(BaseModel):
    crime_reference: str
    recorded_on: str | None
    offence_scheme: str
    offence_code: str
    offence_description: str | None
    offence_from: str | None
    offence_to: str | None
    outcome_code: str | None
    is_rape: bool
    parties: list[str]


class PersonShown(BaseModel):
    """A person as the referral page shows them. Complainants appear by reference only."""

    id: uuid.UUID
    person_ref: str
    role: str
    name: str | None
    date_of_birth: str | None
    age_at_first_offence: int | None
    sex: str | None
    alive_status: str | None
    interview: str | None
    arrested: bool | None
    review_support: str | None
    identity_withheld: bool


class DecisionRead(BaseModel):
    suspect_ref: str
    crime_reference: str | None
    decided_by: str
    decision: str
    outcome_code: str | None
    decided_on: str | None
    reason: str | None


class VersionRead(BaseModel):
    number: int
    received_at: datetime
    source_name: str
    changes: list[Any]
    warnings: list[Any]


class ReferralDetail(BaseModel):
    summary: ReferralSummary
    referral_summary_text: str | None
    officer_name: str | None
    crimes: list[CrimeRead]
    people: list[PersonShown]
    decisions: list[DecisionRead]
    versions: list[VersionRead]

    def people_in(self, role: str) -> list[PersonShown]:
        return [p for p in self.people if p.role == role]


class PersonRecordRead(BaseModel):
    id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    version: int
    person_ref: str
    role: str
    forenames: str | None
    surname: str | None
    aliases: list[Any]
    date_of_birth: str | None
    sex: str | None
    alive_status: str | None
    interview: str | None
    arrested: bool | None
    age_at_first_offence: int | None
    review_support: str | None
    identifiers: list[Any]
    #: Only for a principal allowed to see contact details of this role; else None.
    addresses: list[Any] | None
    ethnicity: list[dict[str, Any]]
    nationalities: list[str]
    crimes: list[str]


class Headlines(BaseModel):
    """The home page's figures, counted over the referrals the principal may see."""

    referrals: int
    involving_rape: int
    forces_referring: int
    awaiting_screening: int
    in_quarantine: int
    received_last_7_days: int
