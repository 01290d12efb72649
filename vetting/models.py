import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import OpinionAnswer, RecommendationDecision, RecordCategory
from core.scopes import scoped_manager

from .enums import InvitationResponse, SessionStatus


def _scan_path(instance, _filename: str) -> str:
    return f"recommendations/{instance.application_id}/{uuid.uuid4().hex}"


class Recommendation(models.Model):
    """推荐意见: a recommending body's decision on one submitted version, kept as made."""

    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="recommendations"
    )
    snapshot = models.ForeignKey(
        "awards.ApplicationSnapshot",
        verbose_name=_("submitted version seen"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    decision = models.CharField(_("decision"), max_length=20, choices=RecommendationDecision.choices)
    opinion = models.TextField(_("opinion"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="recommendations_made"
    )
    # The body as it was when it decided (a membership may change later).
    unit = models.CharField(_("recommending body"), max_length=200, blank=True)
    district = models.CharField(_("district or county"), max_length=6)
    decided_at = models.DateTimeField(_("decided"))
    scan = models.FileField(_("signed scan"), upload_to=_scan_path, max_length=200, blank=True)
    scan_name = models.CharField(_("file name"), max_length=200, blank=True)
    scan_mime = models.CharField(_("type"), max_length=50, blank=True)
    scan_size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    scan_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot"], name="uniq_recommendation_per_submission"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_decision_display()}"


def _evidence_path(instance, _filename: str) -> str:
    return f"opinions/{instance.application_id}/{uuid.uuid4().hex}"


class OpinionRequest(models.Model):
    """征求意见: the office asks one department whether it has a record on the enterprise.

    The answer and whether it disqualified are stored when given, never re-derived from the
    cycle's settings later."""

    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="opinion_requests"
    )
    department = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="opinion_requests",
    )
    unit = models.CharField(_("department"), max_length=200)
    deadline = models.DateField(_("answer by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"))
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=OpinionAnswer.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=RecordCategory.choices, blank=True)
    details = models.TextField(_("details"), blank=True)
    disqualifying = models.BooleanField(_("disqualifying"), default=False)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, max_length=200, blank=True)
    evidence_name = models.CharField(_("file name"), max_length=200, blank=True)
    evidence_mime = models.CharField(_("type"), max_length=50, blank=True)
    evidence_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("opinion request")
        verbose_name_plural = _("opinion requests")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "department"], name="uniq_opinion_per_department"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.unit}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


# --- 陈述答辩 presentation and defence ----------------------------------------------------------------


class PresentationSession(models.Model):
    """A sitting of the presentation panel: time, place, panel, and the applications heard in it."""

    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="presentation_sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    place = models.CharField(_("place"), max_length=200)
    is_public = models.BooleanField(
        _("open to the public"), default=False, help_text=_("An open session's schedule is shown on a public page.")
    )
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("panel"), related_name="presentation_sessions"
    )
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("presentation session")
        verbose_name_plural = _("presentation sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.place}"

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class PresentationSlot(models.Model):
    """One application scheduled in a session, with its invitation and the enterprise's answer."""

    session = models.ForeignKey(
        PresentationSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="slots"
    )
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="presentation_slots"
    )
    starts_at = models.DateTimeField(_("slot starts"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    response = models.CharField(
        _("answer"), max_length=12, choices=InvitationResponse.choices, default=InvitationResponse.PENDING
    )
    reschedule_reason = models.TextField(_("reason for rescheduling"), blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    objects = scoped_manager("session__cycle__programme")

    class Meta:
        verbose_name = _("presentation slot")
        verbose_name_plural = _("presentation slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="uniq_presentation_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.application}"

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.minutes)

    @property
    def confirmed(self) -> bool:
        return self.response == InvitationResponse.CONFIRMED


class PresentationNote(models.Model):
    """A question the panel asked about one GB/T 19580 category, and the enterprise's answer."""

    slot = models.ForeignKey(PresentationSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="notes")
    category = models.CharField(_("category"), max_length=10)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(_("recorded"))

    objects = scoped_manager("slot__session__cycle__programme")

    class Meta:
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        ordering = ["category", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.slot} · {self.category}"


class PresentationScore(models.Model):
    """One panel member's score of one presentation, with the scale and weight in force when given."""

    slot = models.ForeignKey(PresentationSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="scores")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("panel member"), on_delete=models.PROTECT)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"))
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    given_at = models.DateTimeField(_("given"))

    objects = scoped_manager("slot__session__cycle__programme")

    class Meta:
        verbose_name = _("presentation score")
        verbose_name_plural = _("presentation scores")
        ordering = ["slot", "by"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "by"], name="uniq_presentation_score_per_member"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=models.F("scale_max")),
                name="presentation_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.score}/{self.scale_max}"


class PresentationResult(models.Model):
    """The panel's presentation figure of one application, kept by the presentation services in the
    same transaction as every score written or removed, so that the ranking joins one row instead of
    aggregating the scores per application: the count of scores, the mean share of each score's own
    scale maximum, and the scale and weight stored with the latest score (the weight in force)."""

    application = models.OneToOneField(
        "awards.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="presentation_result",
    )
    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="presentation_results"
    )
    n = models.PositiveSmallIntegerField(_("scores"))
    fraction = models.DecimalField(_("mean share of the scale"), max_digits=20, decimal_places=10)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"))
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    updated_at = models.DateTimeField(_("updated"))

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("presentation result")
        verbose_name_plural = _("presentation results")

    def __str__(self) -> str:
        return f"{self.application_id} · {self.fraction} · {self.weight} %"
