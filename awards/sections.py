"""The application's sections: what each holds, when it is complete, the automatic eligibility checks,
the snapshot of a submission and the difference between two snapshots.

One place decides these things; forms, views, services, the secretary's page and the demo all use it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.text import join_list
from enterprises import divisions
from enterprises.enums import Industry

from . import scale
from .enums import ApplicationStatus, AttachmentKind

BASIC, ELIGIBILITY, SELF_ASSESSMENT, RESULTS, ATTACHMENTS, COMMITMENT = (
    "basic",
    "eligibility",
    "self_assessment",
    "results",
    "attachments",
    "commitment",
)
SECTION_TITLES = {
    BASIC: _("Basic information"),
    ELIGIBILITY: _("Eligibility declarations"),
    SELF_ASSESSMENT: _("Self-assessment"),
    RESULTS: _("Key results"),
    ATTACHMENTS: _("Attachments"),
    COMMITMENT: _("Commitment letter"),
}
SECTIONS = list(SECTION_TITLES)


def section_after(section: str) -> str | None:
    """The section that "save and continue" leads to, in the order of SECTIONS; None after the last
    one (the overview follows, with what is still missing)."""
    position = SECTIONS.index(section)
    return SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None


# Sections stored as a JSON field of the same name on Application.
SECTION_FIELDS = {
    BASIC: "basic_info",
    ELIGIBILITY: "declarations",
    SELF_ASSESSMENT: "self_assessment",
    RESULTS: "key_results",
    COMMITMENT: "commitment",
}
# Each section has its own version (Application.<column>_version): colleagues editing different
# sections never conflict; two saves of the same section from the same starting point do.
SECTION_VERSION_FIELDS = {section: f"{column}_version" for section, column in SECTION_FIELDS.items()}

# Basic information: key -> label. All required except the English name.
BASIC_FIELDS = {
    "name_zh": _("Chinese name"),
    "name_en": _("English name"),
    "credit_code": _("unified social credit code"),
    "district": _("district or county"),
    "industry": _("industry"),
    "founded_on": _("founding date"),
    "employees": _("employees"),
    "address": _("address"),
    "legal_representative": _("legal representative"),
    "contact_name": _("contact person"),
    "contact_phone": _("contact phone"),
    "contact_email": _("contact e-mail"),
    "main_business": _("main products and services"),
}
BASIC_OPTIONAL = {"name_en"}

# Eligibility declarations the enterprise makes (the other rules are computed).
DECLARATION_FIELDS = {
    "excellence_since": _("practising the performance excellence model since"),
    "excellence_note": _("how the model is practised"),
    "no_incident": _("no major quality, safety, environmental or public-health incident"),
    "incident_note": _("note on incidents"),
    "good_record": _("good tax and credit record, no serious failure in spot checks"),
    "record_note": _("note on the tax and credit record"),
}
DECLARATION_REQUIRED = ("excellence_since", "no_incident", "good_record")
# Declarations that may carry an evidence file.
EVIDENCE_KEYS = {
    "excellence": _("performance excellence practice"),
    "incident": _("incident record"),
    "record": _("tax and credit record"),
}

NARRATIVE_MIN = 200
NARRATIVE_RECOMMENDED = (1500, 3000)
NARRATIVE_MAX = 6000
SCORE_CHOICES = scale.PERCENTAGES
PROCESS_BANDS = scale.PROCESS_BANDS
RESULTS_BANDS = scale.RESULTS_BANDS


@dataclass(frozen=True)
class Metric:
    key: str
    label: Any
    unit: Any
    kind: str  # "money" (non-negative), "signed_money", "int", "percent"


METRICS = [
    Metric("revenue", _("Revenue"), _("10,000 yuan"), "money"),
    Metric("profit", _("Profit"), _("10,000 yuan"), "signed_money"),
    Metric("tax", _("Tax paid"), _("10,000 yuan"), "money"),
    Metric("rnd", _("R&D spending"), _("10,000 yuan"), "money"),
    Metric("employees", _("Employees"), _("people"), "int"),
    Metric("satisfaction", _("Customer satisfaction"), "%", "percent"),
    Metric("pass_rate", _("Product pass rate"), "%", "percent"),
]

REQUIRED_ATTACHMENTS = (AttachmentKind.BUSINESS_LICENCE, AttachmentKind.SELF_ASSESSMENT_REPORT)
UPLOAD_KINDS = [k for k in AttachmentKind if k != AttachmentKind.DECLARATION_EVIDENCE]


def result_years(cycle) -> list[int]:
    """The three years before the award year, oldest first."""
    return [cycle.year - 3, cycle.year - 2, cycle.year - 1]


def basic_from_profile(enterprise) -> dict[str, Any]:
    return {
        "name_zh": enterprise.name_zh,
        "name_en": enterprise.name_en,
        "credit_code": enterprise.credit_code,
        "district": enterprise.district,
        "industry": enterprise.industry,
        "founded_on": enterprise.founded_on.isoformat() if enterprise.founded_on else "",
        "employees": enterprise.employees,
        "address": enterprise.address,
        "legal_representative": "",
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "contact_email": enterprise.contact_email,
        "main_business": "",
    }


# The identity fields of the basic information: they come from the enterprise's registered profile and
# are never edited on the application (a change goes through a name change request, see enterprises).
IDENTITY_FIELDS = ("name_zh", "name_en", "credit_code")


def identity_from_profile(enterprise) -> dict[str, str]:
    return {"name_zh": enterprise.name_zh, "name_en": enterprise.name_en, "credit_code": enterprise.credit_code}


def names_of_record(enterprise) -> dict[str, str]:
    """The Application fields that freeze the enterprise's identity at submission."""
    return {
        "record_name_zh": enterprise.name_zh,
        "record_name_en": enterprise.name_en,
        "record_credit_code": enterprise.credit_code,
    }


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def full_years(since: dt.date | None, on: dt.date) -> int | None:
    if since is None:
        return None
    years = on.year - since.year - ((on.month, on.day) < (since.month, since.day))
    return max(years, 0)


