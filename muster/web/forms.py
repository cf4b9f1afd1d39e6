"""Query-string forms: they only parse and check input; the queries do the work."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.people.models import Sex

YEAR_MIN = 1900
YEAR_MAX = 2100


class YearField(forms.IntegerField):
    """A four-digit year; the message names the field so it reads well in the error summary."""

    def __init__(self, *, label: Any, **kwargs: Any) -> None:
        super().__init__(
            label=label,
            required=False,
            min_value=YEAR_MIN,
            max_value=YEAR_MAX,
            error_messages={
                "invalid": _("Enter the year as four digits, for example 1990."),
                "min_value": _("The year must be %(limit_value)s or later."),
                "max_value": _("The year must be %(limit_value)s or earlier."),
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "year"}),
            **kwargs,
        )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or personal ID"),
        required=False,
        max_length=120,
        help_text=_("Diacritics are optional: “nguyen van an” finds “Nguyễn Văn An”."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any")), *Sex.choices])
    born_from = YearField(label=_("Born from (year)"))
    born_to = YearField(label=_("Born to (year)"))

    def __init__(self, *args: Any, communes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commune"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All communes in my jurisdiction")), *communes]
        field.error_messages["invalid_choice"] = _(
            "This commune is not in your jurisdiction or does not exist."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        born_from, born_to = cleaned.get("born_from"), cleaned.get("born_to")
        if born_from is not None and born_to is not None and born_from > born_to:
            self.add_error("born_to", _("Must not be before “Born from (year)”."))
        return cleaned

    def search_arguments(self) -> dict[str, Any]:
        """Keyword arguments for people.queries.person_search (call only when valid)."""
        data = self.cleaned_data
        born_from: int | None = data.get("born_from")
        born_to: int | None = data.get("born_to")
        return {
            "q": data.get("q") or None,
            "commune_code": data.get("commune") or None,
            "sex": data.get("sex") or None,
            "born_from": date(born_from, 1, 1) if born_from is not None else None,
            "born_to": date(born_to, 12, 31) if born_to is not None else None,
        }


COMMUNE_SORTS: dict[str, str] = {
    "name": "name",
    "people": "people",
    "men": "military_age_men",
    "density": "density",
}


class CommuneListForm(forms.Form):
    q = forms.CharField(
        label=_("Commune name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-people", _("People (most first)")),
            ("people", _("People (fewest first)")),
            ("-men", _("Men 18–27 (most first)")),
            ("men", _("Men 18–27 (fewest first)")),
            ("-density", _("Density (highest first)")),
            ("density", _("Density (lowest first)")),
            ("-name", _("Name (Z–A)")),
        ],
    )

    @property
    def sort_key(self) -> tuple[str, bool]:
        """(figure attribute, descending) for a valid form; name ascending otherwise."""
        value = (self.cleaned_data.get("sort") if self.is_valid() else "") or "name"
        descending = value.startswith("-")
        return COMMUNE_SORTS[value.lstrip("-")], descending


class MapFigureForm(forms.Form):
    figure = forms.ChoiceField(
        label=_("Colour communes by"),
        required=False,
        choices=[
            ("people", _("People")),
            ("military_age_men", _("Men 18–27")),
            ("density", _("Density (people per km²)")),
        ],
    )
