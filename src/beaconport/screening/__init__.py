"""Screening: the admission criteria (design/screening.md), applied the same way every time,
saying why for every referral."""
