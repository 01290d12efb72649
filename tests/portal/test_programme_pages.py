"""Each programme's public pages under /<slug>/: its own cycle, notice and winners; the root pages
show the default programme (settings.DEFAULT_PROGRAMME); /programmes/ lists them all."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleStatus
from committee.models import PublicNotice
from tests.factories.awards import ApplicationFactory, CycleFactory, ProgrammeFactory
from tests.factories.certificates import awarded_application, issued_certificate
from tests.factories.enterprises import EnterpriseFactory


@pytest.fixture
def hunan(db):
    return ProgrammeFactory(slug="hunan", name_zh="湖南省省长质量奖", name_en="Hunan Governor Quality Award")


@pytest.fixture
def hunan_cycle(hunan, cycle):
    # never Chenzhou's cycle's year (a factory sequence): the pages of one year must tell them apart
    return CycleFactory(
        programme=hunan,
        edition=1,
        year=cycle.year + 1,
        title_zh="首届湖南省省长质量奖",
        title_en="1st Hunan Governor Award",
    )


@pytest.fixture
def winners(cycle, hunan_cycle):
    """One winner in each programme."""
    return (
        awarded_application(cycle=cycle, enterprise=EnterpriseFactory(name_en="Chenzhou Winner Co.")),
        awarded_application(cycle=hunan_cycle, enterprise=EnterpriseFactory(name_en="Hunan Winner Co.")),
    )


def _get(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_the_programme_home_shows_its_own_cycle(client, cycle, hunan_cycle):
    body = _get(client, reverse("programme:home", args=["hunan"])).content.decode()
    assert hunan_cycle.title_en in body and "Hunan Governor Quality Award" in body
    assert cycle.title_en not in body


def test_the_root_home_shows_the_default_programme(client, cycle, hunan_cycle):
    body = _get(client, reverse("core:home")).content.decode()
    assert cycle.title_en in body and "Chenzhou Mayor Quality Award" in body
    assert hunan_cycle.title_en not in body


def test_the_default_programme_follows_the_setting(client, settings, cycle, hunan_cycle):
    settings.DEFAULT_PROGRAMME = "hunan"
    body = _get(client, reverse("core:home")).content.decode()
    assert hunan_cycle.title_en in body and cycle.title_en not in body


def test_winners_are_per_programme(client, winners):
    chenzhou_page = _get(client, reverse("committee:winners")).content.decode()
    hunan_page = _get(client, reverse("programme:winners", args=["hunan"])).content.decode()
    assert "Chenzhou Winner Co." in chenzhou_page and "Hunan Winner Co." not in chenzhou_page
    assert "Hunan Winner Co." in hunan_page and "Chenzhou Winner Co." not in hunan_page
    # The year links stay under the programme's address.
    assert reverse("programme:winners_year", args=["hunan", winners[1].cycle.year]) in hunan_page
    # The header names the programme whose page it is, also when the list comes from the cache.
    for _ in range(2):
        hunan_page = _get(client, reverse("programme:winners", args=["hunan"])).content.decode()
        brand = hunan_page.split('class="brand-text">', 1)[1].split("<", 1)[0]
        assert brand == "Hunan Governor Quality Award"
    assert "Hunan Governor Quality Award" in hunan_page.split("<title>", 1)[1].split("</title>", 1)[0]


def test_a_year_of_another_programme_is_404(client, winners):
    chenzhou_year = winners[0].cycle.year
    assert _get(client, reverse("programme:winners_year", args=["hunan", chenzhou_year])).status_code == 404
    assert _get(client, reverse("committee:winners_year", args=[chenzhou_year])).status_code == 200


@pytest.mark.parametrize("name", ["programme:home", "programme:notice", "programme:winners"])
def test_an_unknown_programme_is_404(client, db, name):
    assert _get(client, reverse(name, args=["nowhere"])).status_code == 404


def test_the_notice_is_per_programme(client, cycle, hunan_cycle, secretary):
    today = timezone.localdate()
    for c, name in ((cycle, "Chenzhou Candidate Co."), (hunan_cycle, "Hunan Candidate Co.")):
        c.status = CycleStatus.PUBLIC_NOTICE
        c.save(update_fields=["status"])
        notice = PublicNotice.objects.create(
            cycle=c, starts_on=today, ends_on=today + dt.timedelta(days=6), published_by=secretary
        )
        app = ApplicationFactory(
            cycle=c, status=ApplicationStatus.PUBLIC_NOTICE, enterprise=EnterpriseFactory(name_en=name)
        )
        notice.applications.add(app)
    hunan_page = _get(client, reverse("programme:notice", args=["hunan"])).content.decode()
    root_page = _get(client, reverse("committee:notice")).content.decode()
    assert "Hunan Candidate Co." in hunan_page and "Chenzhou Candidate Co." not in hunan_page
    assert "Chenzhou Candidate Co." in root_page and "Hunan Candidate Co." not in root_page
    year = _get(client, reverse("programme:notice_year", args=["hunan", hunan_cycle.year]))
    assert year.status_code == 200 and "Hunan Candidate Co." in year.content.decode()
    assert _get(client, reverse("programme:notice_year", args=["hunan", cycle.year])).status_code == 404


def test_the_province_index_lists_every_programme(client, cycle, hunan_cycle):
    response = _get(client, reverse("core:programmes"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hunan Governor Quality Award" in body and "Chenzhou Mayor Quality Award" in body
    assert reverse("programme:home", args=["hunan"]) in body and hunan_cycle.title_en in body


def test_verification_names_the_programme(client, hunan_cycle):
    certificate = issued_certificate(cycle=hunan_cycle)
    assert certificate.serial.startswith(f"{hunan_cycle.programme.certificate_prefix}-{hunan_cycle.year}-")
    body = _get(client, reverse("certificates:verify", args=[certificate.verification_code])).content.decode()
    assert "Hunan Governor Quality Award" in body


def test_the_certificate_carries_the_programmes_seal_and_issuer(hunan_cycle):
    from certificates.rendering import certificate_html

    html = certificate_html(issued_certificate(cycle=hunan_cycle, enterprise=EnterpriseFactory(name_zh="长沙甲公司")))
    assert "湖南省人民政府" in html and "郴州" not in html
    assert ">省</text>" in html and ">长</text>" in html  # the seal's characters, one by one


def test_a_programme_slug_cannot_shadow_a_site_page(client, db):
    """The root's pages win over /<slug>/ (and such a slug is refused, see tests/awards/test_programmes.py)."""
    assert _get(client, "/programmes/").status_code == 200


