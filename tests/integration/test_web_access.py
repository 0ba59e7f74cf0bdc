"""Every page, walked as every role: what each may open, and that what it may not is refused
(403 for a kind of page outside the role, 404 for another force's records). Every page that
opens is valid HTML."""

from __future__ import annotations

import html5lib
import pytest
from tests.integration.conftest import Seeded

OK, DENIED, GONE = 200, 403, 404
ROLES = ["screener", "reviewer", "senior-reviewer", "victim-liaison", "safeguarding-officer",
         "analyst", "auditor", "administrator", "force-submitter", "force-submitter-2"]
CASEWORK = ["reviewer", "senior-reviewer", "victim-liaison", "safeguarding-officer"]


def expected(role: str) -> dict[str, int]:
    """Page name -> status, from the permission table in docs/permissions.md."""
    everything_else = dict.fromkeys(
        ["list", "screening", "duplicates", "requests", "wyp", "gmp", "audit", "suspect",
         "complainant", "upload", "quarantine", "rejected", "accounts", "account", "tokens",
         "approvals"], DENIED)
    pages = {"home": OK, **everything_else}
    if role == "screener":
        pages.update(dict.fromkeys(["list", "screening", "duplicates", "requests", "wyp", "gmp",
                                    "suspect", "complainant", "upload", "quarantine",
                                    "rejected"], OK))
    elif role in CASEWORK:
        pages.update(dict.fromkeys(["list", "screening", "duplicates", "requests", "wyp", "gmp",
                                    "suspect", "complainant"], OK))
    elif role == "auditor":
        pages.update(list=OK, screening=OK, requests=OK, audit=OK)
    elif role == "administrator":
        pages.update(accounts=OK, account=OK, tokens=OK)
    elif role == "force-submitter":  # West Yorkshire: the seeded WYP referral is its own
        pages.update(dict.fromkeys(["list", "screening", "duplicates", "requests", "wyp",
                                    "suspect", "complainant", "upload", "quarantine",
                                    "rejected"], OK), gmp=GONE)
    elif role == "force-submitter-2":  # Greater Manchester: the WYP records do not exist for it
        pages.update(dict.fromkeys(["list", "screening", "duplicates", "requests", "gmp",
                                    "upload", "quarantine"], OK))
        pages.update(dict.fromkeys(["wyp", "suspect", "complainant", "rejected"], GONE))
    if role == "senior-reviewer":
        pages["approvals"] = OK
    return pages


def paths(web: Seeded) -> dict[str, str]:
    return {
        "home": "/", "list": "/referrals", "screening": "/screening",
        "duplicates": "/screening/duplicates", "requests": "/information-requests",
        "approvals": "/screening/overrides",
        "wyp": f"/referrals/{web.wyp_referral}",
        "gmp": f"/referrals/{web.gmp_referral}",
        "audit": f"/referrals/{web.wyp_referral}/audit-trail",
        "suspect": f"/people/records/{web.suspect}",
        "complainant": f"/people/records/{web.complainant}",
        "upload": "/imports/new", "quarantine": "/rejected",
        "rejected": f"/rejected/{web.rejected}",
        "accounts": "/admin/accounts", "account": "/admin/accounts/demo-reviewer",
        "tokens": "/admin/tokens",
    }


def assert_valid_html(text: str, path: str) -> None:
    parser = html5lib.HTMLParser(strict=True)
    try:
        parser.parse(text)
    except html5lib.html5parser.ParseError as exc:
        raise AssertionError(f"{path} is not valid HTML: {exc}") from exc


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_its_permissions_allow(web: Seeded, role: str) -> None:
    browser = web.as_user(f"demo-{role}")
    got = {}
    for name, path in paths(web).items():
        response = browser.get(path)
        got[name] = response.status_code
        if response.status_code == OK:
            assert_valid_html(response.text, path)
            assert 'data-testid="demo-banner"' in response.text, f"{path} hides the demo"
        else:
            assert "Traceback" not in response.text
    assert got == expected(role)


def test_another_forces_referral_is_not_found_not_forbidden(web: Seeded) -> None:
    browser = web.as_user("demo-force-submitter-2")
    response = browser.get(f"/referrals/{web.wyp_referral}")
    assert response.status_code == GONE
    assert "WYP/CSE/2014/00001" not in response.text
    listed = browser.get("/referrals").text
    assert "GMP/CSE/2016/00001" in listed and "WYP/CSE" not in listed


def test_signed_out_visitors_are_sent_to_sign_in(web: Seeded) -> None:
    client = web.client()
    for path in paths(web).values():
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/sign-in", path
    assert_valid_html(client.get("/sign-in").text, "/sign-in")


def test_unknown_address_is_a_plain_404_page(web: Seeded) -> None:
    browser = web.as_user("demo-screener")
    response = browser.get("/no-such-page")
    assert response.status_code == GONE and "Page not found" in response.text
    assert browser.get("/referrals/not-a-uuid").status_code in (400, GONE)
