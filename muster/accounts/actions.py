"""Writes to accounts: users, API tokens, second-factor devices and permission grants, each
audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster import audit
from muster.accounts import permissions, rules
from muster.accounts.models import ApiToken, Role, TokenEnd, User, UserGrant
from muster.accounts.passwords import password_check
from muster.accounts.second_factor import (
    DEVICE_NAME,
    code_accepted,
    second_factor_required,
    unconfirmed_device,
)
from muster.core.errors import InvalidInput, PermissionDenied
from muster.orgs.models import OrgUnit


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# API tokens ------------------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User) -> str:
    """A new bearer token for `user`; the plain token is returned once and never stored.

    A user holds at most MUSTER_API_TOKENS_PER_USER live tokens: past the cap the oldest are
    revoked. Tokens that ended (expired or revoked) are deleted here, so the table holds live
    tokens and the audit trail keeps the history.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time per user
    now = timezone.now()
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    ApiToken.objects.filter(user=user, revoked_at__isnull=False).delete()
    live = list(ApiToken.objects.filter(user=user).order_by("created_at", "id"))
    excess = live[: max(0, len(live) - settings.MUSTER_API_TOKENS_PER_USER + 1)]
    if excess:
        _tokens_end(user=user, tokens=excess, because=TokenEnd.CAP, acting_user=user)
    token = secrets.token_urlsafe(32)
    ttl = timedelta(hours=settings.MUSTER_API_TOKEN_TTL_HOURS)
    row = ApiToken.objects.create(
        user=user,
        digest=token_digest(token),
        expires_at=now + ttl,
        password_stamp=user.get_session_auth_hash(),
    )
    audit.record("accounts.token.issued", actor=user, target=user, data={"token": row.pk})
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User) -> None:
    """End one token now (the API's logout)."""
    _tokens_end(user=token.user, tokens=[token], because=TokenEnd.REVOKED, acting_user=acting_user)


def _tokens_end(
    *, user: User, tokens: list[ApiToken], because: TokenEnd, acting_user: User | None
) -> int:
    """Revoke `tokens` of `user` (live ones only) and audit it; the caller holds the transaction."""
    ids = [t.pk for t in tokens if t.revoked_at is None]
    if not ids:
        return 0
    ApiToken.objects.filter(pk__in=ids).update(revoked_at=timezone.now(), revoked_because=because)
    audit.record(
        "accounts.token.revoked",
        actor=acting_user,
        target=user,
        data={"tokens": sorted(ids), "because": str(because)},
    )
    return len(ids)


def _live_tokens(user: User) -> list[ApiToken]:
    return list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
    )


