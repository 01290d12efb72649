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


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")
    MATERIAL_REVIEW = "material_review", _("Material review")
    ONSITE_REVIEW = "onsite_review", _("On-site review")
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


class ApplicationAudit(models.TextChoices):
    """Audit actions of the application's content (status changes use AuditAction.TRANSITION)."""

    STARTED = "application.started", _("Application started")
    SECTION_SAVED = "application.section_saved", _("Application section saved")
    ATTACHMENT_ADDED = "application.attachment_added", _("Attachment added")
    ATTACHMENT_REMOVED = "application.attachment_removed", _("Attachment removed")
