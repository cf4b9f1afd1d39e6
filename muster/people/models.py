"""Persons as the population register knows them, plus Muster's own facts about them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, ValidityQuerySet
from muster.geo.models import AdminUnit


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class LifeStatus(models.TextChoices):
    ALIVE = "alive", _("Alive")
    DEAD = "dead", _("Dead")


class Person(models.Model):
    """Fields named like the population register's extract columns."""

    personal_id = models.CharField(max_length=12, unique=True)
    full_name = models.CharField(max_length=120)  # NFC
    # Both keys are ASCII-ish folded text searched by prefix. On PostgreSQL migration 0002 gives
    # them COLLATE "C" so the plain btree indexes below serve `LIKE 'x%'` and ORDER BY alike
    # (a later AlterField on these columns must re-apply that collation).
    search_key = models.CharField(max_length=120)  # folded full name: "nguyen van an"
    given_key = models.CharField(max_length=120)  # folded, given name first: "an nguyen van"
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_date = models.DateField()
    ethnicity = models.CharField(max_length=40, blank=True)
    # No index of its own: person_commune_sex_birth leads with it.
    residence_commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="residents", db_index=False
    )
    address = models.CharField(max_length=255, blank=True)
    household_id = models.CharField(max_length=20, blank=True)  # person_household
    phone = models.CharField(max_length=20, blank=True)
    life_status = models.CharField(max_length=5, choices=LifeStatus.choices, default="alive")
    died_on = models.DateField(null=True, blank=True)
    # Data-quality warnings, e.g. "ID_SEX_MISMATCH;ID_YEAR_MISMATCH" (codes in people.rules).
    # Indexed only where set (person_id_warned): nearly every row has none.
    id_warnings = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=40, default="manual")  # "popreg", "demo", "manual"
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # (search_key, id) is exactly the listing order, so a page is an index range scan.
            # INCLUDE the commune (PostgreSQL; ignored by SQLite) so a jurisdiction-scoped search
            # stays index-only instead of visiting the table for every candidate row.
            models.Index(
                fields=["search_key", "id"], include=["residence_commune"], name="person_search_key"
            ),
            # given_key first, then the listing order: the given-name branch of a search is index-only.
            models.Index(
                fields=["given_key", "search_key", "id"],
                include=["residence_commune"],
                name="person_given_key",
            ),
            models.Index(
                fields=["residence_commune", "sex", "birth_date"], name="person_commune_sex_birth"
            ),
            # The call-up candidate list reads living men by commune and birth date with these
            # columns: index-only (PostgreSQL) instead of visiting every page of the table.
            models.Index(
                fields=["residence_commune", "birth_date"],
                include=["id", "personal_id", "full_name", "search_key"],
                condition=models.Q(sex="M", life_status="alive"),
                name="person_callup_men",
            ),
            # Looked up by equality only: a plain index (db_index would add a LIKE index too).
            models.Index(fields=["household_id"], name="person_household"),
            # The data-quality list: warned persons in listing order, a small partial index.
            models.Index(
                fields=["search_key", "id"],
                condition=~models.Q(id_warnings=""),
                name="person_id_warned",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(life_status="dead") | models.Q(died_on__isnull=True),
                name="person_died_on_only_if_dead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id})"


class ResidencePeriod(Validity):
    """Where a person lived over time, so counts can be asked as of any date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    # No index of its own: the (commune, valid_from) index leads with it.
    commune = models.ForeignKey(
        AdminUnit, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    address = models.CharField(max_length=255, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["commune", "valid_from"])]


class FactKind(models.TextChoices):
    EDUCATION_LEVEL = "education_level", _("Education level")
    OCCUPATION = "occupation", _("Occupation")
    # "yes"/"no": needs help to move in an evacuation (CD Law 18/2023 Art. 2(4), civildefence)
    MOBILITY_NEED = "mobility_need", _("Needs help to move")


class PersonFact(models.Model):
    """Muster's own facts (not the register's), each with its date and source."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="facts")
    kind = models.CharField(max_length=20, choices=FactKind.choices)
    value = models.CharField(max_length=120)
    recorded_on = models.DateField()
    source = models.CharField(max_length=80)

    class Meta:
        indexes = [models.Index(fields=["person", "kind", "recorded_on"])]
