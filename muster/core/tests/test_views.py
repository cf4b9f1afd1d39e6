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


@guarded(["GET"])
def page(request: HttpRequest, outcome: str = "ok") -> HttpResponse:
    if outcome == "absent":
        raise NotFound("COMMUNE_NOT_FOUND", {"code": "99999"})
    if outcome == "refused":
        raise PermissionDenied("OUTSIDE_JURISDICTION", {"unit": "99999"})
    return HttpResponse("page")


@guarded(["POST"])
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


def test_a_refusal_is_the_one_403_page_in_the_refusals_words(db):
    for response in (page(_request(), outcome="refused"), form_target(_request("post"))):
        assert response.status_code == 403
        body = response.content.decode()
        assert 'id="forbidden-message"' in body
        assert "99999" in body  # the wording of OUTSIDE_JURISDICTION, its unit filled in
