"""Django admin for administrative units and successions (read mostly; loads come from data)."""

from __future__ import annotations

from django.contrib import admin

from muster.audit.admin_audit import AuditedAdmin
from muster.geo.models import AdminUnit, Succession


class SuccessionOutInline(admin.TabularInline[Succession, AdminUnit]):
    model = Succession
    fk_name = "predecessor"
    fields = ("successor", "kind", "is_default", "effective_on")
    raw_id_fields = ("successor",)
    extra = 0
    verbose_name_plural = "successors"


@admin.register(AdminUnit)
class AdminUnitAdmin(AuditedAdmin):
    list_display = (
        "code",
        "name",
        "edition",
        "level",
        "unit_type",
        "parent",
        "valid_from",
        "valid_to",
    )
    list_filter = ("edition", "level", "unit_type")
    search_fields = ("code", "name", "search_key")
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    ordering = ("edition", "code")
    inlines = (SuccessionOutInline,)


@admin.register(Succession)
class SuccessionAdmin(AuditedAdmin):
    list_display = ("predecessor", "successor", "kind", "is_default", "effective_on")
    list_filter = ("kind", "is_default", "predecessor__edition", "predecessor__level")
    search_fields = ("predecessor__name", "predecessor__code", "successor__name", "successor__code")
    list_select_related = ("predecessor", "successor")
    raw_id_fields = ("predecessor", "successor")
