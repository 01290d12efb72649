"""Demo cycles, enterprises and applications (see core/demo.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from core.demo import DemoContext, demo_user
from enterprises import divisions
from enterprises.enums import District, Industry, MemberRole
from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.validators import credit_code_with_check

from . import sections
from .enums import ApplicationStatus, AttachmentKind, CycleRole, CycleStatus, DayCount, StageKind
from .models import (
    Application,
    ApplicationAttachment,
    ApplicationSnapshot,
    ApplicationTransition,
    AwardCycle,
    AwardLevel,
    AwardProgramme,
    CriteriaFramework,
    CycleMembership,
)
from .services import (
    application_decide_eligibility,
    application_section_save,
    application_start,
    application_submit,
    application_transition,
    attachment_add,
    cycle_stages_set,
)
from .stages import StageSpec

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
    ApplicationStatus.DRAFT: [],
    ApplicationStatus.SUBMITTED: [(ApplicationStatus.SUBMITTED, "applicant")],
    ApplicationStatus.RETURNED: [(ApplicationStatus.SUBMITTED, "applicant"), (ApplicationStatus.RETURNED, "secretary")],
    ApplicationStatus.ELIGIBLE: [(ApplicationStatus.SUBMITTED, "applicant"), (ApplicationStatus.ELIGIBLE, "secretary")],
    ApplicationStatus.INELIGIBLE: [
        (ApplicationStatus.SUBMITTED, "applicant"),
        (ApplicationStatus.INELIGIBLE, "secretary"),
    ],
    ApplicationStatus.MATERIAL_REVIEW: [
        (ApplicationStatus.SUBMITTED, "applicant"),
        (ApplicationStatus.ELIGIBLE, "secretary"),
        (ApplicationStatus.MATERIAL_REVIEW, "secretary"),
    ],
}
PATHS[ApplicationStatus.ONSITE_REVIEW] = [
    *PATHS[ApplicationStatus.MATERIAL_REVIEW],
    (ApplicationStatus.ONSITE_REVIEW, "secretary"),
]
PATHS[ApplicationStatus.NOMINATED] = [
    *PATHS[ApplicationStatus.ONSITE_REVIEW],
    (ApplicationStatus.NOMINATED, "secretary"),
]
PATHS[ApplicationStatus.NOT_APPROVED] = [
    *PATHS[ApplicationStatus.NOMINATED],
    (ApplicationStatus.NOT_APPROVED, "secretary"),
]
PATHS[ApplicationStatus.APPROVED] = [*PATHS[ApplicationStatus.NOMINATED], (ApplicationStatus.APPROVED, "secretary")]
PATHS[ApplicationStatus.PUBLIC_NOTICE] = [
    *PATHS[ApplicationStatus.APPROVED],
    (ApplicationStatus.PUBLIC_NOTICE, "secretary"),
]
PATHS[ApplicationStatus.AWARDED] = [*PATHS[ApplicationStatus.PUBLIC_NOTICE], (ApplicationStatus.AWARDED, "secretary")]

COMMENTS = {
    ApplicationStatus.RETURNED: (
        "请补充近三年财务结果数据及质量管理体系认证证书扫描件。"
        "Please add three years of financial results and the QMS certificate."
    ),
    ApplicationStatus.INELIGIBLE: "成立不满三年，不符合申报条件。Founded less than three years ago: not eligible.",
    ApplicationStatus.NOT_APPROVED: (
        "评审委员会投票未达到通过比例。The committee vote did not reach the pass threshold."
    ),
}

# key, division, org code seed, zh, en, industry, founded, employees
ENTERPRISES = [
    (
        "dijing",
        "431081",
        "MA4L00DJ",
        "",
        "Hunan Dijing Chemical New Material Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2006, 3, 18),
        420,
    ),
    (
        "jinxing",
        "431002",
        "MA4L00JX",
        "",
        "Chenzhou Jinxing Construction Co., Ltd.",
        Industry.CONSTRUCTION,
        dt.date(2001, 7, 9),
        860,
    ),
    (
        "xiangnan",
        "431003",
        "MA4L01XN",
        "郴州湘南精密机械有限公司",
        "Chenzhou Xiangnan Precision Machinery Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2009, 5, 12),
        310,
    ),
    (
        "linfeng",
        "431021",
        "MA4L02LF",
        "桂阳林丰食品有限公司",
        "Guiyang Linfeng Foods Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2012, 9, 1),
        180,
    ),
    (
        "dongjiang",
        "431081",
        "MA4L03DJ",
        "资兴东江水务有限公司",
        "Zixing Dongjiang Water Co., Ltd.",
        Industry.UTILITIES,
        dt.date(2004, 1, 20),
        240,
    ),
    (
        "yuxin",
        "431002",
        "MA4L04YX",
        "郴州裕鑫电子科技有限公司",
        "Chenzhou Yuxin Electronics Co., Ltd.",
        Industry.IT,
        dt.date(2015, 11, 3),
        520,
    ),
    (
        "nanling",
        "431022",
        "MA4L05NL",
        "宜章南岭新材料有限公司",
        "Yizhang Nanling New Materials Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2011, 4, 8),
        275,
    ),
    (
        "xiangyun",
        "431023",
        "MA4L06XY",
        "永兴祥云稀贵金属有限公司",
        "Yongxing Xiangyun Precious Metals Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2007, 6, 30),
        390,
    ),
    (
        "kangning",
        "431003",
        "MA4L07KN",
        "郴州康宁医院有限公司",
        "Chenzhou Kangning Hospital Co., Ltd.",
        Industry.HEALTH,
        dt.date(2010, 8, 16),
        650,
    ),
    (
        "huaxin",
        "431025",
        "MA4L08HX",
        "临武华鑫物流有限公司",
        "Linwu Huaxin Logistics Co., Ltd.",
        Industry.TRANSPORT,
        dt.date(2013, 2, 25),
        140,
    ),
    (
        "qingshan",
        "431028",
        "MA4L09QT",
        "安仁青山茶业有限公司",
        "Anren Qingshan Tea Co., Ltd.",
        Industry.AGRICULTURE,
        dt.date(2014, 10, 10),
        95,
    ),
    (
        "ruida",
        "431002",
        "MA4L10RD",
        "郴州瑞达软件有限公司",
        "Chenzhou Ruida Software Co., Ltd.",
        Industry.IT,
        dt.date(2024, 3, 1),
        60,
    ),
]

# (enterprise key, cycle key, target status, award level code)
APPLICATIONS = [
    ("dijing", "2017", ApplicationStatus.AWARDED, "mayor"),
    ("jinxing", "2017", ApplicationStatus.AWARDED, "mayor"),
    ("xiangnan", "2017", ApplicationStatus.NOT_APPROVED, None),
    ("dongjiang", "2017", ApplicationStatus.NOT_APPROVED, None),
    ("xiangyun", "2017", ApplicationStatus.INELIGIBLE, None),
    ("linfeng", "current", ApplicationStatus.DRAFT, None),
    ("yuxin", "current", ApplicationStatus.SUBMITTED, None),
    ("nanling", "current", ApplicationStatus.RETURNED, None),
    ("xiangyun", "current", ApplicationStatus.ELIGIBLE, None),
    ("kangning", "current", ApplicationStatus.ELIGIBLE, None),
    ("huaxin", "current", ApplicationStatus.DRAFT, None),
    ("qingshan", "current", ApplicationStatus.ELIGIBLE, None),
    ("ruida", "current", ApplicationStatus.INELIGIBLE, None),
    ("dongjiang", "current", ApplicationStatus.SUBMITTED, None),
    # Eligible and complete, so that the expert-review demo can put them under material review.
    ("xiangnan", "current", ApplicationStatus.ELIGIBLE, None),
]


def _at(y, m, d, h=9):
    return dt.datetime(y, m, d, h, 0, tzinfo=SH)


# Chenzhou's programme as migration awards/0015 creates it; get_or_create so a flushed database gets it back.
CHENZHOU = {
    "name_zh": "郴州市市长质量奖",
    "name_en": "Chenzhou Mayor Quality Award",
    "organiser_zh": "郴州市人民政府",
    "organiser_en": "Chenzhou Municipal People's Government",
    "divisions": ["4310"],
    "seal_text": "郴州市市长质量奖评审委员会",
    "signature_zh": "评审委员会主任（签字）",
    "signature_en": "Chair of the Review Committee (signature)",
    "receipt_prefix": "CZMQA",
    "certificate_prefix": "CZMQA",
}


def chenzhou_programme() -> AwardProgramme:
    return AwardProgramme.objects.get_or_create(slug="chenzhou", defaults=CHENZHOU)[0]


def _cycle(**values):
    levels = values.pop("levels")
    values.setdefault("programme", chenzhou_programme())
    cycle, _ = AwardCycle.objects.get_or_create(
        programme=values["programme"], edition=values["edition"], defaults=values
    )
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
        if not cycle.stages.exists():
            cycle_stages_set(cycle=cycle, stages=_demo_stages(ctx, cycle), by=ctx.users["secretary"])
        for i in range(1, 9):
            CycleMembership.objects.get_or_create(cycle=cycle, user=ctx.users[f"expert{i}"], role=CycleRole.EXPERT)
        for i, unit in enumerate(COMMITTEE_UNITS, start=1):
            CycleMembership.objects.get_or_create(
                cycle=cycle,
                user=ctx.users[f"committee{i}"],
                role=CycleRole.COMMITTEE,
                defaults={"unit": unit, "is_chair": i == 1},
            )
    seed_recommenders(ctx, ctx.cycles["current"])


def seed_recommenders(ctx: DemoContext, cycle: AwardCycle) -> None:
    """推荐单位: the market regulator of each district with an applicant in the current cycle."""
    current = {key for key, cycle_key, _status, _level in APPLICATIONS if cycle_key == "current"}
    for division in sorted({e[1] for e in ENTERPRISES if e[0] in current}):
        district = District(division)
        with translation.override("zh-hans"):
            unit = f"{district.label}市场监督管理局"
        user = demo_user(
            ctx,
            f"recommender_{division}",
            f"amr{division}@demo.mqa.cn",
            f"{unit}推荐人",
            role_label=f"recommender ({division})",
        )
        CycleMembership.objects.get_or_create(
            cycle=cycle, user=user, role=CycleRole.RECOMMENDER, defaults={"district": division, "unit": unit}
        )


def _demo_stages(ctx: DemoContext, cycle: AwardCycle) -> list[StageSpec]:
    """2017 ran today's stages; the current cycle adds recommendation, department opinions and a
    presentation and defence, with its public notice counted in working days."""
    K = StageKind
    if cycle.year == 2017:
        return [
            StageSpec(K.ELIGIBILITY, dt.date(2017, 10, 1), dt.date(2017, 10, 13)),
            StageSpec(K.MATERIAL_REVIEW, dt.date(2017, 10, 16), dt.date(2017, 11, 15)),
            StageSpec(K.ONSITE_REVIEW, dt.date(2017, 12, 1), dt.date(2017, 12, 20)),
            StageSpec(K.COMMITTEE, dt.date(2018, 1, 15), dt.date(2018, 1, 15)),
            StageSpec(K.PUBLIC_NOTICE, dt.date(2018, 1, 18), length=7),
            StageSpec(K.GOVERNMENT_APPROVAL, dt.date(2018, 1, 25), dt.date(2018, 1, 26)),
        ]
    # The current cycle is in its material review today (reviews.demo's round runs from six days ago
    # to two days ahead): the stages before it ran in the past, back to back, the later ones follow.
    # `backdate_current` puts the applications' early history at those past dates.
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    w = DayCount.WORKING
    # Open-ended while the demo's recommending bodies recommend (today); backdate_current closes it.
    recommendation = StageSpec(K.RECOMMENDATION, today - 44 * day)
    eligibility = StageSpec(K.ELIGIBILITY, today - (RECOMMENDATION_ENDS_DAYS_AGO - 1) * day, today - 23 * day)
    opinions = StageSpec(K.OPINIONS, today - 22 * day, today - 9 * day)
    material = StageSpec(K.MATERIAL_REVIEW, today - 8 * day, length=20).counted()
    panel = [ctx.users[f"expert{i}"].pk for i in range(1, 6)]
    presentation = StageSpec(K.PRESENTATION, material.ends_on + day, length=3, day_count=w, panel=panel).counted()
    onsite = StageSpec(K.ONSITE_REVIEW, presentation.ends_on + day, length=15, day_count=w).counted()
    committee = StageSpec(K.COMMITTEE, onsite.ends_on + dt.timedelta(days=7), length=1, day_count=w).counted()
    notice = StageSpec(K.PUBLIC_NOTICE, committee.ends_on + dt.timedelta(days=3), length=5, day_count=w).counted()
    approval = StageSpec(K.GOVERNMENT_APPROVAL, notice.ends_on + day, length=10, day_count=w)
    return [recommendation, eligibility, opinions, material, presentation, onsite, committee, notice, approval]


# The person who applies for each demo enterprise (a Chinese name, as on a real application).
CONTACTS = [
    "王建国",
    "李晓梅",
    "张志强",
    "刘海燕",
    "陈立新",
    "杨静",
    "赵文博",
    "黄丽华",
    "周明",
    "吴晓东",
    "徐芳",
    "孙伟",
]


def seed_enterprises(ctx: DemoContext) -> None:
    for n, row in enumerate(ENTERPRISES):
        _demo_enterprise(ctx, row, contact=CONTACTS[n % len(CONTACTS)], phone="0735-2200000")


def _demo_enterprise(ctx: DemoContext, row: tuple, *, contact: str, phone: str) -> Enterprise:
    """One demo enterprise (a row of ENTERPRISES or OTHER_CITIES_ENTERPRISES) and its owner's account."""
    key, division, org, zh, en, industry, founded, employees = row
    code = credit_code_with_check(f"91{division}{org}")
    ent, _ = Enterprise.objects.get_or_create(
        credit_code=code,
        defaults={
            "name_zh": zh,
            "name_en": en,
            "district": division,
            "industry": industry,
            "founded_on": founded,
            "employees": employees,
            "address": f"{divisions.get(division).zh} 示范路 {len(key)} 号",
            "contact_name": "质量管理部",
            "contact_phone": phone,
            "contact_email": f"quality@{key}.example.cn",
        },
    )
    ctx.enterprises[key] = ent
    owner = demo_user(ctx, f"applicant_{key}", f"{key}@demo.mqa.cn", contact, role_label=f"applicant ({en})")
    EnterpriseMembership.objects.get_or_create(enterprise=ent, user=owner, defaults={"role": MemberRole.OWNER})
    return ent


