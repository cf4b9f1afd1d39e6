"""User management in the app: provincial and area staff holding `users.manage` create,
disable, re-scope accounts of their own command and below, and reset their passwords; everyone
changes their own password. The accounts' actions decide every write again (permission,
jurisdiction, no role above the manager's own, the password validators), and audit it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from muster.accounts import actions, permissions, rules
from muster.accounts import queries as account_queries
from muster.accounts.models import Role, User
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.views import guarded, page_number
from muster.web.forms_users import OwnPasswordForm, PasswordPair, ScopeForm, UserCreateForm
from muster.web.views import Page, page_of

PAGE_SIZE = 50


def _scope_choices(manager: User) -> dict[str, Any]:
    return {
        "roles": rules.roles_assignable(permissions.role_of(manager)),
        "units": account_queries.units_managed(manager),
    }


def _users_table(accounts: list[User]) -> Table:
    return Table(
        title=_("User accounts"),
        columns=[
            Column(_("User name")),
            Column(_("Full name")),
            Column(_("Role")),
            Column(_("Jurisdiction")),
            Column(_("Active")),
            Column(_("Last login"), "date"),
        ],
        rows=[
            (
                a.username,
                a.get_full_name(),
                a.get_role_display(),
                a.jurisdiction.name if a.jurisdiction else _("Whole country"),
                _("yes") if a.is_active else _("no"),
                a.last_login.date() if a.last_login else None,
            )
            for a in accounts
        ],
        filename="user-accounts",
    )


@guarded(["GET"])
def users(request: HttpRequest) -> HttpResponse:
    """The accounts the signed-in manager manages, by user name."""
    manager = request_user(request)
    permissions.require(manager, "users.manage")
    accounts = account_queries.users_managed(manager)
    if (fmt := export_format(request)) is not None:
        return export_response(_users_table(list(accounts)), fmt)
    page: Page = page_of(accounts, page_number(request), PAGE_SIZE)
    return render(request, "web/users.html", {"page": page})


@never_cache
@guarded(["GET", "POST"])
def user_add(request: HttpRequest) -> HttpResponse:
    manager = request_user(request)
    permissions.require(manager, "users.manage")
    form = UserCreateForm(request.POST or None, **_scope_choices(manager))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = actions.user_create(
                username=data["username"],
                password=data["new_password"],
                role=Role(data["role"]),
                jurisdiction=form.chosen_unit(),
                full_name=data["full_name"],
                acting_user=manager,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The account was created."))
            return redirect("web:user_detail", created.pk)
    return render(request, "web/user_add.html", {"form": form})


@never_cache
@guarded(["GET", "POST"])
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """One managed account: re-scope it, reset its password, disable or enable it."""
    manager = request_user(request)
    account = account_queries.access_managed_user(manager, user_id)
    choices = _scope_choices(manager)
    initial = {"role": account.role, "jurisdiction": getattr(account.jurisdiction, "code", "")}
    scope_form = ScopeForm(initial=initial, prefix="scope", **choices)
    password_form = PasswordPair(prefix="pw")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "scope":
            scope_form = ScopeForm(request.POST, prefix="scope", **choices)
            if scope_form.is_valid():
                try:
                    actions.user_rescope(
                        user=account,
                        role=Role(scope_form.cleaned_data["role"]),
                        jurisdiction=scope_form.chosen_unit(),
                        acting_user=manager,
                    )
                except InvalidInput as exc:
                    scope_form.add_action_errors(exc.errors)
                else:
                    messages.success(request, _("The role and jurisdiction were saved."))
                    return _after(manager, account)
        elif action == "password":
            password_form = PasswordPair(request.POST, prefix="pw")
            if password_form.is_valid():
                try:
                    actions.user_set_password(
                        user=account,
                        password=password_form.cleaned_data["new_password"],
                        acting_user=manager,
                    )
                except InvalidInput as exc:
                    password_form.add_action_errors(exc.errors)
                else:
                    messages.success(request, _("The password was reset."))
                    return _after(manager, account)
        elif action == "deactivate":
            actions.user_deactivate(user=account, acting_user=manager)
            messages.success(request, _("The account was disabled."))
            return _after(manager, account)
        elif action == "activate":
            actions.user_activate(user=account, acting_user=manager)
            messages.success(request, _("The account was enabled."))
            return _after(manager, account)
    context = {
        "account": account,
        "is_self": account.pk == manager.pk,
        "scope_form": scope_form,
        "password_form": password_form,
    }
    return render(request, "web/user_detail.html", context)


def _after(manager: User, account: User) -> HttpResponse:
    """Back to the account, or to the list when it moved out of the manager's reach."""
    if account_queries.users_managed(manager).filter(pk=account.pk).exists():
        return redirect("web:user_detail", account.pk)
    return redirect("web:users")


@never_cache
@guarded(["GET", "POST"])
def own_password(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own password; the action ends their API tokens, the session stays."""
    user = request_user(request)
    form = OwnPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not user.check_password(form.cleaned_data["current_password"]):
            form.add_error("current_password", _("This is not your current password."))
        else:
            try:
                actions.user_set_password(
                    user=user, password=form.cleaned_data["new_password"], acting_user=user
                )
            except InvalidInput as exc:
                form.add_action_errors(exc.errors)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, _("Your password was changed."))
                return redirect("web:own_password")
    return render(request, "web/own_password.html", {"form": form})
