import datetime as dt

import factory

from enterprises.enums import District, Industry, MemberRole
from enterprises.models import Enterprise, EnterpriseMembership, Invitation
from enterprises.validators import credit_code_with_check

from .core import UserFactory


def _code(n: int) -> str:
    return credit_code_with_check(f"91431002MA4{n:05d}")


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    credit_code = factory.Sequence(_code)
    name_zh = factory.Sequence(lambda n: f"郴州测试企业{n}有限公司")
    name_en = factory.Sequence(lambda n: f"Chenzhou Test Enterprise {n} Co., Ltd.")
    district = District.BEIHU
    industry = Industry.MANUFACTURING
    founded_on = dt.date(2010, 1, 1)
    employees = 200
    address = "北湖区测试路1号"
    contact_name = "张三"
    contact_phone = "0735-1234567"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.cn")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMembership

    enterprise = factory.SubFactory(EnterpriseFactory)
    user = factory.SubFactory(UserFactory)
    role = MemberRole.OWNER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    enterprise = factory.SubFactory(EnterpriseFactory)
    email = factory.Sequence(lambda n: f"colleague{n}@example.cn")
    role = MemberRole.EDITOR
    invited_by = factory.SubFactory(UserFactory)