def seed_applications(ctx: DemoContext) -> None:
    for ent_key, cycle_key, target, level_code in APPLICATIONS:
        ent, cycle = ctx.enterprises[ent_key], ctx.cycles[cycle_key]
        existing = Application.objects.filter(enterprise=ent, cycle=cycle).first()
        if existing is not None:
            if cycle_key == "current":
                _backfill_content(existing, ctx.users[f"applicant_{ent_key}"])
            ctx.applications[(ent_key, cycle_key)] = existing
            continue
        with transaction.atomic():
            applicant = ctx.users[f"applicant_{ent_key}"]
            app = Application.objects.create(enterprise=ent, cycle=cycle, basic_info=sections.basic_from_profile(ent))
            if cycle_key == "current":
                # The current cycle's applications are filled in and submitted as an enterprise would.
                _fill_content(app, applicant, complete=target != ApplicationStatus.DRAFT)
            actors = {"applicant": applicant, "secretary": ctx.users["secretary"]}
            for step, who in _path(cycle, target):
                app.refresh_from_db()
                if cycle_key == "current" and step == ApplicationStatus.SUBMITTED:
                    app = application_submit(application=app, by=applicant, notify=False)
                    continue
                if step == ApplicationStatus.RECOMMENDED:
                    from vetting.services import application_recommend  # noqa: PLC0415 -- vetting builds on awards

                    application_recommend(
                        application=app,
                        by=ctx.users[f"recommender_{ent.district}"],
                        decision="recommended",
                        opinion="经核实，该企业申报材料属实，近三年无重大质量、安全、环境事故，同意推荐。",
                        notify=False,
                    )
                    continue
                if cycle_key == "current" and step == ApplicationStatus.RETURNED:
                    app = application_decide_eligibility(
                        application=app,
                        by=actors["secretary"],
                        decision=ApplicationStatus.RETURNED,
                        reason=COMMENTS[ApplicationStatus.RETURNED],
                        section_comments=RETURN_COMMENTS,
                        resubmit_by=timezone.now() + dt.timedelta(days=14),
                        notify=False,
                    )
                    continue
                extra = {}
                if step == ApplicationStatus.SUBMITTED:
                    extra.update(sections.names_of_record(ent))
                if step == ApplicationStatus.AWARDED and level_code:
                    level = cycle.levels.get(code=level_code)
                    extra.update(award_level=level, record_level_zh=level.name_zh, record_level_en=level.name_en)
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


