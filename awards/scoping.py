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

from functools import cache, lru_cache

from django.db import connection
from django.http import FileResponse

from core.scopes import every_programme, programme_scope
from enterprises.models import Enterprise, EnterpriseMembership

from .models import Application, AwardCycle, AwardProgramme, CycleMembership
from .programmes import division_admitted


@lru_cache(maxsize=1)
def _linked_sql() -> str:
    """The programmes of the user's roles and of their enterprises' applications, and their
    enterprises' districts, as (kind, value) rows. Written as SQL: every signed-in page asks, and
    built with the ORM (a union of three annotated querysets) its compilation cost ten times the
    query (1.7 ms against 0.2)."""
    membership, cycle, application = CycleMembership._meta, AwardCycle._meta, Application._meta
    member, enterprise = EnterpriseMembership._meta, Enterprise._meta
    programme_id = f"CAST(c.{cycle.get_field('programme').column} AS VARCHAR(20))"
    return (
        f"SELECT 'p', {programme_id} FROM {membership.db_table} m "
        f"JOIN {cycle.db_table} c ON c.id = m.{membership.get_field('cycle').column} "
        f"WHERE m.{membership.get_field('user').column} = %s "
        f"UNION SELECT 'p', {programme_id} FROM {application.db_table} a "
        f"JOIN {cycle.db_table} c ON c.id = a.{application.get_field('cycle').column} "
        f"JOIN {member.db_table} em ON em.{member.get_field('enterprise').column} = "
        f"a.{application.get_field('enterprise').column} "
        f"WHERE em.{member.get_field('user').column} = %s "
        f"UNION SELECT 'd', e.{enterprise.get_field('district').column} FROM {member.db_table} em "
        f"JOIN {enterprise.db_table} e ON e.id = em.{member.get_field('enterprise').column} "
        f"WHERE em.{member.get_field('user').column} = %s"
    )


def programmes_of(user) -> tuple[int, ...] | None:
    """The programme ids `user` may touch; None for every programme. One query (the programmes
    linked to their roles and applications, and their enterprises' districts), and a second one only
    for a member of an enterprise (which programmes' divisions admit it)."""
    if not user.is_authenticated or user.is_superuser:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_linked_sql(), [user.pk, user.pk, user.pk])
        rows = cursor.fetchall()
    linked = {int(value) for kind, value in rows if kind == "p"}
    districts = {value for kind, value in rows if kind == "d"}
    if districts:
        with every_programme():
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
