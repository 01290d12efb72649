"""The plain-text mails read naturally in Chinese: a label and its value joined by a full-width colon."""

from django.template.loader import render_to_string
from django.utils import translation

from tests.factories.core import UserFactory


def _render(template: str, language: str, **context) -> str:
    with translation.override(language):
        return render_to_string(f"emails/{template}.txt", context)


def test_the_receipt_mail_joins_labels_with_the_chinese_colon(db):
    context = {
        "recipient": UserFactory(full_name="李芳"),
        "enterprise": "郴州甲企业有限公司",
        "cycle_zh": "第十届郴州市市长质量奖",
        "cycle_en": "10th Chenzhou Mayor Quality Award",
        "receipt_number": "MQA-2026-0007",
        "submitted_at": "2026-12-02 10:15",
        "submission": 2,
        "site_url": "https://award.example.org",
        "application_id": 7,
    }
    zh = _render("application_received", "zh-hans", **context)
    assert "受理编号：MQA-2026-0007" in zh
    assert "提交时间：2026-12-02 10:15（北京时间）" in zh
    assert "提交版本：2" in zh
    en = _render("application_received", "en", **context)
    assert "Receipt number: MQA-2026-0007" in en and "Submitted: 2026-12-02 10:15 (China Standard Time)" in en


def test_the_meeting_invitation_joins_labels_with_the_chinese_colon(db):
    context = {
        "recipient": UserFactory(full_name="王伟"),
        "cycle_zh": "第十届郴州市市长质量奖",
        "cycle_en": "10th Chenzhou Mayor Quality Award",
        "starts_at": "2026-12-10 09:00",
        "place": "市政府第三会议室",
        "agenda": [{"zh": "郴州甲企业有限公司", "en": "Chenzhou A Co., Ltd."}],
        "site_url": "https://award.example.org",
        "path": "/committee/meetings/1/",
    }
    zh = _render("committee_invitation", "zh-hans", **context)
    assert "时间：2026-12-10 09:00" in zh and "地点：市政府第三会议室" in zh
    assert ": " not in zh.split("议程")[0].split("\n", 2)[2]  # no Western colon before the agenda
    en = _render("committee_invitation", "en", **context)
    assert "Date and time: 2026-12-10 09:00" in en and "Place: 市政府第三会议室" in en
