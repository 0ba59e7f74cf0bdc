"""The catalogue of audited actions. docs/audit-events.md documents each one; a test checks it.

Names are ``domain:subject:verb``; the s62 category says which of the statutory operations
(collection, alteration, consultation, disclosure, combination, erasure) the action is, or
``access`` for signing in and out and managing accounts, which s62 does not name but an inquiry
will ask about.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    REFERRAL_COLLECTED = "referrals:referral:collected"
    REFERRAL_RESUBMITTED = "referrals:referral:resubmitted"
    REFERRAL_CONSULTED = "referrals:referral:consulted"
    PERSON_CONSULTED = "referrals:person:consulted"
    REJECTED_COLLECTED = "referrals:rejected:collected"
    REJECTED_CONSULTED = "referrals:rejected:consulted"
    REJECTED_DISCARDED = "referrals:rejected:discarded"
    REJECTED_EXPORTED = "referrals:rejected:exported"
    IMPORT_STARTED = "referrals:import:started"
    IMPORT_FINISHED = "referrals:import:finished"
    REFERENCE_LOADED = "reference:dataset:loaded"
    INSTANCE_MARKED_DEMO = "instance:property:set"
    PUBLICATION_PER_FORCE_SET = "instance:publication:per-force"
    USER_CREATED = "auth:user:created"
    USER_DISABLED = "auth:user:disabled"
    USER_UNLOCKED = "auth:user:unlocked"
    USER_LOCKED = "auth:user:locked"
    PASSWORD_SET = "auth:password:set"
    ROLE_GRANTED = "auth:role:granted"
    ROLE_REVOKED = "auth:role:revoked"
    SECOND_FACTOR_ENROLLED = "auth:second-factor:enrolled"
    SECOND_FACTOR_RESET = "auth:second-factor:reset"
    SIGNED_IN = "auth:session:signed-in"
    SIGN_IN_FAILED = "auth:session:sign-in-failed"
    SIGNED_OUT = "auth:session:signed-out"
    TOKEN_ISSUED = "auth:token:issued"
    TOKEN_REVOKED = "auth:token:revoked"
    AUDIT_CONSULTED = "audit:log:consulted"
    AUDIT_EXPORTED = "audit:log:exported"
    SCREENING_DECIDED = "screening:decision:made"
    SCREENING_RUN = "screening:run:finished"
    SCREENING_EXPORTED = "screening:decisions:exported"
    REGISTER_IMPORTED = "screening:register:imported"
    DUPLICATE_DECIDED = "screening:duplicate:decided"
    INFORMATION_REQUESTED = "screening:information-request:changed"
    INFORMATION_ANSWERED = "screening:information-request:answered"
    LINKAGE_RUN = "people:linkage:finished"
    NOMINAL_CHANGED = "people:nominal:changed"
    LINK_DECIDED = "people:link:decided"
    NETWORK_EXPORTED = "people:network:exported"
    OVERRIDE_REQUESTED = "screening:override:requested"
    OVERRIDE_APPROVED = "screening:override:approved"
    OVERRIDE_REFUSED = "screening:override:refused"
    OVERRIDE_VOIDED = "screening:override:voided"
    TRIAGE_SCORED = "review:triage:scored"
    TRIAGE_WEIGHTS_ADDED = "review:triage:weights-added"
    REVIEWER_PROFILE_SET = "review:reviewer:profile-set"
    CONFLICT_DECLARED = "review:conflict:declared"
    CASE_ALLOCATED = "review:case:allocated"
    CASE_REALLOCATED = "review:case:reallocated"
    CASE_RETURNED = "review:case:returned-to-queue"
    REVIEW_STARTED = "review:review:started"
    FINDING_SAVED = "review:finding:saved"
    REVIEW_SUBMITTED = "review:review:submitted"
    REVIEW_SIGNED_OFF = "review:review:signed-off"
    REVIEW_RETURNED = "review:review:returned"
    PANEL_DECIDED = "review:panel:decided"
    OUTCOME_RECORDED = "review:outcome:recorded"
    ACTION_RAISED = "review:action:raised"
    ACTION_MOVED = "review:action:moved"
    BLIND_SAMPLE_SET = "review:blind:sample-set"
    BLIND_ASSIGNED = "review:blind:assigned"
    BLIND_COMPARED = "review:blind:compared"
    BLIND_RESOLVED = "review:blind:resolved"
    SAFEGUARDING_FLAG_RAISED = "safeguarding:flag:raised"
    SAFEGUARDING_FLAG_RESOLVED = "safeguarding:flag:resolved"
    SAFEGUARDING_REFERRED = "safeguarding:referral:sent"
    SAFEGUARDING_ACKNOWLEDGED = "safeguarding:referral:acknowledged"
    SAFEGUARDING_CHASED = "safeguarding:referral:chased"
    SAFEGUARDING_ESCALATED = "safeguarding:referral:escalated"
    SAFEGUARDING_CONSULTED = "safeguarding:referral:consulted"
    VICTIM_SUPPORT_RECORDED = "victims:support:recorded"
    VICTIM_PLAN_SAVED = "victims:plan:saved"
    VICTIM_CONTACT_LOGGED = "victims:contact:logged"
    VICTIM_CONSULTED = "victims:engagement:consulted"
    CASE_HELD = "victims:case:held"
    CASE_HOLD_LIFTED = "victims:case:hold-lifted"
    BACKUP_TAKEN = "platform:backup:taken"
    BACKUP_RESTORED = "platform:backup:restored"


S62_CATEGORY: dict[AuditAction, str] = {
    AuditAction.REFERRAL_COLLECTED: "collection",
    AuditAction.REFERRAL_RESUBMITTED: "alteration",
    AuditAction.REFERRAL_CONSULTED: "consultation",
    AuditAction.PERSON_CONSULTED: "consultation",
    AuditAction.REJECTED_COLLECTED: "collection",
    AuditAction.REJECTED_CONSULTED: "consultation",
    AuditAction.REJECTED_DISCARDED: "erasure",
    AuditAction.REJECTED_EXPORTED: "disclosure",
    AuditAction.IMPORT_STARTED: "collection",
    AuditAction.IMPORT_FINISHED: "collection",
    AuditAction.REFERENCE_LOADED: "alteration",
    AuditAction.INSTANCE_MARKED_DEMO: "alteration",
    AuditAction.PUBLICATION_PER_FORCE_SET: "alteration",
    AuditAction.USER_CREATED: "access",
    AuditAction.USER_DISABLED: "access",
    AuditAction.USER_UNLOCKED: "access",
    AuditAction.USER_LOCKED: "access",
    AuditAction.PASSWORD_SET: "access",
    AuditAction.ROLE_GRANTED: "access",
    AuditAction.ROLE_REVOKED: "access",
    AuditAction.SECOND_FACTOR_ENROLLED: "access",
    AuditAction.SECOND_FACTOR_RESET: "access",
    AuditAction.SIGNED_IN: "access",
    AuditAction.SIGN_IN_FAILED: "access",
    AuditAction.SIGNED_OUT: "access",
    AuditAction.TOKEN_ISSUED: "access",
    AuditAction.TOKEN_REVOKED: "access",
    AuditAction.AUDIT_CONSULTED: "consultation",
    AuditAction.AUDIT_EXPORTED: "disclosure",
    AuditAction.SCREENING_DECIDED: "alteration",
    AuditAction.SCREENING_RUN: "alteration",
    AuditAction.SCREENING_EXPORTED: "disclosure",
    AuditAction.REGISTER_IMPORTED: "collection",
    AuditAction.DUPLICATE_DECIDED: "alteration",
    AuditAction.INFORMATION_REQUESTED: "alteration",
    AuditAction.INFORMATION_ANSWERED: "collection",
    AuditAction.LINKAGE_RUN: "combination",
    AuditAction.NOMINAL_CHANGED: "combination",
    AuditAction.LINK_DECIDED: "combination",
    AuditAction.NETWORK_EXPORTED: "disclosure",
    AuditAction.OVERRIDE_REQUESTED: "alteration",
    AuditAction.OVERRIDE_APPROVED: "alteration",
    AuditAction.OVERRIDE_REFUSED: "alteration",
    AuditAction.OVERRIDE_VOIDED: "alteration",
    AuditAction.TRIAGE_SCORED: "alteration",
    AuditAction.TRIAGE_WEIGHTS_ADDED: "alteration",
    AuditAction.REVIEWER_PROFILE_SET: "alteration",
    AuditAction.CONFLICT_DECLARED: "collection",
    AuditAction.CASE_ALLOCATED: "alteration",
    AuditAction.CASE_REALLOCATED: "alteration",
    AuditAction.CASE_RETURNED: "alteration",
    AuditAction.REVIEW_STARTED: "collection",
    AuditAction.FINDING_SAVED: "alteration",
    AuditAction.REVIEW_SUBMITTED: "alteration",
    AuditAction.REVIEW_SIGNED_OFF: "alteration",
    AuditAction.REVIEW_RETURNED: "alteration",
    AuditAction.PANEL_DECIDED: "alteration",
    AuditAction.OUTCOME_RECORDED: "collection",
    AuditAction.ACTION_RAISED: "collection",
    AuditAction.ACTION_MOVED: "alteration",
    AuditAction.BLIND_SAMPLE_SET: "alteration",
    AuditAction.BLIND_ASSIGNED: "alteration",
    AuditAction.BLIND_COMPARED: "collection",
    AuditAction.BLIND_RESOLVED: "alteration",
    AuditAction.SAFEGUARDING_FLAG_RAISED: "collection",
    AuditAction.SAFEGUARDING_FLAG_RESOLVED: "alteration",
    AuditAction.SAFEGUARDING_REFERRED: "disclosure",
    AuditAction.SAFEGUARDING_ACKNOWLEDGED: "collection",
    AuditAction.SAFEGUARDING_CHASED: "disclosure",
    AuditAction.SAFEGUARDING_ESCALATED: "alteration",
    AuditAction.SAFEGUARDING_CONSULTED: "consultation",
    AuditAction.VICTIM_SUPPORT_RECORDED: "collection",
    AuditAction.VICTIM_PLAN_SAVED: "alteration",
    AuditAction.VICTIM_CONTACT_LOGGED: "collection",
    AuditAction.VICTIM_CONSULTED: "consultation",
    AuditAction.CASE_HELD: "alteration",
    AuditAction.CASE_HOLD_LIFTED: "alteration",
    AuditAction.BACKUP_TAKEN: "disclosure",
    AuditAction.BACKUP_RESTORED: "collection",
}
