"""Architecture checks: what the docs promise, and that migrations match the models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from beaconport.audit.actions import S62_CATEGORY, AuditAction
from beaconport.db import Base, get_engine
from beaconport.referrals.problems import PROBLEM_CODES
from beaconport.settings import Settings

ROOT = Path(__file__).parents[2]


def test_every_problem_code_is_documented() -> None:
    text = (ROOT / "docs" / "data-format.md").read_text()
    documented = set(re.findall(r"^\| `([a-z0-9_]+)` \|", text, re.MULTILINE))
    assert documented == set(PROBLEM_CODES)


def test_every_audit_action_is_documented_with_its_category() -> None:
    text = (ROOT / "docs" / "audit-events.md").read_text()
    for action in AuditAction:
        assert f"| `{action.value}` | {S62_CATEGORY[action]} |" in text, action


def test_every_audit_action_is_written_somewhere() -> None:
    listing = ROOT / "src" / "beaconport" / "audit" / "actions.py"
    source = "\n".join(p.read_text() for p in (ROOT / "src").rglob("*.py") if p != listing)
    for action in AuditAction:
        assert f"AuditAction.{action.name}" in source, action


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"BEACONPORT_{name.upper()}" in readme, name


@pytest.mark.parametrize("engine_fixture", ["sqlite_url", "postgresql_url"])
def test_migrations_match_the_models(engine_fixture: str,
                                     request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(engine_fixture)
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
