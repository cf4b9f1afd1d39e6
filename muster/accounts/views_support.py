"""The signed-in user of a request, typed as Muster's `User` (pages sit behind `guarded`)."""

from __future__ import annotations

from django.http import HttpRequest

from muster.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The user of a request that passed `login_required`; anything else is a programming error."""
    assert isinstance(request.user, User)
    return request.user
