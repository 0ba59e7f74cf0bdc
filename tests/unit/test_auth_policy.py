"""The access policy per role: exactly the role's permissions, and force scope honoured."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.dialects import postgresql

from beaconport.auth.permissions import (
    FORCE_SCOPED_ROLES,
    PERMISSION_MEANING,
    ROLE_MEANING,
    ROLE_PERMISSIONS,
    Permission,
    Role,
)
from beaconport.auth.policy import Grant, Principal, can, scope, visible
from beaconport.referrals.models import Referral

WYP, GMP = "E23000010", "E23000005"


def principal(*grants: Grant) -> Principal:
    return Principal(id=uuid.uuid4(), name="someone", display_name="Someone", grants=grants)


def where(p: Principal, permission: Permission) -> str:
    clause = visible(p, permission, Referral.force_code)
    return str(clause.compile(dialect=postgresql.dialect(),
                              compile_kwargs={"literal_binds": True}))


def test_every_role_and_permission_has_a_meaning() -> None:
    assert set(ROLE_MEANING) == set(Role) == set(ROLE_PERMISSIONS)
    assert set(PERMISSION_MEANING) == set(Permission)


@pytest.mark.parametrize("role", [r for r in Role if r not in FORCE_SCOPED_ROLES])
def test_a_national_role_has_exactly_its_permissions_everywhere(role: Role) -> None:
    p = principal(Grant(role))
    for permission in Permission:
        allowed = permission in ROLE_PERMISSIONS[role]
        assert can(p, permission) is allowed, permission
        assert can(p, permission, force_code=WYP) is allowed, permission
        assert where(p, permission) == ("true" if allowed else "false")


def test_a_force_scoped_grant_reaches_only_its_force() -> None:
    p = principal(Grant(Role.FORCE_SUBMITTER, WYP))
    for permission in Permission:
        allowed = permission in ROLE_PERMISSIONS[Role.FORCE_SUBMITTER]
        assert can(p, permission) is allowed
        assert can(p, permission, force_code=WYP) is allowed
        assert can(p, permission, force_code=GMP) is False
        assert where(p, permission) == (
            f"referral.force_code IN ('{WYP}')" if allowed else "false")


def test_grants_add_up_and_national_reach_wins() -> None:
    two_forces = principal(Grant(Role.FORCE_SUBMITTER, WYP), Grant(Role.FORCE_SUBMITTER, GMP))
    assert scope(two_forces, Permission.REFERRAL_READ).forces == {WYP, GMP}
    assert where(two_forces, Permission.REFERRAL_READ) == (
        f"referral.force_code IN ('{GMP}', '{WYP}')")
    both = principal(Grant(Role.FORCE_SUBMITTER, WYP), Grant(Role.REVIEWER))
    assert can(both, Permission.REFERRAL_READ, force_code=GMP)
    assert where(both, Permission.REFERRAL_READ) == "true"
    # The reviewer grant does not lend its national reach to the submitter's own permissions.
    assert not can(both, Permission.REFERRAL_SUBMIT, force_code=GMP)


def test_no_grants_means_nothing() -> None:
    nobody = principal()
    assert not any(can(nobody, p) for p in Permission)
    assert scope(nobody, Permission.REFERRAL_LIST).nowhere


def test_only_victim_liaison_sees_contact_details_and_analysts_see_no_names() -> None:
    holders = {r for r in Role if Permission.COMPLAINANT_CONTACT in ROLE_PERMISSIONS[r]}
    assert holders == {Role.VICTIM_LIAISON}
    # Analysts see aggregate counts only: figures and the learning, never a record.
    assert ROLE_PERMISSIONS[Role.ANALYST] == {Permission.STATS_READ, Permission.STATS_BY_FORCE,
                                              Permission.LEARNING_READ,
                                              Permission.LEARNING_BY_FORCE}
    assert not ROLE_PERMISSIONS[Role.ADMINISTRATOR] & {
        Permission.REFERRAL_LIST, Permission.REFERRAL_READ, Permission.PERSON_READ,
        Permission.COMPLAINANT_READ}


def test_principal_names_itself_for_the_audit_log() -> None:
    p = Principal(id=uuid.uuid4(), name="alice", display_name="Alice",
                  grants=(Grant(Role.FORCE_SUBMITTER, WYP), Grant(Role.SCREENER)))
    assert p.actor == "user:alice"
    assert p.roles_text == f"force-submitter@{WYP}, screener"
