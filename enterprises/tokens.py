"""Signed, expiring e-mail verification links (no table: the signature is the proof)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from core.models import User

_SALT = "enterprises.email-verification"


def email_verification_token(user: User) -> str:
    # The address is part of the signed value: a link stops working if the address changes.
    return signing.dumps({"u": user.pk, "e": user.email}, salt=_SALT, compress=True)


def email_verification_user(token: str) -> User:
    """The user the token was issued to. Raises signing.SignatureExpired or signing.BadSignature."""
    data = signing.loads(token, salt=_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    user = User.objects.filter(pk=data.get("u"), email=data.get("e")).first()
    if user is None:
        raise signing.BadSignature("no such user")
    return user
