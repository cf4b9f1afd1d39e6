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
