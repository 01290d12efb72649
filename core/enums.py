from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class AuditEventType(models.TextChoices):
    """Every event the audit log records: the one helper (`core.audit.audit_record`) refuses any other.

    Named `<thing>.<what happened>`; the label is what the dashboard and the admin show. A new event
    is a new member here (with its Chinese label in the catalogue), never a string in a payload.
    """

    # applications and their content (awards, printouts)
    APPLICATION_STARTED = "application.started", _("Application started")
    APPLICATION_SECTION_SAVED = "application.section_saved", _("Application section saved")
    APPLICATION_ATTACHMENT_ADDED = "application.attachment_added", _("Attachment added")
    APPLICATION_ATTACHMENT_REMOVED = "application.attachment_removed", _("Attachment removed")
    APPLICATION_STATUS_CHANGED = "application.status_changed", _("Application status changed")
    PRINTOUT_REQUESTED = "printout.requested", _("PDF of the application requested")
    # the award cycle
    CYCLE_STATUS_CHANGED = "cycle.status_changed", _("Cycle status changed")
    CYCLE_STAGES_SET = "cycle.stages_set", _("Stages of the cycle configured")
    CYCLE_STAGE_WINDOWS_MOVED = "cycle.stage_windows_moved", _("Stage windows moved")
    # people and enterprises
    USER_REGISTERED = "user.registered", _("User registered")
    USER_REGISTER_EXISTING = "user.register_existing", _("Registration tried with an existing address")
    USER_EMAIL_VERIFIED = "user.email_verified", _("E-mail address verified")
    TWOFACTOR_ENABLED = "twofactor.enabled", _("Two-factor log-in turned on")
    TWOFACTOR_RECOVERY_CODES = "twofactor.recovery_codes", _("New recovery codes made")
    TWOFACTOR_DISABLED = "twofactor.disabled", _("Two-factor log-in turned off")
    TWOFACTOR_RESET = "twofactor.reset", _("Two-factor log-in reset by an administrator")
    ENTERPRISE_REGISTERED = "enterprise.registered", _("Enterprise registered")
    ENTERPRISE_UPDATED = "enterprise.updated", _("Enterprise profile updated")
    NAME_CHANGE_REQUESTED = "enterprise.name_change_requested", _("Change of name requested")
    NAME_CHANGE_APPROVED = "enterprise.name_change_approved", _("Change of name approved")
    NAME_CHANGE_REFUSED = "enterprise.name_change_refused", _("Change of name refused")
    INVITATION_CREATED = "invitation.created", _("Colleague invited")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    MEMBER_REMOVED = "member.removed", _("Colleague removed from the enterprise")
    # vetting
    RECOMMENDATION_MADE = "recommendation.made", _("Recommendation made")
    OPINION_REQUESTED = "opinion.requested", _("Opinion of a department requested")
    OPINION_ANSWERED = "opinion.answered", _("Opinion of a department answered")
    PRESENTATION_SESSION_CREATED = "presentation.session_created", _("Presentation session created")
    PRESENTATION_SESSION_CHANGED = "presentation.session_changed", _("Presentation session changed")
    PRESENTATION_SCHEDULED = "presentation.scheduled", _("Presentation scheduled")
    PRESENTATION_MOVED = "presentation.moved", _("Presentation moved to another time")
    PRESENTATION_UNSCHEDULED = "presentation.unscheduled", _("Presentation removed from its session")
    PRESENTATION_INVITED = "presentation.invited", _("Enterprise invited to present")
    PRESENTATION_ANSWERED = "presentation.answered", _("Invitation to present answered")
    PRESENTATION_NOTE = "presentation.note", _("Presentation question and answer recorded")
    PRESENTATION_SCORED = "presentation.scored", _("Presentation scored")
    PRESENTATION_RESCORED = "presentation.rescored", _("Presentation score changed")
    PRESENTATION_OPENED = "presentation.opened", _("Presentation session opened")
    PRESENTATION_CLOSED = "presentation.closed", _("Presentation session closed")
    # reviews
    EXPERT_ACCOUNT_OPENED = "expert.account_opened", _("Account opened for an expert")
    EXPERT_INVITED = "expert.invited", _("Expert invited to the cycle")
    EXPERT_PROFILE_SAVED = "expert.profile_saved", _("Expert profile saved")
    EXPERT_RATED = "expert.rated", _("Expert rated")
    EXPERT_RERATED = "expert.rerated", _("Expert's rating changed")
    REVIEW_ROUND_SET = "review.round_set", _("Review round dates set")
    REVIEW_ASSIGNMENT = "review.assignment", _("Expert assigned")
    REVIEW_CONFLICT = "review.conflict", _("Conflict declared")
    SHEET_SUBMITTED = "review.sheet_submitted", _("Score sheet submitted")
    SHEET_REOPENED = "review.sheet_reopened", _("Score sheet reopened")
    CONSENSUS_RECORDED = "review.consensus", _("Consensus recorded")
    # site visits
    ONSITE_FLAG_SAVED = "onsite.flag_saved", _("Item flagged for the site visit")
    ONSITE_FLAG_REMOVED = "onsite.flag_removed", _("Item flag for the site visit removed")
    ONSITE_VISIT_OPENED = "onsite.visit_opened", _("Site visit opened")
    ONSITE_VISIT_DATES = "onsite.visit_dates", _("Site visit dates set")
    ONSITE_PLAN_ADDED = "onsite.plan_added", _("Site visit: plan entry added")
    ONSITE_PLAN_REMOVED = "onsite.plan_removed", _("Site visit: plan entry removed")
    ONSITE_ISSUE_ADDED = "onsite.issue_added", _("Site visit: issue added")
    ONSITE_LOG_ADDED = "onsite.log_added", _("Site visit: document or interview logged")
    ONSITE_CONSENSUS = "onsite.consensus", _("Site visit: team's finding recorded")
    ONSITE_VISIT_CLOSED = "onsite.visit_closed", _("Site visit closed")
    # the committee
    MEETING_SCHEDULED = "meeting.scheduled", _("Meeting scheduled")
    MEETING_AGENDA = "meeting.agenda", _("Meeting agenda changed")
    MEETING_INVITED = "meeting.invited", _("Committee members invited")
    MEETING_RESCHEDULED = "meeting.rescheduled", _("Meeting rescheduled")
    MEETING_CANCELLED = "meeting.cancelled", _("Meeting cancelled")
    MEETING_OPENED = "meeting.opened", _("Meeting opened")
    MEETING_ATTENDANCE = "meeting.attendance", _("Attendance recorded")
    MEETING_RANKS = "meeting.ranks", _("Candidates' rank order recorded")
    MEETING_REMARK = "meeting.remark", _("Remark recorded")
    MEETING_TIE_DECIDED = "meeting.tie_decided", _("Tie decided")
    MEETING_CLOSED = "meeting.closed", _("Meeting closed")
    MEETING_MINUTES_RENDERED = "meeting.minutes_rendered", _("Minutes rendered as PDF")
    MEETING_REPORT_RENDERED = "meeting.report_rendered", _("Report rendered as PDF")
    BALLOT_OPENED = "ballot.opened", _("Ballot opened")
    VOTE_CAST = "committee.vote", _("Vote cast")
    BALLOT_RECUSAL = "ballot.recusal", _("Member recused from a ballot")
    BALLOT_CLOSED = "ballot.closed", _("Ballot closed")
    NOTICE_PUBLISHED = "notice.published", _("Public notice published")
    NOTICE_PERIOD_CHANGED = "notice.period_changed", _("Period of the public notice changed")
    OBJECTION_LODGED = "objection.lodged", _("Objection lodged")
    OBJECTION_HANDLED = "objection.handled", _("Objection handled")
    WINNERS_CONFIRMED = "winners.confirmed", _("Winners confirmed")
    # feedback reports
    FEEDBACK_STARTED = "feedback.started", _("Feedback report started")
    FEEDBACK_SAVED = "feedback.saved", _("Feedback report saved")
    FEEDBACK_DRAFT = "feedback.draft", _("Feedback report returned to the panel leader")
    FEEDBACK_REVIEW = "feedback.review", _("Feedback report handed to the award office")
    FEEDBACK_APPROVED = "feedback.approved", _("Feedback report approved")
    FEEDBACK_RELEASED = "feedback.released", _("Feedback report released")
    FEEDBACK_SUPERSEDED = "feedback.superseded", _("Feedback report superseded")
    FEEDBACK_CORRECTION = "feedback.correction", _("Feedback report correction started")
    FEEDBACK_RELEASE_DATE = "feedback.release_date", _("Feedback report release date set")
    FEEDBACK_OPPORTUNITIES_ANSWERED = "feedback.opportunities_answered", _("Previous opportunities answered")
    # certificates
    CERTIFICATE_ISSUED = "certificate.issued", _("Certificate issued")
    CERTIFICATE_REISSUED = "certificate.reissued", _("Certificate issued again under the new name")
    CERTIFICATE_RETRY = "certificate.retry", _("Certificate rendering retried")
    CERTIFICATES_REGENERATE = "certificates.regenerate", _("Certificates regenerated")
    CERTIFICATES_REQUEUED = "certificates.requeued", _("Certificates queued again")
    CERTIFICATE_REVOKED = "certificate.revoked", _("Certificate revoked")
    # the system itself
    OUTBOX_RETRY = "outbox.retry", _("Failed message queued again")
    AUDIT_WITNESSED = "audit.witnessed", _("Head of the audit chain witnessed")


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
