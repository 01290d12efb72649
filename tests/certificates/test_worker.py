"""Certificates rendered by a real Celery worker process on Redis."""

import signal
import time

import pytest

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from certificates.services import certificates_issue_for_cycle, certificates_requeue_stuck
from tests.factories.certificates import awarded_application
from tests.media import stored_bytes, stored_siblings
from tests.worker import WorkerProcess, celery_worker_process, purge_broker, require_redis  # noqa: F401

pytestmark = pytest.mark.worker


def _wait_for(predicate, timeout, worker):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    print(worker.output())
    raise AssertionError("timed out")


def test_issuing_leads_to_ready_certificates_through_the_worker(celery_worker_process, cycle, secretary):  # noqa: F811
    for level in ("mayor", "mayor", "nomination"):
        awarded_application(cycle=cycle, level_code=level)
    created = certificates_issue_for_cycle(cycle=cycle, by=secretary)
    assert len(created) == 3

    def all_ready():
        return set(Certificate.objects.filter(cycle=cycle).values_list("status", flat=True)) == {
            CertificateStatus.READY
        }

    _wait_for(all_ready, 120, celery_worker_process)
    for cert in Certificate.objects.filter(cycle=cycle):
        assert stored_bytes(cert.file).startswith(b"%PDF")
        assert cert.attempts == 1


@pytest.fixture
def worker_factory(transactional_db):
    """Start workers with extra environment; all are stopped at the end."""
    from config.celery import app

    require_redis()
    purge_broker()
    app.conf.task_always_eager = False
    started = []

    def start(**env):
        worker = WorkerProcess(env={k: str(v) for k, v in env.items()}).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    app.conf.task_always_eager = True


def test_a_worker_killed_mid_render_leads_after_a_restart_to_exactly_one_finished_certificate(
    worker_factory, cycle, enterprise_a
):
    env = {
        "CERTIFICATE_RENDER_DELAY": 6,  # the render holds its claim this long: a reliable window to kill it
        "CERTIFICATE_CLAIM_STALE_SECONDS": 20,  # a dead worker's claim is taken over after this long
        "CELERY_VISIBILITY_TIMEOUT": 4,  # the unacknowledged task comes back this soon
    }
    first = worker_factory(**env)
    awarded_application(cycle=cycle, enterprise=enterprise_a)
    (cert,) = certificates_issue_for_cycle(cycle=cycle, by=None, system=True)

    _wait_for(lambda: Certificate.objects.get(pk=cert.pk).status == CertificateStatus.RENDERING, 90, first)
    first.stop(signal.SIGKILL)  # the whole worker, pool and all, dies mid-render
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.RENDERING and not cert.file and cert.attempts == 1

    second = worker_factory(**env)  # the restart; the killed task is redelivered to it
    _wait_for(lambda: Certificate.objects.get(pk=cert.pk).status == CertificateStatus.READY, 150, second)
    time.sleep(3)  # any duplicate delivery would have run by now
    cert.refresh_from_db()
    assert cert.status == CertificateStatus.READY
    assert cert.attempts == 2  # one claim by the killed worker, exactly one by the restarted one
    assert stored_siblings(cert.file) == [f"{cert.serial}.pdf"]
    assert Certificate.objects.filter(cycle=cycle).count() == 1


def test_a_render_abandoned_by_a_killed_worker_is_finished_after_the_sweeper_requeues_it(
    worker_factory, cycle, enterprise_a, settings
):
    # Production's visibility timeout (an hour): the broker will not hand the killed task back soon.
    settings.CERTIFICATE_CLAIM_STALE_SECONDS = 8
    env = {"CERTIFICATE_RENDER_DELAY": 6, "CERTIFICATE_CLAIM_STALE_SECONDS": 8, "CELERY_VISIBILITY_TIMEOUT": 3600}
    first = worker_factory(**env)
    awarded_application(cycle=cycle, enterprise=enterprise_a)
    (cert,) = certificates_issue_for_cycle(cycle=cycle, by=None, system=True)
    _wait_for(lambda: Certificate.objects.get(pk=cert.pk).status == CertificateStatus.RENDERING, 90, first)
    first.stop(signal.SIGKILL)

    second = worker_factory(**env)
    assert certificates_requeue_stuck() == 0  # the claim is not stale yet: the render may still be alive
    time.sleep(9)
    assert Certificate.objects.get(pk=cert.pk).status == CertificateStatus.RENDERING  # nothing came back by itself
    assert certificates_requeue_stuck() == 1  # what beat does every five minutes
    _wait_for(lambda: Certificate.objects.get(pk=cert.pk).status == CertificateStatus.READY, 90, second)
    cert.refresh_from_db()
    assert cert.attempts == 2
    assert stored_siblings(cert.file) == [f"{cert.serial}.pdf"]
