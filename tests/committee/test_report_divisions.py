"""The meeting report's statistics by city and by district, named from the division data."""

import pytest
from django.urls import reverse
from django.utils import translation

from committee import selectors
from enterprises.validators import credit_code_with_check
from tests.factories.committee import nominated_application
from tests.factories.enterprises import EnterpriseFactory


def _in(cycle, district: str, n: int):
    for i in range(n):
        code = credit_code_with_check(f"91{district}MA4D{i:04d}")
        nominated_application(cycle, enterprise=EnterpriseFactory(credit_code=code, district=district))


def test_the_breakdown_names_cities_and_districts_from_the_data(meeting, cycle):
    # enterprises A and B (both Beihu District, Chenzhou) are on the agenda; add Zixing and Yuelu.
    _in(cycle, "431081", 2)
    _in(cycle, "430104", 1)
    with translation.override("zh-hans"):
        zh = selectors.cycle_breakdown(cycle)
    with translation.override("en"):
        en = selectors.cycle_breakdown(cycle)
    assert zh["city"] == [("长沙市", 1), ("郴州市", 4)]
    assert zh["district"] == [("岳麓区", 1), ("北湖区", 2), ("资兴市", 2)]
    assert en["city"] == [("Changsha City", 1), ("Chenzhou City", 4)]
    assert en["district"] == [("Yuelu District", 1), ("Beihu District", 2), ("Zixing City", 2)]


def test_the_report_page_shows_the_city_chart_and_district_names(meeting, cycle, committee_member, client_for):
    _in(cycle, "430104", 1)
    client = client_for(committee_member)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("committee:report", args=[meeting.pk])).content.decode()
    assert "By city" in page and 'data-chart="city"' in page
    assert "<td>Changsha City</td>" in page and "<td>Chenzhou City</td>" in page
    assert "<td>Yuelu District</td>" in page and "<td>Beihu District</td>" in page


@pytest.fixture
def longshan(cycle):
    """A nominee from Longshan County (Xiangxi), nominated before the meeting is scheduled."""
    _in(cycle, "433130", 1)


def test_the_nominee_list_names_the_district_from_the_data(cycle, longshan, meeting):
    with translation.override("en"):
        labels = {b.application.enterprise.district: b.district_label for b in selectors.report_nominees(meeting)}
    assert labels["433130"] == "Longshan County"
    assert labels["431002"] == "Beihu District"
