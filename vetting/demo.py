"""Demo of recommendation and department opinions (see core/demo.py). The recommending bodies and
their recommendations are made by awards.demo as the current cycle's applications are submitted;
this step adds the consulted departments, their requests and answers: no record for most, a record
that does not disqualify (it reaches the dossier), one that does (一票否决), and one still open."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole, OpinionAnswer, RecordCategory
from awards.models import CycleMembership
from awards.services import application_decide_eligibility
from core.demo import DemoContext, demo_user

from .models import OpinionRequest
from .services import application_recommend, opinion_answer, opinion_requests_send

DEPARTMENTS = [
    ("sthj", "市生态环境局"),
    ("yjgl", "市应急管理局"),
    ("sw", "国家税务总局郴州市税务局"),
    ("rsj", "市人力资源和社会保障局"),
    ("xy", "信用郴州（市发展和改革委员会）"),
]


def seed(ctx: DemoContext) -> None:
    cycle = ctx.cycles["current"]
    departments = {}
    for key, unit in DEPARTMENTS:
        user = demo_user(
            ctx, f"department_{key}", f"{key}@demo.mqa.cn", f"{unit}联络员", role_label=f"department ({key})"
        )
        CycleMembership.objects.get_or_create(
            cycle=cycle, user=user, role=CycleRole.DEPARTMENT, defaults={"unit": unit}
        )
        departments[key] = user
    if OpinionRequest.objects.filter(application__cycle=cycle).exists():
        return
    secretary = ctx.users["secretary"]
    deadline = timezone.localdate() + dt.timedelta(days=10)
    everyone = list(departments.values())
    # Dongjiang is recommended and found eligible here, then a department's record ends it (一票否决).
    dongjiang = ctx.applications[("dongjiang", "current")]
    dongjiang.refresh_from_db()
    application_recommend(
        application=dongjiang,
        by=ctx.users[f"recommender_{dongjiang.enterprise.district}"],
        decision="recommended",
        opinion="经核实，申报材料属实，同意推荐。",
        notify=False,
    )
    dongjiang.refresh_from_db()
    application_decide_eligibility(application=dongjiang, by=secretary, decision="eligible", notify=False)
    for ent_key in ("qingshan", "xiangnan", "kangning", "xiangyun", "dongjiang"):
        app = ctx.applications[(ent_key, "current")]
        app.refresh_from_db()
        opinion_requests_send(application=app, departments=everyone, deadline=deadline, by=secretary)
    answers = {
        # (enterprise, department): (answer, category, details)
        ("kangning", "sthj"): (
            OpinionAnswer.RECORD_FOUND,
            RecordCategory.OTHER,
            "2024年5月因危险废物台账记录不全被责令限期改正，已按期整改，未予处罚（郴环责改〔2024〕31号）。",
        ),
        ("dongjiang", "yjgl"): (
            OpinionAnswer.RECORD_FOUND,
            RecordCategory.SAFETY,
            "2025年3月发生一起造成1人死亡的生产安全事故，经调查认定为一般生产安全责任事故（郴应急罚〔2025〕12号）。",
        ),
    }
    for ent_key in ("qingshan", "xiangnan", "kangning", "xiangyun", "dongjiang"):
        app = ctx.applications[(ent_key, "current")]
        for key, user in departments.items():
            if ent_key == "qingshan" and key == "xy":
                continue  # still open: the office's reminder is for this one
            answer, category, details = answers.get((ent_key, key), (OpinionAnswer.NO_RECORD, "", ""))
            req = OpinionRequest.objects.get(application=app, department=user)
            opinion_answer(request=req, by=user, answer=answer, category=category, details=details)
            app.refresh_from_db()
            if app.status == ApplicationStatus.INELIGIBLE:
                break  # the veto ended it: the other departments' answers are no longer needed
    ctx.log("Department opinions: answers for five applications, one veto, one record in the dossier, one open.")
