import pytest

from certificates.services import certificate_render
from tests.factories.certificates import issued_certificate


@pytest.fixture
def cert_a(cycle, enterprise_a):
    """Enterprise A's certificate, issued (pending) but not rendered."""
    return issued_certificate(cycle=cycle, enterprise=enterprise_a)


@pytest.fixture
def ready_cert_a(cert_a):
    assert certificate_render(certificate_id=cert_a.pk).status == "ready"
    cert_a.refresh_from_db()
    return cert_a


@pytest.fixture
def ready_cert_b(cycle, enterprise_b):
    cert = issued_certificate(cycle=cycle, enterprise=enterprise_b, level_code="nomination")
    certificate_render(certificate_id=cert.pk)
    cert.refresh_from_db()
    return cert
