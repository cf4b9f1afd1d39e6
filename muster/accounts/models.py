"""Users, their role and their jurisdiction (an org unit)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
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


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.COMMUNE_STAFF)
    # Administrators may have none (national scope); every other role must have one.
    jurisdiction = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
