"""The error pages (400, 403, 404, 500): styled like every page, in the reader's language with
the same words in the other one, light and script-free. Wired in config/urls.py as Django's
handler400/403/404/500; under /api/ `core.api_errors.ApiJsonErrorsMiddleware` turns any of them
into the API's JSON error.

The 500 page is rendered without the request's context processors: whatever failed (the
database, say) must not fail the error page too.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop

# (title, text) per status: msgids, translated when the page is rendered (web/error.html).
PAGES: dict[int, tuple[str, str]] = {
    400: (
        gettext_noop("Bad request"),
        gettext_noop(
            "The request could not be understood. Check the address, or go back and try again."
        ),
    ),
    403: (gettext_noop("Not allowed"), gettext_noop("Your role does not allow this action.")),
    404: (
        gettext_noop("Page not found"),
        gettext_noop(
            "There is no page at this address, or what it would show is outside your jurisdiction."
        ),
    ),
    500: (
        gettext_noop("Something went wrong"),
        gettext_noop(
            "The server could not complete the request. Try again in a moment; if it happens "
            "again, tell your administrator."
        ),
    ),
}


def _context(status: int) -> dict[str, Any]:
    title, text = PAGES[status]
    return {"status": status, "title": title, "text": text}


def _page(request: HttpRequest, status: int) -> HttpResponse:
    return render(request, "web/error.html", _context(status), status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("web/error.html", _context(500)), status=500)
