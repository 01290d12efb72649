"""The one way a service checks who may act: `require(...)`, which raises Django's PermissionDenied.

    require("awards.manage_cycle", by, cycle, _("You may not change this cycle's status."))
    require(is_applicant, by, application, _("Only members of the enterprise may submit it."))

The rights themselves stay in each app's `rules.py` (permissions and predicates); this only states
the check the same way everywhere, so a service reads "require …" where it used to hand-write
"if not …: raise".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def allowed(pred: str | Callable[..., bool], user, obj: Any = None) -> bool:
    """Whether `user` may: `pred` is a permission name (checked through django-rules, as
    `rules.has_perm`, without a superuser shortcut) or a predicate called as `pred(user, obj)`.
    Nobody (`user` None) may do anything."""
    if user is None:
        return False
    if isinstance(pred, str):
        return rules.has_perm(pred, user, obj)
    return bool(pred(user, obj))


def require(pred: str | Callable[..., bool], user, obj: Any = None, message: str = "") -> None:
    """Raise PermissionDenied(`message`) unless `allowed(pred, user, obj)`."""
    if not allowed(pred, user, obj):
        raise PermissionDenied(message or _("You may not do this."))