def _path(cycle: AwardCycle, target: str) -> list[tuple[str, str]]:
    """The steps to `target` in this cycle: a cycle that runs a recommendation has it after the
    submission (the district's recommending body recommends, see seed_recommenders)."""
    path = PATHS[target]
    if StageKind.RECOMMENDATION in cycle.stage_kinds() and target != ApplicationStatus.SUBMITTED and path:
        return [path[0], (ApplicationStatus.RECOMMENDED, "recommender"), *path[1:]]
    return path


# The current cycle's history, in days before today (local time), inside its stages' windows.
APPLICATIONS_OPEN_DAYS_AGO, APPLICATIONS_CLOSE_DAYS_AGO = 80, 45
RECOMMENDATION_ENDS_DAYS_AGO = 33  # the eligibility review starts the day after
CURRENT_DAYS_AGO = {
    ApplicationStatus.SUBMITTED: 50,
    ApplicationStatus.RECOMMENDED: 40,
    ApplicationStatus.ELIGIBLE: 28,
    ApplicationStatus.INELIGIBLE: 28,
    ApplicationStatus.RETURNED: 28,
    ApplicationStatus.MATERIAL_REVIEW: 6,
}
VETO_DAYS_AGO = 15  # a department's record that ends an application (opinions stage)


def backdate_current(ctx: DemoContext) -> None:
    """Give the current cycle's early history dates in its past stages (see `_demo_stages`): the
    applications window closed before the recommendation, the submissions, recommendations and
    eligibility decisions in their windows, so that today falls in the material review the data
    shows. Runs once, after every app's demo (the roof's step calls it); the cycle's services took
    these steps today."""
    cycle = ctx.cycles["current"]
    now = timezone.now().astimezone(SH)
    if cycle.applications_close_at <= now:
        return  # done before
    # The day `_demo_stages` laid the stages out from, read back from them rather than from the clock:
    # a seed that runs across midnight (China Standard Time) keeps one "today" (the eligibility review
    # starts the day after the recommendation closes, RECOMMENDATION_ENDS_DAYS_AGO days before it).
    eligibility_starts = cycle.stages.get(kind=StageKind.ELIGIBILITY).starts_on
    today = eligibility_starts + dt.timedelta(days=RECOMMENDATION_ENDS_DAYS_AGO - 1)

    def at(days_ago: int, hour: int = 9) -> dt.datetime:
        d = today - dt.timedelta(days=days_ago)
        return _at(d.year, d.month, d.day, hour)

    # The recommendation window closes as published (it stayed open while the demo recommended),
    # moved as the office would after submissions: with a reason, audited.
    rows = list(cycle.stages.prefetch_related("panel").order_by("order"))
    closed = today - dt.timedelta(days=RECOMMENDATION_ENDS_DAYS_AGO)
    specs = [
        StageSpec(
            r.kind,
            r.starts_on,
            closed if r.kind == StageKind.RECOMMENDATION else r.ends_on,
            None if r.kind == StageKind.RECOMMENDATION else r.length,
            r.day_count,
            tuple(u.pk for u in r.panel.all()),
        )
        for r in rows
    ]
    cycle_stages_set(cycle=cycle, stages=specs, by=ctx.users["secretary"], reason="推荐阶段按公告日期截止。")
    stages = {s.kind: s for s in cycle.stages.all()}
    AwardCycle.objects.filter(pk=cycle.pk).update(
        applications_open_at=at(APPLICATIONS_OPEN_DAYS_AGO),
        applications_close_at=at(APPLICATIONS_CLOSE_DAYS_AGO, 17),
        material_review_due=stages[StageKind.MATERIAL_REVIEW].ends_on,
        onsite_review_start=stages[StageKind.ONSITE_REVIEW].starts_on,
        onsite_review_end=stages[StageKind.ONSITE_REVIEW].ends_on,
        committee_meeting_on=stages[StageKind.COMMITTEE].starts_on,
        public_notice_start=stages[StageKind.PUBLIC_NOTICE].starts_on,
        public_notice_end=stages[StageKind.PUBLIC_NOTICE].ends_on,
    )
    vetoed = set(
        Application.objects.filter(cycle=cycle, opinion_requests__disqualifying=True).values_list("pk", flat=True)
    )
    for n, app in enumerate(Application.objects.filter(cycle=cycle).order_by("pk")):
        dates = {status: at(days) + dt.timedelta(hours=n % 6) for status, days in CURRENT_DAYS_AGO.items()}
        for t in app.transitions.all():
            when = dates.get(t.to_status)
            if t.to_status == ApplicationStatus.INELIGIBLE and app.pk in vetoed:
                when = at(VETO_DAYS_AGO, 15)
            if when is not None:
                ApplicationTransition.objects.filter(pk=t.pk).update(at=when)
        app.refresh_from_db()
        last = app.transitions.order_by("-at", "-pk").first()
        Application.objects.filter(pk=app.pk).update(
            status_changed_at=last.at if last else app.status_changed_at,
            submitted_at=dates[ApplicationStatus.SUBMITTED] if app.submitted_at else None,
        )


