"""Logging in: the password, then the authenticator's code for a user who has one; enrolling
an authenticator; the answer to a locked login (pages and API alike).

The second step keeps the half-done login in the session, not a signed-in user: until the
code is right, the session belongs to nobody, so no page can be reached half-authenticated.
"""

from __future__ import annotations

import time
from base64 import b32encode
from typing import Any

import django_otp
import segno
from axes.helpers import get_client_username
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster.accounts import lockout
from muster.accounts.actions import (
    second_factor_confirm,
    second_factor_enrolment_start,
    second_factor_remove,
)
from muster.accounts.models import User
from muster.accounts.second_factor import (
    LoginStep,
    code_accepted,
    confirmed_device,
    login_step,
    second_factor_required,
    unconfirmed_device,
)
from muster.accounts.views_support import request_user
from muster.core.api_errors import API_PATH_PREFIX, json_error
from muster.core.errors import InvalidInput
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.web.forms_auth import CodeForm, LoginForm

PENDING_KEY = "muster_login_pending"
# How long the code step waits after the password was right.
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """The password step. A user with an authenticator goes on to the code step; one who must
    enrol first is signed in and sent to enrolment (the gate in web.middleware holds them
    there)."""

    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: Form) -> HttpResponse:
        assert isinstance(form, LoginForm)
        user = form.get_user()
        assert isinstance(user, User)
        step = login_step(user)
        if step == LoginStep.CODE:
            self.request.session.cycle_key()
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": getattr(user, "backend", ""),
                "at": time.time(),
                "next": self.get_redirect_url(),
            }
            return redirect("web:login_code")
        auth_login(self.request, user)
        if step == LoginStep.ENROL:
            return redirect("web:second_factor")
        return HttpResponseRedirect(self.get_success_url())


def _pending_user(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    return (user, pending) if user is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The code step: the current code of the authenticator, counted by the lockout like a
    password (a wrong code is a failed login)."""
    found = _pending_user(request)
    if found is None:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Log in again: the time for the code ran out."))
        return redirect("web:login")
    user, pending = found
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if lockout.is_locked(request, user.get_username()):
            request.axes_locked_out = True  # type: ignore[attr-defined]  # answered by axes
            return render(request, "web/login_code.html", {"form": form}, status=429)
        device = confirmed_device(user)
        if form.is_valid() and device is not None and code_accepted(device, form.entered_code()):
            del request.session[PENDING_KEY]
            auth_login(request, user, backend=str(pending["backend"]))
            django_otp.login(request, device)  # type: ignore[no-untyped-call]
            return HttpResponseRedirect(_safe_next(request, pending.get("next")))
        lockout.login_failed(request, user.get_username())
        form.add_error("code", _("This is not the current code of your authenticator app."))
    return render(request, "web/login_code.html", {"form": form})


def _safe_next(request: HttpRequest, url: object) -> str:
    if isinstance(url, str) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("web:dashboard")


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponseBase:
    """django-axes' answer to a locked login (AXES_LOCKOUT_CALLABLE): JSON 429 `AUTH_LOCKED`
    under /api/, else the page saying how long to wait; Retry-After on both."""
    username = get_client_username(request, credentials)
    if request.path.startswith(API_PATH_PREFIX):
        error = lockout.lock_error(request, username)
        return json_error(429, error.message, code=error.code, headers=error.headers)
    seconds = lockout.retry_after_seconds(lockout.lock_remaining(request, username))
    response = render(request, "web/login_locked.html", {"minutes": -(-seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


# Enrolment -----------------------------------------------------------------------------------


def _qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as inline SVG (no script, no external request)."""
    return str(
        segno.make(device.config_url, error="m").svg_inline(
            scale=4, dark="#000", light="#fff", title=_("QR code for your authenticator app")
        )
    )


def _key_groups(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@guarded(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The signed-in user's authenticator: enrol (QR code, then a code to confirm), replace, or
    remove when the role does not require one."""
    user = request_user(request)
    form = CodeForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            second_factor_enrolment_start(user=user)
            return redirect("web:second_factor")
        if action == "remove":
            second_factor_remove(user=user, acting_user=user)
            messages.success(request, _("Your authenticator app was removed."))
            return redirect("web:second_factor")
        if action == "confirm":
            form = CodeForm(request.POST)
            if form.is_valid():
                try:
                    device = second_factor_confirm(user=user, code=form.entered_code())
                except InvalidInput as exc:
                    for error in exc.errors:
                        form.add_error("code", error_text(error))
                else:
                    django_otp.login(request, device)  # type: ignore[no-untyped-call]
                    messages.success(request, _("Your authenticator app is enrolled."))
                    return redirect("web:dashboard")
    pending = unconfirmed_device(user)
    context = {
        "device": confirmed_device(user),
        "required": second_factor_required(user),
        "pending": pending,
        "qr_svg": _qr_svg(pending) if pending else "",
        "key_groups": _key_groups(pending) if pending else "",
        "form": form,
    }
    return render(request, "web/second_factor.html", context)


def admin_login(request: HttpRequest) -> HttpResponseBase:
    """The Django admin signs in through this login too (lockout, second factor): its own
    login page would skip both."""
    return redirect_to_login(
        _safe_next(request, request.GET.get("next", "/admin/")), reverse("web:login")
    )
