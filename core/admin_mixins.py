"""Admin building blocks for records that only services may change.

Workflow records (ballots, votes, assignments, scores, objections, conflicts) change through their
services, which check permissions and write the audit log; the admin shows them and offers the
services as actions. These mixins take away the admin's own add/change/delete.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _


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


class SelectRelatedInline:
    """An inline that reads the related rows it displays in the same query (`list_select_related`)."""

    list_select_related: tuple[str, ...] | list[str] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)


def related_rows_link(model, lookup: str, description):
    """A read-only admin field: how many `model` rows point at the object, linked to their
    changelist filtered on `lookup`. Used instead of an inline whose rows grow with the cycle."""

    def show(modeladmin, obj):
        if obj is None or obj.pk is None:
            return "—"
        n = model._default_manager.filter(**{lookup: obj.pk}).count()
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>', url, urlencode({lookup: obj.pk}), _("%(n)s · open the list") % {"n": n}
        )

    show.short_description = description
    return show
