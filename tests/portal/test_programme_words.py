"""Each programme's own words: the provincial award's pages, mails and PDFs name it (湖南省省长质量奖,
its organiser, its office) and never Chenzhou; Chenzhou's keep their words; site-wide pages and
account mails use the site's name (settings.SITE_NAME_ZH / SITE_NAME_EN)."""

import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from awards.enums import ApplicationStatus, CycleRole
from awards.models import AwardLevel
from awards.services import application_transition
from committee.pdf import report_context
from core.mail import mail_queue, mail_render
from core.models import OutboxMessage
from enterprises.validators import credit_code_with_check
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory, ProgrammeFactory
from tests.factories.certificates import awarded_application
from tests.factories.committee import committee_of, nominated_application, schedule
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db

HUNAN_ZH, HUNAN_EN = "湖南省省长质量奖", "Hunan Governor Quality Award"
LANGUAGES = [("zh-hans", HUNAN_ZH, "湖南省人民政府"), ("en", HUNAN_EN, "People&#x27;s Government of Hunan Province")]


@pytest.fixture
def hunan():
    return ProgrammeFactory(slug="hunan", name_zh=HUNAN_ZH, name_en=HUNAN_EN)


@pytest.fixture
def hunan_cycle(hunan, cycle):
    c = CycleFactory(
        programme=hunan,
        edition=1,
        year=cycle.year + 1,
        title_zh="首届湖南省省长质量奖",
        title_en="1st Hunan Governor Quality Award",
        local_division_prefix="43",
        levels=False,
    )
    AwardLevel.objects.create(
        cycle=c, code="mayor", name_zh="省长质量奖", name_en="Governor Quality Award", rank=1, quota=3
    )
    return c


def changsha(n: int = 1, **kwargs):
    """An enterprise of Changsha (Yuelu District): admitted to the provincial award, not to Chenzhou's."""
    return EnterpriseFactory(
        credit_code=credit_code_with_check(f"91430104MA4{n:05d}"),
        name_zh=f"长沙{n}号企业有限公司",
        name_en=f"Changsha No. {n} Co., Ltd.",
        district="430104",
        address="岳麓区测试路1号",
        **kwargs,
    )


@pytest.fixture
def en(client_for):
    def make(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return make


def _body(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def _no_chenzhou(text: str) -> None:
    for word in ("郴州", "Chenzhou", "市长质量奖", "Mayor", "市人民政府", "municipal"):
        assert word not in text, word


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "name", "organiser"), LANGUAGES)
def test_the_provincial_home_speaks_of_its_own_award(client, hunan_cycle, language, name, organiser):
    body = _body(client, reverse("programme:home", args=["hunan"]), language)
    assert body.count(name) >= 4  # title, header, heading, lead, footer
    assert organiser in body
    footer = body.split('class="site-footer"', 1)[1]
    assert ("湖南省省长质量奖评审办公室" if language == "zh-hans" else "Hunan Governor Quality Award Office") in footer
    assert ("湖南省" if language == "zh-hans" else "Hunan Province") in body.split('id="apply-heading"', 1)[1]
    _no_chenzhou(body)


@pytest.mark.parametrize(("language", "name", "organiser"), LANGUAGES)
def test_the_provincial_winners_page_speaks_of_its_own_award(client, hunan_cycle, language, name, organiser):
    awarded_application(cycle=hunan_cycle, enterprise=changsha())
    body = _body(client, reverse("programme:winners", args=["hunan"]), language)
    heading = body.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading == (f"{HUNAN_ZH}获奖企业" if language == "zh-hans" else f"Winners of the {HUNAN_EN}")
    assert organiser in body
    _no_chenzhou(body)


def test_chenzhou_pages_keep_their_words(client, cycle):
    zh = _body(client, reverse("core:home"), "zh-hans")
    assert "郴州市市长质量奖评审办公室" in zh.split('class="site-footer"', 1)[1]
    assert "郴州市人民政府设立的质量领域最高荣誉" in zh and "报郴州市人民政府审定" in zh
    assert "在郴州市（行政区划代码 4310…）注册的独立法人单位" in zh
    en = _body(client, reverse("committee:winners"), "en")
    assert "Winners of the Chenzhou Mayor Quality Award" in en
    assert "Chenzhou Mayor Quality Award Office" in en.split('class="site-footer"', 1)[1]


@pytest.mark.parametrize(
    ("language", "office"), [("zh-hans", "某省质量奖平台评审办公室"), ("en", "Province Quality Portal Office")]
)
def test_site_wide_pages_use_the_sites_name(client, settings, cycle, language, office):
    settings.SITE_NAME_ZH, settings.SITE_NAME_EN = "某省质量奖平台", "Province Quality Portal"
    body = _body(client, reverse("login"), language)
    assert office in body.split('class="site-footer"', 1)[1]
    assert body.split('class="brand-text">', 1)[1].split("<", 1)[0] in ("某省质量奖平台", "Province Quality Portal")
    _no_chenzhou(body)


