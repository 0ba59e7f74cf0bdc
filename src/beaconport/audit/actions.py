"""The catalogue of audited actions. docs/audit-events.md documents each one; a test checks it.

Names are ``domain:subject:verb``; the s62 category says which of the statutory operations
(collection, alteration, consultation, disclosure, combination, erasure) the action is.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    REFERRAL_COLLECTED = "referrals:referral:collected"
    REFERRAL_RESUBMITTED = "referrals:referral:resubmitted"
    REJECTED_COLLECTED = "referrals:rejected:collected"
    REJECTED_DISCARDED = "referrals:rejected:discarded"
    REJECTED_EXPORTED = "referrals:rejected:exported"
    IMPORT_STARTED = "referrals:import:started"
    IMPORT_FINISHED = "referrals:import:finished"
    REFERENCE_LOADED = "reference:dataset:loaded"


S62_CATEGORY: dict[AuditAction, str] = {
    AuditAction.REFERRAL_COLLECTED: "collection",
    AuditAction.REFERRAL_RESUBMITTED: "alteration",
    AuditAction.REJECTED_COLLECTED: "collection",
    AuditAction.REJECTED_DISCARDED: "erasure",
    AuditAction.REJECTED_EXPORTED: "disclosure",
    AuditAction.IMPORT_STARTED: "collection",
    AuditAction.IMPORT_FINISHED: "collection",
    AuditAction.REFERENCE_LOADED: "alteration",
}
