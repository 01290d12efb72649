"""Reads about a person's second factor."""

from __future__ import annotations

from dataclasses import dataclass

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User

TOTP_NAME = "totp"
RECOVERY_NAME = "recovery"


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    recovery_codes_left: int


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=TOTP_NAME, confirmed=confirmed).order_by("-pk").first()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()


def twofactor_status(user: User) -> TwoFactorStatus:
    left = StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()
    return TwoFactorStatus(enabled=totp_device(user) is not None, recovery_codes_left=left)


def twofactor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
