"""Token authentication for the JSON API: issue (password, and the second factor's code for a
user who has one), revoke, and the Bearer check every other endpoint runs."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.security import HttpBearer

from muster.accounts import lockout
from muster.accounts.actions import api_token_issue, api_token_revoke, token_digest
from muster.accounts.models import ApiToken, User
from muster.accounts.second_factor import (
    LoginStep,
    code_accepted,
    confirmed_device,
    login_step,
)
from muster.core.api_errors import ApiError, error_responses

# The request attribute naming the token a request came with (for /auth/revoke).
TOKEN_ATTRIBUTE = "muster_api_token"


class BearerAuth(HttpBearer):
    """A live token (not expired, not revoked, issued under the holder's current password) of
    an active user. One indexed lookup per request and no cache, so a revocation takes effect
    on the very next request in every worker process."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.select_related("user")
            .filter(
                digest=token_digest(token),
                expires_at__gt=timezone.now(),
                revoked_at__isnull=True,
            )
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        if row.password_stamp != row.user.get_session_auth_hash():
            return None  # the password changed since: by any path, the token is over
        request.user = row.user
        setattr(request, TOKEN_ATTRIBUTE, row)
        return row.user


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    otp: str | None = Field(
        None,
        max_length=16,
        description="The current code of the user's authenticator app; required once the user "
        "has confirmed one",
    )


class TokenOut(Schema):
    token: str


@router.post(
    "/token",
    response={200: TokenOut, **error_responses(400, 401, 403, 422, 429, 503)},
    auth=None,
    summary="Issue a bearer token",
)
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """A token for a valid username and password, plus `otp` for a user with a second factor.

    401 `AUTH_FAILED` (wrong username or password), `OTP_REQUIRED`, `OTP_INVALID`;
    403 `MFA_ENROLMENT_REQUIRED` when the role requires a second factor and none is enrolled
    (enrol on the web page first); 429 `AUTH_LOCKED` with Retry-After after repeated failures
    for the username or the address. A user holds at most a few live tokens: a new one past the
    cap revokes the oldest.
    """
    user = authenticate(request, username=payload.username, password=payload.password)
    if lockout.request_locked(request):
        raise lockout.lock_error(request, payload.username)
    if not isinstance(user, User):
        raise ApiError(401, "AUTH_FAILED", "wrong username or password")
    step = login_step(user)
    if step == LoginStep.ENROL:
        raise ApiError(
            403,
            "MFA_ENROLMENT_REQUIRED",
            "your role requires a second factor: enrol an authenticator app on the web first",
        )
    if step == LoginStep.CODE:
        device = confirmed_device(user)
        if not payload.otp:
            raise ApiError(401, "OTP_REQUIRED", "give the current code of your authenticator")
        if device is None or not code_accepted(device, payload.otp):
            lockout.login_failed(request, user.get_username())
            if lockout.request_locked(request):
                raise lockout.lock_error(request, user.get_username())
            raise ApiError(401, "OTP_INVALID", "the code is not the authenticator's current one")
    return TokenOut(token=api_token_issue(user=user))


@router.post(
    "/revoke",
    response={204: None, **error_responses(401, 503)},
    summary="Revoke the calling token",
)
def revoke_token(request: HttpRequest) -> tuple[int, None]:
    """End the token this request came with (logout); the next request with it gets 401."""
    token = getattr(request, TOKEN_ATTRIBUTE, None)
    if not isinstance(token, ApiToken) or not isinstance(request.auth, User):  # type: ignore[attr-defined]
        raise ApiError(401, "UNAUTHORIZED", "Unauthorized")
    api_token_revoke(token=token, acting_user=request.auth)  # type: ignore[attr-defined]
    return 204, None
