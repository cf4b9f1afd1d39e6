"""Forms of the call-up cycle pages: they parse input only; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.conscription.models import HandoverOutcome, ServedHow


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CycleCreateForm(forms.Form):
    province = forms.ChoiceField(label=_("Province"))
    year = forms.IntegerField(label=_("Year"), min_value=2025, max_value=2100)
    callup_date = forms.DateField(label=_("Call-up date (reference date)"), widget=DateInput())
    target = forms.IntegerField(label=_("Target (Prime Minister's decision)"), min_value=0)

    def __init__(self, *args: object, provinces: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["province"].choices = provinces  # type: ignore[attr-defined]


class TargetForm(forms.Form):
    target = forms.IntegerField(label=_("Provincial target"), min_value=0)


class QuotaOverrideForm(forms.Form):
    quota = forms.IntegerField(label=_("Quota"), min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea)


class BatchForm(forms.Form):
    person_ids = forms.TypedMultipleChoiceField(
        label=_("Citizens"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    report_on = forms.DateField(label=_("Report on"), widget=DateInput())
    report_time = forms.TimeField(
        label=_("Time"),
        initial="07:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    report_place = forms.CharField(label=_("Report at"), max_length=200)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)

    def __init__(self, *args: object, people: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["person_ids"].choices = people  # type: ignore[attr-defined]


class ServeForm(forms.Form):
    served_on = forms.DateField(label=_("Served on"), widget=DateInput())
    served_how = forms.ChoiceField(label=_("How"), choices=ServedHow.choices)
    acknowledged = forms.BooleanField(label=_("The citizen signed for it"), required=False)


class HandoverForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=HandoverOutcome.choices)
    outcome_on = forms.DateField(label=_("Handover date"), widget=DateInput())
    unit_name = forms.CharField(label=_("Receiving unit"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea)
