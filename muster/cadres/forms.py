"""Forms of the cadres pages: they parse input only; the actions decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.cadres.models import Attendance, CourseKind, Qualification, Result
from muster.orgs.models import Designation, PositionKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AppointForm(forms.Form):
    position = forms.IntegerField(widget=forms.HiddenInput)
    personal_id = forms.RegexField(label=_("Personal ID number"), regex=r"^\d{12}$", max_length=12)
    rank = forms.CharField(label=_("Rank"), max_length=60, required=False)
    valid_from = forms.DateField(label=_("From"), widget=DateInput())


class DismissForm(forms.Form):
    appointment = forms.IntegerField(widget=forms.HiddenInput)
    valid_to = forms.DateField(label=_("Last day"), widget=DateInput())


class DesignationsForm(forms.Form):
    designations = forms.MultipleChoiceField(
        label=_("Designations"),
        choices=Designation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_from = forms.DateField(label=_("From"), widget=DateInput())


class CourseForm(forms.Form):
    organiser = forms.CharField(label=_("Organised by"), max_length=40)
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    qualification = forms.ChoiceField(
        label=_("Qualification earned"), choices=Qualification.choices
    )
    validity_months = forms.IntegerField(
        label=_("Certificate valid for (months; empty: for life)"), required=False, min_value=1
    )


class SessionForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class EnrolForm(forms.Form):
    personal_id = forms.RegexField(label=_("Personal ID number"), regex=r"^\d{12}$")


class ResultForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=[(v, lbl) for v, lbl in Attendance.choices if v != Attendance.PENDING],
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=[(v, lbl) for v, lbl in Result.choices if v != Result.PENDING]
    )
    score = forms.DecimalField(
        label=_("Score"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    result_on = forms.DateField(label=_("Result on"), widget=DateInput())


class TargetForm(forms.Form):
    unit = forms.CharField(label=_("Command"), max_length=40)
    year = forms.IntegerField(label=_("Year"), min_value=2025, max_value=2100)
    position_kind = forms.ChoiceField(label=_("Position"), choices=PositionKind.choices)
    qualification = forms.ChoiceField(label=_("Qualification"), choices=Qualification.choices)
    percent = forms.IntegerField(label=_("Target share"), min_value=0, max_value=100)
