"""One way to page a list: 50 rows a page, the size a choice from a fixed list, bad numbers never fail.

`paginate(request, queryset)` returns a `Page` of the queryset with what `templates/_pagination.html`
needs (the sizes to offer, the chosen size, "rows x–y of n"). Two queries whatever the number of
rows: one COUNT and one for the page's rows (plus whatever the queryset prefetches).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50


def page_size_from(request, *, default: int = DEFAULT_PAGE_SIZE, sizes: tuple[int, ...] = PAGE_SIZES) -> int:
    """The page size the request asks for (`?size=`), if it is one of `sizes`; else the default."""
    try:
        size = int(request.GET.get("size", ""))
    except ValueError:
        return default
    return size if size in sizes else default


def paginate(
    request, object_list, *, default_size: int = DEFAULT_PAGE_SIZE, sizes: tuple[int, ...] = PAGE_SIZES
) -> Page:
    """The page `?page=` names: a number out of range gives the last page, anything else the first.
    `sizes=()` fixes the size (no choice offered)."""
    size = page_size_from(request, default=default_size, sizes=sizes)
    paginator = Paginator(object_list, size)
    page = paginator.get_page(request.GET.get("page"))
    page.page_size = size
    page.page_sizes = sizes
    page.elided_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page
