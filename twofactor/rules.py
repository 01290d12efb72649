"""Who must and who may use a second factor (TOTP app with recovery codes)."""

from __future__ import annotations

import rules
from django.conf import settings

from awards.selectors import user_roles


@rules.predicate
def decides_the_award(user) -> bool:
    """Admins and secretaries run the award: they must use a second factor where MFA_REQUIRED is on."""
    if not user.is_authenticated:
        return False
    roles = user_roles(user)
    return user.is_superuser or user.is_staff or roles.is_secretary


@rules.predicate
def reviews_the_award(user) -> bool:
    if not user.is_authenticated:
        return False
    roles = user_roles(user)
    return roles.is_expert or roles.is_committee


@rules.predicate
def mfa_enforced(_user) -> bool:
    return settings.MFA_REQUIRED


# Offered to experts and committee members, required for admins and secretaries.
rules.add_perm("twofactor.use", decides_the_award | reviews_the_award)
rules.add_perm("twofactor.required", mfa_enforced & decides_the_award)  # the setting first: no query when off