# Users -------------------------------------------------------------------------------------


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
    """Create a user. Every role but administrator needs a jurisdiction; the password must pass
    the validators (InvalidInput on `password`, with a code per broken rule). The acting user
    manages users there (`users.manage`); only administrators make administrators."""
    if role != Role.ADMINISTRATOR and jurisdiction is None:
        raise InvalidInput.single("jurisdiction", "JURISDICTION_REQUIRED")
    permissions.require(acting_user, "users.manage", unit=jurisdiction or permissions.NATIONWIDE)
    if role == Role.ADMINISTRATOR:
        permissions.require(acting_user, "users.grant")
    _require_role_within(acting_user, role)
    if User.objects.filter(username=username).exists():
        raise InvalidInput.single("username", "USERNAME_TAKEN", {"username": username})
    user = User(username=username, role=role, jurisdiction=jurisdiction, first_name=full_name)
    password_check(password, user=user)
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
    """Set a new password (validated) and end every API token issued under the old one.
    Everyone sets their own password; another's needs `users.manage` over them."""
    if acting_user is not None and acting_user.pk != user.pk:
        _require_manage(acting_user, user)
    password_check(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        "accounts.user.updated", actor=acting_user, target=user, data={"changed": ["password"]}
    )
    _tokens_end(
        user=user,
        tokens=_live_tokens(user),
        because=TokenEnd.PASSWORD_CHANGED,
        acting_user=acting_user,
    )


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User | None) -> None:
    """Close an account: no login, no token; its tokens are revoked so that reactivating the
    account does not bring them back. Another's account needs `users.manage` over it."""
    if acting_user is not None and acting_user.pk != user.pk:
        _require_manage(acting_user, user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit.record(
            "accounts.user.updated",
            actor=acting_user,
            target=user,
            data={"changed": ["is_active"], "after": {"is_active": False}},
        )
    tokens_end_for_deactivation(user=user, acting_user=acting_user)


@transaction.atomic
def user_activate(*, user: User, acting_user: User | None) -> None:
    """Open a closed account again (its old tokens stay revoked); `users.manage` over it."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied("USER_SELF_MANAGE")
    _require_manage(acting_user, user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit.record(
            "accounts.user.updated",
            actor=acting_user,
            target=user,
            data={"changed": ["is_active"], "after": {"is_active": True}},
        )


@transaction.atomic
def user_rescope(
    *, user: User, role: Role, jurisdiction: OrgUnit | None, acting_user: User | None
) -> None:
    """Give an account another role or jurisdiction. The manager needs `users.manage` over
    the account as it is and as it becomes, and may give no role above their own
    (`rules.role_assignable`); nobody re-scopes their own account (they would widen it)."""
    if acting_user is not None and acting_user.pk == user.pk:
        raise PermissionDenied("USER_SELF_MANAGE")
    if role != Role.ADMINISTRATOR and jurisdiction is None:
        raise InvalidInput.single("jurisdiction", "JURISDICTION_REQUIRED")
    _require_manage(acting_user, user)
    permissions.require(acting_user, "users.manage", unit=jurisdiction or permissions.NATIONWIDE)
    if role == Role.ADMINISTRATOR or user.is_superuser:
        permissions.require(acting_user, "users.grant")
    _require_role_within(acting_user, role)
    before = {
        "role": user.role,
        "jurisdiction": user.jurisdiction.code if user.jurisdiction else None,
    }
    after = {"role": str(role), "jurisdiction": jurisdiction.code if jurisdiction else None}
    if before == after:
        return
    user.role = role
    user.jurisdiction = jurisdiction
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.save(update_fields=["role", "jurisdiction", "is_staff", "is_superuser"])
    changed = sorted(k for k in after if before[k] != after[k])
    audit.record(
        "accounts.user.updated",
        actor=acting_user,
        target=user,
        data={
            "changed": changed,
            "before": {k: before[k] for k in changed},
            "after": {k: after[k] for k in changed},
        },
    )


def _require_role_within(acting_user: User | None, role: str) -> None:
    """A manager gives no role above their own (`rules.role_assignable`)."""
    if acting_user is not None and not rules.role_assignable(
        permissions.role_of(acting_user), role
    ):
        raise PermissionDenied("ROLE_ABOVE_OWN", {"role": Role(role).label})


def _require_manage(acting_user: User | None, user: User) -> None:
    """`users.manage` over the account's jurisdiction, and over its role."""
    permissions.require(
        acting_user, "users.manage", unit=user.jurisdiction or permissions.NATIONWIDE
    )
    _require_role_within(acting_user, permissions.role_of(user))


def tokens_end_for_deactivation(*, user: User, acting_user: User | None) -> int:
    """Revoke the live tokens of a deactivated account (also called by the admin's save)."""
    return _tokens_end(
        user=user, tokens=_live_tokens(user), because=TokenEnd.DEACTIVATED, acting_user=acting_user
    )


def tokens_end_for_password_change(*, user: User, acting_user: User | None) -> int:
    """Revoke the live tokens after a password change made outside `user_set_password` (the
    admin's form); the caller holds the transaction."""
    return _tokens_end(
        user=user,
        tokens=_live_tokens(user),
        because=TokenEnd.PASSWORD_CHANGED,
        acting_user=acting_user,
    )


# Logins --------------------------------------------------------------------------------------


@transaction.atomic
def login_lock_record(*, username: str, address: str, failures: int) -> None:
    """A lock on a username or an address began (too many failed logins)."""
    audit.record(
        "accounts.login.locked",
        actor=None,
        target=("accounts.user", username[:150]),
        data={"username": username[:150], "address": address, "failures": failures},
    )


# Second factor -------------------------------------------------------------------------------


@transaction.atomic
def second_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """A new authenticator for `user`, unconfirmed until a code from it is given.

    An unfinished enrolment is replaced; a confirmed device stays in force until the new one is
    confirmed (so replacing a phone never leaves a required second factor missing).
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device: TOTPDevice = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    audit.record("accounts.second_factor.enrolment_started", actor=user, target=user)
    return device


@transaction.atomic
def second_factor_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm the enrolment with a code from the app; earlier devices are removed."""
    device = unconfirmed_device(user)
    if device is None:
        raise InvalidInput.single("code", "SECOND_FACTOR_NOT_STARTED")
    if not code_accepted(device, code):
        raise InvalidInput.single("code", "SECOND_FACTOR_CODE_WRONG")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record("accounts.second_factor.enrolled", actor=user, target=user)
    return device


@transaction.atomic
def second_factor_remove(*, user: User, acting_user: User | None) -> int:
    """Remove `user`'s devices. The holder may remove an optional one; an administrator may
    remove anyone's (a lost phone: the holder enrols again at the next login)."""
    is_admin = acting_user is not None and permissions.may(acting_user, "users.device.remove")
    if acting_user is not None and not is_admin:
        if acting_user.pk != user.pk:
            permissions.require(acting_user, "users.device.remove")
        if second_factor_required(user):
            raise PermissionDenied("SECOND_FACTOR_REQUIRED_KEEP")
    removed, _kinds = TOTPDevice.objects.filter(user=user).delete()
    if removed:
        audit.record(
            "accounts.second_factor.removed",
            actor=acting_user,
            target=user,
            data={"by_administrator": is_admin and acting_user != user},
        )
    return int(removed)


@transaction.atomic
def user_grant(*, user: User, action: str, acting_user: User | None) -> UserGrant:
    """Give `user` a grantable permission (`permissions.GRANTABLE`, e.g. `users.manage` for
    provincial and area staff); administrators only. Giving it again changes nothing."""
    permissions.require(acting_user, "users.grant")
    if action not in permissions.GRANTABLE:
        raise InvalidInput.single("action", "GRANT_NOT_GRANTABLE", {"permission": action})
    if permissions.role_of(user) not in permissions.action_spec(action).roles:
        raise InvalidInput.single(
            "user", "GRANT_ROLE_EXCLUDED", {"permission": action, "role": user.get_role_display()}
        )
    grant, created = UserGrant.objects.get_or_create(
        user=user, action=action, defaults={"granted_by": acting_user}
    )
    permissions.forget_grants(user)
    if created:
        audit.record(
            "accounts.grant.given", actor=acting_user, target=user, data={"action": action}
        )
    return grant


@transaction.atomic
def user_grant_revoke(*, user: User, action: str, acting_user: User | None) -> bool:
    """Take a permission back from `user`; administrators only. Whether one was held."""
    permissions.require(acting_user, "users.grant")
    deleted, _rows = UserGrant.objects.filter(user=user, action=action).delete()
    permissions.forget_grants(user)
    if deleted:
        audit.record(
            "accounts.grant.revoked", actor=acting_user, target=user, data={"action": action}
        )
    return bool(deleted)