def _backdate_2017(app: Application) -> None:
    """Give the 2017 history the dates of the real process instead of today's."""
    dates = {
        ApplicationStatus.SUBMITTED: _at(2017, 9, 25),
        ApplicationStatus.ELIGIBLE: _at(2017, 10, 10),
        ApplicationStatus.INELIGIBLE: _at(2017, 10, 10),
        ApplicationStatus.MATERIAL_REVIEW: _at(2017, 10, 16),
        ApplicationStatus.ONSITE_REVIEW: _at(2017, 11, 20),
        ApplicationStatus.NOMINATED: _at(2017, 12, 28),
        ApplicationStatus.APPROVED: _at(2018, 1, 15, 16),
        ApplicationStatus.NOT_APPROVED: _at(2018, 1, 15, 16),
        ApplicationStatus.PUBLIC_NOTICE: _at(2018, 1, 18),
        ApplicationStatus.AWARDED: _at(2018, 1, 26),
    }
    for t in app.transitions.all():
        ApplicationTransition.objects.filter(pk=t.pk).update(at=dates.get(t.to_status, t.at))
    Application.objects.filter(pk=app.pk).update(
        status_changed_at=dates.get(app.status, app.status_changed_at), submitted_at=dates[ApplicationStatus.SUBMITTED]
    )


