import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.scopes import scoped_manager
from core.text import join_list
from enterprises import divisions

from .enums import (
    ApplicationStatus,
    AttachmentKind,
    CycleRole,
    CycleStatus,
    DayCount,
    ItemKind,
    PassBase,
    StageKind,
    default_disqualifying,
)
from .programmes import division_admitted, validate_divisions, validate_number_prefix, validate_programme_slug
from .workflow import DEFAULT_STAGES


class BilingualTitleMixin(models.Model):
    title_zh = models.CharField(_("Chinese title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        """The title in the active language."""
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh


class FrameworkLocked(ValidationError):
    pass


class CriteriaFramework(BilingualTitleMixin):
    """A scoring framework such as GB/T 19580-2012. Frameworks are data, not code."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    total_points = models.PositiveIntegerField(_("total points"), default=1000)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("criteria framework")
        verbose_name_plural = _("criteria frameworks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.get(pk=self.pk).is_locked:
            raise FrameworkLocked(_("This framework is used by a cycle that has opened and can no longer be edited."))
        super().save(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        """In use by a cycle that has opened: the scores people give must keep their meaning."""
        if self.pk is None:
            return False
        return self.cycles.exclude(status=CycleStatus.DRAFT).exists()


class _FrameworkPart(BilingualTitleMixin):
    code = models.CharField(_("code"), max_length=20)
    points = models.PositiveIntegerField(_("points"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._framework().is_locked:
            raise FrameworkLocked(_("This framework is used by a cycle that has opened and can no longer be edited."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._framework().is_locked:
            raise FrameworkLocked(_("This framework is used by a cycle that has opened and can no longer be edited."))
        return super().delete(*args, **kwargs)

    def _framework(self) -> CriteriaFramework:
        raise NotImplementedError


class CriteriaCategory(_FrameworkPart):
    framework = models.ForeignKey(
        CriteriaFramework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="categories"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)

    class Meta:
        verbose_name = _("criteria category")
        verbose_name_plural = _("criteria categories")
        ordering = ["framework", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="uniq_category_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _framework(self) -> CriteriaFramework:
        return self.framework


class CriteriaItem(_FrameworkPart):
    category = models.ForeignKey(
        CriteriaCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    guidance = models.TextField(_("guidance"), blank=True)

    class Meta:
        verbose_name = _("criteria item")
        verbose_name_plural = _("criteria items")
        ordering = ["category__order", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="uniq_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _framework(self) -> CriteriaFramework:
        return self.category.framework


def division_name(prefix: str) -> str:
    """A division-code prefix of 2, 4 or 6 digits named in the reader's language ("4310" 郴州市,
    "43" 湖南省); the prefix itself when it is not one of Hunan's divisions."""
    prefix = prefix or ""
    named = divisions.get(prefix.ljust(6, "0")) if len(prefix) in (2, 4, 6) else None
    return named.name if named else prefix


class AwardProgramme(models.Model):
    """One organiser's award (郴州市市长质量奖, 湖南省省长质量奖, a county's award): its names, who may
    apply (division-code prefixes) and what its papers carry. Cycles belong to a programme."""

    slug = models.CharField(
        _("address"),
        max_length=40,
        unique=True,
        validators=[validate_programme_slug],
        help_text=_("Letters, digits and hyphens: the public pages live under /<address>/."),
    )
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=150)
    organiser_zh = models.CharField(_("organiser (Chinese)"), max_length=100)
    organiser_en = models.CharField(_("organiser (English)"), max_length=150)
    divisions = models.JSONField(
        _("divisions that may apply"),
        default=list,
        validators=[validate_divisions],
        help_text=_('Division-code prefixes (GB/T 2260) of 2, 4 or 6 digits: "43" all Hunan, "4310" Chenzhou.'),
    )
    seal_text = models.CharField(_("seal text"), max_length=30)
    signature_zh = models.CharField(_("signature line (Chinese)"), max_length=60)
    signature_en = models.CharField(_("signature line (English)"), max_length=100)
    receipt_prefix = models.CharField(
        _("receipt number prefix"), max_length=12, validators=[validate_number_prefix], unique=True
    )
    certificate_prefix = models.CharField(
        _("certificate serial prefix"), max_length=12, validators=[validate_number_prefix], unique=True
    )

    objects = scoped_manager("pk")

    class Meta:
        verbose_name = _("award programme")
        verbose_name_plural = _("award programmes")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    @property
    def organiser(self) -> str:
        return self.organiser_en if (get_language() or "").startswith("en") else self.organiser_zh

    @property
    def office_seal_text(self) -> str:
        """The award office's seal on receipts: 郴州市市长质量奖评审办公室."""
        return f"{self.name_zh}评审办公室"

    @property
    def area_name(self) -> str:
        """The divisions it admits, named in the reader's language: 郴州市, 湖南省 ("Hunan Province")."""
        return join_list(division_name(prefix) for prefix in self.divisions or [])

    def admits(self, district: str) -> bool:
        """Whether an enterprise registered in `district` (a 6-digit code) may apply."""
        return division_admitted(self.divisions, district)


class AwardCycle(BilingualTitleMixin):
    programme = models.ForeignKey(
        AwardProgramme, verbose_name=_("award programme"), on_delete=models.PROTECT, related_name="cycles"
    )
    edition = models.PositiveSmallIntegerField(_("edition"), help_text=_("e.g. 6 for the 6th award"))
    year = models.PositiveSmallIntegerField(_("award year"))
    framework = models.ForeignKey(
        CriteriaFramework, verbose_name=_("criteria framework"), on_delete=models.PROTECT, related_name="cycles"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CycleStatus.choices, default=CycleStatus.DRAFT, db_index=True
    )
    # Timeline (stored in UTC, shown in Asia/Shanghai).
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    material_review_due = models.DateField(_("material review due"), null=True, blank=True)
    onsite_review_start = models.DateField(_("on-site review starts"), null=True, blank=True)
    onsite_review_end = models.DateField(_("on-site review ends"), null=True, blank=True)
    committee_meeting_on = models.DateField(_("committee meeting"), null=True, blank=True)
    public_notice_start = models.DateField(_("public notice starts"), null=True, blank=True)
    public_notice_end = models.DateField(_("public notice ends"), null=True, blank=True)
    # Eligibility parameters.
    require_local_registration = models.BooleanField(_("must be registered in the city"), default=True)
    local_division_prefix = models.CharField(_("division code prefix"), max_length=6, default="4310")
    min_years_in_operation = models.PositiveSmallIntegerField(_("minimum years in operation"), default=3)
    min_years_excellence_practice = models.PositiveSmallIntegerField(
        _("minimum years practising performance excellence"), default=2
    )
    incident_free_years = models.PositiveSmallIntegerField(_("years without a major incident"), default=3)
    cooling_off_years = models.PositiveSmallIntegerField(_("cooling-off years after winning"), default=5)
    # Review parameters.
    experts_per_panel = models.PositiveSmallIntegerField(
        _("experts per panel"),
        default=5,
        validators=[MinValueValidator(5)],
        help_text=_("At least five: each application is scored by a panel of five or more experts."),
    )
    dispersion_threshold = models.DecimalField(
        _("dispersion threshold"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.30"),
        help_text=_("An item whose score range exceeds this share of its points is discussed to consensus."),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    material_weight = models.DecimalField(
        _("weight of the material review"), max_digits=3, decimal_places=2, default=Decimal("0.40")
    )
    onsite_weight = models.DecimalField(
        _("weight of the on-site review"), max_digits=3, decimal_places=2, default=Decimal("0.60")
    )
    # 陈述答辩: the scale the panel scores the presentation on, and its weight in the ranking (0 = shown,
    # not weighted). Each presentation score stores both as they were when it was given.
    presentation_scale_max = models.PositiveSmallIntegerField(
        _("presentation scale maximum"), default=100, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    presentation_weight = models.PositiveSmallIntegerField(
        _("weight of the presentation (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("0 shows the presentation score beside the ranking without weighting it."),
    )
    # Committee parameters, as exact fractions.
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum numerator"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum denominator"), default=3)
    pass_numerator = models.PositiveSmallIntegerField(_("pass numerator"), default=2)
    pass_denominator = models.PositiveSmallIntegerField(_("pass denominator"), default=3)
    pass_base = models.CharField(
        _("base of the pass fraction"),
        max_length=10,
        choices=PassBase.choices,
        default=PassBase.PRESENT,
        help_text=_("Under the default a present member who casts nothing counts in the base."),
    )
    secret_ballot = models.BooleanField(
        _("secret ballot"),
        default=True,
        help_text=_(
            "Who voted is recorded, how each member voted is not. Fixed once the first ballot of the cycle opens."
        ),
    )
    public_notice_days = models.PositiveSmallIntegerField(_("public notice days"), default=7)
    disqualifying_categories = models.JSONField(
        _("records that disqualify"),
        default=default_disqualifying,
        blank=True,
        help_text=_("A department's record in one of these categories ends the application (一票否决)."),
    )
    public_notice_day_count = models.CharField(
        _("public notice counted in"), max_length=10, choices=DayCount.choices, default=DayCount.CALENDAR
    )
    min_notice_days = models.PositiveSmallIntegerField(
        _("minimum public notice days"),
        default=5,
        help_text=_("The legal minimum: a notice period cannot be shortened below it."),
    )
    # Receipt numbers are issued from this counter inside the submitting transaction: gapless.
    receipts_issued = models.PositiveIntegerField(_("receipts issued"), default=0, editable=False)

    objects = scoped_manager("programme")

    class Meta:
        verbose_name = _("award cycle")
        verbose_name_plural = _("award cycles")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "edition"], name="uniq_programme_edition"),
            models.UniqueConstraint(fields=["programme", "year"], name="uniq_programme_year"),
            models.CheckConstraint(
                condition=models.Q(applications_close_at__gt=models.F("applications_open_at")),
                name="cycle_window_order",
            ),
            models.CheckConstraint(
                condition=models.Q(quorum_denominator__gt=0) & models.Q(pass_denominator__gt=0),
                name="cycle_fractions_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        weights = (self.material_weight, self.onsite_weight)
        if None not in weights and sum(weights) != Decimal("1"):
            raise ValidationError({"onsite_weight": _("The two review weights must add up to 1.")})
        window = (self.applications_open_at, self.applications_close_at)
        if None not in window and window[1] <= window[0]:
            raise ValidationError({"applications_close_at": _("The window must close after it opens.")})
        days = (self.public_notice_days, self.min_notice_days)
        if None not in days and days[0] < days[1]:
            raise ValidationError(
                {"public_notice_days": _("The notice period cannot be shorter than the legal minimum.")}
            )

    @property
    def local_area_name(self) -> str:
        """The division its local prefix names, in the reader's language ("4310" 郴州市, "43" 湖南省)."""
        return division_name(self.local_division_prefix)

    def stage_kinds(self) -> tuple[str, ...]:
        """The stages the cycle runs, in order (see awards/workflow.py); the default ones until it
        configures its own. Reads prefetched stages when there are any."""

        return tuple(s.kind for s in self.stages.all()) or DEFAULT_STAGES

    def is_application_window_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == CycleStatus.OPEN and self.applications_open_at <= at < self.applications_close_at


class CycleStage(models.Model):
    """One stage the cycle runs, in order, with its window. Written by services.cycle_stages_set
    (checked by awards/stages.py); after the first submission only the window moves, with a reason."""

    cycle = models.ForeignKey(AwardCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("stage"), max_length=30, choices=StageKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    # With a length the end is counted from the start (in calendar or working days) when the window is
    # saved and stored: a later change of the holiday data does not move a window already published.
    length = models.PositiveSmallIntegerField(_("length (days)"), null=True, blank=True)
    day_count = models.CharField(_("counted in"), max_length=10, choices=DayCount.choices, default=DayCount.CALENDAR)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("panel"), blank=True, related_name="stage_panels"
    )

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["cycle", "order"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="uniq_cycle_stage_kind"),
            models.UniqueConstraint(fields=["cycle", "order"], name="uniq_cycle_stage_order"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.get_kind_display()}"


class AwardLevel(models.Model):
    cycle = models.ForeignKey(AwardCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="levels")
    code = models.SlugField(_("code"), max_length=30)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the highest level"))
    quota = models.PositiveSmallIntegerField(_("quota"))
    prize_amount = models.DecimalField(_("prize (yuan)"), max_digits=12, decimal_places=2, default=0)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("award level")
        verbose_name_plural = _("award levels")
        ordering = ["cycle", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="uniq_level_code"),
            models.UniqueConstraint(fields=["cycle", "rank"], name="uniq_level_rank"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class CycleMembership(models.Model):
    """A person's role in one cycle: secretary, expert or committee member."""

    cycle = models.ForeignKey(AwardCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="cycle_memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=CycleRole.choices)
    unit = models.CharField(_("department or unit"), max_length=200, blank=True)
    # A recommending body recommends the enterprises registered in its district (blank: none).
    district = models.CharField(
        _("district or county"), max_length=6, choices=divisions.district_choices, blank=True, db_index=True
    )
    is_chair = models.BooleanField(_("committee chair"), default=False)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("cycle membership")
        verbose_name_plural = _("cycle memberships")
        ordering = ["cycle", "role", "user__email"]
        constraints = [models.UniqueConstraint(fields=["cycle", "user", "role"], name="uniq_cycle_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.cycle}"


class Application(models.Model):
    """An enterprise's application to one award cycle. Status changes only via services."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="applications"
    )
    cycle = models.ForeignKey(
        AwardCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Raised by every change; guards edits."))
    receipt_number = models.CharField(_("receipt number"), max_length=30, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    award_level = models.ForeignKey(
        AwardLevel, verbose_name=_("award level"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The sections the enterprise fills in (see awards/sections.py); written only by
    # services.application_section_save, which guards them with `version`.
    basic_info = models.JSONField(_("basic information"), default=dict, blank=True)
    declarations = models.JSONField(_("eligibility declarations"), default=dict, blank=True)
    self_assessment = models.JSONField(_("self-assessment"), default=dict, blank=True)
    key_results = models.JSONField(_("key results"), default=dict, blank=True)
    commitment = models.JSONField(_("commitment letter"), default=dict, blank=True)
    # One version per section, raised by each save of that section (see sections.SECTION_VERSION_FIELDS).
    basic_info_version = models.PositiveIntegerField(_("basic information version"), default=1)
    declarations_version = models.PositiveIntegerField(_("eligibility declarations version"), default=1)
    self_assessment_version = models.PositiveIntegerField(_("self-assessment version"), default=1)
    key_results_version = models.PositiveIntegerField(_("key results version"), default=1)
    commitment_version = models.PositiveIntegerField(_("commitment letter version"), default=1)
    resubmit_by = models.DateTimeField(_("resubmit by"), null=True, blank=True)
    # Names of record: the enterprise's names and code as submitted (set by application_submit, or by
    # an approved change request). Decisions, public pages and certificates read these, never the
    # live profile, which the owner may edit at any time. Blank while the application is a draft.
    record_name_zh = models.CharField(_("Chinese name of record"), max_length=200, blank=True)
    record_name_en = models.CharField(_("English name of record"), max_length=200, blank=True)
    record_credit_code = models.CharField(_("credit code of record"), max_length=18, blank=True)
    # The award level's names as the committee decided them (copied from the closed meeting's stored
    # levels when the candidate is published): renaming the level afterwards changes nothing decided.
    record_level_zh = models.CharField(_("Chinese level name of record"), max_length=100, blank=True)
    record_level_en = models.CharField(_("English level name of record"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-cycle__year", "enterprise__name_zh"]
        constraints = [models.UniqueConstraint(fields=["enterprise", "cycle"], name="uniq_application_per_cycle")]

    def __str__(self) -> str:
        return f"{self.display_name} · {self.cycle.year}"

    @property
    def has_names_of_record(self) -> bool:
        return bool(self.record_credit_code)

    @property
    def name_zh(self) -> str:
        """The Chinese name the application is decided under (the live profile's for a draft)."""
        return self.record_name_zh if self.has_names_of_record else self.enterprise.name_zh

    @property
    def name_en(self) -> str:
        return self.record_name_en if self.has_names_of_record else self.enterprise.name_en

    @property
    def credit_code(self) -> str:
        return self.record_credit_code if self.has_names_of_record else self.enterprise.credit_code

    @property
    def level_name_zh(self) -> str:
        """The award level's Chinese name as decided (today's name only for a level set before names were kept)."""
        if self.record_level_zh or self.award_level_id is None:
            return self.record_level_zh
        return self.award_level.name_zh

    @property
    def level_name_en(self) -> str:
        if self.record_level_en or self.award_level_id is None:
            return self.record_level_en
        return self.award_level.name_en

    @property
    def level_name(self) -> str:
        """The decided level's name in the reader's language."""
        if (get_language() or "").startswith("en"):
            return self.level_name_en or self.level_name_zh
        return self.level_name_zh or self.level_name_en

    @property
    def registered_in_city(self) -> bool:
        """Whether the code of record's division code lies in the cycle's area (its local prefix)."""
        return self.credit_code.upper()[2:8].startswith(self.cycle.local_division_prefix)

    def get_status_display(self) -> str:
        """The status's label. Django's generated method rebuilds the field's choices on every call
        (about ten times slower), which the long lists (ranking, queue, meeting) paid once per row."""
        try:
            return str(ApplicationStatus(self.status).label)
        except ValueError:
            return self.status

    @property
    def display_name(self) -> str:
        """The name of record in the reader's language where one was given (the Chinese one is official)."""
        if (get_language() or "").startswith("en"):
            return self.name_en or self.name_zh or self.credit_code
        return self.name_zh or self.name_en or self.credit_code

    @property
    def official_name(self) -> str:
        """The registered (Chinese) name of record, whatever the reader's language: for e-mails and records."""
        return self.name_zh or self.name_en or self.credit_code

    # The submission window and the resubmission deadline, stated once (services, views, dashboard).
    @property
    def submission_deadline(self):
        """Until when the application may be submitted: the window, or the resubmission deadline."""
        if self.status == ApplicationStatus.RETURNED and self.resubmit_by:
            return self.resubmit_by
        return self.cycle.applications_close_at

    def may_be_submitted(self, at=None) -> bool:
        """The cycle is open for applications (status and start) and the deadline has not passed."""
        at = at or timezone.now()
        cycle = self.cycle
        return cycle.status == CycleStatus.OPEN and cycle.applications_open_at <= at < self.submission_deadline

    def returned_not_resubmitted_in_time(self, at=None) -> bool:
        """Returned for revision and its resubmission deadline has passed: the office may decide it ineligible."""
        at = at or timezone.now()
        return self.status == ApplicationStatus.RETURNED and (self.resubmit_by is None or self.resubmit_by <= at)

    def section_version(self, section: str) -> int:
        """The version of one section as loaded; a save must name it (optimistic check)."""
        from .sections import SECTION_VERSION_FIELDS  # noqa: PLC0415 -- awards.sections imports this module: avoid a circular import

        return getattr(self, SECTION_VERSION_FIELDS[section])


class ApplicationTransition(models.Model):
    """History of an application's status: who, when, from, to, why."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ApplicationStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status} → {self.to_status}"


def _attachment_path(instance, _filename: str) -> str:
    # A random name: the enterprise's file name is kept in `original_name`, never used on disk.
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(instance.mime_type, "bin")
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}.{ext}"


class ApplicationAttachment(models.Model):
    """An evidence file in the media storage (local or the private bucket); downloaded through a checked view.

    Removing a file only hides it from the draft: a submitted snapshot may still point to it.
    """

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)
    declaration = models.CharField(_("declaration"), max_length=30, blank=True)
    # What an "other" file is (required for that kind, see services.attachment_add).
    description = models.CharField(_("description"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("type"), max_length=50)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["application", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind_label(self) -> str:
        """The kind in words; for "other", what the enterprise said the file is."""
        if self.kind == AttachmentKind.OTHER and self.description:
            return f"{AttachmentKind(self.kind).label}: {self.description}"
        return str(AttachmentKind(self.kind).label)

    def as_metadata(self) -> dict:
        return {
            "id": self.pk,
            "kind": self.kind,
            "declaration": self.declaration,
            "description": self.description,
            "name": self.original_name,
            "size": self.size,
            "mime_type": self.mime_type,
            "sha256": self.sha256,
            "uploaded_at": self.uploaded_at.isoformat(),
        }


class SnapshotImmutable(Exception):
    pass


class ApplicationSnapshot(models.Model):
    """What was submitted, frozen: the experts score exactly this. Never edited, never deleted."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="snapshots"
    )
    number = models.PositiveSmallIntegerField(_("submission number"))
    receipt_number = models.CharField(_("receipt number"), max_length=30)
    data = models.JSONField(_("content"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = scoped_manager("application__cycle__programme")

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="uniq_snapshot_number")]

    def __str__(self) -> str:
        return f"{self.receipt_number} #{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SnapshotImmutable("A submitted version is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SnapshotImmutable("A submitted version is never deleted.")


class SectionComment(models.Model):
    """The award office's comment on one section when it returns an application for revision."""

    transition = models.ForeignKey(
        ApplicationTransition, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="section_comments"
    )
    section = models.CharField(_("section"), max_length=30)
    text = models.TextField(_("comment"))

    objects = scoped_manager("transition__application__cycle__programme")

    class Meta:
        verbose_name = _("section comment")
        verbose_name_plural = _("section comments")
        ordering = ["transition", "pk"]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:40]}"

    def get_section_title(self) -> str:
        from .sections import SECTION_TITLES  # noqa: PLC0415 -- awards.sections imports this module: avoid a circular import

        return str(SECTION_TITLES.get(self.section, self.section))
