"""Forms of the user-management pages and of the own-password page. Choices offer only what
the manager may give (their roles, their commands); `accounts.actions` decides again."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from muster.accounts.models import Role
from muster.core.errors import FieldError
from muster.orgs.models import OrgUnit
from muster.web.forms_people import ActionForm


def _role_choices(roles: list[str]) -> list[tuple[str, str]]:
    labels = dict(Role.choices)
    return [(role, str(labels[role])) for role in roles]


class ScopeForm(ActionForm):
    """A role and a jurisdiction among those the manager may give."""

    role = forms.ChoiceField(label=_("Role"))
    jurisdiction = forms.ChoiceField(label=_("Jurisdiction"))

    def __init__(self, *args: Any, roles: list[str], units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(roles)
        cast(forms.ChoiceField, self.fields["jurisdiction"]).choices = [
            (unit.code, f"{unit.name} ({unit.code})") for unit in units
        ]

    def chosen_unit(self) -> OrgUnit:
        return self.units[self.cleaned_data["jurisdiction"]]


class PasswordPair(ActionForm):
    """A new password typed twice (the validators run in the action)."""

    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def add_action_errors(self, errors: list[FieldError]) -> None:
        # The action names the password `password`; here it is typed in `new_password`.
        super().add_action_errors(
            [
                FieldError("new_password", e.code, e.params) if e.field == "password" else e
                for e in errors
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two passwords differ."))
        return data


class UserCreateForm(ScopeForm, PasswordPair):
    username = forms.RegexField(
        label=_("User name"),
        max_length=150,
        regex=r"^[\w.@+-]+\Z",
        error_messages={"invalid": _("Letters, digits and . @ + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    field_order = ["username", "full_name", "role", "jurisdiction"]


class OwnPasswordForm(PasswordPair):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["current_password", "new_password", "new_password_again"]