def seed(ctx: DemoContext) -> None:
    seed_cycles(ctx)
    seed_enterprises(ctx)
    seed_applications(ctx)
    seed_other_cities_enterprises(ctx)
    seed_province(ctx)
    seed_zhuzhou(ctx)


# Fictional enterprises registered outside Chenzhou (same columns as ENTERPRISES): one in Changsha that
# applies to the governor's award, three in Zhuzhou that apply to Zhuzhou's.
OTHER_CITIES_ENTERPRISES = [
    (
        "furong",
        "430102",
        "MA4N00FR",
        "长沙芙蓉智能装备有限公司",
        "Changsha Furong Intelligent Equipment Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2008, 4, 22),
        560,
    ),
    (
        "hetang",
        "430202",
        "MA4P00HT",
        "株洲荷塘轨道装备有限公司",
        "Zhuzhou Hetang Rail Equipment Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2005, 9, 12),
        720,
    ),
    (
        "tianyuan",
        "430211",
        "MA4P01TY",
        "株洲天元硬质合金有限公司",
        "Zhuzhou Tianyuan Cemented Carbide Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2010, 3, 5),
        430,
    ),
    (
        "jinci",
        "430281",
        "MA4P02JC",
        "醴陵金瓷陶瓷有限公司",
        "Liling Jinci Ceramics Co., Ltd.",
        Industry.MANUFACTURING,
        dt.date(2012, 6, 18),
        210,
    ),
]
OTHER_CITIES_CONTACTS = ["罗志华", "彭丽", "谭建军", "易小红"]


def seed_other_cities_enterprises(ctx: DemoContext) -> None:
    for row, contact in zip(OTHER_CITIES_ENTERPRISES, OTHER_CITIES_CONTACTS, strict=True):
        _demo_enterprise(ctx, row, contact=contact, phone="0731-22880000")


def _apply(ctx: DemoContext, ent_key: str, cycle: AwardCycle, target: str, secretary) -> None:
    """An application of a demo enterprise to an open cycle, as the enterprise and the office would
    make it: a draft, a submission, the office's decision that it is eligible."""
    ent, applicant = ctx.enterprises[ent_key], ctx.users[f"applicant_{ent_key}"]
    if Application.objects.filter(enterprise=ent, cycle=cycle).exists():
        return
    with transaction.atomic():
        app = application_start(enterprise=ent, cycle=cycle, by=applicant)
        _fill_content(app, applicant, complete=target != ApplicationStatus.DRAFT)
        if target == ApplicationStatus.DRAFT:
            return
        app = application_submit(application=app, by=applicant, notify=False)
        if target == ApplicationStatus.ELIGIBLE:
            application_decide_eligibility(application=app, by=secretary, decision=target, notify=False)


