from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory

from muster.core.errors import NotFound, PermissionDenied
from muster.core.views import guarded


def _request(method: str = "get", user=None) -> HttpRequest:
    """A request by `user` (a signed-in user of AUTH_USER_MODEL unless given)."""
    request: HttpRequest = getattr(RequestFactory(), method)("/somewhere/")
    request.user = user if user is not None else get_user_model()(username="clerk")
    return request


def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return HttpResponse(f"refused: {exc}", status=403)


@guarded(["GET"])
def page(request: HttpRequest, outcome: str = "ok") -> HttpResponse:
    if outcome == "absent":
        raise NotFound("COMMUNE_NOT_FOUND", {"code": "99999"})
    if outcome == "refused":
        raise PermissionDenied("OUTSIDE_JURISDICTION", {"unit": "99999"})
    return HttpResponse("page")


@guarded(["POST"], denied=_denied)
def form_target(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("OUTSIDE_JURISDICTION", {"unit": "99999"})


def test_anonymous_users_go_to_the_login_page():
    response = page(_request(user=AnonymousUser()))
    assert response.status_code == 302
    assert "next=/somewhere/" in response["Location"]


def test_other_methods_are_refused():
    assert page(_request("post")).status_code == 405
    assert form_target(_request("get")).status_code == 405


def test_a_signed_in_user_gets_the_page():
    assert page(_request()).content == b"page"


def test_not_found_is_a_404():
    with pytest.raises(Http404, match="COMMUNE_NOT_FOUND"):
        page(_request(), outcome="absent")


def test_a_refusal_propagates_unless_the_page_answers_it():
    with pytest.raises(PermissionDenied):
        page(_request(), outcome="refused")
    response = form_target(_request("post"))
    assert response.status_code == 403
    assert response.content.decode().startswith("refused: OUTSIDE_JURISDICTION: ")
    assert "99999" in response.content.decode()
