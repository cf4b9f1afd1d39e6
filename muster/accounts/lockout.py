"""Brute-force protection of every login (pages, API token, admin), through django-axes.

Failures are counted per username and per client address over a sliding window
(`AXES_COOLOFF_TIME`): `MUSTER_LOGIN_FAILURES_PER_USERNAME` failures lock the username,
`MUSTER_LOGIN_FAILURES_PER_ADDRESS` (higher: an office may sit behind one address) lock the
address, each until its failures are older than the window. A wrong second-factor code counts
as a failed login. While locked, even the right password is refused: the pages answer 429 with
the time left, the API 429 `AUTH_LOCKED` with Retry-After.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from muster.core.api_errors import ApiError


def _limits() -> tuple[int, int]:
    return settings.MUSTER_LOGIN_FAILURES_PER_USERNAME, settings.MUSTER_LOGIN_FAILURES_PER_ADDRESS


class LockoutBackend(AxesStandaloneBackend):
    """axes' check, first among the authentication backends: a locked username or address is
    refused before the password is even looked at.

    Every login over HTTP passes its request. Without one (the test client's `login`, a
    management command) there is no address to count, so the check stands aside and the
    password backend decides alone.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None:
            super().authenticate(request, username, password, **kwargs)  # raises when locked


class LoginFailures(AxesDatabaseHandler):
    """axes' database handler with one limit per username and another per address.

    axes compares one number with AXES_FAILURE_LIMIT (set to the username limit); this reports
    the address's failures scaled to that limit, so either limit reached locks. It also writes
    an audit event when a lock begins.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_username, by_address = (
            _failures(attempts) for attempts in self.get_user_attempts(request, credentials)
        )
        per_username, per_address = _limits()
        return max(by_username, by_address * per_username // per_address)

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        already_locked = request_locked(request)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not already_locked and request_locked(request):
            from muster.accounts.actions import login_lock_record

            login_lock_record(
                username=get_client_username(request, credentials) or "",
                address=getattr(request, "axes_ip_address", None) or "",
                failures=getattr(request, "axes_failures_since_start", None) or 0,
            )


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return sum(attempts.values_list("failures_since_start", flat=True))


def login_failed(request: HttpRequest, username: str) -> None:
    """Count a failure the password backends did not see (a wrong second-factor code)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether a login as `username` from this request's address is refused now."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def lock_remaining(request: HttpRequest, username: str | None) -> timedelta:
    """How long until `username` and this request's address may try again (zero if they may).

    A lock lasts while the failures newer than the cool-off window reach the limit; axes keeps
    one row per (username, address, browser) with its count and its latest failure, and a row
    leaves the window as a whole, so the lock ends when enough rows, oldest first, have left.
    """
    AxesProxyHandler.update_request(request)  # type: ignore[no-untyped-call]
    cool_off = get_cool_off(request) or timedelta(0)
    now = timezone.now()
    window = AccessAttempt.objects.filter(attempt_time__gte=now - cool_off)
    per_username, per_address = _limits()
    ends = [now]
    for rows, limit in (
        (window.filter(username=username), per_username),
        (window.filter(ip_address=getattr(request, "axes_ip_address", None)), per_address),
    ):
        counted = list(
            rows.order_by("attempt_time").values_list("attempt_time", "failures_since_start")
        )
        total = sum(failures for _, failures in counted)
        for attempt_time, failures in counted:
            if total < limit:
                break
            total -= failures
            ends.append(attempt_time + cool_off)
    return max(ends) - now


def retry_after_seconds(remaining: timedelta) -> int:
    return max(1, math.ceil(remaining.total_seconds()))


def request_locked(request: HttpRequest | None) -> bool:
    """Whether axes refused, or has just locked, the login this request made."""
    return bool(getattr(request, "axes_locked_out", False))


def lock_error(request: HttpRequest, username: str | None) -> ApiError:
    """The API's answer to a locked login: 429 `AUTH_LOCKED` with Retry-After."""
    seconds = retry_after_seconds(lock_remaining(request, username))
    return ApiError(
        429,
        "AUTH_LOCKED",
        f"too many failed logins for this username or address: try again in {seconds} s",
        headers={"Retry-After": str(seconds)},
    )
