"""Forms of the technical means pages. They parse input; `means_actions` decides, and its field
errors come back beside the field they name, in the reader's language (`core.wording`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.forms import ActionForm, date_field
from muster.geo.models import AdminUnit
from muster.reserve.means_actions import FIRST_YEAR
from muster.reserve.means_rules import CAPABILITIES, CAPABILITY_LABELS
from muster.reserve.models_units import MeansKind, MeansRetired, MeansState


def capability_choices() -> list[tuple[Any, Any]]:
    """Capabilities in words, grouped under their kind of means (LLDBĐV Art. 2(3))."""
    kinds = dict(MeansKind.choices)
    return [
        (
            kinds[kind],
            [(c.code, CAPABILITY_LABELS[c.code]) for c in CAPABILITIES.values() if c.kind == kind],
        )
        for kind in kinds
    ]


class MeansEditForm(ActionForm):
    """What the register says of an item besides its kind and registration number."""

    capability = forms.ChoiceField(label=_("Capability"))
    capacity = forms.CharField(
        label=_("Capacity (load, seats, power)"), max_length=40, required=False
    )
    owner = forms.CharField(label=_("Owned by"), max_length=200)
    commune = forms.ChoiceField(label=_("Commune"))
    state = forms.ChoiceField(label=_("State"), choices=MeansState.choices)
    registry = forms.CharField(label=_("Registry"), max_length=60)

    def __init__(self, *args: Any, communes: list[AdminUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.communes = {c.code: c for c in communes}
        self.fields["capability"].choices = capability_choices()  # type: ignore[attr-defined]
        self.fields["commune"].choices = [  # type: ignore[attr-defined]
            (c.code, c.name) for c in communes
        ]

    def chosen_commune(self) -> AdminUnit:
        """The commune chosen (after `is_valid`)."""
        return self.communes[self.cleaned_data["commune"]]


class MeansForm(MeansEditForm):
    """An item registered by hand: what a registry's yearly file row holds."""

    kind = forms.ChoiceField(label=_("Kind of means"), choices=MeansKind.choices)
    registration = forms.CharField(label=_("Registration number"), max_length=40)
    registered_year = forms.IntegerField(label=_("Year registered"), min_value=FIRST_YEAR)
    field_order = [
        "kind", "registration", "capability", "capacity", "owner", "commune", "state",
        "registry", "registered_year",
    ]  # fmt: skip

    def __init__(self, *args: Any, communes: list[AdminUnit], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"registered_year": timezone.localdate().year, "state": MeansState.READY}
        )
        super().__init__(*args, communes=communes, **kwargs)


class RetireForm(ActionForm):
    """The item's last day on the register and why it left."""

    retired_on = date_field(_("Last day on the register"))
    reason = forms.ChoiceField(label=_("Reason"), choices=MeansRetired.choices)
