"""Typed errors that the core raises, worded for a recruiting manager."""

from __future__ import annotations

from datetime import datetime


class RecruitError(Exception):
    """A known failure with a message fit to show a user as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(RecruitError):
    """Input that breaks a rule; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(RecruitError):
    """The person acting may not do this."""


class NotFound(RecruitError):
    """The thing asked for does not exist (or no longer does)."""


class ConflictError(RecruitError):
    """Someone else saved a newer change; saving now would overwrite it."""

    def __init__(
        self,
        message: str,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at


class DatabaseUnavailable(RecruitError):
    """The database cannot be opened or reached."""


class SchemaTooNew(DatabaseUnavailable):
    """The database was written by a newer version of Recruit; we must not touch it."""


class Cancelled(RecruitError):
    """The user cancelled a long job; the UI shows nothing for it."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)
