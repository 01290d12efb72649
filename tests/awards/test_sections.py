"""Completeness, automatic eligibility checks and snapshot differences."""

import datetime as dt

from awards import sections
from awards.enums import ApplicationStatus
from tests.factories.awards import ApplicationFactory, CycleFactory, complete_content
from tests.factories.enterprises import EnterpriseFactory


def _checks(app):
    return {c.key: c for c in sections.eligibility_checks(app, attachments=[])}


def test_empty_application_misses_every_section(application_a):
    missing = sections.missing_by_section(application_a)
    assert all(missing[s] for s in sections.SECTIONS)
    assert len(missing[sections.SELF_ASSESSMENT]) == 7  # one per category of GB/T 19580-2012


def test_complete_content_has_nothing_missing_but_files(application_a):
    for section, data in complete_content(application_a).items():
        setattr(application_a, sections.SECTION_FIELDS[section], data)
    missing = sections.missing_by_section(application_a, attachments=[])
    assert [s for s in sections.SECTIONS if missing[s]] == [sections.ATTACHMENTS]


def test_years_in_operation_boundary(application_a):
    today = dt.date.today()
    application_a.basic_info = {"founded_on": today.replace(year=today.year - 3).isoformat()}
    assert _checks(application_a)["years_in_operation"].ok is True
    application_a.basic_info = {"founded_on": (today.replace(year=today.year - 3) + dt.timedelta(days=1)).isoformat()}
    assert _checks(application_a)["years_in_operation"].ok is False
    application_a.basic_info = {}
    assert _checks(application_a)["years_in_operation"].ok is None


def test_registration_outside_the_city_is_judged_on_the_registered_code(application_a):
    local = application_a.enterprise.credit_code
    # What is typed into the form does not change the registered enterprise's code.
    application_a.basic_info = {"credit_code": "91110000802100433B"}  # Beijing
    assert _checks(application_a)["registered_in_city"].ok is True
    application_a.enterprise.credit_code = "91110000802100433B"
    application_a.basic_info = {"credit_code": local}
    assert _checks(application_a)["registered_in_city"].ok is False


def test_declarations(application_a):
    application_a.declarations = {"no_incident": "no", "good_record": "yes", "excellence_since": "2024-01-01"}
    checks = _checks(application_a)
    assert checks["no_incident"].ok is False and checks["good_record"].ok is True
    assert checks["excellence_practice"].ok is (dt.date.today() >= dt.date(2026, 1, 1))


def test_cooling_off_counts_awards_within_the_period(cycle, enterprise_a):
    recent = CycleFactory(year=cycle.year - 3)
    old = CycleFactory(year=cycle.year - 6)
    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    ApplicationFactory(cycle=old, enterprise=enterprise_a, status=ApplicationStatus.AWARDED)
    assert _checks(app)["cooling_off"].ok is True
    ApplicationFactory(cycle=recent, enterprise=enterprise_a, status=ApplicationStatus.AWARDED)
    check = _checks(app)["cooling_off"]
    assert check.ok is False and str(recent.year) in check.detail
    other = ApplicationFactory(cycle=cycle, enterprise=EnterpriseFactory())
    assert _checks(other)["cooling_off"].ok is True


def test_a_revoked_award_still_counts_for_the_cooling_off(cycle, enterprise_a):
    recent = CycleFactory(year=cycle.year - 2)
    ApplicationFactory(cycle=recent, enterprise=enterprise_a, status=ApplicationStatus.REVOKED)
    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    assert _checks(app)["cooling_off"].ok is False


def test_text_diff_words_and_characters():
    runs = sections.text_diff("质量第一 quality first", "质量至上 quality always first")
    assert ("del", "第一") in runs and ("ins", "至上") in runs
    assert ("ins", "always ") in runs or ("ins", "always") in runs


def test_snapshot_diff_field_by_field(application_a):
    cats = list(application_a.cycle.framework.categories.prefetch_related("items"))
    old = {sections.BASIC: {"address": "旧地址"}, sections.RESULTS: {"2025": {"rnd": "1"}}, sections.ATTACHMENTS: []}
    new = {
        sections.BASIC: {"address": "新地址"},
        sections.RESULTS: {"2025": {"rnd": "2"}},
        sections.ATTACHMENTS: [{"sha256": "a" * 64, "kind": "other", "name": "x.pdf"}],
    }
    diff = sections.snapshot_diff(old, new, cats)
    assert [(c.old, c.new) for c in diff[sections.BASIC]] == [("旧地址", "新地址")]
    assert [(c.old, c.new) for c in diff[sections.RESULTS]] == [("1", "2")]
    assert [(c.old, c.new) for c in diff[sections.ATTACHMENTS]] == [("", "x.pdf")]
    assert not diff[sections.SELF_ASSESSMENT]
