"""Accounts, sign-in, sessions, API tokens and the permission table (the one place access is
decided)."""
