"""Reads for certificates. Lists are filtered by role here, so nothing leaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from awards.enums import ApplicationStatus
from awards.models import AwardCycle
from awards.selectors import cycles_for_office, cycles_run_by
from core.models import User
from enterprises.selectors import earlier_names

from .enums import CertificateStatus
from .models import Certificate

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _with_relations(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return qs.select_related("cycle__programme", "award_level", "application__enterprise")


# --- loaders: one per kind, for views. The object the user may see, or Http404 (the same answer for
# "does not exist" and "not yours"); what the user may then do with it is the view's check (403).


def cycle_for_office(*, user: User, pk: int) -> AwardCycle:
    """A cycle whose certificates the user manages (its secretary; any for an admin)."""
    return get_object_or_404(cycles_run_by(user), pk=pk)


def certificate_for(*, user: User, pk: int) -> Certificate:
    """A certificate of a cycle the user runs, or one awarded to the user's enterprise
    (`certificates.download_certificate`, as a queryset)."""
    if not user.is_authenticated:
        return get_object_or_404(Certificate.objects.none(), pk=pk)
    visible = Q(cycle__in=cycles_run_by(user)) | Q(
        application__enterprise_id__in=user.enterprise_memberships.values("enterprise")
    )
    return get_object_or_404(_with_relations(Certificate.objects.filter(visible)), pk=pk)


def certificates_of_cycle(cycle: AwardCycle) -> QuerySet[Certificate]:
    return _with_relations(Certificate.objects.filter(cycle=cycle)).order_by("number")


def certificates_of_user_enterprises(user: User) -> QuerySet[Certificate]:
    if not user.is_authenticated:
        return Certificate.objects.none()
    return _with_relations(Certificate.objects.filter(application__enterprise__memberships__user=user)).order_by(
        "-cycle__year", "number"
    )


def cycles_with_certificates_for_office(user: User) -> list[AwardCycle]:
    """The cycles the user runs as secretary (all for an admin), with certificate counts.

    Counted with one grouped query per table merged here: joining cycles to applications and to
    certificates in one query multiplies the rows (every application times every certificate).
    """
    cycles = list(
        cycles_for_office(user).annotate(
            n_awarded=Count("applications", filter=Q(applications__status=ApplicationStatus.AWARDED), distinct=True)
        )
    )
    counts = {
        row["cycle_id"]: row
        for row in Certificate.objects.filter(cycle__in=[c.pk for c in cycles])
        .values("cycle_id")
        .order_by()
        .annotate(n=Count("id"), ready=Count("id", filter=Q(status=CertificateStatus.READY)))
    }
    for cycle in cycles:
        row = counts.get(cycle.pk, {})
        cycle.n_certificates = row.get("n", 0)
        cycle.n_ready = row.get("ready", 0)
    return cycles


@dataclass(frozen=True)
class Progress:
    total: int
    ready: int
    failed: int
    pending: int
    rendering: int
    revoked: int
    without_certificate: int

    @property
    def done(self) -> int:
        return self.ready

    @property
    def running(self) -> bool:
        return bool(self.pending or self.rendering)

    @property
    def to_render(self) -> int:
        """The certificates the bar measures: all but the revoked ones."""
        return self.total - self.revoked

    @property
    def finished(self) -> int:
        return self.ready + self.failed


def cycle_progress(cycle: AwardCycle) -> Progress:
    """The batch's counts, from two grouped queries whatever the number of certificates."""
    counts = dict(Certificate.objects.filter(cycle=cycle).order_by().values_list("status").annotate(n=Count("id")))
    missing = cycle.applications.filter(
        status=ApplicationStatus.AWARDED, award_level__isnull=False, certificate__isnull=True
    ).count()
    return Progress(
        total=sum(counts.values()),
        ready=counts.get(CertificateStatus.READY, 0),
        failed=counts.get(CertificateStatus.FAILED, 0),
        pending=counts.get(CertificateStatus.PENDING, 0),
        rendering=counts.get(CertificateStatus.RENDERING, 0),
        revoked=counts.get(CertificateStatus.REVOKED, 0),
        without_certificate=missing,
    )


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification code names; None for unknown or malformed codes."""
    if not CODE_RE.match(code or ""):
        return None
    return _with_relations(Certificate.objects.filter(verification_code=code)).select_related("application").first()


def earlier_names_of(certificate: Certificate) -> list:
    """The names the enterprise was awarded under before approved changes made after the award,
    oldest first, each with the date of the change (for the verification page)."""
    return earlier_names(certificate.application.enterprise, since=certificate.created_at)
