"""Lists that fit real applicants: the GB/T 4754-2017 sections and the kinds of attachment."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from awards import sections, services
from awards.enums import AttachmentKind
from enterprises.enums import Industry
from tests.factories.awards import pdf_file

GBT_4754_2017_ZH = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}


def test_every_gbt_4754_section_a_to_t_with_its_chinese_name():
    with translation.override("zh-hans"):
        assert {code: str(label) for code, label in Industry.choices} == GBT_4754_2017_ZH


def test_the_basic_information_offers_every_section(client_for, applicant_a, application_a):
    body = (
        client_for(applicant_a).get(reverse("awards:section", args=[application_a.pk, sections.BASIC])).content.decode()
    )
    for code, name in GBT_4754_2017_ZH.items():
        assert f'<option value="{code}"' in body and name in body


def test_upload_kinds_include_the_audit_report_and_quality_certifications():
    kinds = set(sections.UPLOAD_KINDS)
    assert {AttachmentKind.AUDIT_REPORT, AttachmentKind.QUALITY_CERTIFICATION, AttachmentKind.OTHER} <= kinds
    with translation.override("zh-hans"):
        assert str(AttachmentKind.AUDIT_REPORT.label) == "审计报告"


def test_other_without_a_description_is_refused_by_the_form(client_for, applicant_a, application_a):
    url = reverse("awards:attachments", args=[application_a.pk])
    response = client_for(applicant_a).post(url, {"kind": AttachmentKind.OTHER, "file": pdf_file("x.pdf")})
    assert response.status_code == 200 and "请说明该文件是什么。" in response.content.decode()
    assert not application_a.attachments.exists()


def test_other_without_a_description_is_refused_by_the_service(application_a, applicant_a):
    with pytest.raises(ValidationError):
        services.attachment_add(
            application=application_a, kind=AttachmentKind.OTHER, upload=pdf_file("x.pdf"), by=applicant_a
        )
    assert not application_a.attachments.exists()


def test_other_with_a_description_is_listed_with_it(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    url = reverse("awards:attachments", args=[application_a.pk])
    response = client.post(
        url, {"kind": AttachmentKind.OTHER, "description": "专利证书", "file": pdf_file("patent.pdf")}
    )
    assert response.status_code == 302
    attachment = application_a.attachments.get()
    assert attachment.description == "专利证书"
    assert "其他（请注明）: 专利证书" in client.get(url).content.decode()
    assert sections.attachment_label(attachment.as_metadata()).endswith(": 专利证书")


def test_an_audit_report_needs_no_description(client_for, applicant_a, application_a):
    url = reverse("awards:attachments", args=[application_a.pk])
    response = client_for(applicant_a).post(url, {"kind": AttachmentKind.AUDIT_REPORT, "file": pdf_file("audit.pdf")})
    assert response.status_code == 302
    assert application_a.attachments.get().kind == AttachmentKind.AUDIT_REPORT
