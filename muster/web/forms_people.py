"""Forms that write to the registry: they parse input; people.actions validates and decides.

Only what a browser form must know is checked here (required fields, dates that parse, a
commune from the offered list). Every rule about a person — the 12-digit ID, dates in the
past, a death date only when dead — lives in people.rules and comes back from the action as
InvalidInput, which `add_action_errors` puts next to the field it names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from muster.core import forms as core_forms
from muster.core.errors import FieldError
from muster.people.actions import PersonChanges, PersonInput
from muster.people.models import FactKind, LifeStatus, Person, Sex

# Action field names that a form spells differently.
FORM_FIELD = {"residence_commune_code": "residence_commune"}

EDUCATION_CODES = (
    "grade_0",
    *(f"grade_{n}" for n in range(1, 13)),
    "vocational",
    "college",
    "university",
    "postgraduate",
)


def education_label(code: str) -> str:
    """The reader's label for an education-level code; other values (older records) as stored."""
    if code == "grade_0":
        return gettext("No schooling (0/12)")
    if code.startswith("grade_") and code.removeprefix("grade_").isdigit():
        return gettext("Grade %(grade)s/12") % {"grade": code.removeprefix("grade_")}
    labels = {
        "vocational": gettext("Vocational secondary"),
        "college": gettext("College"),
        "university": gettext("University"),
        "postgraduate": gettext("Postgraduate"),
    }
    return labels.get(code, code)


def date_field(*, label: Any, required: bool = True, **kwargs: Any) -> forms.DateField:
    """A date picked with the browser's date input (ISO on the wire, whatever the locale)."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
        **kwargs,
    )


class ActionForm(core_forms.ActionForm):
    """A form whose cleaned data goes to one action; the action's field errors come back here,
    with the person actions' field names spelled as these forms spell them."""

    FORM_FIELD = FORM_FIELD


def _commune_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Commune of residence"),
        error_messages={
            "invalid_choice": _("This commune is not in your jurisdiction or does not exist.")
        },
    )


class ResidenceFields(ActionForm):
    """Residence and contact fields shared by registration and the edit form."""

    residence_commune = _commune_field()
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    household_id = forms.CharField(label=_("Household number"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    life_status = forms.ChoiceField(
        label=_("Life status"), choices=LifeStatus.choices, initial=LifeStatus.ALIVE
    )
    died_on = date_field(
        label=_("Date of death"),
        required=False,
        help_text=_("Only when the life status is “Dead”."),
    )

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["residence_commune"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a commune")), *communes]


class PersonForm(ResidenceFields):
    """Registering a person (→ people.actions.person_create)."""

    personal_id = forms.CharField(
        label=_("Personal ID number"),
        help_text=_("12 digits, as on the citizen identity card."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Full name"), widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Choose")), *Sex.choices])
    birth_date = date_field(label=_("Date of birth"))
    ethnicity = forms.CharField(label=_("Ethnicity"), required=False)

    field_order = [
        "personal_id",
        "full_name",
        "sex",
        "birth_date",
        "ethnicity",
        "residence_commune",
        "address",
        "household_id",
        "phone",
        "life_status",
        "died_on",
    ]

    def person_input(self) -> PersonInput:
        """The action's input (call only when the form is valid)."""
        data = self.cleaned_data
        return PersonInput(
            personal_id=data["personal_id"],
            full_name=data["full_name"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            residence_commune_code=data["residence_commune"],
            ethnicity=data["ethnicity"],
            address=data["address"],
            household_id=data["household_id"],
            phone=data["phone"],
            life_status=data["life_status"],
            died_on=data["died_on"],
        )


class PersonEditForm(ResidenceFields):
    """Contact and residence of an existing person (→ people.actions.person_update)."""

    field_order = ["address", "phone", "household_id", "residence_commune", "life_status"]

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        return {
            "address": person.address,
            "phone": person.phone,
            "household_id": person.household_id,
            "residence_commune": person.residence_commune.code,
            "life_status": person.life_status,
            "died_on": person.died_on,
        }

    def changes(self) -> PersonChanges:
        """Every field of the form; the action keeps only what differs (call when valid)."""
        data = self.cleaned_data
        return PersonChanges(
            address=data["address"],
            phone=data["phone"],
            household_id=data["household_id"],
            residence_commune_code=data["residence_commune"],
            life_status=data["life_status"],
            died_on=data["died_on"],
        )


class PersonFactForm(ActionForm):
    """An education level (from a list) or an occupation (free text), with date and source."""

    kind = forms.ChoiceField(label=_("Fact"), choices=FactKind.choices)
    education_level = forms.ChoiceField(
        label=_("Education level"),
        required=False,
        help_text=_("When the fact is an education level."),
    )
    occupation = forms.CharField(
        label=_("Occupation"),
        required=False,
        help_text=_("When the fact is an occupation."),
    )
    recorded_on = date_field(label=_("Recorded on"))
    source = forms.CharField(
        label=_("Source"), help_text=_("For example: declared at the commune office.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"recorded_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["education_level"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", gettext("Choose")),
            *((c, education_label(c)) for c in EDUCATION_CODES),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == FactKind.EDUCATION_LEVEL and not cleaned.get("education_level"):
            self.add_error("education_level", _("Choose the education level."))
        elif kind == FactKind.OCCUPATION and not cleaned.get("occupation"):
            self.add_error("occupation", _("Enter the occupation."))
        return cleaned

    @property
    def value_field(self) -> str:
        """The input that carries the value for the chosen kind."""
        kind = self.cleaned_data.get("kind") if hasattr(self, "cleaned_data") else None
        return "occupation" if kind == FactKind.OCCUPATION else "education_level"

    def fact_arguments(self) -> dict[str, Any]:
        """Keyword arguments for people.actions.person_fact_record (call when valid)."""
        data = self.cleaned_data
        recorded_on: date = data["recorded_on"]
        return {
            "kind": data["kind"],
            "value": data[self.value_field],
            "recorded_on": recorded_on,
            "source": data["source"],
        }

    def add_action_errors(self, errors: list[FieldError]) -> None:
        super().add_action_errors(
            [
                FieldError(self.value_field, e.code, e.params) if e.field == "value" else e
                for e in errors
            ]
        )


class PersonMoveForm(ActionForm):
    """A move to another commune: where to (any 2025 commune, by its code), the new address,
    and the day of the move."""

    to_commune = forms.CharField(
        label=_("Commune moved to (code)"),
        max_length=10,
        help_text=_("The 2025 commune code, e.g. 00004; the communes of this province are listed."),
    )
    address = forms.CharField(label=_("New address"), max_length=255, required=False)
    moved_on = date_field(label=_("Moved on"))

    FORM_FIELD = {"to_commune_code": "to_commune"}
