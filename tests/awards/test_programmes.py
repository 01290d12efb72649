"""Award programmes: what their fields accept, the migration that created Chenzhou's, and what their
papers carry (receipt numbers, certificate serials, the seal and the issuer's lines)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from awards.models import AwardProgramme
from awards.programmes import division_admitted, reserved_slugs, validate_divisions, validate_programme_slug
from tests.factories.awards import ProgrammeFactory

BEFORE = [("awards", "0014_presentation_scale_and_weight")]
BACKFILL = [("awards", "0015_award_programmes")]
AFTER = [("awards", "0016_cycle_programme_required")]


@pytest.mark.parametrize("slug", ["admin", "static", "media", "accounts", "reviews", "vetting", "programmes"])
def test_a_slug_that_is_a_site_path_is_refused(slug):
    with pytest.raises(ValidationError) as exc:
        validate_programme_slug(slug)
    assert exc.value.code == "reserved"


def test_the_reserved_paths_come_from_the_url_conf():
    reserved = reserved_slugs()
    # First segments of config/urls.py and of the apps it includes at the root.
    assert {"admin", "accounts", "reviews", "vetting", "certificates"} <= reserved
    assert "hunan" not in reserved and "chenzhou" not in reserved


@pytest.mark.parametrize("slug", ["Hunan", "hu nan", "-hunan", "hunan-", "hu--nan", "湖南", ""])
def test_a_malformed_slug_is_refused(slug):
    with pytest.raises(ValidationError) as exc:
        validate_programme_slug(slug)
    assert exc.value.code == "invalid"


@pytest.mark.parametrize("slug", ["hunan", "yongxing-county", "xiangtan2"])
def test_a_good_slug_passes(slug):
    validate_programme_slug(slug)


@pytest.mark.parametrize("value", [[], ["4"], ["431"], ["4310021"], ["43a0"], [43], "43", None])
def test_divisions_must_be_2_4_or_6_digits(value):
    with pytest.raises(ValidationError):
        validate_divisions(value)


def test_division_prefixes_match_districts():
    assert division_admitted(["43"], "431002")
    assert division_admitted(["4310"], "431002")
    assert division_admitted(["431002"], "431002")
    assert not division_admitted(["431003"], "431002")
    assert not division_admitted(["4301"], "431002")
    assert division_admitted(["4301", "4310"], "431002")
    assert not division_admitted(["43"], "")


@pytest.mark.django_db
def test_full_clean_names_the_bad_fields():
    programme = ProgrammeFactory.build(slug="admin", divisions=["4"], receipt_prefix="cz-1")
    with pytest.raises(ValidationError) as exc:
        programme.full_clean()
    assert {"slug", "divisions", "receipt_prefix"} <= set(exc.value.message_dict)


def _cycle_values(framework_id, edition, year):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    return {
        "edition": edition,
        "year": year,
        "title_zh": f"第{edition}届",
        "title_en": f"Edition {edition}",
        "framework_id": framework_id,
        "applications_open_at": now,
        "applications_close_at": now + dt.timedelta(days=1),
    }


def _check_constraints_now():
    """The test runs in one transaction: PostgreSQL alters no table with deferred checks pending."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.django_db
def test_the_migration_creates_chenzhou_and_attaches_every_cycle(settings):
    """awards/0015 creates Chenzhou's programme with the values the code held until now and gives it
    every cycle that existed; 0016 then makes the programme required."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    framework = old.get_model("awards", "CriteriaFramework").objects.get(code="gbt19580-2012")
    Cycle = old.get_model("awards", "AwardCycle")
    ids = [Cycle.objects.create(**_cycle_values(framework.pk, e, 2090 + e)).pk for e in (1, 2)]
    _check_constraints_now()

    executor = MigrationExecutor(connection)
    executor.migrate(BACKFILL)
    new = executor.loader.project_state(BACKFILL).apps
    programme = new.get_model("awards", "AwardProgramme").objects.get()
    assert (programme.slug, programme.name_zh) == ("chenzhou", "郴州市市长质量奖")
    assert programme.organiser_zh == "郴州市人民政府"
    assert programme.divisions == ["4310"]
    assert (programme.receipt_prefix, programme.certificate_prefix) == ("CZMQA", "CZMQA")
    assert programme.seal_text == "郴州市市长质量奖评审委员会"
    cycles = new.get_model("awards", "AwardCycle").objects.filter(pk__in=ids)
    assert sorted(cycles.values_list("programme_id", flat=True)) == [programme.pk, programme.pk]

    _check_constraints_now()
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    assert AwardProgramme.objects.get(slug="chenzhou").cycles.filter(pk__in=ids).count() == 2


# --- the admin -----------------------------------------------------------------------------------

ADD = {
    "slug": "yongxing",
    "name_zh": "永兴县县长质量奖",
    "name_en": "Yongxing County Quality Award",
    "organiser_zh": "永兴县人民政府",
    "organiser_en": "Yongxing County People's Government",
    "divisions": '["431023"]',
    "seal_text": "永兴县县长质量奖评审委员会",
    "signature_zh": "评审委员会主任（签字）",
    "signature_en": "Chair of the Review Committee (signature)",
    "receipt_prefix": "YXQA",
    "certificate_prefix": "YXQA",
}


def test_the_admin_adds_a_programme(client_for, admin_user):
    response = client_for(admin_user).post("/admin/awards/awardprogramme/add/", ADD)
    assert response.status_code == 302
    assert AwardProgramme.objects.get(slug="yongxing").divisions == ["431023"]


@pytest.mark.parametrize(
    ("field", "value"), [("slug", "reviews"), ("slug", "Yong Xing"), ("divisions", '["4310231"]'), ("divisions", "[]")]
)
def test_the_admin_refuses_bad_input_next_to_the_field(client_for, admin_user, field, value):
    response = client_for(admin_user).post("/admin/awards/awardprogramme/add/", {**ADD, field: value})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not AwardProgramme.objects.filter(name_zh=ADD["name_zh"]).exists()


def test_the_prefixes_are_fixed_once_numbers_were_issued(client_for, admin_user, cycle):
    from awards.models import AwardCycle

    programme = cycle.programme
    url = f"/admin/awards/awardprogramme/{programme.pk}/change/"
    page = client_for(admin_user).get(url)
    assert page.status_code == 200 and "receipt_prefix" in page.context["adminform"].form.fields
    AwardCycle.objects.filter(pk=cycle.pk).update(receipts_issued=1)
    page = client_for(admin_user).get(url)
    assert "receipt_prefix" not in page.context["adminform"].form.fields
    assert "certificate_prefix" not in page.context["adminform"].form.fields


def test_the_admin_is_for_administrators(client_for, secretary):
    assert client_for(secretary).get("/admin/awards/awardprogramme/").status_code == 302


def test_an_opened_cycle_keeps_its_programme(client_for, admin_user, cycle):
    page = client_for(admin_user).get(f"/admin/awards/awardcycle/{cycle.pk}/change/")
    assert page.status_code == 200 and "programme" not in page.context["adminform"].form.fields
