"""The accounts app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    # accounts.permissions' refusals: `action` is the refused action's label.
    "PERMISSION_ROLE": _("Your role does not allow this action: %(action)s."),
    "PERMISSION_READ_ONLY": _(
        "Auditors can read the registry and the audit log but cannot change records."
    ),
    "PERMISSION_GRANT": _("This needs a permission an administrator gives: %(action)s."),
    "PERMISSION_JURISDICTION": _("This lies outside your jurisdiction: %(action)s."),
    "AUDIT_READ_DENIED": _("Only auditors and administrators can see the audit log."),
    "GRANT_NOT_GRANTABLE": _("“%(permission)s” is not a permission that can be given."),
    "GRANT_ROLE_EXCLUDED": _("The role %(role)s cannot be given “%(permission)s”."),
    "JURISDICTION_REQUIRED": _("Every role except administrator needs a jurisdiction."),
    "ROLE_ABOVE_OWN": _("You cannot manage an account with the role %(role)s: it is above yours."),
    "USER_SELF_MANAGE": _("You cannot change the role, jurisdiction or state of your own account."),
    "USER_NOT_FOUND": _("No such account among those you manage."),
    "USERNAME_TAKEN": _("The user name “%(username)s” is already taken."),
    "SECOND_FACTOR_NOT_STARTED": _("No enrolment is in progress: start again."),
    "SECOND_FACTOR_CODE_WRONG": _("This is not the current code of your authenticator app."),
    "SECOND_FACTOR_REQUIRED_KEEP": _(
        "Your role requires a second factor: replace the authenticator instead of removing it."
    ),
    # Django's password validators, by the codes of accounts.passwords.
    "PASSWORD_TOO_SHORT": _("The password is too short: use at least %(min_length)s characters."),
    "PASSWORD_TOO_COMMON": _("The password is too common."),
    "PASSWORD_TOO_SIMILAR": _("The password is too similar to the %(verbose_name)s."),
    "PASSWORD_ENTIRELY_NUMERIC": _("The password must not be only digits."),
    "PASSWORD_INVALID": _("The password is refused: %(detail)s"),
}
