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

from django.http import FileResponse

from core.scopes import every_programme, programme_scope

from .models import AwardProgramme
from .programmes import division_admitted
from .selectors import user_links


def programmes_of(user, *, fresh: bool = True) -> tuple[int, ...] | None:
    """The programme ids `user` may touch; None for every programme. One query (`user_links`: the
    programmes linked to their roles and applications, and their enterprises' districts; read afresh
    unless `fresh` is False, when a request's earlier reading serves), and a second one only for a
    member of an enterprise (which programmes' divisions admit it)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    links = user_links(user, fresh=fresh)
    linked = set(links.programmes)
    if links.districts:
        with every_programme():
            for pk, divisions in AwardProgramme.objects.values_list("pk", "divisions"):
                if any(division_admitted(divisions, d) for d in links.districts if d):
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
        compute = cache(lambda: programmes_of(request.user, fresh=False))
        with programme_scope(compute):
            response = self.get_response(request)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _scoped_stream(compute, response.streaming_content)
        return response
