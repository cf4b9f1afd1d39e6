"""Administrative units of both editions (legacy 63 provinces, 2025 two-tier) and successions."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, valid_on


class Edition(models.TextChoices):
    LEGACY = "legacy", _("Legacy (until 30/06/2025)")
    V2025 = "2025", _("2025 (from 01/07/2025)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune / ward")


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    # core.ValidityQuerySet is typed for Model; this keeps AdminUnit types for mypy.
    def as_of(self, day: date) -> Self:
        """Units valid on `day`."""
        return self.filter(valid_on(day))


class AdminUnit(Validity):
    """A province, district (legacy only) or commune-level unit of one edition.

    Codes are official GSO codes; legacy and 2025 codes overlap, so a unit is identified by
    (edition, code).
    """

    edition = models.CharField(max_length=8, choices=Edition.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=8)
    name = models.CharField(max_length=120)  # "Phường Hồng Hà"
    short_name = models.CharField(max_length=100)  # "Hồng Hà"
    unit_type = models.CharField(max_length=30)  # "Phường", "Xã", "Đặc khu", "Tỉnh", "Huyện" ...
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)
    # Legacy areas are estimated from geocoder bounding boxes, not surveyed: say so.
    area_is_estimate = models.BooleanField(default=False)
    search_key = models.CharField(max_length=120, db_index=True)  # folded short name

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="geo_unit_edition_code"),
        ]
        indexes = [
            models.Index(fields=["edition", "level", "parent"]),
            models.Index(fields=["code"], name="geo_unit_code"),
        ]

    def __str__(self) -> str:
        return self.name


class SuccessionKind(models.TextChoices):
    CONTINUED = "continued", _("Continued (one to one)")
    MERGED = "merged", _("Merged into a larger unit")
    SPLIT = "split", _("Split between several units")


class Succession(models.Model):
    """`predecessor` was (wholly or partly) succeeded by `successor` on `effective_on`."""

    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions_out"
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions_in"
    )
    effective_on = models.DateField()
    kind = models.CharField(max_length=10, choices=SuccessionKind.choices)
    # For a split: the successor the source data names as default when nothing else decides.
    is_default = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_on"], name="geo_succession_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_on})"


class UnitShape(models.Model):
    """A drawn outline. Commune outlines are approximations from centroid and area."""

    unit = models.OneToOneField(AdminUnit, on_delete=models.CASCADE, related_name="shape")
    geojson = models.TextField()  # a GeoJSON geometry object (Polygon or MultiPolygon)
    is_approximate = models.BooleanField(default=True)
    method = models.CharField(max_length=40)  # e.g. "voronoi-clipped-by-area"


class Elevation(models.Model):
    """An imported elevation grid (`geo.elevation`): heights in metres as little-endian float32,
    `rows` × `cols`, row 0 the north edge, over the bounds in degrees (WGS 84). The newest is
    the 3D map's terrain."""

    name = models.CharField(max_length=200)
    west = models.FloatField()
    south = models.FloatField()
    east = models.FloatField()
    north = models.FloatField()
    rows = models.PositiveIntegerField()
    cols = models.PositiveIntegerField()
    heights = models.BinaryField()
    imported_at = models.DateTimeField(auto_now_add=True)
