"""Dashboard sections contributed by the apps.

Each provider is a function `(request) -> list[core.dashboard.Section]`; it returns the sections its
app shows the signed-in user (none when the user has no role there). Apps add their provider here.
"""

from __future__ import annotations

from awards.dashboard import applicant_sections
from certificates.dashboard import enterprise_certificates
from committee.dashboard import sections as committee_sections
from core.dashboard import Section
from enterprises.dashboard import sections as enterprise_sections
from feedback.dashboard import enterprise_feedback, leader_feedback, office_feedback
from reviews.dashboard import review_sections

SECTION_PROVIDERS = [
    applicant_sections,
    enterprise_certificates,
    enterprise_sections,
    review_sections,
    committee_sections,
    enterprise_feedback,
    leader_feedback,
    office_feedback,
]


def dashboard_sections(request) -> list[Section]:
    sections: list[Section] = []
    for provider in SECTION_PROVIDERS:
        sections.extend(provider(request))
    return sections
