"""Query-string filters of the audit log pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.audit.labels import action_label
from muster.audit.registry import AUDIT_ACTIONS
from muster.core.collation import vi_sorted
from muster.web.forms_people import date_field


class AuditPeriodForm(forms.Form):
    actor = forms.CharField(
        label=_("User name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_from = date_field(label=_("From"), required=False)
    date_to = date_field(label=_("To"), required=False)
    page = forms.IntegerField(
        required=False, min_value=1, max_value=99_999, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from is not None and date_to is not None and date_from > date_to:
            self.add_error("date_to", _("Must not be before “From”."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for the audit queries (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "actor": data.get("actor") or None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class AuditEventFilterForm(AuditPeriodForm):
    action = forms.ChoiceField(label=_("Action"), required=False)
    target_id = forms.CharField(
        label=_("Record id"),
        required=False,
        max_length=64,
        help_text=_("The id in the “Record” column."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    field_order = ["action", "actor", "target_id", "date_from", "date_to"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        # The actions in words, in Vietnamese alphabetical order (the name is the value).
        named = vi_sorted(((name, action_label(name)) for name in AUDIT_ACTIONS), lambda a: a[1])
        field.choices = [("", _("All actions")), *named]

    def filters(self) -> dict[str, Any]:
        arguments = super().filters()
        if arguments:
            arguments["action"] = self.cleaned_data.get("action") or None
            arguments["target_id"] = self.cleaned_data.get("target_id") or None
        return arguments


class AuditReadFilterForm(AuditPeriodForm):
    personal_id = forms.CharField(
        label=_("Personal ID number"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    field_order = ["personal_id", "actor", "date_from", "date_to"]

    def filters(self) -> dict[str, Any]:
        arguments = super().filters()
        if arguments:
            arguments["personal_id"] = self.cleaned_data.get("personal_id") or None
        return arguments
