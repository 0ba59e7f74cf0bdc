"""Signed-in test clients, one per role, against the real app, database and sign-in pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from beaconport import clock
from beaconport.auth.totp import current_code
from beaconport.demo.accounts import DEMO_PASSWORD, demo_secret

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


@dataclass
class Browser:
    """A TestClient that signs in through the real pages, remembering each page's CSRF token."""

    client: TestClient
    username: str | None = None
    pages: list[str] = field(default_factory=list)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.client.get(path, **kwargs)

    def post_form(self, path: str, data: dict[str, str], *, from_page: str | None = None,
                  **kwargs: Any) -> Any:
        token = csrf_of(self.client.get(from_page or path).text)
        return self.client.post(path, data={"csrf_token": token, **data},
                                follow_redirects=False, **kwargs)


def sign_in(client: TestClient, username: str) -> Browser:
    browser = Browser(client, username)
    first = browser.post_form("/sign-in", {"username": username, "password": DEMO_PASSWORD})
    assert first.status_code == 303, first.text
    code = current_code(demo_secret(username), clock.now())
    second = browser.post_form("/sign-in/second-factor", {"code": code})
    assert second.status_code == 303 and second.headers["location"] == "/", second.text
    return browser


def clients(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client
