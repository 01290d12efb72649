"""Writes for the second factor: set up an authenticator app, recovery codes, turn it off.

django-otp keeps the devices (TOTPDevice for the app, StaticDevice for the recovery codes) and
throttles wrong codes per device; these functions add the audit events and the rules."""

from __future__ import annotations

import rules
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit_record
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import User

from .selectors import RECOVERY_NAME, TOTP_NAME, recovery_device, totp_device

RECOVERY_CODES = 10


def _deny_unless_allowed(user: User) -> None:
    if not rules.has_perm("twofactor.use", user):
        raise NotAllowed(_("Two-factor log-in is for the award office, experts and committee members."), code="role")


def totp_setup_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator key (an earlier unconfirmed one is replaced). Harmless twice."""
    _deny_unless_allowed(user)
    if totp_device(user) is not None:
        raise NotAllowed(_("Two-factor log-in is already on."), code="enabled")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, name=TOTP_NAME, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_setup_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Turn the key on once the app shows a right code; returns the device and fresh recovery codes."""
    _deny_unless_allowed(user)
    device = totp_device(user, confirmed=False)
    if device is None:
        raise NotAllowed(_("Start the set-up again: the key was not found."), code="no_device")
    if not device.verify_token(token.strip().replace(" ", "")):
        raise NotAllowed(_("The code is not right. Check the time on your phone and try the next code."), code="token")
    with transaction.atomic():
        if not TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True):
            raise NotAllowed(_("Two-factor log-in is already on."), code="enabled")
        device.confirmed = True
        codes = _recovery_codes_replace(user=user)
        audit_record(event=AuditEventType.TWOFACTOR_ENABLED, obj=user, by=user)
    return device, codes


def _recovery_codes_replace(*, user: User) -> list[str]:
    device = recovery_device(user) or StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if totp_device(user) is None:
        raise NotAllowed(_("Turn on two-factor log-in first."), code="disabled")
    with transaction.atomic():
        codes = _recovery_codes_replace(user=user)
        audit_record(event=AuditEventType.TWOFACTOR_RECOVERY_CODES, obj=user, by=user)
    return codes


def twofactor_disable(*, user: User) -> None:
    """Remove the app and the recovery codes. Refused where the role requires a second factor."""
    if rules.has_perm("twofactor.required", user):
        raise NotAllowed(_("Your role requires two-factor log-in: it cannot be turned off."), code="required")
    with transaction.atomic():
        removed, _counts = TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if removed:
            audit_record(event=AuditEventType.TWOFACTOR_DISABLED, obj=user, by=user)


def twofactor_reset(*, user: User, by: User) -> None:
    """An admin removes a person's second factor (lost phone and codes); they set it up again."""
    if not by.is_superuser:
        raise NotAllowed(_("Only an administrator can reset two-factor log-in."), code="role")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit_record(event=AuditEventType.TWOFACTOR_RESET, obj=user, by=by)
