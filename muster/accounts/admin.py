from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from muster.accounts.models import User
from muster.audit.admin_audit import AuditedAdmin


@admin.register(User)
class MusterUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Muster", {"fields": ("role", "jurisdiction")}))
    list_display = ("username", "role", "jurisdiction", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("jurisdiction",)
