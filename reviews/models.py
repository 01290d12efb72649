"""Expert review: the expert pool, rounds, panels, conflict declarations, score sheets, consensus."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scopes import scoped_manager
from enterprises import divisions
from enterprises.validators import validate_credit_code

from .enums import RATING_CHOICES, AssignmentStatus, RaterRole, RoundKind, SheetStatus
from .scoring import PERCENT_CHOICES


class ExpertProfile(models.Model):
    """An expert in the pool: what the award office must know to avoid conflicts and match panels."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="expert_profile"
    )
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    employer_credit_code = models.CharField(
        _("employer's credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("The unified social credit code of the employer, where it has one."),
    )
    industries = models.JSONField(_("fields of expertise (industries)"), default=list, blank=True)
    district = models.CharField(_("district or county"), max_length=6, choices=divisions.district_choices, blank=True)
    # Deadlines in the expert's e-mails are written in this zone (pages show China Standard Time).
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")
        ordering = ["user__email"]

    def __str__(self) -> str:
        return str(self.user)

    def get_district_display(self) -> str:
        # From the division data in O(1) (Django's version flattens all 122 choices per call).
        return divisions.name(self.district)


class PastClient(models.Model):
    """A past consulting client the expert declared: never assigned to review it."""

    profile = models.ForeignKey(
        ExpertProfile, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="past_clients"
    )
    name = models.CharField(_("client name"), max_length=200)
    credit_code = models.CharField(_("client's credit code"), max_length=18, validators=[validate_credit_code])

    class Meta:
        verbose_name = _("past consulting client")
        verbose_name_plural = _("past consulting clients")
        ordering = ["profile", "name"]
        constraints = [models.UniqueConstraint(fields=["profile", "credit_code"], name="uniq_past_client")]

    def __str__(self) -> str:
        return f"{self.name} ({self.credit_code})"


class DeclaredConflict(models.Model):
    """An expert's declared conflict of interest with an enterprise (from a declaration or in advance)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="declared_conflicts"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        ordering = ["-declared_at"]
        constraints = [models.UniqueConstraint(fields=["expert", "enterprise"], name="uniq_declared_conflict")]

    def __str__(self) -> str:
        return f"{self.expert} ↔ {self.enterprise}"


class ReviewRound(models.Model):
    """Material or on-site review of one cycle, with its scoring window."""

    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="review_rounds"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    opens_at = models.DateTimeField(_("scoring opens"))
    closes_at = models.DateTimeField(_("scoring closes"))

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["cycle", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="uniq_round_kind"),
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="round_window_order"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_kind_display()}"

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at


class Panel(models.Model):
    """The experts who score one application in one round (评审组)."""

    round = models.ForeignKey(ReviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="panels")
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.CASCADE, related_name="panels"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager("round__cycle__programme")

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        ordering = ["round", "application__enterprise__name_zh"]
        constraints = [models.UniqueConstraint(fields=["round", "application"], name="uniq_panel")]

    def __str__(self) -> str:
        return f"{self.application.display_name} · {self.round.get_kind_display()}"


class Assignment(models.Model):
    """One expert on one panel. A declared conflict releases it (the row stays, for the record)."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="review_assignments"
    )
    is_leader = models.BooleanField(_("panel leader"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    conflict_reason = models.TextField(_("conflict reason"), blank=True)
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)

    objects = scoped_manager("panel__round__cycle__programme")

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["panel", "-is_leader", "expert__email"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "expert"], name="uniq_assignment"),
            models.UniqueConstraint(
                fields=["panel"],
                condition=models.Q(is_leader=True) & ~models.Q(status="conflict"),
                name="one_leader_per_panel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.panel}"


class ScoreSheet(models.Model):
    """An expert's scores for one application in one round (评分表)."""

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="sheet"
    )
    status = models.CharField(_("status"), max_length=10, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    overall_comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager("assignment__panel__round__cycle__programme")

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")

    def __str__(self) -> str:
        return str(self.assignment)


class ItemScore(models.Model):
    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey("awards.CriteriaItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("percentage"), choices=PERCENT_CHOICES)

    objects = scoped_manager("sheet__assignment__panel__round__cycle__programme")

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="uniq_item_score"),
            models.CheckConstraint(condition=models.Q(percent__in=range(0, 101, 5)), name="item_score_step"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.percent} %"


class CategoryFeedback(models.Model):
    """Per category: the strengths and opportunities for improvement the enterprise will read."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE, related_name="feedback"
    )
    category = models.ForeignKey(
        "awards.CriteriaCategory", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(_("strengths"), blank=True)
    opportunities = models.TextField(_("opportunities for improvement"), blank=True)

    objects = scoped_manager("sheet__assignment__panel__round__cycle__programme")

    class Meta:
        verbose_name = _("category feedback")
        verbose_name_plural = _("category feedback")
        constraints = [models.UniqueConstraint(fields=["sheet", "category"], name="uniq_category_feedback")]

    def __str__(self) -> str:
        return f"{self.category.code} · {self.sheet}"


class Consensus(models.Model):
    """The panel's agreed score for an item whose experts disagreed strongly."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="consensus")
    item = models.ForeignKey("awards.CriteriaItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(_("consensus percentage"), choices=PERCENT_CHOICES)
    rationale = models.TextField(_("rationale"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = scoped_manager("panel__round__cycle__programme")

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [
            models.UniqueConstraint(fields=["panel", "item"], name="uniq_consensus"),
            models.CheckConstraint(condition=models.Q(percent__in=range(0, 101, 5)), name="consensus_step"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.percent} % · {self.panel}"


class ExpertRating(models.Model):
    """After a round, the panel leader's or the award office's rating of one expert's work (1–5)."""

    round = models.ForeignKey(ReviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="ratings")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.CASCADE, related_name="ratings_received"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rated by"), on_delete=models.PROTECT, related_name="ratings_given"
    )
    rater_role = models.CharField(_("rated as"), max_length=10, choices=RaterRole.choices)
    timeliness = models.PositiveSmallIntegerField(_("timeliness"), choices=RATING_CHOICES)
    comments = models.PositiveSmallIntegerField(_("quality of comments"), choices=RATING_CHOICES)
    conduct = models.PositiveSmallIntegerField(_("conduct"), choices=RATING_CHOICES)
    note = models.TextField(_("note"), blank=True)
    rated_at = models.DateTimeField(_("rated"), default=timezone.now)

    objects = scoped_manager("round__cycle__programme")

    class Meta:
        verbose_name = _("expert rating")
        verbose_name_plural = _("expert ratings")
        ordering = ["-rated_at"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert", "rated_by"], name="uniq_expert_rating"),
            models.CheckConstraint(
                condition=models.Q(timeliness__range=(1, 5), comments__range=(1, 5), conduct__range=(1, 5)),
                name="expert_rating_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.round} · {self.rated_by}"


class PanelScore(models.Model):
    """A panel's score as stored when its inputs change (a sheet submitted or reopened, a consensus
    recorded; `reviews.panel_scores.refresh`): what the ranking sorts by and the committee reads.

    Per category the sum of the panel's item points (`scoring.panel_points`: the consensus where
    recorded, else the trimmed mean of the submitted sheets, to the cent per item), keyed by the
    category code; and each counted sheet's total (`scoring.expert_total`). A panel without any
    submitted sheet has no row.
    """

    panel = models.OneToOneField(Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="score")
    # The panel's application and round kind, copied when the row is written, so that the ranking
    # finds an application's score per round in one index (with the figures it sorts by) instead of
    # joining panel and round for every application of the cycle.
    application = models.ForeignKey(
        "awards.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="panel_scores",
        db_index=False,
    )
    kind = models.CharField(_("round"), max_length=10, choices=RoundKind.choices)
    total = models.DecimalField(_("panel score"), max_digits=9, decimal_places=2)
    results = models.DecimalField(_("results categories"), max_digits=9, decimal_places=2)
    categories = models.JSONField(_("points per category"), default=dict)
    items_scored = models.PositiveSmallIntegerField(_("items scored"))
    # Each counted sheet's own total: {expert id: [points, items scored]} (the experts' agreement).
    expert_totals = models.JSONField(_("experts' totals"), default=dict)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("panel score")
        verbose_name_plural = _("panel scores")
        indexes = [models.Index(fields=["-total"], name="panel_score_total")]
        constraints = [
            # One panel per application and round: the ranking joins on it, with what it sorts by.
            models.UniqueConstraint(
                fields=["application", "kind"], include=["total", "results"], name="panel_score_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel}: {self.total}"


class RankingDecision(models.Model):
    """A decision from the ranking as it was made (shortlisting for on-site review after the material
    round, nomination for the committee after the on-site round): per application its rank, its
    panel scores, the presentation weight counted and the score decided on. Written by
    `reviews.services.ranking_decide`; the pages and PDFs that show the decision read this row, not
    a ranking recomputed later."""

    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="ranking_decisions"
    )
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("application"), on_delete=models.CASCADE, related_name="ranking_decisions"
    )
    kind = models.CharField(_("round"), max_length=10, choices=RoundKind.choices)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    material = models.DecimalField(_("material review"), max_digits=9, decimal_places=2, null=True, blank=True)
    onsite = models.DecimalField(_("on-site review"), max_digits=9, decimal_places=2, null=True, blank=True)
    combined = models.DecimalField(_("combined"), max_digits=9, decimal_places=2, null=True, blank=True)
    panel_score = models.DecimalField(_("panel score"), max_digits=9, decimal_places=2, null=True, blank=True)
    presentation_mean = models.DecimalField(
        _("presentation score"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    presentation_scale = models.PositiveSmallIntegerField(_("scale maximum"), null=True, blank=True)
    # The weight counted in `score` (0 when the presentation was not weighted in).
    presentation_weight = models.PositiveSmallIntegerField(_("presentation weight (%)"), default=0)
    score = models.DecimalField(_("score decided on"), max_digits=9, decimal_places=2, null=True, blank=True)
    moved_on = models.BooleanField(_("moved on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("ranking decision")
        verbose_name_plural = _("ranking decisions")
        ordering = ["cycle", "kind", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="uniq_ranking_decision")]

    def __str__(self) -> str:
        return f"{self.application_id} · {self.kind} · {self.rank}"

    @property
    def with_presentation(self):
        """The score with the presentation weighted in, when it was (else None), as the ranking names it."""
        return self.score if self.presentation_weight else None
