"""Every auth command in one place, for callers (the web, the API, the command line).

The commands live by subject, each module small enough to read at once: ``accounts`` (accounts
and role grants), ``signin`` (signing in and out, sessions) and ``tokens`` (API tokens). This
module only gathers them, so a handler needs one import: ``from beaconport.auth import service``.
"""

from __future__ import annotations

from beaconport.auth.accounts import (
    create_user,
    disable_user,
    enrol_demo_second_factor,
    grant_role,
    reset_second_factor,
    revoke_role,
    set_password,
    unlock_user,
)
from beaconport.auth.signin import (
    PendingSignIn,
    SignInStep,
    begin_sign_in,
    complete_second_factor,
    end_session,
    justification_for,
    pending_sign_in,
    principal_for_session,
    remember_justification,
)
from beaconport.auth.tokens import issue_token, principal_for_token, revoke_token

__all__ = [
    "PendingSignIn",
    "SignInStep",
    "begin_sign_in",
    "complete_second_factor",
    "create_user",
    "disable_user",
    "end_session",
    "enrol_demo_second_factor",
    "grant_role",
    "issue_token",
    "justification_for",
    "pending_sign_in",
    "principal_for_session",
    "principal_for_token",
    "remember_justification",
    "reset_second_factor",
    "revoke_role",
    "revoke_token",
    "set_password",
    "unlock_user",
]