def _filled(value) -> bool:
    return value not in (None, "", [], {})


# --- completeness ------------------------------------------------------------------------------


def missing_by_section(application, attachments=None, categories=None) -> dict[str, list[str]]:
    """For each section, what is still missing (empty list: complete)."""
    if attachments is None:
        attachments = list(application.attachments.filter(removed_at__isnull=True))
    if categories is None:
        categories = list(application.cycle.framework.categories.all())
    missing: dict[str, list[str]] = {s: [] for s in SECTIONS}
    basic = application.basic_info or {}
    for key, label in BASIC_FIELDS.items():
        if key not in BASIC_OPTIONAL and not _filled(basic.get(key)):
            missing[BASIC].append(str(label))
    decl = application.declarations or {}
    for key in DECLARATION_REQUIRED:
        if not _filled(decl.get(key)):
            missing[ELIGIBILITY].append(str(DECLARATION_FIELDS[key]))
    sa = application.self_assessment or {}
    for cat in categories:
        text = (sa.get(cat.code) or {}).get("narrative", "")
        if len(text.strip()) < NARRATIVE_MIN:
            missing[SELF_ASSESSMENT].append(
                str(_("%(code)s %(title)s: a narrative of at least %(n)d characters"))
                % {"code": cat.code, "title": cat.title, "n": NARRATIVE_MIN}
            )
    results = application.key_results or {}
    for year in result_years(application.cycle):
        row = results.get(str(year)) or {}
        empty = [str(m.label) for m in METRICS if not _filled(row.get(m.key))]
        if empty:
            missing[RESULTS].append(f"{year}: {', '.join(empty)}")
    kinds = {a.kind for a in attachments}
    for kind in REQUIRED_ATTACHMENTS:
        if kind not in kinds:
            missing[ATTACHMENTS].append(str(AttachmentKind(kind).label))
    com = application.commitment or {}
    for key, label in (
        ("name", _("name")),
        ("position", _("position")),
        ("date", _("date")),
        ("confirmed", _("confirmation of the truth of the material")),
    ):
        if not _filled(com.get(key)):
            missing[COMMITMENT].append(str(label))
    return missing


def section_changed(application, submitted: dict, section: str, attachments) -> bool:
    """Does the section as it stands differ from the submitted version `submitted` (snapshot data)?
    For the attachments: the set of files (by checksum) differs."""
    if section == ATTACHMENTS:
        before = {a["sha256"] for a in submitted.get(ATTACHMENTS) or []}
        return before != {a.sha256 for a in attachments}
    if section not in SECTION_FIELDS:
        return False
    return (getattr(application, SECTION_FIELDS[section]) or {}) != (submitted.get(section) or {})


# --- automatic eligibility checks ----------------------------------------------------------------


@dataclass
class Check:
    key: str
    label: str
    ok: bool | None  # None: cannot tell yet
    detail: str = ""


def cooling_off_wins(enterprise_id: int, cycle) -> list:
    """Awards of the enterprise within the cycle's cooling-off period, revoked ones included (a
    revocation for fraud does not shorten the wait)."""
    from .models import Application  # noqa: PLC0415 -- awards.models imports this module: avoid a circular import

    return list(
        Application.objects.filter(
            enterprise_id=enterprise_id,
            status__in=[ApplicationStatus.AWARDED, ApplicationStatus.REVOKED],
            cycle__year__gte=cycle.year - cycle.cooling_off_years,
            cycle__year__lt=cycle.year,
        ).select_related("cycle")
    )


