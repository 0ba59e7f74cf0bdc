"""Validation of referrals against the Referral Interchange Format."""

from beaconport.referrals.validation.referral import Checked, CleanReferral, ReferralValidator
from beaconport.referrals.validation.vocabulary import FORMAT

__all__ = ["FORMAT", "Checked", "CleanReferral", "ReferralValidator"]
