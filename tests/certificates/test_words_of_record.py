"""A certificate keeps the award's and the issuer's words it was issued with: renaming the programme
or retitling the cycle afterwards changes neither its PDF nor its verification page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from awards.models import AwardLevel
from certificates.rendering import certificate_html
from certificates.services import certificate_render
from tests.factories.awards import CycleFactory, ProgrammeFactory
from tests.factories.certificates import issued_certificate
from tests.factories.enterprises import EnterpriseFactory

from .pdfcheck import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def hunan():
    return ProgrammeFactory(
        slug="hunan",
        name_zh="湖南省省长质量奖",
        name_en="Hunan Governor Quality Award",
        signature_zh="省长质量奖评审委员会主任（签字）",
        signature_en="Chair of the Governor Quality Award Review Committee (signature)",
    )


@pytest.fixture
def hunan_cycle(hunan):
    cycle = CycleFactory(
        programme=hunan, title_zh="第一届湖南省省长质量奖", title_en="1st Hunan Governor Quality Award", levels=False
    )
    AwardLevel.objects.create(
        cycle=cycle, code="mayor", name_zh="省长质量奖", name_en="Governor Quality Award", rank=1, quota=3
    )
    return cycle


@pytest.fixture
def enterprise_a():
    return EnterpriseFactory(name_zh="长沙甲企业有限公司", name_en="Changsha Alpha Co., Ltd.")


def _rename(programme):
    programme.name_zh, programme.name_en = "改名后的质量奖", "Renamed Quality Award"
    programme.organiser_zh, programme.organiser_en = "改名后的人民政府", "Renamed People's Government"
    programme.seal_text = "改名后的评审委员会"
    programme.signature_zh, programme.signature_en = "改名后的签字", "Renamed signature"
    programme.save()


def _compact(text: str) -> str:
    return "".join(text.split())


def test_issuing_stores_the_programmes_words(hunan_cycle, enterprise_a):
    cert = issued_certificate(cycle=hunan_cycle, enterprise=enterprise_a)
    assert (cert.award_name_zh, cert.award_name_en) == ("湖南省省长质量奖", "Hunan Governor Quality Award")
    assert (cert.award_title_zh, cert.award_title_en) == ("第一届湖南省省长质量奖", "1st Hunan Governor Quality Award")
    assert (cert.issuer_zh, cert.issuer_en) == ("湖南省人民政府", "People's Government of Hunan Province")
    assert cert.seal_text == "湖南省省长质量奖评审委员会"
    assert cert.signature_zh == "省长质量奖评审委员会主任（签字）"
    assert cert.signature_en == "Chair of the Governor Quality Award Review Committee (signature)"


def test_the_html_keeps_its_words_after_the_programme_is_renamed(hunan_cycle, enterprise_a):
    cert = issued_certificate(cycle=hunan_cycle, enterprise=enterprise_a)
    _rename(hunan_cycle.programme)
    hunan_cycle.title_zh, hunan_cycle.title_en = "第一届改名后的质量奖", "1st Renamed Quality Award"
    hunan_cycle.save()
    cert.refresh_from_db()
    html = certificate_html(cert)
    for kept in (
        "第一届湖南省省长质量奖",
        "1st Hunan Governor Quality Award",
        "湖南省人民政府",
        "省长质量奖评审委员会主任（签字）",
    ):
        assert kept in html
    assert "People&#x27;s Government of Hunan Province" in html
    # The seal's characters stand one by one along its arc.
    assert all(f">{ch}</text>" in html for ch in "湖南省省长质量奖评审委员会")
    assert "改名后" not in html and "Renamed" not in html
    assert "郴州" not in html and "Mayor" not in html


def test_the_pdf_of_the_provincial_award_names_it_and_not_chenzhou(hunan_cycle, enterprise_a):
    cert = issued_certificate(cycle=hunan_cycle, enterprise=enterprise_a)
    _rename(hunan_cycle.programme)
    certificate_render(certificate_id=cert.pk)
    cert.refresh_from_db()
    assert cert.status == "ready", cert.error
    text = pdf_text(cert.file)
    flat = _compact(text)
    assert "第一届湖南省省长质量奖" in flat and "湖南省人民政府" in flat
    assert "1st Hunan Governor Quality Award" in " ".join(text.split())
    assert "改名后" not in flat and "Renamed" not in text
    assert "郴州" not in flat and "Chenzhou" not in text and "Mayor" not in text


@override_settings(CERTIFICATE_VERIFY_RATE_LIMIT=1000)
@pytest.mark.parametrize(
    ("language", "award", "issuer"),
    [
        ("zh-hans", "湖南省省长质量奖", "湖南省人民政府"),
        ("en", "Hunan Governor Quality Award", "People&#x27;s Government"),
    ],
)
def test_the_verification_page_keeps_its_words(client, hunan_cycle, enterprise_a, language, award, issuer):
    cert = issued_certificate(cycle=hunan_cycle, enterprise=enterprise_a)
    certificate_render(certificate_id=cert.pk)
    _rename(hunan_cycle.programme)
    body = client.get(
        reverse("certificates:verify", args=[cert.verification_code]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert award in body and issuer in body
    assert "改名后" not in body and "Renamed" not in body
    assert "郴州" not in body and "Chenzhou" not in body
