"""Django admin for the organisation: for repairs; every edit is audited (AuditedAdmin)."""

from __future__ import annotations

from django.contrib import admin

from muster.audit.admin_audit import AuditedAdmin
from muster.orgs.models import Appointment, OrgUnit, Position, Territory


class TerritoryInline(admin.TabularInline[Territory, OrgUnit]):
    model = Territory
    extra = 0
    raw_id_fields = ("admin_unit",)
    fields = ("admin_unit", "valid_from", "valid_to")


class PositionInline(admin.TabularInline[Position, OrgUnit]):
    model = Position
    extra = 0
    fields = ("ordinal", "kind", "title")


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    inlines = (TerritoryInline, PositionInline)


@admin.register(Appointment)
class AppointmentAdmin(AuditedAdmin):
    list_display = ("holder_name", "rank", "position", "valid_from", "valid_to")
    search_fields = ("holder_name", "position__org_unit__code", "position__org_unit__name")
    raw_id_fields = ("position",)
    list_select_related = ("position__org_unit",)
