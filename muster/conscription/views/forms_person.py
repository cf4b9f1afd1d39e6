"""Forms of the person page's military-service section. They parse input; the actions in
`actions.records` validate and decide, and their field errors come back next to the field
they name, worded in the reader's language (`core.wording`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from muster.conscription.models import RegistrationKind
from muster.conscription.rules import callup as rules
from muster.conscription.rules.grounds import GROUNDS, DecisionKind
from muster.core.forms import ActionForm, date_field


def _yes_no(label: Any) -> forms.NullBooleanField:
    return forms.NullBooleanField(label=label, required=False, widget=forms.NullBooleanSelect())


def education_choices() -> list[tuple[str, Any]]:
    labels: dict[str, Any] = {
        "grade_0": _("No schooling"),
        "vocational": _("Vocational secondary"),
        "college": _("College"),
        "university": _("University"),
        "postgraduate": _("Postgraduate"),
    }
    choices: list[tuple[str, Any]] = [("", _("Not known"))]
    for level in rules.EDUCATION_LEVELS:
        grade = level.removeprefix("grade_")
        label = labels.get(level) or _("Grade %(grade)s/12") % {"grade": grade}
        choices.append((level, label))
    return choices


class RegistrationForm(ActionForm):
    kind = forms.ChoiceField(label=_("Kind of registration"), choices=RegistrationKind.choices)
    registered_on = date_field(_("Registered on"))
    education_level = forms.ChoiceField(
        label=_("Education level"), choices=education_choices, required=False
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=120, required=False)
    FORM_FIELD = {"person": "kind"}


class ExamForm(ActionForm):
    examined_on = date_field(_("Examined on"))
    board = forms.CharField(label=_("Health examination council"), max_length=200, required=False)
    health_class = forms.TypedChoiceField(
        label=_("Health class"),
        choices=[("", "—"), *((str(n), str(n)) for n in range(1, 7))],
        coerce=int,
    )
    myopia_diopters = forms.FloatField(label=_("Myopia (dioptres)"), required=False)
    hyperopia = _yes_no(_("Hyperopia"))
    bmi = forms.FloatField(label=_("BMI"), required=False)
    drug_addiction = _yes_no(_("Drug addiction"))
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def ground_choices() -> list[tuple[str, str]]:
    """The grounds in the law's order, in words with their article (the code is the value)."""
    vietnamese = (get_language() or "vi").startswith("vi")
    return [("", "—")] + [
        (code, f"{ground.vi if vietnamese else ground.en} ({ground.citation})")
        for code, ground in GROUNDS.items()
    ]


class DecisionForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("Kind of decision"),
        choices=[
            (DecisionKind.DEFERRAL, _("Deferral of call-up")),
            (DecisionKind.EXEMPTION, _("Exemption from call-up")),
            (DecisionKind.COMPLETION, _("Recognised as having completed service")),
        ],
    )
    ground_code = forms.ChoiceField(label=_("Legal ground"), choices=ground_choices)
    decided_on = date_field(_("Decided on"))
    valid_until = date_field(_("Valid until"), required=False)
    decided_by = forms.CharField(label=_("Decided by"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EvidenceForm(ActionForm):
    file = forms.FileField(
        label=_("Evidence document (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


def cleaned_date(form: forms.Form, name: str) -> date | None:
    value = form.cleaned_data.get(name)
    return value if isinstance(value, date) else None
