"""Password rules: Django's validators (settings.AUTH_PASSWORD_VALIDATORS) as Muster errors.

Every path that sets a password checks it here or through Django's own forms and commands,
which run the same validators: the actions, the Django admin, `createsuperuser` (the user
manager), `changepassword` and the demo.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput

# Django's validator codes → ours (stable, documented in docs/deployment.md).
PASSWORD_CODES = {
    "password_too_short": "PASSWORD_TOO_SHORT",
    "password_too_common": "PASSWORD_TOO_COMMON",
    "password_too_similar": "PASSWORD_TOO_SIMILAR",
    "password_entirely_numeric": "PASSWORD_ENTIRELY_NUMERIC",
}
PASSWORD_INVALID = "PASSWORD_INVALID"


def password_check(password: str, *, user: User, field: str = "password") -> None:
    """Raise InvalidInput naming `field`, one error per broken rule, each with its code.

    `user` (saved or not) lets the similarity rule compare the password with the username
    and name. Messages are plain English, like every action's (logs, CLI, API); pages word
    them from the code.
    """
    try:
        with translation.override("en"):
            validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput(
            [
                FieldError(field, message, PASSWORD_CODES.get(error.code or "", PASSWORD_INVALID))
                for error in exc.error_list
                for message in _english(error)
            ]
        ) from None


def _english(error: ValidationError) -> list[str]:
    with translation.override("en"):
        return [str(message) for message in error.messages]
