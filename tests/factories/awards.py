import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from awards.demo import chenzhou_programme
from awards.enums import ApplicationStatus, CycleRole, CycleStatus
from awards.models import Application, AwardCycle, AwardLevel, AwardProgramme, CriteriaFramework, CycleMembership

from .core import UserFactory
from .enterprises import EnterpriseFactory


def gbt19580():
    return CriteriaFramework.objects.get(code="gbt19580-2012")


def chenzhou() -> AwardProgramme:
    """Chenzhou's programme, as migration awards/0015 creates it (again after a flush)."""
    return chenzhou_programme()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """Another programme; by default the provincial award, admitting all of Hunan."""

    class Meta:
        model = AwardProgramme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_zh = factory.Sequence(lambda n: f"第{n}号质量奖")
    name_en = factory.Sequence(lambda n: f"Quality Award No. {n}")
    organiser_zh = "湖南省人民政府"
    organiser_en = "People's Government of Hunan Province"
    divisions = factory.LazyFunction(lambda: ["43"])
    seal_text = "湖南省省长质量奖评审委员会"
    signature_zh = "评审委员会主任（签字）"
    signature_en = "Chair of the Review Committee (signature)"
    receipt_prefix = factory.Sequence(lambda n: f"PR{n}")
    certificate_prefix = factory.Sequence(lambda n: f"PC{n}")


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCycle
        skip_postgeneration_save = True

    programme = factory.LazyFunction(chenzhou)

    edition = factory.Sequence(lambda n: 100 + n)
    year = factory.Sequence(lambda n: 2100 + n)
    title_zh = factory.LazyAttribute(lambda o: f"第{o.edition}届郴州市市长质量奖")
    title_en = factory.LazyAttribute(lambda o: f"{o.edition}th Chenzhou Mayor Quality Award")
    framework = factory.LazyFunction(gbt19580)
    status = CycleStatus.OPEN
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=10))

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        AwardLevel.objects.create(
            cycle=self,
            code="mayor",
            name_zh="市长质量奖",
            name_en="Mayor Quality Award",
            rank=1,
            quota=3,
            prize_amount=Decimal("500000"),
        )
        AwardLevel.objects.create(
            cycle=self,
            code="nomination",
            name_zh="提名奖",
            name_en="Nomination Award",
            rank=2,
            quota=5,
            prize_amount=Decimal("200000"),
        )


class CycleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CycleMembership

    cycle = factory.SubFactory(CycleFactory)
    user = factory.SubFactory(UserFactory)
    role = CycleRole.EXPERT


def _unless_draft(o, value: str) -> str:
    return "" if o.status == ApplicationStatus.DRAFT else value


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    cycle = factory.SubFactory(CycleFactory)
    status = ApplicationStatus.DRAFT
    # Past draft, an application has been submitted: it carries the names of record.
    record_name_zh = factory.LazyAttribute(lambda o: _unless_draft(o, o.enterprise.name_zh))
    record_name_en = factory.LazyAttribute(lambda o: _unless_draft(o, o.enterprise.name_en))
    record_credit_code = factory.LazyAttribute(lambda o: _unless_draft(o, o.enterprise.credit_code))


# --- a complete application -------------------------------------------------------------------


def pdf_file(name="licence.pdf", text="Business licence"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.demo import minimal_pdf

    return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")


def complete_content(application) -> dict:
    """Section data that makes every section complete (basic info comes from the profile)."""
    from awards import sections

    ent = application.enterprise
    cats = application.cycle.framework.categories.prefetch_related("items")
    return {
        sections.BASIC: {
            **sections.basic_from_profile(ent),
            "legal_representative": "王总",
            "main_business": "精密机械零部件的研发与制造",
        },
        sections.ELIGIBILITY: {
            "excellence_since": "2015-01-01",
            "excellence_note": "自2015年起导入卓越绩效模式",
            "no_incident": "yes",
            "incident_note": "",
            "good_record": "yes",
            "record_note": "",
        },
        sections.SELF_ASSESSMENT: {
            c.code: {"narrative": f"{c.code} 自评：" + "方法展开学习整合。" * 40, "scores": {}} for c in cats
        },
        sections.RESULTS: {
            str(y): {
                "revenue": "12000.00",
                "profit": "800.00",
                "tax": "450.00",
                "rnd": "520.00",
                "employees": 300,
                "satisfaction": "92.5",
                "pass_rate": "99.2",
            }
            for y in sections.result_years(application.cycle)
        },
        sections.COMMITMENT: {"name": "王总", "position": "总经理", "date": "2026-05-01", "confirmed": True},
    }


def fill_application(application, by):
    """Fill every section and upload the required files, through the services."""
    from awards import sections, services
    from awards.enums import AttachmentKind

    for section, data in complete_content(application).items():
        application.refresh_from_db()
        services.application_section_save(
            application=application, section=section, data=data, version=application.section_version(section), by=by
        )
    services.attachment_add(application=application, kind=AttachmentKind.BUSINESS_LICENCE, upload=pdf_file(), by=by)
    services.attachment_add(
        application=application,
        kind=AttachmentKind.SELF_ASSESSMENT_REPORT,
        upload=pdf_file("self-assessment.pdf", "Self-assessment report"),
        by=by,
    )
    application.refresh_from_db()
    assert not any(sections.missing_by_section(application).values())
    return application
