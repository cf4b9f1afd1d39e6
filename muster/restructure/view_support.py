"""What every restructuring page shares: login, allowed methods, NotFound → 404, the user."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from muster.accounts.models import User
from muster.core.errors import NotFound

View = TypeVar("View", bound=Callable[..., HttpResponse])


def guarded(methods: list[str]) -> Callable[[View], View]:
    """Logged-in users only, the given methods only, `NotFound` from a query as a 404."""

    def wrap(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from exc

        return cast(View, login_required(require_http_methods(methods)(wrapper)))

    return wrap


def request_user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user
