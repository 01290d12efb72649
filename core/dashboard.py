"""Dashboard sections contributed by the apps.

Each entry is a dotted path to a function `(request) -> list[Section]`; it returns the sections its
app shows the signed-in user (none when the user has no role there). Apps add their entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

SECTION_PROVIDERS: list[str] = [
    "awards.dashboard.applicant_sections",
    "certificates.dashboard.enterprise_certificates",
    "enterprises.dashboard.sections",
    "reviews.dashboard.review_sections",
    "committee.dashboard.sections",
    "feedback.dashboard.enterprise_feedback",
    "feedback.dashboard.leader_feedback",
    "feedback.dashboard.office_feedback",
]


@dataclass
class Section:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def dashboard_sections(request) -> list[Section]:
    sections: list[Section] = []
    for dotted in SECTION_PROVIDERS:
        module, name = dotted.rsplit(".", 1)
        sections.extend(getattr(import_module(module), name)(request))
    return sections
