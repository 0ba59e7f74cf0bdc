"""Jinja2 with the GOV.UK Frontend macros, autoescaping, and what every page needs to know."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.deps import RequestContext, request_context
from beaconport.errors import BeaconportError
from beaconport.web.security import CSRF_FIELD, csrf_token

_env = Environment(
    loader=ChoiceLoader([
        PackageLoader("beaconport.web", "templates"),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ]),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
templates = Jinja2Templates(env=_env)

#: The primary navigation: (label, path, the permission that shows it).
NAVIGATION: tuple[tuple[str, str, Permission | None], ...] = (
    ("Home", "/", None),
    ("Referrals", "/referrals", Permission.REFERRAL_LIST),
    ("Screening", "/screening", Permission.REFERRAL_LIST),
    ("Requests", "/information-requests", Permission.REFERRAL_LIST),
    ("Triage", "/triage", Permission.TRIAGE_READ),
    ("Reviews", "/reviews", Permission.TRIAGE_READ),
    ("Actions", "/actions", Permission.ACTION_READ),
    ("Learning", "/learning", Permission.LEARNING_READ),
    ("Safeguarding", "/safeguarding", Permission.SAFEGUARDING_READ),
    ("Victims", "/victims", Permission.COMPLAINANT_CONTACT),
    ("Overdue", "/overdue", Permission.OVERDUE_READ),
    ("Statistics", "/statistics", Permission.STATS_READ),
    ("Reviewers", "/reviewers", Permission.REVIEW_ALLOCATE),
    ("Groups", "/people/groups", Permission.PERSON_READ),
    ("Linkage", "/people/review", Permission.PERSON_LINK),
    ("Upload", "/imports/new", Permission.REFERRAL_SUBMIT),
    ("Quarantine", "/rejected", Permission.REJECTED_READ),
    ("Accounts", "/admin/accounts", Permission.USER_MANAGE),
    ("API tokens", "/admin/tokens", Permission.TOKEN_MANAGE),
    ("Publication", "/admin/publication", Permission.PUBLICATION_MANAGE),
)


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{value:%-d %B %Y %H:%M} UTC"


def _day(value: datetime | None) -> str:
    return "" if value is None else f"{value:%-d %b %Y}"


def field_id(key: str) -> str:
    """An element id for a form field whose name holds other characters (a colon, a force's own
    references), so an error summary can link to it."""
    return "answer-" + "".join(c if c.isalnum() else "-" for c in key)


_env.filters["when"] = _when
_env.filters["day"] = _day
_env.filters["field_id"] = field_id


def navigation_for(principal: Principal | None, path: str) -> list[dict[str, Any]]:
    if principal is None:
        return []
    items = []
    for label, href, permission in NAVIGATION:
        if permission is None or can(principal, permission):
            current = path == href or (href != "/" and path.startswith(href))
            items.append({"text": label, "href": href, "active": current})
    return items


def render(request: Request, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200) -> HTMLResponse:
    try:
        ctx = request_context(request)
    except BeaconportError:
        # An error page must render even when the database is what failed.
        ctx = RequestContext(principal=None, demo=False)
    values = {
        "principal": ctx.principal,
        "demo": ctx.demo,
        "navigation": navigation_for(ctx.principal, request.url.path),
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "can": (lambda permission, force_code=None: ctx.principal is not None
                and can(ctx.principal, permission, force_code=force_code)),
        "Permission": Permission,
        **(context or {}),
    }
    return templates.TemplateResponse(request, template, values, status_code=status_code)
