"""Demo cycles, enterprises and applications (see core/demo.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.demo import DemoContext, demo_user
from enterprises.enums import District, Industry, MemberRole
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.validators import credit_code_with_check

from .enums import ApplicationStatus as S
from .enums import CycleRole, CycleStatus
from .models import Application, ApplicationTransition, AwardCycle, AwardLevel, CriteriaFramework, CycleMembership
from .services import application_transition

SH = dt.timezone(dt.timedelta(hours=8))

COMMITTEE_UNITS = [
    "市人民政府",
    "市市场监督管理局",
    "市发展和改革委员会",
    "市工业和信息化局",
    "市财政局",
    "市科学技术局",
    "市总工会",
]

# Paths through the workflow to reach each demo status; who makes each step.
PATHS: dict[str, list[tuple[str, str]]] = {
    S.DRAFT: [],
    S.SUBMITTED: [(S.SUBMITTED, "applicant")],
    S.RETURNED: [(S.SUBMITTED, "applicant"), (S.RETURNED, "secretary")],
    S.ELIGIBLE: [(S.SUBMITTED, "applicant"), (S.ELIGIBLE, "secretary")],
    S.INELIGIBLE: [(S.SUBMITTED, "applicant"), (S.INELIGIBLE, "secretary")],
    S.MATERIAL_REVIEW: [(S.SUBMITTED, "applicant"), (S.ELIGIBLE, "secretary"), (S.MATERIAL_REVIEW, "secretary")],
}
PATHS[S.ONSITE_REVIEW] = [*PATHS[S.MATERIAL_REVIEW], (S.ONSITE_REVIEW, "secretary")]
PATHS[S.NOMINATED] = [*PATHS[S.ONSITE_REVIEW], (S.NOMINATED, "secretary")]
PATHS[S.NOT_APPROVED] = [*PATHS[S.NOMINATED], (S.NOT_APPROVED, "secretary")]
PATHS[S.APPROVED] = [*PATHS[S.NOMINATED], (S.APPROVED, "secretary")]
PATHS[S.PUBLIC_NOTICE] = [*PATHS[S.APPROVED], (S.PUBLIC_NOTICE, "secretary")]
PATHS[S.AWARDED] = [*PATHS[S.PUBLIC_NOTICE], (S.AWARDED, "secretary")]

COMMENTS = {
    S.RETURNED: (
        "请补充近三年财务结果数据及质量管理体系认证证书扫描件。"
        "Please add three years of financial results and the QMS certificate."
    ),
    S.INELIGIBLE: "成立不满三年，不符合申报条件。Founded less than three years ago: not eligible.",
    S.NOT_APPROVED: "评审委员会投票未达到通过比例。The committee vote did not reach the pass threshold.",
}

# key, division, org code seed, zh, en, industry, founded, employees
ENTERPRISES = [
    (
        "dijing",
        "431081",
        "MA4L00DJ1",
        "",
        "Hunan Dijing Chemical New Material Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2006, 3, 18),
        420,
    ),
    (
        "jinxing",
        "431002",
        "MA4L00JX2",
        "",
        "Chenzhou Jinxing Construction Co., Ltd.",
        Industry.CONSTRUCTION,
        dt.date(2001, 7, 9),
        860,
    ),
    (
        "xiangnan",
        "431003",
        "MA4L01XN3",
        "郴州湘南精密机械有限公司",
        "Chenzhou Xiangnan Precision Machinery Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2009, 5, 12),
        310,
    ),
    (
        "linfeng",
        "431021",
        "MA4L02LF4",
        "桂阳林丰食品有限公司",
        "Guiyang Linfeng Foods Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2012, 9, 1),
        180,
    ),
    (
        "dongjiang",
        "431081",
        "MA4L03DJ5",
        "资兴东江水务有限公司",
        "Zixing Dongjiang Water Co., Ltd.",
        Industry.UTILITIES,
        dt.date(2004, 1, 20),
        240,
    ),
    (
        "yuxin",
        "431002",
        "MA4L04YX6",
        "郴州裕鑫电子科技有限公司",
        "Chenzhou Yuxin Electronics Co., Ltd.",
        Industry.IT,
        dt.date(2015, 11, 3),
        520,
    ),
    (
        "nanling",
        "431022",
        "MA4L05NL7",
        "宜章南岭新材料有限公司",
        "Yizhang Nanling New Materials Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2011, 4, 8),
        275,
    ),
    (
        "xiangyun",
        "431023",
        "MA4L06XY8",
        "永兴祥云稀贵金属有限公司",
        "Yongxing Xiangyun Precious Metals Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2007, 6, 30),
        390,
    ),
    (
        "kangning",
        "431003",
        "MA4L07KN9",
        "郴州康宁医院有限公司",
        "Chenzhou Kangning Hospital Co., Ltd.",
        Industry.HEALTH,
        dt.date(2010, 8, 16),
        650,
    ),
    (
        "huaxin",
        "431025",
        "MA4L08HXA",
        "临武华鑫物流有限公司",
        "Linwu Huaxin Logistics Co., Ltd.",
        Industry.TRANSPORT,
        dt.date(2013, 2, 25),
        140,
    ),
    (
        "qingshan",
        "431028",
        "MA4L09QTB",
        "安仁青山茶业有限公司",
        "Anren Qingshan Tea Co., Ltd.",
        Industry.AGRICULTURE,
        dt.date(2014, 10, 10),
        95,
    ),
    (
        "ruida",
        "431002",
        "MA4L10RDC",
        "郴州瑞达软件有限公司",
        "Chenzhou Ruida Software Co., Ltd.",
        Industry.IT,
        dt.date(2024, 3, 1),
        60,
    ),
]

# (enterprise key, cycle key, target status, award level code)
APPLICATIONS = [
    ("dijing", "2017", S.AWARDED, "mayor"),
    ("jinxing", "2017", S.AWARDED, "mayor"),
    ("xiangnan", "2017", S.NOT_APPROVED, None),
    ("dongjiang", "2017", S.NOT_APPROVED, None),
    ("xiangyun", "2017", S.INELIGIBLE, None),
    ("linfeng", "current", S.DRAFT, None),
    ("yuxin", "current", S.SUBMITTED, None),
    ("nanling", "current", S.RETURNED, None),
    ("xiangyun", "current", S.ELIGIBLE, None),
    ("kangning", "current", S.SUBMITTED, None),
    ("huaxin", "current", S.DRAFT, None),
    ("qingshan", "current", S.ELIGIBLE, None),
    ("ruida", "current", S.INELIGIBLE, None),
    ("dongjiang", "current", S.SUBMITTED, None),
]


def _at(y, m, d, h=9):
    return dt.datetime(y, m, d, h, 0, tzinfo=SH)


def _cycle(key, **values):
    levels = values.pop("levels")
    cycle, _ = AwardCycle.objects.get_or_create(edition=values["edition"], defaults=values)
    for rank, (code, zh, en, quota, prize) in enumerate(levels, start=1):
        AwardLevel.objects.get_or_create(
            cycle=cycle,
            code=code,
            defaults={"name_zh": zh, "name_en": en, "rank": rank, "quota": quota, "prize_amount": Decimal(prize)},
        )
    return cycle


LEVELS = [
    ("mayor", "市长质量奖", "Mayor Quality Award", 3, "500000"),
    ("nomination", "市长质量奖提名奖", "Mayor Quality Award Nomination", 5, "200000"),
]


def seed_cycles(ctx: DemoContext) -> None:
    framework = CriteriaFramework.objects.get(code="gbt19580-2012")
    ctx.cycles["2017"] = _cycle(
        "2017",
        edition=6,
        year=2017,
        framework=framework,
        status=CycleStatus.CONCLUDED,
        title_zh="第六届郴州市市长质量奖",
        title_en="6th Chenzhou Mayor Quality Award (2017)",
        applications_open_at=_at(2017, 6, 1),
        applications_close_at=_at(2017, 9, 30, 17),
        material_review_due=dt.date(2017, 11, 15),
        onsite_review_start=dt.date(2017, 12, 1),
        onsite_review_end=dt.date(2017, 12, 20),
        committee_meeting_on=dt.date(2018, 1, 15),
        public_notice_start=dt.date(2018, 1, 18),
        public_notice_end=dt.date(2018, 1, 24),
        levels=LEVELS,
    )
    now = timezone.now().astimezone(SH)
    year = now.year
    ctx.cycles["current"] = _cycle(
        "current",
        edition=6 + (year - 2017),
        year=year,
        framework=framework,
        status=CycleStatus.OPEN,
        title_zh=f"第{6 + (year - 2017)}届郴州市市长质量奖（{year}年度）",
        title_en=f"{6 + (year - 2017)}th Chenzhou Mayor Quality Award ({year})",
        applications_open_at=now - dt.timedelta(days=30),
        applications_close_at=now + dt.timedelta(days=30),
        material_review_due=(now + dt.timedelta(days=75)).date(),
        onsite_review_start=(now + dt.timedelta(days=90)).date(),
        onsite_review_end=(now + dt.timedelta(days=110)).date(),
        committee_meeting_on=(now + dt.timedelta(days=125)).date(),
        public_notice_start=(now + dt.timedelta(days=128)).date(),
        public_notice_end=(now + dt.timedelta(days=134)).date(),
        levels=LEVELS,
    )
    for cycle in ctx.cycles.values():
        CycleMembership.objects.get_or_create(cycle=cycle, user=ctx.users["secretary"], role=CycleRole.SECRETARY)
        for i in range(1, 9):
            CycleMembership.objects.get_or_create(cycle=cycle, user=ctx.users[f"expert{i}"], role=CycleRole.EXPERT)
        for i, unit in enumerate(COMMITTEE_UNITS, start=1):
            CycleMembership.objects.get_or_create(
                cycle=cycle,
                user=ctx.users[f"committee{i}"],
                role=CycleRole.COMMITTEE,
                defaults={"unit": unit, "is_chair": i == 1},
            )


def seed_enterprises(ctx: DemoContext) -> None:
    for key, division, org, zh, en, industry, founded, employees in ENTERPRISES:
        code = credit_code_with_check(f"91{division}{org}")
        ent, _ = Enterprise.objects.get_or_create(
            credit_code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "district": District(division),
                "industry": industry,
                "founded_on": founded,
                "employees": employees,
                "address": f"{District(division).label} 示范路 {len(key)} 号",
                "contact_name": "质量管理部",
                "contact_phone": "0735-2200000",
                "contact_email": f"quality@{key}.example.cn",
            },
        )
        ctx.enterprises[key] = ent
        owner = demo_user(
            ctx,
            f"applicant_{key}",
            f"{key}@demo.mqa.cn",
            f"{en.split(' Co')[0]} 申报联系人",
            role_label=f"applicant ({en})",
        )
        EnterpriseMembership.objects.get_or_create(enterprise=ent, user=owner, defaults={"role": MemberRole.OWNER})


def seed_applications(ctx: DemoContext) -> None:
    for ent_key, cycle_key, target, level_code in APPLICATIONS:
        ent, cycle = ctx.enterprises[ent_key], ctx.cycles[cycle_key]
        if Application.objects.filter(enterprise=ent, cycle=cycle).exists():
            ctx.applications[(ent_key, cycle_key)] = Application.objects.get(enterprise=ent, cycle=cycle)
            continue
        with transaction.atomic():
            app = Application.objects.create(enterprise=ent, cycle=cycle)
            actors = {"applicant": ctx.users[f"applicant_{ent_key}"], "secretary": ctx.users["secretary"]}
            for step, who in PATHS[target]:
                extra = {}
                if step == S.AWARDED and level_code:
                    extra["award_level"] = cycle.levels.get(code=level_code)
                app = application_transition(
                    application=app,
                    to_status=step,
                    by=actors[who],
                    comment=COMMENTS.get(step, ""),
                    extra_fields=extra,
                    system=True,
                )
            if cycle_key == "2017":
                _backdate_2017(app)
        ctx.applications[(ent_key, cycle_key)] = app


def _backdate_2017(app: Application) -> None:
    """Give the 2017 history the dates of the real process instead of today's."""
    dates = {
        S.SUBMITTED: _at(2017, 9, 25),
        S.ELIGIBLE: _at(2017, 10, 10),
        S.INELIGIBLE: _at(2017, 10, 10),
        S.MATERIAL_REVIEW: _at(2017, 10, 16),
        S.ONSITE_REVIEW: _at(2017, 11, 20),
        S.NOMINATED: _at(2017, 12, 28),
        S.APPROVED: _at(2018, 1, 15, 16),
        S.NOT_APPROVED: _at(2018, 1, 15, 16),
        S.PUBLIC_NOTICE: _at(2018, 1, 18),
        S.AWARDED: _at(2018, 1, 26),
    }
    for t in app.transitions.all():
        ApplicationTransition.objects.filter(pk=t.pk).update(at=dates.get(t.to_status, t.at))
    Application.objects.filter(pk=app.pk).update(
        status_changed_at=dates.get(app.status, app.status_changed_at), submitted_at=dates[S.SUBMITTED]
    )


def seed(ctx: DemoContext) -> None:
    seed_cycles(ctx)
    seed_enterprises(ctx)
    seed_applications(ctx)


# --- application content ------------------------------------------------------------------------


def minimal_pdf(text: str) -> bytes:
    """A small, valid one-page PDF showing `text` (ASCII), written by hand: no dependencies."""
    safe = (
        "".join(ch for ch in text if 32 <= ord(ch) < 127).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    )
    stream = f"BT /F1 18 Tf 72 720 Td ({safe}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
