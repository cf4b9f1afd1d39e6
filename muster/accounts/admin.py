from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.db import models, transaction
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster import audit
from muster.accounts.actions import (
    second_factor_remove,
    tokens_end_for_deactivation,
    tokens_end_for_password_change,
)
from muster.accounts.models import User
from muster.audit.admin_audit import AuditedAdmin


@admin.register(User)
class MusterUserAdmin(AuditedAdmin, UserAdmin):  # type: ignore[type-arg]
    """Users in the admin. Django's forms run the password validators; a password change or a
    deactivation here revokes the user's API tokens and is audited, as through the actions."""

    fieldsets = (*(UserAdmin.fieldsets or ()), ("Muster", {"fields": ("role", "jurisdiction")}))
    list_display = ("username", "role", "jurisdiction", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("jurisdiction",)

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        with transaction.atomic():
            was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
            super().save_model(request, obj, form, change)
            if was_active and not obj.is_active:
                tokens_end_for_deactivation(user=obj, acting_user=_admin_user(request))

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():
            before = User.objects.filter(pk=unquote(id)).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=unquote(id)).first()
            if user is not None and before is not None and user.password != before:
                acting = _admin_user(request)
                audit.record(
                    "accounts.user.updated",
                    actor=acting,
                    target=user,
                    data={"changed": ["password"], "via": "admin"},
                )
                tokens_end_for_password_change(user=user, acting_user=acting)
        return response


def _admin_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


# django-otp registers an admin that edits devices and shows their secrets; ours only lists
# them and removes one (a lost phone), through the audited action.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorDeviceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        second_factor_remove(user=obj.user, acting_user=_admin_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for device in queryset.select_related("user"):
            second_factor_remove(user=device.user, acting_user=_admin_user(request))
