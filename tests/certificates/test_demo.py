from django.core.management import call_command

from certificates.enums import CertificateStatus
from certificates.models import Certificate


def test_seed_demo_renders_the_2017_certificates_once(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = {c.serial: (c.checksum, c.verification_code) for c in Certificate.objects.all()}
    assert sorted(first) == ["CZMQA-2017-001", "CZMQA-2017-002"]
    certs = Certificate.objects.select_related("application__enterprise")
    assert {c.status for c in certs} == {CertificateStatus.READY}
    assert {c.application.enterprise.name_en for c in certs} == {
        "Chenzhou Jinxing Construction Co., Ltd.",
        "Hunan Dijing Chemical New Material Co., Ltd.",
    }
    assert all(c.file.storage.exists(c.file.name) for c in certs)
    assert {c.issued_on.isoformat() for c in certs} == {"2018-01-26"}

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = {c.serial: (c.checksum, c.verification_code) for c in Certificate.objects.all()}
    assert again == first
    assert Certificate.objects.filter(attempts=1).count() == 2