def test_an_enterprise_of_changsha_is_told_which_programmes_are_open_to_it(en, hunan_cycle):
    user = UserFactory()
    enterprise = changsha()
    MembershipFactory(enterprise=enterprise, user=user)
    body = en(user).get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert (
        f"Registered in Yuelu District: the enterprise may apply to the {HUNAN_EN}, "
        "not to the Chenzhou Mayor Quality Award" in body
    )


def test_an_enterprise_admitted_everywhere_gets_no_note(en, hunan_cycle, applicant_a, enterprise_a):
    body = en(applicant_a).get(reverse("enterprises:detail", args=[enterprise_a.pk])).content.decode()
    assert "may apply to" not in body and "no award programme" not in body


# --- mails ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "office", "organiser"),
    [
        ("zh-hans", "湖南省省长质量奖评审办公室", "湖南省人民政府"),
        ("en", "Hunan Governor Quality Award Office", "People's Government of Hunan Province"),
    ],
)
def test_a_mail_about_a_provincial_application_is_signed_by_its_office(
    hunan_cycle, django_capture_on_commit_callbacks, language, office, organiser
):
    user = UserFactory(preferred_language=language)
    application = ApplicationFactory(cycle=hunan_cycle, enterprise=changsha(), status=ApplicationStatus.PUBLIC_NOTICE)
    MembershipFactory(enterprise=application.enterprise, user=user)
    level = hunan_cycle.levels.get()
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(
            application=application,
            to_status=ApplicationStatus.AWARDED,
            by=None,
            system=True,
            extra_fields={"award_level": level, "record_level_zh": level.name_zh, "record_level_en": level.name_en},
            payload={"decree_number": "湘政函〔2027〕1号", "decree_date": "2027-01-20"},
        )
    sent = [m for m in mail.outbox if user.email in m.to]
    assert len(sent) == 1
    assert office in sent[0].body and organiser in sent[0].body
    _no_chenzhou(sent[0].subject + sent[0].body)


@pytest.mark.parametrize(
    ("language", "office"), [("zh-hans", "郴州市市长质量奖评审办公室"), ("en", "Chenzhou Mayor Quality Award Office")]
)
def test_a_mail_about_no_programme_is_signed_with_the_sites_name(django_capture_on_commit_callbacks, language, office):
    user = UserFactory(preferred_language=language)
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(template="welcome", to_user=user)
    assert office in mail.outbox[-1].body


def test_the_sites_name_follows_the_settings_in_account_mails(settings, django_capture_on_commit_callbacks):
    settings.SITE_NAME_ZH, settings.SITE_NAME_EN = "某省质量奖平台", "Province Quality Portal"
    user = UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue(template="welcome", to_user=user)
    sent = mail.outbox[-1]
    assert sent.subject == "Welcome to the Province Quality Portal system"
    assert "Your account for the Province Quality Portal system is ready" in sent.body
    assert "Province Quality Portal Office" in sent.body
    _no_chenzhou(sent.subject + sent.body)


def test_a_mail_queued_before_the_programme_words_reads_as_before():
    """Rows already in the outbox carry no programme: they are signed with the site's name."""
    rendered = mail_render(template="welcome", context={}, language="zh-hans", recipient=UserFactory())
    assert "郴州市市长质量奖评审办公室" in rendered.text
    assert OutboxMessage.objects.count() == 0


# --- committee PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "office"), [("zh-hans", "湖南省省长质量奖评审办公室"), ("en", "Hunan Governor Quality Award Office")]
)
def test_the_committee_report_is_signed_by_the_programmes_office(hunan_cycle, language, office):
    secretary = CycleMembershipFactory(cycle=hunan_cycle, role=CycleRole.SECRETARY).user
    committee_of(hunan_cycle, 7)
    nominated_application(hunan_cycle, enterprise=changsha(1))
    nominated_application(hunan_cycle, enterprise=changsha(2))
    meeting = schedule(hunan_cycle, secretary, place="省政府第一会议室")
    with translation.override(language):
        html = render_to_string("committee/pdf/report.html", {**report_context(meeting), "generated_at": None})
    assert office in html.split('class="foot"', 1)[1]
    _no_chenzhou(html)


def test_the_public_notice_mail_links_to_the_programmes_own_notice(hunan_cycle, django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="en")
    application = ApplicationFactory(cycle=hunan_cycle, enterprise=changsha(), status=ApplicationStatus.APPROVED)
    MembershipFactory(enterprise=application.enterprise, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_status=ApplicationStatus.PUBLIC_NOTICE, by=None, system=True)
    body = [m for m in mail.outbox if user.email in m.to][0].body
    assert f"{settings.SITE_URL}/hunan/notice/" in body


def test_the_public_notice_mail_of_the_default_programme_links_to_the_root(cycle, django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="en")
    application = ApplicationFactory(cycle=cycle, status=ApplicationStatus.APPROVED)
    MembershipFactory(enterprise=application.enterprise, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        application_transition(application=application, to_status=ApplicationStatus.PUBLIC_NOTICE, by=None, system=True)
    body = [m for m in mail.outbox if user.email in m.to][0].body
    assert f"{settings.SITE_URL}/notice/" in body
