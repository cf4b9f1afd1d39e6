"""Military organisation: regions, provincial commands, area defence commands, commune commands."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, ValidityQuerySet
from muster.geo.models import AdminUnit


class OrgKind(models.TextChoices):
    MILITARY_REGION = "military_region", _("Military region")
    CAPITAL_COMMAND = "capital_command", _("Hanoi Capital Command")
    PROVINCIAL_COMMAND = "provincial_command", _("Provincial military command")
    DISTRICT_COMMAND = "district_command", _("District military command (dissolved 2025)")
    AREA_DEFENCE_COMMAND = "area_defence_command", _("Area defence command")
    COMMUNE_COMMAND = "commune_command", _("Commune military command")


class OrgUnit(Validity):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = ValidityQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self) -> str:
        return self.name


class Territory(Validity):
    """The admin units an org unit covers over a period (a province, a set of communes...)."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="territories")
    admin_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["admin_unit"])]


class PositionKind(models.TextChoices):
    COMMANDER = "commander", _("Commander")
    POLITICAL_OFFICER = "political_officer", _("Political officer")
    DEPUTY_COMMANDER = "deputy_commander", _("Deputy commander")
    ASSISTANT = "assistant", _("Assistant")


class Position(models.Model):
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(max_length=20, choices=PositionKind.choices)
    title = models.CharField(max_length=120)  # "Chỉ huy trưởng", "Trợ lý tác chiến" ...
    ordinal = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["org_unit", "ordinal"]

    def __str__(self) -> str:
        return f"{self.title} — {self.org_unit}"


class Appointment(Validity):
    """Who held a position over a period. Holders are named, not linked: orgs sits below people."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="appointments")
    holder_name = models.CharField(max_length=120)
    holder_personal_id = models.CharField(max_length=12, blank=True)
    rank = models.CharField(max_length=60, blank=True)

    objects = ValidityQuerySet.as_manager()
