"""Readiness summary tables: the figures of each commune, and of each org unit above it, as of
a day, with the moment they were computed.

They are refreshed by background jobs (`readiness.tasks`) and never computed on a page load.
A row is a snapshot: (commune or unit, as_of) is unique, a refresh of the same day replaces
it, and a page or the API asking for a day reads the latest snapshot on or before that day.
"""

from __future__ import annotations

from django.db import models

from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit

# The counted figures, in the order pages, exports and the API show them.
FIGURES = (
    "people",
    "men_registered",
    "men_call_up_age",
    "callup_quota",
    "callup_issued",
    "callup_reported",
    "militia_members",
    "militia_target",
    "militia_training_days",
    "reservists",
    "reservists_assigned",
    "reservists_exact",
    "positions",
    "positions_filled",
    "positions_qualified",
    "training_targets",
    "training_targets_met",
    "cadres_assessed",
    "cadres_good",
    "units_assessed",
    "units_good",
)


class Figures(models.Model):
    """The figures a snapshot holds (every count of `FIGURES`, and the years they are of)."""

    as_of = models.DateField()
    computed_at = models.DateTimeField()
    people = models.PositiveIntegerField(default=0)  # alive, residing, on the day
    men_registered = models.PositiveIntegerField(default=0)  # military service registrations
    men_call_up_age = models.PositiveIntegerField(default=0)  # men 18–27 (MSL Art. 30)
    callup_year = models.PositiveSmallIntegerField(null=True)
    callup_quota = models.PositiveIntegerField(default=0)
    callup_issued = models.PositiveIntegerField(default=0)
    callup_reported = models.PositiveIntegerField(default=0)
    militia_members = models.PositiveIntegerField(default=0)
    militia_target = models.PositiveIntegerField(default=0)
    militia_training_days = models.PositiveIntegerField(default=0)  # the year's, to the day
    reservists = models.PositiveIntegerField(default=0)
    reservists_assigned = models.PositiveIntegerField(default=0)  # on a reserve unit's post
    reservists_exact = models.PositiveIntegerField(default=0)  # ... with the exact specialty
    positions = models.PositiveIntegerField(default=0)
    positions_filled = models.PositiveIntegerField(default=0)
    positions_qualified = models.PositiveIntegerField(default=0)
    training_targets = models.PositiveIntegerField(default=0)  # the year's cadre targets
    training_targets_met = models.PositiveIntegerField(default=0)
    assessment_year = models.PositiveSmallIntegerField(null=True)
    cadres_assessed = models.PositiveIntegerField(default=0)
    cadres_good = models.PositiveIntegerField(default=0)  # excellent or good
    units_assessed = models.PositiveIntegerField(default=0)
    units_good = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


# Counts a commune snapshot keeps for civil defence's exposure (`people.counts`), not rolled
# up and not shown on the readiness pages: null in a snapshot computed before they were kept.
EXPOSURE_COUNTS = ("households", "vulnerable")


class CommuneSnapshot(Figures):
    """One commune's figures as of a day; `command` the commune command covering it then.
    `households` and `vulnerable` (CD Law Art. 2(4): under 16, 60 and over, needing help to
    move) are civil defence's, with `people` (`civildefence.queries.exposure`)."""

    commune = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="+")
    command = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    households = models.PositiveIntegerField(null=True)
    vulnerable = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "as_of"], name="readiness_commune_day")
        ]
        indexes = [models.Index(fields=["command", "as_of"], name="readiness_commune_command")]


class UnitSnapshot(Figures):
    """An org unit's figures as of a day: its own (positions, targets, assessments of the
    command itself) and those of every commune command under it, summed. `communes`: how
    many commune snapshots it sums; `inputs_from`: the oldest of their days (a commune not
    refreshed on `as_of` counts with its latest earlier snapshot)."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    communes = models.PositiveIntegerField(default=0)
    inputs_from = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "as_of"], name="readiness_unit_day")
        ]


class PendingRefresh(models.Model):
    """A commune (`kind` "commune") or a command ("unit") whose figures of `as_of` a change made
    stale, noted when the change committed (`readiness.changes`) and taken by the next refresh
    job, so a burst of changes costs one refresh, not one each. `ref_id`: the commune's
    (geo.AdminUnit) or the command's (orgs.OrgUnit) id."""

    COMMUNE, UNIT = "commune", "unit"

    as_of = models.DateField()
    kind = models.CharField(max_length=8, choices=[(COMMUNE, COMMUNE), (UNIT, UNIT)])
    ref_id = models.BigIntegerField()
    noted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["as_of", "kind", "ref_id"], name="readiness_pending_once"
            )
        ]
