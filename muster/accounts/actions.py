"""Writes to accounts: users and API tokens, each audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts.models import ApiToken, Role, User
from muster.core.errors import InvalidInput
from muster.orgs.models import OrgUnit


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """A new bearer token for `user`; the plain token is returned once and never stored."""
    token = secrets.token_urlsafe(32)
    ttl = timedelta(hours=settings.MUSTER_API_TOKEN_TTL_HOURS)
    ApiToken.objects.create(user=user, digest=token_digest(token), expires_at=timezone.now() + ttl)
    audit.record("accounts.token.issued", actor=user, target=user)
    return token


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: Role,
    jurisdiction: OrgUnit | None,
    acting_user: User | None,
    full_name: str = "",
) -> User:
    """Create a user. Every role but administrator needs a jurisdiction."""
    if role != Role.ADMINISTRATOR and jurisdiction is None:
        raise InvalidInput.single("jurisdiction", "every role except administrator needs one")
    if User.objects.filter(username=username).exists():
        raise InvalidInput.single("username", f"{username!r} is already taken")
    user = User(username=username, role=role, jurisdiction=jurisdiction, first_name=full_name)
    user.set_password(password)
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    audit.record(
        "accounts.user.created",
        actor=acting_user,
        target=user,
        data={
            "after": {
                "username": username,
                "role": role,
                "jurisdiction": jurisdiction.code if jurisdiction else None,
            }
        },
    )
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, acting_user: User | None) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        "accounts.user.updated", actor=acting_user, target=user, data={"changed": ["password"]}
    )
