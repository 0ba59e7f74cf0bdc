"""Web security through the real app: CSRF, cookies, headers, limits, and errors that never
show a stack trace."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session
from tests.integration.conftest import Seeded
from tests.integration.helpers import count
from tests.integration.web_support import Browser, csrf_of

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth.totp import current_code
from beaconport.demo.accounts import DEMO_PASSWORD, demo_secret


def test_a_form_without_its_token_is_refused(web: Seeded) -> None:
    client = web.client()
    client.get("/sign-in")
    response = client.post("/sign-in", data={"username": "demo-screener",
                                             "password": DEMO_PASSWORD})
    assert response.status_code == 403 and "could not be accepted" in response.text
    forged = client.post("/sign-in", data={"username": "demo-screener", "password": DEMO_PASSWORD,
                                           "csrf_token": "0" * 64})
    assert forged.status_code == 403


def test_a_form_sent_from_another_site_is_refused(web: Seeded) -> None:
    client = web.client()
    token = csrf_of(client.get("/sign-in").text)
    response = client.post("/sign-in", headers={"Origin": "https://elsewhere.example"},
                           data={"username": "demo-screener", "password": DEMO_PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 403


def _cookie_header(response: object) -> str:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return next(h for h in headers if h.startswith("beaconport_session="))


def test_session_cookie_is_secure_httponly_samesite_and_rotated_at_sign_in(web: Seeded) -> None:
    browser = Browser(web.client())
    first = browser.post_form("/sign-in", {"username": "demo-reviewer", "password": DEMO_PASSWORD})
    before = _cookie_header(first)
    assert "HttpOnly" in before and "Secure" in before and "SameSite=lax" in before.replace(
        "samesite", "SameSite")
    code = current_code(demo_secret("demo-reviewer"), clock.now())
    second = browser.post_form("/sign-in/second-factor", {"code": code})
    after = _cookie_header(second)
    assert after.split(";")[0] != before.split(";")[0], "the session was not rotated"
    stale = web.client()
    stale.cookies.set("beaconport_session", before.split(";")[0].split("=", 1)[1])
    assert stale.get("/referrals", follow_redirects=False).status_code == 303


def test_sign_out_ends_the_session(web: Seeded) -> None:
    browser = web.as_user("demo-reviewer")
    cookie = browser.client.cookies.get("beaconport_session")
    response = browser.post_form("/sign-out", {}, from_page="/")
    assert response.status_code == 303 and response.headers["location"] == "/signed-out"
    again = web.client()
    again.cookies.set("beaconport_session", cookie or "")
    assert again.get("/", follow_redirects=False).headers["location"] == "/sign-in"


def test_every_page_carries_the_security_headers_and_no_inline_script(web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    for path in ["/", "/referrals", f"/referrals/{web.wyp_referral}", "/imports/new",
                 "/rejected", "/sign-in"]:
        response = browser.get(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script on {path}"
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {path}"
        assert not re.search(r'\sstyle="', html), f"inline style on {path}"


def test_oversized_and_lengthless_bodies_are_refused(web: Seeded) -> None:
    client = web.client()
    big = client.post("/sign-in", content=b"x" * (1024 * 1024 + 10),
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert big.status_code == 413

    def chunks():  # type: ignore[no-untyped-def]
        yield b"username=a"

    assert client.post("/sign-in", content=chunks()).status_code == 411


def test_a_failed_commit_is_an_error_page_and_saves_nothing(web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    browser.client = TestClient(web.app, base_url="https://testserver",
                                raise_server_exceptions=False, cookies=browser.client.cookies)
    consulted_before = count(web.url, AuditEvent)
    commits: list[Session] = []

    def refuse(session: Session) -> None:
        # The first commit is sign-in's own short transaction; the second is the page's.
        commits.append(session)
        if len(commits) == 2:
            raise RuntimeError("simulated failure at commit")

    event.listen(Session, "before_commit", refuse)
    try:
        response = browser.get(f"/referrals/{web.wyp_referral}")
    finally:
        event.remove(Session, "before_commit", refuse)
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.text
    assert "Traceback" not in response.text and "simulated failure" not in response.text
    assert re.search(r"reference: <strong>[0-9a-f]{8}</strong>", response.text)
    assert len(commits) == 2
    assert count(web.url, AuditEvent) == consulted_before, "the consultation was half-saved"


@pytest.mark.parametrize("name", ["evil.exe", "referrals.xlsx"])
def test_an_upload_of_the_wrong_kind_is_refused_in_plain_words(web: Seeded, name: str) -> None:
    browser = web.as_user("demo-screener")
    token = csrf_of(browser.get("/imports/new").text)
    response = browser.client.post("/imports", data={"csrf_token": token},
                                   files={"file": (name, b"MZ\x90\x00 not a workbook")})
    assert response.status_code == 400
    assert "There is a problem" in response.text and name in response.text
