"""Demo data for the on-site workbench (see core/demo.py): the 2017 visit to Hunan Dijing, as a
historical record with its real dates (the services would rightly refuse a visit of a decided
application): the material review's flags, the issues they became, the plan, the logs with a photo,
the team's findings and the closing-meeting summary. Idempotent: a visit that exists is left alone."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from awards.models import CriteriaItem
from core.demo import DemoContext
from core.uploads import store_upload
from reviews.enums import RoundKind
from reviews.models import Assignment, Panel

from .enums import Finding, IssueKind, LogKind, PlanEntryKind, VisitStatus
from .models import ItemConsensus, ItemFlag, LogEvidence, PlanEntry, SiteVisit, VisitIssue, VisitLog

SH = dt.timezone(dt.timedelta(hours=8))


def _at(m, d, h=9, mi=0):
    return dt.datetime(2017, m, d, h, mi, tzinfo=SH)


# (material expert, item code, kind, note)
FLAGS = [
    ("expert1", "4.1.2", IssueKind.VERIFY, "核实高层领导每季度经营分析会的会议纪要与决议跟踪记录。"),
    ("expert2", "4.3.3", IssueKind.CLARIFY, "澄清顾客满意度测评的样本与方法（自评报告称92.5分）。"),
    ("expert4", "4.5.3", IssueKind.VERIFY, "核实关键过程的改进项目台账与结项评审。"),
    ("expert3", "4.7.4", IssueKind.VERIFY, "以审计报告核实近三年利润率及对比数据。"),
]
PLAN = [
    (PlanEntryKind.AGENDA, _at(12, 5, 9), "首次会议", "公司三楼会议室 · 评审组与公司领导班子"),
    (PlanEntryKind.AGENDA, _at(12, 5, 10), "现场查看与文件查阅", "生产区、质量部、财务部"),
    (PlanEntryKind.AGENDA, _at(12, 6, 15), "末次会议", "公司三楼会议室"),
    (PlanEntryKind.SITE, None, "合成车间与中控室", "苏仙区白露塘工业园"),
    (PlanEntryKind.SITE, None, "质量检测中心", "研发楼二层"),
    (PlanEntryKind.INTERVIEWEE, _at(12, 5, 14), "总经理", "高层领导作用、战略部署"),
    (PlanEntryKind.INTERVIEWEE, _at(12, 6, 9), "质量部经理", "过程管理、顾客满意测评"),
]
# item code -> (log kind, subject, notes, photo?)
LOGS = {
    "4.1.2": (
        LogKind.DOCUMENT,
        "2017年四次经营分析会会议纪要",
        "纪要齐全，决议事项有责任人与完成时限，抽查3项均已闭环。",
        False,
    ),
    "4.3.3": (LogKind.INTERVIEW, "质量部经理", "满意度由第三方测评，样本312家顾客；提供了测评报告原件。", True),
    "4.5.3": (LogKind.DOCUMENT, "过程改进项目台账", "台账记录21个改进项目，其中2个未见结项评审记录。", True),
    "4.7.4": (LogKind.DOCUMENT, "2014–2016年审计报告", "利润率与自评报告一致；行业对比数据来源为协会年报。", False),
}
FINDINGS = {
    "4.1.2": (Finding.CONFIRMED, "高层领导定期评审经营绩效，决议跟踪闭环，与申报材料一致。"),
    "4.3.3": (Finding.CONFIRMED, "顾客满意度测评由第三方实施，方法与样本合理。"),
    "4.5.3": (Finding.PARTLY, "改进机制运行有效，但部分项目缺少结项评审，建议完善。"),
    "4.7.4": (Finding.CONFIRMED, "财务结果有审计报告支持，对比数据来源可靠。"),
}
SUMMARY = (
    "评审组于2017年12月5日至6日对湖南帝京化工新材料有限公司进行了现场评审。经查阅文件、现场查看和访谈，"
    "申报材料总体真实，卓越绩效模式推进扎实。主要优势：高层领导作用突出，顾客满意度测评规范，财务结果良好。"
    "改进机会：完善改进项目的结项评审，加强与行业标杆的对比分析。"
)


def _photo(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), (214, 222, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 300, 600, 440], fill=(120, 134, 150))
    draw.rectangle([80, 120, 260, 300], fill=(168, 60, 50))
    draw.text((60, 40), text, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("site-photo.jpg", out.getvalue(), content_type="image/jpeg")


def seed_2017(ctx: DemoContext) -> None:
    app = ctx.applications[("dijing", "2017")]
    panel = Panel.objects.filter(application=app, round__kind=RoundKind.ONSITE).first()
    if panel is None or SiteVisit.objects.filter(application=app).exists():
        return
    items = {i.code: i for i in CriteriaItem.objects.filter(category__framework=app.cycle.framework)}
    material = {
        a.expert_id: a for a in Assignment.objects.filter(panel__application=app, panel__round__kind=RoundKind.MATERIAL)
    }
    leader = panel.assignments.get(is_leader=True).expert
    members = [a.expert for a in panel.assignments.order_by("-is_leader", "pk")]
    visit = SiteVisit.objects.create(
        application=app,
        panel=panel,
        status=VisitStatus.CLOSED,
        starts_on=dt.date(2017, 12, 5),
        ends_on=dt.date(2017, 12, 6),
        closing_summary=SUMMARY,
        closed_at=_at(12, 6, 16, 30),
        closed_by=leader,
        opened_at=_at(12, 1),
    )
    for key, code, kind, note in FLAGS:
        assignment = material.get(ctx.users[key].pk)
        if assignment is None:
            continue
        flag = ItemFlag.objects.create(assignment=assignment, item=items[code], kind=kind, note=note)
        issue = VisitIssue.objects.create(
            visit=visit,
            item=items[code],
            kind=kind,
            text=note,
            raised_by=assignment.expert,
            source_flag=flag,
            created_at=_at(12, 1),
        )
        log_kind, subject, notes, photo = LOGS[code]
        author = members[len(VisitLog.objects.filter(visit=visit)) % len(members)]
        log = VisitLog.objects.create(
            visit=visit,
            issue=issue,
            kind=log_kind,
            subject=subject,
            notes=notes,
            author=author,
            logged_at=_at(12, 5, 11),
        )
        if photo:
            upload = _photo(f"{code} {subject[:20]}")
            data = upload.read()
            upload.seek(0)
            ev = LogEvidence(
                log=log,
                original_name=f"{code}-现场照片.jpg",
                size=len(data),
                mime_type="image/jpeg",
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_at=_at(12, 5, 11),
            )
            ev.file.name = store_upload(upload, folder=f"onsite/{visit.pk}", mime="image/jpeg")
            ev.save()
    for kind, at, title, detail in PLAN:
        PlanEntry.objects.create(visit=visit, kind=kind, starts_at=at, title=title, detail=detail, added_by=leader)
    for code, (finding, text) in FINDINGS.items():
        ItemConsensus.objects.create(
            visit=visit, item=items[code], finding=finding, text=text, recorded_by=leader, recorded_at=_at(12, 6, 15)
        )
    ctx.log(f"On-site workbench: the 2017 visit to {app.enterprise} with {visit.logs.count()} logs, closed.")


def seed(ctx: DemoContext) -> None:
    seed_2017(ctx)
