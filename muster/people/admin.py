"""Admin: persons are read-mostly here; changes go through people.actions (audited)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from muster.people.models import Person, PersonFact


class PersonFactInline(admin.TabularInline[PersonFact, Person]):
    model = PersonFact
    extra = 0
    fields = ("kind", "value", "recorded_on", "source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ("personal_id", "full_name", "sex", "birth_date", "residence_commune")
    list_filter = ("sex", "life_status")
    # "=" keeps the ID search an exact (indexed) match; "^" makes name search a prefix one.
    search_fields = ("=personal_id", "^search_key")
    list_select_related = ("residence_commune",)
    show_full_result_count = False  # a COUNT(*) over a million rows per page view is waste
    raw_id_fields = ("residence_commune",)
    readonly_fields = tuple(
        f.name for f in Person._meta.get_fields() if f.concrete and not f.auto_created
    )
    inlines = (PersonFactInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # writes must be audited: people.actions.person_create

    def has_delete_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Person | None = None) -> bool:
        return False


@admin.register(PersonFact)
class PersonFactAdmin(admin.ModelAdmin[PersonFact]):
    list_display = ("person", "kind", "value", "recorded_on", "source")
    list_filter = ("kind",)
    search_fields = ("=person__personal_id",)
    raw_id_fields = ("person",)
    list_select_related = ("person",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: PersonFact | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PersonFact | None = None) -> bool:
        return False
