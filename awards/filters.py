"""Filters of the award office's lists (django-filter): what the office may narrow a list by."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enterprises.enums import Industry
from enterprises.filters import division_filters, in_city

from .enums import ApplicationStatus

QUEUE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.RECOMMENDED,
    ApplicationStatus.RETURNED,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.INELIGIBLE,
    ApplicationStatus.DRAFT,
    ApplicationStatus.WITHDRAWN,
)


class ApplicationQueueFilter(django_filters.FilterSet):
    """The eligibility queue: by name, credit code or receipt number, status, district and industry."""

    q = django_filters.CharFilter(label=_("Name, credit code or receipt number"), method="filter_search")
    # Drafts are the enterprise's own business until submitted; the office sees them only on request.
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in QUEUE_STATUSES],
        empty_label=_("All"),
        method="filter_status",
    )
    city = django_filters.ChoiceFilter(label=_("City"), choices=[], empty_label=_("All"), method="filter_city")
    district = django_filters.ChoiceFilter(
        label=_("District or county"), field_name="enterprise__district", choices=[], empty_label=_("All")
    )
    industry = django_filters.ChoiceFilter(
        label=_("Industry"), field_name="enterprise__industry", choices=Industry.choices, empty_label=_("All")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        division_filters(self)

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return in_city(queryset, "enterprise__district", value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(enterprise__credit_code__icontains=value.upper())
            | Q(receipt_number__icontains=value)
        )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=value)

    @property
    def qs(self) -> QuerySet:
        qs = super().qs
        status = self.form.cleaned_data.get("status") if self.is_bound else ""
        return qs if status else qs.exclude(status=ApplicationStatus.DRAFT)
