"""The second factor (a TOTP authenticator app, through django-otp): who must have one, and
what a login that passed the password still needs.

A user with a confirmed device always gives its code, on the pages and for an API token. Where
the settings require it (`MUSTER_MFA_REQUIRED`, on in production), administrators and
provincial and region staff, whose jurisdictions cover whole provinces, must enrol a device
before anything else; for the other roles it is optional.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster.accounts.models import Role, User

SECOND_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.PROVINCE_STAFF, Role.REGION_STAFF})
# The name django-otp keeps on the device; one authenticator per user.
DEVICE_NAME = "authenticator"


def second_factor_required(user: User) -> bool:
    """Whether `user` must have a second factor under the running settings: the one place
    that decides it (pages, API and the enrolment gate all ask here)."""
    if not settings.MUSTER_MFA_REQUIRED:
        return False
    return user.is_superuser or user.role in SECOND_FACTOR_ROLES


class LoginStep(StrEnum):
    """Where a login stands once the password was right."""

    DONE = "done"  # nothing more: no device, none required
    CODE = "code"  # a confirmed device: its current code is needed
    ENROL = "enrol"  # a device is required and there is none: enrol first


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def unconfirmed_device(user: User) -> TOTPDevice | None:
    """The device of an enrolment begun and not yet confirmed with a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()


def login_step(user: User) -> LoginStep:
    if confirmed_device(user) is not None:
        return LoginStep.CODE
    if second_factor_required(user):
        return LoginStep.ENROL
    return LoginStep.DONE


def code_accepted(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is the device's current one. django-otp refuses a code already used (its
    time step is remembered) and slows down repeated failures (the device's throttle); both
    are rows it updates, so the check runs under the device's row lock."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == device.digits):
        return False
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        accepted = bool(locked.verify_token(code))
    device.refresh_from_db()
    return accepted
