"""Review health and the expert record: the office's pages, the rating form and the expert's own record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from awards.enums import CycleRole
from core.errors import ServiceError
from core.models import User

from . import health_selectors, record_selectors, selectors, services
from .forms import ExpertRatingForm
from .models import ExpertRating
from .rules import is_pool_expert


@login_required
def cycle_health(request, pk):
    """Secretary: the cycle's review health per round, live from the submitted scores."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    health = health_selectors.health_context(health_selectors.review_health_now(cycle=cycle))
    return render(request, "reviews/health.html", {"cycle": cycle, "health": health})


@login_required
def expert_record(request, pk, user_pk):
    """Secretary: one expert's record across cycles (who rated included), and the rounds of this cycle
    to rate them for."""
    cycle = selectors.cycle_for_office(user=request.user, pk=pk)
    experts = User.objects.filter(Q(expert_profile__isnull=False) | Q(cycle_memberships__role=CycleRole.EXPERT))
    expert = get_object_or_404(experts.distinct(), pk=user_pk)
    record = record_selectors.expert_record(expert=expert, show_raters=True)
    rounds = record_selectors.ratable_rounds(cycle=cycle, expert=expert)
    return render(
        request, "reviews/expert_record.html", {"cycle": cycle, "record": record, "rounds": rounds, "office": True}
    )


@login_required
def my_record(request):
    """Experts: their own record: ratings and notes (not who gave them) and the measured facts."""
    if not is_pool_expert(request.user):
        raise PermissionDenied
    record = record_selectors.expert_record(expert=request.user, show_raters=False)
    return render(request, "reviews/expert_record.html", {"record": record, "office": False})


@login_required
def rate(request, pk, user_pk):
    """The award office or the expert's panel leader rates the expert's work in a round."""
    rnd = selectors.round_for_rating(user=request.user, pk=pk)
    expert = get_object_or_404(User, pk=user_pk)
    role = record_selectors.rater_role(rnd=rnd, expert=expert, by=request.user)
    if role is None:
        raise PermissionDenied
    earlier = ExpertRating.objects.filter(round=rnd, expert=expert, rated_by=request.user).first()
    initial = (
        {
            "timeliness": earlier.timeliness,
            "comments": earlier.comments,
            "conduct": earlier.conduct,
            "note": earlier.note,
        }
        if earlier
        else None
    )
    form = ExpertRatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_rate(rnd=rnd, expert=expert, by=request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your rating of %(name)s was saved.") % {"name": expert})
            if request.user.has_perm("reviews.manage_reviews", rnd):
                return redirect("reviews:expert_record", pk=rnd.cycle_id, user_pk=expert.pk)
            return redirect("reviews:my_work")
    return render(
        request, "reviews/rate.html", {"round": rnd, "expert": expert, "form": form, "earlier": earlier, "role": role}
    )
