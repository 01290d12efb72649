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

from .scopes import current_programmes


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


class SuperusersOnly:
    """Records of the whole deployment (the audit chain of every programme): a programme's staff
    have no page for them here; superusers do."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


class WithinStaffProgrammes:
    """A record that is not a programme's own (no scoped manager) but points at one through
    `programme_path`: a programme's staff see the rows of their programmes only; superusers (whose
    scope is every programme) see all. Rows of a programme's models need nothing: their managers
    already hold the request's scope (core.scopes)."""

    programme_path = ""

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        programmes = current_programmes()
        if programmes is None:
            return qs
        return qs.filter(**{f"{self.programme_path}__in": programmes}).distinct()
