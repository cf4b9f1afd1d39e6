"""Civil defence (issue 19; ../shared/civil-defence.md): hazard zones and the communes they
touch, shelters and rescue means, level decisions, the commune civil-defence command, and
response plans as versions with their tasks and assignments.

Scope: protecting people (Civil Defence Law 18/2023/QH15 Art. 2(1)); nothing here concerns
weapons or combat. Records tied to org units follow a restructuring (`civildefence.bulk`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, period_check
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit
from muster.people.models import Person


class HazardKind(models.TextChoices):
    FLOOD = "flood", _("River flood")
    FLASH_FLOOD = "flash_flood", _("Flash flood")
    LANDSLIDE = "landslide", _("Landslide")
    STORM_SURGE = "storm_surge", _("Storm surge")
    STORM = "storm", _("Storm or tropical depression")
    INUNDATION = "inundation", _("Inundation from heavy rain")
    SUBSIDENCE = "subsidence", _("Land subsidence")
    OTHER = "other", _("Other hazard")


class HazardZone(models.Model):
    """One version of a hazard zone: a polygon (GeoJSON geometry text, WGS 84) with its kind,
    severity (the disaster risk level it was issued with, 1–5) and validity. Importing the
    same `key` again makes a new version and marks this one superseded (history kept)."""

    key = models.CharField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=16, choices=HazardKind.choices)
    name = models.CharField(max_length=200)
    severity = models.PositiveSmallIntegerField(default=3)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)  # "file:yagi.geojson", "drawn", "demo"
    synthetic = models.BooleanField(default=False)  # drawn by the demo, not from a bulletin
    geometry = models.TextField()  # a GeoJSON Polygon or MultiPolygon
    area_km2 = models.FloatField(default=0)
    superseded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="cd_hazard_key_version"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(superseded_at__isnull=True), name="cd_hazard_current"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1) & Q(severity__lte=5), name="cd_hazard_severity"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="cd_hazard_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key} v{self.version})"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class HazardCommune(models.Model):
    """A commune (either edition) a zone version touches: the share of the commune's drawn
    shape inside the zone and a point of that part (where tasks there start from)."""

    zone = models.ForeignKey(HazardZone, on_delete=models.CASCADE, related_name="communes")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    area_share = models.FloatField()  # 0 < share ≤ 1
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "commune"], name="cd_hazard_commune_once")
        ]


class ShelterKind(models.TextChoices):
    SCHOOL = "school", _("School")
    COMMUNE_OFFICE = "commune_office", _("Commune office")
    COMMAND_POST = "command_post", _("Command post")
    COMMUNITY_HOUSE = "community_house", _("Community house")
    HEALTH_STATION = "health_station", _("Health station")
    ASSEMBLY_POINT = "assembly_point", _("Assembly point")
    OTHER = "other", _("Other shelter")


class Shelter(Validity):
    """A shelter or assembly point with the people it can take."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=ShelterKind.choices)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cd_shelters")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField()
    lon = models.FloatField()
    capacity = models.PositiveIntegerField()  # people
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [period_check("cd_shelter_period")]

    def __str__(self) -> str:
        return self.name


class MeansKind(models.TextChoices):
    BOAT = "boat", _("Boat")
    TRUCK = "truck", _("Truck")
    BUS = "bus", _("Bus or coach")
    EXCAVATOR = "excavator", _("Excavator")
    MEDICAL_TEAM = "medical_team", _("Medical team")
    GENERATOR = "generator", _("Generator")
    PUMP = "pump", _("Water pump")
    RADIO = "radio", _("Radio set")
    OTHER = "other", _("Other means")


class RescueMeans(Validity):
    """A rescue means of the civil-defence register (non-weapon equipment or a team) of a
    unit, with its capacity in the units `rules.MEANS_USE` gives its kind (people carried per
    window, people served, or crews)."""

    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=16, choices=MeansKind.choices)
    name = models.CharField(max_length=200)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cd_means")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField()
    lon = models.FloatField()
    capacity = models.PositiveIntegerField()
    # Who operates it, when the registry knows: the person is then assigned once per window.
    operator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [period_check("cd_means_period")]

    def __str__(self) -> str:
        return self.name


class LevelKind(models.TextChoices):
    CIVIL_DEFENCE = "civil_defence", _("Civil-defence level")
    DISASTER_RISK = "disaster_risk", _("Disaster risk level")


class Issuer(models.TextChoices):
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chairman of the commune People's Committee")
    PROVINCE_CHAIRMAN = "province_chairman", _("Chairman of the provincial People's Committee")
    PRIME_MINISTER = "prime_minister", _("Prime Minister")
    FORECAST_AGENCY = "forecast_agency", _("Hydro-meteorological forecast agency")


