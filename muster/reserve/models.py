"""Membership of the reserve force (NCOs and soldiers), over time."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity
from muster.people.models import Person


class ReserveCategory(models.IntegerChoices):
    ONE = 1, _("Category 1")
    TWO = 2, _("Category 2")


class ReserveMembership(Validity):
    """valid_from: entry into the reserve; valid_to: the last day in it (age limit, death…)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reserve_periods")
    category = models.PositiveSmallIntegerField(choices=ReserveCategory.choices)
    # The point of MSL Art. 24 the category rests on, e.g. "RES_CAT1_A".
    basis_code = models.CharField(max_length=20)
    source = models.CharField(max_length=40)  # "discharge:<service record id>", "manual", "demo"
    left_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "source"], name="reserve_entry_once"),
            models.CheckConstraint(condition=Q(category__in=[1, 2]), name="reserve_category_1_2"),
        ]
        indexes = [models.Index(fields=["person", "valid_from"], name="reserve_person")]
