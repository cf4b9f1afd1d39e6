"""What every page shares: login, allowed methods, `NotFound` as a 404, a refusal as the one
styled 403 page (`forbidden`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from muster.core.errors import NotFound, PermissionDenied

# HttpResponseBase rather than HttpResponse: some pages answer with a file (a streaming response).
View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def forbidden(request: HttpRequest, refusal: PermissionDenied | None = None) -> HttpResponse:
    """The 403 page of every app, saying why in the reader's words: the refusal's code worded
    by its app's table (`core.wording`; `accounts.permissions` refuses with a code per reason),
    else the general sentence."""
    message = refusal.message if refusal is not None else _("Your role does not allow this action.")
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def guarded(methods: list[str]) -> Callable[[View], View]:
    """Logged-in users only (others go to the login page), the given methods only, `NotFound`
    (absent or out of scope: the same answer) as a 404, `PermissionDenied` (a role, grant or
    jurisdiction `accounts.permissions` refused) as the 403 page."""

    def wrap(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(str(exc)) from exc
            except PermissionDenied as exc:
                return forbidden(request, exc)

        page = login_required(require_http_methods(methods)(wrapper))
        # What the page answers to, for tests/test_route_scopes.py (a POST needs a write case).
        page.http_methods = tuple(methods)  # type: ignore[attr-defined]
        return cast(View, page)

    return wrap


# The last page any list offers: past it (or junk) is a 404 on pages and a 422 in the API,
# never an offset too large for the database's integers.
MAX_PAGE = 99_999


def page_number(request: HttpRequest) -> int:
    """The `page` query parameter: absent or empty is 1; 1 to MAX_PAGE is itself; anything else
    (0, negative, junk, past the bound) is a 404, as Django's paginator answers."""
    raw = request.GET.get("page", "").strip()
    if not raw:
        return 1
    # Length first: int() of a 5,000-digit string is refused, not just slow.
    if (
        len(raw) <= len(str(MAX_PAGE))
        and raw.isascii()
        and raw.isdecimal()
        and 0 < int(raw) <= MAX_PAGE
    ):
        return int(raw)
    raise Http404(f"no page {raw[:20]!r}")
