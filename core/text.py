"""Text that reads right in both languages."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation


def join_list(items: Iterable) -> str:
    """A list in running text: 营业执照、自评报告 in Chinese, "licence, report" in English."""
    separator = "、" if (translation.get_language() or "").startswith("zh") else ", "
    return separator.join(str(i) for i in items)