def eligibility_checks(application, attachments=None, wins=None) -> list[Check]:
    """The rules of the cycle applied to the application as it stands; shown to both sides."""
    cycle = application.cycle
    basic = application.basic_info or {}
    decl = application.declarations or {}
    on = timezone.localdate()
    checks: list[Check] = []

    years = full_years(_date(basic.get("founded_on")), on)
    checks.append(
        Check(
            "years_in_operation",
            str(_("In operation for at least %(n)d years") % {"n": cycle.min_years_in_operation}),
            None if years is None else years >= cycle.min_years_in_operation,
            "" if years is None else str(_("%(n)d full years since the founding date") % {"n": years}),
        )
    )
    if cycle.require_local_registration:
        # The code of record (the registered enterprise's for a draft): validated, never typed on the form.
        code = (application.credit_code or basic.get("credit_code") or "").upper()
        division = code[2:8]
        checks.append(
            Check(
                "registered_in_city",
                str(
                    _("Registered in %(area)s (division code %(prefix)s…)")
                    % {"area": cycle.local_area_name, "prefix": cycle.local_division_prefix}
                ),
                division.startswith(cycle.local_division_prefix) if division else None,
                str(_("division code %(code)s") % {"code": division}) if division else "",
            )
        )
    ex_years = full_years(_date(decl.get("excellence_since")), on)
    checks.append(
        Check(
            "excellence_practice",
            str(
                _("Practising the performance excellence model for at least %(n)d years")
                % {"n": cycle.min_years_excellence_practice}
            ),
            None if ex_years is None else ex_years >= cycle.min_years_excellence_practice,
            "" if ex_years is None else str(_("declared: %(n)d full years") % {"n": ex_years}),
        )
    )
    for key, label in (
        ("no_incident", _("No major incident in the last %(n)d years") % {"n": cycle.incident_free_years}),
        ("good_record", _("Good tax and credit record")),
    ):
        value = decl.get(key)
        checks.append(
            Check(
                key,
                str(label),
                None if not value else value == "yes",
                {"yes": str(pgettext_lazy("eligibility check", "declared")), "no": str(_("declared NOT met"))}.get(
                    value, ""
                ),
            )
        )
    if wins is None:
        wins = cooling_off_wins(application.enterprise_id, cycle)
    checks.append(
        Check(
            "cooling_off",
            str(_("Not a winner in the last %(n)d years") % {"n": cycle.cooling_off_years}),
            not wins,
            join_list(str(_("won in %(year)d") % {"year": w.cycle.year}) for w in wins),
        )
    )
    if attachments is None:
        attachments = list(application.attachments.filter(removed_at__isnull=True))
    kinds = {a.kind for a in attachments}
    absent = [str(AttachmentKind(k).label) for k in REQUIRED_ATTACHMENTS if k not in kinds]
    checks.append(
        Check(
            "required_attachments",
            str(_("Required attachments present")),
            not absent,
            str(_("missing: %(list)s") % {"list": join_list(absent)}) if absent else "",
        )
    )
    return checks


# --- snapshots and their differences -------------------------------------------------------------


def snapshot_data(application, attachments) -> dict[str, Any]:
    """A JSON copy of everything submitted, including the profile as it was and file checksums."""
    ent = application.enterprise
    return {
        "cycle": {"id": application.cycle_id, "year": application.cycle.year, "edition": application.cycle.edition},
        "profile": {**basic_from_profile(ent), "legal_representative": None, "main_business": None},
        BASIC: {**(application.basic_info or {}), **identity_from_profile(ent)},
        ELIGIBILITY: dict(application.declarations or {}),
        SELF_ASSESSMENT: dict(application.self_assessment or {}),
        RESULTS: dict(application.key_results or {}),
        COMMITMENT: dict(application.commitment or {}),
        ATTACHMENTS: [a.as_metadata() for a in attachments],
        "checks": [c.__dict__ for c in eligibility_checks(application, attachments=attachments)],
    }


_TOKEN = re.compile(r"[A-Za-z0-9_']+|\s+|.", re.S)


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) runs: op is 'same', 'del' or 'ins'. Words for Latin script, characters for Chinese."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                runs.append(("del", "".join(a[i1:i2])))
            if j2 > j1:
                runs.append(("ins", "".join(b[j1:j2])))
    return runs


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any
    runs: list[tuple[str, str]] = field(default_factory=list)


def _fmt(value) -> str:
    if value is True:
        return "✓"
    if value in (None, False):
        return ""
    return str(value)


