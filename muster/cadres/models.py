"""Cadres: the qualifications a command's cadres hold, their training and annual assessment.

Positions and appointments stay in `orgs`; a holder is linked to a person by the personal ID
the appointment carries. Certificates (qualifications) belong to persons; courses, targets and
unit assessments to org units, so a restructuring moves them (`cadres.bulk`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.orgs.models import OrgUnit
from muster.people.models import Person


class Qualification(models.TextChoices):
    """What a certificate attests (cadres.rules decides which positions need which)."""

    GM_UNIVERSITY = "gm_university", _("University in grassroots military affairs")
    GM_COLLEGE = "gm_college", _("College in grassroots military affairs")
    GM_INTERMEDIATE = "gm_intermediate", _("Intermediate level in grassroots military affairs")
    POLITICAL_THEORY = "political_theory", _("Political-theory training")
    RESERVE_OFFICER = "reserve_officer", _("Reserve officer")
    IT_SKILLS = "it_skills", _("IT and digital skills")
    SPECIALTY = "specialty", _("Specialty refresher")


class CourseKind(models.TextChoices):
    GM_COLLEGE = "gm_college", _("Grassroots military college")
    GM_UNIVERSITY = "gm_university", _("Grassroots military university")
    POLITICAL_THEORY = "political_theory", _("Political theory")
    IT_SKILLS = "it_skills", _("IT and digital skills")
    SPECIALTY = "specialty", _("Specialty refresher")


class Course(models.Model):
    """A course a command runs or sends its cadres to; passing it earns `qualification`, valid
    for `validity_months` (none: for life)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=CourseKind.choices)
    qualification = models.CharField(max_length=20, choices=Qualification.choices)
    validity_months = models.PositiveSmallIntegerField(null=True, blank=True)
    organiser = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="courses")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class CourseSession(models.Model):
    """One run of a course: its days and place."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions")
    starts_on = models.DateField()
    ends_on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cadres_session_days"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_on}"


class Attendance(models.TextChoices):
    PENDING = "pending", _("Not yet recorded")
    FULL = "full", _("Attended")
    PARTIAL = "partial", _("Attended in part")
    ABSENT = "absent", _("Absent")


class Result(models.TextChoices):
    PENDING = "pending", _("No result yet")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class Enrolment(models.Model):
    session = models.ForeignKey(CourseSession, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField()
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.PENDING
    )
    result = models.CharField(max_length=10, choices=Result.choices, default=Result.PENDING)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    result_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="cadres_enrolment_once"),
            # A result is dated; a pending one is not.
            models.CheckConstraint(
                condition=Q(result="pending", result_on__isnull=True)
                | (~Q(result="pending") & Q(result_on__isnull=False)),
                name="cadres_enrolment_result_dated",
            ),
        ]


class Certificate(models.Model):
    """A qualification a person holds, from a course passed here (`enrolment`) or recorded
    from elsewhere (an earlier degree, a reserve officer's commission)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    qualification = models.CharField(max_length=20, choices=Qualification.choices)
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    number = models.CharField(max_length=60, blank=True)
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="certificate"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "qualification"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="cadres_certificate_expiry",
            )
        ]


class TrainingTarget(models.Model):
    """ "100 % of commune commanders with political-theory training": the share of holders of
    `position_kind` in the commands under `org_unit` that should hold `qualification` by the
    end of `year`."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cadre_targets")
    year = models.PositiveSmallIntegerField()
    position_kind = models.CharField(max_length=20)  # an orgs PositionKind value
    qualification = models.CharField(max_length=20, choices=Qualification.choices)
    percent = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "year", "position_kind", "qualification"],
                name="cadres_target_once",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="cadres_target_percent"),
        ]


class Subject(models.TextChoices):
    CADRE = "cadre", _("Cadres")
    UNIT = "unit", _("Units")


class CriteriaSet(models.Model):
    """The criteria a year's assessment of cadres or of units uses, with the total weighted
    score (0–100) each grade needs."""

    year = models.PositiveSmallIntegerField()
    subject = models.CharField(max_length=8, choices=Subject.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    excellent_from = models.DecimalField(max_digits=5, decimal_places=2)
    good_from = models.DecimalField(max_digits=5, decimal_places=2)
    pass_from = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "subject", "code"], name="cadres_set_once"),
            models.CheckConstraint(
                condition=Q(excellent_from__gte=models.F("good_from"))
                & Q(good_from__gte=models.F("pass_from")),
                name="cadres_set_thresholds_ordered",
            ),
        ]


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField()
    # A mandatory criterion scored below its threshold fails the whole assessment.
    mandatory = models.BooleanField(default=False)
    threshold = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    evidence_required = models.BooleanField(default=False)
    ordinal = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["criteria_set", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="cadres_criterion_once")
        ]


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class Assessment(models.Model):
    """A cadre's (person) or a unit's (org unit, no person) assessment against a criteria set.
    `org_unit` is the command the cadre served in, or the unit assessed: a restructuring moves
    it to the successor so results compare across the 2025 boundary change."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="assessments"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="assessments")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    total = models.DecimalField(max_digits=6, decimal_places=2)
    grade = models.CharField(max_length=10, choices=Grade.choices)
    # The rule codes that decided a lower grade (a mandatory criterion below its threshold).
    failed_criteria = models.JSONField(default=list, blank=True)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "person"],
                condition=Q(person__isnull=False),
                name="cadres_assessment_cadre_once",
            ),
            models.UniqueConstraint(
                fields=["criteria_set", "org_unit"],
                condition=Q(person__isnull=True),
                name="cadres_assessment_unit_once",
            ),
        ]
        indexes = [models.Index(fields=["org_unit", "criteria_set"])]


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=2)
    evidence = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="cadres_score_once")
        ]
