import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.feedback import experts_of, reviewed_application

# Four applications, every expert giving the same percentage per category, so the panel's
# percentage is that figure (trimmed mean of five equal scores). Hand-computed below.
#            4.1  4.2  4.3  4.4  4.5  4.6  4.7
PERCENTS = {
    "a": [70, 40, 40, 40, 40, 40, 40],
    "b": [50, 30, 40, 30, 30, 30, 30],
    "c": [30, 20, 40, 20, 20, 20, 20],
    "d": [10, 10, 40, 10, 10, 10, 10],
}
CODES = ["4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7"]


@pytest.fixture
def experts(cycle):
    return experts_of(cycle)


@pytest.fixture
def leader(experts):
    return experts[0]  # panel_with makes the first expert the leader


@pytest.fixture
def small_cycle(cycle, experts, enterprise_a, applicant_a):
    cycle.public_notice_end = timezone.localdate() - dt.timedelta(days=2)
    cycle.save(update_fields=["public_notice_end"])
    apps = {}
    for key, values in PERCENTS.items():
        apps[key] = reviewed_application(
            cycle, experts, dict(zip(CODES, values)), enterprise=enterprise_a if key == "a" else None
        )
    return apps


@pytest.fixture
def app_a(small_cycle):
    return small_cycle["a"]
