"""Review committee: meetings, attendance, ballots and votes, public notice, objections, approval."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.enums import DayCount
from core import workdays
from core.scopes import scoped_manager

from .enums import BallotStatus, MeetingStatus, ObjectionStatus, VoteChoice


class Meeting(models.Model):
    """A meeting of a cycle's review committee. Status changes only via services."""

    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    notes = models.TextField(_("notes for the members"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED, db_index=True
    )
    invited_at = models.DateTimeField(_("members invited"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    minutes_pdf = models.FileField(_("minutes (PDF)"), upload_to="committee/minutes/", blank=True)
    minutes_rendered_at = models.DateTimeField(_("minutes rendered"), null=True, blank=True)
    report_pdf = models.FileField(_("meeting report (PDF)"), upload_to="committee/reports/", blank=True)
    report_rendered_at = models.DateTimeField(_("report rendered"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for the cancellation"), max_length=300, blank=True)
    # The award levels as decided at the close: each level's name, quota, places held from earlier
    # decisions and vacancies. Pages and minutes read this, never today's quotas.
    levels_record = models.JSONField(_("award levels as decided"), default=list, blank=True, editable=False)
    # The committee and its attendance at the close, and the quorum then in force: what the minutes print.
    attendance_record = models.JSONField(_("attendance at the close"), default=dict, blank=True, editable=False)
    # Review health (agreement, leniency, drift, reordering by normalisation) as the committee saw it at
    # the close (reviews.health_selectors.review_health): the report reads this, never today's scores.
    health_record = models.JSONField(_("review health at the close"), default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.starts_at:%Y-%m-%d}"


class ScheduleChange(models.Model):
    """A meeting moved to another time or place before it opened, with the reason the members were given."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="schedule_changes"
    )
    starts_at_before = models.DateTimeField(_("date and time before"))
    starts_at_after = models.DateTimeField(_("new date and time"))
    place_before = models.CharField(_("place before"), max_length=200)
    place_after = models.CharField(_("new place"), max_length=200)
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    objects = scoped_manager("meeting__cycle__programme")

    class Meta:
        verbose_name = _("schedule change")
        verbose_name_plural = _("schedule changes")
        ordering = ["meeting", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.starts_at_after:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    """Whether a committee member was present, as recorded by the secretary."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("present"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = scoped_manager("meeting__cycle__programme")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__email"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="uniq_attendance")]

    def __str__(self) -> str:
        return f"{self.member} · {self.meeting}"


class AttendanceEvent(models.Model):
    """An arrival or departure during the meeting, with the time: each ballot's attendance follows from these."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance_events"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    present = models.BooleanField(_("arrived"), help_text=_("Ticked: arrived; not ticked: left."))
    at = models.DateTimeField(_("time"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = scoped_manager("meeting__cycle__programme")

    class Meta:
        verbose_name = _("arrival or departure")
        verbose_name_plural = _("arrivals and departures")
        ordering = ["meeting", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.member} · {self.at:%H:%M}"


class Ballot(models.Model):
    """One candidate on a meeting's agenda and the committee's vote on it."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="ballots")
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="ballots"
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"),
        default=1,
        help_text=_("The candidate's place in the expert ranking (1 is first); ties share a rank."),
    )
    tie_order = models.PositiveSmallIntegerField(
        _("committee's order within a tie"),
        null=True,
        blank=True,
        help_text=_("Set by an explicit committee decision."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BallotStatus.choices, default=BallotStatus.PENDING, db_index=True
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The count, frozen when the ballot closes.
    members = models.PositiveSmallIntegerField(_("committee members"), null=True, blank=True)
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    recused = models.PositiveSmallIntegerField(_("recused"), null=True, blank=True)
    approvals = models.PositiveSmallIntegerField(_("approve"), null=True, blank=True)
    rejections = models.PositiveSmallIntegerField(_("reject"), null=True, blank=True)
    abstentions = models.PositiveSmallIntegerField(_("abstain"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # The rule in force, frozen when the ballot opens (secret) and closes (the count's base and threshold).
    secret = models.BooleanField(_("secret ballot"), null=True, blank=True)
    pass_base = models.CharField(_("base of the pass fraction"), max_length=10, blank=True)
    pass_numerator = models.PositiveSmallIntegerField(_("pass numerator"), null=True, blank=True)
    pass_denominator = models.PositiveSmallIntegerField(_("pass denominator"), null=True, blank=True)
    eligible = models.PositiveSmallIntegerField(_("eligible to vote"), null=True, blank=True)
    voted = models.PositiveSmallIntegerField(_("voted"), null=True, blank=True)
    base = models.PositiveSmallIntegerField(_("base of the count"), null=True, blank=True)
    # Who was present when the ballot opened and closed, who was recused (with the reason), who voted and
    # who did not: lists of {"id", "name"} (and "reason"), names as they were at the time.
    roll = models.JSONField(_("roll of the ballot"), default=dict, blank=True, editable=False)
    level_quota = models.PositiveSmallIntegerField(_("quota counted against"), null=True, blank=True)
    award_level = models.ForeignKey(
        "awards.AwardLevel",
        verbose_name=_("proposed award level"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = scoped_manager("meeting__cycle__programme")

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["meeting", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "application"], name="uniq_ballot_candidate")]

    def __str__(self) -> str:
        return f"{self.application.display_name} · {self.meeting}"

    @property
    def voting(self) -> int | None:
        if self.approvals is None:
            return None
        return self.approvals + self.rejections + self.abstentions


class BallotVoter(models.Model):
    """That a member has voted on a ballot (so nobody votes twice); under secret ballot, not how."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )

    objects = scoped_manager("ballot__meeting__cycle__programme")

    class Meta:
        verbose_name = _("member who voted")
        verbose_name_plural = _("members who voted")
        ordering = ["ballot", "member__email"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="uniq_voter_per_ballot")]

    def __str__(self) -> str:
        return f"{self.member} · {self.ballot}"


class SecretChoice(models.Model):
    """An anonymous choice under secret ballot: no member, no time, a random key (no order to match)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="secret_choices"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)

    objects = scoped_manager("ballot__meeting__cycle__programme")

    class Meta:
        verbose_name = _("secret vote")
        verbose_name_plural = _("secret votes")
        ordering = ["ballot", "choice"]

    def __str__(self) -> str:
        return f"{self.ballot} · {self.get_choice_display()}"


class Vote(models.Model):
    """One member's vote on one roll-call ballot: a database constraint allows exactly one row."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=10, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(_("cast"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = scoped_manager("ballot__meeting__cycle__programme")

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["ballot", "member__email"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="uniq_vote_per_member")]

    def __str__(self) -> str:
        return f"{self.member} · {self.ballot}"


class Recusal(models.Model):
    """A member's conflict with a candidate: the member may not vote on that ballot."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = scoped_manager("ballot__meeting__cycle__programme")

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["ballot", "member__email"]
        constraints = [models.UniqueConstraint(fields=["ballot", "member"], name="uniq_recusal")]

    def __str__(self) -> str:
        return f"{self.member} · {self.ballot}"


class Remark(models.Model):
    """A suggestion or remark made at the meeting, recorded by the secretary for the minutes."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="remarks")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        "awards.Application",
        verbose_name=_("candidate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("suggestion or remark"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = scoped_manager("meeting__cycle__programme")

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PublicNotice(models.Model):
    """公示: the proposed winners published for a period in which anyone may object."""

    cycle = models.ForeignKey(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="notices"
    )
    starts_on = models.DateField(_("notice starts"))
    ends_on = models.DateField(_("notice ends"), help_text=_("Objections are accepted until the end of this day."))
    # How the period was counted when published (the cycle's setting then): shown on the notice page.
    length = models.PositiveSmallIntegerField(_("notice period (days)"), null=True, blank=True)
    day_count = models.CharField(_("counted in"), max_length=10, choices=DayCount.choices, default=DayCount.CALENDAR)
    applications = models.ManyToManyField(
        "awards.Application", verbose_name=_("proposed winners"), related_name="notices"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.starts_on}–{self.ends_on}"

    @property
    def beyond_holiday_data(self) -> bool:
        """Counted in working days past the last year of the official holiday data (see core/workdays.py)."""
        return self.day_count == DayCount.WORKING and workdays.beyond_data(self.ends_on)


class Objection(models.Model):
    """A real-name objection to a proposed winner. Anonymous objections are refused."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("public notice"), on_delete=models.PROTECT, related_name="objections"
    )
    application = models.ForeignKey(
        "awards.Application", verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField(_("real name"), max_length=100)
    contact = models.CharField(_("phone or e-mail"), max_length=200)
    reasons = models.TextField(_("facts and reasons"))
    evidence = models.FileField(_("evidence"), upload_to="committee/objections/", blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN, db_index=True
    )
    reply = models.TextField(_("reply"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_at = models.DateTimeField(_("lodged"), auto_now_add=True)

    objects = scoped_manager("notice__cycle__programme")

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # Not the objector's name: this text is copied into audit events and shown in lists.
        return _("Objection %(n)s · %(enterprise)s") % {"n": self.pk, "enterprise": self.application.display_name}


class NoticePeriodChange(models.Model):
    """A published notice period extended or shortened, with the reason (shown on the notice page)."""

    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("public notice"), on_delete=models.CASCADE, related_name="period_changes"
    )
    ends_on_before = models.DateField(_("ended before"))
    ends_on_after = models.DateField(_("ends now"))
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    objects = scoped_manager("notice__cycle__programme")

    class Meta:
        verbose_name = _("notice period change")
        verbose_name_plural = _("notice period changes")
        ordering = ["notice", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.notice}: {self.ends_on_before} → {self.ends_on_after}"

    @property
    def extended(self) -> bool:
        return self.ends_on_after > self.ends_on_before


class GovernmentApproval(models.Model):
    """政府审定: the municipal government's approval of the winners of a cycle."""

    cycle = models.OneToOneField(
        "awards.AwardCycle", verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="government_approval"
    )
    decree_number = models.CharField(_("document number"), max_length=100)
    decree_date = models.DateField(_("document date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = scoped_manager("cycle__programme")

    class Meta:
        verbose_name = _("government approval")
        verbose_name_plural = _("government approvals")

    def __str__(self) -> str:
        return f"{self.decree_number} ({self.decree_date})"
