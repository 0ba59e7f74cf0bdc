"""Every permission and every role, as data: the one table that says who may do what.

Permissions are ``resource:action``. A role is granted nationally (all forces) or, for
force-scoped roles, for one force; a force-scoped grant covers only that force's referrals.
docs/permissions.md is generated from this module (``beaconport users permissions``) and a test
checks it is current.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    ACTION_MANAGE = "action:manage"
    ACTION_RAISE = "action:raise"
    ACTION_READ = "action:read"
    ACTION_WORK = "action:work"
    AUDIT_EXPORT = "audit:export"
    AUDIT_READ = "audit:read"
    COMPLAINANT_CONTACT = "complainant:contact"
    COMPLAINANT_READ = "complainant:read"
    DUPLICATE_DECIDE = "duplicate:decide"
    LEARNING_BY_FORCE = "learning:by-force"
    LEARNING_READ = "learning:read"
    OUTCOME_RECORD = "outcome:record"
    OVERDUE_READ = "overdue:read"
    PANEL_DECIDE = "panel:decide"
    PERSON_READ = "person:read"
    PUBLICATION_MANAGE = "publication:manage"
    PERSON_LINK = "person:link"
    REFERRAL_LIST = "referral:list"
    REFERRAL_READ = "referral:read"
    REFERRAL_SUBMIT = "referral:submit"
    REJECTED_DISCARD = "rejected:discard"
    REJECTED_READ = "rejected:read"
    REVIEW_ALLOCATE = "review:allocate"
    REVIEW_SIGN_OFF = "review:sign-off"
    REVIEWER_MANAGE = "reviewer:manage"
    SCREENING_APPROVE = "screening:approve"
    SCREENING_OVERRIDE = "screening:override"
    SAFEGUARDING_FLAG = "safeguarding:flag"
    SAFEGUARDING_MANAGE = "safeguarding:manage"
    SAFEGUARDING_READ = "safeguarding:read"
    STATS_BY_FORCE = "stats:by-force"
    STATS_READ = "stats:read"
    TOKEN_MANAGE = "token:manage"  # noqa: S105 (a permission name, not a secret)
    TRIAGE_READ = "triage:read"
    USER_MANAGE = "user:manage"
    VICTIM_ENGAGE = "victim:engage"


PERMISSION_MEANING: dict[Permission, str] = {
    Permission.ACTION_MANAGE: ("Allocate the review's actions to a force or the national team "
                               "with a due date, quality-check their results and file them"),
    Permission.ACTION_RAISE: "Raise an action (a line of inquiry) from a reviewed case's findings",
    Permission.ACTION_READ: "See the review's actions (a force-scoped grant: its force's only)",
    Permission.ACTION_WORK: ("Work an action allocated to one's force or team: complete it and "
                             "record its result, including what became of the suspects"),
    Permission.AUDIT_EXPORT: "Export the audit log for an inquiry or the Information Commissioner",
    Permission.AUDIT_READ: "Read the audit log, including a referral's audit trail",
    Permission.COMPLAINANT_CONTACT: "See complainants' contact details (addresses)",
    Permission.COMPLAINANT_READ: "See a complainant's identity, after giving a justification",
    Permission.DUPLICATE_DECIDE: "Decide whether referrals sharing a crime reference are one case",
    Permission.LEARNING_BY_FORCE: "See the learning counts broken down by force",
    Permission.LEARNING_READ: ("See the learning: missed lines of inquiry and errors counted "
                               "by category and kind, across the operation"),
    Permission.OUTCOME_RECORD: ("Record what became of a reviewed case's suspects: arrested, "
                                "charged, convicted and so on, with dates"),
    Permission.OVERDUE_READ: ("See everything overdue: referrals to authorities not "
                              "acknowledged in time, and Victims' Code duties not met (no "
                              "contact details)"),
    Permission.PANEL_DECIDE: ("Record the panel's decision on a signed-off review: the outcome, "
                              "the options considered and the rationale"),
    Permission.PERSON_READ: "See suspects' and witnesses' records",
    Permission.PUBLICATION_MANAGE: ("Choose whether published statistics include per-force "
                                    "breakdowns (excluded unless enabled)"),
    Permission.PERSON_LINK: ("Decide whether two person records are the same person (the "
                             "clerical review of linkage), and split a person again"),
    Permission.REFERRAL_LIST: "List referrals: references, forces, dates and counts, no names",
    Permission.REFERRAL_READ: "Open a referral: crimes, decisions, versions, people by role",
    Permission.REFERRAL_SUBMIT: "Submit referrals by file upload or the API",
    Permission.REJECTED_DISCARD: "Discard a referral held in quarantine, with a reason",
    Permission.REJECTED_READ: "See referrals held in quarantine and why",
    Permission.REVIEW_ALLOCATE: ("Allocate cases from the triage queue to reviewers, reallocate "
                                 "them with a reason, and see every reviewer's workload"),
    Permission.REVIEW_SIGN_OFF: ("Sign off another reviewer's structured review for the panel, "
                                 "or return it with reasons (never one's own)"),
    Permission.REVIEWER_MANAGE: ("Keep reviewers' profiles (capacity, skills, vetting, forces "
                                 "served in) and record their conflicts of interest"),
    Permission.SCREENING_APPROVE: "Approve or refuse another person's screening override",
    Permission.SCREENING_OVERRIDE: "Ask to put a decision in place of screening's, with a reason",
    Permission.SAFEGUARDING_FLAG: ("Raise a safeguarding flag on a suspect who may still be a "
                                   "danger to children, at any stage"),
    Permission.SAFEGUARDING_MANAGE: ("Resolve safeguarding flags, with a reason, and refer them "
                                     "to the authorities who can act"),
    Permission.SAFEGUARDING_READ: "See safeguarding flags: the concern, its risk and urgency",
    Permission.STATS_BY_FORCE: ("See aggregate figures broken down by force on the dashboard "
                                "(a force-scoped grant: its own force's only)"),
    Permission.STATS_READ: "See aggregate figures",
    Permission.TOKEN_MANAGE: "Issue and revoke API tokens for force systems",
    Permission.TRIAGE_READ: "See the triage queue of eligible cases and each case's priority",
    Permission.USER_MANAGE: "Create accounts, grant and revoke roles, disable accounts",
    Permission.VICTIM_ENGAGE: ("Record a complainant's support for the review, their contact "
                               "plan and every contact with them"),
}


class Role(StrEnum):
    FORCE_SUBMITTER = "force-submitter"
    FORCE_INVESTIGATOR = "force-investigator"
    SCREENER = "screener"
    REVIEWER = "reviewer"
    SENIOR_REVIEWER = "senior-reviewer"
    PANEL_MEMBER = "panel-member"
    VICTIM_LIAISON = "victim-liaison"
    SAFEGUARDING_OFFICER = "safeguarding-officer"
    ANALYST = "analyst"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"


ROLE_MEANING: dict[Role, str] = {
    Role.FORCE_SUBMITTER: "A force's liaison: submits and follows its own force's referrals",
    Role.FORCE_INVESTIGATOR: ("A force's investigating officer or team: works the review's "
                              "actions allocated to their force and records the results"),
    Role.SCREENER: "Screens referrals against the admission criteria",
    Role.REVIEWER: "Reviews admitted cases",
    Role.SENIOR_REVIEWER: "Reviews, and approves other people's decisions",
    Role.PANEL_MEMBER: "Sits on the specialist panel deciding what happens to each reviewed case",
    Role.VICTIM_LIAISON: "Contacts victims and survivors; the only role that sees contact details",
    Role.SAFEGUARDING_OFFICER: "Flags dangerous suspects to the authorities who can act",
    Role.ANALYST: "Aggregate figures only; never names",
    Role.AUDITOR: "Reads and exports the audit log",
    Role.ADMINISTRATOR: "Manages accounts and API tokens; sees no case data",
}

#: Roles that must be granted for one force, and only see that force's referrals.
FORCE_SCOPED_ROLES: frozenset[Role] = frozenset({Role.FORCE_SUBMITTER,
                                                 Role.FORCE_INVESTIGATOR})

_CASEWORK = frozenset({
    Permission.REFERRAL_LIST, Permission.REFERRAL_READ, Permission.PERSON_READ,
    Permission.COMPLAINANT_READ, Permission.STATS_READ,
})

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FORCE_SUBMITTER: _CASEWORK | {
        Permission.REFERRAL_SUBMIT, Permission.REJECTED_READ, Permission.REJECTED_DISCARD,
        Permission.LEARNING_READ, Permission.STATS_BY_FORCE,
    },
    Role.FORCE_INVESTIGATOR: frozenset({
        Permission.REFERRAL_LIST, Permission.REFERRAL_READ, Permission.PERSON_READ,
        Permission.ACTION_READ, Permission.ACTION_WORK, Permission.LEARNING_READ,
    }),
    Role.SCREENER: _CASEWORK | {
        Permission.REFERRAL_SUBMIT, Permission.REJECTED_READ, Permission.REJECTED_DISCARD,
        Permission.DUPLICATE_DECIDE, Permission.SCREENING_OVERRIDE, Permission.PERSON_LINK,
        Permission.SAFEGUARDING_FLAG, Permission.SAFEGUARDING_READ,
    },
    Role.REVIEWER: _CASEWORK | {Permission.PERSON_LINK, Permission.TRIAGE_READ,
                                Permission.ACTION_READ, Permission.ACTION_RAISE,
                                Permission.ACTION_WORK, Permission.LEARNING_READ,
                                Permission.SAFEGUARDING_FLAG, Permission.SAFEGUARDING_READ},
    Role.SENIOR_REVIEWER: _CASEWORK | {Permission.DUPLICATE_DECIDE, Permission.SCREENING_APPROVE,
                                       Permission.PERSON_LINK, Permission.TRIAGE_READ,
                                       Permission.REVIEW_ALLOCATE, Permission.REVIEWER_MANAGE,
                                       Permission.REVIEW_SIGN_OFF, Permission.OUTCOME_RECORD,
                                       Permission.ACTION_READ, Permission.ACTION_RAISE,
                                       Permission.ACTION_WORK, Permission.ACTION_MANAGE,
                                       Permission.LEARNING_READ, Permission.LEARNING_BY_FORCE,
                                       Permission.STATS_BY_FORCE,
                                       Permission.SAFEGUARDING_FLAG,
                                       Permission.SAFEGUARDING_READ, Permission.OVERDUE_READ},
    Role.PANEL_MEMBER: _CASEWORK | {Permission.TRIAGE_READ, Permission.PANEL_DECIDE,
                                    Permission.ACTION_READ, Permission.ACTION_RAISE,
                                    Permission.LEARNING_READ, Permission.LEARNING_BY_FORCE,
                                    Permission.STATS_BY_FORCE, Permission.SAFEGUARDING_READ},
    Role.VICTIM_LIAISON: _CASEWORK | {Permission.COMPLAINANT_CONTACT, Permission.VICTIM_ENGAGE,
                                      Permission.OVERDUE_READ},
    Role.SAFEGUARDING_OFFICER: _CASEWORK | {Permission.SAFEGUARDING_FLAG,
                                            Permission.SAFEGUARDING_READ,
                                            Permission.SAFEGUARDING_MANAGE,
                                            Permission.OVERDUE_READ},
    Role.ANALYST: frozenset({Permission.STATS_READ, Permission.STATS_BY_FORCE,
                             Permission.LEARNING_READ, Permission.LEARNING_BY_FORCE}),
    Role.AUDITOR: frozenset({Permission.AUDIT_READ, Permission.AUDIT_EXPORT,
                             Permission.REFERRAL_LIST}),
    Role.ADMINISTRATOR: frozenset({Permission.USER_MANAGE, Permission.TOKEN_MANAGE,
                                   Permission.PUBLICATION_MANAGE}),
}
