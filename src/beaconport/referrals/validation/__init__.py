"""Validation of referrals against the Referral Interchange Format."""

from beaconport.referrals.validation.referral import (
    FORMAT,
    Checked,
    CleanReferral,
    ReferralValidator,
)

__all__ = ["FORMAT", "Checked", "CleanReferral", "ReferralValidator"]
