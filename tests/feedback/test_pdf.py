"""The report's PDF, rendered as the worker does: both languages, every category, a page looked at."""

from pathlib import Path

import pytest
from django.conf import settings

from awards.models import CriteriaCategory
from feedback import services
from feedback.models import FeedbackReport
from feedback.tasks import render_report
from tests.certificates.pdfcheck import page_image, pdf_page_count, pdf_text
from tests.factories.feedback import fill_report

pytestmark = pytest.mark.django_db
SCREENSHOT = Path(settings.BASE_DIR) / "docs" / "screenshots" / "feedback-report-pdf.png"


@pytest.fixture
def rendered(app_a, leader, secretary, experts):
    report = services.report_start(application=app_a, by=leader)
    fill_report(report, leader, text="建立了系统的战略管理方法")
    services.report_save(
        report=report,
        by=leader,
        categories={},
        key_themes="战略部署与结果测量之间的衔接需要加强。",
        site_findings="现场核实了质量管理体系的运行记录。",
    )
    services.report_submit(report=report, by=leader)
    services.report_approve(
        report=report, by=secretary, accurate=True, actionable=True, anonymous=True, release_on=None
    )
    report = services.report_release(report=report, by=secretary)
    size = render_report.run(report_id=report.pk)  # what the worker runs for the outbox's task
    report.refresh_from_db()
    return report, services.Rendered(size, "")


def test_the_pdf_holds_both_languages_and_every_category(rendered, experts):
    report, outcome = rendered
    assert report.pdf and report.pdf_size == outcome.size > 10_000
    path = report.pdf
    text = pdf_text(path)
    flat = "".join(text.split())
    for label in ("反馈报告", "Feedback report", "优势", "Strengths", "改进机会", "Opportunities for improvement"):
        assert "".join(label.split()) in flat, label
    for category in CriteriaCategory.objects.filter(framework=report.application.cycle.framework):
        assert category.code in text
        assert "".join(category.title_zh.split()) in flat, category.title_zh
        assert "".join(category.title_en.split()) in flat, category.title_en
    assert "70–85%" in flat  # 4.1 band of the hand-computed cycle
    assert "建立了系统的战略管理方法" in flat and "现场核实了质量管理体系的运行记录" in flat
    assert not any(e.full_name in flat for e in experts)
    assert report.application.enterprise.name_zh in flat
    assert pdf_page_count(path) >= 2


def test_rendering_again_gives_the_same_size_and_a_page_to_look_at(rendered):
    report, first = rendered
    again = services.report_render(report_id=report.pk)
    assert again.size == pytest.approx(first.size, rel=0.01)
    image = page_image(report.pdf, dpi=60, out=SCREENSHOT)
    assert image.width > 400 and image.height > image.width  # A4 portrait
    # the page is not blank: some dark pixels (text) on it
    assert min(image.convert("L").getdata()) < 80


def test_a_report_in_the_works_is_not_rendered(app_a, leader):
    report = services.report_start(application=app_a, by=leader)
    assert services.report_render(report_id=report.pk) is None
    assert not FeedbackReport.objects.get(pk=report.pk).pdf
