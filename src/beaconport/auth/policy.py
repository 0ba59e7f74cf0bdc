"""The one place access is decided: ``can()`` for a single record, ``visible()`` for SQL.

Default deny: a principal holds exactly the permissions of its grants; a force-scoped grant
covers only its force. Whatever a principal may not see does not exist for it (the web and the
API answer 404), so nothing here distinguishes "missing" from "forbidden".
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import InstrumentedAttribute

from beaconport.auth.permissions import ROLE_PERMISSIONS, Permission, Role


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    #: None: every force.
    force_code: str | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking: a signed-in person or a force system's API token."""

    id: uuid.UUID
    name: str
    display_name: str
    grants: tuple[Grant, ...]
    #: user or token
    kind: str = "user"
    #: A person acting through an API token: which one (the audit log notes it).
    via: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this principal."""
        return f"{self.kind}:{self.name}"

    @property
    def roles_text(self) -> str:
        return ", ".join(
            f"{g.role.value}@{g.force_code}" if g.force_code else g.role.value
            for g in self.grants
        )


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a permission reaches: every force, some forces, or nowhere."""

    everywhere: bool
    forces: frozenset[str]

    @property
    def nowhere(self) -> bool:
        return not self.everywhere and not self.forces


def scope(principal: Principal, permission: Permission) -> Scope:
    everywhere = False
    forces: set[str] = set()
    for grant in principal.grants:
        if permission in ROLE_PERMISSIONS.get(grant.role, frozenset()):
            if grant.force_code is None:
                everywhere = True
            else:
                forces.add(grant.force_code)
    return Scope(everywhere, frozenset(forces))


def forces_for(principal: Principal, permission: Permission) -> frozenset[str] | None:
    """The forces a permission reaches: None for every force (an empty set for none)."""
    reach = scope(principal, permission)
    return None if reach.everywhere else reach.forces


def can(principal: Principal, permission: Permission, *, force_code: str | None = None) -> bool:
    """May the principal do this, anywhere (force_code None) or for this force's records?"""
    reach = scope(principal, permission)
    if force_code is None:
        return not reach.nowhere
    return reach.everywhere or force_code in reach.forces


def visible(
    principal: Principal, permission: Permission,
    force_column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
) -> ColumnElement[bool]:
    """A WHERE clause keeping only the rows the principal may see under this permission."""
    reach = scope(principal, permission)
    if reach.everywhere:
        return true()
    if reach.forces:
        return force_column.in_(sorted(reach.forces))
    return false()
