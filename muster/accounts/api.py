"""Token authentication for the JSON API: issue (password, and the second factor's code for a
user who has one), revoke, and the Bearer check every other endpoint runs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate
from django.db import connection, models
from django.db.models.expressions import Col
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


Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Columns:
    """One model's columns in a hand-written SELECT, with the converters the ORM would apply to
    each value (SQLite returns datetimes as text and booleans as integers)."""

    fields: list[str]
    sql: str
    converters: list[tuple[Col, list[Converter]]]

    @classmethod
    def of(cls, model: type[models.Model], alias: str) -> _Columns:
        concrete = model._meta.concrete_fields
        converters = []
        for field in concrete:
            col = Col(alias, field)
            converters.append(
                (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            )
        return cls(
            [f.attname for f in concrete],
            ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in concrete),
            converters,
        )

    def values(self, raw: Sequence[Any]) -> list[Any]:
        out = []
        for value, (col, converters) in zip(raw, self.converters, strict=True):
            for convert in converters:
                value = convert(value, col, connection)
            out.append(value)
        return out


_LIVE_TOKEN_SQL: tuple[_Columns, _Columns, str] | None = None


def _live_token_sql() -> tuple[_Columns, _Columns, str]:
    """The Bearer check's one statement: the live token and its active holder, every column of
    both (built once: the ORM's compilation of it cost more than the query)."""
    global _LIVE_TOKEN_SQL
    if _LIVE_TOKEN_SQL is None:
        token, user = _Columns.of(ApiToken, "t"), _Columns.of(User, "u")
        quote = connection.ops.quote_name
        _LIVE_TOKEN_SQL = (
            token,
            user,
            f"SELECT {token.sql}, {user.sql} "
            f"FROM {quote(ApiToken._meta.db_table)} t "
            f"JOIN {quote(User._meta.db_table)} u ON u.id = t.user_id "
            "WHERE t.digest = %s AND t.expires_at > %s AND t.revoked_at IS NULL "
            "AND u.is_active",
        )
    return _LIVE_TOKEN_SQL


class BearerAuth(HttpBearer):
    """A live token (not expired, not revoked, issued under the holder's current password) of
    an active user. One indexed query per request (hand-written) and no cache, so a revocation
    takes effect on the very next request in every worker process."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token_columns, user_columns, sql = _live_token_sql()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [token_digest(token), now])
            found = cursor.fetchone()
        if found is None:
            return None
        width = len(token_columns.fields)
        row = ApiToken.from_db(
            connection.alias, token_columns.fields, token_columns.values(found[:width])
        )
        user = User.from_db(
            connection.alias, user_columns.fields, user_columns.values(found[width:])
        )
        if row.password_stamp != user.get_session_auth_hash():
            return None  # the password changed since: by any path, the token is over
        row.user = user
        request.user = user
        setattr(request, TOKEN_ATTRIBUTE, row)
        return user


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
