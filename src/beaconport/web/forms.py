"""Form data into Pydantic, and Pydantic's complaints into the GOV.UK error summary."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, TypeVar, overload

from fastapi import Request
from pydantic import BaseModel, Field, ValidationError

from beaconport.web.security import CSRF_FIELD

Model = TypeVar("Model", bound=BaseModel)

#: Why someone needs to see a complainant's record (DPA 2018 s62(2): the justification).
JUSTIFICATION_REASONS: dict[str, str] = {
    "review": "Reviewing this case",
    "safeguarding": "Safeguarding",
    "victim-contact": "Contacting the victim or survivor",
    "quality": "Quality assurance of a review",
    "data-request": "Answering a data protection request",
}


class JustificationForm(BaseModel):
    reason: Literal["review", "safeguarding", "victim-contact", "quality", "data-request"]
    explanation: str = Field(min_length=10, max_length=1000)

    def text(self) -> str:
        return f"{JUSTIFICATION_REASONS[self.reason]}: {self.explanation.strip()}"


#: Plain words for each field's problem, by field name.
FIELD_MESSAGES: dict[str, str] = {
    "reason": "Choose why you need to see this record",
    "explanation": "Explain in at least 10 characters why you need to see this record",
}


def parse_form(model: type[Model], data: dict[str, Any]) -> tuple[Model | None,
                                                                  list[dict[str, str]]]:
    """The parsed form, or None and a GOV.UK error list (text and href to the field)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else ""
            errors.append({"text": FIELD_MESSAGES.get(field, error["msg"]),
                           "href": f"#{field}"})
        return None, errors


async def form_fields(request: Request) -> dict[str, str]:
    """Dependency: every text field of a posted form, for forms whose fields are not known in
    advance (an information request's questions). Starlette keeps the parsed form, so the CSRF
    check and this read it once."""
    form = await request.form()
    return {key: value for key, value in form.multi_items()
            if isinstance(value, str) and key != CSRF_FIELD}


def form_date(text: str) -> date | None:
    """A date typed as YYYY-MM-DD, or None for a blank or unreadable one (the service then
    names the problem beside its field)."""
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


@overload
def form_int(text: str) -> int | None: ...
@overload
def form_int(text: str, otherwise: int) -> int: ...
def form_int(text: str, otherwise: int | None = None) -> int | None:
    """A whole number typed in plain digits (up to nine), or ``otherwise`` for anything else: a
    blank, a sign, a decimal point, or digits from other scripts that ``str.isdigit`` accepts
    but ``int`` does not (the caller names the problem)."""
    text = text.strip()
    return int(text) if 0 < len(text) <= 9 and text.isascii() and text.isdigit() else otherwise
