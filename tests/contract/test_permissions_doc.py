"""docs/permissions.md is generated from the permission table and must match it exactly."""

from __future__ import annotations

from pathlib import Path

from beaconport.auth.permissions import Permission, Role
from beaconport.auth.queries import permission_matrix_markdown

DOC = Path(__file__).parents[2] / "docs" / "permissions.md"


def test_permissions_doc_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == permission_matrix_markdown(), (
        "docs/permissions.md is out of date with src/beaconport/auth/permissions.py. "
        "Regenerate it: beaconport users permissions > docs/permissions.md")


def test_permissions_doc_names_every_role_and_permission() -> None:
    text = permission_matrix_markdown()
    for item in [*Role, *Permission]:
        assert f"| `{item.value}` |" in text, item
