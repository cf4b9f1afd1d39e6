"""What every page form shares: a date field read as the browser's date input sends it, and
a form that shows an action's coded errors beside the field they name, worded in the reader's
language (`core.wording`). The forms parse; the actions decide.

Pages whose forms are read from `request.POST` by hand (a row per member, a timeline entry)
share `posted_day`/`posted_int` (collect every parsing error, refuse the input whole) and
`posted_write` (the action, its refusal or success as the page's message)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError, InvalidInput
from muster.core.wording import error_text

T = TypeVar("T")


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


# --- pages that read request.POST by hand (a form of rows, a field per member) ---------------


def posted_day(value: str, field: str, errors: list[FieldError]) -> date:
    """A date posted as YYYY-MM-DD. Anything else adds `NOT_A_DATE` on `field` to `errors` and
    stands in as today: the caller refuses the input whole while `errors` holds anything."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(field, "NOT_A_DATE"))
        return timezone.localdate()


def posted_int(value: str, errors: list[FieldError], invalid: FieldError) -> int:
    """A whole number posted. Anything else adds `invalid` (the app's own code and field) to
    `errors` and stands in as 0, refused whole by the caller as `posted_day`."""
    try:
        return int(value)
    except ValueError:
        errors.append(invalid)
        return 0


def posted_write(
    request: HttpRequest,
    errors: list[FieldError],
    write: Callable[[], T],
    done: Callable[[T], str],
) -> T | None:
    """Run `write` unless parsing left `errors`; the refusal (those errors, or the action's
    `InvalidInput`) becomes one error message in the reader's words, a success `done(result)`.
    Returns the result, None when refused."""
    try:
        if errors:
            raise InvalidInput(errors)
        result = write()
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
        return None
    messages.success(request, done(result))
    return result