class LevelDecision(models.Model):
    """A civil-defence level (1–3) declared or a disaster risk level (1–5) issued, as a dated
    record: who issued it, over which area, on what legal basis, from when to when."""

    kind = models.CharField(max_length=16, choices=LevelKind.choices)
    level = models.PositiveSmallIntegerField()
    hazard_kind = models.CharField(max_length=16, choices=HazardKind.choices, blank=True)
    hazard = models.ForeignKey(
        HazardZone, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    area = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    issuer = models.CharField(max_length=20, choices=Issuer.choices)
    number = models.CharField(max_length=60, blank=True)  # "12/QĐ-UBND"
    legal_basis = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cd_decision_dates",
            )
        ]


class CivilDefenceCommand(Validity):
    """The commune civil-defence command (Decree 200/2025 Art. 8): the commune PC chairman as
    head, the commander of the commune military command among the deputies. It owns the
    commune's response plans; its military side is the commune command `unit`."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cd_commands")
    name = models.CharField(max_length=200)
    head_name = models.CharField(max_length=120)
    head_title = models.CharField(max_length=120)
    deputy_name = models.CharField(max_length=120, blank=True)
    deputy_title = models.CharField(max_length=120, blank=True)
    decision = models.CharField(max_length=60, blank=True)  # the chairman's founding decision
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [period_check("cd_command_period")]


class PlanStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class TravelMethod(models.TextChoices):
    STRAIGHT_LINE = "straight_line", _("Straight-line distance × terrain factor")
    ROAD_GRAPH = "road_graph", _("Road graph")


class ResponsePlan(models.Model):
    """One version of a unit's response plan for a hazard (by its key): tasks per commune
    touched, and the resources a solver assigned. Versions are immutable; computing again
    makes the next version and supersedes this one."""

    hazard = models.ForeignKey(HazardZone, on_delete=models.PROTECT, related_name="plans")
    hazard_key = models.CharField(max_length=60)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cd_plans")
    cd_command = models.ForeignKey(
        CivilDefenceCommand, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default="current")
    as_of = models.DateField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    needs_revision = models.BooleanField(default=False)
    revision_reason = models.CharField(max_length=40, blank=True)
    travel_method = models.CharField(
        max_length=16, choices=TravelMethod.choices, default="straight_line"
    )
    terrain_factor = models.FloatField(default=1.0)
    people_in_zone = models.PositiveIntegerField(default=0)
    shortfall = models.PositiveIntegerField(default=0)  # units of all tasks left unmet
    conflicts = models.JSONField(default=list)  # persons refused a second role: reason codes
    solve_seconds = models.FloatField(default=0)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hazard_key", "unit", "version"], name="cd_plan_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hazard_key} / {self.unit_id} v{self.version}"


class TaskKind(models.TextChoices):
    EVACUATE = "evacuate", _("Evacuate to shelters")
    TRANSPORT = "transport", _("Transport people who need help to move")
    SEARCH_AND_RESCUE = "search_and_rescue", _("Search and rescue")
    RELIEF = "relief", _("Relief: care, medicine, power")


class PlanTask(models.Model):
    """A task of a plan in one commune, with its demand in the task's units (people to shelter
    or carry, rescuers, people served) and its window."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="tasks")
    code = models.CharField(max_length=12)  # T0001 … within the plan
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    people = models.PositiveIntegerField()  # people in the zone in that commune
    demand = models.PositiveIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="cd_task_code")]


class ResourceKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter")
    RESCUE_MEANS = "rescue_means", _("Rescue means (civil-defence register)")
    RESERVE_MEANS = "reserve_means", _("Reserve technical means")
    MILITIA_UNIT = "militia_unit", _("Militia unit")
    MILITIA_COMMAND = "militia_command", _("Militia of a commune command (no unit)")
    RESERVISTS = "reservists", _("Reservists by specialty")
    SHORTFALL = "shortfall", _("Shortfall")


class PlanAssignment(models.Model):
    """How much of a task one resource covers (`resource_kind` shortfall: what nothing
    covers, with no resource). `capacity` is the resource's whole capacity in the task's
    units; a resource's assignments in one plan never add up past it."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="assignments")
    resource_kind = models.CharField(max_length=16, choices=ResourceKind.choices)
    resource_code = models.CharField(max_length=60, blank=True)
    resource_name = models.CharField(max_length=200, blank=True)
    assigned = models.PositiveIntegerField()
    capacity = models.PositiveIntegerField(null=True, blank=True)
    travel_km = models.FloatField(null=True, blank=True)
