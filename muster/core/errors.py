"""Errors the actions layer raises; views and API turn them into 4xx answers."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldError:
    """One field's problem; `code` (e.g. `PASSWORD_TOO_SHORT`) lets callers word it themselves."""

    field: str
    message: str
    code: str = ""


@dataclass
class InvalidInput(Exception):
    """Input broke a rule. Each error names the field and the reason."""

    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.message}" for e in self.errors)

    @classmethod
    def single(cls, field_name: str, message: str, code: str = "") -> InvalidInput:
        return cls([FieldError(field_name, message, code)])


class NotFound(Exception):
    """The thing does not exist or lies outside the user's jurisdiction (same answer for both)."""


class PermissionDenied(Exception):
    """The user's role does not allow this action."""
