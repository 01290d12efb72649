"""Filters of a cycle's certificate list (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .enums import CertificateStatus


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Enterprise or serial number"), method="filter_search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices, empty_label=_("All"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(application__enterprise__name_zh__icontains=value)
            | Q(application__enterprise__name_en__icontains=value)
            | Q(serial__icontains=value)
        )
