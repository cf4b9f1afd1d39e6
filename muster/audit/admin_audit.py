"""Django admin edits join the audit trail, so back-office repairs are as visible as actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from muster import audit


def snapshot(obj: models.Model) -> dict[str, Any]:
    """Concrete field values by attribute name (foreign keys as ids), passwords masked."""
    return {
        field.attname: "***" if field.name == "password" else getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    changed = sorted(k for k in after if before.get(k) != after[k])
    return {"before": {k: before.get(k) for k in changed}, "after": {k: after[k] for k in changed}}


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose saves and deletes (inlines included) write audit events."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        with transaction.atomic():
            before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
            super().save_model(request, obj, form, change)
            self._record(
                request,
                "admin.object.changed" if change else "admin.object.created",
                obj,
                _diff(before, snapshot(obj)),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            self._record(request, "admin.object.deleted", obj, {"before": snapshot(obj)})
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                self._record(request, "admin.object.deleted", obj, {"before": snapshot(obj)})
            super().delete_queryset(request, queryset)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        with transaction.atomic():
            before = {obj.pk: snapshot(obj) for obj in formset.get_queryset()}
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                self._record(request, "admin.object.created", obj, {"after": snapshot(obj)})
            for obj, _fields in formset.changed_objects:
                self._record(
                    request,
                    "admin.object.changed",
                    obj,
                    _diff(before.get(obj.pk, {}), snapshot(obj)),
                )
            for obj in formset.deleted_objects:
                self._record(
                    request, "admin.object.deleted", obj, {"before": before.get(obj.pk, {})}
                )

    @staticmethod
    def _record(request: HttpRequest, action: str, obj: models.Model, data: dict[str, Any]) -> None:
        audit.record(action, actor=request.user, target=obj, data={"via": "admin", **data})
