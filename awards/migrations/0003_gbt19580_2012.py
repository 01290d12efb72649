"""Create the GB/T 19580-2012 criteria framework (卓越绩效评价准则): 7 categories, 23 items, 1000 points.

The data lives here, frozen, so that the framework a cycle scored against never changes.
"""

from django.db import migrations

PROCESS_GUIDANCE = "评价要点：方法、展开、学习、整合。Judged on approach, deployment, learning and integration."
RESULTS_GUIDANCE = "评价要点：水平、趋势、对比、整合。Judged on levels, trends, comparisons and integration."

GBT_19580_2012 = [
    ("4.1", "领导", "Leadership", 110, "process", [
        ("4.1.2", "高层领导的作用", "Role of senior leaders", 50),
        ("4.1.3", "组织治理", "Organisational governance", 30),
        ("4.1.4", "社会责任", "Social responsibility", 30),
    ]),
    ("4.2", "战略", "Strategy", 90, "process", [
        ("4.2.2", "战略制定", "Strategy development", 40),
        ("4.2.3", "战略部署", "Strategy deployment", 50),
    ]),
    ("4.3", "顾客与市场", "Customers and markets", 90, "process", [
        ("4.3.2", "顾客和市场的了解", "Understanding customers and markets", 40),
        ("4.3.3", "顾客关系与顾客满意", "Customer relationships and satisfaction", 50),
    ]),
    ("4.4", "资源", "Resources", 130, "process", [
        ("4.4.2", "人力资源", "Human resources", 60),
        ("4.4.3", "财务资源", "Financial resources", 15),
        ("4.4.4", "信息和知识资源", "Information and knowledge resources", 20),
        ("4.4.5", "技术资源", "Technology resources", 15),
        ("4.4.6", "基础设施", "Infrastructure", 10),
        ("4.4.7", "相关方关系", "Relationships with partners", 10),
    ]),
    ("4.5", "过程管理", "Process management", 100, "process", [
        ("4.5.2", "过程的识别与设计", "Process identification and design", 50),
        ("4.5.3", "过程的实施与改进", "Process implementation and improvement", 50),
    ]),
    ("4.6", "测量、分析与改进", "Measurement, analysis and improvement", 80, "process", [
        ("4.6.2", "测量、分析和评价", "Measurement, analysis and evaluation", 40),
        ("4.6.3", "改进与创新", "Improvement and innovation", 40),
    ]),
    ("4.7", "结果", "Results", 400, "results", [
        ("4.7.2", "产品和服务结果", "Product and service results", 80),
        ("4.7.3", "顾客与市场结果", "Customer and market results", 80),
        ("4.7.4", "财务结果", "Financial results", 80),
        ("4.7.5", "资源结果", "Resource results", 60),
        ("4.7.6", "过程有效性结果", "Process effectiveness results", 50),
        ("4.7.7", "领导方面的结果", "Leadership results", 50),
    ]),
]


def create(apps, schema_editor):
    Framework = apps.get_model("awards", "CriteriaFramework")
    Category = apps.get_model("awards", "CriteriaCategory")
    Item = apps.get_model("awards", "CriteriaItem")
    framework, _ = Framework.objects.get_or_create(
        code="gbt19580-2012",
        defaults={
            "title_zh": "GB/T 19580-2012 卓越绩效评价准则",
            "title_en": "GB/T 19580-2012 Criteria for performance excellence",
            "total_points": 1000,
            "description": "国家标准《卓越绩效评价准则》，过程类目 4.1–4.6，结果类目 4.7。",
        },
    )
    for c_order, (code, zh, en, points, kind, items) in enumerate(GBT_19580_2012, start=1):
        category, _ = Category.objects.get_or_create(
            framework=framework,
            code=code,
            defaults={"title_zh": zh, "title_en": en, "points": points, "kind": kind, "order": c_order},
        )
        for i_order, (icode, izh, ien, ipoints) in enumerate(items, start=1):
            Item.objects.get_or_create(
                category=category,
                code=icode,
                defaults={
                    "title_zh": izh,
                    "title_en": ien,
                    "points": ipoints,
                    "kind": kind,
                    "order": i_order,
                    "guidance": PROCESS_GUIDANCE if kind == "process" else RESULTS_GUIDANCE,
                },
            )


def remove(apps, schema_editor):
    apps.get_model("awards", "CriteriaFramework").objects.filter(code="gbt19580-2012").delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0002_initial")]
    operations = [migrations.RunPython(create, remove)]
