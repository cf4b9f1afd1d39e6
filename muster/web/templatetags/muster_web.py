"""Template filters for what the navigation offers a user (the views check again)."""

from __future__ import annotations

from django import template

from muster.accounts.models import User

register = template.Library()


@register.filter
def may_see_audit(user: object) -> bool:
    """Whether to show the audit log link (auditors and administrators)."""
    from muster.web.views_audit import may_see_audit as allowed

    return isinstance(user, User) and allowed(user)


@register.filter
def may_review_restructuring(user: object) -> bool:
    """Whether to show the restructuring link (provincial staff and above)."""
    from muster.restructure.queries import may_review

    return isinstance(user, User) and may_review(user)
