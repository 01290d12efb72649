"""Review health and the expert record: the office's pages and the expert's own record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import health_selectors
from .views import _office_cycle


@login_required
def cycle_health(request, pk):
    """Secretary: the cycle's review health per round, live from the submitted scores."""
    cycle = _office_cycle(request, pk)
    health = health_selectors.health_context(health_selectors.review_health(cycle=cycle))
    return render(request, "reviews/health.html", {"cycle": cycle, "health": health})
