"""Training targets against what the holders hold, and assessment results: figures over any
set of commands, set-based, naming nobody (the caller scopes the unit ids it passes; see
docs/architecture.md, "Cadres figures")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from muster.accounts.scope import org_subtree_ids
from muster.cadres import rules
from muster.cadres.models import Assessment, TrainingTarget
from muster.cadres.positions import held_qualifications, position_states
from muster.orgs.models import OrgUnit


@dataclass(frozen=True)
class TargetProgress:
    """A target and, on the day, the holders of its position kind in the commands under its
    unit (established positions), how many hold its qualification, their share, and whether
    the target is met (`rules.target_met`)."""

    target: TrainingTarget
    holders: int
    qualified: int

    @property
    def share(self) -> Decimal | None:
        return rules.share_percent(self.qualified, self.holders)

    @property
    def met(self) -> bool:
        return rules.target_met(self.target.percent, self.qualified, self.holders)


def training_figures(unit_ids: Collection[int], year: int, day: date) -> list[TargetProgress]:
    """The `year`'s targets set on the units of `unit_ids`, each against the holders under its
    unit on `day` (the unit and the commands below it)."""
    targets = list(
        TrainingTarget.objects.filter(org_unit_id__in=sorted(unit_ids), year=year)
        .select_related("org_unit")
        .order_by("org_unit__code", "position_kind", "qualification")
    )
    subtree = {uid: org_subtree_ids(uid, day) for uid in {t.org_unit_id for t in targets}}
    states = position_states(set().union(*subtree.values()) if subtree else set(), day)
    held = held_qualifications(
        {s.appointment.holder_personal_id for s in states if s.appointment}, day
    )
    progress = []
    for target in targets:
        under = subtree[target.org_unit_id]
        holders = [
            s
            for s in states
            if s.established
            and s.appointment is not None
            and s.position.org_unit_id in under
            and s.position.kind == target.position_kind
        ]
        qualified = sum(
            1
            for s in holders
            if s.appointment is not None
            and target.qualification in held.get(s.appointment.holder_personal_id, ())
        )
        progress.append(TargetProgress(target, len(holders), qualified))
    return progress


@dataclass(frozen=True)
class AssessmentFigures:
    """Assessments of `year` (cadre or unit subject) of the units asked, by grade."""

    year: int
    subject: str
    assessed: int
    by_grade: dict[str, int]


def assessment_figures(unit_ids: Collection[int], year: int, subject: str) -> AssessmentFigures:
    """How the cadres (`subject` "cadre") of the commands `unit_ids`, or the units themselves
    ("unit"), were graded in `year`'s assessment. Cadre assessments follow their command
    through a restructuring (`cadres.bulk`), so a successor's figures include its
    predecessors' cadres and compare across the 2025 boundary change."""
    rows = Assessment.objects.filter(
        org_unit_id__in=sorted(unit_ids),
        criteria_set__year=year,
        criteria_set__subject=subject,
        person__isnull=subject != "cadre",
    ).values_list("grade", flat=True)
    by_grade = Counter(rows)
    return AssessmentFigures(year, subject, sum(by_grade.values()), dict(sorted(by_grade.items())))


def units_with_subtree(unit: OrgUnit, day: date) -> set[int]:
    """The unit and every unit below it on `day` (for figures of a whole jurisdiction)."""
    return org_subtree_ids(unit.pk, day)


@dataclass(frozen=True)
class UnitAssessments:
    """One unit's assessments of a year: its cadres' and its own, and how many of each were
    graded excellent or good."""

    cadres_assessed: int = 0
    cadres_good: int = 0
    units_assessed: int = 0
    units_good: int = 0


GOOD_GRADES = frozenset({"excellent", "good"})


def latest_assessment_year(day: date) -> int | None:
    """The latest year up to `day`'s with an assessment recorded on or before `day`."""
    found = (
        Assessment.objects.filter(criteria_set__year__lte=day.year, assessed_on__lte=day)
        .order_by("-criteria_set__year")
        .values_list("criteria_set__year", flat=True)
        .first()
    )
    return int(found) if found is not None else None


def assessments_by_unit(
    unit_ids: Collection[int] | None, year: int, day: date
) -> dict[int, UnitAssessments]:
    """Per unit among `unit_ids` (None: every unit), `year`'s assessments recorded by `day`:
    one grouped query, naming nobody."""
    rows = Assessment.objects.filter(criteria_set__year=year, assessed_on__lte=day)
    if unit_ids is not None:
        rows = rows.filter(org_unit_id__in_array=sorted(unit_ids))
    counts: dict[int, Counter[tuple[bool, bool]]] = {}
    for unit_id, is_unit, grade, n in (
        rows.annotate(
            is_unit=ExpressionWrapper(Q(person__isnull=True), output_field=BooleanField())
        )
        .values_list("org_unit_id", "is_unit", "grade")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(unit_id, Counter())[(is_unit, grade in GOOD_GRADES)] += n
    return {
        unit_id: UnitAssessments(
            cadres_assessed=c[(False, True)] + c[(False, False)],
            cadres_good=c[(False, True)],
            units_assessed=c[(True, True)] + c[(True, False)],
            units_good=c[(True, True)],
        )
        for unit_id, c in counts.items()
    }


def targets_by_unit(unit_ids: Collection[int], year: int, day: date) -> dict[int, tuple[int, int]]:
    """Per unit among `unit_ids` with targets: (the year's targets set on it, those met on
    `day`), from `training_figures`."""
    found: dict[int, tuple[int, int]] = {}
    for progress in training_figures(unit_ids, year, day):
        unit_id = progress.target.org_unit_id
        total, met = found.get(unit_id, (0, 0))
        found[unit_id] = (total + 1, met + progress.met)
    return found
