import re
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.rules import allowed, require
from enterprises.rules import is_enterprise_member


def test_require_passes_a_permission_the_user_holds(secretary, cycle):
    require("awards.manage_cycle", secretary, cycle, "refused")
    assert allowed("awards.manage_cycle", secretary, cycle)


def test_require_refuses_with_the_message_given(applicant_a, cycle):
    with pytest.raises(PermissionDenied) as refused:
        require("awards.manage_cycle", applicant_a, cycle, "Only the award office.")
    assert str(refused.value) == "Only the award office."


def test_require_checks_a_predicate_with_the_user_and_the_object(applicant_a, applicant_b, enterprise_a):
    require(is_enterprise_member, applicant_a, enterprise_a)
    with pytest.raises(PermissionDenied):
        require(is_enterprise_member, applicant_b, enterprise_a)
    with pytest.raises(PermissionDenied):
        require(lambda _user, _obj: False, applicant_a, enterprise_a)


def test_nobody_may_do_anything_and_the_default_message_says_so(cycle):
    assert not allowed(lambda _user, _obj: True, None, cycle)
    with translation.override("en"), pytest.raises(PermissionDenied) as refused:
        require(lambda _user, _obj: True, None, cycle)
    assert str(refused.value) == "You may not do this."


def test_permission_names_get_no_superuser_shortcut(admin_user, cycle):
    # As the services checked before (`rules.has_perm`): an administrator acts through office roles.
    assert allowed("awards.manage_cycle", admin_user, cycle) == rules.has_perm("awards.manage_cycle", admin_user, cycle)


SERVICE_MODULES = sorted(
    p
    for p in Path(settings.BASE_DIR).glob("*/*services*.py")
    if p.parent.name not in {"core", "tests", ".venv"} and (p.parent / "apps.py").exists()
)


def test_the_scan_sees_the_service_modules():
    names = {f"{p.parent.name}/{p.name}" for p in SERVICE_MODULES}
    assert {"reviews/services.py", "committee/services.py", "feedback/services.py", "onsite/services.py"} <= names


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_services_outside_core_refuse_only_through_require(path):
    # One permission idiom: a service says `require(...)`; it never raises PermissionDenied itself.
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\braise\s+PermissionDenied\b", source)
