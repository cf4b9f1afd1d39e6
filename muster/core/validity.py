"""Validity periods: every unit, territory and history row says when it held.

`valid_to` is the last day it held (inclusive); NULL on either end means open.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models import F, Q


def valid_on(day: date, prefix: str = "") -> Q:
    """Q selecting rows valid on `day`; `prefix` reaches a related model ("admin_unit__")."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def period_check(name: str) -> models.CheckConstraint:
    """The constraint every period table carries: it does not end before it starts."""
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True)
        | Q(valid_from__isnull=True)
        | Q(valid_to__gte=F("valid_from")),
        name=name,
    )


class ValidityQuerySet(models.QuerySet[models.Model]):
    def as_of(self, day: date) -> Self:
        return self.filter(valid_on(day))


class Validity(models.Model):
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )
