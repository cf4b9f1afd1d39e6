"""Military organisation: regions, provincial commands, area defence commands, commune commands."""

from __future__ import annotations

from datetime import date
from typing import Self, TypeVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, period_check, valid_on
from muster.geo.models import AdminUnit

_M = TypeVar("_M", bound=models.Model)


class _ValidityQuerySet(models.QuerySet[_M]):
    """core's ValidityQuerySet, typed per model so mypy knows what `as_of` yields."""

    def as_of(self, day: date) -> Self:
        return self.filter(valid_on(day))


class OrgKind(models.TextChoices):
    MILITARY_REGION = "military_region", _("Military region")
    CAPITAL_COMMAND = "capital_command", _("Hanoi Capital Command")
    PROVINCIAL_COMMAND = "provincial_command", _("Provincial military command")
    DISTRICT_COMMAND = "district_command", _("District military command (dissolved 2025)")
    AREA_DEFENCE_COMMAND = "area_defence_command", _("Area defence command")
    COMMUNE_COMMAND = "commune_command", _("Commune military command")
    # An agency's or enterprise's military command, keeping its self-defence force (DQTV
    # Art. 2, 15, 17); under the provincial command or a commune command.
    SELF_DEFENCE_COMMAND = "self_defence_command", _("Agency or enterprise military command")


class OrgUnitQuerySet(_ValidityQuerySet["OrgUnit"]):
    pass


class TerritoryQuerySet(_ValidityQuerySet["Territory"]):
    pass


class AppointmentQuerySet(_ValidityQuerySet["Appointment"]):
    pass


class DesignationQuerySet(_ValidityQuerySet["CommandDesignation"]):
    pass


class OrgUnit(Validity):
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self) -> str:
        return self.name


class Territory(Validity):
    """The admin units an org unit covers over a period (a province, a set of communes...)."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="territories")
    admin_unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["admin_unit"])]
        constraints = [
            period_check("orgs_territory_period"),
        ]


class PositionKind(models.TextChoices):
    COMMANDER = "commander", _("Commander")
    POLITICAL_OFFICER = "political_officer", _("Political officer")
    DEPUTY_COMMANDER = "deputy_commander", _("Deputy commander")
    ASSISTANT = "assistant", _("Assistant")
    # The leader of a militia unit (squad, platoon, company leader; DQTV Art. 19).
    MILITIA_LEADER = "militia_leader", _("Militia unit leader")
    DEPUTY_COMMISSAR = "deputy_commissar", _("Deputy political officer")


class Position(models.Model):
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(max_length=20, choices=PositionKind.choices)
    title = models.CharField(max_length=120)  # "Chỉ huy trưởng", "Trợ lý tác chiến" ...
    ordinal = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["org_unit", "ordinal"]
        constraints = [
            # The builder finds a unit's positions by ordinal, so reruns never duplicate them.
            models.UniqueConstraint(fields=["org_unit", "ordinal"], name="orgs_position_ordinal"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.org_unit}"


class Appointment(Validity):
    """Who held a position over a period. Holders are named, not linked: orgs sits below people."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="appointments")
    holder_name = models.CharField(max_length=120)
    holder_personal_id = models.CharField(max_length=12, blank=True)
    rank = models.CharField(max_length=60, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["position", "valid_from"])]
        constraints = [
            period_check("orgs_appointment_period"),
        ]


class Designation(models.TextChoices):
    """What makes a commune entitled to two deputy commanders (Decree 72/2020/NĐ-CP Art. 4)."""

    TYPE_1 = "type_1", _("Type-1 commune")
    BORDER = "border", _("Border commune")
    COASTAL = "coastal", _("Coastal commune")
    ISLAND = "island", _("Island commune")


class CommandDesignation(Validity):
    """A designation of a commune command over a period (set by orgs.actions, audited)."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="designations")
    designation = models.CharField(max_length=12, choices=Designation.choices)

    objects = DesignationQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["org_unit", "designation"])]
        constraints = [
            period_check("orgs_designation_period"),
            models.CheckConstraint(
                condition=models.Q(designation__in=["type_1", "border", "coastal", "island"]),
                name="orgs_designation_known",
            ),
        ]
