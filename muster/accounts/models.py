"""Users, their role and their jurisdiction (an org unit), and their API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.auth.password_validation import validate_password
from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.orgs.models import OrgUnit


class Role(models.TextChoices):
    COMMUNE_STAFF = "commune_staff", _("Commune military command staff")
    AREA_STAFF = "area_staff", _("Area defence command staff")
    PROVINCE_STAFF = "province_staff", _("Provincial command staff")
    REGION_STAFF = "region_staff", _("Military region staff")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


class UserManager(DjangoUserManager["User"]):
    """Django's manager, with the password validators on its paths too (`createsuperuser`,
    `create_user`): a password no form would accept cannot come in through the back door."""

    def _validated(
        self, username: str, email: str | None, password: str | None, extra_fields: dict[str, Any]
    ) -> None:
        if password is not None:
            # A ValidationError, which `createsuperuser` reports (no "bypass" here).
            validate_password(
                password, self.model(username=username, email=email or "", **extra_fields)
            )

    def create_user(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        self._validated(username, email, password, extra_fields)
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> User:
        # A superuser is an administrator: national scope, and the second-factor rule.
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        self._validated(username, email, password, extra_fields)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COMMUNE_STAFF)
    # Administrators may have none (national scope); every other role must have one.
    jurisdiction = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

    objects = UserManager()  # type: ignore[misc]


class TokenEnd(models.TextChoices):
    """Why a token stopped working before it expired."""

    REVOKED = "revoked", _("Revoked by its holder")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    DEACTIVATED = "deactivated", _("Account deactivated")
    CAP = "cap", _("Replaced by a newer token (too many tokens)")


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored.

    `password_stamp` is the holder's session hash (an HMAC of the password hash) when the token
    was issued: a password changed by any path, the admin and `changepassword` included, ends
    every earlier token at once, as it ends sessions.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    password_stamp = models.CharField(max_length=128, default="")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=20, choices=TokenEnd.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="apitoken_user_created")]


class UserGrant(models.Model):
    """A permission given to one user beyond their role (`accounts.permissions`: an action
    declared grantable, e.g. `users.manage` for provincial and area staff). Given and taken
    back only through `accounts.actions.user_grant` / `user_grant_revoke`, each audited."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    action = models.CharField(max_length=60)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "action"], name="accounts_grant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action}"
