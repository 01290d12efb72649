"""Issue 3's whole journey, as one person would live it: register, verify the e-mail (read from the
test outbox), create the enterprise profile, fill every section, upload a PDF, submit and see the
receipt; the secretary returns it; the applicant fixes and resubmits; the secretary marks it eligible.

The steps reuse the journeys of the enterprise portal and of the application form.
"""

import datetime as dt

from django.core import mail
from django.utils import timezone

from awards.enums import ApplicationStatus
from awards.models import Application
from enterprises.models import Enterprise

from .conftest import login
from .test_application import (
    _no_serious_a11y,
    _open_section,
    _save,
    _submit_after_confirming,
    applicant_fills_and_submits,
)
from .test_registration import CODE, PASSWORD, link_in


def test_register_apply_return_resubmit_eligible(page, cycle, secretary):
    mail.outbox.clear()
    # Register and verify the address.
    page.goto(page.base + "/accounts/register/")
    page.get_by_label("电子邮箱").fill("zhao.min@example.cn")
    page.get_by_label("姓名").fill("赵敏")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/accounts/register/done/")
    page.goto(link_in(mail.outbox[0], "/accounts/verify/"))
    page.wait_for_load_state("load")
    # The link verified the address in a browser that is not logged in: log in to go on.
    assert "/accounts/login/" in page.url
    page.locator("input[name=username]").fill("zhao.min@example.cn")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/enterprise/new/")

    # Create the enterprise profile.
    form = page.locator("main form")
    form.get_by_label("统一社会信用代码").fill(CODE)
    form.get_by_label("中文名称").fill("郴州敏行新材料有限公司")
    form.get_by_label("英文名称").fill("Chenzhou Minxing New Materials Co., Ltd.")
    form.get_by_label("所在县市区").select_option("431002")  # the district the code names (431002)
    form.get_by_label("所属行业").select_option("C")
    form.get_by_label("成立日期").fill("2011-06-01")
    form.get_by_label("员工人数").fill("420")
    form.get_by_label("地址").fill("郴州市北湖区人民西路8号")
    form.locator("#id_contact_name").fill("赵敏")
    form.get_by_label("联系电话").fill("0735-2666666")
    form.get_by_label("联系邮箱").fill("quality@minxing.example.cn")
    form.get_by_role("button", name="创建档案").click()
    page.wait_for_load_state("load")
    enterprise = Enterprise.objects.get(credit_code=CODE)

    # Fill every section, upload a PDF and submit: the receipt is shown and e-mailed.
    pk = applicant_fills_and_submits(page, cycle=cycle, screenshots=False)
    app = Application.objects.get(pk=pk)
    assert app.enterprise == enterprise and app.status == ApplicationStatus.SUBMITTED
    page.goto(f"{page.base}/applications/{pk}/")
    assert app.receipt_number in page.content()
    assert any(app.receipt_number in m.body for m in mail.outbox)

    # The secretary returns it.
    login(page, secretary.email)
    page.goto(f"{page.base}/office/eligibility/{pk}/")
    page.locator("input[name=decision][value=returned]").check()
    page.locator("textarea[name=comment_results]").fill("请补充上一年度研发投入的口径说明。")
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    page.locator("input[name=resubmit_by]").fill(deadline)
    page.locator("form.decision-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Application.objects.get(pk=pk).status == ApplicationStatus.RETURNED

    # The applicant reads the comment, fixes the figure and resubmits.
    login(page, "zhao.min@example.cn", PASSWORD)
    page.goto(f"{page.base}/applications/{pk}/")
    assert "请补充上一年度研发投入的口径说明。" in page.content()
    _open_section(page, pk, "results")
    page.locator(f"input[name=rnd_{cycle.year - 1}]").fill("655")
    _save(page)
    page.goto(f"{page.base}/applications/{pk}/")
    _submit_after_confirming(page)
    assert Application.objects.get(pk=pk).status == ApplicationStatus.SUBMITTED

    # The secretary sees the change and marks it eligible; the applicant's dashboard says so.
    login(page, secretary.email)
    page.goto(f"{page.base}/office/eligibility/{pk}/")
    assert "655" in page.locator("table.diff-table").inner_text()
    page.locator("input[name=decision][value=eligible]").check()
    page.locator("form.decision-form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert Application.objects.get(pk=pk).status == ApplicationStatus.ELIGIBLE
    login(page, "zhao.min@example.cn", PASSWORD)
    page.goto(page.base + "/dashboard/")
    assert "资格审查通过" in page.content()
    _no_serious_a11y(page)
