"""Filters of the award office's enterprise list (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .enums import District, Industry


class EnterpriseOfficeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_search")
    district = django_filters.ChoiceFilter(
        label=_("District or county"), choices=District.choices, empty_label=_("All")
    )
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=Industry.choices, empty_label=_("All"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(credit_code__icontains=value.upper())
        )
