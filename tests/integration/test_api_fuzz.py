"""Schemathesis against the API's own OpenAPI document, on both engines: whatever is sent, the
API never fails with a 5xx, answers only statuses and shapes its document declares, and refuses
requests without a valid token.

Bounded to keep the run short: a few dozen examples per operation (the declared example, the
coverage phase's boundary values, then random ones), no example database, no deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from beaconport.auth import accounts
from beaconport.auth.permissions import Role
from beaconport.auth.service import issue_token
from beaconport.db import session_scope
from beaconport.main import create_app
from beaconport.settings import get_settings

WYP = "E23000010"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, ignored_auth]


@pytest.fixture
def tokens(db_url: str) -> dict[str, str]:
    """A force system's token, and a person's in the national team (a senior reviewer who sits
    on the panel, is a safeguarding officer and a victim liaison officer), so the review's,
    safeguarding's and engagement's operations are exercised past their permission checks."""
    with session_scope(db_url) as session:
        accounts.create_user(session, actor="test:setup", username="lead",
                             display_name="Lead", password="a long test password 1",
                             email="lead@nca.example")
        for role in (Role.SENIOR_REVIEWER, Role.PANEL_MEMBER, Role.SAFEGUARDING_OFFICER,
                     Role.VICTIM_LIAISON):
            accounts.grant_role(session, actor="test:setup", username="lead", role=role)
        return {"force": issue_token(session, actor="test:setup", name="WYP case system",
                                     force_code=WYP),
                "person": issue_token(session, actor="test:setup", name="Lead's tools",
                                      username="lead")}


@pytest.fixture(autouse=True)
def database(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield db_url
    get_settings.cache_clear()


# Loaded when the module is collected (schemathesis makes one test per operation from it); the
# document needs no database, and each test's requests reach the database the fixture names.
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app())
get_settings.cache_clear()


@schema.parametrize()
@hypothesis.settings(max_examples=40, deadline=None, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_the_api_never_fails_and_keeps_to_its_document(case: Any,
                                                        tokens: dict[str, str]) -> None:
    forces = case.operation.path.startswith(("/referrals", "/actions"))
    token = tokens["force" if forces else "person"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
