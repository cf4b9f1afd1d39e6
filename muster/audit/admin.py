from django.contrib import admin

from muster.audit.models import AuditEvent, ReadEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ("at", "actor_label", "action", "target_type", "target_id", "commune_code")
    list_filter = ("action",)
    search_fields = ("target_id", "actor_label")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReadEvent)
class ReadEventAdmin(admin.ModelAdmin[ReadEvent]):
    list_display = ("at", "actor", "action", "target_type", "target_id", "channel")
    search_fields = ("target_id",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