# The governor's award above the cities' (a second programme, so that isolation can be seen): all of
# Hunan may apply; three of the demo's Chenzhou enterprises and one of Changsha have applied to its current cycle.
HUNAN = {
    "name_zh": "湖南省省长质量奖",
    "name_en": "Hunan Governor Quality Award",
    "organiser_zh": "湖南省人民政府",
    "organiser_en": "People's Government of Hunan Province",
    "divisions": ["43"],
    "seal_text": "湖南省省长质量奖评审委员会",
    "signature_zh": "评审委员会主任（签字）",
    "signature_en": "Chair of the Review Committee (signature)",
    "receipt_prefix": "HNGQA",
    "certificate_prefix": "HNGQA",
}
HUNAN_LEVELS = [
    ("governor", "省长质量奖", "Governor Quality Award", 10, "1000000"),
    ("nomination", "省长质量奖提名奖", "Governor Quality Award Nomination", 10, "300000"),
]
HUNAN_APPLICATIONS = [
    ("xiangnan", ApplicationStatus.SUBMITTED),
    ("kangning", ApplicationStatus.SUBMITTED),
    ("linfeng", ApplicationStatus.DRAFT),
    ("furong", ApplicationStatus.SUBMITTED),  # registered in Changsha: outside Chenzhou, inside Hunan
]


def _seed_open_programme(
    ctx: DemoContext,
    *,
    slug: str,
    fields: dict,
    secretary: tuple[str, str, str, str],
    title: tuple[str, str],
    local_division_prefix: str,
    opened_days_ago: int,
    closes_in_days: int,
    levels: list,
    eligibility_from_today: bool,
    applications: list,
) -> None:
    """Another programme beside Chenzhou's with its own office, one open cycle and its stages, and
    `applications` (enterprise key, target status) walked there by its own secretary."""
    programme, _ = AwardProgramme.objects.get_or_create(slug=slug, defaults=fields)
    key, email, name, label = secretary
    office = demo_user(ctx, key, email, name, role_label=label)
    now = timezone.now().astimezone(SH)
    year = now.year
    cycle = _cycle(
        programme=programme,
        edition=1,
        year=year,
        framework=CriteriaFramework.objects.get(code="gbt19580-2012"),
        status=CycleStatus.OPEN,
        title_zh=title[0].format(year=year),
        title_en=title[1].format(year=year),
        local_division_prefix=local_division_prefix,
        applications_open_at=now - dt.timedelta(days=opened_days_ago),
        applications_close_at=now + dt.timedelta(days=closes_in_days),
        levels=levels,
    )
    CycleMembership.objects.get_or_create(cycle=cycle, user=office, role=CycleRole.SECRETARY)
    if not cycle.stages.exists():
        K, day, today = StageKind, dt.timedelta(days=1), timezone.localdate()
        close = today + closes_in_days * day
        stages = [
            StageSpec(K.ELIGIBILITY, today - 5 * day if eligibility_from_today else close + day, close + 10 * day),
            StageSpec(K.MATERIAL_REVIEW, close + 11 * day, close + 40 * day),
            StageSpec(K.ONSITE_REVIEW, close + 45 * day, close + 60 * day),
            StageSpec(K.COMMITTEE, close + 70 * day, close + 70 * day),
            StageSpec(K.PUBLIC_NOTICE, close + 73 * day, length=7),
            StageSpec(K.GOVERNMENT_APPROVAL, close + 81 * day, close + 90 * day),
        ]
        cycle_stages_set(cycle=cycle, stages=stages, by=office)
    for ent_key, target in applications:
        _apply(ctx, ent_key, cycle, target, office)
    ctx.log(f"Programme {programme.name_zh}: /{programme.slug}/, one open cycle, {len(applications)} applications.")


def seed_province(ctx: DemoContext) -> None:
    _seed_open_programme(
        ctx,
        slug="hunan",
        fields=HUNAN,
        secretary=(
            "secretary_hunan",
            "office@hunan.demo.mqa.cn",
            "湖南省质量奖办公室 秘书",
            "secretary (湖南省省长质量奖 only)",
        ),
        title=("首届湖南省省长质量奖（{year}年度）", "1st Hunan Governor Quality Award ({year})"),
        local_division_prefix="43",
        opened_days_ago=20,
        closes_in_days=40,
        levels=HUNAN_LEVELS,
        eligibility_from_today=False,
        applications=HUNAN_APPLICATIONS,
    )


# A second city's award beside Chenzhou's (so that two cities' offices can be seen apart): Zhuzhou's
# enterprises apply to it; its office decides on their eligibility and sees nothing of Chenzhou's.
ZHUZHOU = {
    "name_zh": "株洲市市长质量奖",
    "name_en": "Zhuzhou Mayor Quality Award",
    "organiser_zh": "株洲市人民政府",
    "organiser_en": "Zhuzhou Municipal People's Government",
    "divisions": ["4302"],
    "seal_text": "株洲市市长质量奖评审委员会",
    "signature_zh": "评审委员会主任（签字）",
    "signature_en": "Chair of the Review Committee (signature)",
    "receipt_prefix": "ZZMQA",
    "certificate_prefix": "ZZMQA",
}
ZHUZHOU_APPLICATIONS = [
    ("hetang", ApplicationStatus.SUBMITTED),
    ("tianyuan", ApplicationStatus.ELIGIBLE),
    ("jinci", ApplicationStatus.DRAFT),
]


