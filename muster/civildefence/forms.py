"""Forms of the register's pages: shelters and assembly points, rescue means, level decisions
and the commune civil-defence command. They parse input; the actions decide, and their coded
errors come back beside the field they name (`core.forms.ActionForm`). Choices of units,
communes and areas are set by the page from the scoped queries, so a place outside the
jurisdiction is an invalid choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.civildefence.models import HazardKind, Issuer, LevelKind, MeansKind, ShelterKind
from muster.core.forms import ActionForm, date_field


def _text(label: Any, limit: int, *, required: bool = True) -> forms.CharField:
    # No max_length: the action words a too long text with its own code.
    return forms.CharField(label=label, required=required, strip=False,
                           widget=forms.TextInput(attrs={"maxlength": limit}))  # fmt: skip


class PlaceForm(ActionForm):
    """A shelter's fields; `kind` choices set by the subclass."""

    KINDS: list[tuple[str, object]] = list(ShelterKind.choices)

    code = forms.CharField(label=_("Code"), help_text=_("Letters, digits, “_”, “.” or “-”."))
    kind = forms.ChoiceField(label=_("Kind"))
    name = _text(_("Name"), 200)
    unit = forms.ChoiceField(label=_("Unit keeping it"))
    commune = forms.ChoiceField(label=_("Commune"))
    lat = forms.FloatField(
        label=_("Latitude"),
        required=False,
        help_text=_("Degrees (WGS 84); left empty: the commune's centre."),
    )
    lon = forms.FloatField(label=_("Longitude"), required=False)
    capacity = forms.IntegerField(label=_("Capacity"))
    valid_from = date_field(_("In use from"), required=False)
    FORM_FIELD = {"valid_to": "valid_from"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = self.KINDS  # type: ignore[attr-defined]


class ShelterForm(PlaceForm):
    capacity = forms.IntegerField(label=_("Capacity (people)"))


class MeansForm(PlaceForm):
    KINDS = list(MeansKind.choices)

    capacity = forms.IntegerField(
        label=_("Capacity"),
        help_text=_("People carried per trip, people served, or crews, by its kind."),
    )
    operator = forms.CharField(
        label=_("Operator's personal ID number"),
        required=False,
        max_length=12,
        help_text=_("Who works it, when known: then assigned once per task window."),
    )


class RetireForm(ActionForm):
    last_day = date_field(_("Last day in use"))
    FORM_FIELD = {"valid_to": "last_day"}


class DecisionForm(ActionForm):
    kind = forms.ChoiceField(label=_("Decision"), choices=LevelKind.choices)
    level = forms.IntegerField(label=_("Level"))
    hazard_kind = forms.ChoiceField(
        label=_("Hazard"),
        choices=[("", "—"), *HazardKind.choices],
        required=False,
        help_text=_("For a disaster risk level: the hazard it is issued for."),
    )
    area = forms.ChoiceField(label=_("Area covered"))
    issuer = forms.ChoiceField(label=_("Issued by"), choices=Issuer.choices)
    number = _text(_("Decision number"), 60, required=False)
    legal_basis = _text(_("Legal basis"), 200)
    starts_on = date_field(_("From"))
    ends_on = date_field(_("Until"), required=False)


class LiftForm(ActionForm):
    ends_on = date_field(_("Last day in force"))


class CommandForm(ActionForm):
    """The commune civil-defence command (Decree 200/2025 Art. 8)."""

    unit = forms.ChoiceField(label=_("Commune military command"))
    name = _text(_("Name"), 200)
    head_name = _text(_("Head"), 120, required=True)
    head_title = _text(_("Head's title"), 120)
    deputy_name = _text(_("Deputy (commune military commander)"), 120, required=False)
    deputy_title = _text(_("Deputy's title"), 120, required=False)
    decision = _text(_("Founding decision"), 60, required=False)
    valid_from = date_field(_("From"))


class CommandEditForm(CommandForm):
    """A correction: the unit and the first day stay as recorded."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        del self.fields["unit"]
        del self.fields["valid_from"]
