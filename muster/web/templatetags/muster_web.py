"""Template filters for what the navigation offers a user (the views check again)."""

from __future__ import annotations

from django import template

from muster.accounts import permissions
from muster.accounts.models import User

register = template.Library()


@register.filter
def may(user: object, action: str) -> bool:
    """`{% if user|may:"audit.read" %}`: whether `accounts.permissions` allows the action."""
    return isinstance(user, User) and permissions.may(user, action)