def seed_zhuzhou(ctx: DemoContext) -> None:
    # Its eligibility stage is already on, so that its office's decision can be seen in the demo.
    _seed_open_programme(
        ctx,
        slug="zhuzhou",
        fields=ZHUZHOU,
        secretary=(
            "secretary_zhuzhou",
            "office@zhuzhou.demo.mqa.cn",
            "株洲市质量奖办公室 秘书",
            "secretary (株洲市市长质量奖 only)",
        ),
        title=("首届株洲市市长质量奖（{year}年度）", "1st Zhuzhou Mayor Quality Award ({year})"),
        local_division_prefix="4302",
        opened_days_ago=25,
        closes_in_days=35,
        levels=LEVELS,
        eligibility_from_today=True,
        applications=ZHUZHOU_APPLICATIONS,
    )


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


RETURN_COMMENTS = {
    sections.RESULTS: "研发投入数据与财务报表口径不一致，请核对近三年研发投入并说明统计口径。"
    "R&D spending does not match the financial statements: please check the three years and explain the basis.",
    sections.ATTACHMENTS: "请补充上传ISO 9001质量管理体系认证证书扫描件。Please upload the ISO 9001 certificate.",
}

# Narrative building blocks per criteria category (GB/T 19580-2012), filled with the enterprise's name.
NARRATIVES = {
    "4.1": "{name}高层领导确立了“质量第一、客户至上、持续改进”的使命、愿景和价值观，每年通过职代会、"
    "质量大会向全体员工宣贯。总经理担任卓越绩效推进委员会主任，每季度主持经营质量分析会，评审关键绩效指标的达成情况，"
    "并对重大质量问题实行领导包案制度。公司建立了规范的法人治理结构，董事会、监事会和经营层权责清晰，"
    "重大事项实行集体决策。在社会责任方面，公司严格遵守安全生产和环境保护法规，近三年未发生重大事故，"
    "积极参与当地扶贫助学和应急救援活动，年均公益投入超过五十万元。",
    "4.2": "{name}每年十月启动战略规划流程，运用SWOT和PEST分析识别内外部环境的机会与挑战，"
    "由战略发展部组织各部门制定三年滚动规划和年度经营计划。战略目标分解为财务、客户、内部运营、学习与成长四个维度的"
    "关键绩效指标，通过目标责任书逐级落实到部门和班组，每月跟踪、每季度评审、每半年调整。"
    "近三年战略目标达成率分别为百分之九十二、九十五和九十七，战略部署的有效性持续提升。",
    "4.3": "{name}按行业、区域和客户规模对市场进行细分，通过客户走访、展会、第三方满意度调查和大数据分析"
    "了解客户需求与期望。公司建立了客户关系管理系统，对重点客户实行客户经理负责制，投诉处理实行“首问负责、限时办结”，"
    "平均处理周期由五天缩短至两天。每年委托第三方开展顾客满意度测评，测评结果用于改进产品和服务，"
    "近三年顾客满意度稳步提高，核心客户保持率保持在百分之九十以上。",
    "4.4": "{name}制定了人力资源规划，建立了覆盖管理、技术和技能三条通道的职业发展体系，"
    "年人均培训时间超过四十学时。公司实行全面预算管理，资产负债率控制在合理区间；建设了ERP、MES和OA一体化信息平台，"
    "实现生产数据实时采集和知识共享。公司拥有省级企业技术中心，近三年研发投入占营业收入比例保持在百分之四以上，"
    "获得发明专利十余项。设备综合效率持续提升，与主要供应商建立了长期战略合作关系。",
    "4.5": "{name}以顾客需求为导向识别价值创造过程和支持过程，编制了过程清单和过程流程图，"
    "明确了每个关键过程的输入、输出、控制要求和绩效指标。公司运用FMEA、SPC、防错技术对关键工序实施控制，"
    "通过质量管理体系内审、过程审核和产品审核定期评价过程的有效性。对发现的问题运用PDCA循环和8D方法进行改进，"
    "近三年关键过程的一次合格率逐年上升，生产周期缩短百分之十五。",
    "4.6": "{name}建立了覆盖公司、部门和班组三个层级的绩效测量系统，关键指标通过信息平台实时展示。"
    "公司每月开展绩效分析，与行业标杆和竞争对手进行对比，识别改进机会。持续开展QC小组、合理化建议和精益改善活动，"
    "近三年共完成改进项目一百二十余项，其中获省级以上优秀QC成果八项，创造直接经济效益约一千二百万元。"
    "公司鼓励创新，设立创新基金，对优秀创新成果给予奖励。",
    "4.7": "{name}近三年主要经营指标持续向好：营业收入年均增长约百分之十二，利润和纳税同步增长；"
    "产品一次交验合格率保持在百分之九十九以上，顾客满意度由百分之八十九提高到百分之九十三，"
    "主要产品市场占有率居省内同行业前列。员工满意度、培训覆盖率和安全绩效均优于行业平均水平，"
    "资源消耗强度逐年下降，单位产值能耗三年累计降低百分之九。领导和社会责任方面未发生违法违规事件，多次获得地方政府表彰。",
}


