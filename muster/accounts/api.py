"""Token authentication for the JSON API."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from muster.accounts.actions import api_token_issue, token_digest
from muster.accounts.models import ApiToken, User


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=token_digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        request.user = row.user
        return row.user


router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


@router.post("/token", response=TokenOut, auth=None)
def issue_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    user = authenticate(request, username=payload.username, password=payload.password)
    if not isinstance(user, User):
        raise HttpError(401, "wrong username or password")
    return TokenOut(token=api_token_issue(user=user))
