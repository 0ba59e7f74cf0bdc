"""Asking why, before showing what may identify a complainant (DPA 2018 s62(2)): one page and
one way of taking the answer, for every record that needs it.

The answer is kept with the signed-in session for that record, and goes into the audit log with
each consultation it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from beaconport.auth import service as auth
from beaconport.deps import SESSION_COOKIE
from beaconport.web.forms import JUSTIFICATION_REASONS, JustificationForm, parse_form
from beaconport.web.templating import render

if TYPE_CHECKING:  # the session is only passed through to the auth service
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class Asking:
    """One record that needs a justification: its key in the session, and its pages."""

    key: str
    record_page: str
    question: str

    @property
    def form_page(self) -> str:
        return f"{self.record_page}/justification"


def given(request: Request, db: Session, asking: Asking) -> str | None:
    """The justification this session gave for the record, if any."""
    return auth.justification_for(db, token=request.cookies.get(SESSION_COOKIE, ""),
                                  record_key=asking.key)


def ask(request: Request, asking: Asking, form: dict[str, str] | None = None,
        errors: list[dict[str, str]] | None = None, status_code: int = 200) -> HTMLResponse:
    return render(request, "justification.html", {
        "action": asking.form_page, "question": asking.question, "form": form or {},
        "reasons": JUSTIFICATION_REASONS, "errors": errors or []}, status_code=status_code)


def receive(request: Request, db: Session, asking: Asking, *, reason: str,
            explanation: str) -> Response:
    """Keep a valid justification and go back to the record; else ask again, saying why."""
    sent = {"reason": reason, "explanation": explanation}
    form, errors = parse_form(JustificationForm, sent)
    if form is None:
        return ask(request, asking, sent, errors, status_code=400)
    auth.remember_justification(db, token=request.cookies.get(SESSION_COOKIE, ""),
                                record_key=asking.key, justification=form.text())
    return RedirectResponse(asking.record_page, status_code=303)
