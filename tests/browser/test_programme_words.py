"""The provincial award's public pages in its own words (header, lead, eligibility, winners, footer),
in both languages and on a phone; the screenshots docs/screenshots/programme-*.png come from here."""

from awards.enums import CycleStatus
from awards.models import AwardLevel
from enterprises.validators import credit_code_with_check
from tests.factories.awards import CycleFactory, ProgrammeFactory
from tests.factories.certificates import awarded_application
from tests.factories.enterprises import EnterpriseFactory

from .conftest import axe_violations, screenshot, switch_language


def _hunan():
    programme = ProgrammeFactory(slug="hunan", name_zh="湖南省省长质量奖", name_en="Hunan Governor Quality Award")
    for year in (2024, 2025):
        cycle = CycleFactory(
            programme=programme,
            edition=year - 2023,
            year=year,
            title_zh=f"第{year - 2023}届湖南省省长质量奖",
            title_en=f"Hunan Governor Quality Award {year}",
            status=CycleStatus.CONCLUDED,
            local_division_prefix="43",
            levels=False,
        )
        AwardLevel.objects.create(
            cycle=cycle, code="mayor", name_zh="省长质量奖", name_en="Governor Quality Award", rank=1, quota=3
        )
        for i in range(2):
            awarded_application(
                cycle=cycle,
                enterprise=EnterpriseFactory(
                    credit_code=credit_code_with_check(f"91430104MA4{year % 100:02d}{i:03d}"),
                    name_zh=f"长沙{year}获奖企业{i}有限公司",
                    name_en=f"Changsha {year} Winner {i} Co., Ltd.",
                    district="430104",
                ),
            )
    return programme


def test_the_provincial_pages_speak_of_their_own_award(page):
    _hunan()
    page.goto(page.base + "/hunan/")
    assert page.locator("h1").inner_text() == "湖南省省长质量奖"
    assert "湖南省人民政府设立的质量领域最高荣誉" in page.content()
    assert "湖南省省长质量奖评审办公室" in page.locator("footer").inner_text()
    assert "郴州" not in page.content()
    assert axe_violations(page) == []
    screenshot(page, "programme-home-zh")
    switch_language(page, "English")
    assert "Hunan Governor Quality Award Office" in page.locator("footer").inner_text()
    assert "Chenzhou" not in page.content()
    screenshot(page, "programme-home-en")

    page.goto(page.base + "/hunan/winners/")
    assert page.locator("h1").inner_text() == "Winners of the Hunan Governor Quality Award"
    assert axe_violations(page) == []
    screenshot(page, "programme-winners-en")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "programme-winners-phone-en")
    page.goto(page.base + "/hunan/")
    screenshot(page, "programme-home-phone-en")
    switch_language(page, "中文")
    screenshot(page, "programme-home-phone-zh")
    page.goto(page.base + "/hunan/winners/")
    assert page.locator("h1").inner_text() == "湖南省省长质量奖获奖企业"
    assert "郴州" not in page.content()
    screenshot(page, "programme-winners-phone-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base + "/hunan/winners/")
    screenshot(page, "programme-winners-zh")
