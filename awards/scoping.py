"""Which programmes a request may touch (the scope of `core.scopes`), and the middleware that sets it.

A signed-in person's programmes are those where they hold a role in a cycle (secretary, expert,
committee member, recommending body, consulted department), those their enterprises applied to, and
those whose divisions admit their enterprises (so they may apply). A superuser's scope is every
programme, and so is an anonymous visitor's: without signing in only the public pages answer (every
other view asks for a login first), and those show published rows of any programme by design (they
are decorated with `in_every_programme`, so a signed-in person of one programme sees another's
public notice and winners too).
"""

from __future__ import annotations

from functools import cache

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.http import FileResponse

from core.scopes import every_programme, programme_scope
from enterprises.models import EnterpriseMembership

from .models import Application, AwardProgramme, CycleMembership
from .programmes import division_admitted


def programmes_of(user) -> tuple[int, ...] | None:
    """The programme ids `user` may touch; None for every programme. One query (the programmes
    linked to their roles and applications, and their enterprises' districts), and a second one only
    for a member of an enterprise (which programmes' divisions admit it)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    with every_programme():
        tagged = (
            CycleMembership.objects.filter(user=user)
            .annotate(kind=Value("p"), value=Cast("cycle__programme_id", CharField()))
            .values_list("kind", "value")
            .order_by()  # SQLite allows no ORDER BY (a model's default ordering) inside a UNION
            .union(
                Application.objects.filter(enterprise__memberships__user=user)
                .annotate(kind=Value("p"), value=Cast("cycle__programme_id", CharField()))
                .values_list("kind", "value")
                .order_by(),
                EnterpriseMembership.objects.filter(user=user)
                .annotate(kind=Value("d"), value=F("enterprise__district"))
                .values_list("kind", "value")
                .order_by(),
            )
        )
        linked: set[int] = set()
        districts: set[str] = set()
        for kind, value in tagged:
            if kind == "p":
                linked.add(int(value))
            else:
                districts.add(value)
        if districts:
            for pk, divisions in AwardProgramme.objects.values_list("pk", "divisions"):
                if any(division_admitted(divisions, d) for d in districts):
                    linked.add(pk)
    return tuple(sorted(linked))


def _scoped_stream(compute, content):
    """A streamed body (an export) runs its queries after the view returned: in the same scope."""
    with programme_scope(compute):
        yield from content


class ProgrammeScopeMiddleware:
    """Every request runs in its user's programme scope (computed on its first scoped query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        compute = cache(lambda: programmes_of(request.user))
        with programme_scope(compute):
            response = self.get_response(request)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _scoped_stream(compute, response.streaming_content)
        return response
