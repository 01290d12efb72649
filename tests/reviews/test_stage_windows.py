"""A review round runs inside its stage's window: refused when set outside it (service and form,
the message next to the field), and a stage window may not move so that an existing round falls out."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from awards.enums import StageKind as K
from awards.models import AwardCycle, CycleStage
from awards.services import StagesRefused, cycle_stages_set
from awards.stages import StageSpec
from awards.workflow import DEFAULT_STAGES
from core.errors import NotAllowed
from reviews import services
from reviews.enums import RoundKind
from reviews.models import ReviewRound

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


CST = zoneinfo.ZoneInfo("Asia/Shanghai")


def _specs(**windows):
    """Today's stages, ten days apart, six days each; material review 2030-03-11 → 2030-03-16."""
    day, out = dt.date(2030, 3, 1), []
    for kind in DEFAULT_STAGES:
        starts, ends = windows.get(kind, (day, day + dt.timedelta(days=5)))
        out.append(StageSpec(kind, starts, ends))
        day += dt.timedelta(days=10)
    return out


@pytest.fixture
def staged(cycle, secretary):
    cycle_stages_set(cycle=cycle, stages=_specs(), by=secretary)
    return cycle


def at(day, hour=9):
    return dt.datetime(2030, 3, day, hour, tzinfo=CST)


def test_a_round_inside_its_stage_is_saved(staged, secretary):
    # The window's days are included: open the first day at 00:00, close the last day at 23:59 (CST).
    rnd = services.round_save(
        cycle=staged,
        kind=RoundKind.MATERIAL,
        opens_at=dt.datetime(2030, 3, 11, 0, 0, tzinfo=CST),
        closes_at=dt.datetime(2030, 3, 16, 23, 59, tzinfo=CST),
        by=secretary,
    )
    assert rnd.pk


@pytest.mark.parametrize(
    ("opens", "closes", "code", "message"),
    [
        (10, 14, "opens_outside_stage", "The “Material review” stage starts on 2030-03-11"),
        (12, 17, "closes_outside_stage", "The “Material review” stage ends on 2030-03-16"),
    ],
)
def test_a_round_outside_its_stage_is_refused_with_the_reason(staged, secretary, opens, closes, code, message):
    with pytest.raises(NotAllowed) as exc:
        services.round_save(
            cycle=staged, kind=RoundKind.MATERIAL, opens_at=at(opens), closes_at=at(closes), by=secretary
        )
    assert exc.value.code == code and message in exc.value.message
    assert not ReviewRound.objects.exists()


def test_a_round_just_after_midnight_utc_is_read_in_china_time(staged, secretary):
    # 2030-03-10 17:00 UTC is 2030-03-11 01:00 in Chenzhou: inside the window.
    services.round_save(
        cycle=staged,
        kind=RoundKind.MATERIAL,
        opens_at=dt.datetime(2030, 3, 10, 17, 0, tzinfo=dt.UTC),
        closes_at=at(15),
        by=secretary,
    )


def test_a_cycle_without_dated_stages_takes_any_round(cycle, secretary):
    services.round_save(cycle=cycle, kind=RoundKind.ONSITE, opens_at=at(1), closes_at=at(28), by=secretary)


def test_the_form_shows_the_reason_next_to_the_field(staged, secretary, client_for):
    c = client_for(secretary)
    url = reverse("reviews:round_edit", args=[staged.pk, RoundKind.MATERIAL])
    page = c.get(url).content.decode()
    assert "2030-03-11 → 2030-03-16" in page  # the stage's window, as help beside the field
    response = c.post(url, {"opens_at": "2030-03-12T09:00", "closes_at": "2030-03-20T17:00"})
    assert response.status_code == 200
    form = response.context["form"]
    # The page speaks the site's language, Chinese.
    assert form.errors["closes_at"] == ["“资料评审”阶段于 2030-03-16 结束：评审轮次不能晚于该日截止。"]
    assert "opens_at" not in form.errors and not ReviewRound.objects.exists()


def test_moving_a_stage_window_off_an_existing_round_is_refused(staged, secretary):
    services.round_save(cycle=staged, kind=RoundKind.MATERIAL, opens_at=at(11), closes_at=at(16, 17), by=secretary)
    AwardCycle.objects.filter(pk=staged.pk).update(receipts_issued=1)  # windows move with a reason
    shorter = _specs(**{K.MATERIAL_REVIEW: (dt.date(2030, 3, 11), dt.date(2030, 3, 15))})
    with pytest.raises(StagesRefused) as exc:
        cycle_stages_set(cycle=staged, stages=shorter, by=secretary, reason="专家时间冲突")
    (problem,) = exc.value.problems
    assert problem.index == list(DEFAULT_STAGES).index(K.MATERIAL_REVIEW)
    assert problem.message == (
        "The “Material review” round runs 2030-03-11 → 2030-03-16: the stage's window must include those days"
        " (move the round first)."
    )
    assert CycleStage.objects.get(cycle=staged, kind=K.MATERIAL_REVIEW).ends_on == dt.date(2030, 3, 16)
    # A move that still holds the round is taken, with its reason.
    longer = _specs(**{K.MATERIAL_REVIEW: (dt.date(2030, 3, 10), dt.date(2030, 3, 17))})
    cycle_stages_set(cycle=staged, stages=longer, by=secretary, reason="延长材料评审")
    assert CycleStage.objects.get(cycle=staged, kind=K.MATERIAL_REVIEW).ends_on == dt.date(2030, 3, 17)
