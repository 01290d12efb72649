"""Demo certificates: the 2017 winners' certificates, issued and rendered (see core/demo.py)."""

from __future__ import annotations

from core.demo import DemoContext

from .enums import CertificateStatus
from .models import Certificate
from .services import certificate_render, certificates_issue_for_cycle


def seed(ctx: DemoContext) -> None:
    cycle = ctx.cycles["2017"]
    certificates_issue_for_cycle(cycle=cycle, by=ctx.users["secretary"])
    # Rendered here, in-process, so the demo has its PDFs whether or not a worker runs; a queued
    # task that reaches a worker later finds them ready and leaves them unchanged.
    pending = Certificate.objects.filter(cycle=cycle).exclude(
        status__in=[CertificateStatus.READY, CertificateStatus.REVOKED]
    )
    for pk in pending.values_list("pk", flat=True):
        certificate_render(certificate_id=pk)
    for certificate in Certificate.objects.filter(cycle=cycle).select_related("application__enterprise"):
        ctx.log(f"  certificate {certificate.serial}: {certificate.application.enterprise} ({certificate.status})")
