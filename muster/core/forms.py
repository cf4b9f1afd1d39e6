"""What every page form shares: a date field read as the browser's date input sends it, and
a form that shows an action's coded errors beside the field they name, worded in the reader's
language (`core.wording`). The forms parse; the actions decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError
from muster.core.wording import error_text


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    """A date typed in the browser's date input (ISO in the attribute, the reader's format on
    screen)."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
    )


class ActionForm(forms.Form):
    """A form whose action's errors are shown beside the field they name (`FORM_FIELD`: the
    action's field names the form spells differently); an error naming no field of the form
    goes to the top."""

    FORM_FIELD: dict[str, str] = {}

    def add_action_errors(self, errors: list[FieldError]) -> None:
        for error in errors:
            name = self.FORM_FIELD.get(error.field, error.field)
            self.add_error(name if name in self.fields else None, error_text(error))
