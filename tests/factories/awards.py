import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from awards.enums import CycleRole, CycleStatus
from awards.models import Application, AwardCycle, AwardLevel, CriteriaFramework, CycleMembership

from .core import UserFactory
from .enterprises import EnterpriseFactory


def gbt19580():
    return CriteriaFramework.objects.get(code="gbt19580-2012")


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCycle
        skip_postgeneration_save = True

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


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    enterprise = factory.SubFactory(EnterpriseFactory)
    cycle = factory.SubFactory(CycleFactory)
