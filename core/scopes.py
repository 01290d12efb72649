"""Programme scopes: every query of a programme's data runs inside one, or fails.

One deployment serves a province's award programmes; an office, its experts and its committee see
their own programme only. The selectors already filter by role; the scope is the floor below them:
a model that belongs to a programme gets `objects = scoped_manager("cycle__programme")`, and its
default manager then

- adds `<path>__in=<the scope's programmes>` to every query inside `programme_scope(ids)`,
- adds nothing inside `every_programme()` (system work: tasks, commands, the demo, superusers, the
  public pages, whose selectors show published rows only),
- and outside any scope returns a queryset that raises `ScopeError` when it runs (its WHERE clause
  cannot compile), so a query nobody scoped fails loudly in development and tests instead of
  reading every programme. Used as a subquery, it fails the outer query the same way.

Requests get their scope from `awards.scoping.ProgrammeScopeMiddleware`; Celery tasks from
`core.scoped_task.ScopedTask`; management commands and scripts say `with every_programme():`.
Reverse relations and prefetches go through the default manager, so they are scoped too; following a
foreign key from an object already loaded (`sheet.assignment`) uses the base manager and is not (the
object was reached through a scoped query). This is django-scopes' design (pretalx), with a scope
that holds a set of programmes and a failure that no queryset method can step around.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import models

_OUTSIDE = object()
_EVERY = None


class ScopeError(RuntimeError):
    """A query of a programme's data ran outside any programme scope."""


class _Lazy:
    """The programmes of a scope, computed on the first query that needs them (a request that
    touches no programme data, the login page say, pays nothing)."""

    __slots__ = ("_compute", "_value")

    def __init__(self, compute: Callable[[], Iterable[int] | None]):
        self._compute = compute
        self._value = _OUTSIDE

    def get(self) -> tuple[int, ...] | None:
        if self._value is _OUTSIDE:
            value = self._compute()
            self._value = None if value is None else tuple(value)
        return self._value


_scope: ContextVar = ContextVar("programme_scope", default=_OUTSIDE)


@contextmanager
def programme_scope(programmes: Iterable[int] | Callable[[], Iterable[int] | None] | None) -> Iterator[None]:
    """Run the block's queries for these programme ids only (None: every programme). A callable is
    asked once, when the first scoped query runs."""
    value = _Lazy(programmes) if callable(programmes) else (None if programmes is None else tuple(programmes))
    token = _scope.set(value)
    try:
        yield
    finally:
        _scope.reset(token)


def every_programme() -> contextmanager:
    """System work that reads and writes across programmes (a task, a command, the demo loader)."""
    return programme_scope(_EVERY)


@contextmanager
def no_scope() -> Iterator[None]:
    """Leave every scope (what a thread without one sees): for the tests that show a query fails."""
    token = _scope.set(_OUTSIDE)
    try:
        yield
    finally:
        _scope.reset(token)


def current_programmes() -> tuple[int, ...] | None:
    """The scope's programme ids, None for every programme; ScopeError outside any scope."""
    value = _scope.get()
    if value is _OUTSIDE:
        raise ScopeError("No programme scope is active.")
    return value.get() if isinstance(value, _Lazy) else value


def in_every_programme(func: Callable) -> Callable:
    """Decorate a function (a command's handle, a script's main) that works across programmes."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        with every_programme():
            return func(*args, **kwargs)

    return wrapper


class _OutsideScope(models.Expression):
    """A WHERE condition that cannot be compiled: the query it sits in was made outside a scope."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, model_label: str):
        super().__init__()
        self.model_label = model_label

    def as_sql(self, compiler, connection):  # noqa: ARG002 -- it refuses to compile at all
        raise ScopeError(
            f"A query of {self.model_label} ran outside any programme scope: wrap it in "
            "programme_scope(...) or every_programme() (core.scopes)."
        )


class ProgrammeScopedManager(models.Manager):
    """The default manager of a model that belongs to a programme (see the module's docstring).
    `scope_path` is the lookup from the model to its AwardProgramme ("pk" on the programme itself)."""

    scope_path = ""

    def get_queryset(self):
        qs = super().get_queryset()
        value = _scope.get()
        if value is _OUTSIDE:
            return qs.filter(_OutsideScope(self.model._meta.label))
        programmes = value.get() if isinstance(value, _Lazy) else value
        if programmes is None:
            return qs
        return qs.filter(**{f"{self.scope_path}__in": programmes})


def scoped_manager(path: str) -> ProgrammeScopedManager:
    """`objects = scoped_manager("application__cycle__programme")` on a programme's model."""
    cls = type("ProgrammeScopedManager", (ProgrammeScopedManager,), {"scope_path": path, "__module__": __name__})
    return cls()
