"""The PDF tasks produce PDFs whose text (pdftotext) is Chinese."""

import shutil
import subprocess
import time

import pytest

from committee import services, tasks
from committee.models import Meeting
from tests.media import local_copy
from tests.worker import celery_worker_process  # noqa: F401


def _text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True, text=True).stdout


def _close(meeting, members, secretary):
    for ballot in meeting.ballots.order_by("rank"):
        services.ballot_open(ballot=ballot, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=ballot, by=m, choice="approve")
        services.ballot_close(ballot=ballot, by=secretary)
    services.remark_add(meeting=meeting, by=secretary, text="建议加强质量品牌宣传。")
    services.meeting_close(meeting=meeting, by=secretary)


@pytest.mark.django_db
def test_minutes_task_renders_chinese_pdf(open_meeting, members, secretary):
    _close(open_meeting, members, secretary)
    name = tasks.render_minutes(meeting_id=open_meeting.pk)
    meeting = Meeting.objects.get(pk=open_meeting.pk)
    assert meeting.minutes_pdf.name == name and meeting.minutes_rendered_at
    with local_copy(meeting.minutes_pdf) as path:
        text = _text(path)
    for phrase in ("评审委员会", "郴州甲企业有限公司", "建议加强质量品牌宣传", "市长质量奖"):
        assert phrase in text.replace(" ", ""), phrase


@pytest.mark.django_db
def test_report_task_renders_chinese_pdf(meeting):
    tasks.render_report(meeting_id=meeting.pk)
    meeting.refresh_from_db()
    with local_copy(meeting.report_pdf) as path:
        text = _text(path).replace(" ", "")
    assert "郴州乙企业有限公司" in text and "北湖区" in text


@pytest.mark.django_db
def test_minutes_refused_before_the_meeting_closes(meeting):
    from core.errors import NotAllowed

    with pytest.raises(NotAllowed):
        tasks.render_minutes(meeting_id=meeting.pk)


def test_report_rendered_by_a_real_worker(celery_worker_process, request):  # noqa: F811
    from tests.factories.committee import committee_of, nominated_application, schedule

    cycle = request.getfixturevalue("cycle")
    secretary = request.getfixturevalue("secretary")
    committee_of(cycle, 3)
    nominated_application(cycle)
    meeting = schedule(cycle, secretary)
    tasks.render_report.delay(meeting_id=meeting.pk)
    for _ in range(120):
        meeting.refresh_from_db()
        if meeting.report_pdf:
            break
        time.sleep(0.5)
    # The worker process has its own temporary MEDIA_ROOT (test settings), so the file itself is
    # checked in the eager tests above; here the worker's rendering is recorded on the meeting.
    assert meeting.report_pdf.name.endswith(".pdf"), celery_worker_process.output()[-2000:]
    assert meeting.report_rendered_at is not None
