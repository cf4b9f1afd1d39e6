"""Template context every page gets."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from muster.accounts.models import User
from muster.core.exports import Heading
from muster.orgs.documents import page_heading


def print_heading(request: HttpRequest) -> dict[str, object]:
    """`print_heading`: the statutory heading of the signed-in user's command, shown only on
    paper (web/partials/print_heading.html), computed only when a page uses it."""

    def heading() -> Heading | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User):
            return None
        return page_heading(user.jurisdiction_id, timezone.localdate())

    return {"print_heading": SimpleLazyObject(heading)}
