"""Codes an authenticator app would show for a device (django-otp's own TOTP)."""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster.accounts.models import User


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now, or `steps_ahead` time steps later (each code works once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)  # type: ignore[no-untyped-call]
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"  # type: ignore[no-untyped-call]


def enrolled(user: User) -> TOTPDevice:
    """`user` with an authenticator confirmed a while ago (through the actions): its current
    code has not been used yet."""
    from muster.accounts.actions import second_factor_confirm, second_factor_enrolment_start

    device = second_factor_enrolment_start(user=user)
    device = second_factor_confirm(user=user, code=code_for(device))
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    device.refresh_from_db()
    return device
