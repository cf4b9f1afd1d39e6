"""The civil-defence pages' tables for `core.exports`: hazard zones, a zone's exposure (an
estimate, said in the title), shelters, rescue means, level decisions, the commune
civil-defence commands and a plan's assignments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from muster.civildefence.models import (
    CivilDefenceCommand,
    HazardZone,
    LevelDecision,
    PlanAssignment,
    RescueMeans,
    ResponsePlan,
    Shelter,
)
from muster.civildefence.queries import ExposureRow
from muster.core.exports import Column, Table
from muster.core.labels import label


def hazards_table(zones: Sequence[HazardZone]) -> Table:
    return Table(
        title=_("Hazard zones"),
        columns=[
            Column(_("Key")),
            Column(_("Version"), "int"),
            Column(_("Hazard")),
            Column(_("Name")),
            Column(_("Severity"), "int"),
            Column(_("Valid from"), "date"),
            Column(_("Valid to"), "date"),
            Column(_("Source")),
        ],
        rows=[
            (
                z.key,
                z.version,
                label("hazard_kind", z.kind),
                z.name,
                z.severity,
                z.valid_from,
                z.valid_to,
                z.source,
            )
            for z in zones
        ],
        filename="hazard-zones",
    )


def exposure_table(zone: HazardZone, rows: Sequence[ExposureRow], day: date) -> Table:
    return Table(
        title=f"{zone.name} – {_('exposure (estimate by area share)')}",
        columns=[
            Column(_("Commune code")),
            Column(_("Commune")),
            Column(_("Share of the commune in the zone"), "decimal", places=3),
            Column(_("People"), "int"),
            Column(_("People in the zone (estimate)"), "int"),
            Column(_("Households in the zone (estimate)"), "int"),
            Column(_("Vulnerable people in the zone (estimate)"), "int"),
        ],
        rows=[
            (
                r.commune_code,
                r.commune_name,
                r.share,
                r.people,
                r.people_in_zone,
                r.households_in_zone,
                r.vulnerable_in_zone,
            )
            for r in rows
        ],
        filename=f"exposure-{zone.key}-{day.isoformat()}",
    )


def _register_table(
    title: str, kind_labels: str, places: Sequence[Shelter] | Sequence[RescueMeans], filename: str
) -> Table:
    """The register's list (shelters, rescue means): the same columns, each kind in its words."""
    return Table(
        title=title,
        columns=[
            Column(_("Code")),
            Column(_("Name")),
            Column(_("Kind")),
            Column(_("Commune")),
            Column(_("Unit")),
            Column(_("Capacity"), "int"),
        ],
        rows=[
            (p.code, p.name, label(kind_labels, p.kind), p.commune.name, p.unit.name, p.capacity)
            for p in places
        ],
        filename=filename,
    )


def shelters_table(shelters: Sequence[Shelter]) -> Table:
    return _register_table(_("Shelters and assembly points"), "shelter_kind", shelters, "shelters")


def means_table(means: Sequence[RescueMeans]) -> Table:
    return _register_table(_("Rescue means"), "cd_means_kind", means, "rescue-means")


def plan_table(plan: ResponsePlan, rows: Sequence[PlanAssignment]) -> Table:
    return Table(
        title=f"{plan.hazard.name} – {plan.unit.name} – {_('version')} {plan.version}",
        columns=[
            Column(_("Task")),
            Column(_("Task kind")),
            Column(_("Commune")),
            Column(_("People in the zone (estimate)"), "int"),
            Column(_("Resource kind")),
            Column(_("Resource")),
            Column(_("Assigned"), "int"),
            Column(_("Capacity"), "int"),
            Column(_("Travel (km)"), "decimal", places=1),
        ],
        rows=[
            (
                a.task.code,
                label("cd_task_kind", a.task.kind),
                a.task.commune.name,
                a.task.people,
                label("cd_resource_kind", a.resource_kind),
                a.resource_name or a.resource_code,
                a.assigned,
                a.capacity,
                a.travel_km,
            )
            for a in rows
        ],
        filename=f"plan-{plan.hazard_key}-{plan.unit.code}-v{plan.version}",
    )


def decisions_table(decisions: Sequence[LevelDecision]) -> Table:
    return Table(
        title=_("Civil-defence and disaster risk level decisions"),
        columns=[
            Column(_("Decision")),
            Column(_("Kind code")),
            Column(_("Level"), "int"),
            Column(_("Hazard")),
            Column(_("Area covered")),
            Column(_("Area code")),
            Column(_("Issued by")),
            Column(_("Decision number")),
            Column(_("Legal basis")),
            Column(_("From"), "date"),
            Column(_("Until"), "date"),
        ],
        rows=[
            (
                label("level_kind", d.kind),
                d.kind,
                d.level,
                label("hazard_kind", d.hazard_kind) if d.hazard_kind else "",
                d.area.name,
                d.area.code,
                label("cd_issuer", d.issuer),
                d.number,
                d.legal_basis,
                d.starts_on,
                d.ends_on,
            )
            for d in decisions
        ],
        filename="cd-level-decisions",
    )


def commands_table(commands: Sequence[CivilDefenceCommand]) -> Table:
    return Table(
        title=_("Commune civil-defence commands"),
        columns=[
            Column(_("Name")),
            Column(_("Commune military command")),
            Column(_("Unit code")),
            Column(_("Head")),
            Column(_("Head's title")),
            Column(_("Deputy (commune military commander)")),
            Column(_("Deputy's title")),
            Column(_("Founding decision")),
            Column(_("From"), "date"),
            Column(_("Until"), "date"),
        ],
        rows=[
            (
                c.name,
                c.unit.name,
                c.unit.code,
                c.head_name,
                c.head_title,
                c.deputy_name,
                c.deputy_title,
                c.decision,
                c.valid_from,
                c.valid_to,
            )
            for c in commands
        ],
        filename="cd-commands",
    )
