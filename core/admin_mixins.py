"""Admin building blocks for records that only services may change.

Workflow records (ballots, votes, assignments, scores, objections, conflicts) change through their
services, which check permissions and write the audit log; the admin shows them and offers the
services as actions. These mixins take away the admin's own add/change/delete.
"""

from __future__ import annotations


class NoAddDelete:
    """Viewable and changeable only where fields are left editable; never added or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoAddDelete):
    """Viewable only (admin actions still run their services)."""

    def has_change_permission(self, request, obj=None):
        return False
