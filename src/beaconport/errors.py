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


class FieldProblems(InvalidRequest):
    """Everything wrong with what was sent, as (field, message) pairs, so a form can show each
    beside its field and an API name each; nothing was stored."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


class DatabaseUnavailable(BeaconportError):
    """The configured database cannot be reached, or has not been set up."""
