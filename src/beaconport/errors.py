"""Domain errors. Presentation layers turn them into pages, API responses or exit statuses."""

from __future__ import annotations


class BeaconportError(Exception):
    """Base for every error the application raises on purpose."""


class NotFound(BeaconportError):
    pass


class Conflict(BeaconportError):
    pass


class InvalidRequest(BeaconportError):
    pass


class DatabaseUnavailable(BeaconportError):
    """The configured database cannot be reached, or has not been set up."""