def test_the_office_dashboard_groups_cycles_by_programme(client_for, cycle, hunan_cycle, secretary, admin_user):
    body = client_for(admin_user).get(reverse("core:dashboard")).content.decode()
    assert body.count('class="programme-heading"') == 2
    assert body.index("郴州市市长质量奖 <span") < body.index(cycle.title_zh + " <span")
    assert body.index("湖南省省长质量奖 <span") < body.index(hunan_cycle.title_zh + " <span")
    own = client_for(secretary).get(reverse("core:dashboard")).content.decode()
    assert cycle.title_zh in own and hunan_cycle.title_zh not in own and "湖南省省长质量奖" not in own


def test_the_queue_names_the_programme_and_offers_only_the_secretarys_cycles(client_for, cycle, hunan_cycle, secretary):
    body = client_for(secretary).get(reverse("awards:queue")).content.decode()
    assert "郴州市市长质量奖" in body and hunan_cycle.title_zh not in body
    response = client_for(secretary).get(reverse("awards:queue"), {"cycle": hunan_cycle.pk})
    assert response.context["cycle"] == cycle  # another programme's cycle is not offered: the secretary's own


def test_the_committee_section_names_each_cycles_programme(client_for, cycle, hunan_cycle, admin_user):
    body = client_for(admin_user).get(reverse("core:dashboard")).content.decode()
    assert f'{cycle.title_zh}</a><br><span class="muted">郴州市市长质量奖</span>' in body
    assert f'{hunan_cycle.title_zh}</a><br><span class="muted">湖南省省长质量奖</span>' in body


def test_a_programmes_winners_page_from_the_cache_reads_no_programme(client, winners, admin_user):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from awards.models import AwardProgramme

    url = reverse("programme:winners", args=["hunan"])
    _get(client, url)
    with CaptureQueriesContext(connection) as kept:
        page = _get(client, url).content.decode()
    assert "Hunan Winner Co." in page and 'class="brand-text">Hunan Governor Quality Award<' in page
    assert not any("awards_awardprogramme" in q["sql"] for q in kept.captured_queries)
    assert len(kept) == 1  # the last recorded change, which keys the kept parts
    # A renamed programme (an admin edit is a recorded change) shows its new name at once.
    programme = AwardProgramme.objects.get(slug="hunan")
    programme.name_en = "Hunan Provincial Quality Award"
    programme.save(update_fields=["name_en"])
    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(AwardProgramme),
        object_id=str(programme.pk),
        object_repr=str(programme),
        action_flag=CHANGE,
    )
    assert 'class="brand-text">Hunan Provincial Quality Award<' in _get(client, url).content.decode()
    assert _get(client, reverse("programme:winners", args=["nowhere"])).status_code == 404
