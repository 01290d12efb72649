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