NARRATIVE_CLOSING = (
    "下一步，公司将对照卓越绩效评价准则持续开展自我评价，针对自评和外部评审发现的改进机会制定行动计划，"
    "明确责任部门和完成时限并跟踪落实，不断提升经营管理的成熟度。"
)


def _figures(app) -> dict:
    """Plausible three-year figures scaled to the enterprise, growing year on year."""
    ent = app.enterprise
    base = Decimal(ent.employees) * Decimal("38.5")  # revenue in 10,000 yuan
    data = {}
    for i, year in enumerate(sections.result_years(app.cycle)):
        growth = Decimal("1") + Decimal("0.11") * i
        revenue = (base * growth).quantize(Decimal("0.01"))
        data[str(year)] = {
            "revenue": str(revenue),
            "profit": str((revenue * Decimal("0.085")).quantize(Decimal("0.01"))),
            "tax": str((revenue * Decimal("0.052")).quantize(Decimal("0.01"))),
            "rnd": str((revenue * Decimal("0.041")).quantize(Decimal("0.01"))),
            "employees": ent.employees - 20 + 10 * i,
            "satisfaction": str(Decimal("89.5") + Decimal("1.6") * i),
            "pass_rate": str(Decimal("98.6") + Decimal("0.4") * i),
        }
    return data


def _content(app, *, complete: bool) -> dict:
    name = app.enterprise.name_zh or app.enterprise.name_en
    cats = list(app.cycle.framework.categories.prefetch_related("items"))
    sa = {
        c.code: {
            "narrative": NARRATIVES.get(c.code, "").format(name=name) + NARRATIVE_CLOSING,
            "scores": {item.code: 55 + 5 * (n % 3) for n, item in enumerate(c.items.all())},
        }
        for c in (cats if complete else cats[:3])
    }
    content = {
        sections.BASIC: {
            **sections.basic_from_profile(app.enterprise),
            "legal_representative": "张建华",
            "main_business": f"{name}主营产品的研发、生产和销售。",
        },
        sections.ELIGIBILITY: {
            "excellence_since": "2016-01-01",
            "excellence_note": "2016年导入卓越绩效评价准则，每年开展自评并持续改进。",
            "no_incident": "yes",
            "incident_note": "",
            "good_record": "yes",
            "record_note": "纳税信用等级A级。",
        },
        sections.SELF_ASSESSMENT: sa,
    }
    if complete:
        content[sections.RESULTS] = _figures(app)
        content[sections.COMMITMENT] = {
            "name": "张建华",
            "position": "总经理 General Manager",
            "date": timezone.localdate().isoformat(),
            "confirmed": True,
        }
    return content


DEMO_FILES = [
    (AttachmentKind.BUSINESS_LICENCE, "营业执照.pdf", "Business licence (demo)"),
    (AttachmentKind.SELF_ASSESSMENT_REPORT, "自评报告.pdf", "Self-assessment report (demo)"),
    (AttachmentKind.MANAGEMENT_CERTIFICATE, "ISO9001证书.pdf", "ISO 9001 certificate (demo)"),
]


def _demo_upload(name, text):
    return SimpleUploadedFile(name, minimal_pdf(f"{text} - Chenzhou Mayor Quality Award"), "application/pdf")


def _fill_content(app: Application, applicant, *, complete: bool) -> None:
    """Fill the sections through the service; upload small PDFs (the draft gets only the licence)."""
    for section, data in _content(app, complete=complete).items():
        app.refresh_from_db()
        application_section_save(
            application=app, section=section, data=data, version=app.section_version(section), by=applicant
        )
    for kind, name, text in DEMO_FILES if complete else DEMO_FILES[:1]:
        attachment_add(application=app, kind=kind, upload=_demo_upload(name, text), by=applicant)


def _backfill_content(app: Application, applicant) -> None:
    """A database seeded before applications had content: add it once, with a snapshot if submitted."""
    if app.attachments.exists() or app.basic_info:
        return
    complete = app.status != ApplicationStatus.DRAFT
    content = _content(app, complete=complete)
    Application.objects.filter(pk=app.pk).update(**{sections.SECTION_FIELDS[s]: data for s, data in content.items()})

    for kind, name, text in DEMO_FILES if complete else DEMO_FILES[:1]:
        upload = _demo_upload(name, text)
        att = ApplicationAttachment(
            application=app,
            kind=kind,
            original_name=name,
            size=upload.size,
            mime_type="application/pdf",
            sha256=hashlib.sha256(upload.read()).hexdigest(),
            uploaded_by=applicant,
        )
        upload.seek(0)
        att.file.save(name, upload, save=True)
    app.refresh_from_db()
    if complete and not app.snapshots.exists():
        cycle = AwardCycle.objects.select_for_update().get(pk=app.cycle_id)
        receipt = app.receipt_number or f"{cycle.programme.receipt_prefix}-{cycle.year}-{cycle.receipts_issued + 1:04d}"
        if not app.receipt_number:
            AwardCycle.objects.filter(pk=cycle.pk).update(receipts_issued=cycle.receipts_issued + 1)
            Application.objects.filter(pk=app.pk).update(receipt_number=receipt, submitted_at=app.status_changed_at)
        ApplicationSnapshot.objects.create(
            application=app,
            number=1,
            receipt_number=receipt,
            data=sections.snapshot_data(app, list(app.attachments.all())),
            submitted_by=applicant,
        )
