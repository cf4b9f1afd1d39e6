"""Errors the actions layer raises; views, the API and the CLI turn them into answers.

An error carries a code and its parameters, never a sentence: `FieldError("joined_on",
"MILITIA_AGE", {"age": 16, "min": 18})`. The sentence comes from the owning app's wording
table (`muster/<app>/wording.py`, gathered by `core.wording`) in the reader's language when it
is shown, so a page, the CLI, a rejects report and the API word the same error the same way.
Codes are UPPER_SNAKE; where domain-rules.md names the rule, the code is the rule's code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# JSON-friendly values (dates are shown dd/mm/yyyy to people and ISO in the API).
Params = Mapping[str, Any]


def _message(code: str, params: Params) -> str:
    from muster.core.wording import error_message  # the registry needs Django's app registry

    return error_message(code, params)


@dataclass(frozen=True)
class FieldError:
    """One reason input was refused: the field it concerns, a code, the code's parameters."""

    field: str
    code: str
    params: Params = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        """The error in the active language."""
        return _message(self.code, self.params)


@dataclass
class InvalidInput(Exception):
    """Input broke a rule. Each error names the field, the code and its parameters."""

    errors: list[FieldError] = dataclasses.field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"{e.field}: {e.code}: {e.message}" for e in self.errors)

    @classmethod
    def single(cls, field_name: str, code: str, params: Params | None = None) -> InvalidInput:
        return cls([FieldError(field_name, code, dict(params or {}))])


class CodedError(Exception):
    """A refusal that concerns no one field: a code and its parameters."""

    def __init__(self, code: str, params: Params | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.params: Params = dict(params or {})

    @property
    def message(self) -> str:
        """The refusal in the active language."""
        return _message(self.code, self.params)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(CodedError):
    """The thing does not exist or lies outside the user's jurisdiction (same answer for both)."""


class PermissionDenied(CodedError):
    """The user's role does not allow this action."""
