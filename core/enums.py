from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class AuditAction(models.TextChoices):
    TRANSITION = "application.transition", _("Application status changed")
    ASSIGNMENT = "review.assignment", _("Expert assigned")
    CONFLICT = "review.conflict", _("Conflict declared")
    SCORE_SUBMITTED = "review.sheet_submitted", _("Score sheet submitted")
    SCORE_REOPENED = "review.sheet_reopened", _("Score sheet reopened")
    CONSENSUS = "review.consensus", _("Consensus recorded")
    VOTE = "committee.vote", _("Vote cast")
    DECISION = "decision", _("Decision recorded")
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
    MEMBERSHIP = "membership", _("Membership changed")
    OTHER = "other", _("Other")


# Events recorded as AuditAction.OTHER name what happened in their payload's "event"; the
# application's content events (awards.enums.ApplicationAudit) are their own actions. Both in words
# here, so that the dashboard and the admin never print a raw code such as "meeting.scheduled".
AUDIT_EVENT_LABELS = {
    "application.started": _("Application started"),
    "application.section_saved": _("Application section saved"),
    "application.attachment_added": _("Attachment added"),
    "application.attachment_removed": _("Attachment removed"),
    "ballot.opened": _("Ballot opened"),
    "certificate.retry": _("Certificate rendering retried"),
    "certificates.regenerate": _("Certificates regenerated"),
    "certificates.requeued": _("Certificates queued again"),
    "cycle.stages_set": _("Stages of the cycle configured"),
    "cycle.stage_windows_moved": _("Stage windows moved"),
    "enterprise.registered": _("Enterprise registered"),
    "feedback.started": _("Feedback report started"),
    "feedback.saved": _("Feedback report saved"),
    "feedback.draft": _("Feedback report returned to the panel leader"),
    "feedback.review": _("Feedback report handed to the award office"),
    "feedback.approved": _("Feedback report approved"),
    "feedback.released": _("Feedback report released"),
    "feedback.superseded": _("Feedback report superseded"),
    "feedback.correction": _("Feedback report correction started"),
    "feedback.release_date": _("Feedback report release date set"),
    "feedback.opportunities_answered": _("Previous opportunities answered"),
    "enterprise.updated": _("Enterprise profile updated"),
    "meeting.agenda": _("Meeting agenda changed"),
    "meeting.attendance": _("Attendance recorded"),
    "meeting.invited": _("Committee members invited"),
    "meeting.opened": _("Meeting opened"),
    "meeting.ranks": _("Candidates' rank order recorded"),
    "meeting.remark": _("Remark recorded"),
    "meeting.scheduled": _("Meeting scheduled"),
    "meeting.minutes_rendered": _("Minutes rendered as PDF"),
    "meeting.report_rendered": _("Report rendered as PDF"),
    "objection.lodged": _("Objection lodged"),
    "onsite.consensus": _("Site visit: team's finding recorded"),
    "onsite.flag_removed": _("Item flag for the site visit removed"),
    "onsite.flag_saved": _("Item flagged for the site visit"),
    "onsite.issue_added": _("Site visit: issue added"),
    "onsite.log_added": _("Site visit: document or interview logged"),
    "onsite.plan_added": _("Site visit: plan entry added"),
    "onsite.plan_removed": _("Site visit: plan entry removed"),
    "onsite.visit_closed": _("Site visit closed"),
    "onsite.visit_dates": _("Site visit dates set"),
    "onsite.visit_opened": _("Site visit opened"),
    "printout.requested": _("PDF of the application requested"),
    "user.email_verified": _("E-mail address verified"),
    "user.registered": _("User registered"),
}


class OutboxKind(models.TextChoices):
    MAIL = "mail", pgettext_lazy("outbox kind", "E-mail")
    TASK = "task", pgettext_lazy("outbox kind", "Task")


class OutboxStatus(models.TextChoices):
    PENDING = (
        "pending",
        pgettext_lazy("outbox status", "Pending"),
    )  # waiting for the broker (first try or a retry after backoff)
    QUEUED = "queued", pgettext_lazy("outbox status", "Queued")  # handed to the broker; a mail is not sent yet
    SENDING = "sending", pgettext_lazy("outbox status", "Sending")  # a worker holds the mail
    SENT = "sent", pgettext_lazy("outbox status", "Sent")
    FAILED = "failed", pgettext_lazy("outbox status", "Failed")  # gave up after the last attempt; the office may retry
