import datetime as dt

import pytest
from django.utils import timezone

from core.enums import AuditEventType
from core.models import AuditEvent
from tests.factories.enterprises import InvitationFactory


def test_invitation_admin_lists_filters_and_searches(client_for, admin_user, enterprise_a, enterprise_b):
    InvitationFactory(enterprise=enterprise_a, email="pending@example.cn")
    InvitationFactory(enterprise=enterprise_b, email="expired@example.cn", expires_at=timezone.now() - dt.timedelta(1))
    client = client_for(admin_user)
    page = client.get("/admin/enterprises/invitation/").content.decode()
    assert "pending@example.cn" in page and "expired@example.cn" in page
    page = client.get("/admin/enterprises/invitation/?status=expired").content.decode()
    assert "expired@example.cn" in page and "pending@example.cn" not in page
    page = client.get("/admin/enterprises/invitation/", {"q": enterprise_a.credit_code}).content.decode()
    assert "pending@example.cn" in page and "expired@example.cn" not in page


def test_invitation_admin_is_read_only_and_revokes_through_the_service(client_for, admin_user, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a)
    client = client_for(admin_user)
    assert client.get("/admin/enterprises/invitation/add/").status_code == 403
    change = client.get(f"/admin/enterprises/invitation/{invitation.pk}/change/").content.decode()
    assert 'name="email"' not in change and 'name="revoked_at"' not in change
    client.post("/admin/enterprises/invitation/", {"action": "revoke", "_selected_action": [invitation.pk]})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert AuditEvent.objects.filter(event=AuditEventType.INVITATION_REVOKED, actor=admin_user).exists()


def test_enterprise_admin_shows_invitations_inline(client_for, admin_user, enterprise_a):
    InvitationFactory(enterprise=enterprise_a, email="inline@example.cn")
    page = client_for(admin_user).get(f"/admin/enterprises/enterprise/{enterprise_a.pk}/change/").content.decode()
    assert "inline@example.cn" in page


def test_a_code_in_small_letters_is_stored_in_capitals_and_is_a_duplicate_of_the_same_code(db, enterprise_a):
    from django.core.exceptions import ValidationError

    from enterprises.models import Enterprise

    twin = Enterprise(
        credit_code=enterprise_a.credit_code.lower(),
        name_zh="重复",
        district=enterprise_a.district,
        industry=enterprise_a.industry,
        founded_on=enterprise_a.founded_on,
        employees=1,
        address="x",
        contact_name="x",
        contact_phone="1",
        contact_email="x@example.cn",
    )
    with pytest.raises(ValidationError) as exc:
        twin.full_clean()
    assert "credit_code" in exc.value.message_dict or "__all__" in exc.value.message_dict
    twin.credit_code = " " + enterprise_a.credit_code[:-1].lower() + "0 "
    twin.clean_fields(exclude=["credit_code"])
    assert twin.credit_code == twin.credit_code.strip().upper()


def test_enterprise_admin_filters_by_city(client_for, admin_user, enterprise_a):
    from enterprises.validators import credit_code_with_check
    from tests.factories.enterprises import EnterpriseFactory

    yuelu = EnterpriseFactory(credit_code=credit_code_with_check("91430104MA4Q0003"), district="430104")
    client = client_for(admin_user)
    page = client.get("/admin/enterprises/enterprise/", {"city": "430100"}).content.decode()
    assert yuelu.credit_code in page and enterprise_a.credit_code not in page
    page = client.get("/admin/enterprises/enterprise/", {"city": "431000"}).content.decode()
    assert enterprise_a.credit_code in page and yuelu.credit_code not in page
