"""Reads about people and their roles, cached per user object for one request."""

from __future__ import annotations

from dataclasses import dataclass

from .models import User


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    is_secretary: bool = False
    is_expert: bool = False
    is_committee: bool = False
    is_applicant: bool = False

    @property
    def any(self) -> bool:
        return any((self.is_admin, self.is_secretary, self.is_expert, self.is_committee, self.is_applicant))


def user_roles(user: User) -> Roles:
    if not user.is_authenticated:
        return Roles()
    cached = getattr(user, "_mqa_roles", None)
    if cached is not None:
        return cached
    from awards.enums import CycleRole
    from awards.models import CycleMembership
    from enterprises.models import EnterpriseMembership

    cycle_roles = set(CycleMembership.objects.filter(user=user).values_list("role", flat=True).distinct())
    roles = Roles(
        is_admin=user.is_superuser,
        is_secretary=CycleRole.SECRETARY in cycle_roles,
        is_expert=CycleRole.EXPERT in cycle_roles,
        is_committee=CycleRole.COMMITTEE in cycle_roles,
        is_applicant=EnterpriseMembership.objects.filter(user=user).exists(),
    )
    user._mqa_roles = roles
    return roles
