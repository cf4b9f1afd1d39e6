"""What every page request passes through: security headers (no inline scripts, no
third-party origins), Vietnamese by default, and the second-factor gate."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from muster.accounts.second_factor import LoginStep, login_step
from muster.core.api_errors import API_PATH_PREFIX

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The API docs page too: Swagger UI comes from our static files (ninja's) and starts
        # from a script file, so the same policy holds everywhere.
        response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class VietnameseByDefaultMiddleware:
    """Vietnamese unless the user picked English: the browser's Accept-Language is ignored.

    Staff machines often run English-language browsers; the interface language is a choice made
    with the switcher (stored in the language cookie), not a guess from the browser.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Signed-in sessions follow the second-factor rule (accounts.second_factor).

    After django-otp's OTPMiddleware, which marks a session verified by a device. A user with a
    confirmed device whose session was not verified with it (signed in elsewhere before
    enrolling) signs in again; a user whose role requires a device and who has none may reach
    only the enrolment page, the language switch and logout until enrolled. The API is not
    concerned: tokens are issued only after the same checks.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._open_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stop = None if request.path.startswith(API_PATH_PREFIX) else self._gate(request)
        return stop if stop is not None else self.get_response(request)

    def _open(self) -> frozenset[str]:
        if self._open_paths is None:
            self._open_paths = frozenset(
                reverse(name) for name in ("web:second_factor", "web:logout", "set_language")
            )
        return self._open_paths

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        verified = getattr(user, "is_verified", None)
        if verified is not None and verified():
            return None
        step = login_step(user)
        if step == LoginStep.CODE:
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if step == LoginStep.ENROL and request.path not in self._open():
            return redirect("web:second_factor")
        return None
