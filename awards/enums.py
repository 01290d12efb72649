from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    PROCESS = "process", _("Process")
    RESULTS = "results", _("Results")


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    OPEN = "open", _("Open for applications")
    REVIEWING = "reviewing", _("Under review")
    DELIBERATION = "deliberation", _("Committee deliberation")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    CONCLUDED = "concluded", _("Concluded")


class PassBase(models.TextChoices):
    """What the pass fraction of a committee ballot is taken of."""

    PRESENT = "present", _("Members present and not recused")
    MEMBERS = "members", _("All members of the committee (not recused)")
    CAST = "cast", _("Votes cast")


class CycleRole(models.TextChoices):
    SECRETARY = "secretary", _("Award office secretary")
    EXPERT = "expert", _("Expert")
    COMMITTEE = "committee", _("Committee member")
    # 推荐单位: a district's (or a department's) market regulator, scoped by `CycleMembership.district`.
    RECOMMENDER = "recommender", _("Recommending body")
    # 征求意见: a department (environment, tax, ...) asked for its records; `CycleMembership.unit` names it.
    DEPARTMENT = "department", _("Consulted department")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECOMMENDED = "recommended", _("Recommended")
    RETURNED = "returned", _("Returned for revision")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    MATERIAL_REVIEW = "material_review", _("Material review")
    PRESENTATION = "presentation", _("Presentation and defence")
    ONSITE_REVIEW = "onsite_review", _("On-site review")
    SOCIAL_EVALUATION = "social_evaluation", _("Social evaluation")
    NOMINATED = "nominated", _("Nominated")
    APPROVED = "approved", _("Approved by the committee")
    NOT_APPROVED = "not_approved", _("Not approved")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    AWARDED = "awarded", _("Awarded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVOKED = "revoked", _("Revoked")


class Actor(models.TextChoices):
    """Who may make a transition. Admins may do whatever the secretary may."""

    APPLICANT = "applicant", _("Applicant")
    SECRETARY = "secretary", _("Secretary")
    RECOMMENDER = "recommender", _("Recommending body")
    DEPARTMENT = "department", _("Consulted department")


class AttachmentKind(models.TextChoices):
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    SELF_ASSESSMENT_REPORT = "self_assessment_report", _("Self-assessment report")
    AUDIT_REPORT = "audit_report", _("Audit report")
    MANAGEMENT_CERTIFICATE = "management_certificate", _("Management system certificate")
    QUALITY_CERTIFICATION = "quality_certification", _("Product or service quality certification")
    COMPLIANCE_CERTIFICATE = "compliance_certificate", _("Compliance certificate")
    DECLARATION_EVIDENCE = "declaration_evidence", _("Evidence for a declaration")
    OTHER = "other", _("Other (describe it)")


class EligibilityDecision(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    RETURNED = "returned", _("Return for revision")
    INELIGIBLE = "ineligible", _("Ineligible")


class StageKind(models.TextChoices):
    """The catalogue of stages a cycle chooses from, in the order the award rules usually run them."""

    RECOMMENDATION = "recommendation", _("Recommendation")
    ELIGIBILITY = "eligibility", _("Eligibility review")
    OPINIONS = "opinions", _("Department opinions")
    MATERIAL_REVIEW = "material_review", _("Material review")
    PRESENTATION = "presentation", _("Presentation and defence")
    ONSITE_REVIEW = "onsite_review", _("On-site review")
    SOCIAL_EVALUATION = "social_evaluation", _("Social evaluation")
    COMMITTEE = "committee", _("Committee deliberation")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    GOVERNMENT_APPROVAL = "government_approval", _("Government approval")


class DayCount(models.TextChoices):
    """How a period's length is counted."""

    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class RecordCategory(models.TextChoices):
    """What a consulted department may have on record about an enterprise (征求意见)."""

    SAFETY = "safety", _("Major production safety accident")
    QUALITY = "quality", _("Major quality incident")
    ENVIRONMENT = "environment", _("Environmental violation or penalty")
    TAX = "tax", _("Tax violation")
    LABOUR = "labour", _("Labour or social insurance violation")
    CREDIT = "credit", _("Serious dishonesty (失信) record")
    OTHER = "other", _("Other record")


# Unless the cycle says otherwise, any of these ends an application (一票否决).
DEFAULT_DISQUALIFYING = [c.value for c in RecordCategory if c != RecordCategory.OTHER]


def default_disqualifying() -> list[str]:
    return list(DEFAULT_DISQUALIFYING)


class OpinionAnswer(models.TextChoices):
    NO_RECORD = "no_record", _("No record")
    RECORD_FOUND = "record_found", _("Record found")


class RecommendationDecision(models.TextChoices):
    RECOMMENDED = "recommended", _("Recommend")
    DECLINED = "declined", _("Decline to recommend")
