"""Writes of the annual assessment: a year's criteria sets and the assessments of cadres and
units against them. Atomic, audited, allowed by `accounts.permissions`; the grading is
`cadres.rules.grade` (a mandatory criterion — IT competency for cadres, MR3 — below its
threshold fails the assessment)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.permissions import NATIONWIDE
from muster.cadres import rules
from muster.cadres.models import Assessment, CriteriaSet, Criterion, Score, Subject
from muster.cadres.wording import SUBJECT_ASSESSED
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.orgs.models import OrgUnit
from muster.people.models import Person


@dataclass(frozen=True)
class CriterionInput:
    code: str
    name: str
    weight: int
    mandatory: bool = False
    threshold: Decimal = Decimal(0)
    evidence_required: bool = False


@transaction.atomic
def criteria_set_save(
    *,
    year: int,
    subject: str,
    code: str,
    name: str,
    thresholds: rules.Thresholds,
    criteria: Sequence[CriterionInput],
    acting_user: User | None,
) -> CriteriaSet:
    """Create or replace the `year`'s criteria set `code` for cadres or units; one already
    used by an assessment is kept as it was (its results must stay comparable)."""
    permissions.require(acting_user, "cadres.criteria.manage", unit=NATIONWIDE)
    errors: list[FieldError] = []
    if subject not in Subject.values:
        errors.append(FieldError("subject", "NOT_ONE_OF", {"choices": Subject.values}))
    specs = [
        rules.CriterionSpec(c.code, c.weight, c.mandatory, c.threshold, c.evidence_required)
        for c in criteria
    ]
    problems = rules.criteria_set_problems(subject, specs)
    # Each code raised as a literal, so the wording test sees it raised.
    if "CRITERIA_EMPTY" in problems:
        errors.append(FieldError("criteria", "CRITERIA_EMPTY"))
    if "CRITERIA_DUPLICATE" in problems:
        errors.append(FieldError("criteria", "CRITERIA_DUPLICATE"))
    if rules.IT_MANDATORY in problems:
        errors.append(FieldError("criteria", "CADRE_IT_MANDATORY"))
    if not (thresholds.excellent_from >= thresholds.good_from >= thresholds.pass_from):
        errors.append(FieldError("thresholds", "THRESHOLDS_ORDER"))
    existing = (
        CriteriaSet.objects.select_for_update()
        .filter(year=year, subject=subject, code=code)
        .first()
    )
    if existing is not None and existing.assessments.exists():
        errors.append(FieldError("code", "CRITERIA_SET_USED", {"code": code, "year": year}))
    if errors:
        raise InvalidInput(errors)
    values = {
        "name": nfc(name),
        "excellent_from": thresholds.excellent_from,
        "good_from": thresholds.good_from,
        "pass_from": thresholds.pass_from,
    }
    if existing is None:
        criteria_set = CriteriaSet.objects.create(year=year, subject=subject, code=code, **values)
    else:
        criteria_set = existing
        CriteriaSet.objects.filter(pk=existing.pk).update(**values)
        Criterion.objects.filter(criteria_set=existing).delete()
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            code=c.code,
            name=nfc(c.name),
            weight=c.weight,
            mandatory=c.mandatory,
            threshold=c.threshold,
            evidence_required=c.evidence_required,
            ordinal=i,
        )
        for i, c in enumerate(criteria, start=1)
    )
    audit.record(
        "cadres.criteria.saved",
        actor=acting_user,
        target=criteria_set,
        data={
            "year": year,
            "subject": subject,
            "code": code,
            "criteria": [[c.code, c.weight, c.mandatory, str(c.threshold)] for c in criteria],
            "replaced": existing is not None,
        },
    )
    return criteria_set


@transaction.atomic
def assessment_record(
    *,
    criteria_set: CriteriaSet,
    org_unit: OrgUnit,
    person: Person | None,
    scores: Mapping[str, tuple[Decimal, str]],
    assessed_on: date,
    acting_user: User | None,
) -> Assessment:
    """Assess a cadre (`person`, serving in `org_unit`) or a unit (`person` None) against the
    set: `scores` maps each criterion's code to (score 0–100, evidence). Every criterion is
    scored; one requiring evidence has it. Once per set and cadre (or unit)."""
    permissions.require(acting_user, "cadres.assessment.record", unit=org_unit, day=assessed_on)
    criteria = list(criteria_set.criteria.all())
    errors: list[FieldError] = []
    if (criteria_set.subject == Subject.CADRE) != (person is not None):
        subject = criteria_set.subject
        assessed = SUBJECT_ASSESSED[subject]
        errors.append(
            FieldError("person", "ASSESSMENT_SUBJECT", {"subject": subject, "assessed": assessed})
        )
    for c in criteria:
        score, evidence = scores.get(c.code, (None, ""))
        if score is None or not Decimal(0) <= score <= Decimal(100):
            errors.append(FieldError(f"score_{c.code}", "SCORE_RANGE"))
        elif c.evidence_required and not nfc(evidence):
            errors.append(FieldError(f"evidence_{c.code}", "EVIDENCE_REQUIRED", {"name": c.name}))
    twice = Assessment.objects.filter(criteria_set=criteria_set)
    twice = (
        twice.filter(person=person)
        if person is not None
        else twice.filter(org_unit=org_unit, person__isnull=True)
    )
    if twice.exists():
        errors.append(FieldError("person", "ASSESSED_ALREADY", {"year": criteria_set.year}))
    if errors:
        raise InvalidInput(errors)
    grading = rules.grade(
        [
            rules.CriterionSpec(c.code, c.weight, c.mandatory, c.threshold, c.evidence_required)
            for c in criteria
        ],
        {code: value for code, (value, _evidence) in scores.items()},
        rules.Thresholds(
            criteria_set.excellent_from, criteria_set.good_from, criteria_set.pass_from
        ),
    )
    assessment = Assessment.objects.create(
        criteria_set=criteria_set,
        org_unit=org_unit,
        person=person,
        total=grading.total,
        grade=grading.grade,
        failed_criteria=list(grading.failed),
        assessed_on=assessed_on,
        assessed_by=acting_user,
    )
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=c,
            score=scores[c.code][0],
            evidence=nfc(scores[c.code][1])[:300],
        )
        for c in criteria
    )
    audit.record(
        "cadres.assessment.recorded",
        actor=acting_user,
        target=assessment,
        data={
            "year": criteria_set.year,
            "set": criteria_set.code,
            "org_unit": org_unit.code,
            "person": person.personal_id if person else None,
            "total": str(grading.total),
            "grade": grading.grade,
            "failed": list(grading.failed),
        },
    )
    return assessment
