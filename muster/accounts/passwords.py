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
    """Raise InvalidInput naming `field`, one error per broken rule, each with its code and
    the validator's parameters (worded by accounts/wording.py).

    `user` (saved or not) lets the similarity rule compare the password with the username
    and name. A rule of a validator Muster does not know is PASSWORD_INVALID with the
    validator's own sentence (English) as its parameter.
    """
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput([_coded(field, error) for error in exc.error_list]) from None


def _coded(field: str, error: ValidationError) -> FieldError:
    code = PASSWORD_CODES.get(error.code or "")
    if code is None:
        with translation.override("en"):
            return FieldError(field, PASSWORD_INVALID, {"detail": " ".join(error.messages)})
    params = dict(error.params or {}) if isinstance(error.params, dict) else {}
    return FieldError(field, code, {k: str(v) for k, v in params.items()})
