"""Filters of the award office's enterprise list (django-filter)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect

from . import divisions
from .enums import Industry


def division_filters(filterset: django_filters.FilterSet) -> None:
    """The city and district choices from the division data, in the request's language; every
    choice of the list's filters drawn by `QuickSelect` (136 divisions through the widget templates
    cost more than the rest of the page)."""
    filterset.filters["city"].extra["choices"] = divisions.city_choices()
    filterset.filters["district"].extra["choices"] = divisions.district_choices()
    for f in filterset.filters.values():
        if isinstance(f, django_filters.ChoiceFilter):
            f.extra["widget"] = QuickSelect


def in_city(queryset: QuerySet, field: str, city: str) -> QuerySet:
    """The rows whose district (`field`) lies in the city with code `city` (431000: 4310xx)."""
    return queryset.filter(**{f"{field}__startswith": city[:4]}) if divisions.get(city) else queryset


class EnterpriseOfficeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="filter_search")
    city = django_filters.ChoiceFilter(label=_("City"), choices=[], empty_label=_("All"), method="filter_city")
    district = django_filters.ChoiceFilter(label=_("District or county"), choices=[], empty_label=_("All"))
    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=Industry.choices, empty_label=_("All"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        division_filters(self)

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return in_city(queryset, "district", value)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(credit_code__icontains=value.upper())
        )
