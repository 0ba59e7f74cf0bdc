"""Administrators manage accounts and API tokens in the browser; every change is audited."""

from __future__ import annotations

import re

from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.web_support import Browser

from beaconport.audit.models import AuditEvent
from beaconport.auth.models import ApiToken
from beaconport.db import session_scope


def _actions(url: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEvent.action).where(
            AuditEvent.actor == "user:demo-administrator").order_by(AuditEvent.seq)))


def test_grant_revoke_and_disable_from_the_account_page(web: Seeded) -> None:
    admin = web.as_user("demo-administrator")
    page = "/admin/accounts/demo-analyst"
    granted = admin.post_form(f"{page}/roles", {"role": "force-submitter", "force": "WYP",
                                                "change": "grant"}, from_page=page)
    assert granted.status_code == 303
    shown = admin.get(granted.headers["location"]).text
    assert "force-submitter@E23000010" in shown and "Done: grant" in shown
    refused = admin.post_form(f"{page}/roles", {"role": "force-submitter", "change": "grant"},
                              from_page=page)
    assert refused.status_code == 400 and "There is a problem" in refused.text
    revoked = admin.post_form(f"{page}/roles", {"role": "force-submitter", "force": "E23000010",
                                                "change": "revoke"}, from_page=page)
    assert revoked.status_code == 303
    assert "force-submitter@E23000010" not in admin.get(page).text
    analyst = web.as_user("demo-analyst")
    disabled = admin.post_form(f"{page}/action", {"action": "disable"}, from_page=page)
    assert disabled.status_code == 303 and "Disabled" in admin.get(page).text
    assert analyst.get("/", follow_redirects=False).headers["location"] == "/sign-in"
    assert _actions(web.url)[-3:] == ["auth:role:granted", "auth:role:revoked",
                                      "auth:user:disabled"]


def test_a_token_is_shown_once_and_only_its_hash_is_kept(web: Seeded) -> None:
    admin = web.as_user("demo-administrator")
    issued = admin.post_form("/admin/tokens", {"name": "WYP case system", "force": "WYP",
                                               "days": "30"}, from_page="/admin/tokens")
    assert issued.status_code == 200
    token = re.search(r'data-testid="new-token">(bp_[^<]+)<', issued.text)
    assert token is not None
    listing = admin.get("/admin/tokens").text
    assert token.group(1) not in listing and "WYP case system" in listing
    with session_scope(web.url) as session:
        stored = session.scalar(select(ApiToken))
        assert stored is not None and token.group(1) not in (stored.token_hash, stored.prefix)
        prefix = stored.prefix
    revoked = admin.post_form(f"/admin/tokens/{prefix}/revoke", {}, from_page="/admin/tokens")
    assert revoked.status_code == 303 and "Revoked" in admin.get("/admin/tokens").text
    bad = admin.post_form("/admin/tokens", {"name": "", "force": "WYP"}, from_page="/admin/tokens")
    assert bad.status_code == 400 and "Give the token a name" in bad.text
    for days, says in [("soon", "whole number"), ("0", "from 1 to 366 days")]:
        wrong = admin.post_form("/admin/tokens", {"name": "X system", "force": "WYP",
                                                  "days": days}, from_page="/admin/tokens")
        assert wrong.status_code == 400 and says in wrong.text, days
    # A person's token would let the administrator act as that person: not on the pages.
    personal = admin.post_form("/admin/tokens", {"name": "Reviewer's tools",
                                                 "user": "demo-reviewer"},
                               from_page="/admin/tokens")
    assert personal.status_code == 400 and "Name the force" in personal.text
    assert 'name="user"' not in admin.get("/admin/tokens").text


def test_case_workers_cannot_reach_administration(web: Seeded) -> None:
    screener: Browser = web.as_user("demo-screener")
    assert screener.get("/admin/accounts").status_code == 403
    response = screener.client.post("/admin/tokens", data={"name": "x", "force": "WYP"})
    assert response.status_code == 403