def snapshot_diff(old: dict, new: dict, categories) -> dict[str, list[FieldChange]]:
    """Per section, the fields that changed between two submitted versions."""
    changes: dict[str, list[FieldChange]] = {s: [] for s in SECTIONS}
    for section, labels in ((BASIC, BASIC_FIELDS), (ELIGIBILITY, DECLARATION_FIELDS)):
        o, n = old.get(section) or {}, new.get(section) or {}
        for key, label in labels.items():
            if _fmt(o.get(key)) != _fmt(n.get(key)):
                changes[section].append(FieldChange(str(label), _fmt(o.get(key)), _fmt(n.get(key))))
    o, n = old.get(SELF_ASSESSMENT) or {}, new.get(SELF_ASSESSMENT) or {}
    for cat in categories:
        oc, nc = o.get(cat.code) or {}, n.get(cat.code) or {}
        ot, nt = oc.get("narrative", ""), nc.get("narrative", "")
        if ot != nt:
            changes[SELF_ASSESSMENT].append(FieldChange(f"{cat.code} {cat.title}", ot, nt, text_diff(ot, nt)))
        for item in cat.items.all():
            os_, ns = (oc.get("scores") or {}).get(item.code), (nc.get("scores") or {}).get(item.code)
            if os_ != ns:
                label = f"{item.code} {item.title} · {_('self-score')}"
                changes[SELF_ASSESSMENT].append(FieldChange(label, _fmt(os_), _fmt(ns)))
    o, n = old.get(RESULTS) or {}, new.get(RESULTS) or {}
    for year in sorted(set(o) | set(n)):
        for m in METRICS:
            ov, nv = (o.get(year) or {}).get(m.key), (n.get(year) or {}).get(m.key)
            if _fmt(ov) != _fmt(nv):
                changes[RESULTS].append(FieldChange(f"{year} · {m.label} ({m.unit})", _fmt(ov), _fmt(nv)))
    o, n = old.get(COMMITMENT) or {}, new.get(COMMITMENT) or {}
    for key in ("name", "position", "date", "confirmed"):
        if _fmt(o.get(key)) != _fmt(n.get(key)):
            changes[COMMITMENT].append(FieldChange(key, _fmt(o.get(key)), _fmt(n.get(key))))
    old_files = {a["sha256"]: a for a in old.get(ATTACHMENTS) or []}
    new_files = {a["sha256"]: a for a in new.get(ATTACHMENTS) or []}
    for sha in old_files.keys() - new_files.keys():
        a = old_files[sha]
        changes[ATTACHMENTS].append(FieldChange(attachment_label(a), a["name"], ""))
    for sha in new_files.keys() - old_files.keys():
        a = new_files[sha]
        changes[ATTACHMENTS].append(FieldChange(attachment_label(a), "", a["name"]))
    return changes


def attachment_label(meta: dict) -> str:
    """A submitted file's kind in words (from its snapshot metadata); for "other", what it is."""
    label = str(AttachmentKind(meta["kind"]).label)
    return f"{label}: {meta['description']}" if meta.get("description") else label


def snapshot_view(data: dict, categories) -> dict[str, Any]:
    """A submitted version laid out for reading (labels in the reader's language)."""
    basic = data.get(BASIC) or {}
    labels = {"district": dict(divisions.county_choices()), "industry": dict(Industry.choices)}
    basic_rows = [
        (label, labels.get(key, {}).get(basic.get(key), basic.get(key))) for key, label in BASIC_FIELDS.items()
    ]
    decl = data.get(ELIGIBILITY) or {}
    answers = {"yes": _("Yes"), "no": _("No")}
    decl_rows = [(label, answers.get(decl.get(key), decl.get(key))) for key, label in DECLARATION_FIELDS.items()]
    sa = data.get(SELF_ASSESSMENT) or {}
    sa_rows = []
    for cat in categories:
        entry = sa.get(cat.code) or {}
        scores = entry.get("scores") or {}
        items = [(f"{i.code} {i.title}", scores.get(i.code)) for i in cat.items.all()]
        sa_rows.append((f"{cat.code} {cat.title}", entry.get("narrative", ""), items))
    results = data.get(RESULTS) or {}
    years = sorted(results) or [str(y) for y in range(data["cycle"]["year"] - 3, data["cycle"]["year"])]
    result_rows = [(m.label, m.unit, [(results.get(y) or {}).get(m.key, "") for y in years]) for m in METRICS]
    files = [
        {
            **a,
            "kind_label": attachment_label(a),
            "evidence_for": EVIDENCE_KEYS.get(a.get("declaration"), ""),
        }
        for a in data.get(ATTACHMENTS) or []
    ]
    return {
        "basic": basic_rows,
        "declarations": decl_rows,
        "self_assessment": sa_rows,
        "years": years,
        "results": result_rows,
        "commitment": data.get(COMMITMENT) or {},
        "attachments": files,
        "checks": data.get("checks") or [],
    }
