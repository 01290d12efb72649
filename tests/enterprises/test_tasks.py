"""The registration and invitation e-mails, rendered and sent by a real Celery worker process."""

import pytest

from core.tasks import send_templated_mail
from tests.factories.core import UserFactory
from tests.worker import celery_worker_process  # noqa: F401


@pytest.mark.worker
def test_a_real_worker_sends_the_verification_and_invitation_mails(celery_worker_process):  # noqa: F811
    user = UserFactory(email="worker@example.cn", preferred_language="en", email_verified=False)
    verification = send_templated_mail.delay(
        template="verify_email", context={"link": "http://x/accounts/verify/t/", "hours": 72}, user_id=user.pk
    )
    invitation = send_templated_mail.delay(
        template="enterprise_invitation",
        context={
            "link": "http://x/invitation/t/",
            "enterprise": "郴州甲企业",
            "inviter": "王芳",
            "role": "editor",
            "expires": "2026-12-06 10:00",
        },
        email="colleague@example.cn",
        language="zh-hans",
    )
    try:
        assert verification.get(timeout=90) == "worker@example.cn"
        assert invitation.get(timeout=90) == "colleague@example.cn"
    except Exception:
        print(celery_worker_process.output())
        raise
